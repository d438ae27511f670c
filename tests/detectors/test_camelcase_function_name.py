from checks.detectors.code.camelcase_function_name import CamelcaseFunctionName, snake
from checks.model import Status
from tests.helpers import found, run, status

SOURCE = """\
def getUserOrders(userId):
    def innerHelper():
        pass


async def _fetchRow():
    pass


def snake_case_ok():
    pass


def URL():
    pass


class Handler:
    def doPost(self):
        pass
"""


def test_flags_module_level_camelcase_functions_only() -> None:
    report = run(CamelcaseFunctionName, {"app/users.py": SOURCE, "tests/test_u.py": SOURCE})
    assert found(report) == [("CODE-08", "app/users.py", 1), ("CODE-08", "app/users.py", 6)]
    assert report.result("CODE-08").findings[0].hint.startswith(
        "Rename it to `get_user_orders`"
    )
    assert status(report, "CODE-08") is Status.WARN


def test_snake() -> None:
    assert snake("getUserID") == "get_user_id"
    assert snake("_parseRow") == "_parse_row"
    assert snake("toJSONString") == "to_json_string"
