"""JSON Web Tokens decoded without verifying them, or signed with ``none``.

## What it flags
For PyJWT (``jwt.decode``) and python-jose (``jose.jwt.decode``):

- signature verification turned off: ``options={"verify_signature": False}`` (also through a
  variable holding the dict) or PyJWT 1's ``verify=False`` (high; medium for a token named
  ``id_token``, which OpenID Connect lets a client read unverified when it comes straight from
  the provider's token endpoint over TLS);
- ``"none"`` among the accepted ``algorithms`` (high);
- no ``algorithms`` argument (medium): PyJWT 1 and python-jose then accept whichever algorithm
  the token's header names, the root of algorithm-confusion attacks (PyJWT 2 refuses to decode);
- expiry checks turned off: ``options={"verify_exp": False}`` (medium);

and ``jwt.encode(..., algorithm="none")`` (high), which issues unsigned tokens.
``jwt.get_unverified_header()`` (reading ``kid`` before verifying) is not flagged. Tests are
skipped.

## Why it matters
A token whose signature is not checked is just JSON the client wrote: anyone can set
``"sub": "admin"``. Accepting the algorithm the token asks for lets an attacker pick ``none``
or sign with the public key as an HMAC secret.

## Example
```python
claims = jwt.decode(token, options={"verify_signature": False})
claims = jose_jwt.decode(token, settings.public_key)
```

## Use instead
```python
claims = jwt.decode(token, key, algorithms=["RS256"], audience="api://orders")
```

## References
- CWE-347, Improper Verification of Cryptographic Signature:
  https://cwe.mitre.org/data/definitions/347.html
- PyJWT, ``decode`` and ``algorithms``: https://pyjwt.readthedocs.io/en/stable/api.html
- OpenID Connect Core 1.0, ID token validation:
  https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
- OWASP JSON Web Token Cheat Sheet:
  https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html
- RFC 8725, JSON Web Token Best Current Practices: https://www.rfc-editor.org/rfc/rfc8725
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, FileContext
from checks.detectors.security._common import (
    Scopes,
    assigned_values,
    call_name,
)
from checks.model import Severity

_DECODE = {
    "jwt.decode": "PyJWT", "jwt.api_jwt.decode": "PyJWT", "jwt.decode_complete": "PyJWT",
    "jose.jwt.decode": "python-jose",
}
_ENCODE = frozenset({"jwt.encode", "jwt.api_jwt.encode", "jose.jwt.encode"})
_LAST_NAMES = frozenset(n.rsplit(".", 1)[-1] for n in (*_DECODE, *_ENCODE))
_HINT = (
    "Verify every token: jwt.decode(token, key, algorithms=[\"RS256\"]) with the one algorithm "
    "you issue, and keep signature and expiry checks on."
)


class InsecureJwtDecode(Detector):
    """Flags JWTs decoded without verification or signed with ``none`` (see module docstring)."""

    slug = "insecure-jwt-decode"
    items = ("SEC-01",)
    calls = _LAST_NAMES

    def __init__(self) -> None:
        super().__init__()
        self._scopes = Scopes()
        self._skip = False

    def start_file(self, ctx: FileContext) -> bool:
        self._skip = ctx.file.is_test
        self._scopes.reset(ctx.file)
        return not self._skip

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        name = call_name(node, ctx.file)
        if name in _ENCODE:
            alg = pyast.const_str(pyast.argument(node, 2, "algorithm"))
            if alg is not None and alg.lower() == "none":
                self._flag(ctx, node, f"{name}(algorithm=\"none\") issues unsigned tokens anyone "
                                      "can forge", Severity.HIGH)
            return
        library = _DECODE.get(name)
        if library is None:
            return
        options = self._options(pyast.keyword(node, "options"), ctx)
        if options.get("verify_signature") is False or pyast.is_false(
                pyast.keyword(node, "verify")):
            token = pyast.argument(node, 0, "jwt") or pyast.keyword(node, "token")
            if token is not None and "id_token" in ast.unparse(token).lower():
                self._flag(ctx, node, f"{name}() reads an OpenID Connect ID token without "
                                      "verifying it: safe only if it came straight from the "
                                      "provider's token endpoint over TLS", Severity.MEDIUM)
            else:
                self._flag(ctx, node, f"{name}() without signature verification: the claims "
                                      "are whatever the client wrote", Severity.HIGH)
            return
        algorithms = pyast.keyword(node, "algorithms")
        if algorithms is None and not pyast.has_kwargs_splat(node):
            self._flag(ctx, node, f"{name}() without `algorithms`: {library} may accept the "
                                  "algorithm the token names (algorithm confusion)",
                       Severity.MEDIUM)
        elif _names_none(algorithms):
            self._flag(ctx, node, f"{name}() accepts the \"none\" algorithm: unsigned tokens "
                                  "pass", Severity.HIGH)
        if options.get("verify_exp") is False:
            self._flag(ctx, node, f"{name}() with verify_exp=False: expired tokens are accepted "
                                  "forever", Severity.MEDIUM)

    def _options(self, node: ast.expr | None, ctx: FileContext) -> dict[str, object]:
        if isinstance(node, ast.Name):
            values = assigned_values(node.id, self._scopes.chain(ctx)) or []
            node = values[0] if len(values) == 1 else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                node.func.id == "dict"):
            return {kw.arg: pyast.const(kw.value) for kw in node.keywords if kw.arg}
        if not isinstance(node, ast.Dict):
            return {}
        return {k: pyast.const(v) for key, v in zip(node.keys, node.values, strict=True)
                if (k := pyast.const_str(key)) is not None}

    def _flag(self, ctx: FileContext, node: ast.AST, message: str, severity: Severity) -> None:
        self.report_node("SEC-01", ctx, node, message, _HINT, severity=severity)


def _names_none(node: ast.expr | None) -> bool:
    elts = node.elts if isinstance(node, ast.List | ast.Tuple | ast.Set) else [node]
    return any((pyast.const_str(e) or "").lower() == "none" for e in elts if e is not None)
