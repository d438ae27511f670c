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
    last_name,
    line_of,
    looks_generated,
    target_name,
)
from checks.model import Severity
from checks.pyfile import is_test_path


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

    # -- Python: names bound to literals -------------------------------------------------------
    # No ``calls``: the keyword arguments of every call are read (``connect(password="...")``),
    # and when the call is reached, before its arguments are: with two secrets on one line,
    # that order decides which one is reported. ``*putenv`` is also matched on a name's end.
    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        self._flagged_lines = self._scan_text(f.path, f.text)
        self._skip = f.is_test or f.is_migration or is_dev_path(f.path)
        return not self._skip  # a skipped file's nodes need not reach the handlers

    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        if self._skip or not _is_str(node.value):
            return
        for target in node.targets:
            self._bound(target_name(target), node.value, ctx, node)

    def visit_AnnAssign(self, node: ast.AnnAssign, ctx: FileContext) -> None:
        if node.value is not None and _is_str(node.value):
            self._bound(target_name(node.target), node.value, ctx, node)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        for kw in node.keywords:
            if kw.arg is not None and _is_str(kw.value):
                self._bound(kw.arg, kw.value, ctx, kw)
        # dict(password="...") is covered above; os.environ.setdefault("TOKEN", "...") here
        if len(node.args) < 2 or not last_name(node, ctx.file).endswith(("setdefault",
                                                                         "putenv")):
            return
        name = call_name(node, ctx.file)
        if name.endswith(("environ.setdefault", "putenv")):
            self._bound(pyast.const_str(node.args[0]), node.args[1], ctx, node)

    def visit_Dict(self, node: ast.Dict, ctx: FileContext) -> None:
        if self._skip:
            return
        for key, value in zip(node.keys, node.values, strict=True):
            if _is_str(value):
                self._bound(pyast.const_str(key), value, ctx, value)

    def visit_arguments(self, node: ast.arguments, ctx: FileContext) -> None:
        if self._skip or not (node.defaults or node.kw_defaults):
            return
        if not any(map(_is_str, node.defaults)) and not any(
                d is not None and _is_str(d) for d in node.kw_defaults):
            return  # only a string default can be a secret (most functions have none)
        positional = [*node.posonlyargs, *node.args]
        for arg, default in zip(positional[len(positional) - len(node.defaults):], node.defaults,
                                strict=True):
            self._bound(arg.arg, default, ctx, default, configuration=False)
        for arg, kw_default in zip(node.kwonlyargs, node.kw_defaults, strict=True):
            if kw_default is not None:
                self._bound(arg.arg, kw_default, ctx, kw_default, configuration=False)

    def visit_Compare(self, node: ast.Compare, ctx: FileContext) -> None:
        if self._skip or len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
            return
        left, right = node.left, node.comparators[0]
        if isinstance(left, ast.Constant):
            left, right = right, left
        if not _is_str(right):
            return  # the test _bound makes first, without working out the name
        self._bound(target_name(left), right, ctx, node, configuration=False)

    def _bound(self, name: str | None, value: ast.expr, ctx: FileContext, where: ast.AST, *,
               configuration: bool = True) -> None:
        if self._skip or not name:
            return
        literal = pyast.const_str(value)  # cheaper than the name test, and rarely a string
        if literal is None or not is_secret_name(name) or not is_secret_value(
                literal, configuration=configuration):
            return
        if not is_password_name(name) and not looks_generated(literal):
            return  # tokens and keys are generated; "request" or "$user" is a parsing token
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
