"""No caching layer, or a single one, in a service with a database.

## What it flags
Heuristic, project-wide. It looks for three kinds of cache:

- a shared cache: a Redis or Memcached client imported by service code (``redis``,
  ``pymemcache``, ``pylibmc``, ``aiomcache``, ``django_redis``), a cache library
  (``aiocache``, ``fastapi_cache``, ``flask_caching``, ``cashews``, ``dogpile.cache``,
  ``cacheops``, ``cachalot``), or a Django ``CACHES`` backend that is Redis, Memcached, a
  database table or files;
- an in-process cache: ``cachetools``, ``diskcache``, or Django's cache API
  (``django.core.cache``, ``cache_page``) on the default local-memory backend.
  ``functools.lru_cache`` is not counted: it mostly memoises settings, not data;
- HTTP caching: ``Cache-Control``/``ETag`` headers set in code, Django's ``cache_control``,
  ``cache_page``, ``etag``/``last_modified``/``condition`` decorators or cache and
  conditional-GET middleware, ``proxy_cache``/``expires`` in an NGINX configuration, or a CDN
  (CloudFront, Fastly, Cloudflare) in infrastructure files.

DB-06 gets a low-severity finding when a project with a database has no shared or in-process
cache. SCALE-04 gets one when a web service has fewer than two of the three kinds; the message
names the kinds found. A Redis client used only as a broker counts as a cache here, and a CDN
configured outside the repository is not seen: say so when waiving.

## Why it matters
Without a cache, every read of hot, rarely changing data (catalogues, permissions, computed
aggregates) goes to the database, which becomes the first bottleneck as traffic grows. A
single layer leaves cheap wins on the table: HTTP caching lets browsers and CDNs answer
without reaching the service at all, and an application cache spares the database.

## Example
```python
@app.get("/products")
def products(db: Session = Depends(get_db)):
    return db.scalars(select(Product)).all()  # every request hits the database
```

## Use instead
```python
@app.get("/products")
@cache(expire=60)                   # fastapi-cache2 with a Redis backend
def products(response: Response, db: Session = Depends(get_db)):
    response.headers["Cache-Control"] = "public, max-age=60"
    return db.scalars(select(Product)).all()
```

## References
- Django's cache framework: https://docs.djangoproject.com/en/stable/topics/cache/
- MDN, HTTP caching: https://developer.mozilla.org/en-US/docs/Web/HTTP/Caching
- RFC 9111, HTTP Caching: https://www.rfc-editor.org/rfc/rfc9111
"""

from __future__ import annotations

import ast
import functools

from checks.detector import Detector, Project
from checks.detectors.database._db import (
    database_library,
    in_walk_order,
    no_database_reason,
    service_files,
)
from checks.detectors.observability._syntax import import_tops
from checks.detectors.scalability._handlers import WEB_FRAMEWORKS
from checks.model import Severity
from checks.pyfile import PyFile

_SHARED = ("redis", "aioredis", "pymemcache", "pylibmc", "aiomcache", "django_redis",
           "aiocache", "fastapi_cache", "flask_caching", "cashews", "dogpile.cache", "cacheops",
           "cachalot", "memcache", "bmemcached")
_IN_PROCESS = ("cachetools", "diskcache", "async_lru")
_DJANGO_CACHE = ("django.core.cache", "django.views.decorators.cache.cache_page")
_HTTP_DECORATORS = ("django.views.decorators.cache.cache_control",
                    "django.views.decorators.cache.cache_page",
                    "django.views.decorators.http.etag",
                    "django.views.decorators.http.last_modified",
                    "django.views.decorators.http.condition",
                    "django.utils.cache.patch_cache_control",
                    "django.utils.cache.patch_response_headers", "fastapi_cache")
_HTTP_MIDDLEWARE = ("django.middleware.cache.", "django.middleware.http.ConditionalGetMiddleware")
_HTTP_HEADERS = ("cache-control", "etag")
_STRING_PREFIXES = (*_HTTP_MIDDLEWARE, "django.core.cache.backends.", "django_redis.")
_SHARED_BACKENDS = ("redis", "memcached", "Memcached", "DatabaseCache", "FileBasedCache",
                    "PyLibMCCache", "PyMemcacheCache")
_CDN_WORDS = (b"aws_cloudfront_distribution", b"fastly_service", b"cloudflare_",
              b"azurerm_cdn", b"google_compute_backend_bucket")
_NGINX_WORDS = (b"proxy_cache ", b"proxy_cache_path", b"expires ", b"add_header cache-control")


class MissingCacheLayer(Detector):
    """Reports services with no cache or a single cache layer (see module docstring)."""

    slug = "missing-cache-layer"
    items = ("DB-06", "SCALE-04")

    def finish(self, project: Project) -> None:
        shared: list[str] = []
        local: list[str] = []
        http: list[str] = []
        django_api: list[str] = []
        for f in service_files(project):
            _scan_python(f, shared, local, http, django_api)
        if django_api and not any(s.startswith("Django CACHES") for s in shared):
            local.extend(django_api)  # the default backend is per-process local memory
        elif django_api:
            shared.extend(django_api)
        _scan_files(project, http)
        app = shared or local
        if database_library(project) is None:
            self.not_applicable("DB-06", no_database_reason())
        elif app:
            self.evidence("DB-06", f"application cache: {(shared or local)[0]}")
        else:
            self.report(
                "DB-06", "", 0,
                "no caching layer found: no Redis or Memcached client, cache library, "
                "Django cache use or CACHES backend in the service code",
                "Cache hot, rarely changing reads in Redis or Memcached (Django cache "
                "framework, redis-py, fastapi-cache2, cachetools for in-process data) with a "
                "TTL and invalidation on write; or waive with the reason the data needs none.",
                severity=Severity.LOW, key="no-cache-layer",
            )
        if not project.uses(*WEB_FRAMEWORKS):
            self.not_applicable("SCALE-04", "no web framework: not an HTTP service")
            return
        layers = [(name, found[0]) for name, found in
                  (("shared cache", shared), ("in-process cache", local), ("HTTP caching", http))
                  if found]
        if len(layers) >= 2:
            for name, where in layers:
                self.evidence("SCALE-04", f"{name}: {where}")
            return
        missing = [n for n, found in (("HTTP caching (Cache-Control/ETag, CDN)", http),
                                      ("an application cache (Redis, Memcached, cachetools)",
                                       shared or local)) if not found]
        have = f"only {layers[0][0]} ({layers[0][1]})" if layers else "no cache layer"
        self.report(
            "SCALE-04", "", 0,
            f"caching has {have}; not found: {', '.join(missing)}",
            "Add the missing layer where it pays off: Cache-Control/ETag on public GET "
            "responses (and a CDN), a shared Redis cache for computed data; waive it if a CDN "
            "configured elsewhere caches responses.",
            severity=Severity.LOW, key="single-cache-layer",
        )


def _imported(f: PyFile, prefixes: tuple[str, ...]) -> str | None:
    by_head = _by_head(prefixes)
    for target in f.imports.values():
        for p in by_head.get(target.split(".", 1)[0], ()):
            if target == p or target.startswith(p + ".") or (p.endswith(".") and
                                                             target.startswith(p)):
                return p.rstrip(".")
    return None


@functools.cache
def _by_head(prefixes: tuple[str, ...]) -> dict[str, list[str]]:
    """``prefixes`` by their first part, in order: only those can match a target with that
    first part."""
    out: dict[str, list[str]] = {}
    for p in prefixes:
        out.setdefault(p.split(".", 1)[0], []).append(p)
    return out


_HEADS = frozenset(p.split(".", 1)[0] for p in (*_SHARED, *_IN_PROCESS, *_HTTP_DECORATORS,
                                                 *_DJANGO_CACHE))
"""First parts of every prefix :func:`_imported` matches: a file importing none of them (by
its shared import tops) matches no prefix."""


def _scan_python(f: PyFile, shared: list[str], local: list[str], http: list[str],
                 django_api: list[str]) -> None:
    django_cache = None
    if not import_tops(f).isdisjoint(_HEADS):
        lib = _imported(f, _SHARED)
        if lib:
            shared.append(f"{lib} imported in {f.path}")
        lib = _imported(f, _IN_PROCESS)
        if lib:
            local.append(f"{lib} imported in {f.path}")
        lib = _imported(f, _HTTP_DECORATORS)
        if lib:
            http.append(f"{lib.rsplit('.', 1)[-1]} used in {f.path}")
        django_cache = _imported(f, _DJANGO_CACHE)
    if django_cache or "CACHES" in f.text or "Cache-Control" in f.text or "ETag" in f.text \
            or "MIDDLEWARE" in f.text:
        _scan_strings(f, shared, http)
    if django_cache:
        django_api.append(f"Django cache API used in {f.path}")


def _scan_strings(f: PyFile, shared: list[str], http: list[str]) -> None:
    found = [node for node in f.nodes(ast.Constant) if isinstance(node.value, str) and (
        node.value.lower() in _HTTP_HEADERS or node.value.startswith(_STRING_PREFIXES))]
    for node in in_walk_order(f, found):  # the first one found is the one shown
        text = node.value
        assert isinstance(text, str)
        lower = text.lower()
        if lower in _HTTP_HEADERS:
            http.append(f"{text} header set in {f.path}:{getattr(node, 'lineno', 0)}")
        elif text.startswith(_HTTP_MIDDLEWARE):
            http.append(f"{text.rsplit('.', 1)[-1]} in {f.path}")
        elif (text.startswith("django.core.cache.backends.")
              and any(b in text for b in _SHARED_BACKENDS)) or text.startswith("django_redis."):
            shared.append(f"Django CACHES backend {text} in {f.path}")


def _scan_files(project: Project, http: list[str]) -> None:
    for path, data in project.tree.files.items():
        name = path.rsplit("/", 1)[-1].lower()
        if name.endswith((".tf", ".hcl", ".yml", ".yaml", ".json")) and not name.endswith(
            ("package.json", "package-lock.json")
        ):
            lower = data.lower()
            if any(w in lower for w in _CDN_WORDS):
                http.append(f"CDN configured in {path}")
        elif name.endswith(".conf") or "nginx" in name:
            lower = data.lower()
            if any(w in lower for w in _NGINX_WORDS):
                http.append(f"proxy caching in {path}")
