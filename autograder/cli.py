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
from autograder.preprocessors import clean_text

EPILOG = """\
examples:
  python -m autograder release                 regenerate exercises/ from solutions/
  python -m autograder check-release           is exercises/ up to date?
  python -m autograder validate ch01           solution full marks, stub zero?
  python -m autograder autograde course/       grade course/submitted/*/*
  python -m autograder feedback course/        HTML feedback into course/feedback/
  python -m autograder export course/          grades into course/grades.csv
  python -m autograder export course/ --assignment ch01 --lms canvas
                                               and course/ch01-canvas-grades.csv for Canvas
  python -m autograder corpus ch01             right and wrong answers get their verdicts?

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
    return grading.Course(
        root,
        layout,
        db_url=getattr(args, "db", None),
        verbose=args.verbose,
        cell_timeout=getattr(args, "cell_timeout", None),
        notebook_timeout=getattr(args, "notebook_timeout", None),
        memory_limit_mb=getattr(args, "memory_limit", None),
        sandbox=not getattr(args, "no_sandbox", False),
    )


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
    from autograder import sandbox

    why = sandbox.unavailable_reason() if course.sandbox else "--no-sandbox was given"
    if why:
        print(
            "WARNING: grading WITHOUT a sandbox: student code can read the course directory, "
            f"the solutions and the gradebook, and reach the network ({why})",
            file=sys.stderr,
        )
    results = course.autograde(assignments, args.student or None, jobs=args.jobs, force=args.force)
    if not results:
        print("nothing to grade")
        return 0
    rows = [
        (
            r.assignment,
            clean_text(r.student),
            r.auto_score if r.ok else "UNGRADED",
            r.auto_max if r.ok else "",
            sum(c.kind == "manual" for c in r.cells) if r.ok else "",
            "earlier run" if r.skipped else f"{r.seconds:.1f}",
        )
        for r in results
    ]
    print(table(("assignment", "student", "score", "max", "manual cells", "seconds"), rows))
    noted = [r for r in results if r.ok and r.notes]
    if noted:
        print("\nnotes (also at the top of the feedback):")
        for r in noted:
            for note in dict.fromkeys(r.notes):
                print(f"  {clean_text(r.student)}/{r.assignment}: {clean_text(note)}")
    replaced = [r for r in results if r.ok and r.replaced]
    if replaced:
        print("\ngraded as the unanswered release (a notebook unreadable or missing):")
        print("\n".join(f"  {clean_text(r.student)}/{r.assignment}" for r in replaced))
    failed = [r for r in results if not r.ok]
    if failed:
        print("\nnot graded (exported as ungraded, with the reason):")
        for r in failed:
            print(f"  {clean_text(r.student)}/{r.assignment}: {clean_text(r.error)}")
        if not args.verbose:
            print("rerun with -v to see nbgrader's log")
        return 1
    return 1 if replaced else 0


def cmd_feedback(args: argparse.Namespace) -> int:
    """Generate HTML feedback for autograded submissions, without the hidden tests."""
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
    if (args.lms_output or args.lms_column) and not args.lms:
        raise UsageError("--lms-output and --lms-column need --lms canvas or --lms moodle")
    # Default inside the course directory, beside the gradebook: never the current directory
    # (often the repository), where the grades could be committed by accident.
    output = Path(args.output).resolve() if args.output else course.root / "grades.csv"
    rows = course.export_csv(output, args.assignments)
    print(
        table(
            ("assignment", "student", "score", "max", "status"),
            [
                (
                    r["assignment"],
                    clean_text(r["student_id"]),
                    r["score"],
                    r["max_score"],
                    r["status"],
                )
                for r in rows
            ],
        )
    )
    print(f"wrote {output} ({len(rows)} rows)")
    return _export_lms(args, course.root, rows) if args.lms else 0


def _export_lms(args: argparse.Namespace, root: Path, rows: list[dict]) -> int:
    """Write the file the LMS gradebook imports; exit 1 if a student could not go in it."""
    from autograder import collect

    assignments = list(dict.fromkeys(args.assignments or [r["assignment"] for r in rows]))
    if len(assignments) != 1:
        raise UsageError(
            f"--lms writes one assignment's grades: name it with --assignment "
            f"(the gradebook has: {', '.join(assignments) or 'none'})"
        )
    assignment = assignments[0]
    output = (
        Path(args.lms_output).resolve()
        if args.lms_output
        else root / f"{assignment}-{args.lms}-grades.csv"
    )
    written, missing = collect.lms_gradebook(
        rows,
        collect.read_lms_users(root),
        args.lms,
        assignment,
        output,
        column=args.lms_column,
    )
    print(f"wrote {output} ({written} students, for the {args.lms} gradebook import)")
    if missing:
        print(
            f"not in it (collect recorded no {args.lms} user for them; enter their grades "
            f"by hand): {', '.join(clean_text(s) for s in missing)}"
        )
        return 1
    return 0


def cmd_corpus(args: argparse.Namespace) -> int:
    """Grade the right and wrong answers of tests/right_answers and tests/wrong_answers."""
    from autograder import corpus

    layout = _layout(args)
    assignments = _assignments(layout, args.assignments)
    folder = Path(args.corpora).resolve()
    answers = [
        a
        for assignment in assignments
        for a in corpus.load(assignment, folder)
        if (not args.cell or a.cell in args.cell) and (not args.kind or a.kind == args.kind)
    ]
    if not answers:
        print("no answers to grade")
        return 0
    start = time.perf_counter()
    outcomes = corpus.run(answers, layout, jobs=args.jobs)
    reach = {a: corpus.reached_tests(layout, a) for a in assignments}
    failed = 0
    for outcome in outcomes:
        answer = outcome.answer
        problems = outcome.problems(reach[answer.assignment].get(answer.cell, set()))
        failed += bool(problems)
        print(f"{'FAIL' if problems else 'ok  '}  {answer.id}")
        for problem in problems:
            print("        " + problem.replace("\n", "\n        "))
        if args.verbose and not problems:
            for test, rec in sorted(outcome.records.items()):
                verdict = "passes" if rec.get("passed") else f"fails {rec.get('clauses')}"
                print(f"        {test}: {verdict} {str(rec.get('message', ''))[:200]}")
    print(f"\n{len(outcomes)} answers, {failed} with problems, {time.perf_counter() - start:.1f} s")
    return 1 if failed else 0


def cmd_collect(args: argparse.Namespace) -> int:
    """Collect submissions from an nbgrader exchange or an LMS download; report what is left."""
    import zipfile

    from autograder import collect

    layout = _layout(args)
    assignment = _assignments(layout, [args.assignment])[0]
    expected = collect.expected_notebooks(layout.exercises / assignment) or [
        p.name for p in layout.notebooks(assignment)
    ]
    course = Path(args.course_dir).resolve()
    try:
        roster = collect.read_roster(Path(args.roster)) if args.roster else None
        if args.exchange:
            exchange = Path(args.exchange).resolve()
            if not exchange.is_dir():
                raise UsageError(f"no exchange directory at {exchange}")
            course_id = args.course_id
            if not course_id:
                ids = collect.courses_in(exchange)
                if len(ids) != 1:
                    raise UsageError(f"name the course with --course-id (exchange has: {ids})")
                course_id = ids[0]
            report = collect.collect_exchange(
                exchange,
                course_id,
                course,
                assignment,
                expected,
                roster=roster,
                dry_run=args.dry_run,
            )
        else:
            source = Path(args.zip).resolve()
            if not (source.is_dir() or zipfile.is_zipfile(source)):
                raise UsageError(f"{source} is neither a zip file nor a folder")
            report = collect.collect_lms(
                source,
                course,
                assignment,
                expected,
                lms=args.lms,
                roster=roster,
                dry_run=args.dry_run,
            )
    except (ValueError, OSError) as exc:
        raise UsageError(str(exc)) from exc
    collected = report.by_status(collect.COLLECTED)
    if collected:
        print(
            table(
                ("student", "notebook", "from", "note"),
                [(i.student, i.notebook, i.source, i.reason) for i in collected],
            )
        )
    unmatched = report.by_status(collect.UNMATCHED)
    sections = (
        (
            "UNMATCHED notebooks, not collected (work may be lost: copy them into "
            "submitted/<student>/<assignment>/ by hand)",
            unmatched,
        ),
        (
            "superseded, not collected (older attempts and copies)",
            report.by_status(collect.SUPERSEDED),
        ),
        (
            "ignored files, not notebooks (nothing to grade)",
            report.ignored_files + (report.noise if args.verbose else []),
        ),
    )
    for title, items in sections:
        if items:
            print(f"\n{title}:")
            print(
                table(
                    ("student", "file", "reason"), [(i.student, i.source, i.reason) for i in items]
                )
            )
    if report.noise and not args.verbose:
        reasons = sorted({i.reason for i in report.noise})
        print(f"\nignored {len(report.noise)} file(s): {', '.join(reasons)} (-v lists them)")
    verb = "would collect" if args.dry_run else "collected"
    ignored = len(report.by_status(collect.IGNORED))
    print(
        f"\n{verb} {len(collected)} notebook(s) of {len(report.students)} student(s) into "
        f"{course / 'submitted'}; {len(unmatched)} unmatched, {ignored} file(s) ignored"
    )
    return 0 if report.ok else 1


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
            s.add_argument(
                "--force",
                action="store_true",
                help="grade again submissions that an earlier run graded (default: only the "
                "new, changed, or unfinished ones)",
            )
            s.add_argument(
                "--cell-timeout",
                type=float,
                metavar="S",
                help="stop a cell after S seconds of CPU time; it scores 0, the rest of the "
                "notebook is graded (default: c.SandboxedExecute.cell_cpu_limit, 60)",
            )
            s.add_argument(
                "--notebook-timeout",
                type=float,
                metavar="S",
                help="stop running a notebook after S seconds of CPU time; the cells left "
                "are not run and score 0 (default: c.SandboxedExecute.notebook_cpu_limit, 600)",
            )
            s.add_argument(
                "--memory-limit",
                type=int,
                metavar="MB",
                help="memory a notebook may allocate beyond its imports, in MiB; past it an "
                "allocation fails with MemoryError (default: c.SandboxedExecute.memory_limit_mb, "
                "4096; 0: none; not applied on CUDA machines)",
            )
            s.add_argument(
                "--no-sandbox",
                action="store_true",
                help="run kernels without the bubblewrap sandbox (student code can then read "
                "the course and the solutions): only to compare or debug",
            )

    s = command(
        "corpus",
        cmd_corpus,
        "grade the corpora of right and wrong answers (tests/right_answers, "
        "tests/wrong_answers) and report every verdict that differs from what an answer declares",
    )
    assignments(s, "all in solutions/")
    s.add_argument(
        "--cell", action="append", metavar="ID", help="only answers to this solution cell"
    )
    s.add_argument("--kind", choices=("right", "wrong"), help="only right or only wrong answers")
    s.add_argument(
        "--jobs", "-j", type=int, default=2, metavar="N", help="kernels at once (default: 2)"
    )
    s.add_argument(
        "--corpora",
        default=str(Path(__file__).resolve().parent.parent / "tests"),
        metavar="DIR",
        help="folder holding right_answers/ and wrong_answers/ (default: %(default)s)",
    )

    s = command(
        "export", cmd_export, "export the gradebook's grades to CSV (nbgrader's CsvExportPlugin)"
    )
    s.add_argument("course_dir", metavar="COURSE_DIR", help="nbgrader course directory")
    s.add_argument(
        "--output",
        "-o",
        metavar="CSV",
        help="where to write the CSV (default: COURSE_DIR/grades.csv)",
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
    s.add_argument(
        "--lms",
        choices=("canvas", "moodle"),
        help="also write one assignment's grades as a file this LMS's gradebook imports, for "
        "the students `collect` read from its download (Canvas: gradebook import CSV; Moodle: "
        "the assignment's grading worksheet)",
    )
    s.add_argument(
        "--lms-output",
        metavar="CSV",
        help="where to write it (default: COURSE_DIR/<assignment>-<lms>-grades.csv)",
    )
    s.add_argument(
        "--lms-column",
        metavar="TITLE",
        help="Canvas: the assignment column's header, as in a Canvas gradebook export, e.g. "
        '"Chapter 1 (12345)" (default: the assignment)',
    )
    s = command(
        "collect",
        cmd_collect,
        "collect submissions of one assignment into COURSE_DIR/submitted/ from a JupyterHub "
        "nbgrader exchange or an LMS download (Canvas, Moodle, Blackboard), and report every "
        "file not collected; exit status 1 when a notebook could not be matched, 0 when only "
        "files that are not notebooks were ignored",
    )
    s.add_argument("course_dir", metavar="COURSE_DIR", help="nbgrader course directory")
    s.add_argument("assignment", metavar="chNN", help="the assignment")
    source = s.add_mutually_exclusive_group(required=True)
    source.add_argument("--exchange", metavar="DIR", help="nbgrader exchange root")
    source.add_argument("--zip", metavar="PATH", help="LMS download: a zip or its unpacked folder")
    s.add_argument(
        "--course-id", metavar="ID", help="course in the exchange (default: the only one)"
    )
    s.add_argument(
        "--lms",
        choices=("auto", "canvas", "moodle", "blackboard"),
        default="auto",
        help="LMS file naming (default: %(default)s, recognised per file)",
    )
    s.add_argument(
        "--roster",
        metavar="CSV",
        help="CSV with a student_id column; other columns are LMS aliases",
    )
    s.add_argument("--dry-run", action="store_true", help="report only; write nothing")
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
