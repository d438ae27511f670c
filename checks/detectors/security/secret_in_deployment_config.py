"""Secrets baked into Dockerfiles, compose files, Kubernetes manifests or committed ``.env`` files.

## What it flags
- A Dockerfile ``ENV`` or ``ARG`` that gives a secret-like variable (``*_PASSWORD``,
  ``*_SECRET``, ``*_TOKEN``, ``*_API_KEY``, ``SECRET_KEY`` ...) a literal value; an ``ARG`` for a
  secret without a value is a low finding (build arguments stay in the image history). Front-end
  build variables (``VITE_*``, ``NEXT_PUBLIC_*``, ``REACT_APP_*``) are public by design and
  skipped. Unless the variable holds a password, the value must look generated (ten characters
  or more mixing letters and digits or cases).
- A compose file (``docker-compose*.yml``, ``compose*.yaml``) whose ``environment:`` gives a
  secret-like variable a literal value rather than ``${VAR}`` interpolation or ``secrets:``.
  Compose files for development or tests (``docker-compose.dev.yml``, ``compose.test.yaml``,
  ``docker-compose.override.yml``) are skipped.
- A Kubernetes ``kind: Secret`` manifest with ``data`` or ``stringData`` values (base64 is an
  encoding, not encryption); Helm templates (values with ``{{ }}``) are skipped.
- A committed ``.env`` file: ``.env`` itself, and production, staging or local ones
  (``.env.production``, ``prod.env``, ``.env.local``, ``.envs/.production/*``); not
  ``.env.example``, ``.env.template``, ``.env.development`` or ``.env.test``, which projects commit
  on purpose, nor one beside a ``package.json`` (a front-end build's public settings). Its content
  is not read: its presence is a medium finding.

Empty values, placeholders (``changeme``, ``<your-key>``, ``${VAR}``) and the public defaults of
database images (``postgres``, ``root``, ``guest``) are not secrets.

## Why it matters
Deployment files are committed, copied into images and printed in CI logs. A secret in an
``ENV`` line is readable with ``docker history`` by anyone who can pull the image; a literal in a
compose file or manifest is readable by anyone with the repository; ``.env`` files meant to stay
local end up in every clone once committed.

## Example
```dockerfile
ENV DATABASE_PASSWORD=s3cr3t
```
```yaml
services:
  api:
    environment:
      STRIPE_API_KEY: sk_live_...
```

## Use instead
```dockerfile
RUN --mount=type=secret,id=pip_token PIP_TOKEN=$(cat /run/secrets/pip_token) pip install ...
```
```yaml
services:
  api:
    environment:
      STRIPE_API_KEY: ${STRIPE_API_KEY}
    secrets: [db_password]
```
Keep ``.env`` in ``.gitignore`` and commit a ``.env.example`` with placeholders.

## References
- Docker, build secrets: https://docs.docker.com/build/building/secrets/
- Docker, SecretsUsedInArgOrEnv check:
  https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/
- Compose, secrets: https://docs.docker.com/compose/how-tos/use-secrets/
- Kubernetes, good practices for Secrets:
  https://kubernetes.io/docs/concepts/security/secrets-good-practices/
- CWE-798, Use of Hard-coded Credentials: https://cwe.mitre.org/data/definitions/798.html
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

import yaml

from checks.detector import Detector, Project
from checks.detectors.security._common import (
    is_dev_path,
    is_password_name,
    is_secret_name,
    is_secret_value,
    looks_generated,
    path_words,
)
from checks.model import Severity

_DOCKERFILE = re.compile(r"^(dockerfile|containerfile)([._-].*)?$|\.dockerfile$")
_COMPOSE = re.compile(r"^(docker-)?compose([._-].*)?\.ya?ml$")
_COMMITTED_BY_MISTAKE = frozenset({"prod", "production", "staging", "live", "local", "secret",
                                   "secrets"})
# Front-end build variables are compiled into public JavaScript: never secrets by design.
_PUBLIC_PREFIXES = ("VITE_", "NEXT_PUBLIC_", "REACT_APP_", "PUBLIC_", "NUXT_PUBLIC_",
                    "EXPO_PUBLIC_", "GATSBY_")
_INSTRUCTION = re.compile(r"^\s*(ENV|ARG)\s+(.*)$", re.IGNORECASE)
_PAIR = re.compile(r"""([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)""")


class SecretInDeploymentConfig(Detector):
    """Flags secrets in deployment files and committed ``.env`` files (see module docstring)."""

    slug = "secret-in-deployment-config"
    items = ("DEPLOY-09",)

    def finish(self, project: Project) -> None:
        checked: list[str] = []
        tree = project.tree
        for path in tree.paths:
            base = path.rpartition("/")[2].lower()
            if _is_env_file(path) and not tree.exists(posixpath.join(posixpath.dirname(path),
                                                                      "package.json")):
                self.report(
                    "DEPLOY-09", path, 0,
                    f"{path} is committed: environment files hold the secrets of a deployment "
                    "and end up in every clone",
                    f"Remove {path} from the repository (git rm --cached), add it to "
                    ".gitignore, rotate what it held, and commit a .env.example with "
                    "placeholders instead.",
                    severity=Severity.MEDIUM, key=f"committed-env-file:{path}",
                )
                continue
            # the name decides which files are read: most paths are none of these
            dockerfile = _DOCKERFILE.search(base) is not None
            compose = not dockerfile and _COMPOSE.match(base) is not None
            if not (dockerfile or compose or base.endswith((".yml", ".yaml"))):
                continue
            text = project.text(path)
            if text is None:
                continue
            if dockerfile:
                checked.append(path)
                self._dockerfile(path, text)
            elif compose:
                checked.append(path)
                if not is_dev_path(path) and "override" not in base:
                    self._compose(path, text)
            elif "kind:" in text and "Secret" in text:
                checked.append(path)
                self._k8s_secret(path, text)
        if checked and not any(f.item_id == "DEPLOY-09" for f in self.findings):
            self.evidence("DEPLOY-09", "no literal secrets in " + ", ".join(checked[:5]) +
                          (" ..." if len(checked) > 5 else ""))

    # -- Dockerfile ------------------------------------------------------------------------------
    def _dockerfile(self, path: str, text: str) -> None:
        for line_no, instruction in _logical_lines(text):
            m = _INSTRUCTION.match(instruction)
            if not m:
                continue
            kind, rest = m.group(1).upper(), m.group(2).strip()
            for name, value in _pairs(rest):
                if not is_secret_name(name) or name.upper().startswith(_PUBLIC_PREFIXES):
                    continue
                if value is None:
                    if kind == "ARG":
                        self.report(
                            "DEPLOY-09", path, line_no,
                            f"ARG {name} passes a secret as a build argument: its value stays in "
                            "the image history",
                            "Use a build secret (RUN --mount=type=secret,id=...) instead of a "
                            "build argument.",
                            severity=Severity.LOW,
                        )
                    continue
                if value.startswith("$") or not _is_literal_secret(name, value):
                    continue
                self.report(
                    "DEPLOY-09", path, line_no,
                    f"{kind} {name} sets a secret to a literal value in the Dockerfile: it is "
                    "baked into every image layer built from it",
                    "Inject the secret at run time (orchestrator secret, environment of the "
                    "container) or at build time with RUN --mount=type=secret.",
                    severity=Severity.HIGH,
                )

    # -- compose ---------------------------------------------------------------------------------
    def _compose(self, path: str, text: str) -> None:
        root = _compose_yaml(text)
        if not isinstance(root, yaml.MappingNode):
            return
        services = _get(root, "services")
        if not isinstance(services, yaml.MappingNode):
            return
        for service_key, service in services.value:
            env = _get(service, "environment")
            for name, value, line in _env_entries(env):
                if is_secret_name(name) and value and "$" not in value and _is_literal_secret(
                        name, value):
                    self.report(
                        "DEPLOY-09", path, line,
                        f"service `{service_key.value}` sets {name} to a literal value in "
                        f"{path}",
                        f"Use ${{{name}}} interpolation from an uncommitted .env, or compose "
                        "`secrets:` mounted as files.",
                        severity=Severity.MEDIUM,
                    )

    # -- Kubernetes ------------------------------------------------------------------------------
    def _k8s_secret(self, path: str, text: str) -> None:
        if "{{" in text:
            return  # a Helm or Jinja template: values come from elsewhere
        for doc in _compose_all(text):
            if not isinstance(doc, yaml.MappingNode):
                continue
            kind = _get(doc, "kind")
            if not (isinstance(kind, yaml.ScalarNode) and kind.value == "Secret"):
                continue
            for key_node, data in doc.value:
                field = key_node.value
                if field not in ("data", "stringData") or not isinstance(data, yaml.MappingNode):
                    continue
                keys = [k.value for k, v in data.value
                        if isinstance(v, yaml.ScalarNode) and v.value.strip()]
                if keys:
                    self.report(
                        "DEPLOY-09", path, key_node.start_mark.line + 1,
                        f"a Kubernetes Secret in {path} carries its values in `{field}` "
                        f"({', '.join(keys[:4])}): base64 is an encoding, not encryption",
                        "Keep Secret values out of the repository: create them from a secret "
                        "manager (External Secrets, Vault) or commit them encrypted (Sealed "
                        "Secrets, SOPS).",
                        severity=Severity.HIGH,
                    )


def _is_literal_secret(name: str, value: str) -> bool:
    return is_secret_value(value) and (is_password_name(name) or looks_generated(value))


def _is_env_file(path: str) -> bool:
    """``.env``, and ``.env.<name>``/``<name>.env`` for production or local use (by convention
    never committed); ``.env.example``, ``.env.development``, ``test.env`` are meant to be."""
    lowered = path.lower()
    if "env" not in lowered:
        return False  # most paths: none of the tests below can pass
    parts = lowered.split("/")
    base = parts[-1]
    if base == ".env":
        return True
    words = {w for w in re.split(r"[._\-]+", base) if w}
    if "env" in words and (base.startswith(".env.") or base.endswith(".env")):
        return bool(words & _COMMITTED_BY_MISTAKE)
    if ".envs" in parts[:-1]:
        return bool(path_words(path) & _COMMITTED_BY_MISTAKE - {"local"})
    return False


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Dockerfile instructions with backslash continuations joined, with their first line."""
    start, buf = 0, ""
    for i, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if not buf:
            start = i
        if stripped.endswith("\\"):
            buf += stripped[:-1] + " "
            continue
        yield start, buf + stripped
        buf = ""
    if buf:
        yield start, buf


def _pairs(rest: str) -> Iterator[tuple[str, str | None]]:
    """``KEY=value KEY2="v 2"`` -> pairs; the legacy ``ENV KEY value`` form; ``ARG KEY``."""
    if "=" not in rest.split(None, 1)[0]:
        parts = rest.split(None, 1)
        yield parts[0], (_unquote(parts[1]) if len(parts) > 1 else None)
        return
    for m in _PAIR.finditer(rest):
        yield m.group(1), _unquote(m.group(2))


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _compose_yaml(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def _compose_all(text: str) -> list[yaml.Node]:
    try:
        return [d for d in yaml.compose_all(text, Loader=yaml.SafeLoader) if d is not None]
    except yaml.YAMLError:
        return []


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v  # type: ignore[no-any-return]
    return None


def _env_entries(env: yaml.Node | None) -> Iterator[tuple[str, str, int]]:
    """``(name, value, line)`` of a compose ``environment:`` mapping or ``KEY=value`` list."""
    if isinstance(env, yaml.MappingNode):
        for k, v in env.value:
            if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode):
                yield k.value, v.value, k.start_mark.line + 1
    elif isinstance(env, yaml.SequenceNode):
        for item in env.value:
            if isinstance(item, yaml.ScalarNode) and "=" in item.value:
                name, _, value = item.value.partition("=")
                yield name.strip(), value.strip(), item.start_mark.line + 1
