from checks.diff import Diff
from checks.domains import touched_domains
from checks.model import Domain


def _diff(path: str, added: list[str], new: bool = False) -> str:
    head = f"diff --git a/{path} b/{path}\n"
    if new:
        head += "new file mode 100644\n--- /dev/null\n"
    else:
        head += f"--- a/{path}\n"
    body = "".join(f"+{line}\n" for line in added)
    start = "0,0" if new else "1,0"
    return head + f"+++ b/{path}\n@@ -{start} +1,{len(added)} @@\n" + body


def test_paths_and_content_give_reasons() -> None:
    text = _diff("app/models.py", ["x = 1"]) + _diff(
        "alembic/versions/3f2a.py", ["op.add_column('t', c)"], new=True
    ) + _diff("app/api/users.py", ['rows = cursor.execute(f"SELECT {x}")'])
    domains = touched_domains(Diff.parse(text))
    assert domains[Domain.DB][:2] == [
        "`app/models.py` modified",
        "`alembic/versions/3f2a.py` added",
    ]
    assert "added `.execute(` in `app/api/users.py`" in domains[Domain.SEC]
    assert Domain.API in domains
    assert Domain.DEPLOY not in domains


def test_docs_only_change_touches_documentation_only() -> None:
    domains = touched_domains(Diff.parse(_diff("docs/guide.md", ["Hello"])))
    assert list(domains) == [Domain.DOC]


def test_dockerfile_and_workflow() -> None:
    text = _diff("Dockerfile", ["FROM python:3.12"]) + _diff(
        ".github/workflows/ci.yml", ["on: push"], new=True
    )
    domains = touched_domains(Diff.parse(text))
    assert "`Dockerfile` modified" in domains[Domain.DEPLOY]
    assert "`.github/workflows/ci.yml` added" in domains[Domain.DEPLOY]
    assert Domain.TEST in domains
    assert Domain.DB not in domains


def test_reasons_are_folded() -> None:
    text = "".join(_diff(f"pkg/models/m{i}.py", ["x = 1"]) for i in range(9))
    reasons = touched_domains(Diff.parse(text))[Domain.DB]
    assert len(reasons) == 5 and reasons[-1] == "and 5 more"


def test_words_inside_other_words_do_not_touch_domains() -> None:
    text = _diff("app/x.py", ["# we already did this", "middleware.insert(0, m)"])
    domains = touched_domains(Diff.parse(text))
    assert Domain.OBS not in domains and Domain.DB not in domains


def test_a_migration_of_an_app_named_api_touches_the_database_not_the_api() -> None:
    text = _diff("api/migrations/0003_order_note.py", ["    operations = []"], new=True) + _diff(
        "users/migrations/0002_auto.py", ["    dependencies = []"], new=True)
    domains = touched_domains(Diff.parse(text))
    assert domains[Domain.DB] == ["`api/migrations/0003_order_note.py` added",
                                  "`users/migrations/0002_auto.py` added"]
    assert Domain.API not in domains and Domain.SEC not in domains


def test_front_end_folders_named_like_backend_code_touch_nothing_of_it() -> None:
    text = (_diff("client/src/api/orders.ts", ["export const x = 1"])
            + _diff("frontend/src/auth/Login.tsx", ["export {}"])
            + _diff("web/models/user.js", ["module.exports = {}"]))
    domains = touched_domains(Diff.parse(text))
    for domain in (Domain.API, Domain.RES, Domain.SEC, Domain.DB, Domain.COMP):
        assert domain not in domains
    python = _diff("app/clients/payments.py", ["import httpx"]) + _diff(
        "app/api/orders.py", ["x = 1"])
    domains = touched_domains(Diff.parse(python))
    assert domains[Domain.RES][0] == "`app/clients/payments.py` modified"
    assert domains[Domain.API] == ["`app/api/orders.py` modified"]
