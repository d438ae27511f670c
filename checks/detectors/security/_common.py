"""Helpers shared by the security detectors: secret-like names and values, constant folding of
strings through local and module assignments, and how a settings file is meant to be used
(production, development, test)."""

from __future__ import annotations

import ast
import functools
import posixpath
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from checks import pyast, traversal
from checks.detector import FileContext
from checks.pyfile import PyFile

# -- cheap per-file and per-call tests, made before any tree work -----------------------------
#
# A full review sends every call of every file to each detector: most calls and most files are
# irrelevant to all of them, so each detector first asks the questions below, which cost a
# substring test or an attribute read, and resolves names or scopes only for what is left.


def mentions(f: PyFile, *words: str) -> bool:
    """False only when no name in ``f`` can contain any of ``words``.

    Every part of a name resolved through the file's imports (:func:`pyast.call_name`,
    :func:`pyast.resolve`), every keyword, attribute and function name is an identifier written
    in the source, so a file whose text lacks ``ECB`` has no call resolving to ``modes.ECB``.
    The parser normalises non-ASCII identifiers (NFKC), which may then differ from the text:
    such files always pass. Not for string values, which escapes and implicit concatenation
    hide from the text."""
    ascii_only: bool | None = f.memo.get("security.ascii")
    if ascii_only is None:
        ascii_only = f.memo["security.ascii"] = f.text.isascii()
    if not ascii_only:
        return True
    found: dict[str, bool] | None = f.memo.get("security.words")
    if found is None:
        found = f.memo["security.words"] = {}
    text = f.text
    for w in words:
        hit = found.get(w)
        if hit is None:
            hit = found[w] = w in text  # each word is searched once per file
        if hit:
            return True
    return False


def keyword_names(f: PyFile) -> frozenset[str | None]:
    """Every keyword passed in ``f`` (``verify`` for ``get(url, verify=False)``, None for
    ``**kwargs``), from the file's node index: for ``end_file`` and ``finish`` hooks, which
    read the calls of a file only when it passes a keyword they judge. Kept in the file's memo
    (shared by the security, resilience and deployment detectors)."""
    names: frozenset[str | None] | None = f.memo.get("security.keywords")
    if names is None:
        names = f.memo["security.keywords"] = frozenset(
            [kw.arg for kw in f.nodes(ast.keyword)])
    return names


def call_name(call: ast.Call, f: PyFile) -> str:
    """:func:`pyast.call_name` (``""`` for None), resolved once per call for all detectors."""
    names: dict[int, str] | None = f.memo.get("security.call_names")
    if names is None:
        names = f.memo["security.call_names"] = {}
    key = id(call)
    name = names.get(key)
    if name is None:
        name = names[key] = pyast.call_name(call, f) or ""
    return name


# -- handlers replayed on the rare file that needs them ----------------------------------------

ReplayHandler = Callable[[Any, FileContext], None]


def _reraise(owner: object, exc: Exception) -> None:
    raise exc


def replay(f: PyFile, handlers: Mapping[type[ast.AST], ReplayHandler],
           calls: Mapping[str, ReplayHandler] | None = None) -> None:
    """Walk ``f`` again, handing its nodes to ``handlers`` (``{ast.Assign: self.on_assign}``)
    and its calls of the names in ``calls`` (matched as :attr:`Detector.calls` is) in the
    order, and with the enclosing functions, classes and loop depth, of the review's
    traversal. An exception a handler raises propagates.

    For an ``end_file`` hook that learns from the file's node index that the file needs
    handlers whose order or scopes matter (which enclosing function, which of two findings on a
    line comes first): the few files that do are walked twice, instead of every node of every
    file being handed to the detector during the traversal."""
    dispatch = traversal.Dispatch(
        {t: [(None, h)] for t, h in handlers.items()},
        {n: [(None, h)] for n, h in (calls or {}).items()},
    )
    traversal.walk(f.tree, FileContext(f), dispatch, _reraise, f.imports)


# -- secret-like names ------------------------------------------------------------------------

# A name is secret-like when one of its words is a secret word, or two of them make one
# ("api key"), or it ends in "pass" ("db_pass"), unless its last word says it names something
# about the secret rather than the secret itself ("password_url", "token_expire_minutes").
_SECRET_WORDS = frozenset({"password", "passwd", "passphrase", "pwd", "secret", "secrets",
                           "token", "apikey", "passcode", "pword"})
_SECRET_PAIRS = (("api", "key"), ("private", "key"), ("secret", "key"), ("access", "key"),
                 ("signing", "key"), ("encryption", "key"), ("jwt", "key"), ("hmac", "key"),
                 ("fernet", "key"), ("master", "key"), ("auth", "key"), ("session", "key"),
                 ("client", "secret"), ("app", "key"))
_NOT_SECRET_LAST = frozenset(
    {"url", "uri", "urls", "name", "names", "field", "fields", "header", "headers", "type",
     "types", "length", "len", "min", "max", "expire", "expires", "expiry", "expiration", "ttl",
     "lifetime", "path", "file", "files", "dir", "env", "var", "template", "label", "prefix",
     "suffix", "regex", "pattern", "re", "mode", "policy", "validator", "validators", "endpoint",
     "route", "id", "ids", "count", "hash", "hashed", "hasher", "hashers", "salt", "reset",
     "required", "enabled", "valid", "validation", "error", "errors", "message", "msg", "help",
     "text", "hint", "placeholder", "widget", "form", "class", "backend", "backends", "model",
     "serializer", "schema", "location", "algorithm", "algorithms", "alg", "scheme", "scope",
     "scopes", "audience", "issuer", "format", "version", "encoding", "cookie", "keyword", "in",
     "timeout", "interval", "source", "store", "provider", "manager", "service", "handler",
     "generator", "factory", "size", "limit", "retries", "attempts", "strength", "complexity",
     "days", "hours", "minutes", "seconds", "column", "param", "parameter", "arg", "option",
     "title", "icon", "button", "link", "view", "check", "checker", "changed", "sent", "used",
     "usage", "counter", "bytes", "bits", "chars", "characters", "digits", "kind", "method",
     "methods", "cls", "display", "input", "prompt", "confirm", "confirmation", "visible",
     "response", "request", "data", "info", "details", "storage", "obtain", "refresh", "charset",
     "alphabet", "status", "state", "result", "outcome", "step", "stage", "flag", "flags"}
)
# Token names that are not credentials: paging cursors, LLM token counts, CSRF form fields.
_NOT_SECRET = re.compile(
    r"(?:^|_)(?:csrf|xsrf|next|page|continuation|cursor|max|num|total|input|output|prompt"
    r"|completion|sort|cache|bypass|compass)_"
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake(name: str) -> str:
    """``apiKey`` -> ``api_key``, ``DB-PASSWORD`` -> ``db_password``."""
    return _CAMEL.sub("_", name).replace("-", "_").replace(".", "_").lower().strip("_")


@functools.lru_cache(maxsize=8192)
def is_secret_name(name: str) -> bool:
    """True when ``name`` (a variable, attribute, keyword, dict key or env var) names a secret:
    ``DB_PASSWORD``, ``apiKey``, ``SECRET_KEY``, ``my_password_for_email``, ``db_pass``; not
    ``token_url``, ``csrf_token``, ``PASSWORD_RESET_TIMEOUT`` or ``max_tokens``."""
    s = snake(name)
    words = [w for w in s.split("_") if w]
    if not words or words[-1] in _NOT_SECRET_LAST or _NOT_SECRET.search(s + "_"):
        return False
    if words[-1] in ("pass", "pw"):
        return True
    if set(words) & _SECRET_WORDS:
        return True
    return any(a in words and b in words and words.index(a) < words.index(b)
               for a, b in _SECRET_PAIRS)


_PLACEHOLDER_WORDS = (
    "changeme", "change_me", "change-me", "changethis", "change_this", "change-this",
    "your_", "your-", "yourpass", "yoursecret", "example", "placeholder", "dummy", "redacted",
    "xxx", "***", "...", "replace", "insert", "fixme", "todo", "<", "${", "$(", "{{", "%(",
    "not-a-secret", "notasecret", "not_a_secret", "fake", "sample", "mock", "stub", "valid",
)
_PLACEHOLDER_VALUES = frozenset(
    {"none", "null", "nil", "secret", "password", "passwd", "pass", "pwd", "token", "key",
     "apikey", "api_key", "test", "testing", "dev", "tbd", "default", "unset", "empty", "n/a",
     "na", "missing", "required", "string", "str"}
)
# The documented defaults of database and broker images, used for local and CI services.
_IMAGE_DEFAULTS = frozenset({"postgres", "postgresql", "root", "admin", "guest", "mysql",
                             "mariadb", "minioadmin", "rabbitmq", "redis", "mongo", "sa", "user"})
# "access_token", "X-API-Key", "auth.password": a key or header name, not a secret.
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[_.:\-][A-Za-z0-9]+)+")
_SECRET_WORD = re.compile(r"pass|pwd|secret|token|key|auth|cred", re.IGNORECASE)
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_PATH_LIKE = re.compile(r"(^[./~]|\.(pem|key|crt|cer|json|txt|ya?ml|env|p12|pfx|der|pub)$)")


_PASSWORD_WORDS = frozenset({"password", "passwd", "passphrase", "pwd", "pass", "pw", "pword",
                             "passcode"})


def is_password_name(name: str) -> bool:
    """True when ``name`` names a password (people choose those, so short words count)."""
    return bool(set(snake(name).split("_")) & _PASSWORD_WORDS)


def looks_generated(value: str) -> bool:
    """True for a value that looks machine-generated: ten characters or more, mixing at least
    two of lower case, upper case and digits (``9f8e7d6c5b4a``), unlike ``request``, ``$user``
    or ``{module}``."""
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                   any(c.isdigit() for c in value)))
    return len(value) >= 10 and classes >= 2


def is_secret_value(value: str, *, configuration: bool = True) -> bool:
    """True when a string literal assigned to a secret-like name looks like a real secret: not
    empty, not a placeholder (``changeme``, ``<your-key>``, ``${VAR}``, ``xxx``), not a field or
    environment variable name (``"password"``, ``"DB_PASSWORD"``), not a path or URL without
    credentials, not a sentence. In ``configuration`` (a setting, a keyword, a compose file)
    the public default of a database image (``postgres``, ``root``, ``guest``) is not a secret
    either; in a comparison or a parameter default it is a hard-coded credential."""
    v = value.strip()
    if len(v) < 4 or any(c.isspace() for c in v):
        return False
    low = v.lower()
    if low in _PLACEHOLDER_VALUES or len(set(low)) == 1:
        return False
    if configuration and low in _IMAGE_DEFAULTS:
        return False
    if any(w in low for w in _PLACEHOLDER_WORDS):
        return False
    if _ENV_NAME.fullmatch(v) and "_" in v:
        return False
    if _IDENTIFIER.fullmatch(v) and _SECRET_WORD.search(v):
        return False
    if low.startswith(("http://", "https://")):
        return "@" in v.split("://", 1)[1].split("/", 1)[0]
    return not _PATH_LIKE.search(low)


def target_name(node: ast.AST) -> str | None:
    """The name a value is bound to: ``x`` for ``x = ...``, ``attr`` for ``o.attr = ...``,
    ``"KEY"`` for ``d["KEY"] = ...``; None otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


# -- scopes and constant strings -------------------------------------------------------------


_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_NESTED_CLASSES = frozenset(_NESTED_SCOPES)  # node classes have no subclasses
_LEAF_KINDS = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
_NODE_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _holds_nodes(t: object) -> bool:
    if isinstance(t, types.UnionType) or typing.get_origin(t) is typing.Union:
        return any(_holds_nodes(a) for a in typing.get_args(t))
    if typing.get_origin(t) is list:
        return _holds_nodes(typing.get_args(t)[0])
    return isinstance(t, type) and issubclass(t, ast.AST) and not issubclass(t, _LEAF_KINDS)


def _node_fields(cls: type[ast.AST]) -> tuple[str, ...]:
    """The fields of ``cls`` that may hold nodes other than contexts and operators (every
    field but ``ctx`` where the class has no field types, Python 3.12); empty for a leaf such
    as ``Name`` or ``Constant``. Cached per class."""
    fields = _NODE_FIELDS.get(cls)
    if fields is None:
        types_of: dict[str, object] | None = getattr(cls, "_field_types", None)
        fields = _NODE_FIELDS[cls] = tuple(
            name for name in cls._fields
            if name != "ctx" and (types_of is None or _holds_nodes(types_of.get(name))))
    return fields


def scope_nodes(scope: ast.AST) -> list[ast.AST]:
    """The nodes in ``scope``'s body that hold other nodes (not ``Name``, ``Constant``,
    operators...), without descending into nested functions or classes, in the order of a
    depth-first walk that visits a node's last child first."""
    body = getattr(scope, "body", [])
    stack: list[Any] = list(body) if isinstance(body, list) else [body]
    pop, push = stack.pop, stack.append
    out: list[ast.AST] = []
    add = out.append
    known, fields_of, nested = _NODE_FIELDS, _node_fields, _NESTED_CLASSES
    while stack:
        node = pop()
        add(node)
        names = known.get(node.__class__)
        for name in fields_of(node.__class__) if names is None else names:
            value = getattr(node, name, None)
            children: Any = value if value.__class__ is list else (value,)
            for child in children:
                cls = child.__class__
                if cls in nested or child is None:
                    continue
                fields = known.get(cls)
                if fields is None:
                    fields = fields_of(cls)
                if fields:  # a leaf (Name, Constant ...) holds nothing to walk
                    push(child)
    return out


_BINDING_NODES = frozenset({ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.AugAssign, ast.For,
                            ast.AsyncFor, ast.comprehension, ast.withitem})


class Bindings:
    """What each name is assigned in one scope (a function, or the module's top level).

    ``values[name]`` lists every expression bound to ``name`` by ``=``, ``:=`` and annotated
    assignment, plus ``+=`` right-hand sides (as augmented parts); a name bound any other way
    (a ``for`` target, ``with ... as``, a parameter, an import) is in ``opaque``."""

    def __init__(self, scope: ast.AST) -> None:
        self.values: dict[str, list[ast.expr]] = {}
        self.augmented: dict[str, list[ast.expr]] = {}
        self.opaque: set[str] = set()
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            a = scope.args
            for arg in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]:
                if arg is not None:
                    self.opaque.add(arg.arg)
        wanted = _BINDING_NODES
        for node in scope_nodes(scope):
            if node.__class__ not in wanted:
                continue
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    self._bind(t, node.value)
            elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
                self._bind(node.target, node.value)
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                self.augmented.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
                self._opaque_target(node.target)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                self._opaque_target(node.optional_vars)

    def _bind(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.values.setdefault(target.id, []).append(value)
        else:
            self._opaque_target(target)

    def _opaque_target(self, target: ast.AST) -> None:
        for n in ast.walk(target):
            if isinstance(n, ast.Name):
                self.opaque.add(n.id)


class Scopes:
    """Per-file cache of :class:`Bindings`, for the module and each function.

    The cache lives in the file's ``memo``, so the detectors of one review share it: each
    function's bindings are computed once, by the first detector that needs them, and only for
    functions holding a call worth a closer look."""

    def __init__(self) -> None:
        self._cache: dict[int, Bindings] = {}

    def reset(self, f: PyFile) -> None:
        """Switch to ``f``'s bindings, shared with the other detectors."""
        cache: dict[int, Bindings] | None = f.memo.get("security.bindings")
        if cache is None:
            cache = f.memo["security.bindings"] = {}
        self._cache = cache

    def of(self, scope: ast.AST) -> Bindings:
        """The bindings of ``scope`` (computed once)."""
        key = id(scope)
        b = self._cache.get(key)
        if b is None:
            b = self._cache[key] = Bindings(scope)
        return b

    def chain(self, ctx: FileContext) -> Chain:
        """Bindings from the innermost enclosing function out to the module."""
        return Chain(self, [*reversed(ctx.functions), ctx.file.tree])


class Chain:
    """The bindings of the scopes enclosing a point, innermost first. A scope's bindings are
    computed when a name lookup first reaches it: a name bound in the function never costs the
    module's, and a constant costs none."""

    __slots__ = ("_owners", "_scopes")

    def __init__(self, scopes: Scopes, owners: list[ast.AST]) -> None:
        self._scopes = scopes
        self._owners = owners

    def __iter__(self) -> Iterator[Bindings]:
        of = self._scopes.of
        for owner in self._owners:
            yield of(owner)


def assigned_values(name: str, chain: Chain) -> list[ast.expr] | None:
    """Every expression bound to ``name`` in the nearest scope of ``chain`` that binds it, with
    ``+=`` parts; None when that scope binds it opaquely (a parameter, a loop variable) or no
    scope binds it."""
    for b in chain:
        if name in b.opaque:
            return None
        if name in b.values:
            return [*b.values[name], *b.augmented.get(name, [])]
    return None


SafePredicate = Callable[[ast.AST], bool]
_TRANSLATIONS = frozenset({"_", "gettext", "gettext_lazy", "ugettext", "ugettext_lazy", "pgettext",
                           "pgettext_lazy", "ngettext", "ngettext_lazy", "gettext_noop"})


def is_constant_string(node: ast.AST, chain: Chain, depth: int = 0,
                       seen: frozenset[str] = frozenset(),
                       safe: SafePredicate | None = None) -> bool:
    """True when ``node`` evaluates to a string (or number) built from constants only: literals,
    names bound only to constants, concatenation, ``%``/``.format``/f-strings of constants,
    ``", ".join(...)`` of constants, ``"?" * n`` placeholders and translations of constants
    (``_("...")``). A name that refers back to itself (``s = s + "x"``) adds nothing new, so it
    does not make the result non-constant. ``safe`` marks more expressions as harmless (an
    escaping call, for HTML)."""
    if depth > 8:
        return False
    if safe is not None and safe(node):
        return True
    d = depth + 1

    def const(n: ast.AST) -> bool:
        return is_constant_string(n, chain, d, seen, safe)

    if isinstance(node, ast.Constant):
        return isinstance(node.value, str | int | float | bytes) or node.value is None
    if isinstance(node, ast.JoinedStr):
        return all(const(v.value) for v in node.values if isinstance(v, ast.FormattedValue))
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Mult):
            # "?" * len(ids) and ["%s"] * n build placeholders, whatever n is.
            return _is_placeholder(node.left) or _is_placeholder(node.right)
        return const(node.left) and const(node.right)
    if isinstance(node, ast.Name):
        if node.id in seen:
            return True
        values = assigned_values(node.id, chain)
        inner = seen | {node.id}
        return bool(values) and all(is_constant_string(v, chain, d, inner, safe)
                                    for v in values or [])
    if isinstance(node, ast.Tuple | ast.List):
        return all(const(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(const(v) for v in node.values)
    if isinstance(node, ast.GeneratorExp | ast.ListComp):
        return const(node.elt)
    if isinstance(node, ast.IfExp):
        return const(node.body) and const(node.orelse)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("int", "float", "len", "bool"):
            return True  # a number cannot carry SQL or shell syntax
        if isinstance(func, ast.Name) and func.id in _TRANSLATIONS:
            return all(const(a) for a in node.args)
        if isinstance(func, ast.Attribute) and func.attr in (
                "join", "format", "upper", "lower", "strip", "replace"):
            return const(func.value) and all(const(a) for a in node.args) and all(
                const(k.value) for k in node.keywords)
    return False


def _is_placeholder(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.strip(" ,") in ("?", "%s", "$1", ":param")
    if isinstance(node, ast.List | ast.Tuple) and len(node.elts) == 1:
        return _is_placeholder(node.elts[0])
    return False


def string_fragments(node: ast.AST, chain: Chain, depth: int = 0) -> list[str]:
    """The literal text parts of a string expression (through names bound in ``chain``), used to
    recognise what a string is (SQL, a shell command, HTML)."""
    if depth > 8:
        return []
    d = depth + 1
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        out: list[str] = []
        for v in node.values:
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                out.append(v.value)
            elif isinstance(v, ast.FormattedValue):
                out.extend(string_fragments(v.value, chain, d))
        return out
    if isinstance(node, ast.BinOp):
        return string_fragments(node.left, chain, d) + string_fragments(node.right, chain, d)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return string_fragments(node.func.value, chain, d)
    if isinstance(node, ast.Name):
        return [s for v in assigned_values(node.id, chain) or [] for s in
                string_fragments(v, chain, d)]
    return []


def is_built_string(node: ast.AST, chain: Chain, depth: int = 0,
                    seen: frozenset[str] = frozenset(),
                    safe: SafePredicate | None = None) -> bool:
    """True when ``node`` is a string built at run time from a non-constant part (an f-string
    placeholder, ``%``, ``+``, ``.format``, ``.replace``), directly or through a local variable
    assigned such a string (or grown with ``+=``) in the same scope. ``safe`` is passed on to
    :func:`is_constant_string`."""
    if depth > 8:
        return False
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, chain)
        if not values or node.id in seen:
            return False
        inner = seen | {node.id}
        return any(is_built_string(v, chain, depth + 1, inner, safe) for v in values) and not all(
            is_constant_string(v, chain, depth + 1, inner, safe) for v in values
        )
    if not is_string_operation(node):
        return False

    def const(n: ast.AST) -> bool:
        return is_constant_string(n, chain, 0, seen, safe)

    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        # the template may come from elsewhere; what is inserted into it decides
        return not const(node.right) or is_built_string(node.left, chain, depth + 1, seen, safe)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        inserted = [*node.args, *(k.value for k in node.keywords)]
        return not all(const(a) for a in inserted) or is_built_string(
            node.func.value, chain, depth + 1, seen, safe)
    return not const(node)


#: Methods of ``str`` that insert values into a text (``"... {}".format(x)``).
STRING_BUILDING_METHODS = frozenset({"format", "replace"})


def is_string_operation(node: ast.AST) -> bool:
    """True for an f-string with a placeholder, ``str % x``, ``str + x``, ``str.format(...)`` or
    ``str.replace(...)`` (whatever the operands are)."""
    n: Any = node
    cls = n.__class__  # node classes have no subclasses: compared, not isinstance
    if cls is ast.JoinedStr:
        return any(v.__class__ is ast.FormattedValue for v in n.values)
    if cls is ast.BinOp:
        op = n.op.__class__
        if op is ast.Add:
            return _is_stringish(n.left) or _is_stringish(n.right)
        return op is ast.Mod and _is_stringish(n.left)
    if cls is ast.Call:
        func = n.func
        return func.__class__ is ast.Attribute and func.attr in STRING_BUILDING_METHODS and (
            _is_stringish(func.value))
    return False


def _is_stringish(node: ast.AST) -> bool:
    n: Any = node
    cls = n.__class__
    if cls is ast.Name:
        return True  # may be bound to a string; the caller checks constancy
    if cls is ast.Constant:
        return n.value.__class__ is str
    if cls is ast.Call and n.func.__class__ is ast.Name and n.func.id in _TRANSLATIONS:
        return True  # _("... {} ...").format(x)
    return is_string_operation(node)


# -- settings files ----------------------------------------------------------------------------

_DEV_WORDS = frozenset(
    {"dev", "development", "local", "test", "tests", "testing", "ci", "example",
     "examples", "sample", "demo", "docs", "unittest", "e2e", "develop", "devcontainer"}
)
_PROD_WORDS = frozenset({"prod", "production", "live", "prd", "deploy", "deployment", "release"})
_SPLIT = re.compile(r"[_.\-]+")


def path_words(path: str) -> frozenset[str]:
    """Lower-case words of a path's folders and file stem, split on ``_``, ``-`` and ``.``."""
    stem = posixpath.splitext(path)[0].lower()
    return frozenset(w for part in stem.split("/") for w in _SPLIT.split(part) if w)


@functools.lru_cache(maxsize=8192)
def is_dev_path(path: str) -> bool:
    """True for files meant for development or tests: ``settings/local.py``,
    ``config/dev_settings.py``, ``docker-compose.test.yml``, ``tests/...``. Cached: several
    detectors ask about every file."""
    return not _DEV_WORDS.isdisjoint(path_words(path))


@functools.lru_cache(maxsize=8192)
def is_prod_path(path: str) -> bool:
    """True for files meant for production: ``settings/production.py``, ``prod.py`` (cached)."""
    words = path_words(path)
    return not _PROD_WORDS.isdisjoint(words) and _DEV_WORDS.isdisjoint(words)


_DJANGO_SETTINGS_NAMES = frozenset(
    {"INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE", "DATABASES", "SECRET_KEY", "ALLOWED_HOSTS",
     "WSGI_APPLICATION"}
)


@dataclass(frozen=True, slots=True)
class Setting:
    """A module-level ``NAME = value`` statement: the name, the value and the statement's lines."""

    name: str
    value: ast.expr
    lineno: int
    end_lineno: int


def module_assignments(module: ast.Module) -> dict[str, Setting]:
    """Top-level ``NAME = value`` statements of a module (the last one wins), including those
    nested in ``if``/``try`` at top level."""
    out: dict[str, Setting] = {}
    stack: list[Any] = list(reversed(module.body))
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        cls = node.__class__
        if cls is ast.Assign:
            for t in node.targets:
                if t.__class__ is ast.Name:
                    out[t.id] = Setting(t.id, node.value, node.lineno,
                                        node.end_lineno or node.lineno)
        elif cls is ast.AnnAssign:
            t = node.target
            if t.__class__ is ast.Name and node.value is not None:
                out[t.id] = Setting(t.id, node.value, node.lineno, node.end_lineno or node.lineno)
        elif cls is ast.If or cls is ast.Try:
            # the blocks pushed last (an except clause's, then finally) come out first
            extend(reversed(node.body))
            extend(reversed(node.orelse))
            if cls is ast.Try:
                extend(reversed(node.finalbody))
                for h in node.handlers:
                    extend(reversed(h.body))
    return out


def assignments(f: PyFile) -> dict[str, Setting]:
    """:func:`module_assignments` of ``f``, computed once per file and shared (read only)."""
    out: dict[str, Setting] | None = f.memo.get("security.assignments")
    if out is None:
        out = f.memo["security.assignments"] = module_assignments(f.tree)
    return out


def star_imports(f: PyFile) -> list[str]:
    """Modules a file imports with ``from X import *``, resolved to dotted names (relative
    imports made absolute from the file's package)."""
    out: list[str] = []
    package: str | None = None
    for node in f.tree.body:
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            if package is None:  # the package is worked out only for a file that needs it
                package = f.module_name if f.path.endswith("__init__.py") else (
                    f.module_name.rpartition(".")[0])
            base = package
            for _ in range(max(node.level - 1, 0)):
                base = base.rpartition(".")[0]
            if node.level:
                out.append(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                out.append(node.module)
    return out


def is_django_settings(f: PyFile) -> bool:
    """True for a Django settings module: it sets two or more core settings, or it is named like
    one (``settings.py``, ``settings/*.py``) and sets one or star-imports another."""
    known: bool | None = f.memo.get("security.django_settings")
    if known is not None:
        return known
    assigned = assignments(f)
    names = sum(1 for n in _DJANGO_SETTINGS_NAMES if n in assigned)
    if names >= 2:
        known = True
    else:
        parts = f.path.split("/")
        named = parts[-1] == "settings.py" or "settings" in parts[:-1] or parts[-1].startswith(
            "settings_") or parts[-1].endswith("_settings.py")
        known = named and (names > 0 or bool(star_imports(f)))
    f.memo["security.django_settings"] = known
    return known


_CLI_MODULES = ("click", "typer", "argparse", "fire", "docopt")


def is_operator_tool(f: PyFile) -> bool:
    """True for a command-line tool, whose input comes from the operator running it: a module
    importing ``click``/``typer``/``argparse``, or a Django management command."""
    known: bool | None = f.memo.get("security.operator_tool")
    if known is None:
        parts = f.path.split("/")
        known = f.memo["security.operator_tool"] = f.imports_module(*_CLI_MODULES) or (
            "management" in parts and "commands" in parts)
    return known


def main_guard_lines(module: ast.Module) -> list[tuple[int, int]]:
    """Line ranges of top-level ``if __name__ == "__main__":`` blocks."""
    out: list[tuple[int, int]] = []
    for node in module.body:
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name)
            and node.test.left.id == "__name__"
            and any(isinstance(c, ast.Constant) and c.value == "__main__"
                    for c in node.test.comparators)
        ):
            out.append((node.lineno, node.end_lineno or node.lineno))
    return out


def line_of(text: str, offset: int) -> int:
    """1-based line number of character ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1
