"""The catalogue: every checklist item, with its stable ID, wording, domain, how it is decided,
default severity and documentation. This is the only place item IDs are defined.

IDs are ``<DOMAIN>-<NN>``, NN being the item's position in its section of the checklist
(``SEC-08`` is "SQL injection is prevented"). People type them in pull request comments, so
:func:`get` and :func:`find` match case-insensitively.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.model import Domain, Method, Severity


@dataclass(frozen=True, slots=True)
class Item:
    """One checklist item.

    ``title`` is the checklist's wording, unchanged. ``doc`` says what the item asks and, for
    an attestation item, what evidence a reviewer should give.
    """

    id: str
    title: str
    method: Method
    severity: Severity
    doc: str

    @property
    def domain(self) -> Domain:
        """The domain, from the ID prefix."""
        return Domain(self.id.split("-", 1)[0])

    @property
    def number(self) -> int:
        """The item's position in its checklist section, 1-based."""
        return int(self.id.split("-", 1)[1])


D, H, A = Method.DETECTOR, Method.HEURISTIC, Method.ATTESTATION
L, M, HI, C = Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL

ITEMS: tuple[Item, ...] = (
    # System Architecture
    Item("ARCH-01", 'Architecture style matches scale and complexity', A, L,
         "The chosen style (modular monolith, a few services, microservices, serverless) fits "
         "the team size, the traffic and the domain: a small team with one product rarely needs "
         "a dozen services. A mismatch costs either scaling pain or months of "
         "distributed-systems overhead. Evidence: link the architecture decision record (ADR) "
         "that names the style, the expected load and why the alternatives were rejected."),
    Item("ARCH-02", 'Service boundaries are well-defined', A, M,
         "Each service or top-level package owns one business capability and its own data; other "
         "parts reach it only through its API, events or a public module, never by reading its "
         "tables. Blurred boundaries cause shared-database coupling, lock-step deployments and "
         "changes that ripple across teams. Evidence: a context map or list of services with "
         "what each owns, and confirmation that no two services write the same tables."),
    Item("ARCH-03", 'Communication patterns are appropriate', A, M,
         "Synchronous calls (HTTP via httpx/requests, gRPC) are used where the caller needs the "
         "answer now; work that can happen later goes through a queue or event bus (Celery, "
         "RabbitMQ, Kafka, SQS). Long chains of synchronous calls multiply latency and failure "
         "rates, and messages need idempotent consumers. Evidence: a sequence or interaction "
         "diagram of the main flows naming the transport and delivery guarantee of each hop."),
    Item("ARCH-04", 'No unnecessary over-engineering', A, L,
         "The design contains no machinery the current requirements do not need: no "
         "microservices for one team, no message bus for a handful of events a day, no abstract "
         "repository layer with a single implementation, no plugin system without plugins. Every "
         "extra moving part must be built, deployed, monitored and understood. Reviewer: name "
         "any component that could be removed or merged, or state that none was found."),
    Item("ARCH-05", 'Single points of failure identified and addressed', A, M,
         "Components whose failure takes the whole service down are listed and each has a "
         "mitigation or an accepted risk: a single Postgres instance without failover, one "
         "Redis, one Celery worker, a cron job on one VM, a single availability zone. Unlisted "
         "single points of failure turn routine faults into outages. Evidence: the list with the "
         "mitigation for each (replica, multi-AZ, two or more replicas, managed service SLA) and "
         "the owner of each accepted risk."),
    Item("ARCH-06", 'Dependency management is clear', H, M,
         "It is clear what the service depends on: Python packages are declared in one place "
         "(pyproject.toml, PEP 621) with a lock file, and runtime dependencies (databases, "
         "queues, caches, third-party APIs, other internal services) are listed with their "
         "owners. Hidden or implicit dependencies make upgrades, incident response and cost "
         "estimates guesswork. Evidence: link the dependency list in the README or architecture "
         "doc."),
    Item("ARCH-07", 'Framework choice is justified (FastAPI/Django/Flask/etc.)', A, L,
         "The web framework fits the job: FastAPI or Litestar for async, typed JSON APIs; Django "
         "(with DRF) for data-heavy applications that benefit from its ORM, admin and auth; "
         "Flask for small services. Switching framework later is expensive, so the reasons "
         "should be written down. Evidence: link the ADR or README section that records the "
         "choice and the alternatives considered."),
    Item("ARCH-08", 'Async patterns are properly utilized where needed', H, HI,
         "Async code never blocks the event loop: an async def endpoint or task must not call "
         "requests, time.sleep, a synchronous DB driver (psycopg2, a sync SQLAlchemy Session) or "
         "heavy CPU work directly; use httpx.AsyncClient, asyncio.sleep, asyncpg or "
         "AsyncSession, or run the blocking call with run_in_threadpool / asyncio.to_thread. One "
         "blocking call stalls every concurrent request in that worker (PEP 492). Conversely, "
         "plain def endpoints are fine for blocking code, because FastAPI runs them in a thread "
         "pool."),
    # Database Architecture
    Item("DB-01", 'Database type selection is appropriate', A, L,
         "The datastore matches the data and the access patterns: a relational database (usually "
         "PostgreSQL) for transactional data with relations and constraints; a document, "
         "key-value, search or time-series store only where its strengths are needed. A wrong "
         "choice shows up later as missing transactions, hand-written joins or costly "
         "migrations. Evidence: link the decision record naming the store, its version and why "
         "it fits."),
    Item("DB-02", 'Schema is properly normalized/denormalized', A, M,
         "Transactional tables are normalized (typically third normal form) with foreign keys, "
         "NOT NULL and unique constraints declared in the models and migrations; any "
         "denormalization is deliberate, documented and kept in sync (trigger, task or "
         "materialized view). Poor schemas cause update anomalies and duplicated data that "
         "drifts. Evidence: link the ER diagram or models module and list the intentional "
         "denormalizations."),
    Item("DB-03", 'Indexes are strategically placed', H, M,
         "Columns used in the WHERE, JOIN and ORDER BY clauses of frequent queries are indexed "
         "(SQLAlchemy index=True or Index(), Django db_index / Meta.indexes), including foreign "
         "keys, which PostgreSQL does not index automatically; write-heavy tables are not "
         "over-indexed. Large tables get indexes with CREATE INDEX CONCURRENTLY to avoid locking "
         "writes. Evidence: EXPLAIN ANALYZE output or pg_stat_statements figures for the hottest "
         "queries."),
    Item("DB-04", 'Sharding/partitioning strategy exists if needed', A, L,
         "If data volume or write load is expected to outgrow one database node, the plan to "
         "partition (PostgreSQL declarative partitioning by time or tenant) or shard (Citus, "
         "per-tenant databases) is written down, including the partition key. Retrofitting a "
         "partition key into a large live schema is hard. Reviewer: give current and projected "
         "table sizes and either the strategy or a statement that it is not needed yet."),
    Item("DB-05", 'Read replicas planned for scale', A, L,
         "If read load is expected to exceed one primary, read replicas are planned and the code "
         "can route reads to them (Django DATABASE_ROUTERS, separate SQLAlchemy engines or "
         "session binds). Code must tolerate replication lag, e.g. by reading from the primary "
         "right after a write. Evidence: the read/write ratio, the routing mechanism, and how "
         "read-your-writes is handled, or why replicas are not needed."),
    Item("DB-06", 'Caching layer is implemented', H, M,
         "Expensive or frequent reads are cached in Redis or Memcached (Django cache framework, "
         "redis-py, fastapi-cache, cachetools for in-process caches) with explicit keys, TTLs "
         "and invalidation on writes. Without a cache, hot paths put avoidable load on the "
         "database; with a careless one, users see stale or other users' data. Evidence: what is "
         "cached, the TTLs, the invalidation rule and the observed hit rate."),
    Item("DB-07", 'Connection pooling is configured', H, M,
         "Database connections come from a pool created once per process: SQLAlchemy "
         "create_engine with pool_size, max_overflow and pool_pre_ping; Django CONN_MAX_AGE with "
         "CONN_HEALTH_CHECKS or the psycopg pool option (Django 5.1+); or PgBouncer. Opening a "
         "connection per request adds latency and can exhaust the server's connection limit "
         "(CWE-1072). Evidence: the pool settings and where the engine is created."),
    Item("DB-08", 'N+1 query issues are prevented', D, M,
         "Code that iterates over query results does not issue one query per row for related "
         "objects: use Django select_related / prefetch_related, SQLAlchemy selectinload / "
         "joinedload, or lazy='raise' to make accidental lazy loads fail. N+1 queries make "
         "response time grow with the page size and hammer the database. Evidence: tests that "
         "pin query counts (django_assert_num_queries, assertNumQueries) for list endpoints."),
    Item("DB-09", 'ORM choice is appropriate', A, L,
         "The ORM or query layer fits the framework and the team: the Django ORM inside Django, "
         "SQLAlchemy 2.0 (or SQLModel) with FastAPI and Flask, with async support where the app "
         "is async; raw SQL is reserved for reporting or performance-critical queries. Mixing "
         "several ORMs over the same tables duplicates models and transaction handling. "
         "Evidence: name the ORM, its version and where raw SQL is used and why."),
    Item("DB-10", 'Migration strategy is defined', D, HI,
         "Every schema change ships as a versioned migration in the repository (Alembic or "
         "Django migrations), CI fails when models and migrations disagree (alembic check, "
         "makemigrations --check --dry-run), and migrations run once per release as a separate "
         "step rather than at startup of every replica (12factor.net XII). Migrations are "
         "backward-compatible (expand, migrate, contract) so old and new code can run side by "
         "side during a deploy. Missing or hand-applied migrations cause production schema drift "
         "and failed deploys."),
    Item("DB-11", 'Backup and DR plans exist', A, HI,
         "Databases and other stateful stores have automated backups with point-in-time "
         "recovery, stored in another account or region, with a defined recovery point objective "
         "(RPO) and recovery time objective (RTO), and restores are tested. An untested backup "
         "is not a backup. Evidence: name the backup schedule and retention, the RPO/RTO, the "
         "date and result of the last restore test, and link the DR runbook (SOC 2 A1.2/A1.3, "
         "HIPAA §164.308(a)(7))."),
    # API Design
    Item("API-01", 'API design pattern is consistent (REST/GraphQL/gRPC)', H, L,
         "The service exposes one API style consistently: resource-oriented REST using HTTP "
         "methods and status codes as RFC 9110 defines them, a typed GraphQL schema (Strawberry, "
         "Graphene), or gRPC with versioned .proto files. RPC-style endpoints such as POST "
         "/doSomething mixed into a REST API confuse clients and tooling. Reviewer: name the "
         "style and any deliberate exceptions."),
    Item("API-02", 'Endpoints follow naming conventions', D, L,
         "Paths use plural nouns for collections and identifiers for items "
         "(/users/{user_id}/orders), no verbs, one case convention (kebab-case or snake_case), "
         "one trailing-slash policy, and consistent query parameter and JSON field naming. "
         "Consistent names make the API guessable and keep generated clients tidy. Evidence: "
         "link the style guide followed (for example Zalando RESTful API Guidelines or Google "
         "AIP) or the linter rule set (Spectral) that enforces it."),
    Item("API-03", 'Versioning strategy is defined', H, M,
         "Breaking changes are introduced under a new version (URL prefix such as "
         "APIRouter(prefix='/v1'), a header, or a media type), old versions have a documented "
         "deprecation period, and clients are told via Deprecation and Sunset headers (RFC "
         "8594). Without a strategy, any field rename breaks existing clients. Evidence: the "
         "versioning scheme and the deprecation policy (OWASP API Security Top 10 API9:2023)."),
    Item("API-04", 'Authentication/authorization is implemented', H, HI,
         "Every endpoint that is not deliberately public requires an authenticated caller and "
         "checks that the caller may act on that specific object: a FastAPI "
         "Depends(get_current_user) on the router, DRF DEFAULT_PERMISSION_CLASSES other than "
         "AllowAny, Django login_required or LoginRequiredMiddleware, Flask-Login "
         "login_required. Missing object-level checks let one user read or change another user's "
         "data (CWE-862, CWE-639, OWASP API1:2023). Reviewer: list the public endpoints and show "
         "where the default authentication is enforced."),
    Item("API-05", 'Rate limiting exists', H, M,
         "The API enforces per-client limits (per API key, user or IP) with slowapi, "
         "Flask-Limiter, DRF throttle classes, django-ratelimit or the gateway (NGINX limit_req, "
         "cloud API gateway usage plans), with counters in shared storage such as Redis so "
         "limits hold across workers. Excess requests get 429 Too Many Requests with Retry-After "
         "(RFC 6585). Unlimited APIs invite scraping and resource exhaustion (OWASP API4:2023, "
         "CWE-770)."),
    Item("API-06", 'API documentation is auto-generated', H, L,
         "The API reference is generated from the code rather than written by hand: FastAPI's "
         "OpenAPI schema from type hints and response_model, drf-spectacular for DRF, "
         "flask-smorest or apispec for Flask. Hand-written docs drift from the implementation "
         "after the first change. Evidence: point to the generator and the URL or file where the "
         "generated reference is published."),
    Item("API-07", 'Error handling is consistent', H, M,
         "All errors use one response shape, ideally RFC 9457 problem details "
         "(application/problem+json), with correct status codes (4xx for client errors, 5xx for "
         "server faults), produced by central handlers (FastAPI exception_handler, DRF "
         "EXCEPTION_HANDLER, Flask errorhandler). Responses never include stack traces, SQL or "
         "internal paths (CWE-209, OWASP ASVS V7.4.1). Evidence: the error schema and where the "
         "handlers are registered."),
    Item("API-08", 'Pagination is implemented', H, M,
         "Every endpoint that returns a collection is paginated with a maximum page size: cursor "
         "(keyset) pagination for large or changing data, limit/offset otherwise (DRF "
         "DEFAULT_PAGINATION_CLASS and PAGE_SIZE, fastapi-pagination, SQLAlchemy "
         "limit()/offset()). Returning query.all() on a table that grows makes responses slower "
         "and larger until they time out (CWE-770, OWASP API4:2023). Evidence: the pagination "
         "scheme and the enforced maximum."),
    Item("API-09", 'Input validation uses Pydantic or similar', D, M,
         "Request bodies, query and path parameters are parsed into declared schemas before use: "
         "Pydantic models in FastAPI, DRF serializers or Django forms, marshmallow or Pydantic "
         "in Flask; with types, length and range constraints, enums, and unknown fields rejected "
         "(extra='forbid') where appropriate. Reading request.json() into a dict and trusting it "
         "leads to crashes, mass assignment and injection bugs (CWE-20, OWASP ASVS V5.1)."),
    Item("API-10", 'OpenAPI/Swagger documentation exists', H, L,
         "A machine-readable OpenAPI 3.x description exists, is valid, and matches the deployed "
         "API: served at /openapi.json with Swagger UI or ReDoc, or exported into the repository "
         "and checked in CI. Clients, contract tests and gateways are generated from it. "
         "Evidence: link the spec and say whether the interactive docs are disabled or protected "
         "in production for internal APIs."),
    # Security
    Item("SEC-01", 'Authentication mechanism is secure (JWT/OAuth2)', H, C,
         "Authentication uses a vetted protocol and library (OAuth2 / OpenID Connect via "
         "Authlib, django-allauth, or framework sessions) and every token is fully verified: "
         "PyJWT jwt.decode with an explicit algorithms list, signature verification on, and exp, "
         "aud and iss checked; never verify_signature=False or the 'none' algorithm. Access "
         "tokens are short-lived, refresh tokens rotate, and session cookies are HttpOnly, "
         "Secure and SameSite. Unverified tokens let anyone forge an identity (CWE-347, RFC "
         "8725, OWASP ASVS V3.5)."),
    Item("SEC-02", 'Authorization model is well-defined (RBAC/ABAC)', H, HI,
         "Roles and permissions are defined in one place and enforced server-side on every "
         "request, denying by default: Django permissions and groups, DRF permission classes, "
         "FastAPI Security scopes, or a policy engine (Casbin, Oso) for attribute-based rules. "
         "Checks scattered in views get forgotten on new endpoints (CWE-285, OWASP ASVS V4.1, "
         "OWASP API5:2023). Evidence: the permission matrix (role by action) and the code that "
         "enforces it."),
    Item("SEC-03", 'CORS is properly configured', D, HI,
         "Cross-origin access is limited to an explicit list of trusted origins. Never combine a "
         "wildcard or reflected origin with credentials: FastAPI "
         "CORSMiddleware(allow_origins=['*'], allow_credentials=True), allow_origin_regex='.*', "
         "django-cors-headers CORS_ALLOW_ALL_ORIGINS with CORS_ALLOW_CREDENTIALS, or Flask-CORS "
         "supports_credentials with origins='*' let any site act as the logged-in user (CWE-942, "
         "OWASP ASVS V14.5.3). Evidence: the allowed origins per environment."),
    Item("SEC-04", 'CSRF protection is enabled where needed', D, HI,
         "When browsers authenticate with cookies, every state-changing request is protected by "
         "a CSRF token or an equivalent origin check: Django's CsrfViewMiddleware stays enabled "
         "and csrf_exempt is not used on cookie-authenticated views, Flask apps use Flask-WTF "
         "CSRFProtect, and FastAPI apps with cookie sessions add CSRF middleware; SameSite "
         "cookies are defence in depth. APIs authenticated only by bearer tokens in headers do "
         "not need it (CWE-352, OWASP ASVS V4.2.2)."),
    Item("SEC-05", 'Data is encrypted in transit (HTTPS/TLS)', D, HI,
         "All external traffic uses TLS 1.2 or later, plain HTTP is redirected and HSTS is set "
         "(SECURE_SSL_REDIRECT and SECURE_HSTS_SECONDS in Django, HTTPSRedirectMiddleware, "
         "Flask-Talisman, or at the load balancer), and cookies are marked Secure. Outgoing "
         "connections keep certificate verification: no verify=False in requests or httpx, no "
         "ssl._create_unverified_context or CERT_NONE, and database URLs use sslmode=verify-full "
         "where supported (CWE-319, CWE-295, OWASP ASVS V9.1/V9.2). Evidence: where TLS "
         "terminates and the TLS scan result."),
    Item("SEC-06", 'Data is encrypted at rest where needed', H, HI,
         "Sensitive data (personal data, credentials, tokens, health or payment data) is "
         "encrypted at rest: database volumes, object storage and backups use provider "
         "encryption with KMS-managed keys, and especially sensitive fields use "
         "application-level encryption (cryptography's Fernet or AES-GCM) with keys kept outside "
         "the code. A stolen disk, snapshot or backup must not expose data (CWE-311, CWE-312, "
         "GDPR Art. 32, HIPAA §164.312(a)(2)(iv)). Evidence: the stores, the key management and "
         "the key rotation schedule."),
    Item("SEC-07", 'Secrets management solution exists', D, C,
         "Credentials (database passwords, API keys, Django SECRET_KEY, JWT signing keys) live "
         "in a secrets manager (HashiCorp Vault, AWS Secrets Manager, GCP Secret Manager, "
         "Kubernetes Secrets via External Secrets or SOPS) and reach the app at runtime; none "
         "are hard-coded in source, settings, Dockerfiles or committed .env files. A leaked "
         "repository must not leak production access (CWE-798, OWASP ASVS V6.4.1). Evidence: "
         "name the secrets store, who can read it, and the rotation procedure."),
    Item("SEC-08", 'SQL injection is prevented (parameterized queries)', D, C,
         "Every query passes user input as bound parameters: cursor.execute(sql, params) with %s "
         "or named placeholders, SQLAlchemy text('... :id') with bind parameters or the ORM "
         "query API, Django querysets or raw(sql, params). Never build SQL with f-strings, %, + "
         "or .format() inside execute(), text(), raw() or extra(); table and column names (ORDER "
         "BY fields) come from an allowlist. SQL injection gives an attacker the database "
         "(CWE-89, OWASP ASVS V5.3.4)."),
    Item("SEC-09", 'XSS protections are in place', H, HI,
         "HTML output is escaped by default: Jinja2 with autoescape on (select_autoescape), "
         "Django templates with autoescaping left enabled, and no mark_safe, Markup or the safe "
         "filter on user-controlled data; render_template_string is never fed user input "
         "(template injection, CWE-1336). User-supplied rich text is cleaned with an HTML "
         "sanitizer (nh3) and a Content-Security-Policy limits damage. Cross-site scripting runs "
         "attacker code in users' browsers (CWE-79, OWASP ASVS V5.3.3)."),
    Item("SEC-10", 'Security headers are configured', D, M,
         "Responses carry the standard security headers: Strict-Transport-Security, "
         "Content-Security-Policy, X-Content-Type-Options: nosniff, frame-ancestors or "
         "X-Frame-Options, and Referrer-Policy, set by Django's SecurityMiddleware settings, "
         "Flask-Talisman, a middleware in FastAPI, or the reverse proxy. They block "
         "clickjacking, MIME sniffing and much of XSS (OWASP ASVS V14.4, OWASP Secure Headers "
         "Project). Evidence: the response headers of a production endpoint (curl -I output or a "
         "scanner report)."),
    Item("SEC-11", 'Dependency scanning is automated', H, M,
         "Known-vulnerable dependencies are found automatically: pip-audit or osv-scanner runs "
         "in CI on the lock file, Dependabot or Renovate proposes upgrades, and container images "
         "are scanned (Trivy, Grype); high-severity findings fail the build or open a ticket "
         "with a deadline. Vulnerable components are among the most common breach causes (OWASP "
         "Top 10 A06:2021, CWE-1104, OWASP ASVS V14.2.1). Evidence: link the CI job and the last "
         "scan result."),
    Item("SEC-12", 'Password hashing uses bcrypt/argon2', D, HI,
         "Passwords are stored only as salted, slow hashes: argon2id (argon2-cffi), bcrypt or "
         "scrypt, via Django PASSWORD_HASHERS (Argon2PasswordHasher first), pwdlib or passlib; "
         "never md5, sha1 or sha256 from hashlib, with or without salt, and never reversible "
         "encryption. Fast hashes let a leaked table be cracked in hours (CWE-916, CWE-759, "
         "OWASP ASVS V2.4, OWASP Password Storage Cheat Sheet). Evidence: the algorithm and its "
         "cost parameters."),
    Item("SEC-13", 'Audit logging is implemented', H, M,
         "Security events are logged with who, what, when, source IP and outcome: login success "
         "and failure, logout, password and MFA changes, role or permission changes, admin "
         "actions and denied access. Logs go to a store the application cannot alter and never "
         "contain passwords, tokens or full card numbers (CWE-532). Without them, incidents "
         "cannot be detected or investigated (CWE-778, OWASP ASVS V7.1/V7.2, OWASP Logging Cheat "
         "Sheet)."),
    Item("SEC-14", 'Rate limiting prevents abuse', H, M,
         "Abuse-prone endpoints (login, password reset, signup, one-time-code verification, "
         "costly searches, message sending) have stricter limits per account and per IP, with "
         "backoff or lockout and CAPTCHA where needed: django-axes, Flask-Limiter or slowapi "
         "decorators on those routes. This stops credential stuffing, brute force and spam "
         "(CWE-307, OWASP ASVS V2.2.1, OWASP API6:2023). Evidence: the limits on each sensitive "
         "endpoint."),
    Item("SEC-15", 'Input sanitization is thorough', D, HI,
         "Input that reaches a dangerous sink is validated or escaped for that sink: no "
         "shell=True or os.system with user data (CWE-78), no eval or exec, no pickle.loads or "
         "yaml.load on untrusted data (use yaml.safe_load, CWE-502), file paths resolved and "
         "checked against a base directory (CWE-22), outgoing URLs checked against an allowlist "
         "(SSRF, CWE-918), and uploads limited by size and type. These flaws lead to remote code "
         "execution or data theft (OWASP ASVS V5.2, V5.3)."),
    # Scalability & Performance
    Item("SCALE-01", 'Scaling strategy is defined (horizontal/vertical)', A, L,
         "It is written down how the service grows: horizontally by adding stateless processes "
         "behind a load balancer (12factor.net VI and VIII), or vertically with bigger machines, "
         "and which component becomes the bottleneck first (usually the database). Horizontal "
         "scaling requires that no session or upload state lives in process memory or on local "
         "disk. Evidence: current and target load and the scaling approach for the web tier, "
         "workers and database."),
    Item("SCALE-02", 'Load balancer is configured', A, L,
         "Traffic reaches the app through a load balancer or ingress (cloud load balancer, "
         "NGINX, Kubernetes Service and Ingress) that routes only to healthy instances and whose "
         "idle and request timeouts are aligned with the app server's. The app trusts forwarded "
         "headers only from that proxy (uvicorn --forwarded-allow-ips, werkzeug ProxyFix, Django "
         "SECURE_PROXY_SSL_HEADER). Evidence: the load balancer configuration and its health "
         "check."),
    Item("SCALE-03", 'Auto-scaling rules exist', A, L,
         "Instance counts adjust to load automatically: a Kubernetes HorizontalPodAutoscaler on "
         "CPU or requests per second, KEDA or a similar scaler on Celery queue length, or the "
         "cloud's auto-scaling group, with a minimum of two replicas and a maximum that the "
         "database connection limit can serve. Without rules, traffic peaks become outages or "
         "nights of manual scaling. Evidence: the autoscaling rules and their minimum and "
         "maximum."),
    Item("SCALE-04", 'Caching strategy is multi-layered', H, L,
         "Caching happens at the layers where it pays off, each with a TTL and an invalidation "
         "rule: HTTP caching (Cache-Control, ETag, CDN) for public responses, a shared cache "
         "(Redis) for computed data, and small in-process caches (functools.lru_cache, "
         "cachetools.TTLCache) for hot, rarely changing values. Per-user data must never land in "
         "a shared public cache. Evidence: a table of cache layers, what each holds and how it "
         "is invalidated."),
    Item("SCALE-05", 'Background jobs use queue system (Celery/RQ)', H, M,
         "Work that is slow, retryable or not needed for the response (emails, webhooks, "
         "reports, image processing) is sent to a task queue such as Celery, RQ, Dramatiq or arq "
         "through a durable broker, not run in threads or FastAPI BackgroundTasks, which are "
         "lost when the process restarts. Tasks are idempotent and receive IDs, not ORM objects. "
         "Evidence: the queue system, the broker and the list of task types."),
    Item("SCALE-06", 'Long-running tasks are async', D, M,
         "Operations that take more than a few seconds do not hold the HTTP request open: the "
         "endpoint enqueues a job and answers 202 Accepted with a job ID and a status endpoint, "
         "or notifies by webhook when done. Long requests hit load balancer and gateway "
         "timeouts, tie up workers and cannot be retried safely. Evidence: the long-running "
         "operations and how clients learn their result."),
    Item("SCALE-07", 'Database connection pooling is optimized', H, M,
         "Pool sizes are derived from the database's connection limit: processes times "
         "(pool_size plus max_overflow) across all replicas and workers stays below "
         "max_connections with headroom, or PgBouncer in transaction mode sits in front (then "
         "use NullPool and disable server-side prepared statements). pool_recycle is shorter "
         "than server and proxy idle timeouts, and pool wait time is monitored. Evidence: the "
         "sizing calculation and the observed peak connections."),
    Item("SCALE-08", 'ASGI server is production-ready', D, M,
         "Production runs a production server: uvicorn with several workers, gunicorn with "
         "uvicorn workers, hypercorn or granian for ASGI, gunicorn or uWSGI for WSGI (PEP 3333). "
         "It never runs manage.py runserver, flask run, app.run(), fastapi dev or uvicorn "
         "--reload, which are single-process, unhardened development servers. Evidence: the "
         "start command with worker count, timeouts and graceful shutdown settings."),
    Item("SCALE-09", 'GIL limitations are addressed', A, M,
         "CPU-bound work (image or PDF processing, large JSON or pandas transformations, heavy "
         "cryptography) does not run inline in the event loop or in threads of the web process, "
         "where the GIL serializes it; it runs in separate processes (gunicorn workers, "
         "ProcessPoolExecutor, Celery workers) or in native libraries that release the GIL. "
         "Threads are for I/O. Evidence: the CPU-heavy operations and where they run "
         "(free-threaded Python, PEP 703, is still experimental)."),
    Item("SCALE-10", 'Performance monitoring is in place', H, M,
         "Request latency percentiles (p50, p95, p99), throughput and error rate per endpoint, "
         "plus database query time and worker saturation, are measured continuously with an APM "
         "or OpenTelemetry-based tool (Sentry Performance, Datadog, New Relic, Grafana Tempo "
         "with Prometheus). Regressions are otherwise discovered by users. Evidence: link the "
         "performance dashboard."),
    Item("SCALE-11", 'Load testing has been conducted', H, L,
         "The service has been load-tested against a production-like environment at expected "
         "peak and beyond, with Locust or k6 scripts kept in the repository. The results show "
         "where it saturates and which component fails first. Evidence: the test date, the "
         "scenario, the achieved requests per second, p95 latency and error rate, and the "
         "limiting component."),
    # Observability
    Item("OBS-01", 'Structured logging is implemented', H, M,
         "Logs are structured events (JSON or key=value) produced through the logging module or "
         "structlog with logging.getLogger(__name__), never print(); each line carries a request "
         "or trace ID bound via contextvars, and levels are used consistently. Logs go to stdout "
         "for the platform to collect (12factor.net XI) and never contain secrets or unneeded "
         "personal data (CWE-532). Structured logs can be searched and aggregated; free text "
         "cannot."),
    Item("OBS-02", 'Log aggregation is configured', A, L,
         "Logs from every instance and worker are collected in one searchable place "
         "(Elasticsearch or OpenSearch, Grafana Loki, CloudWatch Logs, Datadog) with a defined "
         "retention period and access control. Logs left on individual containers vanish when "
         "the container is replaced. Evidence: the log platform, the retention and a saved query "
         "that finds all lines of one request ID."),
    Item("OBS-03", 'Metrics are collected (Prometheus/StatsD)', H, M,
         "The service exports request rate, error rate and duration per endpoint (RED) and "
         "saturation metrics such as pool usage and queue depth, via prometheus_client, "
         "prometheus-fastapi-instrumentator, django-prometheus or StatsD. Labels have bounded "
         "cardinality (no user IDs or raw paths), gunicorn setups use multiprocess mode, and "
         "/metrics is not public. Evidence: the metrics endpoint or exporter and the scrape "
         "configuration."),
    Item("OBS-04", 'Distributed tracing exists (OpenTelemetry)', H, M,
         "Requests are traced across services and into background tasks with OpenTelemetry: "
         "instrumentation for the web framework, HTTP clients (httpx, requests), SQLAlchemy or "
         "psycopg, Redis and Celery, W3C traceparent propagation, an OTLP exporter and a "
         "sampling policy, with the trace ID written into logs. Tracing shows where time goes in "
         "a request that crosses several components. Evidence: the tracing backend and a sample "
         "trace of a key flow."),
    Item("OBS-05", 'Error tracking is configured (Sentry)', H, M,
         "Unhandled exceptions are reported to an error tracker (Sentry or equivalent) with "
         "sentry_sdk.init reading its DSN from the environment, environment and release set, and "
         "framework and Celery integrations enabled; personal data is scrubbed "
         "(send_default_pii=False). New issues are routed to an owner. Evidence: the "
         "error-tracking project and how new issues are triaged."),
    Item("OBS-06", 'Health check endpoints exist', H, M,
         "The service exposes a liveness endpoint (process is up, no dependency checks) and a "
         "readiness endpoint (database, cache and broker reachable, each with a short timeout), "
         "both cheap and unauthenticated, wired to Kubernetes probes, the load balancer health "
         "check or Docker HEALTHCHECK. Without them, broken instances keep receiving traffic; a "
         "liveness check that tests the database restarts every pod when the database blips."),
    Item("OBS-07", 'Alerting rules are defined', A, M,
         "Alerts fire on symptoms users feel (error rate, p99 latency, SLO burn rate, queue "
         "backlog, dead-letter queue growth, certificate expiry), not only on CPU, and each has "
         "a severity, a route to an on-call person (PagerDuty, Opsgenie) and a runbook. Rules "
         "live in version control (Prometheus rules, Grafana, Terraform). Evidence: link the "
         "alert rules and the runbooks (Google SRE Workbook, Alerting on SLOs)."),
    Item("OBS-08", 'Performance baselines are established', A, L,
         "Normal values are known and recorded: typical and peak request rates, p95 and p99 "
         "latency per key endpoint, resource use per instance, and service level objectives "
         "derived from them. Baselines make regressions and capacity needs visible after a "
         "release. Evidence: link the SLO document or baseline dashboard and its date."),
    Item("OBS-09", 'Business metrics are tracked', A, L,
         "Domain events that show whether the product works (signups, orders placed, payments "
         "succeeded and failed, tasks completed) are emitted as counters or analytics events. "
         "Technical metrics can look healthy while a business flow is broken. Evidence: the list "
         "of business metrics and where they are displayed."),
    Item("OBS-10", 'Dashboards are created', A, L,
         "Dashboards show service health (request rate, errors, latency), dependencies "
         "(database, cache, queues), workers and business metrics, are defined as code (Grafana "
         "JSON, Terraform, Grafonnet) and are linked from the runbook. Good dashboards shorten "
         "incident diagnosis. Evidence: links to the dashboards."),
    # Deployment & Infrastructure
    Item("DEPLOY-01", 'Dockerfile is optimized (multi-stage)', D, M,
         "The Dockerfile uses a build stage that installs dependencies into a virtualenv and a "
         "slim runtime stage that copies only the virtualenv and the app; the base image is "
         "pinned by version or digest, dependency files are copied before the source for layer "
         "caching, a .dockerignore excludes .git, .env and tests, the process runs as a non-root "
         "USER (CIS Docker Benchmark 4.1) and CMD uses exec form so signals reach the server. No "
         "secrets are passed in ARG or ENV (use BuildKit secret mounts)."),
    Item("DEPLOY-02", 'Container orchestration is configured', H, M,
         "Containers are run by an orchestrator (Kubernetes with Helm or Kustomize, ECS, Nomad, "
         "Cloud Run) whose configuration is versioned: replica count, resource requests and "
         "limits, liveness and readiness probes, rolling update settings, a PodDisruptionBudget, "
         "and a termination grace period that matches the server's graceful shutdown. Evidence: "
         "link the manifests or chart."),
    Item("DEPLOY-03", 'CI/CD pipeline is automated', D, M,
         "A pipeline (GitHub Actions, GitLab CI) runs lint, type checks and tests on every pull "
         "request, builds the image once on merge, tags it immutably (git SHA) and deploys it to "
         "staging and then production without manual commands on servers (12factor.net V). "
         "Manual deploys are slow, error-prone and unauditable (SOC 2 CC8.1). Evidence: link the "
         "workflow files and a recent run."),
    Item("DEPLOY-04", 'Environment parity exists (dev/staging/prod)', A, M,
         "Development, staging and production run the same image and the same kinds and versions "
         "of backing services (PostgreSQL locally via Docker Compose or Testcontainers, not "
         "SQLite), differing only in configuration (12factor.net X). Parity gaps let bugs pass "
         "tests and appear only in production. Evidence: how each environment is built and the "
         "known differences."),
    Item("DEPLOY-05", 'Infrastructure as Code is used', H, L,
         "Cloud resources (databases, queues, buckets, DNS, IAM, networks) are defined in "
         "Terraform, OpenTofu, Pulumi or CloudFormation/CDK in version control, changed through "
         "reviewed pull requests with a plan, and kept in remote state with locking. Hand-made "
         "resources cannot be reproduced after a disaster or audited. Evidence: link the IaC "
         "repository and say which resources, if any, are still managed by hand."),
    Item("DEPLOY-06", 'Deployment strategy is safe (blue-green/canary)', A, M,
         "Releases roll out without downtime and with a limited blast radius: rolling updates "
         "with maxUnavailable 0 and readiness gates, blue-green, or canary releases (Argo "
         "Rollouts, Flagger) with automatic rollback on error metrics. Database migrations are "
         "backward-compatible so old and new versions run side by side. Evidence: the strategy "
         "and the metric that stops a bad release."),
    Item("DEPLOY-07", 'Rollback procedure is defined', A, M,
         "There is a written, tested way to return to the previous release: redeploy the "
         "previous immutable image (helm rollback, kubectl rollout undo), and a stated policy "
         "for migrations (reversible Alembic downgrade or Django reverse migrations, or "
         "forward-only with backward-compatible schemas). Feature flags allow disabling a change "
         "without a deploy. Evidence: link the rollback runbook and give the date of the last "
         "rollback or drill."),
    Item("DEPLOY-08", 'Configuration is externalized', H, M,
         "Everything that varies between environments (URLs, credentials, feature flags, DEBUG) "
         "is read from the environment at startup into one typed settings object "
         "(pydantic-settings BaseSettings, django-environ) instead of being hard-coded or chosen "
         "by per-environment code (12factor.net III). DEBUG defaults to off: Django or Flask "
         "debug mode in production exposes settings, source and an interactive debugger "
         "(CWE-489, OWASP ASVS V14.3.2). Evidence: the settings module and the list of "
         "variables."),
    Item("DEPLOY-09", 'Secrets are managed securely', D, C,
         "Secrets reach the running containers from a secrets manager or the orchestrator's "
         "secret store at deploy or run time; they are not baked into images, written in "
         "Dockerfile ENV or ARG, committed in docker-compose files, Helm values or .env files, "
         "or printed in CI logs. Secret scanning (gitleaks, detect-secrets, GitHub secret "
         "scanning) guards the repository (CWE-798, CWE-540). Evidence: how secrets are "
         "injected, who can read them, and when they were last rotated."),
    Item("DEPLOY-10", 'Dependencies are pinned and managed (Poetry/PDM)', D, M,
         "Dependencies are declared in pyproject.toml (PEP 621) and locked with exact versions "
         "and hashes in a committed lock file (poetry.lock, pdm.lock, uv.lock, or pip-compile "
         "--generate-hashes output); images and CI install from the lock (uv sync --frozen, "
         "poetry install, pip install --require-hashes). Unpinned installs make builds "
         "unreproducible and open the door to malicious releases (12factor.net II). Evidence: "
         "the lock file and the update process (Dependabot, Renovate)."),
    # Code Organization
    Item("CODE-01", 'Project structure is clear and logical', A, L,
         "The repository layout tells a newcomer where things are: one importable package (often "
         "under src/), organized by feature or layer (routers or views, services, repositories, "
         "schemas, models), with tests/, configuration and deployment files in conventional "
         "places and pyproject.toml at the root. Evidence: a short tree of the top two levels in "
         "the README, or confirmation that it follows the framework's standard layout."),
    Item("CODE-02", 'Module boundaries are well-defined', A, L,
         "Packages expose a small public interface and import each other only in the intended "
         "direction: web layer to services to data access, never the reverse, and features do "
         "not reach into each other's internals. Rules can be enforced with import-linter "
         "contracts in CI. Clear boundaries keep changes local and make later extraction into a "
         "service possible. Evidence: the layering rules and how they are enforced."),
    Item("CODE-03", 'No circular dependencies exist', D, M,
         "Modules do not import each other in a cycle, directly or through a chain. Cycles cause "
         "ImportError or partially initialized modules depending on import order, tempt people "
         "into imports inside functions, and make packages impossible to split (CWE-1047). "
         "Evidence: the output of a cycle check (import-linter, pydeps, pylint cyclic-import) in "
         "CI."),
    Item("CODE-04", 'Dependency injection is used appropriately', A, L,
         "Collaborators such as database sessions, HTTP clients, settings and repositories are "
         "passed in rather than created inside functions or at import time: FastAPI Depends, "
         "constructor arguments, or a container such as dependency-injector. This makes code "
         "testable (app.dependency_overrides in tests) and controls resource lifetimes; "
         "over-abstracting simple code with a framework is also a smell. Evidence: how sessions "
         "and clients are provided to request handlers."),
    Item("CODE-05", 'Configuration management is centralized', H, M,
         "Configuration is read in one module into one typed object (pydantic-settings "
         "BaseSettings, Django settings with django-environ), validated at startup, and imported "
         "from there; os.environ and os.getenv are not scattered through the code. Central "
         "settings fail fast on missing values and document every option in one place "
         "(12factor.net III). Evidence: the settings module."),
    Item("CODE-06", 'Type hints are used throughout', H, L,
         "Functions, methods and module-level variables carry type hints (PEP 484, PEP 526) and "
         "a type checker (mypy or pyright) runs in CI with a strict or near-strict configuration "
         "such as disallow_untyped_defs. Types catch whole classes of bugs before runtime and "
         "drive FastAPI and Pydantic validation. Evidence: the type checker configuration and "
         "its CI job."),
    Item("CODE-07", 'Tests are well-organized (pytest)', H, L,
         "Tests use pytest, live under tests/ mirroring the package layout, share setup through "
         "conftest.py fixtures, and separate slow integration tests with registered markers; "
         "pytest settings live in pyproject.toml with strict options (--strict-markers). A "
         "predictable layout makes missing tests visible and lets CI run subsets. Evidence: the "
         "test tree and the pytest configuration."),
    Item("CODE-08", 'Code follows PEP 8 standards', H, L,
         "Code follows PEP 8 naming and layout conventions, with exceptions such as line length "
         "agreed in the project configuration. The point is consistency, which is best enforced "
         "by a formatter and linter rather than by reviewers. Evidence: the linter configuration "
         "and a clean run on the whole codebase."),
    Item("CODE-09", 'Linting/formatting is automated (Ruff/Black)', H, L,
         "Ruff (or Black plus flake8 and isort) runs automatically as a pre-commit hook and as a "
         "required CI check, with the configuration in pyproject.toml and every ignored rule "
         "commented. Automated formatting removes style debates from reviews and catches common "
         "bugs early. Evidence: link the pre-commit configuration and the CI job."),
    # Resilience
    Item("RES-01", 'Retry logic exists for external calls', H, M,
         "Calls to other services, databases and brokers that can fail transiently are retried "
         "with a bounded number of attempts, exponential backoff and jitter (tenacity, urllib3 "
         "Retry, httpx transport retries, Celery autoretry_for with retry_backoff), honouring "
         "Retry-After. Only idempotent operations, or ones protected by idempotency keys, are "
         "retried, and retries happen at one layer to avoid retry storms."),
    Item("RES-02", 'Circuit breakers protect external services', H, M,
         "Calls to dependencies that can fail or slow down for long periods go through a circuit "
         "breaker (pybreaker, aiobreaker, purgatory, or a service mesh such as Envoy or Istio) "
         "that fails fast after repeated errors and probes again after a cool-down. Without one, "
         "a dead dependency ties up every worker waiting on it and the failure cascades. "
         "Evidence: which dependencies are protected and the thresholds."),
    Item("RES-03", 'Timeouts are configured appropriately', D, M,
         "Every network call has an explicit timeout shorter than the caller's own deadline: "
         "requests has no default timeout and waits forever, so pass timeout=(connect, read); "
         "configure httpx.Timeout and aiohttp.ClientTimeout; set database statement_timeout and "
         "connect_timeout, Redis socket timeouts, Celery soft_time_limit and time_limit, and "
         "server worker timeouts. A missing timeout turns a slow dependency into exhausted "
         "workers (CWE-1088)."),
    Item("RES-04", 'Graceful degradation is implemented', A, M,
         "When a non-essential dependency fails, the service keeps its core function: it serves "
         "cached or default data, hides the optional feature, queues work for later, or answers "
         "503 with Retry-After instead of hanging or crashing. Feature flags or kill switches "
         "let operators turn off expensive features under load. Evidence: for each dependency, "
         "what users see when it is down."),
    Item("RES-05", 'Error handling is consistent', D, M,
         "Exceptions are handled deliberately: no bare except or except Exception: pass that "
         "hides failures (CWE-396, CWE-390), errors are logged once with the traceback "
         "(logger.exception) at the boundary that handles them, domain exceptions are mapped to "
         "responses in one place, and tasks re-raise so retries and dead-lettering work. "
         "Swallowed errors turn outages into silent data loss."),
    Item("RES-06", 'Dead letter queues exist', H, M,
         "Messages and tasks that keep failing end up in a dead-letter queue rather than being "
         "dropped or retried forever: a RabbitMQ dead-letter exchange, an SQS redrive policy "
         "with maxReceiveCount, a Kafka dead-letter topic, or RQ's FailedJobRegistry, with "
         "Celery acks_late and task_reject_on_worker_lost so crashes do not lose work. The queue "
         "is monitored and can be replayed. Evidence: the DLQ configuration, its alert and the "
         "replay procedure."),
    Item("RES-07", 'Bulkhead patterns separate concerns', A, L,
         "Independent workloads do not share one pool of resources that a single misbehaving "
         "part can exhaust: separate Celery queues and worker pools for slow and fast tasks, "
         "separate connection pools or httpx.Limits per downstream service, asyncio.Semaphore "
         "around expensive calls, and separate deployments for public and internal traffic. "
         "Evidence: the isolated pools and what each protects."),
    Item("RES-08", 'Rate limiting protects resources', H, M,
         "The service protects itself and its dependencies from overload: bounded concurrency "
         "(server worker and connection limits, semaphores), load shedding with 503 when queues "
         "are full, Celery prefetch and rate_limit settings, and outbound rate limits that "
         "respect third-party API quotas. Without limits, a traffic spike degrades into a full "
         "outage. Evidence: the limits and what happens when they are reached."),
    # Testing
    Item("TEST-01", 'Unit tests exist (>80% coverage)', H, M,
         "Unit tests cover the business logic, and line and branch coverage is measured with "
         "pytest-cov and enforced in CI (--cov-fail-under=80, branch = true). Coverage is a "
         "floor, not a goal: assertions must check behaviour, and untested critical modules "
         "matter more than the overall figure. Evidence: the current coverage figure and the CI "
         "threshold."),
    Item("TEST-02", 'Integration tests cover critical paths', H, M,
         "The critical paths (sign-up and login, payments, the main write flows, migrations) are "
         "tested against real backing services (PostgreSQL, Redis, the broker) started with "
         "Testcontainers or Docker Compose, not only against mocks or SQLite. Integration tests "
         "catch SQL, transaction and serialization bugs that unit tests miss. Evidence: the list "
         "of critical paths and the tests that cover them."),
    Item("TEST-03", 'API tests validate contracts', H, M,
         "API tests check requests and responses against the published contract: FastAPI "
         "TestClient or httpx tests asserting status codes and schemas, property-based tests "
         "generated from the OpenAPI document (Schemathesis), or consumer-driven contracts "
         "(Pact) between services. A CI check that diffs the OpenAPI spec catches accidental "
         "breaking changes. Evidence: the contract test suite and where it runs."),
    Item("TEST-04", 'Load tests verify performance', H, L,
         "Load tests (Locust, k6) with pass/fail thresholds for latency and error rate are kept "
         "in the repository and run before major releases or on a schedule against a "
         "production-like environment. They verify the capacity assumptions rather than leaving "
         "them to production traffic. Evidence: the scripts, the thresholds and the date of the "
         "last run."),
    Item("TEST-05", 'Security tests check vulnerabilities', H, M,
         "Security checks run automatically: static analysis (Bandit or Ruff's S rules, "
         "Semgrep), dependency audits (pip-audit), tests that assert 401 and 403 for "
         "unauthenticated users and for other users' objects, and periodic dynamic scans (OWASP "
         "ZAP) or penetration tests. Access control regressions are the most common API flaw "
         "(OWASP API1:2023). Evidence: the CI jobs and the date and result of the last "
         "penetration test."),
    Item("TEST-06", 'Test fixtures are reusable', H, L,
         "Test setup is shared through pytest fixtures in conftest.py with appropriate scopes "
         "and through factories (factory_boy, model_bakery, polyfactory) rather than copied "
         "between tests. Reusable fixtures keep tests short and consistent and make schema "
         "changes cheap. Evidence: the fixture and factory modules."),
    Item("TEST-07", 'Mocking is used appropriately', D, L,
         "Mocks replace only external boundaries (third-party HTTP via respx or responses, time "
         "via time-machine or freezegun, email, cloud SDKs), use autospec (mock.create_autospec, "
         "autospec=True) so signatures stay honest, and never replace the code under test. "
         "Over-mocking produces tests that pass while production fails, especially when the "
         "database is mocked. Evidence: what is mocked and why."),
    Item("TEST-08", 'CI runs tests automatically', H, M,
         "CI runs the full test suite on every pull request and on the main branch, with the "
         "same Python version and dependency lock as production, and the test job is a required "
         "status check for merging. Tests that only run on laptops get skipped. Evidence: link "
         "the CI workflow and the branch protection rule."),
    # Documentation
    Item("DOC-01", 'API documentation is complete', H, L,
         "Every endpoint is documented with a summary, parameters, request and response schemas "
         "with examples, the possible error responses and the required authentication or scopes "
         "(FastAPI summary, description, responses= and Pydantic Field descriptions; "
         "drf-spectacular extend_schema). Incomplete docs push clients to guess and to read the "
         "source. Evidence: link the rendered reference."),
    Item("DOC-02", 'Architecture diagrams exist', H, L,
         "Current diagrams show the system context and its containers (services, databases, "
         "queues, external APIs) and the main data flows, ideally following the C4 model and "
         "kept as code (Mermaid, PlantUML, Structurizr) in the repository so they change with "
         "the code. Evidence: link the diagrams and the date they were last updated."),
    Item("DOC-03", 'Setup instructions are clear', H, L,
         "A new developer can go from a clean clone to a running app and a passing test suite by "
         "following a few documented commands: prerequisites with versions, dependency install "
         "(uv sync, poetry install), backing services (docker compose up), migrations and seed "
         "data. Evidence: the setup section, ideally verified recently by someone new to the "
         "project."),
    Item("DOC-04", 'Configuration is documented', H, L,
         "Every setting is documented in one table: environment variable name, meaning, type, "
         "default, whether it is required, and whether it is secret, with an .env.example "
         "containing no real values. Undocumented settings cause failed deploys and risky "
         "guesses. Evidence: link the table and confirm it matches the settings class."),
    Item("DOC-05", 'Deployment process is documented', H, L,
         "The release process is written down: how a change reaches production, how migrations "
         "run, who may deploy and approve, how to verify a release and how to roll it back. "
         "Anyone on call must be able to deploy or revert without the one person who knows. "
         "Evidence: link the deployment runbook."),
    Item("DOC-06", 'Code has docstrings', H, L,
         "Public modules, classes and functions have docstrings (PEP 257) that explain purpose, "
         "non-obvious parameters, return values and raised exceptions, especially in service and "
         "domain code; Ruff's pydocstyle (D) rules can enforce their presence. Docstrings also "
         "feed the generated API documentation. Evidence: the lint rule or a sample of the core "
         "modules."),
    Item("DOC-07", 'README is comprehensive', H, L,
         "The README states what the service does and who owns it, and links or covers "
         "architecture, setup, configuration, running tests, deployment and where to get help. "
         "It is the entry point for new team members and on-call engineers. Evidence: link the "
         "README."),
    Item("DOC-08", 'Contributing guidelines exist', D, L,
         "A CONTRIBUTING.md explains the branch and pull request workflow, commit and review "
         "rules, how to run linters and tests locally, and who reviews what (CODEOWNERS). It "
         "makes contributions consistent and reviews faster. Evidence: link the file."),
    # Compliance & Standards
    Item("COMP-01", 'GDPR compliance addressed if applicable', H, M,
         "If the service processes personal data of people in the EU, processing has a lawful "
         "basis (GDPR Art. 6), is recorded (Art. 30), collects only what is needed (Art. "
         "5(1)(c)), and data subject rights are implemented in code: export (Art. 15, 20) and "
         "erasure (Art. 17) across the database, caches, logs and backups. Processors have "
         "agreements (Art. 28) and breaches can be reported within 72 hours (Art. 33). Evidence: "
         "the record of processing entry and the code paths for export and deletion, or why GDPR "
         "does not apply."),
    Item("COMP-02", 'HIPAA compliance addressed if applicable', H, M,
         "If the service handles protected health information, the HIPAA Security Rule technical "
         "safeguards are met: unique user access control (§164.312(a)(1)), audit controls "
         "(§164.312(b)), integrity (§164.312(c)(1)), person or entity authentication "
         "(§164.312(d)) and transmission security (§164.312(e)(1)); PHI is encrypted at rest, "
         "kept out of logs and error trackers, and every vendor that touches it has a business "
         "associate agreement. Evidence: the safeguard mapping and the signed BAAs, or why HIPAA "
         "does not apply."),
    Item("COMP-03", 'SOC 2 requirements met if applicable', A, M,
         "If customers require SOC 2, the service operates the relevant controls and keeps "
         "evidence: reviewed and tested changes (CC8.1), least-privilege logical access (CC6.1), "
         "monitoring and incident response (CC7.2 to CC7.4), vendor risk (CC9.2) and, for "
         "availability, backups and recovery tests (A1.2, A1.3). Evidence: the control owner, "
         "the audit period, and where the evidence for each control is collected, or why SOC 2 "
         "does not apply."),
    Item("COMP-04", 'Data retention policies defined', A, M,
         "Each category of stored data (accounts, orders, logs, backups, uploads) has a "
         "documented retention period and an automated job (Celery beat or cron) that deletes or "
         "anonymizes expired records; log and backup retention match the policy. Keeping data "
         "forever violates storage limitation (GDPR Art. 5(1)(e)) and enlarges breaches. "
         "Evidence: the retention table and the deletion job."),
    Item("COMP-05", 'Privacy policies implemented', A, M,
         "What the published privacy policy promises is what the code does: consent is recorded "
         "before optional processing such as analytics or marketing (GDPR Art. 7), opt-outs are "
         "honoured, personal data fields are identified, and data goes only to the listed third "
         "parties. Evidence: map each policy statement to its implementation (consent model, "
         "opt-out handling, list of outbound integrations)."),
    Item("COMP-06", 'Audit trails exist', H, M,
         "Changes to important business records (who changed what, when, from which value to "
         "which) are kept in an append-only history that the application cannot silently "
         "rewrite: django-simple-history, SQLAlchemy-Continuum, database triggers or pgaudit, "
         "shipped to restricted storage and retained per policy (HIPAA §164.312(b), SOC 2 "
         "CC7.2). Evidence: the audited entities, where the trail is stored and who can read it."),
    Item("COMP-07", '12-Factor App principles followed', H, L,
         "The service follows the twelve factors at 12factor.net: one codebase, declared and "
         "isolated dependencies, config in the environment, backing services as attached "
         "resources, separate build, release and run stages, stateless processes, port binding, "
         "concurrency via processes, fast startup and graceful shutdown, dev/prod parity, logs "
         "as event streams, and admin tasks as one-off processes. Reviewer: list any factor the "
         "service deviates from and why."),
)

_BY_ID = {item.id: item for item in ITEMS}


def canonical(item_id: str) -> str:
    """``" sec-8 "`` -> ``"SEC-08"``: upper case, no spaces, two-digit number."""
    text = item_id.strip().upper()
    prefix, sep, number = text.partition("-")
    if sep and number.isdigit() and len(number) == 1:
        return f"{prefix}-0{number}"
    return text


def find(item_id: str) -> Item | None:
    """The item with this ID, case-insensitive, ignoring surrounding spaces and a missing
    leading zero (``sec-8`` is ``SEC-08``), or None."""
    return _BY_ID.get(canonical(item_id))


def get(item_id: str) -> Item:
    """The item with this ID, case-insensitive; raises ``KeyError`` naming the ID if unknown."""
    item = find(item_id)
    if item is None:
        raise KeyError(f"unknown checklist item {item_id!r}")
    return item


def in_domain(domain: Domain) -> tuple[Item, ...]:
    """The items of one domain, in checklist order."""
    return tuple(i for i in ITEMS if i.domain is domain)
