"""Environment variables the code reads but no document mentions.

## What it flags
Every environment variable read by service code (settings modules included, tests and scripts
not): ``os.environ["X"]``, ``os.environ.get("X")``, ``os.getenv("X")``, django-environ,
environs and envparse ``env("X")``/``env.str("X")``, python-decouple and Starlette ``config("X")``,
and the required fields of pydantic ``BaseSettings`` classes (no default; with their
``env_prefix``, or their ``alias``), also through base classes in other modules. A variable is
documented when its name appears in any non-Python text file of the repository: README,
``docs/``, ``.env.example``, compose files, Helm values, manifests.

- When no variable at all is documented (and there is no ``.env.example``-style file or
  configuration section), or more than ten are undocumented (documentation kept in another
  repository should not flood the review): one finding, listing them, on the first read in the
  module that reads most of them.
- Otherwise: one finding per undocumented variable, on its first read.

Platform variables (``PATH``, ``HOME``, ``PORT``, ``DJANGO_SETTINGS_MODULE``, ``CI``...) are not
counted. When a sample environment file exists whose content was not read (a committed ``.env``,
``.env.sample``, ``.envs/``), variables are not reported one by one.

## Why it matters
An operator deploying the service, or a developer running it, must know every setting it
reads, its meaning and its default; a variable known only to the code is found when production
starts without it (DOC-04, and the Twelve-Factor "config" factor).

## Example
```python
STRIPE_KEY = os.environ["STRIPE_KEY"]   # and no .env.example or README mentions it
```

## Use instead
```bash
# .env.example, committed, with safe placeholder values
STRIPE_KEY=sk_test_replace_me   # Stripe secret key; required
```

## References
- The Twelve-Factor App, III. Config: https://12factor.net/config
- pydantic-settings: https://docs.pydantic.dev/latest/concepts/pydantic_settings/
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections import Counter
from dataclasses import dataclass

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.documentation._common import doc_files, file_headings, topic_heading
from checks.pyfile import PyFile

_DIRECT = frozenset({"os.environ.get", "os.getenv", "os.environ.pop", "posix.environ.get"})
_ENV_FACTORIES = frozenset({"environ.Env", "environs.Env", "envparse.Env",
                            "starlette.config.Config", "decouple.AutoConfig", "decouple.Config",
                            "decouple.RepositoryEnv"})
_FACTORY_NAMES = frozenset(n.rsplit(".", 1)[-1] for n in _ENV_FACTORIES)
_ENV_FUNCTIONS = frozenset({"decouple.config", "envparse.env"})
_ENVIRON = ("os.environ", "posix.environ")
_SETTINGS_BASES = frozenset({"pydantic.BaseSettings", "pydantic_settings.BaseSettings",
                             "pydantic.v1.BaseSettings"})
_PLATFORM = frozenset({
    "PATH", "HOME", "USER", "USERNAME", "PWD", "SHELL", "TERM", "LANG", "LC_ALL", "TZ",
    "HOSTNAME", "PORT", "CI", "TMPDIR", "TEMP", "TMP", "VIRTUAL_ENV", "PYTHONPATH",
    "DJANGO_SETTINGS_MODULE", "DYNO", "WEB_CONCURRENCY", "K_SERVICE", "K_REVISION",
    "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "PYTEST_CURRENT_TEST",
    "SERVER_SOFTWARE", "GAE_ENV", "GAE_APPLICATION", "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_REGION", "AWS_DEFAULT_REGION", "RUN_MAIN", "WERKZEUG_RUN_MAIN", "DISPLAY",
    "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "EDITOR", "LOGNAME", "FLASK_RUN_FROM_CLI",
    "WERKZEUG_SERVER_FD",
})
_PLATFORM_PREFIXES = ("GITHUB_", "RUNNER_", "PYTHON", "XDG_", "LC_", "KUBERNETES_", "GAE_",
                      "AWS_LAMBDA_", "PYTEST_", "DJANGO_SUPERUSER_")
_SKIP_DIRS = frozenset({"docs", "doc", "examples", "example", "scripts", "bin", "tools",
                        ".github", "benchmarks"})
_SKIP_FILES = frozenset({"setup.py", "noxfile.py", "conftest.py", "fabfile.py"})
_ENV_SAMPLE = re.compile(r"(^|/)(\.env[^/]*(example|sample|template|dist|default)[^/]*"
                         r"|(example|sample|template)[^/]*\.env|env\.(example|sample|template))$"
                         r"|(^|/)\.envs/|(^|/)\.env$", re.I)
_LOCKS = (".lock", "package-lock.json", "requirements.txt")
_MAX_PER_VARIABLE = 10
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IDENTIFIER = _WORD


@dataclass(frozen=True, slots=True)
class _Class:
    """A class with bases, as met; its fields and ``env_prefix`` are read only when it turns
    out to be a settings class or the base of one (few are)."""

    name: str
    path: str
    bases: list[str]
    node: ast.ClassDef
    file: PyFile

    @property
    def prefix(self) -> str | None:
        return _env_prefix(self.node)

    @property
    def fields(self) -> list[tuple[str, str | None, int]]:
        return _fields(self.node, self.file)


class UndocumentedConfiguration(Detector):
    """Flags environment variables read in code and mentioned in no document."""

    slug = "undocumented-configuration"
    items = ("DOC-04",)
    # Reads by a known function, and the Env factories (``environ.Env()``); calls of an Env
    # object (``env("X")``, ``env.int("X")``) can be of any name and are looked for in end_file.
    calls = frozenset(n.rsplit(".", 1)[-1] for n in _DIRECT | _ENV_FUNCTIONS | _ENV_FACTORIES)
    # ``os.environ`` (for os.environ["X"]) and ``pydantic.BaseSettings`` (a settings class).
    attributes = frozenset({"environ", "BaseSettings"})

    def __init__(self) -> None:
        super().__init__()
        # name -> (path, line, case_sensitive); first read wins (files in path order).
        self._reads: dict[str, tuple[str, int, bool]] = {}
        self._classes: list[_Class] = []
        # Each reviewed file's classes, read in finish when some file may define settings.
        self._class_nodes: list[tuple[PyFile, list[ast.ClassDef]]] = []
        self._settings = False  # a base can resolve to one of _SETTINGS_BASES
        # What the current file holds, from its imports and the traversal: ``environ``
        # (``os.environ`` or a name imported as it), a call of an Env factory.
        self._environ = False
        self._factories = False

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        parts = f.path.split("/")
        if f.is_test or f.is_migration or parts[-1] in _SKIP_FILES or any(
                p in _SKIP_DIRS for p in parts[:-1]):
            return False
        targets = f.imports.values()
        self._environ = any(t in _ENVIRON for t in targets)
        self._factories = False
        if not self._settings:
            self._settings = any(t in _SETTINGS_BASES for t in targets)
        return True

    def _record(self, name: str | None, ctx: FileContext, line: int) -> None:
        self._record_at(name, ctx.path, line, case_sensitive=True)

    def _record_at(self, name: str | None, path: str, line: int, *,
                   case_sensitive: bool) -> None:
        if not name or not _IDENTIFIER.fullmatch(name):
            return
        key = name if case_sensitive else name.upper()
        if key in _PLATFORM or key.startswith(_PLATFORM_PREFIXES):
            return
        here = self._reads.get(key)
        if here is None or (path, line) < here[:2]:
            self._reads[key] = (path, line, case_sensitive)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        name = pyast.call_name(node, ctx.file)
        if name in _DIRECT or name in _ENV_FUNCTIONS:
            self._record(pyast.const_str(pyast.argument(node, 0, "key")), ctx, node.lineno)
        elif name in _ENV_FACTORIES:
            self._factories = True

    def visit_Attribute(self, node: ast.Attribute, ctx: FileContext) -> None:
        if node.attr == "environ":
            self._environ = True
        else:  # BaseSettings
            self._settings = True

    def end_file(self, ctx: FileContext) -> None:
        """Read, from the file's node index, what only a few files hold (cheaper than a
        handler call for each assignment and subscript): ``os.environ["X"]`` reads where the
        file names ``environ``, the Env objects (``env = environ.Env()``) and their reads where
        it calls a factory; keep its classes for the settings fields."""
        f = ctx.file
        if self._environ:
            for sub in f.nodes(ast.Subscript):
                # Only ``<...>.environ`` or a name imported as ``os.environ`` can resolve to it.
                value = sub.value
                if isinstance(value, ast.Attribute):
                    if value.attr != "environ":
                        continue
                elif not isinstance(value, ast.Name) or f.imports.get(value.id) not in _ENVIRON:
                    continue
                if isinstance(sub.ctx, ast.Load) and pyast.resolve(value, f) in _ENVIRON:
                    self._record(pyast.const_str(sub.slice), ctx, sub.lineno)
        self._class_nodes.append((f, f.nodes(ast.ClassDef)))
        if self._factories:
            env_objects = self._env_objects(f)
            if env_objects:
                self._env_reads(ctx, env_objects)

    @staticmethod
    def _env_objects(f: PyFile) -> dict[str, tuple[int, int]]:
        """Env objects of the file: name -> where the first assignment to it starts."""
        found: dict[str, tuple[int, int]] = {}
        for node in f.nodes(ast.Assign):
            value = node.value
            if not isinstance(value, ast.Call):
                continue
            # The resolved name's last part first (cheap), the full name only when it may match.
            if (pyast.called_last(value, f) in _FACTORY_NAMES
                    and pyast.call_name(value, f) in _ENV_FACTORIES):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        found.setdefault(t.id, (node.lineno, node.col_offset))
        return found

    def _env_reads(self, ctx: FileContext, env_objects: dict[str, tuple[int, int]]) -> None:
        """Record the reads through the file's Env objects, ``env("X")`` or ``env.int("X")``
        (any method: no fixed set of called names). A call counts when the traversal meets it
        after the assignment that made its object, which for a call and a statement is when
        the call starts at or after the statement (no statement sits inside an expression, so
        the walk's reordering within expressions never crosses one)."""
        for node in ctx.file.nodes(ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                obj = func.id
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                obj = func.value.id
            else:
                continue
            made = env_objects.get(obj)
            if made is not None and (node.lineno, node.col_offset) >= made:
                self._record(pyast.const_str(pyast.argument(node, 0, "key")), ctx, node.lineno)

    def _settings_fields(self) -> None:
        """Record the fields of every ``BaseSettings`` subclass, also through local base
        classes in other modules, with the ``env_prefix`` they define or inherit.

        A base resolves to one of :data:`_SETTINGS_BASES` only when it is an attribute named
        ``BaseSettings`` or a name imported as one of them: without either in any reviewed
        file there is no settings class, and the classes are not read at all."""
        if not self._settings:
            return
        classes = [_Class(node.name, f.path, [pyast.resolve(b, f) or "" for b in node.bases],
                          node, f)
                   for f, nodes in self._class_nodes for node in nodes if node.bases]
        if all(b not in _SETTINGS_BASES for c in classes for b in c.bases):
            return  # no settings class at all (the common case)
        self._classes = classes
        by_name = {c.name: c for c in self._classes}
        settings: set[str] = set()
        changed = True
        while changed:
            changed = False
            for c in self._classes:
                if c.name in settings:
                    continue
                if any(b in _SETTINGS_BASES or b.rsplit(".", 1)[-1] in settings
                       for b in c.bases):
                    settings.add(c.name)
                    changed = True
        for c in self._classes:
            if c.name not in settings:
                continue
            prefix, cur, seen = c.prefix, c, {c.name}
            while prefix is None:
                parent = next((by_name[b.rsplit(".", 1)[-1]] for b in cur.bases
                               if b.rsplit(".", 1)[-1] in by_name
                               and b.rsplit(".", 1)[-1] not in seen), None)
                if parent is None:
                    break
                seen.add(parent.name)
                prefix, cur = parent.prefix, parent
            for name, alias, line in c.fields:
                self._record_at(alias or (prefix or "") + name, c.path, line,
                                case_sensitive=False)

    def finish(self, project: Project) -> None:
        self._settings_fields()
        if not self._reads:
            self.not_applicable("DOC-04", "the code reads no environment variables")
            return
        words = _documentation_words(project)
        # Upper-cased words only for pydantic fields, whose names match in any case.
        upper = ({w.upper() for w in words} if any(not w[2] for w in self._reads.values())
                 else set())
        # Every match holds "env" (in any case): a cheap test before the pattern.
        samples = [p for p in project.tree.paths
                   if "env" in p.lower() and _ENV_SAMPLE.search(p)]
        unread = next((p for p in samples if p not in project.tree.files), None)
        undocumented = sorted(
            (where, name) for name, where in self._reads.items()
            if not _mentioned(name, where[2], words, upper)
        )
        documented = len(self._reads) - len(undocumented)
        if not undocumented:
            self.evidence("DOC-04", f"all {len(self._reads)} environment variables read by the "
                                    "code are mentioned in the documentation")
            return
        if unread is not None:
            self.evidence("DOC-04", f"sample environment file {unread} (content not read)")
            return
        many = len(undocumented) > _MAX_PER_VARIABLE
        described = bool(documented or samples) or _has_config_section(project)
        if many or not described:
            # On the module that reads most of them (the settings module, usually).
            per_file = Counter(where[0] for where, _ in undocumented)
            top = max(per_file, key=lambda p: (per_file[p], p.count("/") * -1))
            (path, line, _), _ = next(u for u in undocumented if u[0][0] == top)
            names = [n for _, n in undocumented]
            listed = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8
                                             else "")
            what = (f"{len(names)} of the {len(self._reads)} environment variables the code "
                    f"reads ({listed}) are not mentioned in any documentation or .env.example"
                    if described else
                    f"configuration is not documented: the code reads {len(names)} environment "
                    f"variable(s) ({listed}) and no README section, docs page or .env.example "
                    "describes them")
            self.report(
                "DOC-04", path, line, what,
                "Commit a .env.example listing every variable with a safe placeholder and a "
                "comment, and a 'Configuration' section in the README that points to it.",
                key="no-config-docs" if not many else "undocumented-variables",
            )
            return
        for (path, line, _), name in undocumented:
            self.report(
                "DOC-04", path, line,
                f"environment variable {name} is read here but not mentioned in any "
                "documentation or .env.example",
                f"Add {name} to .env.example (with a safe placeholder) and describe it in the "
                "configuration documentation, or stop reading it.",
                key=f"env:{name}",
            )


def _fields(node: ast.ClassDef, f: PyFile) -> list[tuple[str, str | None, int]]:
    """``(name, alias, line)`` of the annotated fields of a settings class that have no
    default or an alias (``_private`` and ``model_config`` aside)."""
    fields = []
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            alias = _alias(stmt.value, f)
            required = stmt.value is None or _required_field(stmt.value)
            if not name.startswith("_") and name != "model_config" and (required or alias):
                fields.append((name, alias, stmt.lineno))
    return fields


def _has_config_section(project: Project) -> bool:
    """True when a documentation file has a section about configuration."""
    return any(topic_heading(file_headings(project, path), "configuration") is not None
               for path in doc_files(project))


def _env_prefix(cls: ast.ClassDef) -> str | None:
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and any(
            isinstance(t, ast.Name) and t.id == "model_config" for t in stmt.targets
        ):
            value = pyast.const_str(pyast.keyword(stmt.value, "env_prefix"))
            if value is not None:
                return value
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if isinstance(inner, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "env_prefix" for t in inner.targets
                ):
                    return pyast.const_str(inner.value) or ""
    return None


def _required_field(value: ast.expr) -> bool:
    """``Field(...)`` or ``Field(..., description=...)``: a field with no default."""
    return (isinstance(value, ast.Call) and pyast.attr_name(value) == "Field"
            and bool(value.args) and pyast.const(value.args[0]) is Ellipsis
            and isinstance(value.args[0], ast.Constant))


def _alias(value: ast.expr | None, f: PyFile) -> str | None:
    if not isinstance(value, ast.Call) or pyast.attr_name(value) != "Field":
        return None
    for name in ("validation_alias", "alias", "env"):
        text = pyast.const_str(pyast.keyword(value, name))
        if text:
            return text
    return None


def _documentation_words(project: Project) -> set[str]:
    """Every identifier-like word of the repository's non-Python text files (lock files and
    requirement pins aside; files over 1 MB are data, not documentation)."""
    words: set[str] = set()
    for path, data in project.tree.files.items():
        base = posixpath.basename(path).lower()
        if (path.endswith(".py") or base.endswith(_LOCKS) or base.startswith("requirements")
                or len(data) > 1_000_000):
            continue
        words.update(_WORD.findall(data.decode("utf-8", errors="replace")))
    return words


def _mentioned(name: str, case_sensitive: bool, words: set[str], upper: set[str]) -> bool:
    return name in words if case_sensitive else name.upper() in upper
