"""The API, resilience, observability, deployment and code detectors leave no reference cycle
through a review's syntax trees: with the garbage collector off, reference counting alone frees
every tree when the review returns (a cycle costs a full collection over a million nodes)."""

import ast
import gc
from pathlib import Path

from bot.local import load_tree
from checks import engine
from checks.detectors import api, code, deployment, observability, resilience


def _modules() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, ast.Module))


def test_trees_are_freed_without_the_garbage_collector() -> None:
    detectors = [*api.DETECTORS, *resilience.DETECTORS, *observability.DETECTORS,
                 *deployment.DETECTORS, *code.DETECTORS]
    example = Path(__file__).resolve().parents[2] / "examples" / "shop"
    tree = load_tree(example)
    gc.collect()
    before = _modules()
    enabled = gc.isenabled()
    gc.disable()
    try:
        report = engine.review(tree, full=True, detectors=detectors)
        assert report.python_files > 5
        assert report.findings  # the detectors did look at the code
        del report
        assert _modules() == before
    finally:
        if enabled:
            gc.enable()
