"""Dependency manifests read from the in-memory tree, and the mapping from import names to the
distributions that provide them.

Manifests: ``requirements*.txt``/``*.in`` anywhere and any ``.txt``/``.in`` under a
``requirements/`` folder (``-r``/``-c`` includes followed inside the tree), ``pyproject.toml``
(PEP 621 dependencies and optional dependencies, PEP 735 groups, Poetry, PDM and uv dev
dependencies, Hatch environments, ``[build-system] requires``), ``Pipfile``, literal
``install_requires``/``extras_require``/``tests_require`` of ``setup.py``, ``setup.cfg``
``[options]``, and conda ``environment.yml`` (its ``pip:`` list included).
"""

from __future__ import annotations

import ast
import configparser
import posixpath
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from checks.detector import Project

_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_INCLUDE = re.compile(r"^\s*-[rc]\s*(\S+)|^\s*--(?:requirement|constraint)[= ](\S+)")
_EXTRAS = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)\[([A-Za-z0-9_,.\s-]+)\]")
_TOML_EXTRAS = re.compile(r"^\s*['\"]?([A-Za-z0-9][A-Za-z0-9._-]*)['\"]?\s*=\s*\{[^}\n]*extras\s*="
                          r"\s*\[([^\]]*)\]", re.M)
# What some well-known extras install, beyond a distribution of the extra's own name.
EXTRA_PROVIDES: dict[tuple[str, str], tuple[str, ...]] = {
    ("pydantic", "email"): ("email-validator",), ("pydantic", "dotenv"): ("python-dotenv",),
    ("uvicorn", "standard"): ("uvloop", "httptools", "websockets", "watchfiles",
                              "python-dotenv", "pyyaml"),
    ("fastapi", "all"): ("uvicorn", "httpx", "jinja2", "python-multipart", "email-validator",
                         "itsdangerous", "pyyaml", "ujson", "orjson", "pydantic-settings"),
    ("fastapi", "standard"): ("uvicorn", "httpx", "jinja2", "python-multipart",
                              "email-validator"),
    ("sqlalchemy", "asyncio"): ("greenlet",), ("python-jose", "cryptography"): ("cryptography",),
    ("passlib", "argon2"): ("argon2-cffi",), ("celery", "redis"): ("redis",),
    ("pyjwt", "crypto"): ("cryptography",), ("django-storages", "s3"): ("boto3",),
    ("django-storages", "boto3"): ("boto3",), ("django-storages", "google"): (
        "google-cloud-storage",), ("django-storages", "azure"): ("azure-storage-blob",),
    ("sentry-sdk", "fastapi"): (), ("psycopg", "binary"): ("psycopg-binary",),
    ("psycopg", "pool"): ("psycopg-pool",), ("httpx", "http2"): ("h2",),
    ("moto", "all"): ("boto3",), ("dramatiq", "redis"): ("redis",),
    ("dramatiq", "rabbitmq"): ("pika",), ("kombu", "sqs"): ("boto3",),
}
_SELF_INSTALL = re.compile(r"^\s*(-e\s+)?(\.|\.\[.*\]|file:\.?)\s*(#.*)?$")

# Import names whose distribution is named differently (lower-case import name -> names).
IMPORT_TO_DIST: dict[str, tuple[str, ...]] = {
    "yaml": ("pyyaml",), "jwt": ("pyjwt",), "pil": ("pillow",), "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",), "bs4": ("beautifulsoup4",), "dateutil": ("python-dateutil",),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python",
            "opencv-contrib-python-headless"),
    "mysqldb": ("mysqlclient",), "fitz": ("pymupdf",), "crypto": ("pycryptodome", "pycrypto"),
    "cryptodome": ("pycryptodomex",), "openssl": ("pyopenssl",), "dns": ("dnspython",),
    "nacl": ("pynacl",), "zmq": ("pyzmq",), "git": ("gitpython",), "github": ("pygithub",),
    "serial": ("pyserial",), "usb": ("pyusb",), "magic": ("python-magic",),
    "dotenv": ("python-dotenv",), "jose": ("python-jose",), "decouple": ("python-decouple",),
    "environ": ("django-environ",), "multipart": ("python-multipart",),
    "slugify": ("python-slugify", "awesome-slugify"), "docx": ("python-docx",),
    "pptx": ("python-pptx",), "socketio": ("python-socketio",), "engineio": ("python-engineio",),
    "telegram": ("python-telegram-bot",), "ldap": ("python-ldap",),
    "memcache": ("python-memcached",), "pythonjsonlogger": ("python-json-logger",),
    "attr": ("attrs",), "bson": ("pymongo",), "gridfs": ("pymongo",),
    "pkg_resources": ("setuptools",), "_pytest": ("pytest",), "factory": ("factory-boy",),
    "rest_framework": ("djangorestframework",), "corsheaders": ("django-cors-headers",),
    "debug_toolbar": ("django-debug-toolbar",), "django_filters": ("django-filter",),
    "crispy_forms": ("django-crispy-forms",), "allauth": ("django-allauth",),
    "storages": ("django-storages",),
    "rest_framework_simplejwt": ("djangorestframework-simplejwt",),
    "rest_framework_jwt": ("djangorestframework-jwt", "drf-jwt"),
    "import_export": ("django-import-export",), "mptt": ("django-mptt",),
    "taggit": ("django-taggit",), "guardian": ("django-guardian",),
    "oauth2_provider": ("django-oauth-toolkit",),
    "phonenumber_field": ("django-phonenumber-field",), "model_utils": ("django-model-utils",),
    "polymorphic": ("django-polymorphic",), "simple_history": ("django-simple-history",),
    "auditlog": ("django-auditlog",), "reversion": ("django-reversion",),
    "anymail": ("django-anymail",), "health_check": ("django-health-check",),
    "silk": ("django-silk",), "csp": ("django-csp",), "axes": ("django-axes",),
    "knox": ("django-rest-knox",), "compressor": ("django-compressor",),
    "widget_tweaks": ("django-widget-tweaks",), "ckeditor": ("django-ckeditor",),
    "haystack": ("django-haystack",), "constance": ("django-constance",),
    "waffle": ("django-waffle",), "rest_framework_gis": ("djangorestframework-gis",),
    "rest_framework_nested": ("drf-nested-routers",), "cacheops": ("django-cacheops",),
    "cachalot": ("django-cachalot",), "djmoney": ("django-money",),
    "social_django": ("social-auth-app-django",), "social_core": ("social-auth-core",),
    "hijack": ("django-hijack",), "sorl": ("sorl-thumbnail",), "imagekit": ("django-imagekit",),
    "treebeard": ("django-treebeard",), "braces": ("django-braces",),
    "autoslug": ("django-autoslug",), "tinymce": ("django-tinymce",),
    "two_factor": ("django-two-factor-auth",), "onelogin": ("python3-saml",),
    "saml2": ("pysaml2",), "win32api": ("pywin32",), "win32con": ("pywin32",),
    "pywintypes": ("pywin32",), "google": ("protobuf",), "grpc_tools": ("grpcio-tools",),
    "kafka": ("kafka-python", "kafka-python-ng"), "nats": ("nats-py",),
    "faust": ("faust-streaming",), "snappy": ("python-snappy",), "websocket": ("websocket-client",),
    "socks": ("pysocks",), "consul": ("python-consul", "python-consul2"),
    "logstash": ("python-logstash",), "fluent": ("fluent-logger",), "barcode": ("python-barcode",),
    "jsonpath_ng": ("jsonpath-ng",), "rapidjson": ("python-rapidjson",),
    "apscheduler": ("apscheduler",), "argon2": ("argon2-cffi",), "elasticapm": ("elastic-apm",),
    "past": ("future",), "ruamel": ("ruamel.yaml", "ruamel-yaml"), "mpl_toolkits": ("matplotlib",),
    "flask_cors": ("flask-cors",), "xlsxwriter": ("xlsxwriter",), "tortoise": ("tortoise-orm",),
    "strawberry": ("strawberry-graphql",), "psycopg2": ("psycopg2", "psycopg2-binary"),
    "psycopg": ("psycopg", "psycopg-binary", "psycopg-c"), "levenshtein": ("python-levenshtein",),
    "json_log_formatter": ("json-log-formatter",), "jaeger_client": ("jaeger-client",),
    "gi": ("pygobject",), "wx": ("wxpython",), "xlib": ("python-xlib",),
    "markdown": ("markdown",), "pydispatch": ("pydispatcher",), "lzo": ("python-lzo",),
    "sentry_sdk": ("sentry-sdk",), "scrapy": ("scrapy",), "geoip2": ("geoip2",),
}
# Packages another declared distribution always installs (import name -> parents).
PROVIDED_BY: dict[str, tuple[str, ...]] = {
    "starlette": ("fastapi",), "pydantic": ("fastapi", "sqlmodel", "pydantic-settings"),
    "pydantic_core": ("pydantic", "fastapi"), "werkzeug": ("flask",), "jinja2": ("flask",),
    "markupsafe": ("jinja2", "flask", "werkzeug"), "itsdangerous": ("flask",),
    "click": ("flask", "typer", "celery", "uvicorn", "black", "rq"),
    "kombu": ("celery",), "billiard": ("celery",), "vine": ("celery",),
    "sqlalchemy": ("flask-sqlalchemy", "sqlmodel", "alembic", "sqlalchemy-utils"),
    "anyio": ("starlette", "httpx", "fastapi"), "urllib3": ("requests", "botocore"),
    "certifi": ("requests", "httpx"), "idna": ("requests", "httpx", "yarl"),
    "charset_normalizer": ("requests",), "h11": ("uvicorn", "httpx"),
    "httpcore": ("httpx",), "asgiref": ("django",), "sqlparse": ("django",),
    "botocore": ("boto3",), "s3transfer": ("boto3",), "jmespath": ("boto3",),
    "multidict": ("aiohttp",), "yarl": ("aiohttp",), "aiosignal": ("aiohttp",),
    "google": ("grpcio-tools", "googleapis-common-protos", "protobuf"),
    "rest_framework": ("djangorestframework-simplejwt", "drf-spectacular", "drf-jwt",
                       "djangorestframework-jwt"),
    "django": ("djangorestframework", "django-environ", "channels"), "redis": ("django-redis",),
    "mako": ("alembic",), "greenlet": ("sqlalchemy", "gevent"), "typing_extensions": (),
    "dateutil": ("pandas", "botocore", "arrow", "celery", "faker"),
    "pytz": ("pandas", "celery", "babel"), "six": (), "packaging": (), "attr": ("aiohttp",),
    "graphql": ("graphene", "strawberry-graphql", "ariadne"), "email_validator": (),
    "cffi": ("cryptography",), "jwt": ("djangorestframework-simplejwt",),
    "structlog": ("django-structlog",), "psycopg2": ("dj-database-url",),
    "websockets": ("uvicorn",), "uvicorn": (), "dotenv": ("pydantic-settings",),
    "httplib2": ("google-api-python-client", "oauth2client"),
}
# Namespace packages shared by many distributions (``google.cloud.storage``).
NAMESPACES = ("google", "azure", "opentelemetry", "backports", "aws_cdk", "zope", "jaraco",
              "sphinxcontrib", "mypy_boto3", "oslo", "ruamel")
# Modules removed from the standard library after Python 3.11; still importable on older ones.
REMOVED_STDLIB = frozenset({
    "distutils", "imp", "asynchat", "asyncore", "smtpd", "cgi", "cgitb", "crypt", "imghdr",
    "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau",
    "telnetlib", "uu", "xdrlib", "lib2to3", "audioop", "chunk", "aifc", "tkinter",
})
STDLIB = frozenset(sys.stdlib_module_names) | REMOVED_STDLIB | {"__future__", "__main__"}


def normalise(name: str) -> str:
    """PEP 503 normalisation: lower case, runs of ``-``, ``_``, ``.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(slots=True)
class Manifest:
    """One file that declares dependencies: its kind, the runtime names it declares
    (normalised) and, for each, the 1-based line where it appears (0 when unknown)."""

    path: str
    kind: str
    runtime: dict[str, int] = field(default_factory=dict)
    other: set[str] = field(default_factory=set)
    installs_project: bool = False

    @property
    def names(self) -> set[str]:
        """Every name it declares, runtime or not."""
        return set(self.runtime) | self.other


def manifests(project: Project) -> list[Manifest]:
    """Every dependency manifest of the tree, in path order; computed once per review and
    shared (callers must not change them)."""
    return project.memo("arch.manifests", lambda: _manifests(project))


_MANIFEST_NAMES = frozenset({"pyproject.toml", "pipfile", "setup.py", "setup.cfg",
                             "environment.yml", "environment.yaml", "conda.yml", "conda.yaml"})
"""Lower-cased names of the manifests other than requirements files."""


def _manifests(project: Project) -> list[Manifest]:
    out: list[Manifest] = []
    for path in sorted(project.tree.files):
        base = posixpath.basename(path).lower()
        requirements = _is_requirements(path)
        if not requirements and base not in _MANIFEST_NAMES:
            continue  # no manifest: neither read nor decoded
        parts = path.lower().split("/")
        if any(p in ("node_modules", "site-packages", ".venv", "venv", "docs", "examples")
               for p in parts[:-1]):
            continue
        text = "" if requirements else project.text(path) or ""
        if requirements:
            out.append(_requirements(project, path))
        elif base == "pyproject.toml":
            out.extend(_pyproject(path, text))
        elif base == "pipfile":
            out.append(_pipfile(path, text))
        elif base == "setup.py":
            m = _setup_py(path, text)
            if m is not None:
                out.append(m)
        elif base == "setup.cfg":
            m = _setup_cfg(path, text)
            if m is not None:
                out.append(m)
        elif base in ("environment.yml", "environment.yaml", "conda.yml", "conda.yaml"):
            out.append(_conda(path, text))
    for m in out:
        m.other |= _extras(project.text(m.path) or "")
    return [m for m in out if m.names or m.installs_project]


def _extras(text: str) -> set[str]:
    """Names that extras of declared packages install (``passlib[bcrypt]`` -> bcrypt,
    ``pydantic = {extras = ["email"]}`` -> email-validator)."""
    out: set[str] = set()
    pairs = [(m.group(1), m.group(2)) for m in _EXTRAS.finditer(text)]
    pairs += [(m.group(1), m.group(2).replace('"', "").replace("'", ""))
              for m in _TOML_EXTRAS.finditer(text)]
    for name, extras in pairs:
        base = normalise(name)
        for extra in extras.split(","):
            extra = normalise(extra.strip())
            if extra:
                out.add(extra)
                out.update(EXTRA_PROVIDES.get((base, extra), ()))
    return out


def _is_requirements(path: str) -> bool:
    base = posixpath.basename(path).lower()
    if not base.endswith((".txt", ".in")):
        return False
    return base.startswith("requirements") or "requirements" in path.lower().split("/")[:-1]


def _line_of(text: str, name: str) -> int:
    pattern = re.compile(r"(?<![\w.-])" + re.escape(name).replace(r"\-", "[-_.]") +
                         r"(?![\w])", re.I)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else 0


def _requirements(project: Project, path: str, seen: set[str] | None = None) -> Manifest:
    seen = seen if seen is not None else set()
    seen.add(path)
    manifest = Manifest(path, "requirements")
    text = project.text(path) or ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if _SELF_INSTALL.match(line):
            manifest.installs_project = True
            continue
        inc = _INCLUDE.match(line)
        if inc:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path),
                                                       inc.group(1) or inc.group(2)))
            if target in project.tree.files and target not in seen:
                sub = _requirements(project, target, seen)
                for name, at in sub.runtime.items():
                    manifest.runtime.setdefault(name, at)
                manifest.installs_project |= sub.installs_project
            continue
        if line.startswith("-"):
            continue
        m = _REQ_NAME.match(line)
        if m:
            manifest.runtime.setdefault(normalise(m.group(1)), number)
    return manifest


def _spec_names(specs: Any) -> Iterator[str]:
    if isinstance(specs, list):
        for spec in specs:
            if isinstance(spec, str):
                m = _REQ_NAME.match(spec)
                if m:
                    yield m.group(1)


def _pyproject(path: str, text: str) -> list[Manifest]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    out: list[Manifest] = []
    project = data.get("project", {}) or {}
    pep621 = Manifest(path, "pep621")
    for name in _spec_names(project.get("dependencies")):
        pep621.runtime.setdefault(normalise(name), _line_of(text, name))
    for extra in (project.get("optional-dependencies", {}) or {}).values():
        pep621.other.update(normalise(n) for n in _spec_names(extra))
    for group in (data.get("dependency-groups", {}) or {}).values():
        pep621.other.update(normalise(n) for n in _spec_names(group))
    build = data.get("build-system", {}) or {}
    pep621.other.update(normalise(n) for n in _spec_names(build.get("requires")))
    tool = data.get("tool", {}) or {}
    for group in ((tool.get("pdm", {}) or {}).get("dev-dependencies", {}) or {}).values():
        pep621.other.update(normalise(n) for n in _spec_names(group))
    pep621.other.update(normalise(n) for n in _spec_names(
        (tool.get("uv", {}) or {}).get("dev-dependencies")))
    for env in ((tool.get("hatch", {}) or {}).get("envs", {}) or {}).values():
        if isinstance(env, dict):
            for key in ("dependencies", "extra-dependencies"):
                pep621.other.update(normalise(n) for n in _spec_names(env.get(key)))
    out.append(pep621)
    poetry = tool.get("poetry", {}) or {}
    if poetry:
        m = Manifest(path, "poetry")
        for name in poetry.get("dependencies", {}) or {}:
            if name.lower() != "python":
                m.runtime.setdefault(normalise(name), _line_of(text, name))
        for key in ("dev-dependencies",):
            m.other.update(normalise(n) for n in poetry.get(key, {}) or {})
        for group in (poetry.get("group", {}) or {}).values():
            m.other.update(normalise(n) for n in (group or {}).get("dependencies", {}) or {})
        out.append(m)
    return out


def _pipfile(path: str, text: str) -> Manifest:
    m = Manifest(path, "pipfile")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return m
    for name in data.get("packages", {}) or {}:
        m.runtime.setdefault(normalise(name), _line_of(text, name))
    m.other.update(normalise(n) for n in data.get("dev-packages", {}) or {})
    return m


def _setup_py(path: str, text: str) -> Manifest | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    m = Manifest(path, "setup.py")
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg == "install_requires" and isinstance(kw.value, ast.List | ast.Tuple):
                for elt in kw.value.elts:
                    if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                        n = _REQ_NAME.match(elt.value)
                        if n:
                            m.runtime.setdefault(normalise(n.group(1)), elt.lineno)
            elif kw.arg in ("extras_require", "tests_require", "setup_requires"):
                for sub in ast.walk(kw.value):
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                        n = _REQ_NAME.match(sub.value)
                        if n:
                            m.other.add(normalise(n.group(1)))
    return m


def _setup_cfg(path: str, text: str) -> Manifest | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    m = Manifest(path, "setup.cfg")
    if parser.has_option("options", "install_requires"):
        for line in parser.get("options", "install_requires").splitlines():
            n = _REQ_NAME.match(line)
            if n:
                m.runtime.setdefault(normalise(n.group(1)), _line_of(text, n.group(1)))
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            for line in value.splitlines():
                n = _REQ_NAME.match(line)
                if n:
                    m.other.add(normalise(n.group(1)))
    return m


def _conda(path: str, text: str) -> Manifest:
    m = Manifest(path, "conda")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return m
    deps = data.get("dependencies", []) if isinstance(data, dict) else []
    for dep in deps or []:
        if isinstance(dep, str):
            n = _REQ_NAME.match(dep)
            if n:
                m.runtime.setdefault(normalise(n.group(1)), _line_of(text, n.group(1)))
        elif isinstance(dep, dict):
            for name in _spec_names(dep.get("pip")):
                m.runtime.setdefault(normalise(name), _line_of(text, name))
    return m


def is_declared(top: str, declared: set[str]) -> bool:
    """True when the import name ``top`` is provided by a declared distribution: by name,
    through :data:`IMPORT_TO_DIST`, as a namespace package, by a declared distribution that
    always installs it (:data:`PROVIDED_BY`), or by a declared name that contains it (three
    characters or more: ``corsheaders`` in ``django-cors-headers``)."""
    lower = top.lower()
    if normalise(top) in declared:
        return True
    if any(d in declared for d in IMPORT_TO_DIST.get(lower, ())):
        return True
    for ns in NAMESPACES:
        if lower.startswith(ns) and any(d.startswith(normalise(ns)) for d in declared):
            return True
    if lower in PROVIDED_BY and ((not PROVIDED_BY[lower] and declared)
                                 or any(p in declared for p in PROVIDED_BY[lower])):
        return True
    squashed = lower.replace("_", "")
    if len(squashed) >= 3:
        return any(squashed in d.replace("-", "") for d in declared)
    return False
