"""TLS certificate or host verification turned off, or an obsolete TLS version.

## What it flags
- ``verify=False`` on requests and httpx calls, sessions and clients (``requests.get``,
  ``session.post``, ``httpx.Client``, ``httpx.AsyncClient``), boto3 clients and resources, and
  ``session.verify = False``;
- aiohttp ``ssl=False``, ``verify_ssl=False`` (on requests and ``TCPConnector``),
  Elasticsearch/OpenSearch ``verify_certs=False``;
- ``ssl._create_unverified_context()``, assigning it to ``ssl._create_default_https_context``;
- ``ssl.CERT_NONE`` given as ``verify_mode``, ``cert_reqs`` or ``ssl_cert_reqs``, as a keyword or
  a dict entry (Celery's ``broker_use_ssl``), also the string ``"CERT_NONE"`` urllib3 accepts;
  ``check_hostname = False``;
- ``urllib3.disable_warnings()`` (low: it hides the warning unverified requests raise);
- Paramiko ``set_missing_host_key_policy(AutoAddPolicy()|WarningPolicy())``, which trusts any
  SSH host key;
- ``ssl.wrap_socket()`` without ``cert_reqs=ssl.CERT_REQUIRED`` (it verifies nothing by default,
  and is gone since Python 3.12);
- SSL 2/3, TLS 1.0 and 1.1, as an argument or a parameter default:
  ``ssl.PROTOCOL_SSLv2/SSLv3/TLSv1/TLSv1_1``, ``minimum_version = ssl.TLSVersion.TLSv1``,
  pyOpenSSL ``SSL.SSLv3_METHOD``/``SSL.TLSv1_METHOD`` (not ``SSLv23_METHOD``, which negotiates
  the highest version).

Tests are skipped: they often talk to local servers with self-signed certificates.

## Why it matters
Without certificate and host name checks, anyone on the network path (a proxy, a hostile
Wi-Fi, a compromised router, a DNS spoof) can present their own certificate, read the traffic
including credentials and tokens, and change it. Encryption without authentication of the peer
is not encryption in transit. SSL 3 and TLS 1.0/1.1 have known attacks and are deprecated
(RFC 8996).

## Example
```python
resp = requests.get(url, verify=False)
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
```

## Use instead
```python
resp = requests.get(url, verify="/etc/ssl/internal-ca.pem")  # trust a private CA explicitly
ctx = ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
```

## References
- CWE-295, Improper Certificate Validation: https://cwe.mitre.org/data/definitions/295.html
- requests, SSL certificate verification:
  https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification
- Python ``ssl``, security considerations:
  https://docs.python.org/3/library/ssl.html#security-considerations
- RFC 8996, deprecating TLS 1.0 and 1.1: https://www.rfc-editor.org/rfc/rfc8996
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, FileContext
from checks.detectors.security._common import call_name, keyword_names, mentions
from checks.model import Severity
from checks.pyast import called_last
from checks.pyfile import PyFile

_HTTP_LIBS = ("requests", "httpx", "boto3", "botocore", "aiohttp", "urllib3", "elasticsearch",
              "opensearchpy", "pysolr", "zeep", "hvac", "kubernetes", "docker", "gitlab",
              "github", "slack_sdk", "openai", "niquests", "treq")
_HTTP_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream",
     "Session", "Client", "AsyncClient", "client", "resource", "ClientSession", "TCPConnector",
     "ws_connect", "urlopen", "PoolManager", "HTTPSConnectionPool", "connection_from_url",
     "Elasticsearch", "AsyncElasticsearch", "OpenSearch", "AsyncOpenSearch", "build_opener"}
)
_VERIFY_KEYWORDS = ("verify", "verify_ssl", "verify_certs", "ssl")
_CERT_KEYWORDS = ("cert_reqs", "ssl_cert_reqs", "verify_mode")
_KEYWORDS = frozenset({*_VERIFY_KEYWORDS, *_CERT_KEYWORDS})
_CERT_KEYS = frozenset(_CERT_KEYWORDS)
# Calls judged by their name whatever their arguments (by the last part of it).
_NAMED_CALLS = frozenset({"_create_unverified_context", "_create_stdlib_context", "wrap_socket"})
_DISABLE_WARNINGS = "disable_warnings"  # urllib3.disable_warnings(), matched on the name's end
_HOST_KEY_POLICY = "set_missing_host_key_policy"  # paramiko
_ASSIGNED_ATTRS = frozenset({"check_hostname", "verify", "verify_mode",
                             "_create_default_https_context", "minimum_version",
                             "maximum_version", "protocol"})
_OLD_PROTOCOLS = frozenset(
    {"ssl.PROTOCOL_SSLv2", "ssl.PROTOCOL_SSLv3", "ssl.PROTOCOL_TLSv1", "ssl.PROTOCOL_TLSv1_1",
     "ssl.TLSVersion.SSLv3", "ssl.TLSVersion.TLSv1", "ssl.TLSVersion.TLSv1_1"}
)
# pyOpenSSL's method constants, matched on ``SSL.<name>`` whatever the package is imported as.
# SSLv23_METHOD is not among them: it negotiates the highest version both sides support.
_OLD_METHODS = frozenset({"SSLv2_METHOD", "SSLv3_METHOD", "TLSv1_METHOD", "TLSv1_1_METHOD"})
# The last part of every obsolete protocol's name: an attribute of this name (``ssl.X``,
# ``SSL.X``) or a name imported as one (``from ssl import X``) is the only way to write one.
_PROTOCOL_NAMES = frozenset({n.rsplit(".", 1)[-1] for n in _OLD_PROTOCOLS} | _OLD_METHODS)
_HINT = (
    "Keep verification on; to trust an internal CA, pass its bundle (verify=\"/path/ca.pem\", "
    "ssl.create_default_context(cafile=...)) instead of disabling checks."
)


class TlsVerificationDisabled(Detector):
    """Flags disabled TLS verification and obsolete protocols (see module docstring)."""

    slug = "tls-verification-disabled"
    items = ("SEC-05",)
    # Calls are judged by the keywords they pass (verify=False, cert_reqs=...) and the protocol
    # constants among their arguments, whatever they are named, so end_file reads them from
    # the file's node index, in a file that has such a keyword, a call judged by its name (the
    # only ones handed to visit_Call) or a protocol constant. The attributes handed to
    # visit_Attribute say whether the file names a protocol constant or assigns one of
    # _ASSIGNED_ATTRS; assignments and dict entries are read from the index too.
    calls = _NAMED_CALLS | {_DISABLE_WARNINGS, _HOST_KEY_POLICY}
    attributes = _PROTOCOL_NAMES | _ASSIGNED_ATTRS

    def __init__(self) -> None:
        super().__init__()
        self._named = False
        self._protocol_attrs = False
        self._assigned_attrs = False

    def start_file(self, ctx: FileContext) -> bool:
        self._named = self._protocol_attrs = self._assigned_attrs = False
        return not ctx.file.is_test

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        self._named = True

    def visit_Attribute(self, node: ast.Attribute, ctx: FileContext) -> None:
        if node.attr in _PROTOCOL_NAMES:
            self._protocol_attrs = True
        if node.attr in _ASSIGNED_ATTRS:
            self._assigned_attrs = True

    def end_file(self, ctx: FileContext) -> None:
        f = ctx.file
        protocols = self._protocol_attrs or _imports_protocol(f)
        if protocols or self._named or _HOST_KEY_POLICY in f.imports or not (
                _KEYWORDS.isdisjoint(keyword_names(f))) or mentions(
                f, _DISABLE_WARNINGS):  # a name that only ends in it
            for node in f.nodes(ast.Call):
                self._call(node, ctx, protocols)
        if protocols:
            for args in f.nodes(ast.arguments):
                self._defaults(args, ctx)
        if self._assigned_attrs:
            for assign in f.nodes(ast.Assign):
                self._assign(assign, ctx)
        for entry in f.nodes(ast.Dict):
            for key in entry.keys:
                if key.__class__ is ast.Constant and key.value in _CERT_KEYS:
                    self._dict(entry, ctx)
                    break

    def _call(self, node: ast.Call, ctx: FileContext, protocols: bool) -> None:
        if not protocols:
            for kw in node.keywords:
                if kw.arg in _KEYWORDS:
                    break
            else:
                last = called_last(node, ctx.file)
                if last not in _NAMED_CALLS and not last.endswith(_DISABLE_WARNINGS) and (
                        pyast.attr_name(node) != _HOST_KEY_POLICY):
                    return  # nothing below can apply to this call
        name = call_name(node, ctx.file)
        method = pyast.attr_name(node) or ""
        if name in ("ssl._create_unverified_context", "ssl._create_stdlib_context"):
            self._flag(ctx, node, f"{name}() makes a context that checks no certificate")
            return
        if name.endswith(_DISABLE_WARNINGS) and "urllib3" in name:
            self._flag(ctx, node, f"{name}() hides the warnings unverified HTTPS requests raise",
                       Severity.LOW)
            return
        if method == _HOST_KEY_POLICY and node.args:
            policy = node.args[0]
            pname = pyast.resolve(policy.func if isinstance(policy, ast.Call) else policy,
                                  ctx.file) or ""
            if pname.rsplit(".", 1)[-1] in ("AutoAddPolicy", "WarningPolicy"):
                self._flag(ctx, node, f"set_missing_host_key_policy({pname.rsplit('.', 1)[-1]})"
                                      " trusts any SSH host key",
                           hint="Load known hosts (client.load_system_host_keys()) and keep the "
                                "default RejectPolicy.")
            return
        http_call = name.startswith(tuple(f"{lib}." for lib in _HTTP_LIBS)) or (
            method in _HTTP_METHODS)
        for kw in node.keywords:
            if kw.arg in _VERIFY_KEYWORDS and pyast.is_false(kw.value) and http_call:
                if kw.arg == "ssl" and not ("aiohttp" in name or method in _HTTP_METHODS):
                    continue
                self._flag(ctx, node, f"{_short(node)}({kw.arg}=False) sends requests without "
                                      "checking the server's certificate")
            elif kw.arg in _CERT_KEYWORDS and _is_cert_none(kw.value, ctx):
                self._flag(ctx, node, f"{_short(node)}({kw.arg}=CERT_NONE) accepts any "
                                      "certificate")
        if name == "ssl.wrap_socket" and not _is_cert_required(pyast.keyword(node, "cert_reqs"),
                                                               ctx):
            self._flag(ctx, node, "ssl.wrap_socket() checks no certificate unless "
                                  "cert_reqs=CERT_REQUIRED (and was removed in Python 3.12)",
                       hint=_PROTOCOL_HINT)
        for arg in [*node.args, *(kw.value for kw in node.keywords)]:
            proto = _old_protocol(arg, ctx)
            if proto:
                self._flag(ctx, node, f"{proto} is an obsolete protocol with known attacks",
                           hint=_PROTOCOL_HINT)

    def _defaults(self, node: ast.arguments, ctx: FileContext) -> None:
        for default in [*node.defaults, *(d for d in node.kw_defaults if d is not None)]:
            proto = _old_protocol(default, ctx)
            if proto:
                self._flag(ctx, default, f"{proto} as a parameter default: callers that omit "
                                         "it get an obsolete protocol with known attacks",
                           hint=_PROTOCOL_HINT)

    def _assign(self, node: ast.Assign, ctx: FileContext) -> None:
        for t in node.targets:
            attr = t.attr if isinstance(t, ast.Attribute) else None
            if attr not in _ASSIGNED_ATTRS:
                continue
            if attr == "check_hostname" and pyast.is_false(node.value):
                self._flag(ctx, node, f"{ast.unparse(t)} = False accepts a certificate issued "
                                      "for any host name")
            elif attr == "verify" and pyast.is_false(node.value):
                self._flag(ctx, node, f"{ast.unparse(t)} = False sends every request of the "
                                      "session without checking certificates")
            elif attr == "verify_mode" and _is_cert_none(node.value, ctx):
                self._flag(ctx, node, f"{ast.unparse(t)} = CERT_NONE accepts any certificate")
            elif attr == "_create_default_https_context" and pyast.resolve(
                    node.value, ctx.file) == "ssl._create_unverified_context":
                self._flag(ctx, node, "ssl._create_default_https_context is replaced by "
                                      "_create_unverified_context: no HTTPS request of the process "
                                      "checks certificates")
            elif attr in ("minimum_version", "maximum_version", "protocol") and (
                    _old_protocol(node.value, ctx)):
                self._flag(ctx, node, f"{_old_protocol(node.value, ctx)} is an obsolete "
                                      "protocol with known attacks", hint=_PROTOCOL_HINT)

    def _dict(self, node: ast.Dict, ctx: FileContext) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            k = pyast.const_str(key)
            if k in _CERT_KEYWORDS and _is_cert_none(value, ctx):
                self._flag(ctx, value, f"\"{k}\": CERT_NONE accepts any certificate")

    def _flag(self, ctx: FileContext, node: ast.AST, message: str,
              severity: Severity = Severity.HIGH, hint: str = _HINT) -> None:
        self.report_node("SEC-05", ctx, node, message, hint, severity=severity)


_PROTOCOL_HINT = (
    "Use ssl.create_default_context() (or PROTOCOL_TLS_CLIENT) and set minimum_version = "
    "ssl.TLSVersion.TLSv1_2."
)


def _imports_protocol(f: PyFile) -> bool:
    """True when a name ``f`` imports is an obsolete protocol (``from ssl import
    PROTOCOL_TLSv1 as P``): every one has "SSLv" or "TLSv1" in its name."""
    targets = " ".join(f.imports.values())
    if "SSLv" not in targets and "TLSv1" not in targets:
        return False
    return any(t.rpartition(".")[2] in _PROTOCOL_NAMES for t in f.imports.values())


def _old_protocol(node: ast.expr, ctx: FileContext) -> str | None:
    """``TLSv1`` for ``ssl.PROTOCOL_TLSv1`` or ``SSL.TLSv1_METHOD``; None for anything else."""
    name = pyast.resolve(node, ctx.file) or ""
    last = name.rsplit(".", 1)[-1]
    if name in _OLD_PROTOCOLS or (last in _OLD_METHODS and name.endswith(f"SSL.{last}")):
        return last
    return None


def _is_cert_required(node: ast.expr | None, ctx: FileContext) -> bool:
    name = pyast.resolve(node, ctx.file) or "" if node is not None else ""
    return name.endswith("CERT_REQUIRED") or pyast.const_str(node) == "CERT_REQUIRED"


def _is_cert_none(node: ast.expr, ctx: FileContext) -> bool:
    if (pyast.const_str(node) or "").upper() in ("CERT_NONE", "NONE"):
        return True
    return (pyast.resolve(node, ctx.file) or "").endswith(("ssl.CERT_NONE",
                                                           "VerifyMode.CERT_NONE"))


def _short(call: ast.Call) -> str:
    text = ast.unparse(call.func)
    return text if len(text) <= 40 else "..." + text[-37:]
