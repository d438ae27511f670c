from checks.detectors.compliance.state_on_local_disk import StateOnLocalDisk
from checks.model import Status
from tests.helpers import found, run, status

CODE = """\
import os
import tempfile
from pathlib import Path


def save(upload, name):
    with open(f"/tmp/uploads/{name}", "wb") as out:
        out.write(upload)
    open("/var/data/last.txt", "a").write(name)
    open(os.path.join("/srv/files", name), mode="w")
    Path("/var/cache/report.json").write_text("{}")
    open("/etc/hosts").read()
    open("/dev/stdout", "w")
    open(name, "w")
    tempfile.NamedTemporaryFile()


SESSION_ENGINE = "django.contrib.sessions.backends.file"
"""

FLASK = """\
from flask import Flask

app = Flask(__name__)
app.config["UPLOAD_FOLDER"] = "uploads"
app.config["SESSION_TYPE"] = "filesystem"
"""

DJANGO_SETTINGS = "MEDIA_ROOT = BASE_DIR / 'media'\n"
DJANGO_MODELS = "from django.db import models\n\nclass Doc(models.Model):\n" \
                "    file = models.FileField()\n"


def test_flags_writes_to_absolute_paths_and_file_sessions() -> None:
    report = run(StateOnLocalDisk, {"app/files.py": CODE})
    assert found(report) == [
        ("COMP-07", "app/files.py", 7),
        ("COMP-07", "app/files.py", 9),
        ("COMP-07", "app/files.py", 10),
        ("COMP-07", "app/files.py", 11),
        ("COMP-07", "app/files.py", 18),
    ]
    assert report.findings[0].message == "open('/tmp/uploads/', 'wb') writes to the local disk"
    assert status(report, "COMP-07") is Status.WARN


def test_flags_flask_upload_folder_and_filesystem_sessions() -> None:
    report = run(StateOnLocalDisk, {"web/app.py": FLASK})
    assert found(report) == [("COMP-07", "web/app.py", 4), ("COMP-07", "web/app.py", 5)]


def test_media_root_counts_only_with_file_fields_and_without_object_storage() -> None:
    settings_only = {"shop/settings.py": DJANGO_SETTINGS}
    assert found(run(StateOnLocalDisk, settings_only)) == []
    with_models = {**settings_only, "shop/models.py": DJANGO_MODELS}
    assert found(run(StateOnLocalDisk, with_models)) == [("COMP-07", "shop/settings.py", 1)]
    with_storage = {**with_models, "requirements.txt": "django-storages[s3]==1.14\n"}
    assert found(run(StateOnLocalDisk, with_storage)) == []


def test_ignores_tests_and_scripts() -> None:
    report = run(StateOnLocalDisk, {"tests/test_files.py": CODE, "scripts/dump.py": CODE})
    assert found(report) == []


def test_aliased_open_is_flagged() -> None:
    code = ("from aiofiles import open as aio_open\n\n\nasync def save(data):\n"
            "    async with aio_open('/srv/uploads/last.bin', 'wb') as out:\n"
            "        await out.write(data)\n")
    report = run(StateOnLocalDisk, {"app/files.py": code})
    assert found(report) == [("COMP-07", "app/files.py", 5)]


def test_a_file_field_imported_under_djangos_name_counts() -> None:
    models = ("from app.storage import PrivateUpload as FileField\nfrom django.db import models\n\n"
              "class Doc(models.Model):\n    file = FileField()\n")
    report = run(StateOnLocalDisk, {"shop/settings.py": DJANGO_SETTINGS, "shop/models.py": models})
    assert found(report) == [("COMP-07", "shop/settings.py", 1)]
