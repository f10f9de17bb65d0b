"""Grading speed: plain serial ``nbgrader autograde`` against ours in parallel, on one class.

Usage: ``python benchmarks/grading_speed.py [--cores 2] [--students 8] [--suite book] [ch01 ...]``
(``make grading-speed``; ``--suite fixture fx01`` grades the tiny test assignment;
``--split-only`` prints only the per-notebook split).

One class of ``--students`` submissions per assignment is built: the solution-filled release,
the untouched release and each wrong answer of ``tests/wrong_answers/<assignment>.py``, cycled
to N students. The same class is then graded twice, each in a fresh course directory with the
same ``autograder/nbgrader_config.py``:

(a) serially by nbgrader's own command line, ``jupyter nbgrader generate_assignment`` (not
    timed) then ``jupyter nbgrader autograde <assignment>`` (timed);
(b) by ours, ``python -m autograder autograde <course> --jobs <cores>`` (timed as a whole:
    taking the files in, grading, reading the scores back). Its ``generate_assignment`` was
    run when the class was built (not timed, as plain's), and autograde skips it when the
    sources are unchanged.

Both gradebooks must hold the same score for every student and graded cell; any difference is
printed and the exit status is 1. Then one solution-filled notebook is timed three ways to
split the per-notebook cost (see :func:`overhead`): kernel start and each cell run by nbclient
alone, and one in-process nbgrader autograde with every preprocessor timed.

The process, and so every kernel it starts, is pinned to the first ``--cores`` CPUs it may use.
This is a report, not a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import grading, notebooks  # noqa: E402
from autograder.course import Layout, ensure_bin_on_path, load_config  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SUITES = {
    "book": (Layout(), ROOT / "tests" / "wrong_answers"),
    "fixture": (Layout(FIXTURES / "solutions", FIXTURES / "exercises"), FIXTURES / "wrong_answers"),
}
Scores = dict[tuple[str, str, str, str], float | None]


def pin_to_cores(cores: int) -> list[int]:
    """Restrict this process (and its future children) to ``cores`` CPUs; return them."""
    chosen = sorted(os.sched_getaffinity(0))[:cores]
    os.sched_setaffinity(0, chosen)
    return chosen


def wrong_answers(folder: Path, assignment: str) -> list[dict]:
    """``WRONG_ANSWERS`` of ``<folder>/<assignment>.py`` ([] if there is none)."""
    path = folder / f"{assignment}.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"wrong_answers_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.WRONG_ANSWERS)


def class_of(layout: Layout, wrong: Path, assignment: str, released: dict) -> list[dict]:
    """The distinct submissions of one assignment: solution, untouched release, wrong answers."""
    sources = {p.name: notebooks.read(p) for p in layout.notebooks(assignment)}
    solved = {name: notebooks.fill_solutions(nb, sources[name]) for name, nb in released.items()}
    kinds = [solved, released]
    for answer in wrong_answers(wrong, assignment):
        kinds.append(
            {
                name: notebooks.replace_cell(nb, answer["cell"], answer["source"])
                if any(notebooks.grade_id(c) == answer["cell"] for c in nb.cells)
                else nb
                for name, nb in solved.items()
            }
        )
    return kinds


def env() -> dict[str, str]:
    """The environment both command lines run in: venv bin first, our nbgrader config."""
    e = dict(os.environ)
    e["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), e.get("PATH", "")])
    e["JUPYTER_CONFIG_PATH"] = str(ROOT / "autograder")
    e["JUPYTER_PLATFORM_DIRS"] = "1"
    e["PYTHONPATH"] = os.pathsep.join([str(ROOT), e.get("PYTHONPATH", "")])
    return e


def run(cmd: list[str], cwd: Path, show: bool = False) -> tuple[float, str]:
    """Run a command, fail loudly on a non-zero exit; return its wall time and stdout."""
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    if show:
        print("  " + done.stdout.strip().replace("\n", "\n  "))
    return seconds, done.stdout


def table_seconds(stdout: str) -> float:
    """The sum of the last column (seconds per student) of our autograde's score table."""
    total = 0.0
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[-1].replace(".", "", 1).isdigit():
            total += float(parts[-1])
    return total


def gradebook_scores(root: Path, assignments: list[str]) -> Scores:
    """(assignment, student, notebook, grade id) -> score, from a course's gradebook."""
    from nbgrader.api import Gradebook

    scores: Scores = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for assignment in assignments:
            for sub in gb.assignment_submissions(assignment):
                for nb in sub.notebooks:
                    for g in nb.grades:
                        scores[(assignment, sub.student.id, nb.name, g.name)] = g.score
    return scores


def nbclient_times(nb: Any, workdir: Path) -> tuple[float, list[tuple[str, float]], float]:
    """Kernel start, each code cell's run, and the kernel's shutdown, by nbclient alone.

    The kernel gets the grading flags (``Execute.extra_arguments``) and is shut down the way
    ``Execute.shutdown_kernel`` of nbgrader_config.py says (nbclient's default: graceful).
    """
    from nbclient import NotebookClient

    config = load_config()
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
        extra_arguments=list(config.Execute.extra_arguments),
        shutdown_kernel=config.Execute.get("shutdown_kernel", "graceful"),
    )
    cells = []
    start = time.perf_counter()
    with client.setup_kernel():
        started = time.perf_counter() - start
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            t = time.perf_counter()
            client.execute_cell(cell, index)
            cells.append((notebooks.grade_id(cell) or f"cell {index}", time.perf_counter() - t))
        t = time.perf_counter()
    return started, cells, time.perf_counter() - t


@contextmanager
def timed_steps(times: dict[str, float]):
    """Add wall times to ``times`` while active: each nbconvert preprocessor (by class name),
    and inside nbclient (which nbgrader's Execute is): ``kernel start``, ``kernel client``,
    ``cells`` (every cell run) and ``kernel shutdown``.
    """
    from nbclient import NotebookClient
    from nbconvert.preprocessors.base import Preprocessor

    original = Preprocessor.__call__

    def call(self: Any, nb: Any, resources: Any) -> Any:
        t = time.perf_counter()
        try:
            return original(self, nb, resources)
        finally:
            times[type(self).__name__] += time.perf_counter() - t

    def timed(method: Any, label: str) -> Any:
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return await method(*args, **kwargs)
            finally:
                times[label] += time.perf_counter() - t

        return wrapper

    def timed_sync(method: Any, label: str) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                times[label] += time.perf_counter() - t

        return wrapper

    # nbconvert's ExecutePreprocessor uses nbclient's synchronous setup_kernel, which calls
    # these run_sync wrappers; cells go through async_execute_cell.
    patched = {
        "start_new_kernel": "kernel start",
        "start_new_kernel_client": "kernel client",
        "async_execute_cell": "cells",
        "_cleanup_kernel": "kernel shutdown",
    }
    saved = {name: getattr(NotebookClient, name) for name in patched}
    Preprocessor.__call__ = call
    for name, label in patched.items():
        wrap = timed if name.startswith("async") else timed_sync
        setattr(NotebookClient, name, wrap(saved[name], label))
    try:
        yield times
    finally:
        Preprocessor.__call__ = original
        for name, method in saved.items():
            setattr(NotebookClient, name, method)


def overhead(layout: Layout, assignment: str, solved: dict, workdir: Path) -> dict[str, float]:
    """Split one solution-filled notebook's grading time; print how each figure is measured."""
    name, nb = next(iter(solved.items()))
    run_dir = workdir / "nbclient"
    run_dir.mkdir(parents=True)
    fresh = nbformat_copy(nb)
    kernel_start, cells, shutdown = nbclient_times(fresh, run_dir)
    first = cells[0][1] if cells else 0.0
    rest = sum(t for _, t in cells[1:])

    course = grading.Course(workdir / "course", layout)
    course.prepare(assignment)
    course.submit("probe", assignment, {name: nb})
    course.take_in(assignment, "probe")
    times: dict[str, float] = defaultdict(float)
    from nbgrader.converters import Autograde

    start = time.perf_counter()
    with timed_steps(times):
        course._run(Autograde, assignment, "probe", force=True, create_student=True)
    total = time.perf_counter() - start

    sanitize = [
        p.rsplit(".", 1)[1] for p in course.coursedir.config.Autograde.sanitize_preprocessors
    ]
    execute = times.pop("LimitedExecute", 0.0) + times.pop("Execute", 0.0)
    inside = {k: times.pop(k, 0.0) for k in ("kernel start", "kernel client", "cells")}
    inside["kernel shutdown"] = times.pop("kernel shutdown", 0.0)
    save = times.pop("SaveAutoGrades", 0.0)
    sanitize_s = sum(times.pop(p, 0.0) for p in sanitize)
    others = sum(times.values())
    bookkeeping = total - execute
    print(f"\nper-notebook split, {assignment}/{name} (solution-filled), seconds:")
    print(f"  nbclient alone: kernel start (to kernel ready)          {kernel_start:7.2f}")
    print(f"  nbclient alone: first code cell (setup: imports)        {first:7.2f}")
    print(f"  nbclient alone: the other {len(cells) - 1:2d} code cells                {rest:7.2f}")
    print(
        f"  nbclient alone: total (the notebook's own execution)    {kernel_start + first + rest:7.2f}"
    )
    print(f"  nbclient alone: kernel shutdown (not in the total)      {shutdown:7.2f}")
    print(f"  nbgrader autograde, in-process, one notebook: total     {total:7.2f}")
    print(f"    Execute step (kernel start + cells + shutdown)        {execute:7.2f}")
    for label, seconds in inside.items():
        print(f"      {label + ' (nbclient, inside Execute)':<52}{seconds:7.2f}")
    rest_execute = execute - sum(inside.values())
    print(f"      {'rest of Execute (kernel_info, bookkeeping)':<52}{rest_execute:7.2f}")
    print(f"    sanitize pass ({len(sanitize)} preprocessors)                    {sanitize_s:7.2f}")
    print(f"    SaveAutoGrades (gradebook writes of the scores)       {save:7.2f}")
    print(f"    other autograde preprocessors                         {others:7.2f}")
    print(
        f"    bookkeeping outside preprocessors (gradebook setup,\n"
        f"      file copies, reading/writing notebooks)             "
        f"{bookkeeping - sanitize_s - save - others:7.2f}"
    )
    print(
        f"  overhead beyond nbclient's execution                    "
        f"{total - (kernel_start + first + rest):7.2f}"
    )
    return {
        "kernel_start": kernel_start,
        "shutdown": shutdown,
        "setup_cell": first,
        "cells": rest,
        "autograde": total,
        "execute": execute,
        "sanitize": sanitize_s,
        "save": save,
    }


def nbformat_copy(nb: Any) -> Any:
    import nbformat

    return nbformat.from_dict(nb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2, help="CPU cores to run on (default 2)")
    parser.add_argument("--students", type=int, default=8, help="class size (default 8)")
    parser.add_argument("--suite", choices=sorted(SUITES), default="book")
    parser.add_argument(
        "--split-only", action="store_true", help="only the per-notebook split, no class"
    )
    parser.add_argument("--keep", type=Path, help="build the courses here and keep them")
    parser.add_argument(
        "--no-guard", action="store_true", help="grade ours without the kernel guard (its cost)"
    )
    parser.add_argument("assignments", nargs="*", help="assignments (default: ch01 / fx01)")
    args = parser.parse_args(argv)
    layout, wrong = SUITES[args.suite]
    assignments = args.assignments or (["ch01"] if args.suite == "book" else ["fx01"])
    ensure_bin_on_path()
    print(f"pinned to CPUs {pin_to_cores(args.cores)}")
    if args.split_only:
        with tempfile.TemporaryDirectory(prefix="grading-speed-") as tmp:
            for assignment in assignments:
                course = grading.Course(Path(tmp) / f"release-{assignment}", layout)
                course.prepare(assignment)
                released = course.release_notebooks(assignment)
                solved = class_of(layout, wrong, assignment, released)[0]
                overhead(layout, assignment, solved, Path(tmp) / f"probe-{assignment}")
        return 0
    with tempfile.TemporaryDirectory(prefix="grading-speed-") as tmp:
        work = args.keep or Path(tmp)
        ours, plain = work / "ours", work / "plain"
        course = grading.Course(ours, layout)
        solved_one: dict = {}
        for assignment in assignments:
            course.prepare(assignment)
            kinds = class_of(layout, wrong, assignment, course.release_notebooks(assignment))
            solved_one.setdefault(assignment, kinds[0])
            for i in range(args.students):
                course.submit(f"s{i:03d}", assignment, kinds[i % len(kinds)])
        plain.mkdir(parents=True)
        shutil.copytree(ours / "submitted", plain / "submitted")
        shutil.copy(ROOT / "autograder" / "nbgrader_config.py", plain / "nbgrader_config.py")
        n = args.students * sum(len(solved_one[a]) for a in assignments)
        print(f"class: {args.students} students x {', '.join(assignments)} = {n} notebooks")

        dirs = [
            f"--CourseDirectory.root={plain}",
            f"--CourseDirectory.source_directory={layout.solutions}",
        ]
        nbgrader = str(Path(sys.executable).parent / "nbgrader")
        serial = 0.0
        for assignment in assignments:
            made, _ = run([nbgrader, "generate_assignment", assignment, "--force", *dirs], plain)
            print(f"    (plain nbgrader generate_assignment {assignment}, not timed: {made:.1f} s)")
            serial += run([nbgrader, "autograde", assignment, "--force", *dirs], plain)[0]
        print(f"(a) plain nbgrader autograde, serial: {serial:7.1f} s", flush=True)
        parallel, table = run(
            [
                sys.executable, "-m", "autograder",
                "--solutions", str(layout.solutions), "--exercises", str(layout.exercises),
                "autograde", str(ours), *assignments, "--jobs", str(args.cores),
                *(["--no-guard"] if args.no_guard else []),
            ],
            ROOT,
            show=True,
        )  # fmt: skip
        busy = table_seconds(table)
        print(
            f"    ours: sum of the per-student seconds {busy:.1f} s; wall - sum/jobs = "
            f"{parallel - busy / args.cores:.1f} s of fixed cost (start-up, gradebook checks, "
            "worker processes)"
        )
        print(f"(b) ours, --jobs {args.cores}:                {parallel:7.1f} s", flush=True)

        a, b = gradebook_scores(plain, assignments), gradebook_scores(ours, assignments)
        diffs = sorted(k for k in a.keys() | b.keys() if a.get(k, "missing") != b.get(k, "missing"))
        for key in diffs:
            print(
                f"  DIFFERENCE {'/'.join(key)}: plain {a.get(key, 'missing')}, ours {b.get(key, 'missing')}"
            )
        print(f"scores compared: {len(a)} graded cells, {len(diffs)} difference(s)")
        print(f"ratio serial/ours: {serial / parallel:.2f}x on {args.cores} cores")
        if busy:
            print(
                f"ratio without our fixed cost (serial / (sum of per-student seconds / jobs)): "
                f"{serial / (busy / args.cores):.2f}x (an estimate: plain's own start-up stays in its time)"
            )
        print(
            f"per notebook: plain {serial / n:.2f} s, ours {parallel / n:.2f} s (wall / notebooks)"
        )
        for assignment in assignments:
            overhead(layout, assignment, solved_one[assignment], work / f"probe-{assignment}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
