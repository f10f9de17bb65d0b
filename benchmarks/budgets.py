"""Timing report for the book's two budgets, on a fixed number of CPU cores.

- every chapter notebook executes in at most 60 s;
- every exercise notebook grades in at most 120 s (nbgrader autograde of the solution-filled
  release, through the instructors' command line's own code path).

Usage: ``python benchmarks/budgets.py [--cores 2] [ch02 ...]`` (``make budgets``). The process,
and so every kernel it starts, is pinned to the first ``--cores`` CPUs it may use. This is a
report, not a test: it prints the figures and marks each as within or over its budget, and
exits 1 if one is over.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import grading  # noqa: E402
from autograder.course import Layout, ensure_bin_on_path  # noqa: E402
from torchbook.refresh import execute  # noqa: E402

CHAPTER_BUDGET_S = 60.0
GRADING_BUDGET_S = 120.0


def pin_to_cores(cores: int) -> list[int]:
    """Restrict this process (and its future children) to ``cores`` CPUs; return them."""
    allowed = sorted(os.sched_getaffinity(0))
    chosen = allowed[:cores]
    os.sched_setaffinity(0, chosen)
    return chosen


def chapter_seconds(chapter: Path) -> float:
    """Execute a copy of a chapter in a scratch folder beside nothing it could overwrite."""
    nb = nbformat.read(chapter, as_version=4)
    with tempfile.TemporaryDirectory(prefix="budgets-") as tmp:
        return execute(nb, Path(tmp))


def row(name: str, seconds: float, budget: float) -> tuple[str, bool]:
    ok = seconds <= budget
    return f"  {name:<34} {seconds:7.1f} s   budget {budget:5.0f} s   {'ok' if ok else 'OVER'}", ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2, help="CPU cores to run on (default 2)")
    parser.add_argument("names", nargs="*", help="chapters/assignments to time, e.g. ch02")
    args = parser.parse_args(argv)
    ensure_bin_on_path()
    cpus = pin_to_cores(args.cores)
    print(f"pinned to CPUs {cpus}")
    wanted = set(args.names)
    results = []

    print("chapters (execution of the whole notebook, kernel start included):")
    for chapter in sorted((ROOT / "chapters").glob("ch*.ipynb")):
        if wanted and chapter.stem.split("_")[0] not in wanted:
            continue
        line, ok = row(chapter.name, chapter_seconds(chapter), CHAPTER_BUDGET_S)
        print(line, flush=True)
        results.append(ok)

    print("exercise notebooks (nbgrader autograde of the solution, kernel start included):")
    layout = Layout()
    for assignment in layout.assignments():
        if wanted and assignment not in wanted:
            continue
        (report,) = grading.validate(layout, [assignment])
        if not report.ok:
            print(f"  {assignment}: validation failed: {report.problems}")
            results.append(False)
            continue
        line, ok = row(f"{assignment} solution", report.solution.seconds, GRADING_BUDGET_S)
        print(line, flush=True)
        print(f"  {assignment + ' stub':<34} {report.stub.seconds:7.1f} s")
        results.append(ok)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
