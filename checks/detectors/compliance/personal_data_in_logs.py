"""Personal or health data written to logs.

## What it flags
Log calls (``logging``, a ``logger``/``log`` object, ``app.logger``, structlog, loguru, or a
function of the project's own logging module such as ``app.utils.logging.log``) and
``print()`` in service code whose arguments carry a field named for personal data: e-mail,
phone, date of birth, SSN or national id, passport, postal address, IP address, payment card,
IBAN, first/last/full name, password (COMP-01); or for health data: diagnosis, medical record,
prescription, medication, lab result, allergies, blood type (COMP-02). Names are read from
variables, attributes (``user.email``), subscripts and ``.get()`` keys (``data["phone"]``),
structlog keyword arguments (``log.info("signup", email=...)``) and ``extra={...}`` keys, also
inside f-strings. One finding per call.

Not flagged: the literal text of a message, values passed through a masking or hashing call
(``mask_email(...)``, ``hashlib.sha256(...)``, ``redact(...)``), ``len()``/``bool()`` and
comparisons, organisation addresses (``DEFAULT_FROM_EMAIL``, ``support_email``), tests,
migrations, scripts and command-line tools.

## Why it matters
Logs are copied to aggregators, backups and third-party tools, kept longer than the data they
came from and read by more people; personal data there escapes erasure requests, retention
limits and access control (GDPR Art. 5(1)(c) data minimisation, Art. 32 security; HIPAA's
minimum-necessary rule for PHI). Heuristic: a field name does not prove what the value holds.

## Example
```python
log.info("password reset requested for %s", user.email)
```

## Use instead
```python
log.info("password reset requested", extra={"user_id": user.id})
```

## References
- OWASP Logging Cheat Sheet, data to exclude: https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude
- CWE-532, Insertion of Sensitive Information into Log File: https://cwe.mitre.org/data/definitions/532.html
- GDPR Article 5, principles relating to processing of personal data: https://gdpr-info.eu/art-5-gdpr/
- HIPAA minimum necessary requirement: https://www.hhs.gov/hipaa/for-professionals/privacy/guidance/minimum-necessary-requirement/index.html
"""

from __future__ import annotations

import ast
import re

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.observability._syntax import names_main
from checks.pyfile import PyFile

_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical",
                          "fatal", "log", "msg", "success", "trace"})
_LOGGER_FACTORIES = frozenset({"logging.getLogger", "structlog.get_logger", "structlog.getLogger",
                               "structlog.stdlib.get_logger", "logging.getLoggerClass"})
_FACTORY_NAMES = frozenset(n.rsplit(".", 1)[-1] for n in _LOGGER_FACTORIES)
_LOGGING_MODULE = re.compile(r"^(logging|logger|loggers|log|logs|logutils|log_utils|audit)$")
_LOGGER_NAME = re.compile(r"^_*(log|logger|logging|\w+_log|\w+_logger|\w*logger)$", re.I)

PERSONAL = frozenset({
    "email", "emails", "email_address", "e_mail", "phone", "phone_number", "phone_numbers",
    "phonenumber", "mobile", "mobile_number", "telephone", "ssn", "social_security_number",
    "national_id", "national_insurance_number", "tax_id", "passport", "passport_number",
    "date_of_birth", "dob", "birth_date", "birthdate", "birthday", "password", "passwd",
    "address", "home_address", "street_address", "postal_address", "billing_address",
    "shipping_address", "mailing_address", "ip_address", "credit_card", "credit_card_number",
    "card_number", "cc_number", "cvv", "cvc", "iban", "bank_account", "account_number",
    "first_name", "last_name", "surname", "given_name", "family_name",
})
HEALTH = frozenset({
    "diagnosis", "diagnoses", "diagnosis_code", "icd_code", "icd10", "icd10_code",
    "medical_record", "medical_records", "medical_record_number", "mrn", "medical_history",
    "health_record", "health_records", "health_condition", "medical_condition", "prescription",
    "prescriptions", "medication", "medications", "lab_result", "lab_results", "blood_type",
    "symptoms", "treatment_plan", "allergies", "hiv_status", "health_insurance_number",
    "patient_name",
})
# Tokens that also count as the tail of a longer name (``customer_email``, ``new_password``).
_SUFFIXES = ("email", "phone", "phone_number", "ssn", "password", "date_of_birth", "dob",
             "birth_date", "ip_address", "card_number", "iban", "passport_number", "first_name",
             "last_name", "diagnosis", "medical_record", "prescription",
             "medications", "lab_results")
# Organisation-owned addresses and settings, not a person's data.
_NOT_PERSONAL = re.compile(
    r"^(default_from|from|server|admin|admins|support|sender|noreply|no_reply|system|contact|"
    r"sales|info|team|company|help|notification|notifications|reply_to|bcc|smtp|mail)_", re.I)
_MASKING = re.compile(r"mask|redact|hash|anonymi|pseudonymi|obfuscat|scrub|sha\d*|md5|blake|"
                      r"hmac|encrypt|truncat|censor|sanitiz|last_?4|partial|digest", re.I)
_OPAQUE_CALLS = frozenset({"len", "bool", "isinstance", "type", "id", "hash", "count",
                           "exists", "any", "all", "sum"})
_SKIP_DIRS = frozenset({"scripts", "bin", "tools", "docs", "examples", "management",
                        "benchmarks"})
_CLI_MODULES = ("argparse", "click", "typer", "fire", "docopt")


def classify(name: str) -> str | None:
    """``"COMP-01"`` for a personal-data name, ``"COMP-02"`` for a health-data name, else None."""
    lower = name.lower()
    for item, names in (("COMP-02", HEALTH), ("COMP-01", PERSONAL)):
        if lower in names:
            return item
    if _NOT_PERSONAL.match(lower):
        return None
    for token in _SUFFIXES:
        if lower.endswith("_" + token):
            return "COMP-02" if token in HEALTH else "COMP-01"
    return None


class PersonalDataInLogs(Detector):
    """Flags log and print calls that carry personal or health data (see module docstring)."""

    slug = "personal-data-in-logs"
    items = ("COMP-01", "COMP-02")
    # A log call's method (``log.info``, a helper ``app.utils.logging.log``) or ``print``.
    calls = _LOG_METHODS | {"print"}

    def __init__(self) -> None:
        super().__init__()
        self._print_ok: bool | None = None
        self._checked = 0
        # Calls of a method of _LOG_METHODS on a receiver not named like a logger: log calls
        # when an assignment from a logger factory before them in the file made the receiver
        # (``audit = logging.getLogger("audit")``), which end_file reads.
        self._pending: list[ast.Call] = []

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        parts = f.path.split("/")
        self._print_ok = None  # read on the file's first print() call, if any
        self._pending = []
        return not (f.is_test or f.is_migration or any(p in _SKIP_DIRS for p in parts[:-1])
                    or parts[-1] in ("setup.py", "manage.py", "noxfile.py", "conftest.py"))

    def _prints_on_purpose(self, f: PyFile) -> bool:
        """True when ``f`` is a command-line program, whose print() output is its purpose."""
        if self._print_ok is None:
            self._print_ok = (f.imports_module(*_CLI_MODULES) or f.path.endswith("/__main__.py")
                              or f.path == "__main__.py" or names_main(f))
        return self._print_ok

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        what = self._log_call(node, ctx)
        if what is _PENDING:
            self._pending.append(node)
        elif what is not None:
            self._check(node, ctx, what)

    def end_file(self, ctx: FileContext) -> None:
        """Decide the pending calls: the traversal meets an assignment (a statement) before a
        call exactly when the call starts at or after it (no statement sits inside an
        expression), so the loggers a call's receiver may be are those assigned from a factory
        at or before its position."""
        if not self._pending:
            return
        loggers = _logger_assignments(ctx.file)
        for node in self._pending:
            func = node.func
            assert isinstance(func, ast.Attribute)
            dotted = pyast.dotted(func.value)
            made = loggers.get(dotted) if dotted is not None else None
            if made is not None and (node.lineno, node.col_offset) >= made:
                self._check(node, ctx, f"{dotted}.{func.attr}")
        self._pending = []

    def _check(self, node: ast.Call, ctx: FileContext, what: str) -> None:
        """Report the personal or health data the log call ``node`` writes."""
        self._checked += 1
        hits: dict[str, str] = {}
        for arg in node.args:
            _scan(arg, hits)
        for kw in node.keywords:
            if kw.arg is not None and kw.arg not in ("exc_info", "stack_info", "stacklevel"):
                item = classify(kw.arg)
                if item is not None:
                    shown = f"{kw.arg}={ast.unparse(kw.value)}"
                    hits.setdefault(item, shown if len(shown) <= 60 else shown[:57] + "...")
                _scan(kw.value, hits)
        for item, shown in sorted(hits.items()):
            kind = "health data" if item == "COMP-02" else "personal data"
            self.report_node(
                item, ctx, node,
                f"{what}() writes {kind} to the logs: {shown}",
                "Log an opaque identifier (user id, request id) instead, or mask the value "
                "(a***@example.com) before it reaches the logger; keep personal data out of logs "
                "and traces.",
            )

    def _log_call(self, node: ast.Call, ctx: FileContext) -> str | None:
        """What the call logs through (``logger.info``), None when it is no log call, or
        :data:`_PENDING` when that depends on the file's assignments (see end_file)."""
        func = node.func
        helper = pyast.call_name(node, ctx.file) or ""
        parts = helper.split(".")
        if len(parts) > 2 and parts[-1] in _LOG_METHODS and any(
            _LOGGING_MODULE.match(p) for p in parts[1:-1]
        ):
            return helper  # the project's own helper: from app.utils.logging import log
        if isinstance(func, ast.Name):
            if (func.id == "print" and "print" not in ctx.file.imports
                    and not self._prints_on_purpose(ctx.file)):
                return "print"
            return None
        if not isinstance(func, ast.Attribute) or func.attr not in _LOG_METHODS:
            return None
        receiver = func.value
        if isinstance(receiver, ast.Call):
            name = pyast.call_name(receiver, ctx.file) or ""
            return f"{name}().{func.attr}" if name in _LOGGER_FACTORIES else None
        resolved = pyast.resolve(receiver, ctx.file) or ""
        if resolved in ("logging", "loguru.logger", "structlog"):
            return f"{resolved}.{func.attr}"
        dotted = pyast.dotted(receiver)
        if dotted is None:
            return None
        if _LOGGER_NAME.match(dotted.rsplit(".", 1)[-1]):
            return f"{dotted}.{func.attr}"
        return _PENDING

    def finish(self, project: Project) -> None:
        for item, kind in (("COMP-01", "personal"), ("COMP-02", "health")):
            if not any(f.item_id == item for f in self.findings):
                self.evidence(item, f"no log or print call writes {kind}-data fields "
                                    f"({self._checked} calls checked)")


_PENDING = "(pending)"


def _logger_assignments(f: PyFile) -> dict[str, tuple[int, int]]:
    """Names assigned a logger (``log = logging.getLogger(__name__)``, also through
    ``.bind(...)``), each with where its first such assignment starts."""
    found: dict[str, tuple[int, int]] = {}
    for node in f.nodes(ast.Assign):
        value = node.value
        while isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and (
            value.func.attr in ("bind", "new", "opt", "getChild")
        ):
            value = value.func.value  # log = structlog.get_logger().bind(service="x")
        if not isinstance(value, ast.Call):
            continue
        # The resolved name's last part first (cheap), the full name only when it may match.
        if (pyast.called_last(value, f) in _FACTORY_NAMES
                and pyast.call_name(value, f) in _LOGGER_FACTORIES):
            for target_node in node.targets:
                name = pyast.dotted(target_node)
                if name is not None:
                    found.setdefault(name, (node.lineno, node.col_offset))
    return found


def _scan(node: ast.AST, hits: dict[str, str]) -> None:
    """Record in ``hits`` (item -> shown expression) the sensitive data ``node`` evaluates to.

    Only what reaches the message counts: ``user.email`` reads the field ``email``, while
    ``address.id`` reads an id (the object's name does not matter); ``data["phone"]`` reads the
    key ``phone``; ``emails[0]`` reads an element of ``emails``; ``user.email.lower()`` reads
    ``user.email``. Comparisons, ``len()``-like and masking calls yield no data.
    """
    if isinstance(node, ast.Compare):
        return
    if isinstance(node, ast.Call):
        callee = pyast.attr_name(node) or ""
        if callee in _OPAQUE_CALLS or _MASKING.search(callee):
            return
        if callee == "get" and node.args:
            key = pyast.const_str(node.args[0])
            if key is not None:
                _hit(key, node, hits)
                return
        if isinstance(node.func, ast.Attribute):
            _scan(node.func.value, hits)  # the receiver of a method call is the data
        for arg in node.args:
            _scan(arg, hits)
        for kw in node.keywords:
            _scan(kw, hits)
        return
    if isinstance(node, ast.Name):
        _hit(node.id, node, hits)
        return
    if isinstance(node, ast.Attribute):
        _hit(node.attr, node, hits)
        return
    if isinstance(node, ast.Subscript):
        key = pyast.const_str(node.slice)
        if key is not None:
            _hit(key, node, hits)
            return
    elif isinstance(node, ast.Dict):
        for dict_key in node.keys:
            text = pyast.const_str(dict_key)
            if text is not None and dict_key is not None:
                _hit(text, dict_key, hits)
    elif isinstance(node, ast.keyword) and node.arg:
        _hit(node.arg, node.value, hits)
    for child in ast.iter_child_nodes(node):
        _scan(child, hits)


def _hit(name: str, node: ast.AST, hits: dict[str, str]) -> None:
    item = classify(name)
    if item is not None and item not in hits:
        text = ast.unparse(node) if isinstance(node, ast.expr) else name
        hits[item] = text if len(text) <= 60 else text[:57] + "..."
