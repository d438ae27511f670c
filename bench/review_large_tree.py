"""Benchmark: a full review of a large real tree, beside bandit and a bare ``ast.parse``.

The tree is Django, SQLAlchemy, Django REST framework and Flask as installed from PyPI
(``pip install --target``), 1,245 Python files. Three commands run as separate processes,
alternating, ``--runs`` times each; each process's wall time and peak RSS come from the
operating system (``os.wait4``). Medians are printed with the ratios of the medians.

    python bench/review_large_tree.py [--runs 3] [--tree DIR]

Needs the ``bench`` extra (``pip install -e '.[bench]'``) for bandit. This is a benchmark run by
hand, never a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PACKAGES = ["django==5.1.4", "sqlalchemy==2.0.36", "djangorestframework==3.15.2", "flask==3.1.0"]
WORK = Path(__file__).resolve().parent / "_work"

PARSE_ALL = """
import ast, sys, pathlib
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.py")):
    try:
        ast.parse(p.read_bytes(), filename=str(p))
    except (SyntaxError, ValueError):
        pass
"""


def ensure_tree(target: Path) -> Path:
    """Install the packages into ``target`` once; returns the folder holding them."""
    marker = target / ".complete"
    if not marker.exists():
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--target", str(target), *PACKAGES], check=True)
        for junk in target.glob("*.dist-info"):
            shutil.rmtree(junk)
        shutil.rmtree(target / "bin", ignore_errors=True)
        marker.touch()
    return target


def measure(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; returns (wall seconds, peak RSS in MiB) of that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{cmd[0]} exited with {code}")
    return wall, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tree", type=Path, help="review this folder instead")
    args = parser.parse_args()
    tree = args.tree or ensure_tree(WORK / "site")
    files = sum(1 for _ in tree.rglob("*.py"))
    bindir = Path(sys.executable).parent
    bandit = shutil.which("bandit", path=str(bindir)) or shutil.which("bandit")
    commands = {
        "archreview review --full": [str(bindir / "archreview"), "review", str(tree), "--full",
                                     "--format", "json", "--output", os.devnull],
        "bare ast.parse": [sys.executable, "-c", PARSE_ALL, str(tree)],
    }
    if bandit:
        commands["bandit -r"] = [bandit, "-r", str(tree), "-q", "-f", "json", "-o", os.devnull]
    else:
        print("bandit not found: install the bench extra (pip install -e '.[bench]')")
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            results[name].append(measure(cmd))
    print(f"tree: {tree} ({files} Python files), {args.runs} runs each, medians")
    medians = {n: (statistics.median(w for w, _ in r), statistics.median(m for _, m in r))
               for n, r in results.items()}
    for name, (wall, mem) in medians.items():
        print(f"  {name:28s} {wall:8.2f} s   peak {mem:7.1f} MiB")
    ours = medians["archreview review --full"][0]
    print(f"  review / bare parse: {ours / medians['bare ast.parse'][0]:.2f}x")
    if "bandit -r" in medians:
        print(f"  bandit / review:     {medians['bandit -r'][0] / ours:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
