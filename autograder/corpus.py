"""Tests of the tests: grade many alternative answers quickly, and check each verdict.

A corpus is a list of answers to the exercises of one assignment, each replacing one solution
cell of the reference notebook:

- ``tests/right_answers/<assignment>.py`` (``RIGHT_ANSWERS``): correct answers written the way
  other students would; every test cell they reach must pass.
- ``tests/wrong_answers/<assignment>.py`` (``WRONG_ANSWERS``): plausible wrong answers; the
  test cells in ``fails`` must fail, on a clause listed in ``breaks``, and the others pass.

Each answer is a dict: ``name``, ``cell`` (the solution cell it replaces), ``source``, and
for wrong answers ``fails`` (test cells) and ``breaks`` (clause keys of their CONTRACT).
``alone: True`` grades it in a notebook of its own.

Answers are graded by the same :class:`autograder.execute.NotebookRun` as nbgrader's
autograde step, without nbgrader's bookkeeping, and many in one kernel (see :func:`build`):
the reference runs once, then each answer replaces its cell, the test cells it can reach are
judged, and the reference is put back. An answer whose verdicts disagree with what it
declares is graded again in a notebook of its own, so that state left by another answer
cannot be the cause.
"""

from __future__ import annotations

import ast
import importlib.util
import time
import warnings
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from autograder import notebooks
from autograder.course import REPO_ROOT, Layout
from autograder.execute import SEGMENT, NotebookRun, RunSettings, cell_kind, record
from autograder.verdicts import split

CORPORA = REPO_ROOT / "tests"


@dataclass(frozen=True)
class Answer:
    """One corpus answer (see the module docstring)."""

    assignment: str
    kind: str  # "right" or "wrong"
    name: str
    cell: str
    source: str
    fails: tuple[str, ...] = ()
    breaks: tuple[str, ...] = ()
    alone: bool = False

    @property
    def id(self) -> str:
        return f"{self.assignment}-{self.kind}-{self.name}"


def load(assignment: str, folder: Path = CORPORA) -> list[Answer]:
    """The right and wrong answers of an assignment ([] where a file is missing)."""
    answers = []
    for kind, variable in (("right", "RIGHT_ANSWERS"), ("wrong", "WRONG_ANSWERS")):
        path = folder / f"{kind}_answers" / f"{assignment}.py"
        if not path.exists():
            continue
        spec = importlib.util.spec_from_file_location(f"corpus_{kind}_{assignment}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for entry in getattr(module, variable):
            try:
                ast.parse(entry["source"])
            except SyntaxError as error:
                # in a shared kernel the reference's definitions would stay and be graded
                raise ValueError(
                    f"{path.name}: the answer {entry['name']!r} is not valid Python "
                    f"({error.msg}, line {error.lineno})"
                ) from None
            answers.append(
                Answer(
                    assignment,
                    kind,
                    entry["name"],
                    entry["cell"],
                    entry["source"],
                    tuple(entry.get("fails", ())),
                    tuple(entry.get("breaks", ())),
                    bool(entry.get("alone", False)),
                )
            )
    return answers


# ---------------------------------------------------------------------------------------------
# which test cells an answer can reach


def solution_cells(notebook: Path) -> dict[str, str]:
    """A source notebook's solution cells by grade_id, without the region markers: what a
    wrong answer edits (``edited_answer``)."""
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    out = {}
    for cell in notebooks.read(notebook).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            lines = [line for line in cell.source.split("\n") if line.strip() not in markers]
            out[meta["grade_id"]] = "\n".join(lines)
    return out


def edited_answer(
    correct: dict[str, str],
    name: str,
    cell: str,
    edits: list[tuple[str, str]],
    fails: list[str],
    breaks: list[str],
) -> dict:
    """A wrong answer: the reference ``correct[cell]`` with ``edits``, ``(correct text, wrong
    text)`` pairs that each occur exactly once. The test cells ``fails`` must fail, each on
    one of the clauses ``breaks``; every other test cell must pass."""
    source = correct[cell]
    for old, new in edits:
        if source.count(old) != 1:
            raise ValueError(f"{name}: {old!r} occurs {source.count(old)} times in {cell}")
        source = source.replace(old, new)
    return {"name": name, "cell": cell, "source": source, "fails": fails, "breaks": breaks}


def reference(source: NotebookNode) -> NotebookNode:
    """The source notebook as the reference submission: solutions without their markers."""
    nb = nbformat.from_dict(source)
    for cell in nb.cells:
        if notebooks.is_solution(cell):
            cell.source = notebooks.strip_markers(cell.source)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def _names_used(code: str) -> set[str]:
    """Names a piece of code reads, the attributes it reads from ``student``, and the names
    read by driver snippets it passes as string constants."""
    try:
        with warnings.catch_warnings():  # a string that is no code ("0.inner.0.weight")
            warnings.simplefilter("ignore")
            tree = ast.parse(code)
    except SyntaxError:
        return set()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            used |= _names_used(node.value)  # a driver snippet, or a name: "call" or run()
    return used


def _names_reaching(code: str, names: set[str]) -> set[str]:
    """The names a cell defines whose definitions use any of ``names`` (directly, or through
    another definition of the same cell)."""
    from autograder.audit import _python, _top_level_bindings

    try:
        tree = ast.parse(_python(code))
    except SyntaxError:
        return set()
    bindings = [(name, node) for name, node in _top_level_bindings(tree) if node is not None]
    used = {name: _names_used(ast.unparse(node)) for name, node in bindings}
    found: set[str] = set()
    while True:
        more = {name for name, _ in bindings if name not in found and used[name] & (names | found)}
        if not more:
            return found
        found |= more


def _names_defined(code: str) -> set[str]:
    from autograder.audit import _python, _top_level_bindings

    try:
        tree = ast.parse(_python(code))
    except SyntaxError:
        return set()
    return {name for name, _ in _top_level_bindings(tree)}


def reach(nb: NotebookNode) -> dict[str, set[str]]:
    """For each solution cell, the test cells after it whose verdict can depend on it (they
    use a name it defines, directly or through later solution cells)."""
    return {gid: tests for gid, (tests, _) in _chains(nb).items()}


def _chains(nb: NotebookNode) -> dict[str, tuple[set[str], list[str]]]:
    """For each solution cell: the test cells it reaches, and the other graded or read-only
    cells after it that use what it defines (directly or through each other), in order.
    Cells without nbgrader metadata (a plot, a demonstration) are never part of a chain."""
    cells = [(notebooks.grade_id(c), c) for c in nb.cells if notebooks.grade_id(c)]
    code = [(gid, c) for gid, c in cells if c.cell_type == "code"]
    defined = {gid: _names_defined(c.source) for gid, c in code if cell_kind(c) != "test"}
    uses = {gid: _names_used(c.source) for gid, c in code}
    sources = {gid: c.source for gid, c in code}
    result: dict[str, tuple[set[str], list[str]]] = {}
    for index, (gid, cell) in enumerate(code):
        if not notebooks.is_solution(cell):
            continue
        names, tests, dependents = set(defined[gid]), set(), []
        for other, later in code[index + 1 :]:
            if not uses[other] & names:
                continue
            if cell_kind(later) == "test":
                tests.add(other)
            else:  # a later cell that uses it: it runs again, and what in it uses it counts too
                dependents.append(other)
                names |= _names_reaching(sources[other], names)
        result[gid] = (tests, dependents)
    return result


# ---------------------------------------------------------------------------------------------
# grading answers in batches


@dataclass
class Outcome:
    """What one answer got: per judged test cell, the grader's record."""

    answer: Answer
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    alone: bool = False
    seconds: float = 0.0

    def problems(self, reached: set[str]) -> list[str]:
        """Where the verdicts differ from what the answer declares."""
        found = []
        answer = self.answer
        for test in sorted(set(answer.fails) - reached):
            found.append(f"fails names {test}, which this answer's cell cannot reach")
        for test in sorted(reached):
            rec = self.records.get(test)
            if rec is None:
                found.append(f"{test} was not judged")
                continue
            if rec.get("author_error"):
                found.append(f"{test}: the hidden test is broken: {rec.get('message')}")
                continue
            if rec.get("visible") not in (None, "ok") and rec.get("passed"):
                found.append(
                    f"{test}: the visible tests fail ({rec.get('visible_error')}) but the grader's "
                    "checks pass: the hidden part must check what the visible part checks"
                )
            expected_fail = test in answer.fails
            if expected_fail and rec.get("passed"):
                found.append(f"{test} should fail but passes")
            elif not expected_fail and not rec.get("passed"):
                found.append(f"{test} should pass but fails: {str(rec.get('message'))[:500]}")
            elif (
                expected_fail
                and answer.breaks
                and not set(rec.get("clauses", [])) & set(answer.breaks)
            ):
                found.append(
                    f"{test} fails on clause {rec.get('clauses') or '(none)'}, not on "
                    f"{list(answer.breaks)}: {str(rec.get('message'))[:300]}"
                )
        return found


def build(base: NotebookNode, answers: list[Answer], reached: dict[str, set[str]]) -> NotebookNode:
    """One notebook that grades ``answers`` one after another in a single kernel.

    It runs the reference once (every code cell; test cells with their visible part only,
    not judged), then for each answer a segment: the answer's cell, the graded cells after it
    that use what it defines (see :func:`_chains`; the test cells among them judged, under
    ids ``<test>@<k>``), then the reference's cell and those cells again, so that the next
    answer starts from the reference. Names the answer defined that the reference does not
    are removed.
    """
    cells: list[NotebookNode] = []
    index = {notebooks.grade_id(c): i for i, c in enumerate(base.cells) if notebooks.grade_id(c)}
    for cell in base.cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        copy = nbformat.from_dict(cell)
        if cell_kind(cell) == "test":
            _not_judged(copy)
        cells.append(copy)
    chains = _chains(base)
    for k, answer in enumerate(answers):
        if answer.cell not in index:
            raise KeyError(f"{answer.id}: no solution cell {answer.cell!r}")
        first = index[answer.cell]
        tests, dependents = chains.get(answer.cell, (set(), []))
        mine = nbformat.from_dict(base.cells[first])
        mine.source = answer.source
        segment = [mine]
        for cell in base.cells[first + 1 :]:
            gid = notebooks.grade_id(cell)
            if gid in tests:
                copy = nbformat.from_dict(cell)
                copy.metadata["nbgrader"] = {**copy.metadata["nbgrader"], "grade_id": f"{gid}@{k}"}
                segment.append(copy)
            elif gid in dependents:
                segment.append(nbformat.from_dict(cell))
        extra = sorted(_names_defined(answer.source) - _names_defined(base.cells[first].source))
        cleanup = nbformat.v4.new_code_cell(
            f"for _name in {extra!r}:\n    globals().pop(_name, None)"
        )
        cleanup.metadata["nbgrader"] = {"locked": True, "grade_id": f"cleanup@{k}"}
        restore = [nbformat.from_dict(base.cells[first])]
        restore += [nbformat.from_dict(base.cells[index[d]]) for d in dependents]
        for cell in [*segment, cleanup, *restore]:
            cell.metadata[SEGMENT] = k
            cell.outputs, cell.execution_count = [], None
            cells.append(cell)
    for number, cell in enumerate(cells):
        cell["id"] = f"corpus-{number}"
    return nbformat.v4.new_notebook(cells=cells, metadata=base.metadata)


def _not_judged(cell: NotebookNode) -> None:
    """A test cell as an ordinary read-only cell: its visible part runs, nothing is judged."""
    cell.source = split(cell.source)[0]
    cell.metadata["nbgrader"] = {**cell.metadata["nbgrader"], "grade": False, "locked": True}


def grade_answers(
    base: NotebookNode,
    answers: list[Answer],
    reached: dict[str, set[str]],
    settings: RunSettings | None = None,
) -> list[Outcome]:
    """Grade ``answers`` in one notebook (see :func:`build`); one Outcome each."""
    nb = build(base, answers, reached)
    start = time.perf_counter()
    notes = NotebookRun(nb, settings).run()
    seconds = time.perf_counter() - start
    records = {notebooks.grade_id(c): record(c) for c in nb.cells if record(c) is not None}
    outcomes = []
    for k, answer in enumerate(answers):
        mine = {
            t: records[f"{t}@{k}"] for t in reached.get(answer.cell, set()) if f"{t}@{k}" in records
        }
        outcomes.append(Outcome(answer, mine, notes, alone=len(answers) == 1, seconds=seconds))
    return outcomes


def _grade_job(job: tuple) -> list[Outcome]:
    return grade_answers(*job)


def run(
    answers: list[Answer],
    layout: Layout | None = None,
    jobs: int = 2,
    settings: RunSettings | None = None,
) -> list[Outcome]:
    """Grade every answer, ``jobs`` notebooks at once; an answer whose verdicts disagree with
    what it declares is graded again alone, and that verdict is the one returned."""
    layout = layout or Layout()
    work: list[tuple] = []
    reached_by: dict[str, dict[str, set[str]]] = {}
    bases: dict[str, NotebookNode] = {}
    for assignment in sorted({a.assignment for a in answers}):
        base = reference(_source(layout, assignment))
        bases[assignment] = base
        reached_by[assignment] = reach(base)
        mine = [a for a in answers if a.assignment == assignment]
        shared = [a for a in mine if not a.alone]
        chunks = max(1, min(jobs, len(shared)))
        for part in range(chunks):
            if shared[part::chunks]:
                work.append((base, shared[part::chunks], reached_by[assignment], settings))
        work += [(base, [a], reached_by[assignment], settings) for a in mine if a.alone]
    outcomes = _map(work, jobs)
    again = [
        (bases[o.answer.assignment], [o.answer], reached_by[o.answer.assignment], settings)
        for o in outcomes
        if not o.alone and o.problems(reached_by[o.answer.assignment].get(o.answer.cell, set()))
    ]
    if again:
        redone = {o.answer.id: o for o in _map(again, jobs)}
        outcomes = [redone.get(o.answer.id, o) for o in outcomes]
    order = {a.id: i for i, a in enumerate(answers)}
    return sorted(outcomes, key=lambda o: order[o.answer.id])


def _map(work: list[tuple], jobs: int) -> list[Outcome]:
    if jobs <= 1 or len(work) <= 1:
        return [o for job in work for o in _grade_job(job)]
    # spawn: a clean process (no threads or sockets of the caller's), torch imported once each
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(work)), mp_context=get_context("spawn")
    ) as pool:
        return [o for found in pool.map(_grade_job, work) for o in found]


def _source(layout: Layout, assignment: str) -> NotebookNode:
    paths = layout.notebooks(assignment)
    if len(paths) != 1:
        raise ValueError(f"{assignment}: expected one source notebook, found {len(paths)}")
    return notebooks.read(paths[0])


def reached_tests(layout: Layout, assignment: str) -> dict[str, set[str]]:
    return reach(reference(_source(layout, assignment)))


def contracts(source: NotebookNode) -> dict[str, dict[str, str]]:
    """Each auto-graded test cell's CONTRACT (clause key -> the statement's words); a cell
    without one maps to {}."""
    found = {}
    for cell in source.cells:
        if cell_kind(cell) != "test":
            continue
        contract: dict[str, str] = {}
        try:
            tree = ast.parse(split(cell.source)[1])
        except SyntaxError:
            tree = None
        for node in ast.walk(tree) if tree else []:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "CONTRACT" for t in node.targets
            ):
                try:
                    contract = ast.literal_eval(node.value)
                except ValueError:
                    contract = {}
        found[notebooks.grade_id(cell)] = contract
    return found


def clauses_used(source: NotebookNode) -> dict[str, set[str]]:
    """The clause keys each test cell's hidden part uses in ``clause(...)``."""
    used: dict[str, set[str]] = {}
    for cell in source.cells:
        if cell_kind(cell) != "test":
            continue
        keys: set[str] = set()
        try:
            tree = ast.parse(split(cell.source)[1])
        except SyntaxError:
            tree = None
        for node in ast.walk(tree) if tree else []:
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "clause"
            ):
                keys |= {a.value for a in node.args if isinstance(a, ast.Constant)}
        used[notebooks.grade_id(cell)] = keys
    return used


def summary(outcomes: Iterable[Outcome]) -> list[tuple[str, str, int, float]]:
    """(assignment, kind, answers, seconds of the slowest batch) rows, for reports."""
    rows: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        rows.setdefault((o.answer.assignment, o.answer.kind), []).append(o)
    return [(a, k, len(v), max(o.seconds for o in v)) for (a, k), v in sorted(rows.items())]
