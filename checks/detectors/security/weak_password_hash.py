"""Passwords hashed with a fast or broken algorithm.

## What it flags
- ``hashlib`` fast digests (``md5``, ``sha1``, ``sha256``, ``sha512``, ``sha3_*``, ``blake2*``,
  also through ``hashlib.new("md5", ...)`` or ``h.update(...)``) applied to a value named like a
  password (``password``, ``raw_password``, ``user.passwd``, ``pwd``, ``pw``), or used inside a
  function named like a password hasher (``hash_password``, ``make_password``,
  ``verify_password``);
- ``hashlib.pbkdf2_hmac`` and cryptography's ``PBKDF2HMAC`` with fewer than 100,000 iterations;
- the ``crypt`` module (legacy Unix schemes, removed in Python 3.13);
- passlib's weak schemes (``md5_crypt``, ``des_crypt``, ``ldap_md5``, ``ldap_salted_sha1``,
  ``hex_sha256``, ``plaintext`` ...) used directly or as the default (first) scheme of a
  ``CryptContext``;
- Werkzeug ``generate_password_hash(..., method=...)`` with a method other than ``pbkdf2`` or
  ``scrypt``, or ``pbkdf2`` with fewer than 100,000 iterations;
- a Django ``PASSWORD_HASHERS`` whose first (default) hasher is ``MD5PasswordHasher``,
  ``SHA1PasswordHasher``, ``UnsaltedMD5PasswordHasher``, ``UnsaltedSHA1PasswordHasher`` or
  ``CryptPasswordHasher``, outside test and development settings (where a fast hasher speeds
  up tests on purpose).

bcrypt, argon2, scrypt and PBKDF2 with enough iterations are not flagged, nor are digests of
data that is not a password (checksums, cache keys, ETags). Tests are skipped.

## Why it matters
A leaked table of fast hashes falls to offline guessing: a GPU tries billions of MD5 or SHA-256
candidates a second, and an unsalted hash cracks every user with the same password at once.
Password hashes must be salted and deliberately slow (and, for argon2 and scrypt, memory-hard).

## Example
```python
def hash_password(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()
```

## Use instead
```python
from argon2 import PasswordHasher

ph = PasswordHasher()
digest = ph.hash(password)
ph.verify(digest, password)
```
or ``bcrypt.hashpw(password, bcrypt.gensalt())``, passlib's ``CryptContext(schemes=["argon2",
"bcrypt"])``, Django's default ``PBKDF2PasswordHasher``/``Argon2PasswordHasher``.

## References
- CWE-916, Use of Password Hash With Insufficient Computational Effort:
  https://cwe.mitre.org/data/definitions/916.html
- OWASP Password Storage Cheat Sheet:
  https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
- Django, password management:
  https://docs.djangoproject.com/en/stable/topics/auth/passwords/
- PEP 594, removing the ``crypt`` module: https://peps.python.org/pep-0594/#crypt
"""

from __future__ import annotations

import ast
import re

from checks import pyast
from checks.detector import Detector, FileContext
from checks.detectors.security._common import (
    Chain,
    Scopes,
    assigned_values,
    call_name,
    is_dev_path,
    mentions,
    snake,
)
from checks.model import Severity
from checks.pyast import called_last

_FAST = frozenset(
    {"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256", "sha3_384",
     "sha3_512", "blake2b", "blake2s", "md4", "ripemd160", "sm3", "shake_128", "shake_256"}
)
_PASSWORD_NAME = re.compile(r"(?:^|_)(?:password|passwd|passphrase|pwd|pw|pass|pword)(?:$|_)")
_NOT_PASSWORD = re.compile(r"token|reset|salt|hash|digest|file|path|url|policy|length|field")
_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "passphrase"})
_HASHER_VERBS = frozenset({"hash", "hasher", "encrypt", "encode", "make", "set", "check", "verify",
                           "digest", "compare", "match", "hashed", "encrypted"})
_WEAK_PASSLIB = frozenset(
    {"md5_crypt", "apr_md5_crypt", "des_crypt", "bsdi_crypt", "bigcrypt", "crypt16",
     "ldap_md5", "ldap_sha1", "ldap_salted_md5", "ldap_salted_sha1", "ldap_plaintext",
     "ldap_hex_md5", "ldap_hex_sha1", "ldap_md5_crypt", "ldap_des_crypt", "hex_md4", "hex_md5",
     "hex_sha1", "hex_sha256", "hex_sha512", "plaintext", "lmhash", "nthash", "mysql323",
     "mysql41", "postgres_md5", "oracle10", "oracle11", "msdcc", "msdcc2", "django_salted_md5",
     "django_salted_sha1", "django_des_crypt", "roundup_plaintext", "cisco_pix", "cisco_asa",
     "cisco_type7", "sun_md5_crypt", "htdigest"}
)
_WEAK_DJANGO = ("MD5PasswordHasher", "SHA1PasswordHasher", "UnsaltedMD5PasswordHasher",
                "UnsaltedSHA1PasswordHasher", "CryptPasswordHasher")
_MIN_PBKDF2_ITERATIONS = 100_000
_HASHLIB_PBKDF2, _HASHLIB_NEW = "pbkdf2_hmac", "new"
# hashlib functions judged: the digests, hashlib.new("md5", ...) and pbkdf2_hmac
_HASHLIB_JUDGED = _FAST | {_HASHLIB_PBKDF2, _HASHLIB_NEW}
_CRYPT = "crypt.crypt"
_CRYPT_CONTEXTS = ("passlib.context.CryptContext", "passlib.apps.CryptContext")
_WERKZEUG_HASH = "werkzeug.security.generate_password_hash"
_UPDATE = "update"  # h.update(password), h = hashlib.md5()
_PBKDF2HMAC = "PBKDF2HMAC"  # cryptography's, matched on the name's end
# Last parts of the names judged outside the hashlib and passlib modules.
_LAST_NAMES = frozenset(n.rsplit(".", 1)[-1] for n in (_CRYPT, *_CRYPT_CONTEXTS, _WERKZEUG_HASH,
                                                       _UPDATE))
_CALLS = _HASHLIB_JUDGED | _LAST_NAMES | {_PBKDF2HMAC}
_HINT = (
    "Hash passwords with argon2 (argon2-cffi), bcrypt or scrypt, or PBKDF2 with at least "
    "600,000 iterations (OWASP); verify with the library's constant-time check."
)


class WeakPasswordHash(Detector):
    """Flags passwords hashed with fast or legacy algorithms (see module docstring)."""

    slug = "weak-password-hash"
    items = ("SEC-12",)
    # Every name judged but two kinds, which end_file reads from the file's node index: any
    # function of a passlib.hash scheme (md5_crypt.hash, .verify, .using ...) and names that
    # only end in PBKDF2HMAC. The ``hash`` attributes handed to visit_Attribute tell whether
    # ``passlib.hash`` is written in a file that does not import passlib.
    calls = _CALLS
    attributes = frozenset({"hash"})

    def __init__(self) -> None:
        super().__init__()
        self._scopes = Scopes()
        self._skip = False
        self._digests = False
        self._hash_attribute = False
        self._updates: list[tuple[ast.Call, ast.expr, Chain]] = []

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        self._skip = f.is_test or f.is_migration
        self._digests = False  # whether a digest (md5, sha1 ...) is called in the file
        self._hash_attribute = False
        self._updates = []
        self._scopes.reset(f)
        return not self._skip

    def visit_Attribute(self, node: ast.Attribute, ctx: FileContext) -> None:
        if isinstance(node.value, ast.Name) and node.value.id == "passlib":
            self._hash_attribute = True

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        if called_last(node, ctx.file) in _FAST:
            self._digests = True
        self._judge(node, ctx)

    def _judge(self, node: ast.Call, ctx: FileContext) -> None:
        name = call_name(node, ctx.file)
        if name.startswith("hashlib."):
            self._hashlib(node, name.removeprefix("hashlib."), ctx)
        elif name == _CRYPT:
            self._flag(ctx, node, f"{name}() hashes with legacy Unix crypt schemes (the module "
                                  "was removed in Python 3.13)", Severity.MEDIUM)
        elif name.startswith("passlib.hash."):
            scheme = name.split(".")[2]
            if scheme in _WEAK_PASSLIB:
                self._flag(ctx, node, f"passlib scheme `{scheme}` is a fast or broken password "
                                      "hash", Severity.HIGH)
        elif name in _CRYPT_CONTEXTS:
            schemes = pyast.keyword(node, "schemes") or (node.args[0] if node.args else None)
            first = _first_string(schemes)
            if first in _WEAK_PASSLIB:
                self._flag(ctx, node, f"CryptContext hashes new passwords with `{first}`, a fast "
                                      "or broken scheme", Severity.HIGH)
        elif name == _WERKZEUG_HASH:
            method = pyast.const_str(pyast.argument(node, 1, "method"))
            if method is not None and _weak_werkzeug(method):
                self._flag(ctx, node, f"generate_password_hash(method={method!r}) is a fast or "
                                      "weak password hash", Severity.HIGH)
        elif name.endswith(_PBKDF2HMAC):
            self._iterations(node, pyast.keyword(node, "iterations"), ctx, _PBKDF2HMAC)
        elif pyast.attr_name(node) == _UPDATE and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and node.args:
                # h.update(password) needs h = md5(): judged at the end of the file, and only
                # when the file calls a digest
                self._updates.append((node, receiver, self._scopes.chain(ctx)))

    def end_file(self, ctx: FileContext) -> None:
        f = ctx.file
        if self._digests:
            for node, receiver, chain in self._updates:
                self._update(node, receiver, chain, ctx)
        self._updates = []
        # The calls visit_Call did not receive matter only when named under passlib.hash or
        # ending in PBKDF2HMAC; neither is judged by the enclosing function, gone by now.
        passlib = f.imports_module("passlib") or self._hash_attribute
        pbkdf2 = mentions(f, _PBKDF2HMAC)
        if not passlib and not pbkdf2:
            return
        for node in f.nodes(ast.Call):
            last = called_last(node, f)
            if last not in _CALLS and ((pbkdf2 and last.endswith(_PBKDF2HMAC)) or (
                    passlib and call_name(node, f).startswith("passlib.hash."))):
                self._judge(node, ctx)

    def _hashlib(self, node: ast.Call, algo: str, ctx: FileContext) -> None:
        data: ast.expr | None
        if algo == _HASHLIB_PBKDF2:
            self._iterations(node, pyast.argument(node, 3, "iterations"), ctx, _HASHLIB_PBKDF2)
            return
        if algo == _HASHLIB_NEW:
            algo = (pyast.const_str(pyast.argument(node, 0, "name")) or "").lower()
            data = pyast.argument(node, 1, "data")
        else:
            data = pyast.argument(node, 0, "data") or pyast.keyword(node, "string")
        if algo not in _FAST:
            return
        named = _password_name(data) if data is not None else None
        if named:
            self._flag(ctx, node, f"hashlib.{algo}() hashes `{named}`: a fast, unsalted digest "
                                  "is not a password hash", Severity.HIGH)
            return
        fn = _hasher_function(ctx)
        if fn:
            self._flag(ctx, node, f"hashlib.{algo}() in {fn}(): a fast digest is not a password "
                                  "hash", Severity.HIGH)

    def _update(self, node: ast.Call, receiver: ast.expr, chain: Chain,
                ctx: FileContext) -> None:
        if not isinstance(receiver, ast.Name) or not node.args:
            return
        named = _password_name(node.args[0])
        if not named:
            return
        for value in assigned_values(receiver.id, chain) or []:
            if isinstance(value, ast.Call):
                algo = call_name(value, ctx.file).removeprefix("hashlib.")
                if algo in _FAST:
                    self._flag(ctx, node, f"hashlib.{algo}().update() hashes `{named}`: a fast, "
                                          "unsalted digest is not a password hash", Severity.HIGH)
                    return

    def _iterations(self, node: ast.Call, value: ast.expr | None, ctx: FileContext,
                    what: str) -> None:
        n = pyast.const(value)
        if isinstance(n, int) and not isinstance(n, bool) and n < _MIN_PBKDF2_ITERATIONS:
            self._flag(ctx, node, f"{what} with {n:,} iterations is fast to brute-force",
                       Severity.MEDIUM)

    def _flag(self, ctx: FileContext, node: ast.AST, what: str, severity: Severity) -> None:
        self.report_node("SEC-12", ctx, node, what, _HINT, severity=severity)

    # -- Django settings ---------------------------------------------------------------------------
    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        for t in node.targets:  # a loop, not any(): every assignment of a file comes here
            if t.__class__ is ast.Name and t.id == "PASSWORD_HASHERS":
                break
        else:
            return
        if ctx.function or is_dev_path(ctx.path):
            return
        first = _first_string(node.value)
        if first and first.rsplit(".", 1)[-1] in _WEAK_DJANGO:
            self._flag(ctx, node, f"PASSWORD_HASHERS starts with {first.rsplit('.', 1)[-1]}: new "
                                  "passwords get a fast, broken hash", Severity.HIGH)


def _password_name(node: ast.expr) -> str | None:
    """The first password-like name mentioned in ``node`` (``password`` in
    ``(salt + password).encode()``), else None."""
    for n in ast.walk(node):
        name = n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else ""
        if name and _PASSWORD_NAME.search(snake(name)) and not _NOT_PASSWORD.search(name.lower()):
            return name
    return None


def _hasher_function(ctx: FileContext) -> str | None:
    for fn in reversed(ctx.functions):
        name = getattr(fn, "name", "")
        words = set(snake(name).split("_"))
        if words & _PASSWORD_WORDS and words & _HASHER_VERBS:
            return name
    return None


def _first_string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.List | ast.Tuple) and node.elts:
        return pyast.const_str(node.elts[0])
    return pyast.const_str(node)


def _weak_werkzeug(method: str) -> bool:
    parts = method.split(":")
    if parts[0] == "scrypt":
        return False
    if parts[0] != "pbkdf2":
        return True
    return len(parts) == 3 and parts[2].isdigit() and int(parts[2]) < _MIN_PBKDF2_ITERATIONS
