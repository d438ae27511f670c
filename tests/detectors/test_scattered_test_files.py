from checks.detectors.code.scattered_test_files import ScatteredTestFiles
from checks.model import Status
from tests.helpers import found, run, status

TEST = "def test_x() -> None:\n    pass\n"


def test_flags_test_modules_outside_the_tests_folder() -> None:
    files = {
        "app/billing.py": "x = 1\n",
        "app/test_billing.py": "def test_x():\n    pass\n",
        "app/orders_test.py": "def test_y():\n    pass\n",
        "tests/test_orders.py": "def test_z():\n    pass\n",
        "tests/unit/test_lines.py": "",
        "dev/load_test.py": "import requests\n\nrequests.get('http://localhost')\n",
        "tests/conftest.py": "",
        "docs/test_snippet.py": "",
    }
    report = run(ScatteredTestFiles, files)
    assert found(report) == [
        ("CODE-07", "app/orders_test.py", 0),
        ("CODE-07", "app/test_billing.py", 0),
    ]
    assert status(report, "CODE-07") is Status.WARN


def test_consistent_layouts_pass() -> None:
    colocated = run(ScatteredTestFiles, {"app/a.py": "", "app/test_a.py": TEST})
    assert found(colocated) == []
    assert colocated.result("CODE-07").evidence == ["1 test modules, all placed beside the code"]
    folder = run(ScatteredTestFiles, {"app/a.py": "", "tests/unit/test_a.py": TEST})
    assert found(folder) == []
    assert folder.result("CODE-07").evidence == ["1 test modules under tests/"]


def test_per_package_tests_folders_are_a_layout_not_a_mess() -> None:
    files = {"shop/tests/test_a.py": TEST, "members/tests/test_b.py": TEST,
             "members/test_forms.py": TEST}
    report = run(ScatteredTestFiles, files)
    assert found(report) == []
    assert report.result("CODE-07").evidence == [
        "3 test modules kept beside their packages (members/tests/, shop/tests/)"
    ]


def test_no_tests_is_not_applicable() -> None:
    report = run(ScatteredTestFiles, {"app/a.py": ""})
    assert status(report, "CODE-07") is Status.NOT_APPLICABLE
