"""Broken ciphers, ECB mode and short keys.

## What it flags
- Ciphers with known practical attacks or 64-bit blocks: DES, 3DES, RC2, RC4, Blowfish, CAST5,
  IDEA, SEED, XOR, from PyCryptodome/PyCrypto (``Crypto.Cipher.DES.new``,
  ``Cryptodome.Cipher.ARC4.new``) or ``cryptography`` (``algorithms.TripleDES``,
  ``algorithms.ARC4``, the ``decrepit`` module);
- ECB mode: ``modes.ECB()``, ``AES.new(key, AES.MODE_ECB)``;
- RSA and DSA keys shorter than 2048 bits (``rsa.generate_private_key(key_size=1024)``,
  ``RSA.generate(1024)``) and elliptic curves under 224 bits (``SECP192R1``).

AES in GCM, CTR or CBC mode, ChaCha20-Poly1305, Fernet, RSA/DSA of 2048 bits or more are not
flagged. Tests are skipped. This is the part of "data is encrypted at rest" code can show:
whether the data that needs encryption gets it is for a reviewer to attest.

## Why it matters
Data "encrypted" with DES or RC4 can be decrypted by an attacker without the key; ECB encrypts
equal blocks to equal ciphertext, so the structure of the data shows through; a 1024-bit RSA
key can be factored by a well-funded attacker. Encryption that can be undone gives no
protection to data at rest or in backups.

## Example
```python
cipher = AES.new(key, AES.MODE_ECB)
key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
```

## Use instead
```python
token = Fernet(key).encrypt(data)                 # AES-CBC + HMAC, done right
nonce = os.urandom(12); ct = AESGCM(key).encrypt(nonce, data, None)
key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
```

## References
- CWE-327, Use of a Broken or Risky Cryptographic Algorithm:
  https://cwe.mitre.org/data/definitions/327.html
- CWE-326, Inadequate Encryption Strength: https://cwe.mitre.org/data/definitions/326.html
- NIST SP 800-131A Rev. 2, transitioning cryptographic algorithms and key lengths:
  https://csrc.nist.gov/pubs/sp/800/131/a/r2/final
- cryptography, symmetric encryption:
  https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.security._common import call_name
from checks.model import Severity
from checks.pyfile import PyFile

_WEAK_CIPHERS = frozenset({"DES", "DES3", "ARC2", "ARC4", "Blowfish", "CAST", "XOR", "TripleDES",
                           "CAST5", "IDEA", "SEED", "RC4", "RC2"})
_CIPHER_MODULES = ("Crypto.Cipher.", "Cryptodome.Cipher.",
                   "cryptography.hazmat.primitives.ciphers.algorithms.",
                   "cryptography.hazmat.decrepit.ciphers.algorithms.")
_RSA_DSA = {
    "cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key": (1, "key_size"),
    "cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key": (0, "key_size"),
    "Crypto.PublicKey.RSA.generate": (0, "bits"), "Cryptodome.PublicKey.RSA.generate": (0, "bits"),
    "Crypto.PublicKey.DSA.generate": (0, "bits"), "Cryptodome.PublicKey.DSA.generate": (0, "bits"),
}
_MODULES = ("Crypto", "Cryptodome", "cryptography")
"""The top-level module of every name in _CIPHER_MODULES and _RSA_DSA."""
_WEAK_CURVES = frozenset({"SECP192R1", "SECT163K1", "SECT163R2"})
_MIN_BITS = 2048
_HINT = (
    "Use AES-GCM (cryptography's AESGCM) or Fernet for data, and RSA keys of 3072 bits or "
    "P-256/Ed25519 keys."
)


class BrokenCryptography(Detector):
    """Flags broken ciphers, ECB mode and short keys (see module docstring)."""

    slug = "broken-cryptography"
    items = ("SEC-06",)

    # No ``calls`` for judging: a call is judged by its name's module (any function of
    # Crypto.Cipher, of cryptography's ciphers) or by an argument (``MODE_ECB`` given to any
    # function), and each is counted in the evidence, so end_file reads every call of a file
    # that may hold one from the node index. A file may when it imports one of _MODULES, or
    # when one of the names or attributes below is handed to the detector during the walk:
    # they are the only other ways to write those names.
    calls = frozenset({"ECB", "generate_private_key", "derive_private_key"})
    attributes = frozenset({"MODE_ECB", "Cipher", "PublicKey", "hazmat"})

    def __init__(self) -> None:
        super().__init__()
        self._crypto_calls = 0
        self._may = False

    def start_file(self, ctx: FileContext) -> bool:
        self._may = False
        return not ctx.file.is_test

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        self._may = True  # modes.ECB(), rsa/dsa/ec.generate_private_key() ...

    def visit_Attribute(self, node: ast.Attribute, ctx: FileContext) -> None:
        # x.MODE_ECB; Crypto.Cipher, Crypto.PublicKey, cryptography.hazmat without an import
        if node.attr == "MODE_ECB" or (
                isinstance(node.value, ast.Name) and node.value.id in _MODULES):
            self._may = True

    def end_file(self, ctx: FileContext) -> None:
        f = ctx.file
        if self._may or f.imports_module(*_MODULES) or any(
                t.endswith(".MODE_ECB") for t in f.imports.values()):
            for node in f.nodes(ast.Call):
                self._judge(node, ctx)

    def _judge(self, node: ast.Call, ctx: FileContext) -> None:
        name = call_name(node, ctx.file)
        for module in _CIPHER_MODULES:
            if name.startswith(module):
                self._crypto_calls += 1
                cipher = name[len(module):].split(".", 1)[0]
                if cipher in _WEAK_CIPHERS:
                    self._flag(ctx, node, f"{cipher} is a broken or 64-bit-block cipher")
                    return
                break
        if name.endswith("modes.ECB") or any(
                _may_be_ecb(a, ctx.file) and (pyast.resolve(a, ctx.file) or "").endswith(
                    ".MODE_ECB")
                for a in [*node.args, *(k.value for k in node.keywords)]):
            self._crypto_calls += 1
            self._flag(ctx, node, "ECB mode encrypts equal blocks to equal ciphertext")
            return
        spec = _RSA_DSA.get(name)
        if spec is not None:
            self._crypto_calls += 1
            bits = pyast.const(pyast.argument(node, *spec))
            if isinstance(bits, int) and bits < _MIN_BITS:
                kind = "RSA" if ".rsa." in name.lower() or ".RSA." in name else "DSA"
                self._flag(ctx, node, f"a {bits}-bit {kind} key is too short (2048 is the "
                                      "minimum)", Severity.MEDIUM)
        elif name.endswith(".ec.generate_private_key") or name.endswith(".ec.derive_private_key"):
            self._crypto_calls += 1
            position = 0 if name.endswith("generate_private_key") else 1
            curve = pyast.argument(node, position, "curve")
            if isinstance(curve, ast.Call):
                curve = curve.func
            last = (pyast.resolve(curve, ctx.file) or "").rsplit(".", 1)[-1] if curve else ""
            if last in _WEAK_CURVES:
                self._flag(ctx, node, f"curve {last} is under 224 bits", Severity.MEDIUM)

    def _flag(self, ctx: FileContext, node: ast.AST, message: str,
              severity: Severity = Severity.HIGH) -> None:
        self.report_node("SEC-06", ctx, node, message, _HINT, severity=severity)

    def finish(self, project: Project) -> None:
        self.evidence("SEC-06", f"{self._crypto_calls} cipher or key calls checked; whether the "
                                "data that needs encryption at rest gets it needs a reviewer")


def _may_be_ecb(node: ast.expr, f: PyFile) -> bool:
    """False for an argument that cannot resolve to ``*.MODE_ECB`` (tested before resolving)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "MODE_ECB"
    return isinstance(node, ast.Name) and f.imports.get(node.id, "").endswith(".MODE_ECB")
