from checks.detectors.security.secret_in_deployment_config import SecretInDeploymentConfig
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

DOCKERFILE = """\
FROM python:3.12-slim
ARG PIP_INDEX_TOKEN
ARG VERSION=1.0
ENV DATABASE_PASSWORD=s3cr3t-pa55 \\
    LOG_LEVEL=info
ENV API_KEY 9f8e7d6c5b4a3928
ENV SECRET_KEY=${SECRET_KEY} DJANGO_SECRET_KEY=changeme
ARG GITHUB_TOKEN=""
"""

COMPOSE = """\
services:
  api:
    image: app
    environment:
      DB_PASSWORD: hunter2hunter2
      DB_HOST: db
      API_TOKEN: ${API_TOKEN}
  worker:
    environment:
      - STRIPE_SECRET=rk-9f8e7d6c5b4a
      - QUEUE=default
      - SECRET_KEY=${SECRET_KEY:-}
"""

K8S = """\
apiVersion: v1
kind: ConfigMap
data:
  LOG_LEVEL: info
---
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: hunter2hunter2
"""


def test_flags_literal_secrets_in_deployment_files() -> None:
    files = {
        "Dockerfile": DOCKERFILE,
        "docker-compose.yml": COMPOSE,
        "k8s/secret.yaml": K8S,
        ".env": "SECRET=1\n",
        "deploy/.env.production": "X=1\n",
    }
    report = run(SecretInDeploymentConfig, files)
    assert found(report) == [
        ("DEPLOY-09", ".env", 0),
        ("DEPLOY-09", "Dockerfile", 2),
        ("DEPLOY-09", "Dockerfile", 4),
        ("DEPLOY-09", "Dockerfile", 6),
        ("DEPLOY-09", "deploy/.env.production", 0),
        ("DEPLOY-09", "docker-compose.yml", 5),
        ("DEPLOY-09", "docker-compose.yml", 10),
        ("DEPLOY-09", "k8s/secret.yaml", 10),
    ]
    assert status(report, "DEPLOY-09") is Status.WARN
    by_place = {(f.path, f.start_line): f for f in findings(report, "DEPLOY-09")}
    assert by_place[("Dockerfile", 2)].severity is Severity.LOW
    assert "ENV DATABASE_PASSWORD" in by_place[("Dockerfile", 4)].message
    assert "service `worker` sets STRIPE_SECRET" in by_place[("docker-compose.yml", 10)].message
    assert "(password)" in by_place[("k8s/secret.yaml", 10)].message


def test_templates_dev_files_and_interpolation_pass() -> None:
    files = {
        "Dockerfile": "FROM python:3.12\nENV PORT=8000\nARG VERSION\nARG VITE_SENTRY_APP_KEY\n",
        "docker-compose.dev.yml": COMPOSE,
        "docker-compose.override.yml": COMPOSE,
        "compose.yaml": "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${PW}\n",
        ".env.example": "SECRET_KEY=changeme\n",
        ".env.development": "DEBUG=1\n",
        ".env.test": "X=1\n",
        "helm/templates/secret.yaml": "kind: Secret\nstringData:\n  pw: {{ .Values.pw }}\n",
        "k8s/empty.yaml": "kind: Secret\nmetadata:\n  name: x\n",
        "frontend/.env": "VITE_API_URL=http://localhost:8000\n",
        "frontend/package.json": "{}",
        "docker-compose.yml": (
            "services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=postgres\n"
        ),
    }
    report = run(SecretInDeploymentConfig, files)
    assert found(report) == []
    assert status(report, "DEPLOY-09") is Status.PASS
    assert report.result("DEPLOY-09").evidence[0].startswith("no literal secrets in Dockerfile")
