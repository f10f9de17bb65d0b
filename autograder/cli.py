"""``python -m autograder``: the instructors' command line for the book's nbgrader assignments.

Exit status: 0 on success, 1 when a check fails or something could not be graded, 2 on a
usage error (unknown assignment, missing directory).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from autograder import grading, release
from autograder.course import Layout, NbgraderError, ensure_bin_on_path

EPILOG = """\
examples:
  python -m autograder release                 regenerate exercises/ from solutions/
  python -m autograder check-release           is exercises/ up to date?
  python -m autograder validate ch01           solution full marks, stub zero?
  python -m autograder autograde course/       grade course/submitted/*/*
  python -m autograder feedback course/        HTML feedback into course/feedback/
  python -m autograder export course/ --output grades.csv

nbgrader settings: autograder/nbgrader_config.py
"""


class UsageError(Exception):
    """A mistake on the command line (exit status 2)."""


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain fixed-width text table."""
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def _layout(args: argparse.Namespace) -> Layout:
    layout = Layout(Path(args.solutions).resolve(), Path(args.exercises).resolve())
    if not layout.solutions.is_dir():
        raise UsageError(f"no solutions directory at {layout.solutions}")
    return layout


def _assignments(layout: Layout, requested: list[str]) -> list[str]:
    try:
        assignments = layout.resolve(requested)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if not assignments:
        raise UsageError(f"no assignments in {layout.solutions}")
    return assignments


def _course(args: argparse.Namespace, layout: Layout) -> grading.Course:
    root = Path(args.course_dir).resolve()
    if not root.is_dir():
        raise UsageError(f"no course directory at {root}")
    return grading.Course(root, layout, db_url=getattr(args, "db", None), verbose=args.verbose)


def cmd_release(args: argparse.Namespace) -> int:
    """Regenerate exercises/ from solutions/, refusing a release that leaks."""
    layout = _layout(args)
    assignments = _assignments(layout, args.assignments)
    start = time.perf_counter()
    written = release.release(layout, assignments, verbose=args.verbose)
    for path in written:
        print(f"wrote {path}")
    if not args.assignments:
        for name in release.stale(layout):
            print(f"warning: {layout.exercises / name} has no source in solutions/; remove it")
    print(f"released {', '.join(assignments)} in {time.perf_counter() - start:.1f} s")
    return 0


def cmd_check_release(args: argparse.Namespace) -> int:
    """Compare the committed exercises/ with a fresh regeneration."""
    layout = _layout(args)
    assignments = _assignments(layout, args.assignments)
    diffs = release.check(layout, assignments, verbose=args.verbose)
    if not args.assignments:
        diffs += [
            f"{layout.exercises.name}/{s} (no source in solutions/)" for s in release.stale(layout)
        ]
    if diffs:
        print("exercises/ is not what `python -m autograder release` generates:")
        print("\n".join(f"  {d}" for d in diffs))
        print("run `python -m autograder release` and commit the result")
        return 1
    print(f"exercises/ is up to date for {', '.join(assignments)}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Grade the solution and the stub of each assignment; print a table per assignment."""
    layout = _layout(args)
    assignments = _assignments(layout, args.assignments)
    workdir = Path(args.keep).resolve() if args.keep else None
    reports = grading.validate(layout, assignments, workdir=workdir, verbose=args.verbose)
    for report in reports:
        stub = {c.grade_id: c.score for c in report.stub.cells}
        rows = [
            (
                c.grade_id,
                c.points,
                "manual" if c.kind == "manual" else c.score,
                "manual" if c.kind == "manual" else stub.get(c.grade_id),
            )
            for c in report.solution.cells
        ]
        print(f"\n{report.assignment}: " + ("OK" if report.ok else "FAILED"))
        if rows:
            print(table(("cell", "points", "solution", "stub"), rows))
        print(
            f"autograded points: solution {report.solution.auto_score:g} of "
            f"{report.solution.auto_max:g}, stub {report.stub.auto_score:g}; "
            f"time: generate {report.prepare_seconds:.1f} s, solution "
            f"{report.solution.seconds:.1f} s, stub {report.stub.seconds:.1f} s"
        )
        for problem in report.problems:
            print(f"  problem: {problem}")
    failed = [r.assignment for r in reports if not r.ok]
    if failed:
        print(f"\nvalidation FAILED for {', '.join(failed)}")
        return 1
    print(f"\nall {len(reports)} assignment(s) validate")
    return 0


def cmd_autograde(args: argparse.Namespace) -> int:
    """Autograde every (or each requested) student separately; print a score table."""
    layout = _layout(args)
    course = _course(args, layout)
    if args.assignments:
        assignments = _assignments(layout, args.assignments)
    else:
        assignments = [a for a in layout.assignments() if course.submitted(a)]
        if not assignments:
            raise UsageError(f"no submissions in {course.root / 'submitted'} for any assignment")
    results = course.autograde(assignments, args.student or None, jobs=args.jobs)
    if not results:
        print("nothing to grade")
        return 0
    rows = [
        (
            r.assignment,
            r.student,
            r.auto_score if r.ok else "ERROR",
            r.auto_max if r.ok else "",
            sum(c.kind == "manual" for c in r.cells) if r.ok else "",
            f"{r.seconds:.1f}",
        )
        for r in results
    ]
    print(table(("assignment", "student", "score", "max", "manual cells", "seconds"), rows))
    failed = [r for r in results if not r.ok]
    if failed:
        print("\nnot graded:")
        for r in failed:
            print(f"  {r.student}/{r.assignment}: {r.error}")
        if not args.verbose:
            print("rerun with -v to see nbgrader's log")
        return 1
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    """Generate HTML feedback for autograded submissions.

    TODO: nbgrader's feedback shows hidden tests as written; a later issue handles leaks.
    """
    layout = _layout(args)
    course = _course(args, layout)
    assignments = (
        _assignments(layout, args.assignments)
        if args.assignments
        else [a for a in layout.assignments() if course.autograded(a)]
    )
    failed = []
    for assignment in assignments:
        graded = course.autograded(assignment)
        for student in sorted(set(args.student or []) - set(graded)):
            print(f"skipped {student}/{assignment}: not autograded")
        for student in [s for s in args.student or graded if s in graded]:
            try:
                for path in course.feedback(assignment, student):
                    print(f"wrote {path}")
            except NbgraderError as exc:
                failed.append(f"{student}/{assignment}")
                print(f"error: {exc}", file=sys.stderr)
    if failed:
        print("no feedback for: " + ", ".join(failed))
        return 1
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the gradebook to CSV with nbgrader's CsvExportPlugin."""
    layout = _layout(args)
    course = _course(args, layout)
    if not (course.db_url or (course.root / "gradebook.db").exists()):
        raise UsageError(f"no gradebook at {course.root / 'gradebook.db'}")
    output = Path(args.output).resolve()
    rows = course.export_csv(output, args.assignments)
    print(
        table(
            ("assignment", "student", "score", "max"),
            [(r["assignment"], r["student_id"], r["score"], r["max_score"]) for r in rows],
        )
    )
    print(f"wrote {output} ({len(rows)} rows)")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    p = argparse.ArgumentParser(
        prog="python -m autograder",
        description="Release, validate and grade the book's nbgrader assignments.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    layout = Layout()
    p.add_argument(
        "--solutions",
        default=str(layout.solutions),
        metavar="DIR",
        help="nbgrader source notebooks, one folder per assignment (default: %(default)s)",
    )
    p.add_argument(
        "--exercises",
        default=str(layout.exercises),
        metavar="DIR",
        help="the committed student release (default: %(default)s)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="show nbgrader's log")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help: str) -> argparse.ArgumentParser:
        s = sub.add_parser(name, help=help, description=help)
        s.set_defaults(func=func)
        return s

    def assignments(s: argparse.ArgumentParser, default: str) -> None:
        s.add_argument(
            "assignments", nargs="*", metavar="chNN", help=f"assignments (default: {default})"
        )

    s = command(
        "release",
        cmd_release,
        "regenerate exercises/ from solutions/ with nbgrader generate_assignment, and "
        "fail if the release leaks solution or hidden-test text",
    )
    assignments(s, "all in solutions/")
    s = command(
        "check-release",
        cmd_check_release,
        "exit 1 if the committed exercises/ differ from a fresh regeneration",
    )
    assignments(s, "all in solutions/")
    s = command(
        "validate",
        cmd_validate,
        "autograde the solution and the untouched release of each assignment: the "
        "solution must earn every autograded point and the stub none",
    )
    assignments(s, "all in solutions/")
    s.add_argument("--keep", metavar="DIR", help="grade in DIR and keep it (default: a temp dir)")

    for name, func, help, default in (
        (
            "autograde",
            cmd_autograde,
            "autograde COURSE_DIR/submitted/<student>/<assignment>/ with the hidden tests",
            "all with submissions",
        ),
        (
            "feedback",
            cmd_feedback,
            "generate HTML feedback into COURSE_DIR/feedback/ from the autograded submissions",
            "all autograded",
        ),
    ):
        s = command(name, func, help)
        s.add_argument("course_dir", metavar="COURSE_DIR", help="nbgrader course directory")
        assignments(s, default)
        s.add_argument(
            "--student",
            action="extend",
            nargs="+",
            metavar="ID",
            help="only these students (default: all)",
        )
        s.add_argument(
            "--db", metavar="URL", help="gradebook URL (default: sqlite COURSE_DIR/gradebook.db)"
        )
        if name == "autograde":
            s.add_argument(
                "--jobs",
                "-j",
                type=int,
                default=1,
                metavar="N",
                help="grade N students at once, in worker processes (default: 1)",
            )

    s = command(
        "export", cmd_export, "export the gradebook's grades to CSV (nbgrader's CsvExportPlugin)"
    )
    s.add_argument("course_dir", metavar="COURSE_DIR", help="nbgrader course directory")
    s.add_argument(
        "--output", "-o", default="grades.csv", metavar="CSV", help="default: %(default)s"
    )
    s.add_argument(
        "--assignment",
        action="append",
        dest="assignments",
        default=[],
        metavar="chNN",
        help="only this assignment (repeatable; default: all)",
    )
    s.add_argument(
        "--db", metavar="URL", help="gradebook URL (default: sqlite COURSE_DIR/gradebook.db)"
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    ensure_bin_on_path()
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (NbgraderError, release.LeakError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
