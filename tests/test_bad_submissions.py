"""A corpus of bad submissions, graded end to end, each with the outcome it must get.

Every case is a submission of the fixture assignment ``fx01`` (one notebook: ``ex1_1_tests``
worth 1 point, ``ex1_2_tests`` worth 2, and a written answer graded by hand), built from the
committed release by a small function. All of them, with ``alice`` (the solution, full marks)
and ``bob`` (the untouched release, 0) alongside, are graded in ONE
``python -m autograder autograde --jobs 2`` run with short limits, then ``feedback``; each
case is then checked against its entry in ``CASES``. The grading of many students at once and
a copied / deleted test cell are also covered by test_grading.py's
``test_broken_submissions_do_not_stop_the_others``; this corpus extends it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from test_grading import SUITES, _ok, source_notebooks

from autograder import grading, notebooks
from autograder.preprocessors import hidden_lines, revealing

SUITE = SUITES["fixture"]
ASSIGNMENT = "fx01"
NAME = "fx01_exercises.ipynb"
CELL_TIMEOUT = 3  # seconds; the infinite loop hits it
NOTEBOOK_TIMEOUT = 30  # seconds; the slow notebook hits it, every other notebook is far below
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


def slow_notebook(base: Base, folder: Path) -> None:
    """Twenty cells of 2 s each after exercise 1.1: every cell is within its limit, the
    notebook is not."""
    nb = copy(base.solved)
    i = index_of(nb, "ex1_1_tests")
    for n in range(20):
        nb.cells.insert(i + 1 + n, code_cell("import time\ntime.sleep(2)", n))
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
        "graded cell ex1_1_tests was deleted; it was put back",
        "the test is restored and run: honest work keeps its points",
    ),
    Case(
        "edited",
        edited_test,
        {"ex1_1_tests": 0, "ex1_2_tests": 2},
        "read-only cell ex1_1_tests was edited; the original was restored",
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
        "cell ex1_1_tests was changed from code to markdown; the original was restored",
        "a test turned into text is turned back into code and run",
    ),
    Case(
        "julia",
        julia_kernel,
        FULL,
        "the notebook's kernel was changed to 'julia-1.9'; it was graded with 'python3'",
        "graded with the assignment's kernel",
    ),
    Case(
        "loops",
        infinite_loop,
        {"ex1_1_tests": 0, "ex1_2_tests": 2},
        f"the cell ran longer than the per-cell time limit ({CELL_TIMEOUT} s)",
        "the loop is interrupted at the per-cell limit; the rest of the notebook still runs",
    ),
    Case(
        "slow",
        slow_notebook,
        {"ex1_1_tests": 1, "ex1_2_tests": 0},
        f"not run: the notebook time limit ({NOTEBOOK_TIMEOUT} s) was reached",
        "cells after the notebook limit are not run, and a test not run scores 0",
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


@pytest.mark.slow
def test_the_batch_finishes_and_reports_every_submission(corpus):
    out = corpus.autograde.stdout
    # exit 1: two submissions were graded as the untouched release, and are listed as such
    assert corpus.autograde.returncode == 1, _ok(corpus.autograde)
    assert "not graded:" not in out, _ok(corpus.autograde)
    for case in CASES:
        assert re.search(rf"^{ASSIGNMENT}\s+{case.student}\s+\d", out, re.M), (
            f"no score row for {case.student}\n{out}"
        )
    replaced = out.split("graded as the unanswered release (", 1)[1]
    for case in CASES:
        assert (f"{case.student}/{ASSIGNMENT}" in replaced) == case.replaced, case.student
    assert corpus.feedback.returncode == 0, _ok(corpus.feedback)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.student for c in CASES])
def test_each_submission_gets_its_outcome(corpus, case):
    """The scores in the gradebook, and a feedback page that says why."""
    assert scores(corpus.course, case.student) == case.scores, case.why
    pages = list((corpus.course.root / "feedback" / case.student / ASSIGNMENT).glob("*.html"))
    assert [p.name for p in pages] == [NAME.replace(".ipynb", ".html")], case.student
    assert case.feedback in text_of(pages[0]), f"{case.student}: feedback lacks the reason"
    for folder in ("autograded", "feedback"):
        for path in (corpus.course.root / folder / case.student / ASSIGNMENT).iterdir():
            assert path.stat().st_size < SIZE_LIMIT, f"{path} is {path.stat().st_size} bytes"


@pytest.mark.slow
def test_notes_reach_the_instructor(corpus):
    """What the grader noticed is in the command's report too, not only in the feedback."""
    out = corpus.autograde.stdout
    for student in ("malformed", "empty", "renamed", "deleted", "edited", "retyped", "julia"):
        line = next((x for x in out.splitlines() if x.strip().startswith(f"{student}/")), "")
        assert BY_STUDENT[student].feedback in line, f"{student}: {line!r}\n{out}"
    assert "renamed/fx01: Untitled.ipynb is not a notebook of fx01; it was not graded" in out
    assert "verbose/fx01: the output of cell ex1_2_solution was truncated" in out
    assert (
        "verbose/fx01: the display output (figures, HTML) of cell ex1_2_solution was truncated"
        in out
    )


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


@pytest.mark.slow
def test_feedback_shows_failures_but_no_hidden_test(corpus):
    """Every feedback page: no line of a hidden test, in code, output or traceback."""
    source = source_notebooks(SUITE, ASSIGNMENT)[NAME]
    hidden = {line for c in source.cells for line in hidden_lines(c.source) if revealing(line)}
    assert len(hidden) >= 4
    # the check can fail: nbgrader's graded notebook (what its feedback shows) has them
    graded = (corpus.course.root / "autograded" / "carol" / ASSIGNMENT / NAME).read_text()
    assert any(line in html.unescape(graded).replace('\\"', '"') for line in hidden)
    pages = sorted((corpus.course.root / "feedback").glob(f"*/{ASSIGNMENT}/*.html"))
    assert len(pages) == len(CASES)
    for page in pages:
        text = text_of(page)
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{page} shows hidden test lines {leaked}"
        assert "hidden tests not shown" in text
    carol = text_of(corpus.course.root / "feedback" / "carol" / ASSIGNMENT / "fx01_exercises.html")
    assert "AssertionError: square(-2) should be 4, got -2" in carol
    assert "Score: 0.0 / 1.0" in carol and "Score: 2.0 / 2.0" in carol


@pytest.mark.slow
def test_grading_again_gives_the_same_grades(corpus):
    """A second run over the students whose files were taken in, and a few others."""
    again = ["alice", "bob", "malformed", "empty", "renamed", "crasher"]
    result = SUITE.cli(
        "autograde", str(corpus.course.root), "--jobs", "2", "--student", *again,
        "--cell-timeout", str(CELL_TIMEOUT),
    )  # fmt: skip
    assert result.returncode == 1, _ok(result)
    for student in again:
        assert scores(corpus.course, student) == BY_STUDENT[student].scores, student
    for student in ("malformed", "empty", "renamed"):
        assert BY_STUDENT[student].feedback in result.stdout, student
    assert not list((corpus.course.root / "submitted" / "renamed" / ASSIGNMENT).glob("*-1.ipynb"))
