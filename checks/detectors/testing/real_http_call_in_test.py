"""A unit test that calls a real external HTTP service.

## What it flags
In test files, calls of ``requests.get/post/.../request``, ``httpx.get/post/.../request/stream``
and ``urllib.request.urlopen`` whose URL is a literal (or an f-string starting with one) on a
public host (not ``localhost``, loopback, ``testserver``, a dotless container name or a reserved
``.test``/``.local``/``.localhost`` domain), in a file that mocks nothing: it imports no
``unittest.mock``/``mock``, responses, respx, pytest-httpx, requests-mock, VCR.py,
pytest-recording, httpretty, aioresponses or betamax, and no test in it takes the ``mocker``,
``monkeypatch``, ``requests_mock``, ``httpx_mock``, ``respx_mock`` or ``httpserver`` fixture.
Tests marked ``network``/``online``/``integration``/``e2e``/``external``/``live``, tests under
``integration``/``e2e``/``smoke``/``live`` folders, and projects whose ``conftest.py`` installs an
HTTP mocking library or whose pytest config blocks the network are left alone.

## Why it matters
A test that reaches a third-party API is slow, fails when the network or the vendor does, can
hit rate limits or charge real money, and can leak credentials from CI; the test's verdict then
depends on someone else's uptime (TEST-07).

## Example
```python
def test_exchange_rate():
    rate = requests.get("https://api.exchangerate.host/latest").json()["rates"]["EUR"]
    assert rate > 0
```

## Use instead
```python
def test_exchange_rate(responses):
    responses.get("https://api.exchangerate.host/latest", json={"rates": {"EUR": 0.9}})
    assert fetch_rate("EUR") == 0.9
```

## References
- responses: https://github.com/getsentry/responses
- RESPX (httpx): https://lundberg.github.io/respx/
- pytest-recording (VCR.py cassettes): https://github.com/kiwicom/pytest-recording
- Martin Fowler, Eradicating Non-Determinism in Tests: https://martinfowler.com/articles/nonDeterminism.html
"""

from __future__ import annotations

import ast
import ipaddress
import posixpath
from urllib.parse import urlsplit

from checks import pyast
from checks.detector import Detector, FileContext, Project

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
_CALLS = {
    **{f"requests.{v}": 0 for v in _VERBS},
    **{f"httpx.{v}": 0 for v in _VERBS},
    "requests.request": 1,
    "httpx.request": 1,
    "httpx.stream": 1,
    "urllib.request.urlopen": 0,
    "urllib3.request": 1,
}
_MOCK_MODULES = ("unittest.mock", "mock", "responses", "respx", "pytest_httpx", "requests_mock",
                 "vcr", "pytest_recording", "httpretty", "aioresponses", "betamax", "pook",
                 "pytest_httpserver", "pytest_mock")
_HTTP_MOCK_MODULES = ("responses", "respx", "pytest_httpx", "requests_mock", "vcr",
                      "pytest_recording", "httpretty", "aioresponses", "betamax", "pook")
_MOCK_FIXTURES = frozenset({"mocker", "monkeypatch", "requests_mock", "httpx_mock", "respx_mock",
                            "responses", "mocked_responses", "aioresponses", "httpserver",
                            "vcr", "vcr_cassette", "mock_requests"})
_LIVE_MARKS = frozenset({"network", "online", "integration", "e2e", "external", "live",
                         "internet", "vcr", "webtest", "remote_data", "requires_network"})
_LIVE_DIRS = frozenset({"integration", "integration_tests", "e2e", "smoke", "live",
                        "system", "functional", "acceptance", "external"})
_BLOCKING_CONFIG = ("--disable-socket", "--block-network", "--record-mode", "--allow-hosts")
_LOCAL_HOSTS = frozenset({"localhost", "testserver", "host.docker.internal"})
_RESERVED_SUFFIXES = (".test", ".local", ".localhost", ".invalid", ".internal", ".lan")


class RealHttpCallInTest(Detector):
    """Flags tests that call real external URLs with nothing mocked (see module docstring)."""

    slug = "real-http-call-in-test"
    items = ("TEST-07",)
    calls = frozenset(n.rsplit(".", 1)[-1] for n in _CALLS)

    def __init__(self) -> None:
        super().__init__()
        self._candidates: list[tuple[str, int, int, str, str]] = []
        self._file_candidates: list[tuple[str, int, int, str, str]] = []
        self._global_mock: str | None = None
        self._skip = True

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        self._file_candidates = []
        self._skip = not f.is_test
        if self._skip:
            return False
        if posixpath.basename(f.path) == "conftest.py" and f.imports_module(*_HTTP_MOCK_MODULES):
            self._global_mock = self._global_mock or f"HTTP mocking installed in {f.path}"
        parts = f.path.lower().split("/")
        if (
            f.imports_module(*_MOCK_MODULES)
            or any(p in _LIVE_DIRS for p in parts[:-1])
            or _module_marked_live(f.tree)
        ):
            self._skip = True
        return not self._skip

    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: FileContext) -> None:
        self._visit_function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, ctx: FileContext) -> None:
        self._visit_function(node)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self._skip:
            return
        args = node.args
        if any(a.arg in _MOCK_FIXTURES for a in [*args.posonlyargs, *args.args,
                                                  *args.kwonlyargs]):
            self._skip = True  # a mocking fixture anywhere in the file: the file mocks
            self._file_candidates = []

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        name = pyast.call_name(node, ctx.file)
        position = _CALLS.get(name or "")
        if position is None or name is None:
            return
        url = _leading_text(pyast.argument(node, position, "url"))
        if url is None or not _is_public(url):
            return
        if any(_marked_live(fn.decorator_list, ctx) for fn in ctx.functions
               if not isinstance(fn, ast.Lambda)):
            return
        if any(_marked_live(cls.decorator_list, ctx) for cls in ctx.classes):
            return
        end = node.end_lineno or node.lineno
        self._file_candidates.append((ctx.path, node.lineno, end, name, url))

    def end_file(self, ctx: FileContext) -> None:
        if not self._skip:
            self._candidates.extend(self._file_candidates)
        self._file_candidates = []

    def finish(self, project: Project) -> None:
        blocked = self._global_mock or _network_blocked(project)
        if blocked:
            self.evidence("TEST-07", blocked)
            return
        for path, line, end, name, url in self._candidates:
            self.report(
                "TEST-07", path, line,
                f"test calls the real service {url} with {name}() and nothing in the file "
                "mocks HTTP",
                "Stub the HTTP call (responses, respx, pytest-httpx or unittest.mock) or record "
                "it once with pytest-recording; mark genuinely live tests "
                "@pytest.mark.network so they can be deselected.",
                end_line=end,
            )
        if not self._candidates:
            self.evidence("TEST-07", "no test calls a public URL without mocking")


def _leading_text(node: ast.expr | None) -> str | None:
    """The literal text a URL argument starts with (whole string, or an f-string's head)."""
    text = pyast.const_str(node)
    if text is not None:
        return text
    if isinstance(node, ast.JoinedStr) and node.values:
        return pyast.const_str(node.values[0])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _leading_text(node.left)
    return None


def _is_public(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    # A dotless host is a container or service name; an f-string head like "https://api."
    # has no complete host name.
    if parts.scheme not in ("http", "https") or "." not in host.strip("."):
        return False
    if host in _LOCAL_HOSTS or host.endswith(_RESERVED_SUFFIXES):
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return True
    return ip.is_global


def _mark_names(decorators: list[ast.expr], ctx: FileContext) -> list[str]:
    out = []
    for dec in decorators:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = pyast.resolve(target, ctx.file) or ""
        if name.startswith("pytest.mark."):
            out.append(name.rsplit(".", 1)[-1])
    return out


def _marked_live(decorators: list[ast.expr], ctx: FileContext) -> bool:
    return any(m in _LIVE_MARKS for m in _mark_names(decorators, ctx))


def _module_marked_live(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            for sub in ast.walk(node.value):
                if isinstance(sub, ast.Attribute) and sub.attr in _LIVE_MARKS:
                    return True
    return False


def _network_blocked(project: Project) -> str | None:
    for path in ("pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini"):
        text = project.text(path)
        if text is not None:
            for flag in _BLOCKING_CONFIG:
                if flag in text:
                    return f"pytest runs with {flag} ({path})"
    return None
