"""Message queue declared without a dead-letter destination.

## What it flags
- RabbitMQ queues declared in code without ``x-dead-letter-exchange``: ``kombu.Queue(...)``
  (also Celery's ``task_queues``) without it in ``queue_arguments``, pika's
  ``channel.queue_declare(...)`` and aio-pika's ``channel.declare_queue(...)`` without it in
  ``arguments``. Exclusive, auto-delete, non-durable and passive declarations (reply queues,
  checks of an existing queue) and queues whose name says they are the dead-letter queue
  (``dlq``, ``dead``) are left out;
- SQS queues created with ``create_queue(QueueName=..., Attributes={...})`` whose attributes
  have no ``RedrivePolicy``;
- a Celery app (``Celery(...)``) in a project with no dead-letter configuration anywhere and no
  failure hook (a ``task_failure`` signal handler, a ``Task.on_failure`` override): one
  low-severity finding on the app.

Nothing is flagged when a RabbitMQ policy sets ``dead-letter-exchange`` (a ``definitions.json``
or a config file in the repository). Heuristic: the broker may be configured outside the
repository, which a reviewer can attest.

## Why it matters
A message that always fails (a poison message) is either retried forever, blocking or slowing
the queue, or dropped and lost. A dead-letter queue keeps it aside for inspection and replay, and
its depth is an alert signal (RES-06).

## Example
```python
from kombu import Exchange, Queue

task_queues = [Queue("orders", Exchange("orders"), routing_key="orders")]
```

## Use instead
```python
task_queues = [
    Queue("orders", Exchange("orders"), routing_key="orders",
          queue_arguments={"x-dead-letter-exchange": "orders.dlx"}),
]
```

## References
- RabbitMQ, Dead Letter Exchanges: https://www.rabbitmq.com/docs/dlx
- Amazon SQS, dead-letter queues: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
- Celery, task_failure signal: https://docs.celeryq.dev/en/stable/userguide/signals.html#task-failure
"""

from __future__ import annotations

import ast
import re

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.observability._syntax import mentions
from checks.detectors.resilience._outbound import is_service_file
from checks.model import Severity

_KOMBU_QUEUES = frozenset({"kombu.Queue", "kombu.entity.Queue"})
_CELERY_APPS = frozenset({"celery.Celery", "celery.app.Celery", "celery.app.base.Celery"})
_FAILURE_CONNECT = "task_failure.connect"
_SPELLED = frozenset({"queue_declare", "declare_queue", "create_queue"})
"""Methods recognised by the name the call spells (``channel.queue_declare(...)``), not by the
name it resolves to."""
_CALLED = _SPELLED | frozenset(
    n.rsplit(".", 1)[-1] for n in (*_CELERY_APPS, *_KOMBU_QUEUES, _FAILURE_CONNECT))
"""Last names of the calls ``visit_Call`` acts on."""
_BROKERS = ("celery", "kombu", "pika", "aio_pika", "aio-pika", "dramatiq", "rq", "arq",
            "huey", "kafka", "aiokafka", "confluent_kafka", "confluent-kafka", "nats", "taskiq",
            "faststream", "aiobotocore")
_BUILTIN_DLQ = {"dramatiq": "Dramatiq moves failed messages to its dead-letter queue",
                "rq": "RQ keeps failed jobs in its FailedJobRegistry"}
_POLICY = re.compile(r"(?<!x-)dead-letter-exchange|deadLetterTargetArn|RedrivePolicy|"
                     r"redrive_policy", re.IGNORECASE)
_POLICY_WORDS = (b"dead-letter-exchange", b"deadlettertargetarn", b"redr")
"""Every pattern of ``_POLICY`` contains one of these, in any ASCII case (letters without the
non-ASCII case variants that re.IGNORECASE also accepts: i, k and s)."""
_DLX = "x-dead-letter-exchange"
_CONFIG_SUFFIXES = (".json", ".yaml", ".yml", ".conf", ".tf", ".hcl", ".ini", ".toml", ".cfg")
_DLQ_NAME = re.compile(r"dlq|dlx|dead|poison|parking|failed", re.IGNORECASE)


class QueueWithoutDeadLetter(Detector):
    """Flags queue declarations without a dead-letter destination (see module docstring)."""

    slug = "queue-without-dead-letter"
    items = ("RES-06",)

    calls = _CALLED

    def __init__(self) -> None:
        super().__init__()
        self._declarations: list[tuple[str, int, int, str]] = []
        self._renamed: frozenset[str] = frozenset()
        self._celery: tuple[str, int] | None = None
        self._connected_hook: str | None = None
        self._dlx_in_code: str | None = None

    def start_file(self, ctx: FileContext) -> bool:
        if not is_service_file(ctx.file):
            return False
        if self._dlx_in_code is None and _DLX in ctx.file.text:
            self._dlx_in_code = ctx.path
        # ``create_queue(...)`` after ``from x import make as create_queue`` spells one of
        # _SPELLED but is dispatched as a call of ``make``: end_file looks for such calls.
        imports = ctx.file.imports
        self._renamed = frozenset(
            n for n in _SPELLED
            if n in imports and imports[n].rpartition(".")[2] not in _CALLED
        )
        return True

    def end_file(self, ctx: FileContext) -> None:
        if self._renamed:
            for call in ctx.file.nodes(ast.Call):
                if isinstance(call.func, ast.Name) and call.func.id in self._renamed:
                    self.visit_Call(call, ctx)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        f = ctx.file
        name = pyast.call_name(node, f) or ""
        attr = pyast.attr_name(node) or ""
        if name in _CELERY_APPS and self._celery is None:
            self._celery = (ctx.path, node.lineno)
        elif name in _KOMBU_QUEUES:
            self._check_rabbit(node, ctx, "kombu.Queue", "queue_arguments", 0)
        elif attr == "queue_declare" and f.imports_module("pika"):
            self._check_rabbit(node, ctx, "queue_declare", "arguments", 0)
        elif attr == "declare_queue" and f.imports_module("aio_pika"):
            self._check_rabbit(node, ctx, "declare_queue", "arguments", 0)
        elif attr == "create_queue" and pyast.keyword(node, "QueueName") is not None:
            self._check_sqs(node, ctx)
        elif attr == "connect" and name.endswith(_FAILURE_CONNECT):
            self._connected_hook = f"{ctx.path}:{node.lineno}"  # the last one is kept

    def _check_rabbit(self, node: ast.Call, ctx: FileContext, label: str, key: str,
                      name_pos: int) -> None:
        if pyast.has_kwargs_splat(node):
            return
        for flag in ("exclusive", "auto_delete", "passive"):
            if pyast.is_true(pyast.keyword(node, flag)):
                return
        if pyast.is_false(pyast.keyword(node, "durable")):
            return
        queue = pyast.argument(node, name_pos, "name" if label == "kombu.Queue" else (
            "queue" if label == "queue_declare" else "name"))
        queue_name = pyast.const_str(queue)
        if queue is None or queue_name == "" or (queue_name and _DLQ_NAME.search(queue_name)):
            return  # server-named reply queue, or the dead-letter queue itself
        args = pyast.keyword(node, key)
        if args is not None and not (isinstance(args, ast.Dict) and not _has_key(args, _DLX)):
            return  # has the argument, or builds it elsewhere
        shown = f"{label}({queue_name!r})" if queue_name else f"{label}(...)"
        self._declarations.append((ctx.path, node.lineno, node.end_lineno or node.lineno,
                                   f"`{shown}` declares a queue without "
                                   f"`{_DLX}`: messages that keep failing are lost or retried "
                                   "forever"))

    def _check_sqs(self, node: ast.Call, ctx: FileContext) -> None:
        queue_name = pyast.const_str(pyast.keyword(node, "QueueName"))
        if queue_name and _DLQ_NAME.search(queue_name):
            return
        attrs = pyast.keyword(node, "Attributes")
        if attrs is not None and not (isinstance(attrs, ast.Dict)
                                      and not _has_key(attrs, "RedrivePolicy")):
            return
        shown = repr(queue_name) if queue_name else "..."
        self._declarations.append((ctx.path, node.lineno, node.end_lineno or node.lineno,
                                   f"`create_queue(QueueName={shown})` without a "
                                   "`RedrivePolicy`: messages that keep failing are retried "
                                   "until they expire, then lost"))

    def finish(self, project: Project) -> None:
        policy = _policy_file(project)
        if policy is not None:
            self.evidence("RES-06", f"dead-letter policy configured in {policy}")
            return
        for path, line, end, message in self._declarations:
            self.report("RES-06", path, line, message,
                        "Give the queue a dead-letter destination (x-dead-letter-exchange, or an "
                        "SQS RedrivePolicy with maxReceiveCount) and alert on its depth.",
                        end_line=end)
        if self._celery is not None and self._dlx_in_code is None and not self._declarations:
            hook = self._connected_hook or _failure_method(project)
            if hook is not None:
                self.evidence("RES-06", f"Celery task failures are captured at {hook}")
            else:
                path, line = self._celery
                self.report("RES-06", path, line,
                            "Celery app with no dead-letter queue and no failure hook: tasks "
                            "that exhaust their retries are dropped with only a log line",
                            "Route failed tasks to a dead-letter queue (queue_arguments with "
                            "x-dead-letter-exchange, task_reject_on_worker_lost with acks_late) "
                            "or persist them from a task_failure signal handler.",
                            severity=Severity.LOW, key="celery-without-dead-letter")
        if self._dlx_in_code is not None and not self._declarations:
            self.evidence("RES-06", f"`{_DLX}` set in {self._dlx_in_code}")
        for lib, text in _BUILTIN_DLQ.items():
            if project.uses(lib):
                self.evidence("RES-06", text)
        if (self._celery is None and not self._declarations
                and not any(project.uses(b) for b in _BROKERS)
                and not _uses_sqs(project)):
            self.not_applicable("RES-06", "no message broker or task queue in the project")


def _failure_method(project: Project) -> str | None:
    """Where the first failure hook defined in service code is (files in path order): an
    ``on_failure`` method, or a function decorated with ``task_failure.connect``. Looked for
    only when a Celery app has no dead-letter queue (rarely), so from the node index."""
    for f in project.python.values():
        if not is_service_file(f) or not mentions(f, "on_failure", "task_failure"):
            continue
        classes = [(c.lineno, c.end_lineno or c.lineno) for c in f.nodes(ast.ClassDef)]
        for node in f.nodes(ast.FunctionDef):
            # a def on a line a class spans is in that class's body
            if node.name == "on_failure" and any(a < node.lineno <= b for a, b in classes):
                return f"{f.path}:{node.lineno}"
            for d in node.decorator_list:
                target = d.func if isinstance(d, ast.Call) else d
                if (pyast.resolve(target, f) or "").endswith(_FAILURE_CONNECT):
                    return f"{f.path}:{node.lineno}"
    return None


def _has_key(node: ast.Dict, key: str) -> bool:
    return any(pyast.const_str(k) == key for k in node.keys) or any(k is None for k in node.keys)


def _policy_file(project: Project) -> str | None:
    for path, data in sorted(project.tree.files.items()):
        if not path.endswith(_CONFIG_SUFFIXES):
            continue
        lower = data.lower()
        if not any(n in lower for n in _POLICY_WORDS):
            continue
        text = data.decode("utf-8", errors="replace")
        if _POLICY.search(text):
            return path
    return None


def _uses_sqs(project: Project) -> bool:
    return any(f.imports_module("boto3", "aioboto3") and "sqs" in f.text
               for f in project.service_files())
