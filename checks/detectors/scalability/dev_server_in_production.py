"""Development server or auto-reload in the production start command.

## What it flags
A start command that runs a development server: ``manage.py runserver`` / ``django-admin
runserver``, ``flask run``, ``fastapi dev``, any server started with ``--reload``, or ``python
<file>.py`` / ``python -m <module>`` where that file starts Flask's ``app.run()`` or
``uvicorn.run(..., reload=True)``. Start commands are read from:

- Dockerfiles: ``CMD`` and ``ENTRYPOINT`` (shell or JSON form), skipping files, folders
  (``.devcontainer/``, ``tests/``) and build stages named for development (``dev``, ``local``,
  ``test``, ``debug``);
- ``Procfile`` process lines;
- Compose files (``command:``), skipping development ones (``dev``, ``local``, ``override``,
  ``test``, ``ci`` in the name, and the base file when a ``prod``/``production``/``staging``
  one exists);
- Kubernetes manifests (container ``command``/``args``).

Evidence lists production servers found (gunicorn, uvicorn workers, ``fastapi run``, hypercorn,
granian, daphne, uWSGI).

## Why it matters
Development servers are single-process, not hardened, and restart on file changes: Django's
``runserver`` documentation says "DO NOT USE THIS SERVER IN A PRODUCTION SETTING", Flask's
prints the same warning, and ``--reload`` watches the file system, costs CPU, and implies one
worker. Throughput, timeouts, graceful shutdown and security all suffer.

## Example
```dockerfile
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--reload"]
```

## Use instead
```dockerfile
CMD ["gunicorn", "app.main:app", "-k", "uvicorn.workers.UvicornWorker", "-w", "4",
     "--bind", "0.0.0.0:8000", "--graceful-timeout", "30"]
```
(or ``fastapi run --workers 4``, ``uvicorn --workers 4``, ``gunicorn project.wsgi`` for
Django and Flask).

## References
- Django, runserver: https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver
- Flask, Deploying to Production: https://flask.palletsprojects.com/en/stable/deploying/
- Uvicorn, Deployment: https://www.uvicorn.org/deployment/
- PEP 3333, WSGI: https://peps.python.org/pep-3333/
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
from collections.abc import Iterator
from typing import Any

import yaml

from checks.detector import Detector, Project
from checks.detectors.database._db import in_walk_order
from checks.detectors.scalability._handlers import WEB_FRAMEWORKS
from checks.pyast import call_name, is_true, keyword
from checks.pyfile import PyFile

_DEV_WORDS = ("dev", "local", "test", "debug", "override", "ci")
_DEV_FOLDERS = ("devcontainer", "tests", "e2e", "examples", "example", "docs", "sandbox")
_PROD_WORDS = ("prod", "production", "staging", "release")
_DEV_SERVERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\brunserver\b"), "Django's development server (runserver)"),
    (re.compile(r"\bflask\s+(--\S+\s+)*run\b"), "Flask's development server (flask run)"),
    (re.compile(r"\bfastapi\s+dev\b"), "the FastAPI CLI in development mode (fastapi dev)"),
    (re.compile(r"(^|\s)--reload(\s|=|$)"), "auto-reload (--reload)"),
]
_PROD_SERVERS = re.compile(
    r"\b(gunicorn|uwsgi|hypercorn|granian|daphne|fastapi\s+run|uvicorn\b.*--workers"
    r"|UvicornWorker|waitress-serve)\b"
)
_PY_RUN = re.compile(r"\bpython[\d.]*\s+(?:-[a-zA-Z]+\s+)*(-m\s+([\w.]+)|([\w./-]+\.py))")


class DevServerInProduction(Detector):
    """Flags development servers in start commands (see module docstring)."""

    slug = "dev-server-in-production"
    items = ("SCALE-08",)

    def finish(self, project: Project) -> None:
        if not project.uses(*WEB_FRAMEWORKS):
            self.not_applicable("SCALE-08", "no web framework: no HTTP server to run")
            return
        commands = list(_start_commands(project))
        for path, line, command in commands:
            self._check(project, path, line, command)
        if not self.findings:
            for path, line, command in commands:
                m = _PROD_SERVERS.search(command)
                if m:
                    self.evidence("SCALE-08", f"`{_short(command)}` at {path}:{line}")
            for p in project.tree.glob_names("gunicorn.conf.py", "gunicorn_conf.py"):
                self.evidence("SCALE-08", f"gunicorn configuration {p}")

    def _check(self, project: Project, path: str, line: int, command: str) -> None:
        for pattern, what in _DEV_SERVERS:
            if pattern.search(command):
                self.report(
                    "SCALE-08", path, line,
                    f"start command runs {what}: `{_short(command)}`",
                    _HINT, key=f"{path}:{what}",
                )
                return
        m = _PY_RUN.search(command)
        if not m:
            return
        module, script = m.group(2), m.group(3)
        target = (module.replace(".", "/") + ".py") if module else script
        for f in _files_ending(project, target):
            server = _dev_server_call(f)
            if server:
                self.report(
                    "SCALE-08", path, line,
                    f"start command `{_short(command)}` runs {f.path}, which starts {server}",
                    _HINT, key=f"{path}:{f.path}",
                )
                return


_HINT = ("Start a production server: gunicorn (with uvicorn.workers.UvicornWorker for ASGI) "
         "or uvicorn/fastapi run with --workers, with timeouts and graceful shutdown; keep "
         "runserver, flask run, fastapi dev and --reload for local development.")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _files_ending(project: Project, target: str) -> list[PyFile]:
    target = target.lstrip("./")
    return [f for p, f in project.python.items() if p == target or p.endswith("/" + target)]


def _dev_server_call(f: PyFile) -> str | None:
    found: list[tuple[ast.Call, str]] = []
    for node in f.nodes(ast.Call):
        name = call_name(node, f) or ""
        if name == "uvicorn.run" and is_true(keyword(node, "reload")):
            found.append((node, "uvicorn with reload=True"))
        elif name.endswith(".run") and f.imports_module("flask") and isinstance(
            node.func, ast.Attribute
        ) and isinstance(node.func.value, ast.Name) and node.func.value.id in ("app",
                                                                               "application"):
            found.append((node, "Flask's development server (app.run())"))
    what = {id(node): text for node, text in found}
    first = in_walk_order(f, [node for node, _ in found])  # the first a walk meets
    return what[id(first[0])] if first else None


# -- start commands --------------------------------------------------------------------------


def _start_commands(project: Project) -> Iterator[tuple[str, int, str]]:
    """``(path, line, command)`` of every production start command in the repository."""
    for path in sorted(project.tree.files):
        name = posixpath.basename(path).lower()
        text = project.tree.text(path) or ""
        if (name.startswith("dockerfile") or name.endswith(".dockerfile")) and not _dev_path(
            path
        ):
            yield from _dockerfile(path, text)
        elif name == "procfile":
            for i, line in enumerate(text.splitlines(), start=1):
                if ":" in line and not line.lstrip().startswith("#"):
                    yield path, i, line.split(":", 1)[1].strip()
    yield from _yaml_commands(project)


def _dev_name(name: str) -> bool:
    stem = re.split(r"[^a-z0-9]+", name.lower())
    return any(w in stem for w in _DEV_WORDS)


def _dev_path(path: str) -> bool:
    """True when the file's name or one of its folders is named for development or testing
    (``Dockerfile.dev``, ``.devcontainer/``, ``tests/e2e/``, ``docker/local/``)."""
    words = re.split(r"[^a-z0-9]+", path.lower())
    return any(w in words for w in (*_DEV_WORDS, *_DEV_FOLDERS))


def _dockerfile(path: str, text: str) -> Iterator[tuple[str, int, str]]:
    stage_is_dev = False
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start = i
        logical = lines[i]
        while logical.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            logical = logical.rstrip()[:-1] + " " + lines[i]
        i += 1
        parts = logical.strip().split(None, 1)
        if not parts:
            continue
        instruction = parts[0].upper()
        rest = parts[1] if len(parts) > 1 else ""
        if instruction == "FROM":
            m = re.search(r"\bAS\s+(\S+)", rest, re.IGNORECASE)
            stage_is_dev = bool(m and _dev_name(m.group(1)))
        elif instruction in ("CMD", "ENTRYPOINT") and not stage_is_dev:
            yield path, start + 1, _exec_form(rest)


def _exec_form(rest: str) -> str:
    rest = rest.strip()
    if rest.startswith("["):
        try:
            parts = json.loads(rest)
        except ValueError:
            return rest
        if isinstance(parts, list):
            return " ".join(str(p) for p in parts)
    return rest


def _yaml_commands(project: Project) -> Iterator[tuple[str, int, str]]:
    compose: list[tuple[str, yaml.MappingNode]] = []
    manifests: list[tuple[str, yaml.MappingNode]] = []
    for path in sorted(project.tree.files):
        if not path.endswith((".yml", ".yaml")) or path.startswith(".github/"):
            continue
        text = project.tree.text(path) or ""
        if "command" not in text and "args" not in text:
            continue
        try:
            docs = [d for d in yaml.compose_all(text, Loader=yaml.SafeLoader)
                    if isinstance(d, yaml.MappingNode)]
        except yaml.YAMLError:
            continue
        for doc in docs:
            keys = _mapping(doc)
            if isinstance(keys.get("services"), yaml.MappingNode):
                compose.append((path, doc))
            elif "kind" in keys and "spec" in keys:
                manifests.append((path, doc))
    names = [posixpath.basename(p).lower() for p, _ in compose]
    has_prod = any(any(w in re.split(r"[^a-z0-9]+", n) for w in _PROD_WORDS) for n in names)
    for path, doc in compose:
        name = posixpath.basename(path).lower()
        words = re.split(r"[^a-z0-9]+", name)
        if _dev_path(path) or (has_prod and not any(w in words for w in _PROD_WORDS)):
            continue
        services = _mapping(doc)["services"]
        assert isinstance(services, yaml.MappingNode)
        for node in _mapping(services).values():
            service = _mapping(node)
            command = service.get("command")
            if command is not None and not _dev_service(_plain(node), project):
                yield path, command.start_mark.line + 1, _join(_plain(command))
    for path, doc in manifests:
        if _dev_path(path):
            continue
        for container in _containers(doc):
            parts = [n for n in (container.get("command"), container.get("args"))
                     if n is not None]
            if parts:
                text = " ".join(_join(_plain(n)) for n in parts).strip()
                where = next((n for n in parts
                              if any(p.search(_join(_plain(n))) for p, _ in _DEV_SERVERS)),
                             parts[0])
                yield path, where.start_mark.line + 1, text


def _mapping(node: yaml.Node) -> dict[str, yaml.Node]:
    """A mapping node's values by their scalar keys ({} for other nodes)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _plain(node: yaml.Node) -> Any:
    """A node as plain Python values; scalars stay strings (enough for commands)."""
    if isinstance(node, yaml.MappingNode):
        return {k: _plain(v) for k, v in _mapping(node).items()}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    return node.value


def _dev_service(service: dict[str, Any], project: Project) -> bool:
    """True for a Compose service set up for development: it bind-mounts the source code over
    the image (``.:/app``), or its entrypoint is a script named for development."""
    entry = _join(service.get("entrypoint"))
    if any(_dev_name(posixpath.basename(word)) for word in entry.split()):
        return True
    code_dirs = {posixpath.dirname(p) for p in project.python}
    for volume in service.get("volumes") or []:
        source = volume.get("source") if isinstance(volume, dict) else str(volume).split(":")[0]
        if not isinstance(source, str) or not source.startswith("."):
            continue
        folder = posixpath.normpath(source)
        if folder in (".", "..") or any(d == folder or d.startswith(folder + "/")
                                        for d in code_dirs):
            return True
    return False


def _join(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value) if value is not None else ""


def _containers(node: yaml.Node) -> Iterator[dict[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in _mapping(node).items():
            if key in ("containers", "initContainers") and isinstance(value, yaml.SequenceNode):
                yield from (_mapping(c) for c in value.value if isinstance(c, yaml.MappingNode))
            else:
                yield from _containers(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _containers(item)
