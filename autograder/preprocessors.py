"""nbgrader preprocessors of our own, named in ``autograder/nbgrader_config.py``."""

from __future__ import annotations

import json
import time
from typing import Any

import nbformat
from nbclient.exceptions import DeadKernelError
from nbclient.util import run_sync
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Integer


class DropEmptyNbgraderMetadata(NbGraderPreprocessor):
    """Remove the empty ``nbgrader`` metadata that DeduplicateIds leaves on a duplicated cell.

    With ``OverwriteCells.add_missing_cells`` on, nbgrader 0.9.6 reads ``grade_id`` from every
    cell that has ``nbgrader`` metadata, so a student who copied a graded cell made the whole
    autograde fail with ``KeyError: 'grade_id'``. Without the empty dict the copy is an
    ordinary cell: it runs, it is not graded, and the original keeps its grade.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if "nbgrader" in cell.metadata and not cell.metadata.nbgrader:
            del cell.metadata["nbgrader"]
        return cell, resources


# ---------------------------------------------------------------------------------------------
# limits while grading: per-cell and per-notebook wall clock, output size, a dying kernel

#: Prefix of the log lines that become notes in the command line's report.
NOTE = "autograder note:"


def _error(ename: str, evalue: str) -> NotebookNode:
    """An error output: nbgrader scores a test cell that has one as 0."""
    return NotebookNode(
        output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


class LimitedExecute(Execute):
    """nbgrader's Execute with a notebook-level time limit, an output cap and kernel-death care.

    - ``Execute.timeout`` stays the per-cell limit; ``notebook_timeout`` bounds the whole run
      (kernel start included): each cell gets what is left, and once it is spent the remaining
      code cells are not run and get an error output (so a test cell scores 0, never full
      marks for having no output).
    - A cell's printed output is cut at ``max_output_bytes``, its rich output (figures, HTML)
      at ``max_display_bytes``, while they arrive, each with one notice.
    - If the kernel dies (``os._exit``, a segfault, the OOM killer), the cell gets an error
      output saying so and the cells after it are not run; nbgrader alone fails the whole
      notebook with ``DeadKernelError`` and records no scores.
    """

    notebook_timeout = Integer(
        0, help="wall-clock limit in seconds for a whole notebook (0: none)"
    ).tag(config=True)
    max_output_bytes = Integer(
        100_000, help="cap on the text a cell prints (stdout, stderr), in bytes (-1: none)"
    ).tag(config=True)
    max_display_bytes = Integer(
        2_000_000, help="cap on a cell's rich outputs (figures, HTML), in bytes (-1: none)"
    ).tag(config=True)

    def preprocess(
        self, nb: NotebookNode, resources: Any = None, km: Any = None
    ) -> tuple[NotebookNode, Any]:
        self._deadline = (
            time.monotonic() + self.notebook_timeout if self.notebook_timeout > 0 else None
        )
        self._stopped: str | None = None
        self._output_bytes: dict[tuple[int, bool], int] = {}
        self._cell_timeout = self.timeout
        return super().preprocess(nb, resources, km)

    async def async_execute_cell(
        self,
        cell: NotebookNode,
        cell_index: int,
        execution_count: int | None = None,
        store_history: bool = True,
    ) -> NotebookNode:
        if cell.cell_type != "code" or not cell.source.strip():
            return cell
        if self._stopped is None and self._deadline is not None:
            if time.monotonic() >= self._deadline:
                self._stopped = f"the notebook time limit ({self.notebook_timeout} s) was reached"
                self.log.warning(f"{NOTE} {self._stopped}; the remaining cells were not run")
        if self._stopped is not None:
            cell.outputs = [_error("NotRun", f"not run: {self._stopped}")]
            return cell
        limit = self._cell_timeout or 0
        what = f"the per-cell time limit ({limit} s)"
        if self._deadline is not None:
            left = max(1, int(self._deadline - time.monotonic() + 0.999))
            if not limit or left < limit:
                limit, what = left, f"the notebook time limit ({self.notebook_timeout} s)"
        self.timeout = limit or None
        self.error_on_timeout = {
            "ename": "CellTimeoutError",
            "evalue": f"the cell ran longer than {what} and was interrupted",
            "traceback": [f"CellTimeoutError: the cell ran longer than {what}"],
        }
        try:
            return await super().async_execute_cell(
                cell, cell_index, execution_count, store_history
            )
        except DeadKernelError:
            label = self._label(cell_index)
            self._stopped = f"the kernel died in an earlier cell ({label})"
            self.log.warning(
                f"{NOTE} the kernel died while running cell {label}; the cells after it "
                "were not run"
            )
            died = "the kernel died while running this cell (the process exited or crashed)"
            cell.outputs = [*cell.get("outputs", []), _error("DeadKernelError", died)]
            return cell
        finally:
            self.timeout = self._cell_timeout

    execute_cell = run_sync(async_execute_cell)

    def _label(self, cell_index: int) -> str:
        """A cell's grade_id, or its position in the notebook."""
        cell = self.nb.cells[cell_index]
        return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or str(cell_index)

    def output(
        self, outs: list[NotebookNode], msg: dict, display_id: str | None, cell_index: int
    ) -> NotebookNode | None:
        if msg["msg_type"] == "error":
            return super().output(outs, msg, display_id, cell_index)
        stream = msg["msg_type"] == "stream"
        cap = self.max_output_bytes if stream else self.max_display_bytes
        if cap < 0:
            return super().output(outs, msg, display_id, cell_index)
        key = (cell_index, stream)
        used = self._output_bytes.get(key, 0)
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(
            len(v) if isinstance(v, str) else len(json.dumps(v))
            for v in content.get("data", {}).values()
        )
        self._output_bytes[key] = used + size
        if used + size <= cap:
            return super().output(outs, msg, display_id, cell_index)
        if used > cap:  # already cut: drop the rest
            return None
        self._output_bytes[key] = cap + 1
        what = "output" if stream else "display output (figures, HTML)"
        notice = f"\n... {what} truncated by the autograder (over {cap} bytes)\n"
        out = NotebookNode(output_type="stream", name=content.get("name", "stdout"))
        out.text = (content.get("text", "")[: max(cap - used, 0)] if stream else "") + notice
        outs.append(out)
        self.log.warning(f"{NOTE} the {what} of cell {self._label(cell_index)} was truncated")
        return out


# ---------------------------------------------------------------------------------------------
# what a student changed, reported in the graded notebook (sanitize step, before nbgrader's)


class ReportChanges(NbGraderPreprocessor):
    """Note what nbgrader is about to undo: a changed kernelspec, deleted, edited, copied or
    retyped graded cells. The notes go into a markdown cell at the top of the graded notebook
    (so the feedback shows them) and into the log (so the command line reports them).

    Runs before DeduplicateIds, OverwriteKernelspec and OverwriteCells; changes nothing else.
    """

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        from nbgrader.api import Gradebook, MissingEntry

        info = resources["nbgrader"]
        notes = []
        with Gradebook(info["db_url"]) as gb:
            source = gb.find_notebook(info["notebook"], info["assignment"])
            kernelspec = json.loads(source.kernelspec) if source.kernelspec else {}
            got = nb.metadata.get("kernelspec", {}).get("name")
            if kernelspec and got != kernelspec.get("name"):
                notes.append(
                    f"the notebook's kernel was changed to {got!r}; it was graded with "
                    f"{kernelspec.get('name')!r}"
                )
            seen: dict[str, int] = {}
            for cell in nb.cells:
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if grade_id is None:
                    continue
                seen[grade_id] = seen.get(grade_id, 0) + 1
                if seen[grade_id] == 2:
                    notes.append(f"cell {grade_id} appears more than once; only the first counts")
                    continue
                if seen[grade_id] > 2:
                    continue
                try:
                    original = gb.find_source_cell(grade_id, info["notebook"], info["assignment"])
                except MissingEntry:
                    notes.append(f"cell {grade_id} is not part of the assignment; it is not graded")
                    continue
                if cell.cell_type != original.cell_type:
                    notes.append(
                        f"cell {grade_id} was changed from {original.cell_type} to "
                        f"{cell.cell_type}; the original was restored"
                    )
                elif original.locked and _visible(cell.source) != _visible(original.source):
                    notes.append(f"read-only cell {grade_id} was edited; the original was restored")
            for graded in source.grade_cells:
                if graded.name not in seen:
                    notes.append(f"graded cell {graded.name} was deleted; it was put back")
        if notes:
            for note in notes:
                self.log.warning(f"{NOTE} {info['notebook']}: {note}")
            nb.cells.insert(0, note_cell(notes))
        return nb, resources


def _visible(source: str) -> list[str]:
    """A cell's lines as released (hidden region dropped), for comparison."""
    lines, inside = [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        elif not inside and line.strip():
            lines.append(line.rstrip())
    return lines


def note_cell(notes: list[str]) -> NotebookNode:
    """A markdown cell, without nbgrader metadata, that lists the grader's notes."""
    text = "**Notes from the autograder**\n\n" + "\n".join(f"- {n}" for n in notes)
    return nbformat.v4.new_markdown_cell(text, id=f"autograder-notes-{len(notes)}")


# ---------------------------------------------------------------------------------------------
# feedback without hidden tests

HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


def hidden_lines(source: str) -> list[str]:
    """The stripped, non-empty lines between the hidden-test markers of a cell's source."""
    lines, inside = [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        elif inside and line.strip():
            lines.append(line.strip())
    return lines


def revealing(line: str) -> bool:
    """Whether a hidden-test line is specific enough that seeing it reveals the test.

    Short or punctuation-only lines (``)``, ``],``, ``else:``) also occur in any message, and
    blanking them out would garble the expected-vs-got text a student needs.
    """
    return len(line) >= 12 and any(ch.isalpha() for ch in line)


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback shows a test cell's visible tests, its score and its failure message only.

    For each autograded test cell: the hidden region is replaced by one comment line; outputs
    are reduced to the error's name and message (no traceback, which quotes the failing line);
    printed output is dropped (code run by a hidden test, the student's included, could print
    the test's source); any revealing hidden line (see :func:`revealing`) inside a message is
    blanked out.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        m = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not m.get("grade") or m.get("solution"):
            return cell, resources
        hidden = hidden_lines(cell.source)
        kept, inside = [], False
        for line in cell.source.split("\n"):
            if HIDDEN_BEGIN in line:
                inside = True
                kept.append(line[: len(line) - len(line.lstrip())] + "# (hidden tests not shown)")
            elif HIDDEN_END in line:
                inside = False
            elif not inside:
                kept.append(line)
        cell.source = "\n".join(kept)
        outputs = []
        for output in cell.get("outputs", []):
            if output.output_type != "error":
                continue
            evalue = output.get("evalue", "")
            for line in hidden:
                if revealing(line):
                    evalue = evalue.replace(line, "[hidden]")
            outputs.append(_error(output.get("ename", "Error"), evalue))
        cell.outputs = outputs
        return cell, resources
