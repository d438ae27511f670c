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
    Item("ARCH-01", 'Architecture style matches scale and complexity', A, M, ""),
    Item("ARCH-02", 'Service boundaries are well-defined', A, M, ""),
    Item("ARCH-03", 'Communication patterns are appropriate', A, M, ""),
    Item("ARCH-04", 'No unnecessary over-engineering', A, M, ""),
    Item("ARCH-05", 'Single points of failure identified and addressed', A, M, ""),
    Item("ARCH-06", 'Dependency management is clear', A, M, ""),
    Item("ARCH-07", 'Framework choice is justified (FastAPI/Django/Flask/etc.)', A, M, ""),
    Item("ARCH-08", 'Async patterns are properly utilized where needed', A, M, ""),
    # Database Architecture
    Item("DB-01", 'Database type selection is appropriate', A, M, ""),
    Item("DB-02", 'Schema is properly normalized/denormalized', A, M, ""),
    Item("DB-03", 'Indexes are strategically placed', A, M, ""),
    Item("DB-04", 'Sharding/partitioning strategy exists if needed', A, M, ""),
    Item("DB-05", 'Read replicas planned for scale', A, M, ""),
    Item("DB-06", 'Caching layer is implemented', A, M, ""),
    Item("DB-07", 'Connection pooling is configured', A, M, ""),
    Item("DB-08", 'N+1 query issues are prevented', A, M, ""),
    Item("DB-09", 'ORM choice is appropriate', A, M, ""),
    Item("DB-10", 'Migration strategy is defined', A, M, ""),
    Item("DB-11", 'Backup and DR plans exist', A, M, ""),
    # API Design
    Item("API-01", 'API design pattern is consistent (REST/GraphQL/gRPC)', A, M, ""),
    Item("API-02", 'Endpoints follow naming conventions', A, M, ""),
    Item("API-03", 'Versioning strategy is defined', A, M, ""),
    Item("API-04", 'Authentication/authorization is implemented', A, M, ""),
    Item("API-05", 'Rate limiting exists', A, M, ""),
    Item("API-06", 'API documentation is auto-generated', A, M, ""),
    Item("API-07", 'Error handling is consistent', A, M, ""),
    Item("API-08", 'Pagination is implemented', A, M, ""),
    Item("API-09", 'Input validation uses Pydantic or similar', A, M, ""),
    Item("API-10", 'OpenAPI/Swagger documentation exists', A, M, ""),
    # Security
    Item("SEC-01", 'Authentication mechanism is secure (JWT/OAuth2)', A, M, ""),
    Item("SEC-02", 'Authorization model is well-defined (RBAC/ABAC)', A, M, ""),
    Item("SEC-03", 'CORS is properly configured', A, M, ""),
    Item("SEC-04", 'CSRF protection is enabled where needed', A, M, ""),
    Item("SEC-05", 'Data is encrypted in transit (HTTPS/TLS)', A, M, ""),
    Item("SEC-06", 'Data is encrypted at rest where needed', A, M, ""),
    Item("SEC-07", 'Secrets management solution exists', A, M, ""),
    Item("SEC-08", 'SQL injection is prevented (parameterized queries)', A, M, ""),
    Item("SEC-09", 'XSS protections are in place', A, M, ""),
    Item("SEC-10", 'Security headers are configured', A, M, ""),
    Item("SEC-11", 'Dependency scanning is automated', A, M, ""),
    Item("SEC-12", 'Password hashing uses bcrypt/argon2', A, M, ""),
    Item("SEC-13", 'Audit logging is implemented', A, M, ""),
    Item("SEC-14", 'Rate limiting prevents abuse', A, M, ""),
    Item("SEC-15", 'Input sanitization is thorough', A, M, ""),
    # Scalability & Performance
    Item("SCALE-01", 'Scaling strategy is defined (horizontal/vertical)', A, M, ""),
    Item("SCALE-02", 'Load balancer is configured', A, M, ""),
    Item("SCALE-03", 'Auto-scaling rules exist', A, M, ""),
    Item("SCALE-04", 'Caching strategy is multi-layered', A, M, ""),
    Item("SCALE-05", 'Background jobs use queue system (Celery/RQ)', A, M, ""),
    Item("SCALE-06", 'Long-running tasks are async', A, M, ""),
    Item("SCALE-07", 'Database connection pooling is optimized', A, M, ""),
    Item("SCALE-08", 'ASGI server is production-ready', A, M, ""),
    Item("SCALE-09", 'GIL limitations are addressed', A, M, ""),
    Item("SCALE-10", 'Performance monitoring is in place', A, M, ""),
    Item("SCALE-11", 'Load testing has been conducted', A, M, ""),
    # Observability
    Item("OBS-01", 'Structured logging is implemented', A, M, ""),
    Item("OBS-02", 'Log aggregation is configured', A, M, ""),
    Item("OBS-03", 'Metrics are collected (Prometheus/StatsD)', A, M, ""),
    Item("OBS-04", 'Distributed tracing exists (OpenTelemetry)', A, M, ""),
    Item("OBS-05", 'Error tracking is configured (Sentry)', A, M, ""),
    Item("OBS-06", 'Health check endpoints exist', A, M, ""),
    Item("OBS-07", 'Alerting rules are defined', A, M, ""),
    Item("OBS-08", 'Performance baselines are established', A, M, ""),
    Item("OBS-09", 'Business metrics are tracked', A, M, ""),
    Item("OBS-10", 'Dashboards are created', A, M, ""),
    # Deployment & Infrastructure
    Item("DEPLOY-01", 'Dockerfile is optimized (multi-stage)', A, M, ""),
    Item("DEPLOY-02", 'Container orchestration is configured', A, M, ""),
    Item("DEPLOY-03", 'CI/CD pipeline is automated', A, M, ""),
    Item("DEPLOY-04", 'Environment parity exists (dev/staging/prod)', A, M, ""),
    Item("DEPLOY-05", 'Infrastructure as Code is used', A, M, ""),
    Item("DEPLOY-06", 'Deployment strategy is safe (blue-green/canary)', A, M, ""),
    Item("DEPLOY-07", 'Rollback procedure is defined', A, M, ""),
    Item("DEPLOY-08", 'Configuration is externalized', A, M, ""),
    Item("DEPLOY-09", 'Secrets are managed securely', A, M, ""),
    Item("DEPLOY-10", 'Dependencies are pinned and managed (Poetry/PDM)', A, M, ""),
    # Code Organization
    Item("CODE-01", 'Project structure is clear and logical', A, M, ""),
    Item("CODE-02", 'Module boundaries are well-defined', A, M, ""),
    Item("CODE-03", 'No circular dependencies exist', A, M, ""),
    Item("CODE-04", 'Dependency injection is used appropriately', A, M, ""),
    Item("CODE-05", 'Configuration management is centralized', A, M, ""),
    Item("CODE-06", 'Type hints are used throughout', A, M, ""),
    Item("CODE-07", 'Tests are well-organized (pytest)', A, M, ""),
    Item("CODE-08", 'Code follows PEP 8 standards', A, M, ""),
    Item("CODE-09", 'Linting/formatting is automated (Ruff/Black)', A, M, ""),
    # Resilience
    Item("RES-01", 'Retry logic exists for external calls', A, M, ""),
    Item("RES-02", 'Circuit breakers protect external services', A, M, ""),
    Item("RES-03", 'Timeouts are configured appropriately', A, M, ""),
    Item("RES-04", 'Graceful degradation is implemented', A, M, ""),
    Item("RES-05", 'Error handling is consistent', A, M, ""),
    Item("RES-06", 'Dead letter queues exist', A, M, ""),
    Item("RES-07", 'Bulkhead patterns separate concerns', A, M, ""),
    Item("RES-08", 'Rate limiting protects resources', A, M, ""),
    # Testing
    Item("TEST-01", 'Unit tests exist (>80% coverage)', A, M, ""),
    Item("TEST-02", 'Integration tests cover critical paths', A, M, ""),
    Item("TEST-03", 'API tests validate contracts', A, M, ""),
    Item("TEST-04", 'Load tests verify performance', A, M, ""),
    Item("TEST-05", 'Security tests check vulnerabilities', A, M, ""),
    Item("TEST-06", 'Test fixtures are reusable', A, M, ""),
    Item("TEST-07", 'Mocking is used appropriately', A, M, ""),
    Item("TEST-08", 'CI runs tests automatically', A, M, ""),
    # Documentation
    Item("DOC-01", 'API documentation is complete', A, M, ""),
    Item("DOC-02", 'Architecture diagrams exist', A, M, ""),
    Item("DOC-03", 'Setup instructions are clear', A, M, ""),
    Item("DOC-04", 'Configuration is documented', A, M, ""),
    Item("DOC-05", 'Deployment process is documented', A, M, ""),
    Item("DOC-06", 'Code has docstrings', A, M, ""),
    Item("DOC-07", 'README is comprehensive', A, M, ""),
    Item("DOC-08", 'Contributing guidelines exist', A, M, ""),
    # Compliance & Standards
    Item("COMP-01", 'GDPR compliance addressed if applicable', A, M, ""),
    Item("COMP-02", 'HIPAA compliance addressed if applicable', A, M, ""),
    Item("COMP-03", 'SOC 2 requirements met if applicable', A, M, ""),
    Item("COMP-04", 'Data retention policies defined', A, M, ""),
    Item("COMP-05", 'Privacy policies implemented', A, M, ""),
    Item("COMP-06", 'Audit trails exist', A, M, ""),
    Item("COMP-07", '12-Factor App principles followed', A, M, ""),
)

_BY_ID = {item.id: item for item in ITEMS}


def find(item_id: str) -> Item | None:
    """The item with this ID, case-insensitive and ignoring surrounding spaces, or None."""
    return _BY_ID.get(item_id.strip().upper())


def get(item_id: str) -> Item:
    """The item with this ID, case-insensitive; raises ``KeyError`` naming the ID if unknown."""
    item = find(item_id)
    if item is None:
        raise KeyError(f"unknown checklist item {item_id!r}")
    return item


def in_domain(domain: Domain) -> tuple[Item, ...]:
    """The items of one domain, in checklist order."""
    return tuple(i for i in ITEMS if i.domain is domain)
