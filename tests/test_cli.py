"""``archreview review / explain / items`` on the bundled example and on bad input."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "shop"
CHANGE = ROOT / "examples" / "shop.diff"


def test_example_fails_on_the_added_sql_injection(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(EXAMPLE), "--diff", str(CHANGE), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["conclusion"] == "failure"
    blocking = [(f["path"], f["start_line"]) for item in report["items"]
                for f in item["findings"] if f["blocking"]]
    assert blocking == [("app/api/orders.py", 41)]
    statuses = {item["id"]: item["status"] for item in report["items"]}
    assert statuses["SEC-08"] == "fail" and statuses["OBS-06"] == "skipped"
    assert statuses["DB-01"] == "needs-attestation"


def test_the_diff_can_come_from_standard_input(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(CHANGE.read_bytes())))
    assert main(["review", str(EXAMPLE), "--diff", "-", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {d["id"] for d in report["domains"]} >= {"SEC", "API"}
    assert report["conclusion"] == "failure"


def test_every_format_renders(tmp_path: Path) -> None:
    for fmt in ("text", "markdown", "json", "sarif"):
        out = tmp_path / f"report.{fmt}"
        assert main(["review", str(EXAMPLE), "--diff", str(CHANGE), "--format", fmt,
                     "--output", str(out)]) == 1
        assert "SEC-08" in out.read_text(encoding="utf-8")


def _copy(tmp_path: Path) -> Path:
    repo = tmp_path / "shop"
    shutil.copytree(EXAMPLE, repo)
    return repo


def test_config_waivers_apply_locally_too(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    repo = _copy(tmp_path)
    (repo / ".github").mkdir(exist_ok=True)
    (repo / ".github" / "archreview.yml").write_text(
        "waivers:\n  - item: SEC-08\n    reason: reviewed\n    owner: alice\n"
        "    expires: 2099-12-31\n")
    assert main(["review", str(repo), "--diff", str(CHANGE), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {i["id"]: i["status"] for i in report["items"]}["SEC-08"] == "waived"


def test_a_symlinked_config_is_not_read(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    repo = _copy(tmp_path)
    secret = tmp_path / "credentials"
    secret.write_text("https://bot:ghp_SECRETSECRET@github.com\n")
    (repo / ".github").mkdir(exist_ok=True)
    os.symlink(secret, repo / ".github" / "archreview.yml")
    main(["review", str(repo), "--diff", str(CHANGE)])
    err = capsys.readouterr().err
    assert "symbolic link: not read" in err and "ghp_SECRET" not in err


@pytest.mark.parametrize(("args", "message"), [
    (["--diff", "garbage"], "contains no unified diff"),
    (["--diff", "elsewhere"], "none of its files exist"),
    (["--config", "missing.yml"], "no such file"),
    (["--base=--independent"], "is not a ref"),
])
def test_bad_arguments_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        args: list[str], message: str) -> None:
    (tmp_path / "garbage").write_bytes(os.urandom(4096))
    (tmp_path / "elsewhere").write_text(CHANGE.read_text().replace("app/api/", "other/"))
    args = [a if not a.startswith(("garbage", "elsewhere", "missing")) else str(tmp_path / a)
            for a in args]
    assert main(["review", str(EXAMPLE), *args]) == 2
    assert message in capsys.readouterr().err


def test_explain_and_items(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "sec-8"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SEC-08  SQL injection is prevented") and "sql-injection" in out
    assert main(["explain", "NOPE-99"]) == 2
    assert main(["items"]) == 0
    assert "| SEC-08 | SQL injection is prevented" in capsys.readouterr().out


def _git(repo: Path, *args: str) -> None:
    from bot.local import git

    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", *args)


def test_untracked_links_and_odd_names_are_never_read(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    repo = _copy(tmp_path)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:SECRET_MARKER\n")
    (repo / "app" / "local_settings.py").symlink_to(secret)
    (repo / "app" / "dangling.py").symlink_to(tmp_path / "missing.py")
    (repo / "loop").mkdir()
    (repo / "loop" / "self").symlink_to(repo / "loop")
    os.mkdir(os.fsencode(repo / "app") + b"/bad\xfe")
    with open(os.fsencode(repo / "app") + b"/bad\xfe/x.py", "wb") as f:
        f.write(b"print('hi')\n")
    (repo / "app" / "new.py").write_text("import os\n\nos.system('ls ' + os.environ['X'])\n")
    code = main(["review", str(repo), "--base", "main", "--format", "json"])
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert "SECRET_MARKER" not in out.out + out.err
    paths = {f["path"] for item in report["items"] for f in item["findings"]}
    assert "app/new.py" in paths and "app/local_settings.py" not in paths
    odd_names = [n["message"] for n in report["notes"] if "UTF-8" in n["message"]]
    assert odd_names == ["not read: the file name is not valid UTF-8"]
    assert code == 1  # the added shell command blocks


def test_config_errors_name_the_file_given(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "team.yml"
    bad.write_text("blocking:\n  scope: nowhere\n")
    assert main(["review", str(EXAMPLE), "--diff", str(CHANGE), "--config", str(bad)]) == 1
    assert f"archreview: {bad}: blocking.scope (line 2):" in capsys.readouterr().err
