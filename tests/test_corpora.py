"""Every exercise statement is a contract, and the hidden tests keep it.

- Every auto-graded test cell has a CONTRACT (clause -> the statement's words), and its
  hidden part checks every clause (``with clause(...)``).
- Right answers (``tests/right_answers/chNN.py``), written the way other students would,
  keep every point; each auto-graded cell has at least two.
- Wrong answers (``tests/wrong_answers/chNN.py``) lose exactly the cells they declare, on a
  clause they declare they break; each cell has at least two, and every clause of its
  contract is broken by at least one.
- Where the visible tests fail, the grader's checks fail too (they check what the visible
  part checks, and more).

All answers are graded once, by :func:`autograder.corpus.run` (many answers per kernel, two
kernels at once), through the same verdict engine as ``python -m autograder autograde``.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

import pytest

from autograder import corpus, notebooks
from autograder.course import Layout
from autograder.execute import cell_kind
from autograder.preprocessors import hidden_code

ROOT = Path(__file__).resolve().parent.parent
SUITES = {
    "book": (Layout(), ROOT / "tests"),
    "fixture": (
        Layout(
            ROOT / "tests" / "fixtures" / "solutions", ROOT / "tests" / "fixtures" / "exercises"
        ),
        ROOT / "tests" / "fixtures",
    ),
}
JOBS = max(2, min(4, os.cpu_count() or 2))
#: At least this many right and wrong answers per auto-graded test cell.
MINIMUM = 2


def _answers() -> list[tuple[str, corpus.Answer]]:
    found = []
    for suite, (layout, folder) in SUITES.items():
        for assignment in layout.assignments():
            found += [(suite, a) for a in corpus.load(assignment, folder)]
    return found


ANSWERS = _answers()
ASSIGNMENTS = [(s, a) for s, (layout, _) in SUITES.items() for a in layout.assignments()]


@pytest.fixture(scope="session")
def outcomes():
    """A function (suite, answer) -> its Outcome; each assignment's answers are graded all
    at once, the first time one of them is asked for (so ``-k ch02`` grades ch02 only)."""
    graded: dict[str, corpus.Outcome] = {}

    def get(suite: str, answer: corpus.Answer) -> corpus.Outcome:
        key = f"{suite}:{answer.id}"
        if key not in graded:
            layout = SUITES[suite][0]
            mine = [a for s, a in ANSWERS if s == suite and a.assignment == answer.assignment]
            start = time.perf_counter()
            for outcome in corpus.run(mine, layout, jobs=JOBS):
                graded[f"{suite}:{outcome.answer.id}"] = outcome
            seconds = time.perf_counter() - start
            print(f"\n{suite}-{answer.assignment}: {len(mine)} answers graded in {seconds:.1f} s")
        return graded[key]

    return get


def _source(suite: str, assignment: str):
    layout = SUITES[suite][0]
    return notebooks.read(layout.notebooks(assignment)[0])


def _exercise(grade_id: str) -> str:
    """``ex4_6`` for ``ex4_6_tests_split`` or ``ex4_6_solution``."""
    return "_".join(grade_id.split("_")[:2])


@pytest.mark.slow
@pytest.mark.parametrize(("suite", "answer"), ANSWERS, ids=[f"{s}:{a.id}" for s, a in ANSWERS])
def test_answer_gets_the_verdicts_it_declares(suite, answer, outcomes):
    outcome = outcomes(suite, answer)
    reached = corpus.reached_tests(SUITES[suite][0], answer.assignment).get(answer.cell, set())
    assert reached, f"{answer.cell} reaches no test cell: is the cell name right?"
    if answer.kind == "right":
        assert not answer.fails, "a right answer fails nothing"
    else:
        assert answer.fails, "a wrong answer names the test cells it fails"
        assert answer.breaks, "a wrong answer names the clauses it breaks"
    problems = outcome.problems(reached)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("suite", "assignment"), ASSIGNMENTS, ids=[f"{s}-{a}" for s, a in ASSIGNMENTS]
)
def test_every_test_cell_has_a_contract_it_checks(suite, assignment):
    source = _source(suite, assignment)
    contracts = corpus.contracts(source)
    used = corpus.clauses_used(source)
    assert contracts, "no auto-graded test cells"
    for cell, contract in contracts.items():
        assert contract, f"{cell}: no CONTRACT in its hidden part (see book/authoring.md)"
        assert all(isinstance(v, str) and v for v in contract.values()), (
            f"{cell}: empty clause text"
        )
        unused = sorted(set(contract) - used[cell])
        assert not unused, f"{cell}: clauses {unused} are in CONTRACT but no check enforces them"


@pytest.mark.parametrize(
    ("suite", "assignment"), ASSIGNMENTS, ids=[f"{s}-{a}" for s, a in ASSIGNMENTS]
)
def test_every_cell_and_clause_has_its_answers(suite, assignment):
    layout, folder = SUITES[suite]
    source = _source(suite, assignment)
    contracts = corpus.contracts(source)
    reach = corpus.reached_tests(layout, assignment)
    answers = corpus.load(assignment, folder)
    right, wrong, broken = Counter(), Counter(), set()
    for answer in answers:
        for cell in reach.get(answer.cell, set()):
            if _exercise(answer.cell) != _exercise(cell):
                continue
            if answer.kind == "right":
                right[cell] += 1
            elif cell in answer.fails:
                wrong[cell] += 1
                broken |= {(cell, key) for key in answer.breaks if key in contracts.get(cell, {})}
        for key in answer.breaks:
            assert any(key in contracts.get(c, {}) for c in answer.fails), (
                f"{answer.id}: breaks {key!r}, which no cell in its fails has in CONTRACT"
            )
    missing = []
    for cell, contract in contracts.items():
        if right[cell] < MINIMUM:
            missing.append(f"{cell}: {right[cell]} right answers (at least {MINIMUM})")
        if wrong[cell] < MINIMUM:
            missing.append(f"{cell}: {wrong[cell]} wrong answers (at least {MINIMUM})")
        missing += [
            f"{cell}: no wrong answer breaks {key!r}"
            for key in contract
            if (cell, key) not in broken
        ]
    print(
        f"\n{suite}-{assignment}: {len(contracts)} test cells, "
        f"{sum(a.kind == 'right' for a in answers)} right and "
        f"{sum(a.kind == 'wrong' for a in answers)} wrong answers, "
        f"{sum(len(c) for c in contracts.values())} clauses"
    )
    assert not missing, "\n".join(missing)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("suite", "assignment"), ASSIGNMENTS, ids=[f"{s}-{a}" for s, a in ASSIGNMENTS]
)
def test_failure_messages_quote_no_hidden_line(suite, assignment, outcomes):
    """What a student reads when a check fails names what was expected and got, never a line
    of the hidden tests (that the release or the student's own answer does not show)."""
    layout = SUITES[suite][0]
    released = "\n".join(
        c.source
        for path in sorted((layout.exercises / assignment).glob("*.ipynb"))
        for c in notebooks.read(path).cells
    )
    hidden = {line for c in _source(suite, assignment).cells for line in hidden_code(c.source)}
    hidden = {line for line in hidden if line not in released}
    leaks = []
    for s, answer in ANSWERS:
        if s != suite or answer.assignment != assignment:
            continue
        outcome = outcomes(s, answer)
        texts = [str(r.get("message") or "") for r in outcome.records.values()]
        shown = [line for line in hidden if line not in answer.source]
        leaks += [f"{answer.id}: {line!r}" for text in texts for line in shown if line in text]
    assert hidden, "no hidden test lines found"
    assert not leaks, "\n".join(sorted(leaks)[:10])


def test_test_cells_are_named_after_their_exercise():
    """Counting answers per test cell relies on ``exN_M_...`` grade ids."""
    for suite, assignment in ASSIGNMENTS:
        for cell in _source(suite, assignment).cells:
            if cell_kind(cell) == "test":
                gid = notebooks.grade_id(cell)
                assert gid.startswith("ex") and gid.count("_") >= 2, f"{assignment}: {gid}"


def test_an_answer_that_is_not_python_is_refused_by_name(tmp_path: Path) -> None:
    """In a shared kernel a cell that does not compile leaves the reference's definitions
    in place, which would then be graded as the answer: such an answer is refused."""
    (tmp_path / "wrong_answers").mkdir()
    (tmp_path / "wrong_answers" / "chXX.py").write_text(
        'WRONG_ANSWERS = [{"name": "typo", "cell": "c", "source": "def f(x):\\n    return (x ** 2.to(x)\\n",'
        ' "fails": ["t"], "breaks": ["k"]}]\n'
    )
    with pytest.raises(ValueError, match="'typo' is not valid Python"):
        corpus.load("chXX", tmp_path)
