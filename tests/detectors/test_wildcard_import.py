from checks.detectors.code.wildcard_import import WildcardImport
from checks.model import Status
from tests.helpers import found, run, status


def test_flags_wildcard_imports_in_service_code() -> None:
    source = "import os\nfrom app.models import *\nfrom .utils import *\nfrom x import y\n"
    report = run(WildcardImport, {"app/views.py": source})
    assert found(report) == [("CODE-08", "app/views.py", 2), ("CODE-08", "app/views.py", 3)]
    assert report.result("CODE-08").findings[1].message == (
        "Wildcard import `from .utils import *`: the names it brings in are invisible"
    )
    assert status(report, "CODE-08") is Status.WARN


def test_init_settings_tests_and_migrations_are_left_alone() -> None:
    files = {
        "app/__init__.py": "from .api import *\n",
        "proj/settings/production.py": "from .base import *\n",
        "tests/test_x.py": "from app import *\n",
        "app/migrations/0001_initial.py": "from django.db import *\n",
    }
    report = run(WildcardImport, files)
    assert found(report) == []
    assert status(report, "CODE-08") is Status.PASS
    assert report.result("CODE-08").evidence == [
        "only wildcard imports, camelCase function names and tab indentation are checked here; "
        "a linter (CODE-09) covers the rest of PEP 8"
    ]
