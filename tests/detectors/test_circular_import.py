from checks.detectors.code.circular_import import (
    CircularImport,
    shortest_cycle,
    strongly_connected,
)
from checks.model import Status
from tests.helpers import found, run, status


def test_reports_each_cycle_once_on_first_module_import_line() -> None:
    files = {
        "app/__init__.py": "",
        "app/models.py": "import json\nfrom app.services import price_of\n",
        "app/services.py": "from . import models\n",
        "app/api.py": "from app import models, services\n",
    }
    report = run(CircularImport, files)
    assert found(report) == [("CODE-03", "app/models.py", 2)]
    assert report.result("CODE-03").findings[0].message == (
        "Import cycle: app.models -> app.services -> app.models"
    )
    assert status(report, "CODE-03") is Status.WARN


def test_function_level_and_type_checking_imports_are_not_edges() -> None:
    files = {
        "app/__init__.py": "",
        "app/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                    "    from app.b import B\n",
        "app/b.py": "def f():\n    from app import a\n    return a\n",
        "app/c.py": "import app.d\n",
        "app/d.py": "try:\n    from app.c import x\nexcept ImportError:\n    x = None\n",
    }
    report = run(CircularImport, files)
    assert found(report) == [("CODE-03", "app/c.py", 1)]


def test_src_layout_longer_cycle_and_package_init() -> None:
    files = {
        "src/shop/__init__.py": "from shop.core import db\n",
        "src/shop/core/__init__.py": "",
        "src/shop/core/db.py": "from shop.orders import views\n",
        "src/shop/orders/__init__.py": "",
        "src/shop/orders/views.py": "from shop import settings\nimport shop\n",
        "src/shop/settings.py": "x = 1\n",
        "tests/test_x.py": "import shop.core.db\n",
    }
    report = run(CircularImport, files)
    assert found(report) == [("CODE-03", "src/shop/__init__.py", 1)]
    assert report.result("CODE-03").findings[0].message == (
        "Import cycle: shop -> shop.core.db -> shop.orders.views -> shop"
    )


def test_no_cycle_passes_with_evidence() -> None:
    report = run(CircularImport, {"a.py": "import b\n", "b.py": "import os\n"})
    assert found(report) == []
    assert report.result("CODE-03").evidence == ["no import cycle among 2 service modules"]


def test_tarjan_and_shortest_cycle() -> None:
    graph = {"a": ["b"], "b": ["c", "a"], "c": ["a"], "d": ["d"], "e": []}
    components = sorted(sorted(c) for c in strongly_connected(graph))
    assert components == [["a", "b", "c"], ["d"], ["e"]]
    assert shortest_cycle("a", graph, {"a", "b", "c"}) == ["a", "b", "a"]
    deep = {str(i): [str(i + 1)] for i in range(5000)}
    deep["5000"] = ["0"]
    assert len(strongly_connected(deep)) == 1
