"""Grading speed: plain serial ``nbgrader autograde`` against ours in parallel, on one class.

Usage: ``python benchmarks/grading_speed.py [--cores 2] [--students 8] [--suite book] [ch01 ...]``
(``make grading-speed``; ``--suite fixture fx01`` grades the tiny test assignment;
``--split-only`` prints only the per-notebook split).

One class of ``--students`` submissions per assignment is built: the solution-filled release,
the untouched release and each wrong answer of ``tests/wrong_answers/<assignment>.py``, cycled
to N students. The same class is then graded twice, each in a fresh course directory with the
same ``autograder/nbgrader_config.py``:

(a) serially by nbgrader's own command line, ``jupyter nbgrader generate_assignment`` (not
    timed) then ``jupyter nbgrader autograde <assignment>`` (timed), with the same
    ``nbgrader_config.py`` (so the same sandboxed pipeline, one notebook at a time);
(b) by ours, ``python -m autograder autograde <course> --jobs <cores>`` (timed as a whole:
    taking the files in, grading, reading the scores back). Its ``generate_assignment`` was
    run when the class was built (not timed, as plain's), and autograde skips it when the
    sources are unchanged;
(c) by ours again with ``--no-sandbox``: the difference with (b) is what the sandbox costs.

All gradebooks must hold the same score for every student and graded cell; any difference is
printed and the exit status is 1. Then one solution-filled notebook is timed sandboxed and
unsandboxed (see :func:`overhead`): kernel start, and the whole notebook judged.

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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import grading, notebooks  # noqa: E402
from autograder.course import Layout, ensure_bin_on_path  # noqa: E402

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


def overhead(layout: Layout, assignment: str, solved: dict, workdir: Path) -> dict[str, float]:
    """What the sandbox costs per notebook: kernel start and a whole solution-filled notebook
    run (kernel start, every cell, the hidden parts judged, shutdown), each timed three times
    sandboxed and unsandboxed, medians printed."""
    import statistics

    from autograder import sandbox
    from autograder.corpus import reference
    from autograder.execute import NotebookRun, RunSettings
    from autograder.kernel import GradingKernel

    name = next(iter(solved))
    # the solution-filled notebook with its hidden parts, as autograde runs it
    graded = reference(notebooks.read(layout.solutions / assignment / name))
    figures: dict[str, float] = {}
    for sandboxed in (True, False):
        label = "sandboxed" if sandboxed else "unsandboxed"
        starts, runs = [], []
        for _ in range(3):
            plan = sandbox.KernelPlan(
                sandbox.Limits(), sandboxed=sandboxed, mpl_cache=sandbox.matplotlib_cache()
            )
            kernel = GradingKernel(plan)
            t = time.perf_counter()
            kernel.start()
            starts.append(time.perf_counter() - t)
            kernel.shutdown()
            t = time.perf_counter()
            NotebookRun(nbformat_copy(graded), RunSettings(sandbox=sandboxed)).run()
            runs.append(time.perf_counter() - t)
        figures[f"start {label}"] = statistics.median(starts)
        figures[f"notebook {label}"] = statistics.median(runs)
    print(f"\nper-notebook cost of the sandbox, {assignment}/{name} (medians of 3, seconds):")
    for key in ("start", "notebook"):
        on, off = figures[f"{key} sandboxed"], figures[f"{key} unsandboxed"]
        what = "kernel start (imports torch)" if key == "start" else "whole notebook, judged"
        print(f"  {what:<32} sandboxed {on:6.2f}   unsandboxed {off:6.2f}   cost {on - off:+6.2f}")
    return figures


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
        "--skip-unsandboxed",
        action="store_true",
        help="do not grade the class a third time without the sandbox",
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
        ours_cli = [
            sys.executable, "-m", "autograder",
            "--solutions", str(layout.solutions), "--exercises", str(layout.exercises),
            "autograde",
        ]  # fmt: skip
        if not args.skip_unsandboxed:
            bare = work / "unsandboxed"
            shutil.copytree(ours, bare)
            unsandboxed, _ = run(
                [*ours_cli, str(bare), *assignments, "--jobs", str(args.cores), "--no-sandbox"],
                ROOT,
            )
            print(
                f"(c) ours, --jobs {args.cores}, --no-sandbox:   {unsandboxed:7.1f} s", flush=True
            )
        parallel, table = run(
            [*ours_cli, str(ours), *assignments, "--jobs", str(args.cores)], ROOT, show=True
        )
        busy = table_seconds(table)
        print(
            f"    ours: sum of the per-student seconds {busy:.1f} s; wall - sum/jobs = "
            f"{parallel - busy / args.cores:.1f} s of fixed cost (start-up, gradebook checks, "
            "worker processes)"
        )
        print(f"(b) ours, --jobs {args.cores}:                {parallel:7.1f} s", flush=True)

        a, b = gradebook_scores(plain, assignments), gradebook_scores(ours, assignments)
        diffs = sorted(k for k in a.keys() | b.keys() if a.get(k, "missing") != b.get(k, "missing"))
        if not args.skip_unsandboxed:
            c = gradebook_scores(work / "unsandboxed", assignments)
            diffs += sorted(
                k for k in b.keys() | c.keys() if b.get(k, "missing") != c.get(k, "missing")
            )
            print(
                f"sandbox cost per notebook, whole class: {(parallel - unsandboxed) / n:+.2f} s of "
                f"wall time at --jobs {args.cores} ({(parallel - unsandboxed) * args.cores / n:+.2f} "
                "s of one core's time)"
            )
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
