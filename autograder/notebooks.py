"""Notebook helpers that read nbgrader's cell metadata; no grade ids are hard-coded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

#: nbgrader's default region delimiters (ClearSolutions, ClearHiddenTests, ClearMarkScheme).
REGIONS = {
    "BEGIN SOLUTION": "END SOLUTION",
    "BEGIN HIDDEN TESTS": "END HIDDEN TESTS",
    "BEGIN MARK SCHEME": "END MARK SCHEME",
}
MARKERS = (*REGIONS, *REGIONS.values())
#: Anything like a marker, misspelt ones included (nbgrader leaves those regions in place).
MARKER_LIKE = re.compile(r"\b(BEGIN|END)\s+(SOLUTION|HIDDEN|MARK\s*SCHEME)", re.IGNORECASE)


def read(path: Path) -> NotebookNode:
    """Read a notebook as nbformat 4."""
    return nbformat.read(str(path), as_version=4)


def write(nb: NotebookNode, path: Path) -> None:
    """Write a notebook the way nbgrader does (nbformat's JSON, one-space indent)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def meta(cell: NotebookNode) -> dict:
    """The cell's nbgrader metadata ({} for an ordinary cell)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_id(cell: NotebookNode) -> str | None:
    """The cell's nbgrader grade_id, if any."""
    return meta(cell).get("grade_id")


def is_solution(cell: NotebookNode) -> bool:
    """Whether students write this cell."""
    return bool(meta(cell).get("solution"))


@dataclass(frozen=True)
class GradedCell:
    """A cell that carries points: ``auto`` (a code test cell) or ``manual`` (answers, tasks)."""

    grade_id: str
    points: float
    kind: str


def graded_cells(nb: NotebookNode) -> list[GradedCell]:
    """The cells with points, in notebook order.

    nbgrader scores a code grade cell that is not a solution cell by running it; every other
    graded cell (written answers, code answers, tasks) needs a human.
    """
    cells = []
    for cell in nb.cells:
        m = meta(cell)
        if not (m.get("grade") or m.get("task")):
            continue
        auto = m.get("grade") and cell.cell_type == "code" and not m.get("solution")
        cells.append(
            GradedCell(m["grade_id"], float(m.get("points", 0)), "auto" if auto else "manual")
        )
    return cells


def strip_markers(source: str) -> str:
    """The source without its region marker lines: a solution as a student would type it."""
    return "\n".join(line for line in source.split("\n") if not any(m in line for m in MARKERS))


def fill_solutions(release: NotebookNode, source: NotebookNode) -> NotebookNode:
    """A copy of the release with every solution cell's source taken from the source notebook."""
    answers = {grade_id(c): strip_markers(c.source) for c in source.cells if is_solution(c)}
    filled = nbformat.from_dict(release)
    for cell in filled.cells:
        if is_solution(cell) and grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return filled


def replace_cell(nb: NotebookNode, cell_id: str, source: str) -> NotebookNode:
    """A copy of ``nb`` with the source of the cell whose grade_id is ``cell_id`` replaced."""
    changed = nbformat.from_dict(nb)
    matches = [c for c in changed.cells if grade_id(c) == cell_id]
    if len(matches) != 1:
        raise KeyError(f"expected one cell with grade_id {cell_id!r}, found {len(matches)}")
    matches[0].source = source
    return changed


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip()}


def secret_lines(source: NotebookNode, stubs: list[str]) -> set[str]:
    """Lines that only the instructors may see: solutions, hidden tests, mark schemes.

    That is every line inside a region, and every line of a solution cell without a region
    (nbgrader replaces such a cell whole), minus any line that students see anyway (it occurs
    outside every region, or in a stub).
    """
    secret: set[str] = set()
    public: set[str] = set().union(*(_lines(s) for s in stubs))
    for cell in source.cells:
        lines = cell.source.split("\n")
        whole = is_solution(cell) and not any("BEGIN SOLUTION" in line for line in lines)
        end = None
        for line in lines:
            begin = next((b for b in REGIONS if b in line), None)
            if end is None and begin:
                end = REGIONS[begin]
            elif end is not None and end in line:
                end = None
            elif line.strip():
                (secret if end is not None or whole else public).add(line.strip())
    return secret - public


def _texts(cell: NotebookNode) -> list[tuple[str, str]]:
    """(where, text) for the cell's source and every text in its outputs."""
    texts = [("source", cell.source)]
    for output in cell.get("outputs", []):
        if "text" in output:
            texts.append(("output", output.text))
        for value in output.get("data", {}).values():
            if isinstance(value, str):
                texts.append(("output", value))
        texts.extend(("output", line) for line in output.get("traceback", []))
    return texts


def find_leaks(release: NotebookNode, source: NotebookNode, stubs: list[str]) -> list[str]:
    """What the release must not contain: markers, secret lines, outputs. Empty when clean."""
    secret = secret_lines(source, stubs)
    problems = []
    for index, cell in enumerate(release.cells):
        where = f"cell {index} ({grade_id(cell) or cell.cell_type})"
        if cell.get("outputs") or cell.get("execution_count") is not None:
            problems.append(f"{where}: outputs are not cleared")
        for kind, text in _texts(cell):
            for match in MARKER_LIKE.finditer(text):
                problems.append(f"{where}: {kind} contains the marker {match.group(0)!r}")
            for line in sorted(_lines(text) & secret):
                problems.append(f"{where}: {kind} contains hidden line {line!r}")
    return problems


def solution_namespace(source_path: Path, upto: str | None = None) -> dict:
    """Run a source notebook's non-test code cells (setup and solutions) and return the globals.

    For scripts and slow tests that exercise the reference solution directly, for example to
    show that a training threshold holds on several seeds. Test cells are skipped; IPython
    syntax (``%pip``) is translated as the kernel would. ``upto`` stops after the cell with
    that grade_id.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    to_python = TransformerManager().transform_cell
    namespace: dict = {"__name__": "__solution__"}
    for cell in read(source_path).cells:
        if cell.cell_type != "code" or meta(cell).get("grade"):
            continue
        code = to_python(strip_markers(cell.source))
        exec(compile(code, f"{source_path.name}:{grade_id(cell) or 'cell'}", "exec"), namespace)
        if upto is not None and grade_id(cell) == upto:
            break
    return namespace
