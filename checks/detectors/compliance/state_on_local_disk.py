"""Service state kept on the local disk of the process.

## What it flags
In service code (tests, migrations, scripts and docs aside):
- ``open()`` for writing (``w``, ``a``, ``x``, ``+``) or ``Path(...).write_text/write_bytes``
  on an absolute path literal (``"/tmp/uploads/..."``, ``f"/var/data/{name}"``,
  ``os.path.join("/srv/files", name)``); ``/dev/`` and ``/proc/`` are left alone;
- sessions or caches on the local filesystem: Django's ``sessions.backends.file`` and
  ``FileBasedCache``, Flask-Session's ``SESSION_TYPE = "filesystem"``;
- an upload folder (``UPLOAD_FOLDER``/``UPLOAD_DIR``/``UPLOAD_PATH``) or, in a Django project
  with ``FileField``/``ImageField`` models, ``MEDIA_ROOT``, when no object-storage library
  (django-storages, boto3, google-cloud-storage, azure-storage-blob, minio, s3fs) is used.
One finding per place.

## Why it matters
Twelve-factor processes are stateless and share nothing: anything written to one instance's
disk is missing on the others, lost on redeploy or rescheduling, and forces sticky sessions;
persistent data belongs in a backing service (COMP-07, factor VI). Scratch files used within
one request are fine, and ``tempfile`` is not flagged.

## Example
```python
def save_upload(file):
    with open(f"/tmp/uploads/{file.filename}", "wb") as out:
        out.write(file.read())
```

## Use instead
```python
def save_upload(file):
    s3.upload_fileobj(file, "orders-uploads", file.filename)
```

## References
- The Twelve-Factor App, VI. Processes: https://12factor.net/processes
- django-storages: https://django-storages.readthedocs.io/
- CWE-377, Insecure Temporary File (fixed paths in shared directories): https://cwe.mitre.org/data/definitions/377.html
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, FileContext, Project

_SKIP_DIRS = frozenset({"docs", "doc", "examples", "scripts", "bin", "tools", "benchmarks",
                        ".github", "management"})
_SKIP_FILES = frozenset({"setup.py", "manage.py", "noxfile.py", "conftest.py", "fabfile.py"})
_SAFE_PREFIXES = ("/dev/", "/proc/", "/sys/")
_FILE_BACKENDS = {
    "django.contrib.sessions.backends.file": "sessions on the local filesystem",
    "django.core.cache.backends.filebased.FileBasedCache": "a cache on the local filesystem",
}
_OPENS = frozenset({"open", "io.open", "codecs.open", "aiofiles.open"})
_PATH_WRITES = ("write_text", "write_bytes")
_FILE_FIELDS = ("FileField", "ImageField")
_UPLOAD_NAMES = frozenset({"UPLOAD_FOLDER", "UPLOAD_DIR", "UPLOAD_PATH", "UPLOADS_DIR",
                           "UPLOADS_FOLDER", "UPLOAD_ROOT", "UPLOADS_PATH"})
_SETTINGS = _UPLOAD_NAMES | {"SESSION_TYPE", "MEDIA_ROOT"}
_OBJECT_STORAGE = ("storages", "django-storages", "boto3", "aioboto3", "botocore",
                   "google-cloud-storage", "azure-storage-blob", "minio", "s3fs", "gcsfs",
                   "fsspec", "cloudinary", "django-s3-storage", "smart-open", "aiobotocore",
                   "b2sdk", "obstore")


class StateOnLocalDisk(Detector):
    """Flags service state written to the local disk (see module docstring)."""

    slug = "state-on-local-disk"
    items = ("COMP-07",)
    calls = frozenset({*(n.rsplit(".", 1)[-1] for n in _OPENS), *_PATH_WRITES, *_FILE_FIELDS})

    def __init__(self) -> None:
        super().__init__()
        self._skip = True
        self._uploads: list[tuple[str, int, int, str]] = []
        self._media_root: list[tuple[str, int, int, str]] = []
        self._file_fields = False

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        parts = f.path.split("/")
        self._skip = (f.is_test or f.is_migration or parts[-1] in _SKIP_FILES
                      or any(p in _SKIP_DIRS for p in parts[:-1]))
        # A bare ``FileField(...)`` reaches visit_Call under the name its import binds: when an
        # import binds ``FileField`` to another name (``from x import Upload as FileField``),
        # end_file looks for it.
        self._renamed_fields = not self._skip and any(
            f.imports.get(n, n).rpartition(".")[2] not in _FILE_FIELDS for n in _FILE_FIELDS)
        return not self._skip

    def end_file(self, ctx: FileContext) -> None:
        f = ctx.file
        if self._renamed_fields and not self._file_fields:
            self._file_fields = any(
                isinstance(c.func, ast.Name) and c.func.id in _FILE_FIELDS
                for c in f.nodes(ast.Call))
        # Constants and assignments from the file's node index, now the traversal has built
        # it: cheaper than a handler call for each of the many constants and assignments.
        backends = _FILE_BACKENDS
        for const in f.nodes(ast.Constant):
            value = const.value
            if value in backends:  # str keys: equal only to those strings
                self._flag(ctx, const, f"{backends[value]} ({value}): state that other "
                                       "instances cannot see")
        settings = _SETTINGS
        for assign in f.nodes(ast.Assign):
            for target in assign.targets:
                if isinstance(target, ast.Name):
                    if target.id in settings:
                        self._setting(target.id, assign, ctx)
                elif isinstance(target, ast.Subscript):  # app.config["NAME"] = ...
                    name = pyast.const_str(target.slice)
                    if name in settings:
                        self._setting(name, assign, ctx)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        func = node.func
        name = pyast.call_name(node, ctx.file) or ""
        if isinstance(func, ast.Attribute) and func.attr in _FILE_FIELDS:
            self._file_fields = True
        if isinstance(func, ast.Name) and func.id in _FILE_FIELDS:
            self._file_fields = True
        if name in _OPENS:
            path = _absolute(pyast.argument(node, 0, "file"))
            mode = pyast.const_str(pyast.argument(node, 1, "mode")) or "r"
            if path is not None and any(c in mode for c in "wax+"):
                self._flag(ctx, node, f"open({path!r}, {mode!r}) writes to the local disk")
        elif isinstance(func, ast.Attribute) and func.attr in _PATH_WRITES:
            target = func.value
            if isinstance(target, ast.Call) and (pyast.call_name(target, ctx.file) or "") in (
                "pathlib.Path", "pathlib.PurePath"
            ):
                path = _absolute(target.args[0] if target.args else None)
                if path is not None:
                    self._flag(ctx, node, f"Path({path!r}).{func.attr}() writes to the local "
                                          "disk")

    def _setting(self, name: str, node: ast.Assign, ctx: FileContext) -> None:
        if name == "SESSION_TYPE":
            if pyast.const_str(node.value) == "filesystem":
                self._flag(ctx, node, "Flask-Session SESSION_TYPE = 'filesystem' keeps "
                                      "sessions on the local disk")
        elif name in _UPLOAD_NAMES:
            self._uploads.append((ctx.path, node.lineno, node.end_lineno or node.lineno, name))
        else:  # MEDIA_ROOT
            self._media_root.append((ctx.path, node.lineno, node.end_lineno or node.lineno,
                                     name))

    def _flag(self, ctx: FileContext, node: ast.AST, message: str) -> None:
        self.report_node("COMP-07", ctx, node, message, _HINT)

    def finish(self, project: Project) -> None:
        if project.uses(*_OBJECT_STORAGE):
            return
        places = list(self._uploads)
        if self._file_fields:
            places.extend(self._media_root)
        for path, line, end, name in places:
            self.report(
                "COMP-07", path, line,
                f"uploads are kept in a local folder ({name}) and no object storage is used: "
                "files saved on one instance are missing on the others and lost on redeploy",
                "Store uploaded files in object storage (S3, GCS, Azure Blob via "
                "django-storages or boto3) and keep only their keys in the database.",
                end_line=end,
            )


_HINT = ("Keep state in a backing service (database, Redis, object storage); use tempfile only "
         "for scratch data within one request.")


def _absolute(node: ast.expr | None) -> str | None:
    """The literal head of an absolute path argument, or None."""
    text: str | None = None
    if isinstance(node, ast.JoinedStr) and node.values:
        text = pyast.const_str(node.values[0])
    elif isinstance(node, ast.Call) and (pyast.attr_name(node) or "") == "join" and node.args:
        text = pyast.const_str(node.args[0])
    else:
        text = pyast.const_str(node)
    if text is None or not text.startswith("/") or text.startswith(_SAFE_PREFIXES):
        return None
    return text
