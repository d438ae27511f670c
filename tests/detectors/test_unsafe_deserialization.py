from checks.detectors.security.unsafe_deserialization import UnsafeDeserialization
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BAD = """\
import marshal
import pickle
import shelve

import jsonpickle
import numpy as np
import torch
import yaml
from yaml import Loader


def handle(request, cache):
    doc = yaml.load(request.data)
    docs = yaml.load_all(request.data, Loader=Loader)
    more = yaml.unsafe_load(request.data)
    obj = pickle.loads(cache.get("k"))
    code = marshal.loads(request.data)
    db = shelve.open("store")
    arr = np.load("x.npy", allow_pickle=True)
    model = torch.load("m.pt", weights_only=False)
    legacy = torch.load("m.pt")
    restored = jsonpickle.unpickler.Unpickler().restore(request.data)
    return doc, docs, more, obj, code, db, arr, model, legacy, restored
"""


def test_flags_code_running_deserializers() -> None:
    report = run(UnsafeDeserialization, {"app/handlers.py": BAD})
    assert found(report) == [
        ("SEC-15", "app/handlers.py", line) for line in (13, 14, 15, 16, 17, 18, 19, 20, 21, 22)
    ]
    assert status(report, "SEC-15") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-15")}
    assert by_line[13].message.startswith("yaml.load() without a Loader")
    assert "with Loader" in by_line[14].message
    assert by_line[13].severity is Severity.HIGH
    assert by_line[16].severity is Severity.MEDIUM
    assert by_line[20].severity is Severity.MEDIUM
    assert by_line[21].severity is Severity.LOW
    assert by_line[22].message.startswith("jsonpickle Unpickler().restore()")


GOOD = """\
import json

import numpy as np
import torch
import yaml

from app.yaml_loader import StrictLoader


def handle(data, loader_cls):
    a = yaml.safe_load(data)
    b = yaml.load(data, Loader=yaml.SafeLoader)
    c = yaml.load(data, yaml.CSafeLoader)
    d = yaml.load(data, Loader=loader_cls)
    e = yaml.load(data, Loader=StrictLoader)
    f = np.load("x.npy")
    g = torch.load("m.pt", weights_only=True)
    return a, b, c, d, e, f, g, json.loads(data)
"""


def test_safe_loaders_pass() -> None:
    files = {"app/handlers.py": GOOD, "tests/test_handlers.py": BAD}
    report = run(UnsafeDeserialization, files)
    assert found(report) == []
    assert status(report, "SEC-15") is Status.PASS


def test_loaders_imported_under_other_names_are_found() -> None:
    src = """\
from pickle import load as read_object
from yaml import unsafe_load as parse


def restore(f, text):
    obj = read_object(f)
    doc = parse(text)
    return obj, doc
"""
    report = run(UnsafeDeserialization, {"app/cache.py": src})
    assert found(report) == [("SEC-15", "app/cache.py", 6), ("SEC-15", "app/cache.py", 7)]
    by_line = {f.start_line: f for f in findings(report, "SEC-15")}
    assert by_line[6].message.startswith("pickle.load() can run arbitrary code")
    assert by_line[7].message.startswith("yaml.unsafe_load() builds arbitrary Python objects")
