from checks.detectors.resilience.queue_without_dead_letter import QueueWithoutDeadLetter
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

RABBIT = """\
import boto3
import pika
from kombu import Exchange, Queue

task_queues = [
    Queue("orders", Exchange("orders"), routing_key="orders"),
    Queue("mail", Exchange("mail"), queue_arguments={"x-dead-letter-exchange": "mail.dlx"}),
    Queue("orders.dlq", Exchange("orders.dlx")),
    Queue("ephemeral", auto_delete=True),
]

def declare(channel):
    channel.queue_declare(queue="payments", durable=True)
    channel.queue_declare(queue="", exclusive=True)
    channel.queue_declare(queue="refunds", durable=True,
                          arguments={"x-message-ttl": 60000})
    channel.queue_declare(queue="audit", arguments=ARGS)

def sqs():
    client = boto3.client("sqs")
    client.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "60"})
    client.create_queue(QueueName="jobs-dlq")
    client.create_queue(QueueName="events", Attributes={"RedrivePolicy": POLICY})
"""


def test_flags_queues_declared_without_a_dead_letter_destination() -> None:
    report = run(QueueWithoutDeadLetter, {"app/broker.py": RABBIT})
    assert found(report) == [
        ("RES-06", "app/broker.py", 6),
        ("RES-06", "app/broker.py", 13),
        ("RES-06", "app/broker.py", 15),
        ("RES-06", "app/broker.py", 21),
    ]
    messages = [f.message for f in findings(report, "RES-06")]
    assert messages[0].startswith("`kombu.Queue('orders')` declares a queue without")
    assert messages[3].startswith("`create_queue(QueueName='jobs')` without a `RedrivePolicy`")


def test_a_broker_policy_file_passes() -> None:
    files = {
        "app/broker.py": RABBIT,
        "deploy/rabbitmq/definitions.json": '{"policies": [{"definition": '
                                             '{"dead-letter-exchange": "dlx"}}]}',
    }
    report = run(QueueWithoutDeadLetter, files)
    assert found(report) == []
    assert report.result("RES-06").evidence == [
        "dead-letter policy configured in deploy/rabbitmq/definitions.json"]


CELERY = """\
from celery import Celery

app = Celery("shop", broker="redis://localhost")

@app.task(bind=True, max_retries=3)
def charge(self, order_id):
    ...
"""


def test_celery_without_any_dead_letter_or_failure_hook() -> None:
    report = run(QueueWithoutDeadLetter, {"shop/worker.py": CELERY})
    assert found(report) == [("RES-06", "shop/worker.py", 3)]
    assert findings(report, "RES-06")[0].severity is Severity.LOW


def test_celery_with_a_failure_hook_passes() -> None:
    hook = CELERY + """
from celery.signals import task_failure

@task_failure.connect
def keep_failed(sender=None, task_id=None, exception=None, **kwargs):
    ...
"""
    report = run(QueueWithoutDeadLetter, {"shop/worker.py": hook})
    assert found(report) == []
    assert report.result("RES-06").evidence == [
        "Celery task failures are captured at shop/worker.py:12"]


def test_not_applicable_without_a_broker() -> None:
    report = run(QueueWithoutDeadLetter, {"app/core.py": "def f():\n    return 1\n"})
    assert status(report, "RES-06") is Status.NOT_APPLICABLE


def test_aliased_imports_resolve_and_spelled_methods_match() -> None:
    files = {"app/broker.py": """\
from celery import Celery as App
from kombu import Queue as KQueue

from app.sqs import make_queue as create_queue

app = App("shop")
task_queues = [KQueue("orders")]

def declare():
    create_queue(QueueName="jobs")
"""}
    report = run(QueueWithoutDeadLetter, files)
    assert found(report) == [("RES-06", "app/broker.py", 7), ("RES-06", "app/broker.py", 10)]
    messages = [f.message for f in findings(report, "RES-06")]
    assert messages[0].startswith("`kombu.Queue('orders')` declares a queue without")
    assert messages[1].startswith("`create_queue(QueueName='jobs')` without a `RedrivePolicy`")

    files["app/broker.py"] = files["app/broker.py"].replace("KQueue(\"orders\")", "")
    files["app/broker.py"] = files["app/broker.py"].replace("    create_queue(", "    pass  # ")
    report = run(QueueWithoutDeadLetter, files)
    assert found(report) == [("RES-06", "app/broker.py", 6)]  # the Celery app
