"""HTTP service with no rate limiting anywhere: not in the code, not in a gateway config.

## What it flags
A project that serves HTTP (FastAPI, Starlette, Flask, Quart, Django, DRF, Ninja, aiohttp.web,
Sanic, Falcon, Litestar...) with no sign of request rate limiting:

- no limiter library used or declared: slowapi, fastapi-limiter, Flask-Limiter,
  django-ratelimit, django-axes (login throttling), limits, pyrate-limiter, asgi-ratelimit;
- no DRF throttling: ``DEFAULT_THROTTLE_CLASSES`` in ``REST_FRAMEWORK``, ``throttle_classes`` on
  a view or ``@throttle_classes``;
- no gateway or proxy limit in the repository: NGINX ``limit_req``, the ingress-nginx
  ``limit-rps``/``limit-rpm`` annotations, a Traefik ``rateLimit`` middleware, Kong
  ``rate-limiting``, Envoy rate limit filters, API Gateway throttling or usage plans (Terraform,
  CloudFormation, SAM).

One finding per item (API-05, SEC-14, RES-08), on the app object (``FastAPI()``, ``Flask()``) or
the Django root urlconf. Not applicable when no web framework is used. Heuristic: the limit may
be enforced by infrastructure kept outside the repository, which a reviewer can attest.

## Why it matters
Without limits, one client (a buggy retry loop, a scraper, a credential-stuffing bot) can use
all workers and database connections, and login or password-reset endpoints can be brute-forced
(CWE-770, CWE-307, OWASP API4:2023).

## Example
```python
app = FastAPI()

@app.post("/login")
async def login(form: LoginForm): ...
```

## Use instead
```python
limiter = Limiter(key_func=get_remote_address, storage_uri="redis://redis:6379")
app = FastAPI()
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)

@app.post("/login")
@limiter.limit("5/minute")
async def login(request: Request, form: LoginForm): ...
```

## References
- OWASP API4:2023 Unrestricted Resource Consumption: https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/
- CWE-770, Allocation of Resources Without Limits or Throttling: https://cwe.mitre.org/data/definitions/770.html
- RFC 6585, 429 Too Many Requests: https://www.rfc-editor.org/rfc/rfc6585#section-4
- Django REST framework, Throttling: https://www.django-rest-framework.org/api-guide/throttling/
- NGINX, limit_req: https://nginx.org/en/docs/http/ngx_http_limit_req_module.html
"""

from __future__ import annotations

import re

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.api._common import drf_setting
from checks.detectors.api._routes import main_app, serves_http

ITEMS = ("API-05", "SEC-14", "RES-08")
LIMITER_LIBRARIES = ("slowapi", "fastapi_limiter", "fastapi-limiter", "flask_limiter",
                     "flask-limiter", "django_ratelimit", "django-ratelimit", "ratelimit",
                     "axes", "django-axes", "limits", "pyrate_limiter", "pyrate-limiter",
                     "asgi_ratelimit", "asgi-ratelimit", "starlette_limiter", "fastapi_throttle",
                     "fastapi-throttle", "sanic_limiter", "sanic-limiter", "aiohttp_ratelimiter",
                     "falcon_limiter", "flask_rate_limiter")
"""Import or distribution names of server-side rate limiting libraries."""

_GATEWAY = re.compile(
    r"\blimit_req(_zone)?\b|limit-rps|limit-rpm|limit-connections|\brateLimit\b|"
    r"\brate-limiting\b|local_ratelimit|envoy\.filters\.http\.ratelimit|"
    r"throttling_(burst|rate)_limit|Throttling(Burst|Rate)Limit|aws_api_gateway_usage_plan|"
    r"UsagePlan|cloudflare_rate_limit|\brate_limit\b\s*[{:]|sc_http_req_rate")
_GATEWAY_WORDS = (b"limit", b"Limit", b"usage_plan", b"UsagePlan", b"req_rate")
"""Every pattern of ``_GATEWAY`` contains one of these (ASCII, so in the bytes as in the text)."""
_BEFORE_WORD = 32
"""More than the most characters any pattern of ``_GATEWAY`` has before its word (23)."""


def _gateway_match(text: str) -> re.Match[str] | None:
    """``_GATEWAY.search(text)``, trying only the positions a match can start at (up to
    :data:`_BEFORE_WORD` characters before one of the words): a large recorded fixture is not
    scanned end to end."""
    starts: set[int] = set()
    for word in _GATEWAY_WORDS:
        needle = word.decode()
        at = text.find(needle)
        while at != -1:
            starts.update(range(max(0, at - _BEFORE_WORD), at + 1))
            if len(starts) > 20_000:
                return _GATEWAY.search(text)
            at = text.find(needle, at + 1)
    for start in sorted(starts):
        m = _GATEWAY.match(text, start)
        if m is not None:
            return m
    return None


_CONFIG_SUFFIXES = (".conf", ".yaml", ".yml", ".tf", ".hcl", ".json", ".toml", ".cfg", ".ini")


class MissingRateLimiting(Detector):
    """Flags an HTTP service with no rate limiting (see module docstring)."""

    slug = "missing-rate-limiting"
    items = ITEMS

    def finish(self, project: Project) -> None:
        if not serves_http(project):
            for item in ITEMS:
                self.not_applicable(item, "no web framework in the project")
            return
        found = _limiting(project)
        if found is not None:
            for item in ITEMS:
                self.evidence(item, found)
            return
        path, line = main_app(project)
        for item in ITEMS:
            self.report(
                item, path, line,
                "the service answers HTTP with no rate limiting: no limiter library, no DRF "
                "throttling and no gateway limit (NGINX limit_req, ingress annotations) in the "
                "repository",
                "Limit requests per client (slowapi, Flask-Limiter, DRF DEFAULT_THROTTLE_CLASSES, "
                "django-ratelimit) with counters in Redis, stricter on login, signup and password "
                "reset; or attest the gateway's limits.",
                key="no-rate-limiting",
            )


def _limiting(project: Project) -> str | None:
    """What limits requests, as evidence text, or None."""
    library = next((n for n in LIMITER_LIBRARIES if project.uses(n)), None)
    if library is not None:
        return f"rate limiting library `{library}` is used or declared"
    throttle = drf_setting(project, "DEFAULT_THROTTLE_CLASSES")
    if throttle is not None and pyast.const(throttle.value) is not None:
        return f"DRF DEFAULT_THROTTLE_CLASSES at {throttle.path}:{throttle.line}"
    for f in project.service_files():
        if "throttle_classes" in f.text:
            return f"DRF throttle_classes in {f.path}"
    for path, data in sorted(project.tree.files.items()):
        if not path.endswith(_CONFIG_SUFFIXES) and "nginx" not in path.lower():
            continue
        if not any(n in data for n in _GATEWAY_WORDS):
            continue
        m = _gateway_match(data.decode("utf-8", errors="replace"))
        if m is not None:
            return f"gateway rate limit `{m.group(0).strip()}` in {path}"
    return None
