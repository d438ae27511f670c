import gzip
import io
import tarfile

import pytest

from checks.model import Note
from checks.pyfile import parse
from checks.source import Limits, SourceTree, TarballError


def _tarball(members: list[tuple[str, bytes | None, bytes]]) -> bytes:
    """(name, content or None for a symlink, type) -> gzip'd tar bytes."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, content, kind in members:
            info = tarfile.TarInfo(name)
            info.type = kind
            if kind == tarfile.SYMTYPE:
                info.linkname = "/etc/passwd"
                tar.addfile(info)
            else:
                data = content or b""
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue())


def test_tarball_strips_top_folder_and_skips_links_and_unsafe_names() -> None:
    data = _tarball([
        ("o-r-abc/app/main.py", b"x = 1\n", tarfile.REGTYPE),
        ("o-r-abc/logo.png", b"\x89PNG", tarfile.REGTYPE),
        ("o-r-abc/link.py", None, tarfile.SYMTYPE),
        ("o-r-abc/../../evil.py", b"boom", tarfile.REGTYPE),
        ("/abs.py", b"boom", tarfile.REGTYPE),
    ])
    tree = SourceTree.from_tarball(data)
    assert tree.files == {"app/main.py": b"x = 1\n"}
    assert tree.paths == ["app/main.py", "logo.png"]
    assert sorted(n.path for n in tree.notes) == ["/abs.py", "o-r-abc/../../evil.py",
                                                  "o-r-abc/link.py"]
    assert tree.exists("logo.png") and not tree.exists("nope.png")


def test_not_a_tarball() -> None:
    with pytest.raises(TarballError, match="not a gzip'd tar"):
        SourceTree.from_tarball(b"<html>rate limited</html>")


def test_caps_end_reading_with_a_note() -> None:
    data = _tarball([(f"o-r-1/m{i}.py", b"x = 1\n" * 10, tarfile.REGTYPE) for i in range(5)])
    tree = SourceTree.from_tarball(data, Limits(max_members=3))
    assert len(tree.paths) == 3 and tree.notes[-1].kind == "limit"
    tree = SourceTree.from_tarball(data, Limits(max_file_bytes=10))
    assert tree.files == {} and all(n.kind == "skipped" for n in tree.notes)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"print 'py2'\n", "syntax error at line 1"),
        (b"x = 1\x00\n", "null bytes"),
        (b"# -*- coding: klingon -*-\nx = 1\n", "cannot decode"),
        (b"x = " + b"(" * 300 + b"1" + b")" * 300 + b"\n", "not reviewed"),
    ],
)
def test_unparsable_python_becomes_a_note(data: bytes, fragment: str) -> None:
    result = parse("bad.py", data)
    assert isinstance(result, Note) and result.kind == "parse" and fragment in result.message


def test_latin1_cookie_bom_and_crlf_parse() -> None:
    latin = parse("a.py", "# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1"))
    assert not isinstance(latin, Note) and "café" in latin.text
    bom = parse("b.py", b"\xef\xbb\xbfx = 1\r\ny = 2\r\n")
    assert not isinstance(bom, Note) and bom.line(2) == "y = 2"


def test_imports_map() -> None:
    f = parse("app/api/users.py", b"import os.path\nimport requests as rq\n"
              b"from .models import User\nfrom ..db import session as s\n"
              b"try:\n    import ujson as json\nexcept ImportError:\n    import json\n")
    assert not isinstance(f, Note)
    assert f.imports == {"os": "os", "rq": "requests", "User": ".models.User",
                         "s": "..db.session", "json": "ujson"}
    assert f.module_name == "app.api.users"


def test_node_index_is_in_source_order_and_skips_ctx() -> None:
    import ast

    f = parse("a.py", b"def f():\n    g(1)\n    h(2)\nclass C:\n    def m(self): k()\n")
    assert not isinstance(f, Note)
    calls = f.nodes(ast.Call)
    assert [c.func.id for c in calls] == ["g", "h", "k"]  # type: ignore[attr-defined]
    defs = f.nodes(ast.FunctionDef, ast.ClassDef)
    assert [d.name for d in defs] == ["f", "C", "m"]  # type: ignore[attr-defined]
    assert f.nodes(ast.Load) == []
    assert f.nodes(ast.Call) is calls  # built once


def test_hostile_python_files_become_notes_and_the_review_goes_on() -> None:
    from checks import engine
    from checks.detectors.observability.print_instead_of_logging import PrintInsteadOfLogging

    generated = b"DATA = [" + b"1, " * 1_700_000 + b"]\n"  # a 5 MB single line
    minified = b"DATA = [" + b"1, " * 40_000 + b"]\n"  # one 120 kB line
    files: dict[str, bytes | str] = {
        "gen/data.py": generated,
        "gen/min.py": minified,
        "py2.py": b"print 'hello'\n",
        "nul.py": b"x = 1\x00\n",
        "deep.py": b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "future.py": b"type X[T] = list[T]\ndef f[T](x: T) -> T: ...\nmatch x:\n case _: pass\n",
        "latin.py": "# -*- coding: latin-1 -*-\ns = 'é'\n".encode("latin-1"),
        "bom.py": b"\xef\xbb\xbfprint('bom')\r\n",
        "app/svc.py": "def f():\n    print('x')\n",
    }
    report = engine.review(SourceTree.from_files(files), detectors=[PrintInsteadOfLogging])
    assert sorted(n.path for n in report.notes if n.kind == "parse") == [
        "deep.py", "gen/data.py", "gen/min.py", "nul.py", "py2.py"]
    assert sorted((f.path, f.start_line) for f in report.findings) == [
        ("app/svc.py", 2), ("bom.py", 1)]
    assert report.python_files == 4  # future, latin, bom, app/svc
