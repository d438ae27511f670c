"""Network call that can wait forever, or for minutes: no timeout, or ``timeout=None``.

## What it flags
In service code (tests, migrations, examples, docs and developer scripts left out):

- ``requests.get/post/put/patch/delete/head/options/request(...)`` and the same methods of a
  ``requests.Session`` without ``timeout=``, or with ``timeout=None``; session calls are not
  flagged when the project mounts its own ``HTTPAdapter`` subclass that sets a timeout;
- ``httpx`` calls, ``httpx.Client``/``AsyncClient`` and ``httpx.Timeout`` given ``timeout=None``
  (httpx's own default of 5 seconds is fine, so an omitted timeout is not flagged);
- ``aiohttp.ClientSession()`` and ``aiohttp.request()`` without ``timeout=`` (the default
  ``ClientTimeout`` allows 5 minutes), unless the file passes ``timeout=`` per request;
- ``urllib.request.urlopen``, ``http.client.HTTPConnection``, ``smtplib.SMTP`` and
  ``socket.create_connection`` without a timeout, unless ``socket.setdefaulttimeout()`` is
  called somewhere in service code;
- ``boto3.client()``/``boto3.resource()`` without ``config=``, or with an inline
  ``botocore.config.Config`` that sets neither ``connect_timeout`` nor ``read_timeout`` (low
  severity: botocore waits 60 seconds for each).

Names are resolved through imports (``from requests import get as fetch; fetch(url)``) and client
objects are followed to their method calls. A call passing ``**kwargs`` may carry a timeout and is
not flagged.

## Why it matters
``requests`` and the standard library wait forever by default: a dependency that accepts the
connection and stops answering blocks the worker thread, then the pool, then the service (the
failure spreads upstream). A bounded timeout turns a hung dependency into a fast, handled error.

## Example
```python
import requests

def rates():
    return requests.get("https://api.example.com/rates").json()
```

## Use instead
```python
def rates():
    return requests.get("https://api.example.com/rates", timeout=(3.05, 10)).json()
```

## References
- Requests, Timeouts: https://requests.readthedocs.io/en/latest/user/advanced/#timeouts
- HTTPX, Timeouts: https://www.python-httpx.org/advanced/timeouts/
- aiohttp, Timeouts: https://docs.aiohttp.org/en/stable/client_quickstart.html#timeouts
- Bandit B113, request_without_timeout: https://bandit.readthedocs.io/en/latest/plugins/b113_request_without_timeout.html
- CWE-400, Uncontrolled Resource Consumption: https://cwe.mitre.org/data/definitions/400.html
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.observability._syntax import import_tops, statements
from checks.detectors.resilience._outbound import (
    AIOHTTP,
    HTTPX,
    OUTBOUND_NAMES,
    REQUEST_METHODS,
    REQUESTS,
    URLLIB,
    Clients,
    clients,
    is_service_file,
)
from checks.detectors.security._common import keyword_names
from checks.model import Severity
from checks.pyfile import PyFile

_HTTPX_CLIENTS = frozenset({"httpx.Client", "httpx.AsyncClient"})
_AIOHTTP_SESSIONS = frozenset({"aiohttp.ClientSession", "aiohttp.client.ClientSession"})
# Standard-library constructors whose timeout falls back to socket.getdefaulttimeout(), with the
# position of ``timeout`` when it may be passed positionally (-1: keyword only).
_SOCKET_DEFAULT: dict[str, int] = {
    "http.client.HTTPConnection": 2,
    "http.client.HTTPSConnection": -1,
    "smtplib.SMTP": 3,
    "smtplib.SMTP_SSL": -1,
    "socket.create_connection": 1,
}
_MAX_POSITIONAL = {"http.client.HTTPSConnection": 2, "smtplib.SMTP_SSL": 3}
_BOTO_FACTORIES = frozenset({"boto3.client", "boto3.resource"})
_BOTO_SESSIONS = frozenset({"boto3.Session", "boto3.session.Session"})
_HTTP_ADAPTER = frozenset({"requests.adapters.HTTPAdapter", "requests.HTTPAdapter"})
_CHECKED = ("socket.setdefaulttimeout", *_HTTPX_CLIENTS, "httpx.Timeout", *_AIOHTTP_SESSIONS,
            *_SOCKET_DEFAULT, *_BOTO_FACTORIES)
"""Every name a call is checked against, besides outbound calls and boto3 session methods."""
_MODULES = frozenset(name.split(".", 1)[0] for name in (*_CHECKED, *_BOTO_SESSIONS))
"""Top-level modules of every name a call is checked against."""
_BOTO_METHODS = ("client", "resource")
"""Methods of a boto3 session that make a client."""


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A finding that a project-wide fact may still cancel (see ``kind``)."""

    kind: str  # "plain" | "session" (requests.Session) | "socket" (socket default) | "aiohttp"
    path: str
    line: int
    end_line: int
    message: str
    hint: str
    severity: Severity | None = None


_REQUESTS_HINT = ("Pass timeout=(connect, read) in seconds, e.g. timeout=(3.05, 10), or set one "
                  "default on a session adapter.")
_NONE_HINT = "Give a finite timeout; use a larger read timeout for known slow calls."
_SOCKET_HINT = "Pass timeout= (seconds), or call socket.setdefaulttimeout() once at start-up."
_AIOHTTP_HINT = ("Pass timeout=aiohttp.ClientTimeout(total=..., connect=...) sized for the "
                 "dependency, to the session or to each request.")
_BOTO_HINT = ("Pass config=botocore.config.Config(connect_timeout=..., read_timeout=..., "
              "retries={...}) sized for the call path.")


class HttpCallWithoutTimeout(Detector):
    """Flags outbound calls without a bounded timeout (see module docstring)."""

    slug = "http-call-without-timeout"
    items = ("RES-03",)

    calls = OUTBOUND_NAMES | frozenset(
        (*(name.rsplit(".", 1)[-1] for name in _CHECKED), *_BOTO_METHODS))

    def __init__(self) -> None:
        super().__init__()
        self._candidates: list[_Candidate] = []
        self._checked = 0
        self._adapter: str | None = None
        self._default_timeout: str | None = None
        self._per_request_timeout: set[str] = set()
        self._clients: Clients | None = None
        self._calls_on = False
        self._boto_sessions: set[str] = set()

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        self._clients = clients(f) if is_service_file(f) else None
        self._boto_sessions = set()
        if self._clients is None:
            self._calls_on = False
            return False
        # Every call this detector checks resolves into one of _MODULES (or is a method of a
        # client object, which needs an HTTP import): the other files' calls are not judged.
        self._calls_on = self._clients.active or not import_tops(f).isdisjoint(_MODULES)
        if f.imports_module("boto3", "aiohttp"):
            for node, _depth in statements(f):
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and (
                    pyast.call_name(node.value, f) in _BOTO_SESSIONS
                ):
                    self._boto_sessions.update(
                        n for t in node.targets if (n := pyast.dotted(t)) is not None)
        return True

    def end_file(self, ctx: FileContext) -> None:
        """A requests ``HTTPAdapter`` subclass that sets a timeout (the last one found counts),
        and whether an aiohttp client of the file is given a timeout per request, both read
        from the file's node index."""
        f = ctx.file
        for node in f.nodes(ast.ClassDef):
            if any(_may_be_adapter(b, f) for b in node.bases) and any(
                    pyast.resolve(b, f) in _HTTP_ADAPTER for b in node.bases) and (
                    _mentions_timeout(node)):
                self._adapter = f"{ctx.path}:{node.lineno}"
        if self._clients is None or not f.imports_module("boto3", "aiohttp") or (
                "timeout" not in keyword_names(f)):
            return
        for call in f.nodes(ast.Call):
            if (isinstance(call.func, ast.Attribute)
                    and call.func.attr in REQUEST_METHODS
                    and pyast.keyword(call, "timeout") is not None
                    and self._clients.names.get(pyast.dotted(call.func.value) or "") == AIOHTTP):
                self._per_request_timeout.add(ctx.path)
                break

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not self._calls_on or self._clients is None:
            return
        name = pyast.call_name(node, ctx.file) or ""
        if name == "socket.setdefaulttimeout" and node.args and (
            pyast.const(node.args[0]) is not None
        ):
            self._default_timeout = f"{ctx.path}:{node.lineno}"
            return
        if pyast.has_kwargs_splat(node):
            return
        out = self._clients.outbound(node)
        if out is not None:
            self._checked += 1
            self._outbound(node, ctx, out.library, out.name, out.method)
        elif name in _HTTPX_CLIENTS or name == "httpx.Timeout":
            self._checked += 1
            timeout = pyast.argument(node, 0, "timeout") if name == "httpx.Timeout" else (
                pyast.keyword(node, "timeout"))
            if timeout is not None and pyast.const(timeout) is None:
                self._add("plain", ctx, node, f"`{name}(timeout=None)` disables httpx's default "
                          "5 s timeout: requests through it can wait forever", _NONE_HINT)
        elif name in _AIOHTTP_SESSIONS:
            self._checked += 1
            if pyast.keyword(node, "timeout") is None:
                self._add("aiohttp", ctx, node, f"`{name}()` without `timeout=`: aiohttp's "
                          "default ClientTimeout lets each request run for 5 minutes",
                          _AIOHTTP_HINT, Severity.LOW)
        elif name in _SOCKET_DEFAULT:
            self._checked += 1
            self._socket_default(node, ctx, name)
        else:
            self._boto(node, ctx, name)

    def _outbound(self, node: ast.Call, ctx: FileContext, library: str, name: str,
                  method: bool) -> None:
        timeout = pyast.keyword(node, "timeout")
        if library == URLLIB:
            timeout = pyast.argument(node, 2, "timeout")
        if timeout is not None and pyast.const(timeout) is None:
            self._add("plain", ctx, node, f"`{name}(timeout=None)` disables the timeout: the "
                      "call can wait forever", _NONE_HINT)
            return
        if timeout is not None:
            return
        if library == REQUESTS:
            self._add("session" if method else "plain", ctx, node,
                      f"`{name}()` without `timeout=`: requests has no default timeout, so a "
                      "server that stops answering blocks this call forever", _REQUESTS_HINT)
        elif library == URLLIB:
            self._add("socket", ctx, node, f"`{name}()` without a timeout: it waits on the "
                      "socket default, which is no timeout at all", _SOCKET_HINT)
        elif library == AIOHTTP and not method:
            self._add("aiohttp", ctx, node, f"`{name}()` without `timeout=`: aiohttp's "
                      "default ClientTimeout lets the request run for 5 minutes", _AIOHTTP_HINT,
                      Severity.LOW)
        elif library == HTTPX:
            return  # httpx applies its 5 s default

    def _socket_default(self, node: ast.Call, ctx: FileContext, name: str) -> None:
        position = _SOCKET_DEFAULT[name]
        if len(node.args) > _MAX_POSITIONAL.get(name, 99) or any(
            isinstance(a, ast.Starred) for a in node.args
        ):
            return  # an older positional signature: cannot tell which argument is the timeout
        timeout = pyast.argument(node, position, "timeout") if position >= 0 else (
            pyast.keyword(node, "timeout"))
        if timeout is None:
            self._add("socket", ctx, node, f"`{name}()` without a timeout: it waits on the "
                      "socket default, which is no timeout at all", _SOCKET_HINT)

    def _boto(self, node: ast.Call, ctx: FileContext, name: str) -> None:
        func = node.func
        is_factory = name in _BOTO_FACTORIES or (
            isinstance(func, ast.Attribute) and func.attr in _BOTO_METHODS and (
                (isinstance(func.value, ast.Call)
                 and pyast.call_name(func.value, ctx.file) in _BOTO_SESSIONS)
                or pyast.dotted(func.value) in self._boto_sessions
            )
        )
        if not is_factory:
            return
        self._checked += 1
        service = pyast.const_str(pyast.argument(node, 0, "service_name"))
        label = f"{name or pyast.dotted(func) or 'client'}({service!r})" if service else (
            f"{name or pyast.dotted(func)}()")
        config = pyast.keyword(node, "config")
        if config is None:
            self._add("plain", ctx, node, f"`{label}` without a botocore Config: connect and "
                      "read timeouts default to 60 s each", _BOTO_HINT, Severity.LOW)
        elif isinstance(config, ast.Call) and (pyast.call_name(config, ctx.file) or "").endswith(
            "Config"
        ) and not pyast.has_kwargs_splat(config) and not any(
            pyast.keyword(config, k) is not None for k in ("connect_timeout", "read_timeout")
        ):
            self._add("plain", ctx, node, f"`{label}` with a Config that sets no "
                      "connect_timeout/read_timeout: both default to 60 s", _BOTO_HINT,
                      Severity.LOW)

    def _add(self, kind: str, ctx: FileContext, node: ast.Call, message: str, hint: str,
             severity: Severity | None = None) -> None:
        self._candidates.append(_Candidate(kind, ctx.path, node.lineno,
                                           node.end_lineno or node.lineno, message, hint,
                                           severity))

    def finish(self, project: Project) -> None:
        reported = 0
        for c in self._candidates:
            if c.kind == "session" and self._adapter is not None:
                continue
            if c.kind == "socket" and self._default_timeout is not None:
                continue
            if c.kind == "aiohttp" and c.path in self._per_request_timeout:
                continue
            reported += 1
            self.report("RES-03", c.path, c.line, c.message, c.hint, end_line=c.end_line,
                        severity=c.severity)
        if not self._checked:
            self.not_applicable("RES-03", "no outbound HTTP, SMTP, socket or AWS client calls "
                                "in service code")
        elif not reported:
            self.evidence("RES-03", f"{self._checked} outbound calls or clients checked: all "
                          "bounded by a timeout")
        if self._adapter is not None:
            self.evidence("RES-03", f"requests sessions get a default timeout from the "
                          f"HTTPAdapter subclass at {self._adapter}")
        if self._default_timeout is not None:
            self.evidence("RES-03", f"socket.setdefaulttimeout() at {self._default_timeout}")


def _may_be_adapter(base: ast.expr, f: PyFile) -> bool:
    """False for a base class that cannot resolve to an ``HTTPAdapter`` (a cheap test first)."""
    if base.__class__ is ast.Attribute:
        return base.attr == "HTTPAdapter"
    if base.__class__ is ast.Name:
        return f.imports.get(base.id, "").endswith("HTTPAdapter")
    return False


def _mentions_timeout(node: ast.AST) -> bool:
    """True when a name, attribute, argument or string under ``node`` says ``timeout``."""
    for n in ast.walk(node):
        text: object = None
        if isinstance(n, ast.Name):
            text = n.id
        elif isinstance(n, ast.Attribute):
            text = n.attr
        elif isinstance(n, ast.arg | ast.keyword):
            text = n.arg
        elif isinstance(n, ast.Constant):
            text = n.value
        if isinstance(text, str) and "timeout" in text.lower():
            return True
    return False
