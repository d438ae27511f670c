"""All four renderers on reports the engine makes, whatever detectors are registered."""

import json

import jsonschema

from checks import engine
from checks.diff import Diff
from checks.model import Report
from checks.render import jsonreport, markdown, sarif, text
from checks.source import SourceTree
from tests.render.test_sarif import validate

FILES = {
    "app/main.py": "import requests\n\n\ndef pay(order):\n    print('paying', order)\n"
                   "    return requests.post('https://pay.example', json=order)\n",
    "app/db.py": "def find(cursor, name):\n"
                 "    cursor.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n",
    "app/broken.py": "def (:\n",
    "Dockerfile": "FROM python:3.12\nCOPY . .\nCMD python app/main.py\n",
    "README.md": "# shop\n",
}

DIFF = """\
diff --git a/app/db.py b/app/db.py
new file mode 100644
index 0000000..1111111
--- /dev/null
+++ b/app/db.py
@@ -0,0 +1,2 @@
+def find(cursor, name):
+    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")
"""


def reviews() -> list[Report]:
    tree = SourceTree.from_files(dict(FILES))
    return [engine.review(tree, Diff.parse(DIFF)), engine.review(tree, None, full=True)]


def test_every_format_renders_engine_reports_deterministically() -> None:
    for first, second in zip(reviews(), reviews(), strict=True):
        for render in (markdown.render, text.render, jsonreport.render):
            assert render(first) == render(second)
        assert sarif.render(first, version="1") == sarif.render(second, version="1")
        assert markdown.title(first) == markdown.title(second)


def test_engine_reports_are_valid_in_every_format() -> None:
    for report in reviews():
        summary = markdown.render(report)
        assert len(summary.encode("utf-8")) <= markdown.SUMMARY_LIMIT
        assert summary.startswith("## ")
        assert text.render(report).splitlines()[-1].startswith(report.conclusion.value)
        jsonschema.Draft202012Validator(jsonreport.SCHEMA).validate(
            json.loads(jsonreport.render(report)))
        log = validate(sarif.render(report))
        assert len(log["runs"][0]["results"]) == sum(1 for f in report.findings if f.path)
        assert "`app/broken.py`" in summary  # the file that did not parse is a note
