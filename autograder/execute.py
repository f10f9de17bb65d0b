"""Run one notebook for grading: its cells in a sandboxed kernel, its verdicts in the grader.

:class:`NotebookRun` runs every code cell in order, as the student did. At a test cell it runs
the visible part in the kernel, then judges the hidden part in the grader
(:func:`autograder.verdicts.judge`), whose calls into the notebook go through the same
kernel. The test cell's outputs become the verdict alone: nothing the kernel printed or
raised there decides a score.

Limits are on CPU time (a loaded machine gives the same grades), with wall-clock backstops:
a cell over its limit is stopped and loses its points, and so do the cells that need what it
would have defined, but no other. A kernel that dies, or ignores the interrupt and is
killed, is restarted and the cells that ran before are run again (silently), so the rest of
the notebook is still graded.

Used by nbgrader's autograde step (:class:`autograder.preprocessors.SandboxedExecute`) and by
the suite's corpus runs, which grade many answers without nbgrader's bookkeeping.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from autograder import sandbox, wire
from autograder.audit import Source
from autograder.kernel import Execution, GradingKernel, KernelStartError, OutputCaps
from autograder.verdicts import Answer, Verdict, judge, split

#: Metadata key of the grader's record in each test cell of a graded notebook.
RECORD = "autograder"
#: Metadata key that the corpus runner puts on the cells of one answer (see
#: autograder/corpus.py): a test cell's reading of the code sees that answer's cells only.
SEGMENT = "autograder_segment"
#: Kernel flags: no history database (parallel kernels would contend), no log chatter.
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]


@dataclass(frozen=True)
class RunLimits:
    """Time and output limits of one notebook run."""

    cell_cpu: float = 60.0  # CPU seconds a cell may use (a test cell: with its hidden calls)
    cell_wall: float = 300.0  # a backstop for code that waits without computing
    notebook_cpu: float = 600.0
    notebook_wall: float = 1800.0
    caps: OutputCaps = field(default_factory=OutputCaps)
    answer_bytes: int = 32 * 2**20  # what one call into the notebook may send back


@dataclass
class RunSettings:
    """Everything a run needs besides the notebook."""

    limits: RunLimits = field(default_factory=RunLimits)
    kernel: sandbox.Limits = field(default_factory=sandbox.Limits)
    sandbox: bool = True  # False: unsandboxed on purpose (tests of the sandbox itself)
    protected: tuple[str, ...] = ()  # folders a kernel must not see
    startup_timeout: float = 120.0


def cell_kind(cell: NotebookNode) -> str:
    """ "test" (graded code, not written by the student), "locked" (read-only code), "student"
    (code the student writes or adds), or "" (not run)."""
    if cell.cell_type != "code" or not cell.source.strip():
        return ""
    m = cell.get("metadata", {}).get("nbgrader", {})
    if m.get("grade") and not m.get("solution"):
        return "test"
    if m.get("locked") and not m.get("solution"):
        return "locked"
    return "student"


def label(cell: NotebookNode, index: int) -> str:
    """How feedback names a cell."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f"cell {grade_id}" if grade_id else f"cell {index + 1} of the notebook"


def error_output(ename: str, evalue: str) -> NotebookNode:
    """An error output: nbgrader scores a test cell that has one as 0."""
    return NotebookNode(
        output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


class NotebookRun:
    """Grade one notebook in place: outputs, and a record in each test cell's metadata."""

    def __init__(
        self,
        nb: NotebookNode,
        settings: RunSettings | None = None,
        *,
        files: Path | None = None,
        log: logging.Logger | None = None,
    ) -> None:
        self.nb = nb
        self.settings = settings or RunSettings()
        self.limits = self.settings.limits
        self.files = files
        self.log = log or logging.getLogger("autograder.execute")
        self.notes: list[str] = []
        self.kernel: GradingKernel | None = None
        self.sandboxed = False
        self._replay: list[str] = []
        self._stopped: str | None = None
        self._lost = False
        self._cell_cpu = 0.0
        self._notebook_cpu = 0.0
        self._start = 0.0

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> list[str]:
        """Run and judge every cell; return the notes (what the grader noticed and did)."""
        self._start = time.monotonic()
        kinds = [cell_kind(c) for c in self.nb.cells]
        findings = self._source(len(self.nb.cells), kinds).tampering()
        if findings:
            self.notes.append(
                "the student's code changes how Python or PyTorch runs (clauses about how "
                "functions work fail): " + "; ".join(str(f) for f in findings[:3])
            )
        try:
            if any(kinds):
                self._start_kernel()
            for index, (cell, kind) in enumerate(zip(self.nb.cells, kinds, strict=True)):
                if kind:
                    self._run_cell(index, cell, kind, lambda i=index: self._source(i, kinds))
        finally:
            if self.kernel is not None:
                self.kernel.shutdown()
        return self.notes

    def _source(self, before: int, kinds: list[str]) -> Source:
        """The student's code as it stands when cell ``before`` runs: the student's cells
        above it (of the same corpus segment, when the corpus runner made segments)."""
        cells = self.nb.cells
        segment = cells[before].get("metadata", {}).get(SEGMENT) if before < len(cells) else None
        chosen = [
            i
            for i in range(before)
            if kinds[i] == "student"
            and cells[i].get("metadata", {}).get(SEGMENT) in (None, segment)
        ]
        return Source(
            [(label(cells[i], i), cells[i].source) for i in chosen],
            [cells[i].source for i in range(before) if kinds[i] == "locked"],
        )

    def _start_kernel(self) -> None:
        reason = sandbox.unavailable_reason() if self.settings.sandbox else "turned off"
        self.sandboxed = reason is None
        if not self.sandboxed and self.settings.sandbox:
            self.notes.append(f"graded WITHOUT a sandbox: {reason}")
        plan = sandbox.KernelPlan(
            self.settings.kernel,
            sandboxed=self.sandboxed,
            files=self.files,
            protected=tuple(sandbox.exposed([Path(p) for p in self.settings.protected])),
            gpu=_gpu(),
            mpl_cache=sandbox.matplotlib_cache(),
            output_bytes=2 * self.limits.caps.text + 1000,
        )
        self.kernel = GradingKernel(
            plan,
            startup_timeout=self.settings.startup_timeout,
            extra_arguments=KERNEL_ARGUMENTS,
            log=self.log,
        )
        try:
            self.kernel.start()
        except KernelStartError as exc:
            self._stop(str(exc))

    def _stop(self, reason: str) -> None:
        if self._stopped is None:
            self._stopped = reason
            self.notes.append(f"{reason}; the cells after it were not run")

    def _budget_left(self) -> bool:
        if self._stopped is not None:
            return False
        if self._notebook_cpu > self.limits.notebook_cpu:
            self._stop(
                f"the notebook's time limit ({self.limits.notebook_cpu:g} s of CPU time) was reached"
            )
        elif time.monotonic() - self._start > self.limits.notebook_wall:
            self._stop(f"the notebook's time limit ({self.limits.notebook_wall:g} s) was reached")
        return self._stopped is None

    def _limits(self) -> tuple[float, float]:
        """(CPU, wall) seconds left for the current cell."""
        cpu = min(
            self.limits.cell_cpu - self._cell_cpu, self.limits.notebook_cpu - self._notebook_cpu
        )
        wall_left = self.limits.notebook_wall - (time.monotonic() - self._start)
        return max(cpu, 0.5), max(min(self.limits.cell_wall, wall_left), 1.0)

    def _execute(
        self, code: str, *, store_history: bool = True, caps: OutputCaps | None = None
    ) -> Execution:
        assert self.kernel is not None
        cpu, wall = self._limits()
        done = self.kernel.execute(
            code,
            cpu_limit=cpu,
            wall_limit=wall,
            store_history=store_history,
            caps=caps or self.limits.caps,
        )
        self._cell_cpu += done.cpu_seconds
        self._notebook_cpu += done.cpu_seconds
        if done.kernel_lost:
            self._lost = True
        return done

    def _run_cell(self, index: int, cell: NotebookNode, kind: str, source: Any) -> None:
        self._cell_cpu = 0.0
        name = label(cell, index)
        if not self._budget_left():
            cell.outputs = [error_output("NotRun", f"not run: {self._stopped}")]
            if kind == "test":
                self._record(cell, Verdict(False, f"not run: {self._stopped}"), None)
            return
        if kind == "test":
            visible, hidden = split(cell.source)
            shown = self._execute(visible) if visible.strip() else None
            if shown is not None:
                self._after(name, shown, visible)
            if hidden.strip():
                verdict = judge(hidden, self._send, source(), name.removeprefix("cell "))
            else:
                verdict = Verdict(
                    False, "this test cell has no grader-side checks", author_error=True
                )
            if verdict.author_error:
                self.notes.append(f"{name}: {verdict.message}")
            cell.outputs = [] if verdict.passed else [self._failure(verdict)]
            self._record(cell, verdict, shown)
        else:
            done = self._execute(cell.source)
            cell.outputs = done.outputs
            if done.status in ("timeout", "died"):
                cell.outputs.append(error_output(_ename(done), done.reason))
            self._after(name, done, cell.source)
        if self._lost:
            self._recover(name)

    def _after(self, name: str, done: Execution, code: str) -> None:
        caps = self.limits.caps
        for cut, what in (
            ("text", f"its printed output was cut at {caps.text} bytes"),
            ("display", f"its figures and HTML were cut at {caps.display} bytes"),
            ("lost", "an output over the grader's message size limit was lost"),
        ):
            if cut in done.cut:
                self.notes.append(f"{name}: {what}")
        if done.status in ("timeout", "died"):
            self.notes.append(f"{name}: {done.reason}")
        else:
            self._replay.append(code)

    def _recover(self, name: str) -> None:
        """After the kernel was lost: a new kernel, the cells before run again, silently."""
        self._lost = False
        assert self.kernel is not None
        try:
            self.kernel.restart()
        except KernelStartError as exc:
            self._stop(str(exc))
            return
        for code in self._replay:
            self._cell_cpu = 0.0
            done = self._execute(code, caps=OutputCaps(text=0, display=0))
            if done.status in ("timeout", "died"):
                self._stop(
                    f"the kernel was restarted after {name}, and running the cells before it again failed ({done.reason})"
                )
                return
        self.notes.append(
            f"{name}: the kernel was restarted and the cells before it were run again"
        )

    def _send(self, code: str, nonce: str) -> Answer:
        """The hidden test's transport into the kernel (see verdicts.Student)."""
        if self._lost or self.kernel is None or self._stopped is not None:
            return Answer(False, error="not run: the kernel had stopped earlier in this cell")
        caps = OutputCaps(text=self.limits.caps.text, display=self.limits.answer_bytes)
        done = self._execute(code, store_history=False, caps=caps)
        if done.status == "timeout":
            return Answer(False, error=f"{done.reason} (the limit is for the whole test cell)")
        if done.status == "died":
            return Answer(False, error=done.reason)
        for output in done.outputs:
            data = (
                output.get("data", {}).get(wire.MIME)
                if output.get("output_type") == "display_data"
                else None
            )
            if isinstance(data, dict) and data.get("nonce") == nonce:
                return Answer(True, value=data)
        if done.status == "error":
            return Answer(
                False, error=f"the call failed in the kernel: {done.ename}: {done.evalue}"
            )
        return Answer(False, error="the kernel sent no answer (is the notebook's state intact?)")

    def _failure(self, verdict: Verdict) -> NotebookNode:
        if verdict.author_error:
            return error_output(
                "GraderError",
                "the grader could not check this cell; this is not your fault, and your "
                "instructor has been told",
            )
        return error_output("AssertionError", verdict.message)

    def _record(self, cell: NotebookNode, verdict: Verdict, shown: Execution | None) -> None:
        cell.setdefault("metadata", NotebookNode())[RECORD] = {
            "passed": verdict.passed,
            "message": verdict.message,
            "clauses": list(verdict.clauses),
            "author_error": verdict.author_error,
            "visible": None if shown is None else shown.status,
            "visible_error": None if shown is None or shown.status == "ok" else f"{shown.ename}: {shown.evalue}".strip(": "),
            "sandboxed": self.sandboxed,
        }  # fmt: skip


def _ename(done: Execution) -> str:
    return "CellTimeoutError" if done.status == "timeout" else "DeadKernelError"


def _gpu() -> bool:
    """Whether kernels may use CUDA here (the devices are then shown to the sandbox)."""
    if not any(Path(d).exists() for d in ("/dev/nvidiactl", "/dev/nvidia0")):
        return False
    try:
        import torch

        return torch.cuda.is_available()
    except Exception:
        return False


def record(cell: NotebookNode) -> dict[str, Any] | None:
    """The grader's record of a graded test cell, if any."""
    return cell.get("metadata", {}).get(RECORD)
