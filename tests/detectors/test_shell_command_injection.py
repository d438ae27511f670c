from checks.detectors.security.shell_command_injection import ShellCommandInjection
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BAD = """\
import asyncio
import os
import subprocess
from subprocess import Popen


def convert(name, cmd, branch):
    subprocess.run(f"convert {name} out.png", shell=True)
    Popen(cmd, shell=True)
    os.system("git checkout " + branch)
    line = "tar czf %s.tgz ." % name
    out = subprocess.check_output(line, shell=True)
    text = subprocess.getoutput(cmd)
    return os.popen(cmd).read(), out, text


async def run(name):
    return await asyncio.create_subprocess_shell("ls {}".format(name))
"""


def test_flags_commands_built_for_a_shell() -> None:
    report = run(ShellCommandInjection, {"app/tools.py": BAD})
    assert found(report) == [
        ("SEC-15", "app/tools.py", line) for line in (8, 9, 10, 12, 13, 14, 18)
    ]
    assert status(report, "SEC-15") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-15")}
    assert by_line[8].severity is Severity.HIGH
    assert by_line[8].message.startswith("subprocess.run(..., shell=True) runs a command "
                                         "formatted from values")
    assert by_line[9].severity is Severity.MEDIUM
    assert by_line[12].severity is Severity.HIGH


GOOD = """\
import os
import subprocess

CLEAN = "rm -rf build"


def convert(name):
    subprocess.run(["convert", name, "out.png"], check=True)
    subprocess.run(f"convert {name}", shell=False)
    subprocess.run("ls -l", shell=True)
    os.system(CLEAN)
    os.system("make " + "all")
"""


def test_constant_commands_and_argument_lists_pass() -> None:
    files = {"app/tools.py": GOOD, "tests/test_tools.py": BAD}
    report = run(ShellCommandInjection, files)
    assert found(report) == []
    assert status(report, "SEC-15") is Status.PASS


def test_command_line_tools_are_low() -> None:
    src = (
        "import os\n"
        "import click\n"
        "@click.argument('lang')\n"
        "def init(lang):\n"
        "    os.system(f'pybabel init -l {lang}')\n"
    )
    report = run(ShellCommandInjection, {"app/cli.py": src})
    assert found(report) == [("SEC-15", "app/cli.py", 5)]
    assert findings(report, "SEC-15")[0].severity is Severity.LOW


def test_functions_imported_under_other_names_are_found() -> None:
    src = """\
from asyncio import create_subprocess_shell as spawn
from subprocess import run as sp_run


def listing(path):
    sp_run(f"ls {path}", shell=True)
    sp_run(["ls", path])


async def archive(path):
    return await spawn("tar czf out.tgz " + path)
"""
    report = run(ShellCommandInjection, {"app/tools.py": src})
    assert found(report) == [("SEC-15", "app/tools.py", 6), ("SEC-15", "app/tools.py", 11)]
    by_line = {f.start_line: f for f in findings(report, "SEC-15")}
    assert by_line[6].message.startswith("subprocess.run(..., shell=True)")
    assert by_line[11].message.startswith("asyncio.create_subprocess_shell()")
