"""Deserializers that can run code: pickle, marshal, shelve, unsafe YAML loaders.

## What it flags
- ``yaml.load`` / ``yaml.load_all`` without a safe loader (no ``Loader``, or ``Loader``,
  ``UnsafeLoader``, ``CLoader``, ``CUnsafeLoader``), ``yaml.unsafe_load`` and
  ``yaml.unsafe_load_all`` (high);
- ``pickle.load``/``loads`` (also ``cPickle``, ``_pickle``, ``dill``, ``cloudpickle``,
  ``joblib.load``, ``pandas.read_pickle``, ``pickle.Unpickler``, ``numpy.load(...,
  allow_pickle=True)``, ``torch.load(..., weights_only=False)``), ``marshal.load``/``loads``,
  ``shelve.open`` and ``jsonpickle.decode`` (medium: safe only when the bytes can never come
  from outside the service, which a reviewer must confirm).

``yaml.safe_load``, ``yaml.load(..., Loader=yaml.SafeLoader)`` (or ``CSafeLoader``,
``BaseLoader``, ``FullLoader``), a project's own loader class and JSON are not flagged.
``torch.load`` without ``weights_only`` is low: torch 2.6 and later default to loading weights
only. Tests are skipped.

## Why it matters
Unpickling calls any callable the data names (``os.system`` included): whoever can write the
bytes (a cache entry, an upload, a message on a queue, a cookie) can run code in the service.
PyYAML's full ``Loader`` builds arbitrary Python objects the same way.

## Example
```python
config = yaml.load(request.data)
session = pickle.loads(redis.get(key))
```

## Use instead
```python
config = yaml.safe_load(request.data)
session = json.loads(redis.get(key))  # or msgpack, or a signed format (itsdangerous)
```

## References
- CWE-502, Deserialization of Untrusted Data: https://cwe.mitre.org/data/definitions/502.html
- Python, ``pickle`` warning: https://docs.python.org/3/library/pickle.html
- PyYAML, ``load`` deprecation:
  https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation
- OWASP Deserialization Cheat Sheet:
  https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, FileContext
from checks.detectors.security._common import call_name
from checks.model import Severity

_YAML_LOADS = frozenset({"yaml.load", "yaml.load_all"})
_YAML_UNSAFE = frozenset({"yaml.unsafe_load", "yaml.unsafe_load_all"})
_SAFE_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader",
                           "FullLoader", "CFullLoader"})
_PICKLE_LIKE = {
    **{f"{m}.{f}": m for m in ("pickle", "cPickle", "_pickle", "dill", "cloudpickle")
       for f in ("load", "loads", "Unpickler")},
    "joblib.load": "joblib", "pandas.read_pickle": "pandas",
    "marshal.load": "marshal", "marshal.loads": "marshal", "shelve.open": "shelve",
    "jsonpickle.decode": "jsonpickle", "jsonpickle.unpickler.decode": "jsonpickle",
    "numpy.load": "numpy", "torch.load": "torch",
}
_LAST_NAMES = frozenset({*(n.rsplit(".", 1)[-1] for n in (*_YAML_LOADS, *_YAML_UNSAFE,
                                                          *_PICKLE_LIKE)), "restore"})


class UnsafeDeserialization(Detector):
    """Flags deserializers that can run code (see module docstring)."""

    slug = "unsafe-deserialization"
    items = ("SEC-15",)
    calls = _LAST_NAMES

    def __init__(self) -> None:
        super().__init__()
        self._skip = False

    def start_file(self, ctx: FileContext) -> bool:
        self._skip = ctx.file.is_test or ctx.file.is_migration
        return not self._skip

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        name = call_name(node, ctx.file)
        if name in _YAML_LOADS:
            loader = pyast.argument(node, 1, "Loader")
            loader_name = (pyast.resolve(loader, ctx.file) or "") if loader is not None else ""
            if loader is not None and not loader_name.startswith("yaml."):
                return  # a loader chosen at run time, or a project's own class: not judged
            if loader_name.rsplit(".", 1)[-1] in _SAFE_LOADERS:
                return
            how = f"with {loader_name.rsplit('.', 1)[-1]}" if loader_name else "without a Loader"
            self._flag(ctx, node, f"{name}() {how} builds arbitrary Python objects from the "
                                  "document", "Use yaml.safe_load() (or Loader=yaml.SafeLoader).",
                       Severity.HIGH)
        elif pyast.attr_name(node) == "restore" and isinstance(node.func, ast.Attribute) and (
                isinstance(node.func.value, ast.Call) and call_name(
                    node.func.value, ctx.file) == "jsonpickle.unpickler.Unpickler"):
            self._flag(ctx, node, "jsonpickle Unpickler().restore() can run arbitrary code while "
                                  "loading", "Store data as JSON and load it with json.loads().",
                       Severity.MEDIUM)
        elif name in _YAML_UNSAFE:
            self._flag(ctx, node, f"{name}() builds arbitrary Python objects from the document",
                       "Use yaml.safe_load().", Severity.HIGH)
        elif name in _PICKLE_LIKE:
            if name == "numpy.load" and not pyast.is_true(pyast.keyword(node, "allow_pickle")):
                return
            weights_only = pyast.keyword(node, "weights_only")
            if name == "torch.load" and not pyast.is_false(weights_only):
                if weights_only is None:
                    self._flag(ctx, node, "torch.load() without weights_only=True unpickles "
                                          "arbitrary objects on torch < 2.6",
                               "Pass weights_only=True (the default from torch 2.6 on).",
                               Severity.LOW)
                return
            self._flag(
                ctx, node,
                f"{name}() can run arbitrary code while loading: safe only if the data can never "
                "come from outside the service",
                "Store data as JSON (or msgpack, protobuf); if it must be pickle, sign it "
                "(hmac) and verify before loading, and waive this finding saying where the bytes "
                "come from.",
                Severity.MEDIUM,
            )

    def _flag(self, ctx: FileContext, node: ast.AST, message: str, hint: str,
              severity: Severity) -> None:
        self.report_node("SEC-15", ctx, node, message, hint, severity=severity)
