from checks.detectors.scalability.dev_server_in_production import DevServerInProduction
from checks.model import Status
from tests.helpers import findings, found, run, status

REQS = "fastapi\nuvicorn\n"

DOCKERFILE = """\
FROM python:3.12-slim AS base
WORKDIR /app

FROM base AS dev
CMD ["uvicorn", "app.main:app", "--reload"]

FROM base AS prod
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", \\
     "--reload"]
"""


def test_flags_reload_in_the_production_stage_only() -> None:
    report = run(DevServerInProduction, {"requirements.txt": REQS, "Dockerfile": DOCKERFILE})
    assert found(report) == [("SCALE-08", "Dockerfile", 8)]
    assert findings(report, "SCALE-08")[0].message == (
        "start command runs auto-reload (--reload): `uvicorn app.main:app --host 0.0.0.0 "
        "--reload`"
    )
    assert status(report, "SCALE-08") is Status.WARN


def test_procfile_runserver_and_dev_files_skipped() -> None:
    files = {
        "requirements.txt": "django\n",
        "Procfile": "release: python manage.py migrate\nweb: python manage.py runserver 0:8000\n",
        "Dockerfile.dev": 'CMD ["python", "manage.py", "runserver"]\n',
        ".devcontainer/Dockerfile": 'CMD ["python", "manage.py", "runserver"]\n',
        "tests/e2e/docker/docker-compose.yml": "services:\n  web:\n    command: flask run\n",
        "docker-compose.override.yml": "services:\n  web:\n    command: flask run\n",
    }
    report = run(DevServerInProduction, files)
    assert found(report) == [("SCALE-08", "Procfile", 2)]


def test_compose_list_command_and_kubernetes_args() -> None:
    compose = (
        "services:\n"
        "  api:\n"
        "    build: .\n"
        "    command:\n"
        "      - fastapi\n"
        "      - dev\n"
    )
    k8s = (
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "spec:\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "        - name: api\n"
        "          command: [uvicorn]\n"
        "          args: [app.main:app, --reload]\n"
    )
    files = {"requirements.txt": REQS, "compose.yml": compose, "k8s/api.yaml": k8s}
    report = run(DevServerInProduction, files)
    assert found(report) == [("SCALE-08", "compose.yml", 5), ("SCALE-08", "k8s/api.yaml", 9)]


def test_base_compose_is_development_when_a_production_one_exists() -> None:
    files = {
        "requirements.txt": "django\n",
        "docker-compose.yml": "services:\n  web:\n    command: python manage.py runserver\n",
        "docker-compose.prod.yml": "services:\n  web:\n    command: gunicorn shop.wsgi -w 4\n",
    }
    report = run(DevServerInProduction, files)
    assert found(report) == []
    assert report.result("SCALE-08").evidence == [
        "`gunicorn shop.wsgi -w 4` at docker-compose.prod.yml:3"
    ]


def test_python_entry_point_that_starts_a_dev_server() -> None:
    main = (
        "import uvicorn\n"
        "from fastapi import FastAPI\n"
        "app = FastAPI()\n"
        "if __name__ == '__main__':\n"
        "    uvicorn.run('app.main:app', reload=True)\n"
    )
    flask_app = (
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "if __name__ == '__main__':\n"
        "    app.run(host='0.0.0.0')\n"
    )
    files = {"requirements.txt": REQS, "app/main.py": main, "web/run.py": flask_app,
             "Dockerfile": 'CMD ["python", "-m", "app.main"]\n',
             "Procfile": "web: python web/run.py\n"}
    report = run(DevServerInProduction, files)
    assert found(report) == [("SCALE-08", "Dockerfile", 1), ("SCALE-08", "Procfile", 1)]
    # The same files without a start command that runs them are development entry points.
    del files["Dockerfile"], files["Procfile"]
    assert found(run(DevServerInProduction, files)) == []


def test_production_servers_give_evidence_and_non_web_is_not_applicable() -> None:
    files = {"requirements.txt": REQS,
             "Dockerfile": 'CMD ["fastapi", "run", "--workers", "4"]\n'}
    report = run(DevServerInProduction, files)
    assert found(report) == []
    assert report.result("SCALE-08").evidence == ["`fastapi run --workers 4` at Dockerfile:1"]
    report = run(DevServerInProduction, {"lib/x.py": "x = 1\n"})
    assert status(report, "SCALE-08") is Status.NOT_APPLICABLE


def test_compose_services_that_mount_the_source_are_development_setups() -> None:
    compose = (
        "services:\n"
        "  web:\n"
        "    build: .\n"
        "    command: python manage.py runserver 0.0.0.0:8000\n"
        "    volumes:\n"
        "      - .:/usr/src/app/\n"
        "  api:\n"
        "    build: .\n"
        "    entrypoint: ./docker-entrypoint.dev.sh\n"
        "    command: uvicorn app.main:app --reload\n"
        "  worker:\n"
        "    build: .\n"
        "    command: python manage.py runserver\n"
        "    volumes:\n"
        "      - ./nginx.conf:/etc/nginx/nginx.conf\n"
    )
    files = {"requirements.txt": "django\n", "docker-compose.yml": compose,
             "shop/views.py": "x = 1\n"}
    assert found(run(DevServerInProduction, files)) == [("SCALE-08", "docker-compose.yml", 13)]
