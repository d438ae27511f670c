"""Tokens, passwords and codes drawn from the non-cryptographic ``random`` module.

## What it flags
Calls to the ``random`` module's functions (``random.choice``, ``choices``, ``randint``,
``randrange``, ``getrandbits``, ``random``, ``sample``, ``randbytes``, ``shuffle``,
``uniform``; also on a ``random.Random()`` instance made in the same scope) whose result is
assigned to a name for a secret (``token``, ``password``, ``secret``, ``otp``, ``nonce``,
``salt``, ``api_key``, ``reset_code``, ``verification_code`` ...) or that are made inside a
function named for one (``generate_token``, ``make_password``, ``create_otp``). Random choices
for anything else (jitter, sampling, shuffling test data) are not flagged. Tests are skipped.

## Why it matters
``random`` is a Mersenne Twister: after observing 624 outputs an attacker can predict every
future one, and its seed is often guessable. Password-reset tokens, one-time codes, session IDs
and API keys made with it can be predicted, which lets an attacker take over accounts.

## Example
```python
def make_reset_token() -> str:
    return "".join(random.choices(string.ascii_letters, k=32))
```

## Use instead
```python
def make_reset_token() -> str:
    return secrets.token_urlsafe(32)

otp = f"{secrets.randbelow(10**6):06d}"
```

## References
- CWE-338, Use of Cryptographically Weak PRNG: https://cwe.mitre.org/data/definitions/338.html
- Python, ``secrets``: https://docs.python.org/3/library/secrets.html
- PEP 506, adding a secrets module: https://peps.python.org/pep-0506/
"""

from __future__ import annotations

import ast
import functools

from checks.detector import Detector, FileContext
from checks.detectors.security._common import (
    Scopes,
    assigned_values,
    call_name,
    replay,
    snake,
    target_name,
)
from checks.model import Severity
from checks.pyast import called_last

_RANDOM_FUNCTIONS = frozenset(
    {"random", "randint", "randrange", "choice", "choices", "sample", "getrandbits", "randbytes",
     "shuffle", "uniform"}
)
_SECRET_WORDS = frozenset(
    {"token", "tokens", "password", "passwd", "pwd", "passphrase", "secret", "otp", "totp",
     "nonce", "salt", "apikey", "pin", "csrf", "sessionid"}
)
_SECRET_PAIRS = (("api", "key"), ("secret", "key"), ("signing", "key"), ("session", "id"),
                 ("reset", "code"), ("verification", "code"), ("verify", "code"),
                 ("auth", "code"), ("confirmation", "code"), ("activation", "code"),
                 ("one", "time"), ("access", "key"), ("invite", "code"), ("recovery", "code"))
_NOT_SECRET_WORDS = frozenset({"count", "limit", "length", "len", "max", "min", "type", "url",
                               "expiry", "expires", "ttl", "field", "name", "delay", "jitter"})


@functools.lru_cache(maxsize=8192)
def _is_secret(name: str) -> bool:
    words = snake(name).split("_")
    if set(words) & _NOT_SECRET_WORDS:
        return False
    if set(words) & _SECRET_WORDS:
        return True
    return any(a in words and b in words for a, b in _SECRET_PAIRS)


class InsecureRandomSecret(Detector):
    """Flags secrets made with the ``random`` module (see module docstring)."""

    slug = "insecure-random-secret"
    items = ("SEC-01",)
    calls = _RANDOM_FUNCTIONS

    def __init__(self) -> None:
        super().__init__()
        self._scopes = Scopes()
        self._random = False
        self._lines: set[int] = set()

    # During the traversal only the calls of the random functions' names reach the detector;
    # the few files that have one are walked again with the handlers below, which need the
    # enclosing function of each assignment and the order of the walk (a line is flagged
    # once, by whichever of its assignment and its call comes first).
    def start_file(self, ctx: FileContext) -> bool:
        self._random = False
        return not ctx.file.is_test

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        self._random = True

    def end_file(self, ctx: FileContext) -> None:
        if not self._random:
            return
        self._scopes.reset(ctx.file)
        self._lines = set()
        on_call = self._on_call
        replay(ctx.file, {ast.Assign: self._on_assign, ast.AnnAssign: self._on_ann_assign,
                          ast.keyword: self._on_keyword},
               {name: on_call for name in _RANDOM_FUNCTIONS})

    def _on_assign(self, node: ast.Assign, ctx: FileContext) -> None:
        for t in node.targets:
            self._assigned(target_name(t), node.value, ctx)

    def _on_ann_assign(self, node: ast.AnnAssign, ctx: FileContext) -> None:
        if node.value is not None:
            self._assigned(target_name(node.target), node.value, ctx)

    def _on_keyword(self, node: ast.keyword, ctx: FileContext) -> None:
        self._assigned(node.arg, node.value, ctx)

    def _assigned(self, name: str | None, value: ast.expr, ctx: FileContext) -> None:
        if not name or not _is_secret(name):
            return
        for sub in ast.walk(value):
            if isinstance(sub, ast.Call):
                call = self._random_call(sub, ctx)
                if call:
                    self._flag(ctx, sub, call, f"`{name}`")
                    return

    def _on_call(self, node: ast.Call, ctx: FileContext) -> None:
        if node.lineno in self._lines:
            return
        fn = next((f for f in reversed(ctx.functions)
                   if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)), None)
        if fn is None or not _is_secret(fn.name):
            return
        call = self._random_call(node, ctx)
        if call:
            self._flag(ctx, node, call, f"{fn.name}()")

    def _random_call(self, node: ast.Call, ctx: FileContext) -> str | None:
        if called_last(node, ctx.file) not in _RANDOM_FUNCTIONS:
            return None
        name = call_name(node, ctx.file)
        module, _, func = name.rpartition(".")
        if func not in _RANDOM_FUNCTIONS:
            return None
        if module == "random":
            return name
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if isinstance(receiver, ast.Name):
            for v in assigned_values(receiver.id, self._scopes.chain(ctx)) or []:
                if isinstance(v, ast.Call) and call_name(v, ctx.file) == "random.Random":
                    return f"random.Random().{func}"
        return None

    def _flag(self, ctx: FileContext, node: ast.Call, call: str, what: str) -> None:
        if node.lineno in self._lines:
            return
        self._lines.add(node.lineno)
        self.report_node(
            "SEC-01", ctx, node,
            f"{call}() makes {what}: the random module is predictable, not a source of secrets",
            "Use the secrets module: secrets.token_urlsafe(), secrets.token_hex(), "
            "secrets.choice(), secrets.randbelow().",
            severity=Severity.HIGH,
        )
