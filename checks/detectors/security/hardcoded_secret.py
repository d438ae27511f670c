"""Secrets and private keys written into the source.

## What it flags
- In Python service code, a string literal bound to a secret-like name: an assignment
  (``DB_PASSWORD = "..."``, ``settings.api_key = "..."``, ``config["SECRET_KEY"] = "..."``), a
  keyword argument (``connect(password="...")``), a dict entry (``{"token": "..."}``), a
  parameter default (``def login(pwd="...")``) or a comparison (``if password == "..."``).
  A secret-like name has a word password, passwd, passphrase, pwd, secret or token, or a pair
  such as api + key, private + key, client + secret, or ends in ``pass``
  (``my_password_for_email``, ``db_pass``, ``STRIPE_API_KEY``), unless its last word says it
  names something about the secret (``token_url``, ``PASSWORD_RESET_TIMEOUT``,
  ``password_hash``) or it is a cursor, counter or form field (``page_token``, ``max_tokens``,
  ``csrf_token``). Empty strings, placeholders (``changeme``, ``<your-key>``, ``${VAR}``,
  ``xxx``), bare words (``"password"``, ``"secret"``), key or header names (``"access_token"``,
  ``"X-API-Key"``, ``"DB_PASSWORD"``), paths, URLs without credentials and sentences are not
  secrets; and unless the name is a password's, the value must look generated (ten characters
  or more mixing letters and digits or cases), so ``REQUEST_TOKEN = "request"`` passes. Tests,
  migrations and development or test settings files (``settings/local.py``, ``config/test.py``)
  are skipped; so are the public defaults of database images (``"postgres"``, ``"root"``) in
  settings, keywords and dicts, but not in comparisons and parameter defaults.
- In every file read (Python, YAML, JSON, TOML, INI, Markdown, ``.env.example`` ...), a PEM
  private key block (``-----BEGIN ... PRIVATE KEY-----`` with a key body and an END line) and
  token shapes issued by well-known services: AWS access key IDs (``AKIA``/``ASIA``), GitHub
  tokens (``ghp_``, ``gho_``, ``ghs_``, ``github_pat_``), Slack tokens (``xox?-``) and webhooks,
  Stripe live keys (``sk_live_``, ``rk_live_``), Google API keys (``AIza``), OpenAI and
  Anthropic keys. An AWS key ID with no secret key near it is a medium finding (the ID alone
  grants nothing), and one followed by a SigV4 credential scope (``AKIA.../20240101/...``, part of
  a presigned URL) is not flagged. In tests a token shape is a medium finding (often a fake) and
  a PEM block is skipped (test keys are common and harmless).

## Why it matters
Anything committed is readable by everyone with access to the repository, its forks, its CI
logs and every clone, forever: rotating the secret is the only fix once it is pushed. Secrets
belong in the environment or a secret manager, injected at deploy time.

## Example
```python
DATABASE_PASSWORD = "s3cr3t-Pa55"
stripe.api_key = "sk_live_..."
```

## Use instead
```python
DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]

class Settings(BaseSettings):
    stripe_api_key: SecretStr  # read from the environment or a secrets file
```

## References
- CWE-798, Use of Hard-coded Credentials: https://cwe.mitre.org/data/definitions/798.html
- OWASP Secrets Management Cheat Sheet:
  https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
- GitHub secret scanning patterns:
  https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.security._common import (
    call_name,
    is_dev_path,
    is_password_name,
    is_secret_name,
    is_secret_value,
    line_of,
    looks_generated,
    mentions,
    replay,
    target_name,
)
from checks.model import Severity
from checks.pyast import called_last
from checks.pyfile import PyFile, is_test_path


@dataclass(frozen=True, slots=True)
class _Shape:
    name: str
    pattern: re.Pattern[str]
    # Literal text every match contains (any one of ``hints``, or a match of ``hint``): the
    # pattern is not run on a text without it. A hint regex starts with a literal character,
    # so searching for it costs one fast pass, like one literal, whatever its alternatives.
    hints: tuple[str, ...] = ()
    hint: re.Pattern[str] | None = None

    def may_match(self, text: str) -> bool:
        """False when ``text`` cannot contain a match (a cheap test before the pattern)."""
        if self.hint is not None:
            return self.hint.search(text) is not None
        return any(h in text for h in self.hints)


_AWS_KEY_ID = _Shape("an AWS access key ID", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
                     hint=re.compile("A[KS]IA"))
# An AWS secret access key: 40 base64 characters, quoted or after = or :, with at least one
# lower-case letter, one upper-case letter and one digit or symbol.
_AWS_SECRET = re.compile(
    r"[\"'=:\s](?=[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=]))(?=[^\s]*[a-z])(?=[^\s]*[A-Z])"
    r"(?=[^\s]*[0-9/+])[A-Za-z0-9/+]{40}"
)
_SIGV4_SCOPE = re.compile(r"/\d{8}/")
_SHAPES = (
    _AWS_KEY_ID,
    _Shape("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
           hint=re.compile("gh[pousr]_")),
    _Shape("a GitHub fine-grained token", re.compile(r"\bgithub_pat_[A-Za-z0-9_]{82}\b"),
           ("github_pat_",)),
    _Shape("a Slack token", re.compile(r"\bxox[abposr]-[0-9]{6,}-[A-Za-z0-9-]{10,}"), ("xox",)),
    _Shape("a Slack webhook URL",
           re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/"
                      r"[A-Za-z0-9]{20,}"), ("hooks.slack.com",)),
    _Shape("a Stripe live key", re.compile(r"\b[rs]k_live_[A-Za-z0-9]{20,}\b"), ("k_live_",)),
    _Shape("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"), ("AIza",)),
    _Shape("an OpenAI API key",
           re.compile(r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{16,}T3BlbkFJ[A-Za-z0-9_\-]{16,}"),
           ("T3BlbkFJ",)),
    _Shape("an Anthropic API key", re.compile(r"\bsk-ant-(?:api|admin)\d\d-[A-Za-z0-9_\-]{80,}"),
           ("sk-ant-",)),
)
# Every match of every shape contains a match of one of these (a literal, or a regex starting
# with a literal character, each one fast pass over the text): a text matching none of them
# (nearly every file) is searched once per group instead of once per shape.
_ANY_SHAPE: tuple[str | re.Pattern[str], ...] = (
    re.compile("A(?:[KS]IA|Iza)"),  # AWS, Google
    re.compile("g(?:h[pousr]_|ithub_pat_)"),  # GitHub, both kinds
    re.compile("k(?:_live_|-)"),  # Stripe, and OpenAI's and Anthropic's "sk-"
    "xox",  # Slack tokens
    "hooks.slack.com",  # Slack webhooks
)
_PEM_BEGIN = re.compile(r"-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY"
                        r"(?: BLOCK)?)-----")
_PEM_BODY_MIN = 64  # base64 characters between BEGIN and END; examples write "MIIE..." only
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/=]")
_SETENV_CALLS = frozenset({"setdefault", "putenv"})
"""The last names :func:`_setenv_binding` accepts, besides names that end in ``putenv``."""
# Files whose content is hashes and checksums, not secrets.
_SKIP_SUFFIXES = (".lock",)


class HardcodedSecret(Detector):
    """Flags secrets and private keys written into files (see module docstring)."""

    slug = "hardcoded-secret"
    items = ("SEC-07",)

    def __init__(self) -> None:
        super().__init__()
        self._skip = False
        self._flagged_lines: set[int] = set()
        self._candidates: list[_Binding] = []

    # -- Python: names bound to literals -------------------------------------------------------
    # The literals bound to secret-like names are collected as candidates first: by handlers,
    # and from the file's keyword index (keywords are 1 in 5 calls: the other calls need not
    # reach a handler). When no two candidates share a line they are reported at the end of
    # the file; otherwise the file is walked again with every binding read in the order of
    # the first walk, which decides which of two secrets on a line is reported (a call's
    # keywords are read when the call is reached, before its arguments are).
    calls = _SETENV_CALLS

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        self._flagged_lines = self._scan_text(f.path, f.text)
        self._skip = f.is_test or f.is_migration or is_dev_path(f.path)
        self._candidates = []
        return not self._skip  # a skipped file's nodes need not reach the handlers

    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        value = node.value  # _is_str inline: 40,000 assignments on the benchmark tree
        if value.__class__ is ast.Constant and value.value.__class__ is str:
            self._collect(_assign_bindings(node))

    def visit_AnnAssign(self, node: ast.AnnAssign, ctx: FileContext) -> None:
        binding = _ann_assign_binding(node)
        if binding is not None:
            self._collect([binding])

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        binding = _setenv_binding(node, ctx.file)
        if binding is not None:
            self._collect([binding])

    def visit_Dict(self, node: ast.Dict, ctx: FileContext) -> None:
        self._collect(_dict_bindings(node))

    def visit_arguments(self, node: ast.arguments, ctx: FileContext) -> None:
        if (node.defaults or node.kw_defaults) and (
                _has_str(node.defaults) or _has_str(node.kw_defaults)):
            self._collect(_default_bindings(node))

    def visit_Compare(self, node: ast.Compare, ctx: FileContext) -> None:
        if node.left.__class__ is ast.Constant or node.comparators[0].__class__ is ast.Constant:
            binding = _compare_binding(node)
            if binding is not None:
                self._collect([binding])

    def _collect(self, bindings: list[_Binding]) -> None:
        for binding in bindings:
            name, value, _where, configuration = binding
            if name is not None and _is_secret(name, value, configuration):
                self._candidates.append(binding)

    def end_file(self, ctx: FileContext) -> None:
        f = ctx.file
        class_keywords: set[int] | None = None
        for kw in f.nodes(ast.keyword):
            value = kw.value
            if value.__class__ is ast.Constant and value.value.__class__ is str:
                binding = _keyword_binding(kw)
                if binding is None or binding[0] is None or not _is_secret(
                        binding[0], value, binding[3]):
                    continue
                if class_keywords is None:  # a class statement's keywords are no call's
                    class_keywords = {id(k) for c in f.nodes(ast.ClassDef) for k in c.keywords}
                if id(kw) not in class_keywords:
                    self._candidates.append(binding)
        if mentions(f, "putenv"):  # a name only ending in putenv is not handed to visit_Call
            for call in f.nodes(ast.Call):
                last = called_last(call, f)
                if last != "putenv" and last.endswith("putenv"):
                    self.visit_Call(call, ctx)
        candidates, self._candidates = self._candidates, []
        if not candidates:
            return
        lines = [getattr(where, "lineno", 0) for _, _, where, _ in candidates]
        if len(set(lines)) == len(lines):  # the order they are met in decides nothing
            for binding in candidates:
                self._bound(ctx, *binding)
            return
        replay(f, {ast.Assign: self._on_assign, ast.AnnAssign: self._on_ann_assign,
                   ast.Call: self._on_call, ast.Dict: self._on_dict,
                   ast.arguments: self._on_arguments, ast.Compare: self._on_compare})

    # -- the handlers of the second walk, every binding in the order of the first -----------------
    def _on_assign(self, node: ast.Assign, ctx: FileContext) -> None:
        for binding in _assign_bindings(node):
            self._bound(ctx, *binding)

    def _on_ann_assign(self, node: ast.AnnAssign, ctx: FileContext) -> None:
        binding = _ann_assign_binding(node)
        if binding is not None:
            self._bound(ctx, *binding)

    def _on_call(self, node: ast.Call, ctx: FileContext) -> None:
        for kw in node.keywords:
            binding = _keyword_binding(kw)
            if binding is not None:
                self._bound(ctx, *binding)
        binding = _setenv_binding(node, ctx.file)
        if binding is not None:
            self._bound(ctx, *binding)

    def _on_dict(self, node: ast.Dict, ctx: FileContext) -> None:
        for binding in _dict_bindings(node):
            self._bound(ctx, *binding)

    def _on_arguments(self, node: ast.arguments, ctx: FileContext) -> None:
        for binding in _default_bindings(node):
            self._bound(ctx, *binding)

    def _on_compare(self, node: ast.Compare, ctx: FileContext) -> None:
        binding = _compare_binding(node)
        if binding is not None:
            self._bound(ctx, *binding)

    def _bound(self, ctx: FileContext, name: str | None, value: ast.expr, where: ast.AST,
               configuration: bool) -> None:
        if self._skip or name is None or not _is_secret(name, value, configuration):
            return
        line = getattr(where, "lineno", 0)
        if line in self._flagged_lines:
            return
        self._flagged_lines.add(line)
        self.report_node(
            "SEC-07", ctx, where,
            f"`{name}` is set to a string literal in the source: the secret is readable by "
            "everyone with the repository",
            f"Read `{name}` from the environment or a secret manager (os.environ[...], "
            "pydantic-settings SecretStr) and rotate the committed value.",
            severity=Severity.HIGH,
        )

    # -- every file: private keys and token shapes -----------------------------------------------
    def finish(self, project: Project) -> None:
        for path in sorted(project.tree.files):
            if path.endswith(".py") and path in project.python:
                continue  # scanned in start_file
            if path.lower().endswith(_SKIP_SUFFIXES):
                continue
            text = project.text(path)
            if text is not None:
                self._scan_text(path, text)

    def _scan_text(self, path: str, text: str) -> set[int]:
        """Report PEM private keys and token shapes in ``text``; return the lines flagged."""
        lines: set[int] = set()
        in_tests = is_test_path(path)
        if "PRIVATE KEY-----" in text and not in_tests:
            for m in _PEM_BEGIN.finditer(text):
                end = text.find(f"-----END {m.group(1)}-----", m.end())
                if end < 0 or len(_NOT_BASE64.sub("", _unescape(text[m.end():end]))) < \
                        _PEM_BODY_MIN:
                    continue
                start_line, end_line = line_of(text, m.start()), line_of(text, end)
                lines.update(range(start_line, end_line + 1))
                encrypted = m.group(1).startswith("ENCRYPTED")
                self.report(
                    "SEC-07", path, start_line,
                    f"{'An encrypted' if encrypted else 'A'} {m.group(1).lower()} is committed in "
                    f"{path}: anyone with the repository holds the key",
                    "Remove the key from the repository and its history, issue a new key pair, and "
                    "load the private key from a secret store or a mounted file at run time.",
                    end_line=end_line,
                    severity=Severity.HIGH if encrypted else Severity.CRITICAL,
                )
        if not any(g in text if isinstance(g, str) else g.search(text) for g in _ANY_SHAPE):
            return lines
        for shape in _SHAPES:
            if not shape.may_match(text):
                continue
            for m in shape.pattern.finditer(text):
                token = m.group(0)
                if "EXAMPLE" in token.upper() or _repetitive(token):
                    continue
                severity = Severity.MEDIUM if in_tests else Severity.CRITICAL
                what = "grants access to whoever reads the repository"
                if shape is _AWS_KEY_ID:
                    if _SIGV4_SCOPE.match(text, m.end()):
                        continue  # the credential scope of a presigned URL: public by design
                    window = text[max(0, m.start() - 300):m.end() + 300]
                    if not _AWS_SECRET.search(window):
                        severity = Severity.MEDIUM
                        what = "identifies an AWS key; check its secret is not committed too"
                line = line_of(text, m.start())
                if line in lines:
                    continue
                lines.add(line)
                self.report(
                    "SEC-07", path, line,
                    f"{shape.name} is committed in {path}"
                    f"{' (a test fixture, but real-looking)' if in_tests else ''}: it {what}",
                    "Revoke the token at its issuer now, remove it from the repository, and read "
                    "it from the environment or a secret manager.",
                    severity=severity,
                )
        return lines


# -- names bound to literals -------------------------------------------------------------------
#
# Each function below lists what one kind of node binds: (name, value, the node to report,
# whether it is configuration). The handlers replayed on a file and the scan of its node index
# that decides whether to replay them share them, so they cannot disagree.

_Binding = tuple[str | None, ast.expr, ast.AST, bool]


def _is_secret(name: str, value: ast.expr, configuration: bool) -> bool:
    """True when binding ``value`` to ``name`` is a hard-coded secret (see module docstring)."""
    if not name:
        return False
    literal = pyast.const_str(value)  # cheaper than the name test, and rarely a string
    if literal is None or not is_secret_name(name) or not is_secret_value(
            literal, configuration=configuration):
        return False
    # tokens and keys are generated; "request" or "$user" is a parsing token
    return is_password_name(name) or looks_generated(literal)


def _assign_bindings(node: ast.Assign) -> list[_Binding]:
    if not _is_str(node.value):
        return []
    return [(target_name(target), node.value, node, True) for target in node.targets]


def _ann_assign_binding(node: ast.AnnAssign) -> _Binding | None:
    if node.value is None or not _is_str(node.value):
        return None
    return target_name(node.target), node.value, node, True


def _keyword_binding(kw: ast.keyword) -> _Binding | None:
    """``connect(password="...")``, ``dict(token="...")``."""
    if kw.arg is None or not _is_str(kw.value):
        return None
    return kw.arg, kw.value, kw, True


def _setenv_binding(node: ast.Call, f: PyFile) -> _Binding | None:
    """``os.environ.setdefault("TOKEN", "...")``, ``os.putenv(...)`` (``*putenv`` is matched on
    the name's end)."""
    if len(node.args) < 2 or not called_last(node, f).endswith(("setdefault", "putenv")):
        return None
    if not call_name(node, f).endswith(("environ.setdefault", "putenv")):
        return None
    return pyast.const_str(node.args[0]), node.args[1], node, True


def _dict_bindings(node: ast.Dict) -> list[_Binding]:
    return [(pyast.const_str(key), value, value, True)
            for key, value in zip(node.keys, node.values, strict=True) if _is_str(value)]


def _default_bindings(node: ast.arguments) -> list[_Binding]:
    """Parameter defaults: not configuration (the public default of an image is a credential
    there)."""
    if not _has_str(node.defaults) and not _has_str(node.kw_defaults):
        return []  # only a string default can be a secret (most functions have none)
    out: list[_Binding] = []
    positional = [*node.posonlyargs, *node.args]
    for arg, default in zip(positional[len(positional) - len(node.defaults):], node.defaults,
                            strict=True):
        out.append((arg.arg, default, default, False))
    for arg, kw_default in zip(node.kwonlyargs, node.kw_defaults, strict=True):
        if kw_default is not None:
            out.append((arg.arg, kw_default, kw_default, False))
    return out


def _compare_binding(node: ast.Compare) -> _Binding | None:
    """``password == "..."``: not configuration."""
    if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
        return None
    left, right = node.left, node.comparators[0]
    if isinstance(left, ast.Constant):
        left, right = right, left
    if not _is_str(right):
        return None
    return target_name(left), right, node, False


def _has_str(nodes: list[ast.expr] | list[ast.expr | None]) -> bool:
    """True when one of ``nodes`` (some may be None) is a string literal."""
    return any(node.__class__ is ast.Constant and node.value.__class__ is str for node in nodes)


def _is_str(node: ast.expr) -> bool:
    """A string literal: the only value :meth:`HardcodedSecret._bound` looks further at."""
    return node.__class__ is ast.Constant and node.value.__class__ is str


def _unescape(body: str) -> str:
    r"""A PEM body as written in a Python string or JSON value: drop ``\n`` escapes."""
    return body.replace("\\n", "\n").replace("\\r", "")


def _repetitive(token: str) -> bool:
    """``ghp_xxxxxxxx...`` and ``AKIA0000...``: a fake, not a token."""
    tail = re.sub(r"^[a-z]+_(?:live_|pat_)?|^(?:AKIA|ASIA|AIza)", "", token)
    return len(set(tail)) <= 4
