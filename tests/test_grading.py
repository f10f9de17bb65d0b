"""The assignments can be released, graded and fed back, and the grading is right.

Two suites of assignments run through the same tests: ``book`` (``solutions/``, ``exercises/``,
``tests/wrong_answers/``) and ``fixture`` (``tests/fixtures/``: a tiny assignment).

Each suite is graded once, in one course directory, through the command line
(``python -m autograder autograde``, ``feedback``, ``export``), the whole nbgrader path with
sandboxed kernels; every grading test reads that course. Students: ``alice`` submits the
solution-filled release, ``bob`` the untouched release, and in the fixture suite ``carol`` the
solution-filled release with the first wrong answer of its wrong answers: her feedback shows
each failure's message and no hidden line. Every right and wrong answer of the book is graded
by tests/test_corpora.py, through the same verdict engine, faster, and its failure messages
are checked for hidden lines there.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from autograder import grading, notebooks, release
from autograder.course import Layout
from autograder.preprocessors import hidden_code

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# Students graded at once by `autograde --jobs` (worker processes; 1.6x faster on two cores).
JOBS = max(2, min(4, os.cpu_count() or 2))


@dataclass(frozen=True)
class Suite:
    """A set of assignments: sources, committed release, and wrong answers."""

    name: str
    layout: Layout
    wrong_answers: Path
    carol: bool = False  # a student with a wrong answer in the round trip

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``python -m autograder`` on this suite, with the venv's bin on PATH."""
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        layout = [
            "--solutions",
            str(self.layout.solutions),
            "--exercises",
            str(self.layout.exercises),
        ]
        return subprocess.run(
            [sys.executable, "-m", "autograder", *layout, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )


SUITES = {
    "book": Suite("book", Layout(), ROOT / "tests" / "wrong_answers"),
    "fixture": Suite(
        "fixture",
        Layout(FIXTURES / "solutions", FIXTURES / "exercises"),
        FIXTURES / "wrong_answers",
        carol=True,
    ),
}


def wrong_answers(suite: Suite, assignment: str) -> list[dict]:
    """``WRONG_ANSWERS`` of ``<suite.wrong_answers>/<assignment>.py`` ([] if there is none)."""
    path = suite.wrong_answers / f"{assignment}.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"wrong_answers_{suite.name}_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.WRONG_ANSWERS)


ASSIGNMENTS = [(s, a) for s in SUITES for a in SUITES[s].layout.assignments()]


def source_notebooks(suite: Suite, assignment: str) -> dict[str, nbformat.NotebookNode]:
    return {p.name: notebooks.read(p) for p in suite.layout.notebooks(assignment)}


def auto_points(suite: Suite, assignment: str) -> float:
    """Total autograded points of an assignment, from its source notebooks' metadata."""
    return sum(
        c.points
        for nb in source_notebooks(suite, assignment).values()
        for c in notebooks.graded_cells(nb)
        if c.kind == "auto"
    )


# ---------------------------------------------------------------------------------------------
# 1. the committed release is what `release` generates, and it hides what it must


@pytest.fixture(scope="module")
def fresh_releases(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Per suite, two independent fresh releases (to prove the release is deterministic)."""
    built = {}
    for name, suite in SUITES.items():
        if suite.layout.assignments():
            first, second = (
                tmp_path_factory.mktemp(f"{name}-a"),
                tmp_path_factory.mktemp(f"{name}-b"),
            )
            release.build(suite.layout, suite.layout.assignments(), first)
            release.build(suite.layout, suite.layout.assignments(), second)
            built[name] = (first, second)
    return built


@pytest.mark.parametrize(
    ("suite", "assignment"), ASSIGNMENTS, ids=[f"{s}-{a}" for s, a in ASSIGNMENTS]
)
def test_release_is_committed_deterministic_and_hides_solutions(suite, assignment, fresh_releases):
    layout = SUITES[suite].layout
    first, second = fresh_releases[suite]
    assert release.differences(first / assignment, second / assignment) == [], (
        "release is not deterministic"
    )
    assert release.leaks(layout, assignment, first) == []
    committed = layout.exercises / assignment
    assert release.differences(first / assignment, committed) == [], (
        f"{committed} is not what `python -m autograder release {assignment}` generates: "
        "run it and commit the result"
    )
    assert release.leaks(layout, assignment, layout.exercises) == []


def test_leak_check_catches_a_leak():
    """find_leaks flags a solution line, a hidden-test line and a marker slipped into a release."""
    suite = SUITES["fixture"]
    for name, source in source_notebooks(suite, "fx01").items():
        clean = notebooks.read(suite.layout.exercises / "fx01" / name)
        stubs = release.stubs()
        assert notebooks.find_leaks(clean, source, stubs) == []
        for secret in sorted(notebooks.secret_lines(source, stubs)):
            leaky = nbformat.from_dict(clean)
            leaky.cells[-1].source += "\n" + secret
            assert notebooks.find_leaks(leaky, source, stubs), f"missed leaked line {secret!r}"
        for marker in ("### BEGIN HIDDEN TESTS", "### END SOLUTION", "# begin hidden test"):
            marked = nbformat.from_dict(clean)
            marked.cells[0].source += "\n" + marker
            assert notebooks.find_leaks(marked, source, stubs), f"missed marker {marker!r}"


def test_check_release_command_fails_on_a_stale_release(tmp_path):
    """check-release exits 1 and names the file when exercises/ is out of date."""
    suite = SUITES["fixture"]
    exercises = tmp_path / "exercises"
    release.generate(suite.layout, ["fx01"], exercises)
    stale = exercises / "fx01" / "fx01_exercises.ipynb"
    nb = notebooks.read(stale)
    nb.cells[0].source += " (edited by hand)"
    notebooks.write(nb, stale)
    moved = Suite("stale", Layout(suite.layout.solutions, exercises), suite.wrong_answers)
    result = moved.cli("check-release")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "fx01/fx01_exercises.ipynb (differs)" in result.stdout


# ---------------------------------------------------------------------------------------------
# one graded course per suite, through the command line


@dataclass
class GradedCourse:
    """A suite's course directory after autograde, feedback and export."""

    suite: Suite
    course: grading.Course
    outputs: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)
    csv: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def result(self, assignment: str, student: str) -> grading.StudentResult:
        return grading.StudentResult(
            student, assignment, cells=self.course.scores(assignment, student)
        )


def make_submissions(suite: Suite, course: grading.Course, assignment: str) -> None:
    """alice, bob (and carol), from the committed release."""
    released = {
        p.name: notebooks.read(p)
        for p in sorted((suite.layout.exercises / assignment).glob("*.ipynb"))
    }
    assert released, (
        f"no release in {suite.layout.exercises / assignment}: run `python -m autograder release`"
    )
    sources = source_notebooks(suite, assignment)
    solved = {name: notebooks.fill_solutions(nb, sources[name]) for name, nb in released.items()}
    course.submit("alice", assignment, solved)
    course.submit("bob", assignment, released)
    answers = wrong_answers(suite, assignment)
    if answers and suite.carol:
        answer = answers[0]
        wrong = {}
        for name, nb in solved.items():
            has_cell = any(notebooks.grade_id(c) == answer["cell"] for c in nb.cells)
            wrong[name] = (
                notebooks.replace_cell(nb, answer["cell"], answer["source"]) if has_cell else nb
            )
        assert wrong != solved, f"{answer['name']}: no solution cell {answer['cell']!r}"
        course.submit("carol", assignment, wrong)


def students(suite: Suite) -> list[str]:
    return ["alice", "bob", "carol"] if suite.carol else ["alice", "bob"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Return a function suite name -> its GradedCourse, grading each suite at most once."""
    _graded: dict[str, GradedCourse] = {}

    def get(name: str) -> GradedCourse:
        if name not in _graded:
            suite = SUITES[name]
            root = tmp_path_factory.mktemp(f"course-{name}")
            graded = GradedCourse(suite, grading.Course(root, suite.layout))
            for assignment in suite.layout.assignments():
                make_submissions(suite, graded.course, assignment)
            for step, args in (
                ("autograde", ("autograde", str(root), "--jobs", str(JOBS))),
                ("feedback", ("feedback", str(root), "--student", *students(suite))),
                ("export", ("export", str(root), "--output", str(root / "grades.csv"))),
            ):
                start = time.perf_counter()
                graded.outputs[step] = suite.cli(*args)
                graded.seconds[step] = time.perf_counter() - start
            if (root / "grades.csv").exists():
                graded.csv = graded.course.export_csv(root / "check.csv")
            print(f"\n{name}: " + ", ".join(f"{k} {v:.1f} s" for k, v in graded.seconds.items()))
            _graded[name] = graded
        return _graded[name]

    return get


def _ok(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


# ---------------------------------------------------------------------------------------------
# 2. every assignment validates: the solution earns every autograded point, the stub none


@pytest.mark.slow
@pytest.mark.parametrize(
    ("suite", "assignment"), ASSIGNMENTS, ids=[f"{s}-{a}" for s, a in ASSIGNMENTS]
)
def test_solution_full_marks_and_stub_zero(suite, assignment, graded):
    course = graded(suite)
    assert course.outputs["autograde"].returncode == 0, _ok(course.outputs["autograde"])
    solution, stub = course.result(assignment, "alice"), course.result(assignment, "bob")
    assert solution.auto_cells, "the assignment has no autograded cell"
    assert solution.auto_max == auto_points(SUITES[suite], assignment)
    for cell in solution.auto_cells:
        assert cell.score == cell.points, (
            f"{cell.grade_id}: the solution scores {cell.score} of {cell.points}"
        )
    for cell in stub.auto_cells:
        assert cell.score == 0, f"{cell.grade_id}: the untouched release scores {cell.score}"
    assert grading.check_scores(solution, stub) == []


@pytest.mark.slow
def test_validate_command(tmp_path):
    """`validate` passes on the fixture, and fails on a solution that loses points and a test that a stub passes."""
    suite = SUITES["fixture"]
    result = suite.cli("validate")
    assert result.returncode == 0, _ok(result)
    assert "fx01: OK" in result.stdout

    source = notebooks.read(suite.layout.solutions / "fx01" / "fx01_exercises.ipynb")
    auto = [c.grade_id for c in notebooks.graded_cells(source) if c.kind == "auto"]
    solution_cells = [
        notebooks.grade_id(c)
        for c in source.cells
        if notebooks.is_solution(c) and c.cell_type == "code"
    ]
    broken = notebooks.replace_cell(source, solution_cells[0], "def square(x):\n    return 2 * x")
    weak = 'CONTRACT = {"rms": "rms(values)"}\nwith clause("rms"):\n    assert True'
    weak = f"### BEGIN HIDDEN TESTS\n{weak}\n### END HIDDEN TESTS"
    broken = notebooks.replace_cell(broken, auto[-1], weak)
    notebooks.write(broken, tmp_path / "solutions" / "fx01" / "fx01_exercises.ipynb")
    reports = grading.validate(Layout(tmp_path / "solutions", tmp_path / "exercises"), ["fx01"])
    problems = "\n".join(reports[0].problems)
    assert not reports[0].ok
    assert f"{auto[0]}: solution scores 0" in problems
    assert f"{auto[-1]}: stub scores" in problems

    # a test cell left with no grader-side checks is the author's error, named as such
    empty = notebooks.replace_cell(source, auto[-1], "assert True")
    notebooks.write(empty, tmp_path / "solutions" / "fx01" / "fx01_exercises.ipynb")
    reports = grading.validate(Layout(tmp_path / "solutions", tmp_path / "exercises"), ["fx01"])
    problems = "\n".join(reports[0].problems)
    assert f"{auto[-1]}: this test cell has no grader-side checks" in problems, problems


# ---------------------------------------------------------------------------------------------
# 3. the round trip: autograde, feedback, export


@pytest.mark.slow
@pytest.mark.parametrize(
    ("suite", "assignment"), ASSIGNMENTS, ids=[f"{s}-{a}" for s, a in ASSIGNMENTS]
)
def test_round_trip(suite, assignment, graded):
    course = graded(suite)
    for step in ("autograde", "feedback", "export"):
        assert course.outputs[step].returncode == 0, f"{step}: " + _ok(course.outputs[step])
    total = auto_points(SUITES[suite], assignment)
    assert total > 0
    assert course.result(assignment, "alice").auto_score == total
    assert course.result(assignment, "bob").auto_score == 0
    for student in ("alice", "bob"):
        assert list((course.course.root / "feedback" / student / assignment).glob("*.html")), (
            student
        )
    rows = {(r["assignment"], r["student_id"]): r for r in course.csv}
    # manually graded cells are still ungraded, so the CSV score is the autograded score
    assert float(rows[(assignment, "alice")]["score"]) == total
    assert float(rows[(assignment, "bob")]["score"]) == 0
    assert float(rows[(assignment, "alice")]["max_score"]) >= total
    assert "alice" in course.outputs["autograde"].stdout


@pytest.mark.slow
def test_the_formgrader_lists_the_graded_assignments(graded):
    """The course folder gets an nbgrader_config.py with which nbgrader's own API (what the
    formgrader's front page shows) finds every assignment and its submissions."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    course = graded("fixture").course
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course.root)).load_config()
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    listed = {a["name"]: a for a in api.get_assignments()}
    assert set(listed) == set(SUITES["fixture"].layout.assignments())
    assert all(a["num_submissions"] == len(students(SUITES["fixture"])) for a in listed.values())


@pytest.mark.slow
@pytest.mark.parametrize("suite", list(SUITES))
def test_honest_work_is_graded_sandboxed_without_notes(suite, graded):
    """The solutions and the stubs: graded in the sandbox, nothing restored or noticed."""
    out = graded(suite).outputs["autograde"]
    assert "WITHOUT a sandbox" not in out.stderr + out.stdout, out.stderr
    notes = out.stdout.split("notes (also at the top of the feedback):", 1)
    noted = notes[1] if len(notes) > 1 else ""
    for student in ("alice", "bob"):
        assert f"  {student}/" not in noted, noted


WITH_CAROL = [(s, a) for s, a in ASSIGNMENTS if SUITES[s].carol]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("suite", "assignment"), WITH_CAROL, ids=[f"{s}-{a}" for s, a in WITH_CAROL]
)
def test_one_wrong_answer_partial_marks_and_readable_feedback(suite, assignment, graded):
    answers = wrong_answers(SUITES[suite], assignment)
    if not answers:
        pytest.skip(f"no wrong answers for {assignment} in {SUITES[suite].wrong_answers}")
    course = graded(suite)
    carol = course.result(assignment, "carol")
    assert 0 < carol.auto_score < auto_points(SUITES[suite], assignment)
    failed = [c for c in carol.auto_cells if c.score == 0]
    assert failed
    text = "\n".join(
        html.unescape(re.sub(r"<[^>]+>", "", p.read_text()))
        for p in (course.course.root / "feedback" / "carol" / assignment).glob("*.html")
    )
    for cell in failed:
        message = error_message(
            course.course.root / "autograded" / "carol" / assignment, cell.grade_id
        )
        assert message, (
            f"{cell.grade_id} fails with a bare error, not a message saying what was expected"
        )
        assert message.splitlines()[0] in text, f"feedback does not show {message!r}"
    # lines of the hidden tests that carol cannot already read in the release or her own code
    readable = "\n".join(
        c.source
        for folder in (
            SUITES[suite].layout.exercises / assignment,
            course.course.root / "submitted" / "carol" / assignment,
        )
        for p in folder.glob("*.ipynb")
        for c in notebooks.read(p).cells
    )
    hidden = {
        line
        for nb in source_notebooks(SUITES[suite], assignment).values()
        for c in nb.cells
        for line in hidden_code(c.source)
        if line not in readable
    }
    leaked = sorted(line for line in hidden if line in text)
    assert not leaked, f"carol's feedback shows hidden test lines: {leaked[:5]}"


def error_message(folder: Path, grade_id: str) -> str:
    """The error message (``evalue``) that a cell of an autograded notebook raised."""
    for path in folder.glob("*.ipynb"):
        for cell in notebooks.read(path).cells:
            if notebooks.grade_id(cell) == grade_id:
                errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
                assert errors, f"{grade_id} scored 0 without an error"
                return errors[0].evalue.strip()
    raise AssertionError(f"no cell {grade_id} in {folder}")


# ---------------------------------------------------------------------------------------------
# robustness: one broken submission does not stop the others


@pytest.mark.slow
def test_broken_submissions_do_not_stop_the_others(tmp_path):
    suite = SUITES["fixture"]
    course = grading.Course(tmp_path / "course", suite.layout)
    released = {
        p.name: notebooks.read(p) for p in (suite.layout.exercises / "fx01").glob("*.ipynb")
    }
    sources = source_notebooks(suite, "fx01")
    solved = {n: notebooks.fill_solutions(nb, sources[n]) for n, nb in released.items()}
    course.submit("alice", "fx01", solved)
    (tmp_path / "course" / "submitted" / "dave" / "fx01").mkdir(parents=True)
    (tmp_path / "course" / "submitted" / "dave" / "fx01" / "fx01_exercises.ipynb").write_text(
        '{"broken'
    )
    # erin copied a test cell (a duplicated grade_id); grace deleted one (it is restored)
    tests = [
        c.grade_id
        for nb in sources.values()
        for c in notebooks.graded_cells(nb)
        if c.kind == "auto"
    ]
    copied, deleted = {}, {}
    for name, nb in solved.items():
        copied[name] = nbformat.from_dict(nb)
        index = next(i for i, c in enumerate(nb.cells) if notebooks.grade_id(c) == tests[0])
        copied[name].cells.insert(index + 1, nbformat.from_dict(nb.cells[index]))
        copied[name].cells[index + 1]["id"] = "copied-cell"
        deleted[name] = nbformat.from_dict(nb)
        deleted[name].cells = [c for c in nb.cells if notebooks.grade_id(c) != tests[0]]
    course.submit("erin", "fx01", copied)
    course.submit("grace", "fx01", deleted)

    result = suite.cli("autograde", str(course.root), "--jobs", "2")  # the parallel path too
    assert result.returncode == 1, _ok(result)
    assert "dave/fx01" in result.stdout
    total = auto_points(suite, "fx01")
    for student in ("alice", "erin", "grace"):
        graded = grading.StudentResult(student, "fx01", cells=course.scores("fx01", student))
        assert graded.auto_score == total, f"{student}: {graded.cells}"
        assert tests[0] in {c.grade_id for c in graded.auto_cells}


def test_solution_namespace_runs_the_reference_without_its_tests():
    from autograder.notebooks import solution_namespace

    ns = solution_namespace(ROOT / "solutions" / "ch01" / "ch01_exercises.ipynb")
    import torch

    X = torch.tensor([[0.0, 0.0], [3.0, 4.0]])
    assert torch.equal(ns["pairwise_distances"](X), torch.tensor([[0.0, 5.0], [5.0, 0.0]]))
    assert "X_before" not in ns, "test cells must not run"


# ---------------------------------------------------------------------------------------------
# export: where the CSV goes


def empty_gradebook(root: Path) -> Path:
    """A course directory with an empty SQLite gradebook (nbgrader creates its tables)."""
    from nbgrader.api import Gradebook

    root.mkdir(parents=True, exist_ok=True)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}"):
        pass
    return root


def test_export_writes_into_the_course_directory_by_default(tmp_path, monkeypatch, capsys):
    """Without --output the grades go to COURSE_DIR/grades.csv, never the current directory
    (often the repository, where they could be committed by accident)."""
    from autograder import cli

    course = empty_gradebook(tmp_path / "course")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cli.main(["export", str(course)]) == 0
    assert (course / "grades.csv").is_file()
    assert not (elsewhere / "grades.csv").exists()
    assert f"wrote {course / 'grades.csv'}" in capsys.readouterr().out
    mine = tmp_path / "mine.csv"
    assert cli.main(["export", str(course), "--output", str(mine)]) == 0
    assert mine.is_file()


def test_export_lms_writes_the_gradebook_import(tmp_path, monkeypatch, capsys):
    """``export --lms canvas`` writes COURSE_DIR/<assignment>-canvas-grades.csv from the grades
    and the LMS identities ``collect`` recorded, and exits 1 naming a student left out."""
    from autograder import cli, collect

    course = empty_gradebook(tmp_path / "course")
    collect.record_lms_users(
        course,
        {
            "smithalice": collect.LmsUser("canvas", "1001", "smithalice"),
            "jonesbob": collect.LmsUser("canvas", "1002", "jonesbob"),
        },
    )
    rows = [
        {
            "assignment": "fx01",
            "student_id": s,
            "score": score,
            "max_score": "4",
            "status": "graded",
        }
        for s, score in (("smithalice", "4.0"), ("jonesbob", ""), ("hubuser", "1.0"))
    ]
    monkeypatch.setattr(grading.Course, "export_csv", lambda self, output, assignments: rows)
    assert cli.main(["export", str(course), "--lms", "canvas"]) == 1
    out = capsys.readouterr().out
    assert "not in it" in out and "hubuser" in out
    lines = (course / "fx01-canvas-grades.csv").read_text().splitlines()
    assert lines == [
        "Student,ID,SIS User ID,SIS Login ID,Section,fx01",
        "jonesbob,1002,,,,",
        "smithalice,1001,,,,4",
    ]
    two = [*rows, {**rows[0], "assignment": "fx02"}]
    monkeypatch.setattr(grading.Course, "export_csv", lambda self, output, assignments: two)
    assert cli.main(["export", str(course), "--lms", "moodle"]) == 2
    assert "--assignment" in capsys.readouterr().err
