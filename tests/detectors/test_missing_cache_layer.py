from checks.detectors.database.missing_cache_layer import MissingCacheLayer
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

API = """\
from fastapi import FastAPI
from sqlalchemy.orm import Session

app = FastAPI()
"""


def test_database_service_without_any_cache() -> None:
    report = run(MissingCacheLayer, {"app/main.py": API})
    assert found(report) == [("DB-06", "", 0), ("SCALE-04", "", 0)]
    assert findings(report, "DB-06")[0].severity is Severity.LOW
    assert findings(report, "SCALE-04")[0].message == (
        "caching has no cache layer; not found: HTTP caching (Cache-Control/ETag, CDN), "
        "an application cache (Redis, Memcached, cachetools)"
    )


def test_redis_alone_is_one_layer() -> None:
    files = {"app/main.py": API, "app/cache.py": "import redis\nr = redis.Redis()\n"}
    report = run(MissingCacheLayer, files)
    assert found(report) == [("SCALE-04", "", 0)]
    assert report.result("DB-06").evidence == ["application cache: redis imported in "
                                               "app/cache.py"]
    assert findings(report, "SCALE-04")[0].message == (
        "caching has only shared cache (redis imported in app/cache.py); not found: HTTP "
        "caching (Cache-Control/ETag, CDN)"
    )


def test_redis_and_cache_control_headers_are_two_layers() -> None:
    routes = (
        "from fastapi import Response\n"
        "def products(response: Response):\n"
        "    response.headers['Cache-Control'] = 'public, max-age=60'\n"
    )
    files = {"app/main.py": API, "app/cache.py": "import redis\n", "app/routes.py": routes}
    report = run(MissingCacheLayer, files)
    assert found(report) == []
    assert report.result("SCALE-04").evidence == [
        "shared cache: redis imported in app/cache.py",
        "HTTP caching: Cache-Control header set in app/routes.py:3",
    ]
    assert status(report, "SCALE-04") is Status.PASS


def test_django_caches_backend_and_cache_page() -> None:
    settings = (
        "CACHES = {'default': {'BACKEND': "
        "'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://r'}}\n"
    )
    views = (
        "from django.views.decorators.cache import cache_page\n"
        "@cache_page(60)\n"
        "def index(request):\n"
        "    pass\n"
    )
    files = {"requirements.txt": "django\n", "shop/settings.py": settings,
             "shop/views.py": views}
    report = run(MissingCacheLayer, files)
    assert found(report) == []


def test_not_applicable_without_database_or_web_framework() -> None:
    report = run(MissingCacheLayer, {"app/x.py": "x = 1\n"})
    assert status(report, "DB-06") is Status.NOT_APPLICABLE
    assert status(report, "SCALE-04") is Status.NOT_APPLICABLE


def test_django_cache_api_counts_as_shared_only_with_a_shared_backend() -> None:
    views = "from django.core.cache import cache\ndef index(request):\n    cache.get('k')\n"
    files = {"requirements.txt": "django\n", "shop/views.py": views}
    report = run(MissingCacheLayer, files)
    assert findings(report, "SCALE-04")[0].message == (
        "caching has only in-process cache (Django cache API used in shop/views.py); not "
        "found: HTTP caching (Cache-Control/ETag, CDN)"
    )
    files["shop/settings.py"] = (
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached."
        "PyMemcacheCache'}}\n"
    )
    report = run(MissingCacheLayer, files)
    assert findings(report, "SCALE-04")[0].message.startswith(
        "caching has only shared cache (Django CACHES backend"
    )
