"""Service address (database, cache, broker or internal API) hard-coded in the code.

## What it flags
In service code (not tests, migrations, scripts, samples, nor settings files meant for local,
development or test use):

- a string literal that is a URL with a host, for databases, caches and brokers
  (``postgresql://``, ``mysql://``, ``mongodb://``, ``redis://``, ``amqp://``, ``kafka://``...)
  whose host is not local (``localhost``, ``127.0.0.1``, ``host.docker.internal``...);
- an ``http(s)://``, ``ws(s)://`` or ``grpc://`` URL whose host is internal: an IP address, a
  one-label name (``http://billing:8080``), an internal domain (``.internal``, ``.local``,
  ``.svc``, ``.cluster.local``, ``.corp``, ``.lan``, ``.consul``) or a ``prod``/``staging`` label;
- a Django ``DATABASES`` entry (a dict with ``ENGINE``) whose ``HOST`` is a literal other than a
  local host, and a literal ``host=`` passed to a database, cache or broker client.

A literal that is the default of an environment read (``os.getenv("DB_URL", "...")``,
``os.environ.get(...) or "..."``, ``decouple.config(..., default=...)``, django-environ, a field
of a pydantic ``BaseSettings`` class) is configuration already: it is flagged only when it names
a real environment's host (an IP, a domain name, a ``prod``/``staging`` label), not a local or
docker-compose service name. Docstrings and ``examples=``/``description=`` values are skipped.
Passwords in a URL are never repeated in the message.

## Why it matters
An address baked into code must be edited, rebuilt and redeployed to move a database or to run
the same image in staging; one image per environment breaks dev/prod parity, and tests end up
pointed at production (DEPLOY-08, the Twelve-Factor App's "config").

## Example
```python
engine = create_engine("postgresql://app@prod-db.internal:5432/orders")
```

## Use instead
```python
engine = create_engine(settings.database_url)  # read once from DATABASE_URL
```

## References
- The Twelve-Factor App, III. Config: https://12factor.net/config
- CWE-547, Use of Hard-coded, Security-relevant Constants: https://cwe.mitre.org/data/definitions/547.html
"""

from __future__ import annotations

import ast
import ipaddress
import posixpath
import re
from urllib.parse import urlsplit

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.observability._facts import in_service_dir
from checks.detectors.security._common import keyword_names
from checks.pyfile import PyFile

_DATA_SCHEMES = frozenset({
    "postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss",
    "amqp", "amqps", "kafka", "nats", "mssql", "oracle", "clickhouse", "cockroachdb",
    "memcached", "cassandra", "neo4j", "bolt", "sqs", "elasticsearch", "opensearch",
})
_WEB_SCHEMES = frozenset({"http", "https", "ws", "wss", "grpc", "grpcs"})
_URL = re.compile(r"^([a-z][a-z0-9.+-]*)://\S+$", re.IGNORECASE)
_LOCAL = frozenset({"localhost", "host.docker.internal", "0.0.0.0",  # noqa: S104 - a host we skip
                    "::", "test", "testserver", "example", "127.0.0.1", "::1", ""})
_INTERNAL_SUFFIXES = (".internal", ".local", ".svc", ".cluster.local", ".corp", ".lan",
                      ".intranet", ".consul", ".private", ".localdomain")
_ENV_LABELS = frozenset({"prod", "production", "staging", "stg", "stage", "internal", "intranet",
                         "corp", "private", "svc"})
_SKIP_FILE_TOKENS = frozenset({"local", "dev", "development", "test", "tests", "testing", "ci",
                               "example", "examples", "sample", "demo", "conftest", "setup",
                               "noxfile", "fabfile", "tasks"})
_SKIP_DIRS = frozenset({"scripts", "bin", "tools", "fixtures", "management"})
_ENV_CALLS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "decouple.config",
                        "environ.get", "getenv"})
_DOC_KEYWORDS = frozenset({"example", "examples", "description", "help", "title", "summary",
                           "doc", "json_schema_extra", "openapi_examples", "help_text"})
_CLIENT_MODULES = ("psycopg2", "psycopg", "asyncpg", "pymysql", "MySQLdb", "aiomysql", "redis",
                   "pymongo", "motor", "pika", "aio_pika", "kafka", "aiokafka", "elasticsearch",
                   "pymemcache", "cassandra", "clickhouse_driver", "nats")


def _label_hits(host: str) -> bool:
    return bool(set(re.split(r"[.-]", host)) & _ENV_LABELS)


def classify(scheme: str, host: str) -> str | None:
    """Why ``host`` in a ``scheme`` URL is a hard-coded service address, or None when it is
    local, public (for web schemes) or a placeholder. Returns ``"strong"`` for an IP address, a
    domain or an environment label, ``"name"`` for a one-label (compose-style) name."""
    host = host.lower().strip("[]")
    if host in _LOCAL or host.endswith((".localhost", ".example", ".test", ".invalid")):
        return None
    if re.search(r"[{}<>%$*]", host) or "example." in host:
        return None
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        return None if ip.is_loopback or ip.is_unspecified else "strong"
    internal = host.endswith(_INTERNAL_SUFFIXES) or _label_hits(host)
    if scheme in _WEB_SCHEMES:
        if "." not in host:
            return "strong" if internal else "name"
        return "strong" if internal else None
    if "." in host or internal:
        return "strong"
    return "name"


def url_host(text: str) -> tuple[str, str] | None:
    """``(scheme, host)`` of a literal URL with a host, or None."""
    m = _URL.match(text.strip())
    if m is None:
        return None
    scheme = m.group(1).lower()
    base = scheme.split("+", 1)[0] if scheme != "mongodb+srv" else scheme
    if base not in _DATA_SCHEMES and base not in _WEB_SCHEMES:
        return None
    try:
        parts = urlsplit(text.strip())
        host = parts.hostname or ""
    except ValueError:
        return None
    return base, host


def _skip_file(path: str) -> bool:
    parts = [p.lower() for p in path.split("/")]
    tokens = set(re.split(r"[._-]+", posixpath.basename(parts[-1])))
    return (
        not in_service_dir(path)
        or bool(tokens & _SKIP_FILE_TOKENS)
        or any(p in _SKIP_DIRS for p in parts[:-1])
    )


class HardcodedServiceAddress(Detector):
    """Flags hard-coded service addresses in service code (see module docstring)."""

    slug = "hardcoded-service-address"
    items = ("DEPLOY-08",)

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        return not (f.is_test or f.is_migration or _skip_file(f.path))

    def end_file(self, ctx: FileContext) -> None:
        """Flag Django DATABASES hosts and client calls given a literal ``host=``, then the
        file's URL literals, judged now that the file's docstrings, documentation keywords and
        environment-read defaults are known (they all enclose the literal). Everything is read
        from the file's node index; the file's text must hold "HOST", "host" or "://" as well,
        as it always had to."""
        f = ctx.file
        reported_hosts: set[int] = set()
        for entry in f.nodes(ast.Dict):
            if any(k.__class__ is ast.Constant and k.value == "HOST"
                   for k in entry.keys) and "HOST" in f.text:
                self._database(entry, ctx, reported_hosts)
        if "host" in keyword_names(f) and "host" in f.text:
            self._host_arguments(ctx)
        if "://" not in f.text:
            return
        candidates: list[tuple[ast.Constant, str, str, str]] = []
        for literal in f.nodes(ast.Constant):
            value = literal.value
            if value.__class__ is not str or "://" not in value:
                continue
            found = url_host(value)
            if found is None:
                continue
            scheme, host = found
            kind = classify(scheme, host)
            if kind is not None:
                candidates.append((literal, scheme, host, kind))
        if not candidates:
            return
        ignored, defaults = _markers(f)
        ignored |= reported_hosts
        in_settings = _in_settings_classes(f)
        for node, scheme, host, kind in candidates:
            if id(node) in ignored:
                continue
            in_settings_class = id(node) in in_settings
            if (id(node) in defaults or in_settings_class) and kind != "strong":
                continue
            where = "as the default of an environment read" if (
                id(node) in defaults or in_settings_class
            ) else "in the code"
            self._report(ctx, node, scheme, host, f"{scheme} URL {where}")

    def _database(self, node: ast.Dict, ctx: FileContext, reported_hosts: set[int]) -> None:
        keys = {pyast.const_str(k): v for k, v in zip(node.keys, node.values, strict=True)
                if k is not None}
        if "ENGINE" not in keys or "HOST" not in keys:
            return
        host = pyast.const_str(keys["HOST"])
        if host is not None and classify("postgresql", host) is not None:
            reported_hosts.add(id(keys["HOST"]))
            self._report(ctx, keys["HOST"], "host", host, "Django DATABASES HOST")

    def _host_arguments(self, ctx: FileContext) -> None:
        """``redis.Redis(host="10.0.0.5")``: a client is known by its module, whatever the
        called name (``Redis``, ``StrictRedis``, ``connect``, ``MongoClient``...), so the calls
        are read from the file's index here rather than each handed to a handler."""
        for node in ctx.file.nodes(ast.Call):
            if not any(kw.arg == "host" for kw in node.keywords):
                continue
            if _is_env_read(node, ctx.file):
                continue
            name = pyast.call_name(node, ctx.file) or ""
            if name.split(".", 1)[0] in _CLIENT_MODULES:
                host = pyast.const_str(pyast.keyword(node, "host"))
                if host is not None and classify("redis", host) is not None:
                    self._report(ctx, node, "host", host, f"`{name}(host=...)`")

    def finish(self, project: Project) -> None:
        if not self.findings:
            self.evidence("DEPLOY-08", "no hard-coded database, cache, broker or internal "
                                       "service address in service code")

    def _report(self, ctx: FileContext, node: ast.AST, scheme: str, host: str, what: str) -> None:
        self.report_node(
            "DEPLOY-08", ctx, node,
            f"Service address hard-coded: {what} points at host `{host}`",
            "Read the address from configuration (an environment variable such as DATABASE_URL, "
            "loaded once into a settings object); keep only local development defaults in code.",
            key=f"{self.slug}:{scheme}:{host}",
        )


def _is_env_read(call: ast.Call, f: PyFile) -> bool:
    name = pyast.call_name(call, f) or ""
    if name in _ENV_CALLS or name.endswith((".getenv", "environ.get")):
        return True
    head = pyast.dotted(call.func) or ""
    return head in ("env", "config") or head.startswith("env.")


def _markers(f: PyFile) -> tuple[set[int], set[int]]:
    """Ids of the nodes inside a docstring-like statement or a documentation keyword
    (``description=...``), and of those inside the default of an environment read
    (``os.getenv("X", default)``, ``os.environ.get("X") or default``)."""
    ignored: set[int] = set()
    defaults: set[int] = set()
    for stmt in f.nodes(ast.Expr):
        if isinstance(stmt.value, ast.Constant):
            ignored.add(id(stmt.value))
    for call in f.nodes(ast.Call):
        for kw in call.keywords:
            if kw.arg in _DOC_KEYWORDS:
                ignored.update(id(n) for n in ast.walk(kw.value))
        if _is_env_read(call, f):
            for arg in [*call.args[1:], *(kw.value for kw in call.keywords)]:
                defaults.update(id(n) for n in ast.walk(arg))
    for op in f.nodes(ast.BoolOp):
        first = op.values[0]
        if isinstance(op.op, ast.Or) and isinstance(first, ast.Call) and _is_env_read(first, f):
            for value in op.values[1:]:
                defaults.update(id(n) for n in ast.walk(value))
    return ignored, defaults


def _in_settings_classes(f: PyFile) -> set[int]:
    """Ids of the nodes in the body of a settings class (``class S(BaseSettings)``), where
    an address is a default the environment overrides."""
    return {id(n) for c in f.nodes(ast.ClassDef) if _settings_class(c)
            for stmt in c.body for n in ast.walk(stmt)}


def _settings_class(node: ast.ClassDef) -> bool:
    return any((pyast.dotted(b) or "").endswith("Settings") for b in node.bases)
