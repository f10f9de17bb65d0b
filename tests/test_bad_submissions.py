"""A corpus of bad submissions, graded end to end, each with the outcome it must get.

Every case is a submission of the fixture assignment ``fx01`` (one notebook: ``ex1_1_tests``
worth 1 point, ``ex1_2_tests`` worth 2, and a written answer graded by hand), built from the
committed release by a small function. All of them, with ``alice`` (the solution, full marks)
and ``bob`` (the untouched release, 0) alongside, are graded in ONE
``python -m autograder autograde --jobs 2`` run with short limits (in CPU seconds: a cell over
``--cell-timeout`` is stopped and scores 0, a notebook over ``--notebook-timeout`` has its
remaining cells not run), then ``feedback``; each case is then checked against its entry in
``CASES``. Kernels run in the sandbox (the default); the hidden parts of the test cells are
judged in the grader. Cheating submissions are the subject of test_adversarial.py.
"""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from test_grading import SUITES, _ok, source_notebooks

from autograder import grading, notebooks
from autograder.preprocessors import hidden_lines
from autograder.verdicts import split

SUITE = SUITES["fixture"]
ASSIGNMENT = "fx01"
NAME = "fx01_exercises.ipynb"
CELL_TIMEOUT = 3  # CPU seconds; the infinite loop hits it
NOTEBOOK_TIMEOUT = 12  # CPU seconds; the slow notebook hits it, every other one is far below
MEMORY_LIMIT = 300  # MiB beyond the kernel's imports; the memory hog hits it
FULL = {"ex1_1_tests": 1.0, "ex1_2_tests": 2.0}
SIZE_LIMIT = 1_000_000  # bytes: a graded notebook or a feedback page stays below this


# ---------------------------------------------------------------------------------------------
# building submissions from the release


@dataclass
class Base:
    """The committed release and the release filled in with the reference solution."""

    release: nbformat.NotebookNode
    solved: nbformat.NotebookNode


def copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return nbformat.from_dict(nb)


def index_of(nb: nbformat.NotebookNode, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if notebooks.grade_id(c) == grade_id)


def with_cell(nb: nbformat.NotebookNode, grade_id: str, source: str) -> nbformat.NotebookNode:
    return notebooks.replace_cell(nb, grade_id, source)


def unanswered_square(base: Base) -> nbformat.NotebookNode:
    """The solution with exercise 1.1 left as released (its test fails)."""
    stub = base.release.cells[index_of(base.release, "ex1_1_solution")].source
    return with_cell(base.solved, "ex1_1_solution", stub)


def code_cell(source: str, n: int) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, id=f"student-{n}")


def write(folder: Path, name: str, nb: nbformat.NotebookNode) -> None:
    notebooks.write(nb, folder / name)


def solution(base: Base, folder: Path) -> None:
    write(folder, NAME, base.solved)


def untouched(base: Base, folder: Path) -> None:
    write(folder, NAME, base.release)


def passes_only_visible(base: Base, folder: Path) -> None:
    write(
        folder,
        NAME,
        with_cell(base.solved, "ex1_1_solution", "def square(x):\n    return 9 if x == 3 else x"),
    )


def malformed(base: Base, folder: Path) -> None:
    (folder / NAME).write_text('{"cells": [{"cell_type": "code", "source": "broken')


def empty(base: Base, folder: Path) -> None:
    (folder / NAME).write_bytes(b"")


def renamed(base: Base, folder: Path) -> None:
    """As an LMS names it, beside a stray notebook that must not be taken for it."""
    write(folder, "alice_12345_fx01_exercises-1.ipynb", base.solved)
    write(folder, "Untitled.ipynb", base.release)


def deleted_test(base: Base, folder: Path) -> None:
    nb = copy(base.solved)
    del nb.cells[index_of(nb, "ex1_1_tests")]
    write(folder, NAME, nb)


def edited_test(base: Base, folder: Path) -> None:
    write(folder, NAME, with_cell(unanswered_square(base), "ex1_1_tests", "assert True"))


def duplicated_test(base: Base, folder: Path) -> None:
    nb = copy(base.solved)
    i = index_of(nb, "ex1_1_tests")
    nb.cells.insert(i + 1, copy(nb.cells[i]))
    nb.cells[i + 1]["id"] = "copied-cell"
    write(folder, NAME, nb)


def retyped_test(base: Base, folder: Path) -> None:
    nb = unanswered_square(base)
    i = index_of(nb, "ex1_1_tests")
    cell = nb.cells[i]
    nb.cells[i] = nbformat.v4.new_markdown_cell(cell.source, id=cell.id, metadata=cell.metadata)
    write(folder, NAME, nb)


def julia_kernel(base: Base, folder: Path) -> None:
    nb = copy(base.solved)
    nb.metadata.kernelspec = {"name": "julia-1.9", "display_name": "Julia 1.9", "language": "julia"}
    write(folder, NAME, nb)


def infinite_loop(base: Base, folder: Path) -> None:
    write(folder, NAME, with_cell(base.solved, "ex1_1_solution", "while True:\n    pass"))


BUSY = (
    "import time\n\nstart = time.process_time()\nwhile time.process_time() - start < 2:\n    pass"
)


def slow_notebook(base: Base, folder: Path) -> None:
    """Ten cells computing for 2 CPU seconds each after exercise 1.1: every cell is within its
    limit, the notebook is not (the limits are on CPU time: a loaded machine changes nothing)."""
    nb = copy(base.solved)
    i = index_of(nb, "ex1_1_tests")
    for n in range(10):
        nb.cells.insert(i + 1 + n, code_cell(BUSY, n))
    write(folder, NAME, nb)


def sleepy_notebook(base: Base, folder: Path) -> None:
    """Cells that wait (sleep) use no CPU time: within every limit, the notebook is graded."""
    nb = copy(base.solved)
    i = index_of(nb, "ex1_1_tests")
    for n in range(3):
        nb.cells.insert(i + 1 + n, code_cell("import time\n\ntime.sleep(2)", n))
    write(folder, NAME, nb)


def huge_output(base: Base, folder: Path) -> None:
    """About 50 MB printed, and a 3 MB HTML display, by a correct answer."""
    source = base.solved.cells[index_of(base.solved, "ex1_2_solution")].source
    spam = (
        'import sys\nfor _ in range(50):\n    sys.stdout.write("x" * 1_000_000 + "\\n")\n'
        'display({"text/html": "<p>" + "y" * 3_000_000 + "</p>"}, raw=True)\n'
    )
    write(folder, NAME, with_cell(base.solved, "ex1_2_solution", spam + source))


def warns(base: Base, folder: Path) -> None:
    answer = (
        "import warnings\n\n\ndef square(x):\n"
        '    warnings.warn("squaring may overflow", UserWarning, stacklevel=2)\n'
        "    return x * x"
    )
    write(folder, NAME, with_cell(base.solved, "ex1_1_solution", answer))


def fake_pass(base: Base, folder: Path) -> None:
    nb = with_cell(
        base.solved,
        "ex1_1_solution",
        'def square(x):\n    return 0\n\n\nprint("All tests passed! 3/3 points")',
    )
    i = index_of(nb, "ex1_1_tests")
    nb.cells[i].outputs = [nbformat.v4.new_output("stream", text="All tests passed!\n")]
    nb.cells.insert(i + 1, code_cell('print("All tests passed! Score: 3/3")', 0))
    write(folder, NAME, nb)


def memory_hog(base: Base, folder: Path) -> None:
    """Allocates without bound before defining rms."""
    source = base.solved.cells[index_of(base.solved, "ex1_2_solution")].source
    hog = "hog = []\nwhile True:\n    hog.append(bytearray(50_000_000))\n\n"
    write(folder, NAME, with_cell(base.solved, "ex1_2_solution", hog + source))


def kernel_dies(base: Base, folder: Path) -> None:
    write(folder, NAME, with_cell(base.solved, "ex1_2_solution", "import os\nos._exit(1)"))


@dataclass(frozen=True)
class Case:
    """A submission, the scores it must get per test cell, and what its feedback must say."""

    student: str
    build: Callable[[Base, Path], None]
    scores: dict[str, float]
    feedback: str  # a readable reason, found in the feedback page's text
    why: str
    replaced: bool = False  # graded as the untouched release: reported, exit status 1
    #: an open finding (a defect of the grader) that keeps it from its outcome: its tests are xfail,
    #: and the tests over the whole batch leave it out
    finding: str = ""


CASES = [
    Case("alice", solution, FULL, "(Score: 3.0 / 4.0)", "the reference solution: full marks"),
    Case(
        "bob",
        untouched,
        {"ex1_1_tests": 0, "ex1_2_tests": 0},
        "Replace this line with your solution",
        "the untouched release: nothing",
    ),
    Case(
        "carol",
        passes_only_visible,
        {"ex1_1_tests": 0, "ex1_2_tests": 2},
        "square(-2) should be 4, got -2",
        "fails a hidden test: the feedback says what was expected and what came back",
    ),
    Case(
        "malformed",
        malformed,
        {"ex1_1_tests": 0, "ex1_2_tests": 0},
        "fx01_exercises.ipynb could not be read: not a notebook",
        "nbgrader crashes on it; it is graded as the untouched release, with the reason",
        replaced=True,
    ),
    Case(
        "empty",
        empty,
        {"ex1_1_tests": 0, "ex1_2_tests": 0},
        "could not be read: the file is empty",
        "nbgrader crashes on it; it is graded as the untouched release, with the reason",
        replaced=True,
    ),
    Case(
        "renamed",
        renamed,
        FULL,
        "alice_12345_fx01_exercises-1.ipynb was graded as fx01_exercises.ipynb",
        "nbgrader skips an unknown notebook name and gives 0; we grade it under the expected name",
    ),
    Case(
        "deleted",
        deleted_test,
        FULL,
        "cell ex1_1_tests was deleted; it was put back",
        "the test is restored and run: honest work keeps its points",
    ),
    Case(
        "edited",
        edited_test,
        {"ex1_1_tests": 0, "ex1_2_tests": 2},
        "read-only cell ex1_1_tests was edited; the original was put back",
        "`assert True` is replaced by the real test; the untouched exercise keeps its points",
    ),
    Case(
        "duplicated",
        duplicated_test,
        FULL,
        "cell ex1_1_tests appears more than once; only the first counts",
        "the copy runs ungraded (nbgrader alone fails the whole batch with KeyError)",
    ),
    Case(
        "retyped",
        retyped_test,
        {"ex1_1_tests": 0, "ex1_2_tests": 2},
        "cell ex1_1_tests was changed from code to markdown; the original was put back",
        "a test turned into text is turned back into code and run",
    ),
    Case(
        "julia",
        julia_kernel,
        FULL,
        "(Score: 3.0 / 4.0)",
        "graded with the assignment's kernel (the rebuilt notebook has the release's metadata)",
    ),
    Case(
        "loops",
        infinite_loop,
        {"ex1_1_tests": 0, "ex1_2_tests": 2},
        f"it ran longer than the time limit ({CELL_TIMEOUT:g} s of CPU time) and was stopped",
        "the loop is interrupted at the per-cell limit; the rest of the notebook still runs",
    ),
    Case(
        "slow",
        slow_notebook,
        {"ex1_1_tests": 1, "ex1_2_tests": 0},
        f"not run: the notebook's time limit ({NOTEBOOK_TIMEOUT:g} s of CPU time) was reached",
        "cells after the notebook limit are not run, and a test not run scores 0",
    ),
    Case(
        "sleepy",
        sleepy_notebook,
        FULL,
        "(Score: 3.0 / 4.0)",
        "waiting uses no CPU time: no limit is reached and nothing is lost",
    ),
    Case(
        "verbose",
        huge_output,
        FULL,
        "output truncated by the autograder",
        "50 MB of prints are cut while they arrive; printing costs no points",
    ),
    Case(
        "warns",
        warns,
        FULL,
        "(Score: 3.0 / 4.0)",
        "a warning on stderr in a correct answer costs nothing",
    ),
    Case(
        "faker",
        fake_pass,
        {"ex1_1_tests": 0, "ex1_2_tests": 2},
        "square(3) should be 9, got 0",
        "printing 'All tests passed' (or faking a test's output) earns nothing",
    ),
    Case(
        "hog",
        memory_hog,
        {"ex1_1_tests": 1, "ex1_2_tests": 0},
        "MemoryError",
        "allocation fails at the memory limit: the cell errors, the kernel and the rest go on",
    ),
    Case(
        "crasher",
        kernel_dies,
        {"ex1_1_tests": 1, "ex1_2_tests": 0},
        "the kernel died while running this cell",
        "os._exit kills the kernel: the cells before keep their points, the rest score 0",
    ),
]
BY_STUDENT = {c.student: c for c in CASES}


# ---------------------------------------------------------------------------------------------
# one graded course


@dataclass
class Corpus:
    course: grading.Course
    autograde: object
    feedback: object


def text_of(page: Path) -> str:
    """The visible text of an HTML page."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    root = tmp_path_factory.mktemp("bad-submissions")
    course = grading.Course(root, SUITE.layout)
    source = source_notebooks(SUITE, ASSIGNMENT)[NAME]
    release = notebooks.read(SUITE.layout.exercises / ASSIGNMENT / NAME)
    base = Base(release, notebooks.fill_solutions(release, source))
    for case in CASES:
        folder = root / "submitted" / case.student / ASSIGNMENT
        folder.mkdir(parents=True)
        case.build(base, folder)
    limits = (
        *("--cell-timeout", str(CELL_TIMEOUT), "--notebook-timeout", str(NOTEBOOK_TIMEOUT)),
        *("--memory-limit", str(MEMORY_LIMIT)),
    )
    graded = SUITE.cli("autograde", str(root), "--jobs", "2", *limits)
    feedback = SUITE.cli("feedback", str(root))
    return Corpus(course, graded, feedback)


def scores(course: grading.Course, student: str) -> dict[str, float | None]:
    return {c.grade_id: c.score for c in course.scores(ASSIGNMENT, student) if c.kind == "auto"}


def _listed(out: str, section: str) -> set[str]:
    """The students a section of the command's report lists (``  student/fx01...``)."""
    if section not in out:
        return set()
    lines = out.split(section, 1)[1].split("\n\n", 1)[0].splitlines()
    return {x.strip().split("/")[0] for x in lines if f"/{ASSIGNMENT}" in x}


@pytest.mark.slow
def test_the_batch_finishes_and_reports_every_submission(corpus):
    out = corpus.autograde.stdout
    # exit 1: two submissions were graded as the untouched release, and are listed as such
    assert corpus.autograde.returncode == 1, _ok(corpus.autograde)
    open_findings = {c.student for c in CASES if c.finding}
    assert _listed(out, "not graded (") <= open_findings, _ok(corpus.autograde)
    for case in CASES:
        if case.finding:
            continue
        assert re.search(rf"^{ASSIGNMENT}\s+{case.student}\s+\d", out, re.M), (
            f"no score row for {case.student}\n{out}"
        )
        replaced = _listed(out, "graded as the unanswered release (")
        assert (case.student in replaced) == case.replaced, case.student
    assert corpus.feedback.returncode == 0, _ok(corpus.feedback)


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=c.student,
            marks=[pytest.mark.xfail(strict=True, reason=f"open finding: {c.finding}")]
            if c.finding
            else [],
        )
        for c in CASES
    ],
)
def test_each_submission_gets_its_outcome(corpus, case):
    """The scores in the gradebook, and a feedback page that says why."""
    assert scores(corpus.course, case.student) == case.scores, case.why
    pages = list((corpus.course.root / "feedback" / case.student / ASSIGNMENT).glob("*.html"))
    assert [p.name for p in pages] == [NAME.replace(".ipynb", ".html")], case.student
    assert case.feedback in text_of(pages[0]), f"{case.student}: feedback lacks the reason"
    for folder in ("autograded", "feedback"):
        for path in (corpus.course.root / folder / case.student / ASSIGNMENT).iterdir():
            assert path.stat().st_size < SIZE_LIMIT, f"{path} is {path.stat().st_size} bytes"


def _noted(out: str, student: str) -> list[str]:
    """The notes the command line printed for a student."""
    return [
        x.strip() for x in out.splitlines() if x.strip().startswith(f"{student}/{ASSIGNMENT}: ")
    ]


@pytest.mark.slow
def test_notes_reach_the_instructor(corpus):
    """What the grader noticed is in the command's report too, not only in the feedback."""
    out = corpus.autograde.stdout
    for student in ("malformed", "empty", "renamed", "deleted", "edited", "retyped"):
        if BY_STUDENT[student].finding:
            continue
        lines = _noted(out, student)
        assert any(BY_STUDENT[student].feedback in x for x in lines), f"{student}: {lines}\n{out}"
    assert "renamed/fx01: Untitled.ipynb is not a notebook of fx01; it was not graded" in out
    for student, words in [
        ("loops", "it ran longer than the time limit"),
        ("slow", "the notebook's time limit"),
        ("crasher", "the kernel died while running this cell"),
        ("crasher", "the kernel was restarted and the cells before it were run again"),
    ]:
        assert any(words in x for x in _noted(out, student)), f"{student}: {_noted(out, student)}"
    for student in ("alice", "warns", "sleepy"):
        assert not _noted(out, student), _noted(out, student)


@pytest.mark.slow
def test_truncated_output_is_noted(corpus):
    lines = _noted(corpus.autograde.stdout, "verbose")
    assert any("printed output was cut" in x for x in lines), lines
    assert any("figures and HTML were cut" in x for x in lines), lines


@pytest.mark.slow
def test_the_original_files_are_kept(corpus):
    submitted = corpus.course.root / "submitted"
    assert (
        (submitted / "malformed" / ASSIGNMENT / (NAME + ".unreadable"))
        .read_text()
        .startswith('{"cells"')
    )
    assert (submitted / "empty" / ASSIGNMENT / (NAME + ".unreadable")).read_bytes() == b""
    assert (
        submitted / "renamed" / ASSIGNMENT / "alice_12345_fx01_exercises-1.ipynb.original"
    ).exists()


def _code_lines(source) -> set[str]:
    """Hidden-test lines that are code: a line that is only a string (a message the grader
    writes) may appear in feedback, as the message it makes; code may not."""
    found = set()
    for cell in source.cells:
        for line in hidden_lines(cell.source) if cell.cell_type == "code" else []:
            try:
                tree = ast.parse(line.rstrip(",").strip())
                if (
                    len(tree.body) == 1
                    and isinstance(tree.body[0], ast.Expr)
                    and isinstance(tree.body[0].value, ast.Constant | ast.JoinedStr)
                ):
                    continue
            except SyntaxError:
                pass
            if len(line) >= 8:
                found.add(line)
    return found


@pytest.mark.slow
def test_feedback_shows_failures_but_no_hidden_test(corpus):
    """Every feedback page: no line of hidden-test code, in code, output or traceback."""
    source = source_notebooks(SUITE, ASSIGNMENT)[NAME]
    hidden = _code_lines(source)
    assert len(hidden) >= 4, hidden
    assert all(
        split(c.source)[1].strip()
        for c in source.cells
        if c.cell_type == "code" and "HIDDEN" in c.source
    )
    # the check can fail: nbgrader's graded notebook (what its feedback shows) has them
    graded = (corpus.course.root / "autograded" / "carol" / ASSIGNMENT / NAME).read_text()
    assert any(line in html.unescape(graded).replace('\\"', '"') for line in hidden)
    pages = sorted((corpus.course.root / "feedback").glob(f"*/{ASSIGNMENT}/*.html"))
    assert {p.parent.parent.name for p in pages} >= {c.student for c in CASES if not c.finding}
    for page in pages:
        text = text_of(page)
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{page} shows hidden test lines {leaked}"
        assert "the grader's own checks, not shown" in text
    carol = text_of(corpus.course.root / "feedback" / "carol" / ASSIGNMENT / "fx01_exercises.html")
    assert "AssertionError: square(-2) should be 4, got -2" in carol
    assert "Score: 0.0 / 1.0" in carol and "Score: 2.0 / 2.0" in carol


AGAIN = ["alice", "bob", "malformed", "empty", "renamed", "crasher"]


def _again(corpus: Corpus, *flags: str):
    return SUITE.cli(
        "autograde", str(corpus.course.root), "--jobs", "2", "--student", *AGAIN,
        "--cell-timeout", str(CELL_TIMEOUT), *flags,
    )  # fmt: skip


@pytest.mark.slow
def test_grading_again_gives_the_same_grades(corpus):
    """A second run over the students whose files were taken in, and a few others, with
    --force: graded again, with the same notes and the same grades."""
    result = _again(corpus, "--force")
    if not any(BY_STUDENT[s].finding for s in AGAIN):  # while F17 is open, see its tests
        assert result.returncode == 1, _ok(result)
    for student in (s for s in AGAIN if not BY_STUDENT[s].finding):
        assert scores(corpus.course, student) == BY_STUDENT[student].scores, student
        row = re.search(rf"^{ASSIGNMENT}\s+{student}\s.*$", result.stdout, re.M)
        assert row and not row.group(0).endswith("earlier run"), _ok(result)
    for student in ("malformed", "empty", "renamed"):
        if not BY_STUDENT[student].finding:
            assert BY_STUDENT[student].feedback in result.stdout, student
    replaced = _listed(result.stdout, "graded as the unanswered release (")
    assert replaced == {"malformed", "empty"} - {c.student for c in CASES if c.finding}
    assert not list((corpus.course.root / "submitted" / "renamed" / ASSIGNMENT).glob("*-1.ipynb"))


@pytest.mark.slow
def test_without_force_the_earlier_grades_are_kept(corpus):
    """Without --force nothing is graded again: the rows say so, grades and notes are kept."""
    result = _again(corpus)
    for student in (s for s in AGAIN if not BY_STUDENT[s].finding):
        assert scores(corpus.course, student) == BY_STUDENT[student].scores, student
        row = re.search(rf"^{ASSIGNMENT}\s+{student}\s.*$", result.stdout, re.M)
        assert row and row.group(0).endswith("earlier run"), _ok(result)
    for student in ("malformed", "empty", "renamed"):
        if not BY_STUDENT[student].finding:
            assert BY_STUDENT[student].feedback in result.stdout, student


@pytest.mark.slow
def test_a_resumed_run_still_reports_what_was_replaced(corpus):
    result = _again(corpus)
    assert result.returncode == 1, _ok(result)
    replaced = result.stdout.split("graded as the unanswered release (", 1)[-1]
    assert "malformed/fx01" in replaced and "empty/fx01" in replaced, _ok(result)


@pytest.mark.slow
def test_printing_costs_no_memory_beyond_the_cap():
    """The verbose answer's prints, in a kernel allowed 300 MB: cut, not fatal."""
    from nbformat.v4 import new_code_cell, new_notebook

    from autograder import sandbox
    from autograder.execute import NotebookRun, RunSettings

    spam = (
        'import sys\nfor _ in range(50):\n    sys.stdout.write("x" * 1_000_000 + "\\n")\n'
        'print("printed")'
    )
    nb = new_notebook(cells=[new_code_cell(spam)])
    notes = NotebookRun(nb, RunSettings(kernel=sandbox.Limits(memory_mb=300))).run()
    assert not [n for n in notes if "died" in n], notes
