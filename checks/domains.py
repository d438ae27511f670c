"""Which checklist domains a diff touches, and why, from the changed paths and the content of the
added lines.

Each rule is one line of :data:`PATH_RULES` or :data:`CONTENT_RULES`; a domain is touched when
any of its rules matches, and the reasons quote what matched ("DB: `app/models.py` modified").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checks.diff import ChangeStatus, Diff
from checks.model import Domain
from checks.pyfile import is_migration_path

_MAX_REASONS = 4


@dataclass(frozen=True, slots=True)
class Rule:
    """A domain is touched when ``pattern`` matches (``re.search``) a changed path or, for
    content rules, an added line of a Python file.

    A path rule with ``python_only`` matches Python files only: a folder named ``api/``,
    ``auth/`` or ``client/`` in a front end holds no backend code. Migrations (Django's
    ``migrations/``, Alembic's ``versions/``) are matched only by rules with ``migrations``:
    a migration of an app named ``api`` or ``users`` changes the database, not the API or
    authentication."""

    domain: Domain
    pattern: re.Pattern[str]
    python_only: bool = False
    migrations: bool = False


def _rules(domain: Domain, *patterns: str, python_only: bool = False,
           migrations: bool = False) -> list[Rule]:
    return [Rule(domain, re.compile(p), python_only, migrations) for p in patterns]


_PY = r"\.py$"
_DEPS = (
    r"(^|/)(requirements[^/]*\.(txt|in)|pyproject\.toml|setup\.(py|cfg)|Pipfile(\.lock)?"
    r"|poetry\.lock|pdm\.lock|uv\.lock)$"
)
_DOCKER = r"(^|/)(Dockerfile[^/]*|Containerfile|[^/]*\.dockerfile|\.dockerignore)$"
_COMPOSE = r"(^|/)(docker-)?compose[^/]*\.ya?ml$"
_K8S = r"(^|/)(k8s|kubernetes|helm|charts|manifests|deploy|deployment|infra)/"
_IAC = r"\.(tf|hcl)$|(^|/)(terraform|pulumi|cdk|ansible)/"
_CI = (
    r"^\.github/workflows/|^\.gitlab-ci\.yml$|^\.circleci/"
    r"|(^|/)(Jenkinsfile|tox\.ini|noxfile\.py)$"
)
_SETTINGS = (
    r"(^|/)(settings|config|conf|configuration)(/|[^/]*\.py$|\.(ya?ml|toml|ini)$)"
    r"|(^|/)\.env[^/]*$"
)
_TESTS = r"(^|/)(tests?|testing)/|(^|/)(test_[^/]*|[^/]*_test)\.py$|(^|/)conftest\.py$"
_DOCS = r"\.(md|rst|adoc|txt)$|(^|/)docs?/|(^|/)(README|CONTRIBUTING|CHANGELOG)[^/]*$"

PATH_RULES: list[Rule] = [
    *_rules(Domain.ARCH, _DEPS, r"(^|/)(main|app|asgi|wsgi|__main__)\.py$", r"\.proto$"),
    *_rules(Domain.ARCH, r"(^|/)services?/", r"(^|/)(events?|messaging|queues?|grpc|proto)/",
            python_only=True),
    *_rules(Domain.DB, r"(^|/)migrations/", r"(^|/)alembic(/|\.ini$)", r"\.sql$",
            r"(^|/)(schema|tables)\.py$", migrations=True),
    *_rules(Domain.DB, r"(^|/)models?(/|\.py$)",
            r"(^|/)(db|database|repositor(y|ies)|dao|orm)(/|\.py$)", python_only=True,
            migrations=True),
    *_rules(Domain.API, r"(^|/)(routers?|routes?|views?|urls|endpoints?|api|handlers?|controllers?"
            r"|resources|serializers?|schemas?|graphql)(/|\.py$)", python_only=True),
    *_rules(Domain.API, r"(^|/)openapi[^/]*\.(ya?ml|json)$"),
    *_rules(Domain.SEC, r"(^|/)(auth\w*|security|permissions?|middleware|crypto|tokens?|users?)"
            r"(/|\.py$)", python_only=True),
    *_rules(Domain.SEC, _SETTINGS, _DEPS, r"(^|/)\.github/dependabot\.ya?ml$", _CI),
    *_rules(Domain.SCALE, r"(^|/)(tasks?|workers?|jobs?|celery\w*|queues?|cache\w*)(/|\.py$)",
            python_only=True),
    *_rules(Domain.SCALE, r"(^|/)(gunicorn|uvicorn|hypercorn)[^/]*\.(py|conf|toml)$",
            r"(^|/)Procfile$", _DOCKER, _K8S, r"(^|/)(locustfile\.py|k6/|load[-_]?tests?/)"),
    *_rules(Domain.OBS, r"(^|/)(logging|logs?|log_config|metrics|telemetry|tracing|monitoring"
            r"|observability|health\w*|sentry\w*|instrumentation)(/|\.\w+$)",
            r"(^|/)(prometheus|grafana|alert\w*|dashboards?)(/|\.)"),
    *_rules(Domain.DEPLOY, _DOCKER, _COMPOSE, _K8S, _IAC, _CI, _DEPS, r"(^|/)Procfile$",
            r"(^|/)(app\.ya?ml|fly\.toml|render\.yaml|vercel\.json|Makefile)$", _SETTINGS),
    *_rules(Domain.CODE, _PY, migrations=True),
    *_rules(Domain.CODE, r"(^|/)(pyproject\.toml|setup\.cfg|\.pre-commit-config\.yaml|"
            r"\.flake8|ruff\.toml|\.ruff\.toml|mypy\.ini)$"),
    *_rules(Domain.RES, r"(^|/)(clients?|integrations?|adapters?|gateways?|external|http)"
            r"(/|\.py$)", r"(^|/)(tasks?|workers?|celery\w*)(/|\.py$)", python_only=True),
    *_rules(Domain.TEST, _PY, migrations=True),
    *_rules(Domain.TEST, _TESTS, _CI),
    *_rules(Domain.DOC, _PY, migrations=True),
    *_rules(Domain.DOC, _DOCS),
    *_rules(Domain.COMP, r"(^|/)(privacy|gdpr|hipaa|compliance|retention|audit\w*|consent"
            r"|pii|personal_data)(/|\.\w+$)", _SETTINGS),
    *_rules(Domain.COMP, r"(^|/)models?(/|\.py$)", python_only=True),
]

CONTENT_RULES: list[Rule] = [
    *_rules(Domain.ARCH, r"^\s*async def ", r"\bawait\b", r"\b(grpc|kafka|pika|nats|aio_pika)\b"),
    *_rules(Domain.DB, r"\.(execute|executemany|raw|extra)\(", r"\btext\(\s*[fr]?['\"]",
            r"\b(session|db)\.(query|add|commit|scalars?)\(", r"\.objects\.",
            r"\bcreate_(async_)?engine\(", r"\b(models\.Model|DeclarativeBase|declarative_base|"
            r"mapped_column|Column)\b", r"(?<![.\w])(select|insert|update|delete)\(",
            r"\bop\.\w+\("),
    *_rules(Domain.API, r"@\w+\.(get|post|put|patch|delete|route|api_route|websocket)\(",
            r"\b(APIRouter|APIView|ViewSet|Blueprint|FastAPI|Flask)\b", r"\b(re_)?path\(",
            r"\brequest\.(json|form|args|get_json|data|GET|POST)\b"),
    *_rules(Domain.SEC, r"\.(execute|executemany|raw|extra)\(", r"\bjwt\.(decode|encode)\(",
            r"\b(password|passwd|secret|api_?key|token|private_key)\b", r"(?i)cors|csrf",
            r"\bverify\s*=\s*False", r"\b(subprocess|os\.system|eval|exec|pickle|marshal)\b",
            r"\byaml\.(load|unsafe_load)\(", r"\b(hashlib|bcrypt|argon2|passlib|mark_safe)\b",
            r"\bDEBUG\s*=", r"\bdebug\s*=\s*True"),
    *_rules(Domain.SCALE, r"\b(celery|rq|dramatiq|arq|huey|BackgroundTasks)\b",
            r"@\w*\.?(task|shared_task|job)\b", r"\b(lru_cache|cache|redis|memcache)\w*",
            r"\b(ThreadPoolExecutor|ProcessPoolExecutor|multiprocessing|threading)\b",
            r"\b(uvicorn|gunicorn|hypercorn)\b", r"\bpool_size\b|\bCONN_MAX_AGE\b"),
    *_rules(Domain.OBS, r"\bprint\(", r"\b(logging|logger|structlog|loguru)\b",
            r"\b(sentry_sdk|prometheus_client|statsd|opentelemetry|datadog|newrelic)\b",
            r"\b(health|ready|live)z?\b"),
    *_rules(Domain.DEPLOY, r"\bos\.(environ|getenv)\b", r"\bBaseSettings\b"),
    *_rules(Domain.RES, r"\b(requests|httpx|aiohttp|urllib3?|boto3|grpc)\.",
            r"\b(requests|httpx)\.\w+\(", r"\b(ClientSession|AsyncClient|Client)\(",
            r"\bexcept\b", r"\b(retry|tenacity|backoff|stamina|timeout|circuit)\w*",
            r"\bsmtplib\b|\burlopen\("),
    *_rules(Domain.COMP, r"(?i)\b(email|ssn|social_security|date_of_birth|dob|phone|address"
            r"|passport|credit_card|card_number|iban|diagnos\w*|patient|medical|health_record)\b",
            r"(?i)\b(audit|consent|retention|gdpr|anonymi[sz]\w*|pseudonym\w*)\b"),
]


def touched_domains(diff: Diff) -> dict[Domain, list[str]]:
    """Map each domain the diff touches to human-readable reasons, in domain order.

    Paths are matched for every changed file (removed ones too: deleting a migration touches the
    database); content rules run on added lines of Python files only.
    """
    found: dict[Domain, list[str]] = {}
    for change in diff.files.values():
        if change.submodule:
            continue
        verb = "removed" if change.status is ChangeStatus.REMOVED else change.status.value
        if change.status is ChangeStatus.MODIFIED:
            verb = "modified"
        seen: set[Domain] = set()
        python = change.path.endswith(".py")
        migration = is_migration_path(change.path)
        for rule in PATH_RULES:
            if rule.domain in seen or (rule.python_only and not python) or (
                migration and not rule.migrations
            ):
                continue
            if rule.pattern.search(change.path):
                seen.add(rule.domain)
                found.setdefault(rule.domain, []).append(f"`{change.path}` {verb}")
        if not change.path.endswith(".py") or not change.added_text:
            continue
        seen_content: set[Domain] = set()
        for rule in CONTENT_RULES:
            if rule.domain in seen_content:
                continue
            for text in change.added_text:
                m = rule.pattern.search(text)
                if m:
                    seen_content.add(rule.domain)
                    snippet = m.group(0).strip()
                    found.setdefault(rule.domain, []).append(
                        f"added `{snippet}` in `{change.path}`")
                    break
    return {d: _fold(found[d]) for d in Domain if d in found}


def _fold(reasons: list[str]) -> list[str]:
    unique = list(dict.fromkeys(reasons))
    if len(unique) <= _MAX_REASONS:
        return unique
    return [*unique[:_MAX_REASONS], f"and {len(unique) - _MAX_REASONS} more"]
