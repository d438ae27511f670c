"""The ``archreview`` command line.

- ``archreview review PATH``: review a local checkout as the app would review its pull request.
- ``archreview explain ITEM``: print an item's documentation and how it is decided.
- ``archreview items``: the checklist items and how each is decided (the README's list).
- ``archreview serve``: run the GitHub App's web server.

Exit codes of ``review``: 0 when the conclusion is success or neutral, 1 on failure, 2 for usage
errors (argparse's convention) and inputs that cannot be read.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from bot import local
from checks import catalogue, engine, itemdocs, waivers
from checks import config as repo_config
from checks.diff import Diff, DiffError
from checks.model import Conclusion, Report
from checks.registry import detectors_for
from checks.render import jsonreport, markdown, sarif, text

FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "markdown": markdown.render,
    "json": jsonreport.render,
    "sarif": sarif.render,
}
_PROGRESS_MIN_FILES = 200


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``archreview`` console script; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (local.LocalError, DiffError, OSError) as exc:
        print(f"archreview: error: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archreview",
        description="Review Python backend code against the architecture review checklist.",
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    review = sub.add_parser(
        "review", help="review a local checkout as the app reviews a pull request",
        description="Review PATH. In a git checkout the change reviewed is the diff from "
        "merge-base(BASE, HEAD) to the work tree (untracked files included); with --diff, "
        "that diff file; with neither, or with --full, every domain is reviewed.",
    )
    review.add_argument("path", type=Path, help="the repository root (a directory)")
    review.add_argument("--base", metavar="REF",
                        help="base ref to diff against (default: origin/HEAD, origin/main, main…)")
    review.add_argument("--diff", type=Path, metavar="FILE",
                        help="a unified diff of the change, instead of asking git "
                        "(- reads it from standard input)")
    review.add_argument("--full", action="store_true",
                        help="review every domain, not only those the change touches")
    review.add_argument("--config", type=Path, metavar="FILE",
                        help="config file (default: PATH/.github/archreview.yml)")
    review.add_argument("--format", choices=sorted(FORMATS), default="text")
    review.add_argument("--output", type=Path, metavar="FILE",
                        help="write the report here instead of standard output")
    review.set_defaults(handler=_review)

    explain = sub.add_parser("explain", help="print an item's documentation")
    explain.add_argument("item", help="an item ID such as SEC-08 (any case)")
    explain.set_defaults(handler=_explain)

    items = sub.add_parser("items", help="print the checklist items and how each is decided")
    items.add_argument("--update-readme", type=Path, metavar="README",
                       help="rewrite the item list between the markers of this README")
    items.set_defaults(handler=_items)

    serve = sub.add_parser("serve", help="run the GitHub App web server")
    serve.set_defaults(handler=_serve)
    return parser


def _review(args: argparse.Namespace) -> int:
    root: Path = args.path
    if not root.is_dir():
        print(f"archreview: error: {root} is not a directory", file=sys.stderr)
        return 2
    if args.config is not None and not args.config.is_file():
        print(f"archreview: error: --config {args.config}: no such file", file=sys.stderr)
        return 2
    if args.base is not None and args.base.startswith("-"):
        print(f"archreview: error: --base {args.base!r} is not a ref", file=sys.stderr)
        return 2
    tree = local.load_tree(root)
    diff, why = _diff(root, args)
    if why:
        print(f"archreview: {why}", file=sys.stderr)
    if args.diff and diff is not None:
        problem = _diff_problem(diff, tree.paths)
        if problem:
            print(f"archreview: error: --diff {args.diff}: {problem}", file=sys.stderr)
            return 2
    cfg, errors = repo_config.load(_config_text(args.config or root / repo_config.CONFIG_PATH))
    for err in errors:
        shown = err.shown(str(args.config)) if args.config else str(err)
        print(f"archreview: {shown} (using defaults)", file=sys.stderr)
    progress = _progress(sys.stderr) if sys.stderr.isatty() else None
    report = engine.review(tree, diff, cfg, full=args.full, progress=progress)
    if cfg.waivers:
        today = datetime.date.today()
        active, expired = waivers.config_waivers(cfg, today)
        report = waivers.apply(report, [*active, *expired], [], [], today)
    if progress is not None:
        print("\r\033[K", end="", file=sys.stderr)
    out = FORMATS[args.format](report)
    if args.output:
        args.output.write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 1 if report.conclusion is Conclusion.FAILURE else 0


def _config_text(path: Path) -> bytes | None:
    """The config file's bytes; a symbolic link is never followed (a link to a file outside
    the checkout would put that file's content into error messages)."""
    if path.is_symlink():
        print(f"archreview: {path} is a symbolic link: not read (using defaults)",
              file=sys.stderr)
        return None
    return path.read_bytes()[: repo_config.MAX_CONFIG_CHARS * 4] if path.is_file() else None


def _diff_problem(diff: Diff, paths: list[str]) -> str:
    """Why a given diff cannot describe a change of this tree, or ``""``."""
    if not diff.files:
        return "contains no unified diff (expected the output of `git diff`)"
    known = set(paths)
    present = [p for p in diff.changed_paths() if p]
    if present and not any(p in known for p in present):
        shown = ", ".join(present[:3])
        return (f"none of its files exist under the reviewed folder ({shown}); was it made "
                "from another folder, or with `diff` instead of `git diff`?")
    return ""


def _diff(root: Path, args: argparse.Namespace) -> tuple[Diff | None, str]:
    """The change to review and, when there is none, why the review is full."""
    if args.diff:
        data = sys.stdin.buffer.read() if str(args.diff) == "-" else args.diff.read_bytes()
        return Diff.parse(data), ""
    if args.full:
        return None, ""
    if not local.is_git_checkout(root):
        return None, f"{root} is not the top of a git checkout: reviewing every domain"
    base = args.base or local.default_base(root)
    if base is None:
        return None, ("no base branch to compare with (origin/HEAD, origin/main, main... are "
                      "missing or are HEAD itself; give --base REF): reviewing every domain")
    return Diff.parse(local.diff_against(root, base)), ""


def _progress(stream: TextIO) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if total >= _PROGRESS_MIN_FILES and (done % 50 == 0 or done == total):
            print(f"\rreviewing {done}/{total} Python files", end="", file=stream, flush=True)

    return show


def _explain(args: argparse.Namespace) -> int:
    item = catalogue.find(args.item)
    if item is None:
        print(f"archreview: error: unknown checklist item {args.item!r} "
              "(IDs look like SEC-08; see the README for the list)", file=sys.stderr)
        return 2
    print(f"{item.id}  {item.title}")
    print(f"domain: {item.domain.heading} · decided by: {item.method.value} · "
          f"default severity: {item.severity.label} (a detector may rate a finding otherwise; "
          "config `severity` overrides both)\n")
    print(item.doc)
    for det in detectors_for(item.id):
        print(f"\n--- detector `{det.slug}` ---")
        print((sys.modules[det.__module__].__doc__ or "").strip())
    if item.method.value == "attestation":
        print(f"\nTo attest on a pull request: /archreview attest {item.id} <evidence>")
    return 0


def _items(args: argparse.Namespace) -> int:
    if args.update_readme is None:
        print(itemdocs.items_markdown())
        return 0
    path: Path = args.update_readme
    path.write_text(itemdocs.with_items(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from bot import server

    return server.main()


if __name__ == "__main__":
    sys.exit(main())
