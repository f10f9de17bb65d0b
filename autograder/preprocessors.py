"""nbgrader preprocessors of our own, named in ``autograder/nbgrader_config.py``."""

from __future__ import annotations

import ast
import json
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient.exceptions import DeadKernelError
from nbclient.util import run_sync
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Integer, List, Unicode

from autograder import kernel_guard


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
    - The kernel works in a temporary folder holding the submission's other files (not under
      the course directory), and runs the guard of ``autograder/kernel_guard.py`` before the
      first cell: no network, no other programs, no reading of ``protected_paths``, an
      address-space cap of ``memory_limit_mb``. Around each read-only cell the guard checks
      and restores the references hidden tests rely on; a test cell scores 0 when something
      had been changed since the test before it, or while it ran (see :meth:`_checkpoint`).
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
    guard = Bool(True, help="run the kernel guard (limits and the tripwire)").tag(config=True)
    memory_limit_mb = Integer(
        4096, help="address space a kernel may map beyond its imports, in MiB (0: no cap)"
    ).tag(config=True)
    protected_paths = List(
        Unicode(), help="folders graded code may not read (the course, the solutions)"
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
        self._guarded = False
        self._injecting = False
        self._student_ran = False
        self._pending: list[str] = []
        path = resources.get("metadata", {}).get("path") if resources else None
        with tempfile.TemporaryDirectory(prefix="autograder-kernel-") as workdir:
            if path:  # the submission's other files, outside the course directory
                shutil.copytree(path, workdir, ignore=_notebooks, dirs_exist_ok=True)
                resources["metadata"]["path"] = workdir
            try:
                return super().preprocess(nb, resources, km)
            finally:
                if path:
                    resources["metadata"]["path"] = path

    async def async_execute_cell(
        self,
        cell: NotebookNode,
        cell_index: int,
        execution_count: int | None = None,
        store_history: bool = True,
    ) -> NotebookNode:
        if cell.cell_type != "code" or not cell.source.strip():
            return cell
        if not self.guard:
            return await self._execute_cell(cell, cell_index, execution_count, store_history)
        m = cell.get("metadata", {}).get("nbgrader", {})
        test = bool(m.get("grade")) and not m.get("solution")
        locked = test or bool(m.get("locked"))
        if not self._guarded and self._stopped is None:
            await self._install_guard(cell_index)
        if locked and self._student_ran and self._stopped is None:
            await self._checkpoint("before", cell_index)
        await self._execute_cell(cell, cell_index, execution_count, store_history)
        if not locked:
            self._student_ran = True
            return cell
        self._student_ran = False
        if self._stopped is None:
            await self._checkpoint("after", cell_index, protect=not test)
        if test and self._pending:
            changes = "; ".join(dict.fromkeys(self._pending))
            self._pending = []
            cell.outputs = [
                *cell.get("outputs", []),
                _error(
                    "TamperingError",
                    f"this test scores 0: the grading environment was changed ({changes}); "
                    "it was put back before the next test",
                ),
            ]
            self.log.warning(
                f"{NOTE} {self._label(cell_index)} scores 0, the grading environment was "
                f"changed: {changes}"
            )
        return cell

    async def _execute_cell(
        self,
        cell: NotebookNode,
        cell_index: int,
        execution_count: int | None = None,
        store_history: bool = True,
    ) -> NotebookNode:
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

    async def _run_hidden(self, source: str, cell_index: int) -> NotebookNode:
        """Run code the notebook does not show; the notebook's cells stay as they are."""
        cell = nbformat.v4.new_code_cell(source)
        shown = self.nb.cells[cell_index]
        self._injecting = True
        try:
            await self._execute_cell(cell, cell_index, store_history=False)
        finally:
            self._injecting = False
            self.nb.cells[cell_index] = shown
        return cell

    async def _install_guard(self, cell_index: int) -> None:
        """Send the guard to the kernel before any cell runs (so before student code)."""
        settings = {
            "imports": _imports(self.nb),
            "protected_paths": list(self.protected_paths),
            "memory_bytes": self.memory_limit_mb * 2**20,
        }
        source = Path(kernel_guard.__file__).read_text()
        code = (
            "def _autograder_install():\n"
            "    import sys, types\n"
            "    module = types.ModuleType('_autograder_guard')\n"
            f"    exec(compile({source!r}, 'autograder/kernel_guard.py', 'exec'), vars(module))\n"
            "    sys.modules['_autograder_guard'] = module\n"
            f"    module.guard = module.install({settings!r})\n"
            "_autograder_install()\n"
            "del _autograder_install\n"
        )
        cell = await self._run_hidden(code, cell_index)
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors:
            raise RuntimeError(f"the kernel guard could not be installed: {errors[0].evalue}")
        self._guarded = True

    async def _checkpoint(self, when: str, cell_index: int, protect: bool = False) -> None:
        """Have the guard check and restore the references; keep what it found changed.

        Changes found count against the next test cell (or the test cell just run). A report
        that does not come back (the guard removed, IPython's execution replaced) counts as
        a change too.
        """
        nonce = secrets.token_hex(8)
        code = (
            f"__import__('sys').modules['_autograder_guard'].guard.checkpoint"
            f"({when!r}, {nonce!r}, protect={protect!r})"
        )
        cell = await self._run_hidden(code, cell_index)
        reports = [
            o.data[kernel_guard.MIME]
            for o in cell.outputs
            if o.output_type == "display_data" and kernel_guard.MIME in o.get("data", {})
        ]
        report = reports[0] if reports else {}
        if isinstance(report, str):
            report = json.loads(report)
        if report.get("nonce") == nonce:
            self._pending += report.get("changes", [])
            return
        if self._stopped is not None:
            return
        errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
        why = errors[0] if errors else "no report came back"
        self._pending.append(f"the autograder could not check the kernel ({why})")

    def _label(self, cell_index: int) -> str:
        """A cell's grade_id, or its position in the notebook."""
        cell = self.nb.cells[cell_index]
        return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or str(cell_index)

    def output(
        self, outs: list[NotebookNode], msg: dict, display_id: str | None, cell_index: int
    ) -> NotebookNode | None:
        if msg["msg_type"] == "error" or self._injecting:
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


def _notebooks(folder: str, names: list[str]) -> list[str]:
    """shutil.copytree's ignore: notebooks (the graded one is sent cell by cell)."""
    return [n for n in names if n.endswith(".ipynb")]


def _imports(nb: NotebookNode) -> list[str]:
    """The modules the read-only cells import (the guard imports them before any cell)."""
    found: list[str] = []
    for cell in nb.cells:
        m = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not (m.get("locked") or m.get("grade")):
            continue
        lines = [
            line[: len(line) - len(line.lstrip())] + "pass"
            if line.lstrip().startswith(("%", "!"))
            else line
            for line in cell.source.split("\n")
        ]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.append(node.module)
    return list(dict.fromkeys(found))


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
    return [line.rstrip() for hidden, line in _lines(source) if not hidden and line.strip()]


def note_cell(notes: list[str], cell_id: str | None = None) -> NotebookNode:
    """A markdown cell, without nbgrader metadata, that lists the grader's notes."""
    text = "**Notes from the autograder**\n\n" + "\n".join(f"- {n}" for n in notes)
    return nbformat.v4.new_markdown_cell(text, id=cell_id or f"autograder-notes-{len(notes)}")


# ---------------------------------------------------------------------------------------------
# feedback without hidden tests

HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


def _lines(source: str) -> list[tuple[bool, str]]:
    """Each line of a cell's source but the markers, with whether it is a hidden-test line."""
    lines, inside = [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        else:
            lines.append((inside, line))
    return lines


def hidden_lines(source: str) -> list[str]:
    """The stripped, non-empty lines between the hidden-test markers of a cell's source."""
    return [line.strip() for hidden, line in _lines(source) if hidden and line.strip()]


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
