from checks.detectors.database.foreign_key_without_index import ForeignKeyWithoutIndex
from checks.model import Status
from tests.helpers import findings, found, run, status

MODELS = """\
from sqlalchemy import Column, ForeignKey, Index, Integer, Table, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlmodel import Field, SQLModel


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "item"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    shop_id = Column(Integer, ForeignKey("shop.id"), index=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id"))
    kind_id: Mapped[int] = mapped_column(ForeignKey("kind.id"), unique=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("box.id"), index=False)
    __table_args__ = (UniqueConstraint("tag_id", "id"),)


class Hero(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)


link = Table(
    "link",
    Base.metadata,
    Column("left_id", ForeignKey("left.id"), primary_key=True),
    Column("note_id", ForeignKey("note.id")),
    Column("other_id", ForeignKey("other.id")),
)
Index("ix_link_other", link.c.other_id)
"""


def test_flags_foreign_keys_without_index() -> None:
    report = run(ForeignKeyWithoutIndex, {"app/models.py": MODELS})
    assert found(report) == [
        ("DB-03", "app/models.py", 13),
        ("DB-03", "app/models.py", 23),
        ("DB-03", "app/models.py", 31),
    ]
    assert findings(report, "DB-03")[0].message == (
        "foreign key column `Item.owner_id` (-> `user.id`) has no index: PostgreSQL does not "
        "index the referencing side"
    )
    assert status(report, "DB-03") is Status.WARN


def test_mysql_only_projects_are_not_applicable() -> None:
    files = {"app/models.py": MODELS, "requirements.txt": "sqlalchemy\npymysql\n"}
    report = run(ForeignKeyWithoutIndex, files)
    assert found(report) == []
    assert status(report, "DB-03") is Status.NOT_APPLICABLE


def test_indexed_foreign_keys_pass_with_evidence() -> None:
    code = (
        "from sqlalchemy import ForeignKey\n"
        "from sqlalchemy.orm import mapped_column\n"
        "class A:\n"
        "    __tablename__ = 'a'\n"
        "    b_id = mapped_column(ForeignKey('b.id'), index=True)\n"
    )
    report = run(ForeignKeyWithoutIndex, {"app/models.py": code, "tests/test_m.py": MODELS})
    assert found(report) == []
    assert report.result("DB-03").evidence == ["1 foreign key columns, all indexed"]


def test_indexes_created_by_alembic_migrations_count() -> None:
    models = (
        "from sqlalchemy import Column, ForeignKey, Integer\n"
        "from sqlalchemy.orm import DeclarativeBase\n"
        "class Base(DeclarativeBase):\n"
        "    pass\n"
        "class Item(Base):\n"
        "    __tablename__ = 'item'\n"
        "    owner_id = Column(Integer, ForeignKey('user.id'))\n"
        "    shop_id = Column(Integer, ForeignKey('shop.id'))\n"
        "    tag_id = Column(Integer, ForeignKey('tag.id'))\n"
    )
    revision = (
        "from alembic import op\n"
        "import sqlalchemy as sa\n"
        "def upgrade():\n"
        "    op.create_index('ix_item_owner_id', 'item', ['owner_id'])\n"
        "    op.add_column('item', sa.Column('tag_id', sa.Integer(), index=True))\n"
        "    op.create_index('ix_other_shop_id', 'other', ['shop_id'])\n"
    )
    files = {"app/models.py": models, "alembic/versions/001_ix.py": revision}
    assert found(run(ForeignKeyWithoutIndex, files)) == [("DB-03", "app/models.py", 8)]


def test_not_applicable_without_database_and_evidence_for_django() -> None:
    report = run(ForeignKeyWithoutIndex, {"app/x.py": "import json\n"})
    assert status(report, "DB-03") is Status.NOT_APPLICABLE
    report = run(ForeignKeyWithoutIndex, {"requirements.txt": "django\n"})
    assert report.result("DB-03").evidence == [
        "Django ForeignKey fields are indexed unless db_index=False"
    ]
