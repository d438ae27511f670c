"""ORM model classes of the reviewed project, read from the syntax tree (never imported).

Shared by the database detectors. Two families are recognised:

- Django: a class whose base is ``django.db.models.Model`` (or another model class of the
  project, or a model base from a third-party package imported in a file that imports
  ``django.db``). Relations are ``ForeignKey``/``OneToOneField``/``ManyToManyField`` fields.
- SQLAlchemy and SQLModel declarative classes: a class with ``__tablename__``, a SQLModel class
  declared with ``table=True``, or a subclass of one of these. Relations are ``relationship()``
  and SQLModel ``Relationship()`` attributes.

Each :class:`ModelClass` also lists its *schema statements*, the class-body statements a
migration has to follow (fields, columns, ``Meta``, ``__tablename__``, ``__table_args__``).
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from checks.detector import Project
from checks.detectors.database._db import (
    imports_any,
    module_statements,
    service_files,
)
from checks.pyast import call_name, called_last, const, const_str, dotted, keyword, resolve
from checks.pyfile import PyFile

DJANGO_RELATIONS = {
    "ForeignKey": "fk", "OneToOneField": "o2o", "ManyToManyField": "m2m",
    "ParentalKey": "fk", "ParentalManyToManyField": "m2m", "TreeForeignKey": "fk",
    "TaggableManager": "m2m",
}
"""Django relation fields (and common third-party ones) by class name, with their kind."""

_SQLA_COLUMNS = frozenset({"Column", "mapped_column", "column_property", "composite"})
_NOT_DJANGO_BASES = ("pydantic", "sqlmodel", "sqlalchemy", "marshmallow", "typing")


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation attribute of a model: ``kind`` is ``fk``/``o2o``/``m2m`` (Django), ``reverse``
    (a Django reverse accessor) or ``relationship`` (SQLAlchemy); ``lazy`` is True when reading it
    on an instance that was not loaded with it runs a query."""

    name: str
    kind: str
    target: str | None
    lazy: bool = True
    line: int = 0


@dataclass(slots=True)
class ModelClass:
    """One ORM model class."""

    name: str
    family: str  # "django" | "sqlalchemy"
    file: PyFile
    node: ast.ClassDef
    relations: dict[str, Relation] = field(default_factory=dict)
    schema: list[ast.stmt] = field(default_factory=list)
    abstract: bool = False
    managed: bool = True
    eager_manager: bool = False  # the default manager already select_related/prefetch_related

    @property
    def path(self) -> str:
        """The file that defines the class."""
        return self.file.path


def django_models(project: Project) -> dict[str, list[ModelClass]]:
    """Django model classes of service code, by class name, with reverse accessors added;
    computed once per review and shared (callers must not change them)."""
    return project.memo("db.django_models", lambda: _django_models(project))


def sqlalchemy_models(project: Project) -> dict[str, list[ModelClass]]:
    """SQLAlchemy and SQLModel table classes of service code, by class name; computed once
    per review and shared (callers must not change them)."""
    return project.memo("db.sqlalchemy_models", lambda: _sqlalchemy_models(project))


def _django_models(project: Project) -> dict[str, list[ModelClass]]:
    classes = _classes(project)
    # A class is a model when a base is a Django model base, or names a model class of the
    # project: the least fixed point, found with a worklist over class names.
    waiting: dict[str, list[_Class]] = {}
    ready: list[str] = []
    for c in classes:
        if any(_django_base(name, c.file) for name in c.bases):
            ready.append(c.node.name)
            continue
        for name in c.bases:
            if not name.startswith(_NOT_DJANGO_BASES):
                waiting.setdefault(name.rsplit(".", 1)[-1], []).append(c)
    known = _closure(ready, waiting)
    out: dict[str, list[ModelClass]] = {}
    for c in classes:
        if c.node.name in known:
            out.setdefault(c.node.name, []).append(_django_model(c.node, c.file))
    _inherit(out)
    _add_reverse_accessors(out)
    managers = {id(model): _manager_classes(model.node)
                for models in out.values() for model in models}
    wanted: set[str] = set().union(*managers.values())
    eager = {c.node.name for c in classes if c.node.name in wanted and _loads_eagerly(c.node)}
    for models in out.values():
        for model in models:
            model.eager_manager = bool(managers[id(model)] & eager)
    return out


def _sqlalchemy_models(project: Project) -> dict[str, list[ModelClass]]:
    classes = _classes(project)
    bases = _declarative_bases(service_files(project), classes)
    flask = project.uses("flask_sqlalchemy")
    waiting: dict[str, list[_Class]] = {}
    ready: list[str] = []
    for c in classes:
        if c.node.name in bases:
            continue  # a declarative base is not a table
        lasts = [b.rsplit(".", 1)[-1] for b in c.bases]
        if any(last in bases for last in lasts) or _sqlalchemy_table(c, flask):
            ready.append(c.node.name)
            continue
        for last in lasts:
            waiting.setdefault(last, []).append(c)
    known = _closure(ready, waiting)
    out: dict[str, list[ModelClass]] = {}
    for c in classes:
        if c.node.name in known:
            out.setdefault(c.node.name, []).append(_sqlalchemy_model(c.node, c.file))
    _inherit(out)
    return out


def _closure(ready: list[str], waiting: dict[str, list[_Class]]) -> set[str]:
    """Names known from the start (``ready``), plus, transitively, the names of the classes
    waiting on a known name."""
    known: set[str] = set()
    while ready:
        name = ready.pop()
        if name in known:
            continue
        known.add(name)
        ready.extend(c.node.name for c in waiting.pop(name, ()))
    return known


_BASE_FACTORIES = ("declarative_base", "generate_base")


def _declarative_bases(files: list[PyFile], classes: list[_Class]) -> set[str]:
    """Names of declarative base classes: ``Base = declarative_base()``, ``class
    Base(DeclarativeBase)``, ``@as_declarative()`` classes, ``registry().generate_base()``."""
    out: set[str] = set()
    call = ast.Call  # an exact class: it has no subclasses
    for f in files:
        for stmt in module_statements(f, ast.Assign):
            if not isinstance(stmt, ast.Assign):
                continue
            value = stmt.value
            if value.__class__ is call and len(stmt.targets) == 1 and isinstance(
                stmt.targets[0], ast.Name
            ) and called_last(value, f) in _BASE_FACTORIES:
                last = (call_name(value, f) or "").rsplit(".", 1)[-1]
                if last in _BASE_FACTORIES:
                    out.add(stmt.targets[0].id)
    for c in classes:
        if any(n.startswith("sqlalchemy") and n.rsplit(".", 1)[-1] in (
            "DeclarativeBase", "DeclarativeBaseNoMeta"
        ) for n in c.bases):
            out.add(c.node.name)
        for d in c.node.decorator_list:
            target = d.func if isinstance(d, ast.Call) else d
            if (resolve(target, c.file) or "").rsplit(".", 1)[-1] == "as_declarative":
                out.add(c.node.name)
    return out


def unique(models: dict[str, list[ModelClass]], name: str | None) -> ModelClass | None:
    """The one model called ``name``, or None when there is none or several."""
    if name is None:
        return None
    found = models.get(name, [])
    return found[0] if len(found) == 1 else None


def app_dirs(project: Project) -> AppDirs:
    """Django app folders of the files of ``project`` (see :meth:`AppDirs.find`), with the
    folder index built once per review."""
    return project.memo("db.app_dirs", lambda: AppDirs(project.tree.paths))


class AppDirs:
    """Finds the Django app folder of a model file among ``paths``."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.present = set(paths)
        self.marker_dirs = {posixpath.dirname(posixpath.dirname(p)) for p in self.present
                            if "migrations/" in p and p.split("/")[-2:-1] == ["migrations"]}

    def find(self, path: str) -> str:
        """The Django app folder of a file that defines models: the nearest folder, from the
        file's own (``shop/models.py``) or its package's (``shop/models/x.py``) upwards, that
        has a ``migrations/`` folder or an ``apps.py``; when none has, the file's app folder
        by convention (``shop`` in both examples)."""
        folder = posixpath.dirname(path)
        own = posixpath.dirname(folder) if posixpath.basename(folder) == "models" else folder
        probe = own
        while True:
            if probe in self.marker_dirs or posixpath.join(probe, "apps.py") in self.present:
                return probe
            if not probe:
                return own
            probe = posixpath.dirname(probe)


# -- internals -------------------------------------------------------------------------------


class _Class(NamedTuple):
    """A class of service code with its base classes resolved through the file's imports (a
    named tuple: thousands are made per review, and a frozen dataclass is slower to make)."""

    file: PyFile
    node: ast.ClassDef
    bases: tuple[str, ...]


def _classes(project: Project) -> list[_Class]:
    """Every class of the service files, nested ones included, computed once per review."""
    def collect() -> list[_Class]:
        return [_Class(f, node, _base_names(node, f))
                for f in service_files(project) for node in f.nodes(ast.ClassDef)]
    return project.memo("db.classes", collect)


def _base_names(cls: ast.ClassDef, f: PyFile) -> tuple[str, ...]:
    bases = cls.bases
    if not bases:
        return ()
    out: list[str] = []
    for base in bases:
        target = base.value if isinstance(base, ast.Subscript) else base
        name = resolve(target, f)
        if name:
            out.append(name)
    return tuple(out)


def _django_base(name: str, f: PyFile) -> bool:
    """True when base ``name`` (resolved in ``f``) makes a class a Django model whatever the
    project's other classes are."""
    last = name.rsplit(".", 1)[-1]
    if name.endswith((".models.Model", ".models.base.Model")) and name.startswith("django."):
        return True
    if name.startswith("django.contrib.") and ".models." in name:
        return True  # AbstractUser, AbstractBaseUser, PermissionsMixin...
    return (
        last.endswith("Model")
        and "." in name
        and not name.startswith((*_NOT_DJANGO_BASES, "."))
        and imports_any(f, "django.db")
        and not name.startswith("django.")
    )


def _sqlalchemy_table(c: _Class, flask: bool) -> bool:
    """True when ``c`` is a table class whatever the project's other classes are: a
    Flask-SQLAlchemy ``db.Model``, a SQLModel ``table=True`` class or a ``__tablename__``."""
    if flask and any(b.endswith(".Model") and not b.startswith("django") for b in c.bases):
        return True  # Flask-SQLAlchemy's db.Model
    if not imports_any(c.file, "sqlalchemy", "sqlmodel", "flask_sqlalchemy"):
        return False
    for kw in c.node.keywords:
        if kw.arg == "table" and const(kw.value) is True:
            return True
    return _class_attr(c.node, "__tablename__") is not None


def _class_attr(cls: ast.ClassDef, name: str) -> ast.stmt | None:
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in stmt.targets
        ):
            return stmt
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and (
            stmt.target.id == name
        ):
            return stmt
    return None


def _assigned(stmt: ast.stmt) -> tuple[str, ast.expr | None] | None:
    """``(name, value)`` of a class-body ``name = value`` or ``name: T = value``."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
        stmt.targets[0], ast.Name
    ):
        return stmt.targets[0].id, stmt.value
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id, stmt.value
    return None


def _call_last(node: ast.expr | None, f: PyFile) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    name = call_name(node, f)
    return name.rsplit(".", 1)[-1] if name else None


def _meta(cls: ast.ClassDef) -> ast.ClassDef | None:
    for stmt in cls.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            return stmt
    return None


def _django_model(cls: ast.ClassDef, f: PyFile) -> ModelClass:
    model = ModelClass(cls.name, "django", f, cls)
    meta = _meta(cls)
    if meta is not None:
        model.schema.append(meta)
        for stmt in meta.body:
            pair = _assigned(stmt)
            if pair and pair[0] == "abstract" and const(pair[1]) is True:
                model.abstract = True
            if pair and pair[0] == "managed" and const(pair[1]) is False:
                model.managed = False
    for stmt in cls.body:
        pair = _assigned(stmt)
        if pair is None:
            continue
        name, value = pair
        last = _call_last(value, f)
        if last is None or not isinstance(value, ast.Call):
            continue
        if last in DJANGO_RELATIONS:
            model.schema.append(stmt)
            target_node = value.args[0] if value.args else keyword(value, "to")
            target = _model_ref(target_node, cls.name)
            model.relations[name] = Relation(name, DJANGO_RELATIONS[last], target,
                                             line=stmt.lineno)
        elif last.endswith("Field") and not last.startswith("Generic"):
            model.schema.append(stmt)
    model.schema.sort(key=lambda s: s.lineno)
    return model


def _model_ref(node: ast.expr | None, own: str) -> str | None:
    text = const_str(node)
    if text is not None:
        text = text.rsplit(".", 1)[-1]
        return own if text == "self" else text
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _inherit(models: dict[str, list[ModelClass]]) -> None:
    """Copy relations and schema statements down from model base classes of the project."""
    def bases(model: ModelClass, seen: set[str]) -> Iterator[ModelClass]:
        for base in model.node.bases:
            name = dotted(base.value if isinstance(base, ast.Subscript) else base)
            parent = unique(models, name.rsplit(".", 1)[-1] if name else None)
            if parent is not None and parent.name not in seen:
                seen.add(parent.name)
                yield parent
                yield from bases(parent, seen)

    for classes in models.values():
        for model in classes:
            for parent in bases(model, {model.name}):
                for name, rel in parent.relations.items():
                    model.relations.setdefault(name, rel)


def _manager_classes(cls: ast.ClassDef) -> set[str]:
    """Class names behind ``objects = X()``, ``X.from_queryset(Y)()`` or ``Y.as_manager()``."""
    out: set[str] = set()
    for stmt in cls.body:
        pair = _assigned(stmt)
        if pair is None or pair[0] != "objects" or pair[1] is None:
            continue
        for node in ast.walk(pair[1]):
            if isinstance(node, ast.Name):
                out.add(node.id)
            elif isinstance(node, ast.Attribute) and node.attr not in ("from_queryset",
                                                                       "as_manager"):
                out.add(node.attr)
    return out


def _loads_eagerly(cls: ast.ClassDef) -> bool:
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and node.attr in ("select_related",
                                                             "prefetch_related"):
            return True
    return False


def _add_reverse_accessors(models: dict[str, list[ModelClass]]) -> None:
    for classes in list(models.values()):
        for model in classes:
            for rel in list(model.relations.values()):
                if rel.kind == "reverse":
                    continue
                target = unique(models, rel.target)
                if target is None or model.abstract:
                    continue
                stmt = next((s for s in model.node.body if s.lineno == rel.line), None)
                related = None
                if isinstance(stmt, ast.Assign | ast.AnnAssign) and isinstance(
                    stmt.value, ast.Call
                ):
                    related = const_str(keyword(stmt.value, "related_name"))
                if related is None:
                    lower = model.name.lower()
                    related = lower if rel.kind == "o2o" else f"{lower}_set"
                if related.endswith("+") or "%" in related or related in target.relations:
                    continue
                target.relations[related] = Relation(related, "reverse", model.name,
                                                     line=rel.line)


def _sqlalchemy_model(cls: ast.ClassDef, f: PyFile) -> ModelClass:
    model = ModelClass(cls.name, "sqlalchemy", f, cls)
    table = any(kw.arg == "table" and const(kw.value) is True for kw in cls.keywords)
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            pair = _assigned(stmt)
            if pair is None:
                continue
            name, value = pair
            if name == "__abstract__" and const(value) is True:
                model.abstract = True
            if name in ("__tablename__", "__table_args__"):
                model.schema.append(stmt)
                continue
            last = _call_last(value, f)
            if last in ("relationship", "Relationship"):
                assert isinstance(value, ast.Call)
                model.relations[name] = Relation(
                    name, "relationship", _relationship_target(value, stmt), _is_lazy(value),
                    line=stmt.lineno,
                )
                continue
            if last in _SQLA_COLUMNS or (table and last == "Field") or (
                isinstance(stmt, ast.AnnAssign)
                and value is None
                and (table or _is_mapped(stmt.annotation))
                and not _is_classvar(stmt.annotation)
            ):
                model.schema.append(stmt)
    return model


def _is_mapped(annotation: ast.expr) -> bool:
    target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    return (isinstance(target, ast.Name) and target.id == "Mapped") or (
        isinstance(target, ast.Attribute) and target.attr == "Mapped"
    )


def _is_classvar(annotation: ast.expr) -> bool:
    target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
    return name == "ClassVar"


def _relationship_target(call: ast.Call, stmt: ast.stmt) -> str | None:
    if call.args:
        return _model_ref(call.args[0], "")
    if isinstance(stmt, ast.AnnAssign):
        for node in ast.walk(stmt.annotation):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                return node.value.strip("\"' ").rsplit(".", 1)[-1] or None
            if isinstance(node, ast.Name) and node.id not in ("Mapped", "list", "List",
                                                              "Optional", "set", "Set"):
                return node.id
    return None


def _is_lazy(call: ast.Call) -> bool:
    lazy = keyword(call, "lazy")
    if lazy is None:
        kwargs = keyword(call, "sa_relationship_kwargs")
        if isinstance(kwargs, ast.Dict):
            for k, v in zip(kwargs.keys, kwargs.values, strict=True):
                if const_str(k) == "lazy":
                    lazy = v
    if lazy is None:
        return True
    return const(lazy) in ("select", True)
