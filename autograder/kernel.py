"""One grading kernel: started in its sandbox (retried if it dies at start), run code with
limits on CPU time and wall-clock time, interrupted or killed when it overruns.

The grader measures a cell's CPU time on the kernel's whole process tree (threads and child
processes included, read from /proc), so a loaded machine gives the same verdicts as an idle
one. The wall-clock limit is a backstop for code that waits without computing (``sleep``).
A cell over its limit is interrupted (SIGINT to the kernel process: bwrap does not forward
signals); a kernel that ignores the interrupt is killed, with everything it started.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from autograder import sandbox, wire

#: Seconds to wait for a message before looking at the clock and the kernel again.
POLL = 0.1
#: Seconds between readings of the kernel's CPU time (each reads /proc: about 0.3 ms).
CPU_CHECK = 0.25
#: Seconds the outputs may lag behind the reply before the output channel counts as lost.
IOPUB_GRACE = 5.0
#: Seconds an interrupted cell gets to stop before the kernel is killed.
GRACE = 5.0


class KernelStartError(RuntimeError):
    """The kernel did not start, after every attempt."""


@dataclass
class Execution:
    """What running one piece of code produced."""

    outputs: list[NotebookNode] = field(default_factory=list)
    #: "ok", "error" (the code raised), "timeout" (stopped at a limit), "died"
    status: str = "ok"
    ename: str = ""
    evalue: str = ""
    #: why the code was stopped, or how the kernel died, in words
    reason: str = ""
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    #: the kernel is gone (died, or killed at a limit): it must be restarted
    kernel_lost: bool = False
    #: outputs cut at the caps: "text", "display", or "lost" (a message over the size limit)
    cut: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class OutputCaps:
    """How much a cell may print (stdout, stderr) and display (figures, HTML), in bytes."""

    text: int = 100_000
    display: int = 2_000_000


class GradingKernel:
    """A sandboxed IPython kernel for grading one notebook."""

    def __init__(
        self,
        plan: sandbox.KernelPlan,
        *,
        startup_timeout: float = 120.0,
        attempts: int = 3,
        extra_arguments: list[str] | None = None,
        log: logging.Logger | None = None,
        max_message: int = 64 * 2**20,
    ) -> None:
        self.plan = plan
        self.max_message = max_message
        self.startup_timeout = startup_timeout
        self.attempts = attempts
        self.extra_arguments = list(extra_arguments or [])
        self.log = log or logging.getLogger("autograder.kernel")
        self.km: sandbox.SandboxedKernelManager | None = None
        self.kc: Any = None
        self.ipc_dir: Path | None = None
        self.starts = 0

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the kernel; a kernel that dies or hangs at start is retried at once."""
        errors = []
        for _attempt in range(self.attempts):
            try:
                self._start_once()
                self.starts += 1
                return
            except Exception as exc:  # any failure to start: clean up, try again
                errors.append(f"{type(exc).__name__}: {exc}{self._log_tail()}")
                self.log.warning("grading kernel failed to start: %s", errors[-1])
                self.shutdown()
        raise KernelStartError(f"the kernel did not start ({self.attempts} attempts): {errors[-1]}")

    def _start_once(self) -> None:
        uid = sandbox.new_uid() if self.plan.sandboxed else None
        self.ipc_dir = sandbox.make_ipc_dir(uid)
        km = sandbox.SandboxedKernelManager(
            transport="ipc",
            ip=str(self.ipc_dir / "kernel"),
            connection_file=str(self.ipc_dir / "kernel.json"),
        )
        km.plan, km.ipc_dir, km.uid = self.plan, self.ipc_dir, uid or 0
        self.km = km
        cwd = None
        if not self.plan.sandboxed:  # a private working folder with the submission's files
            cwd = self.ipc_dir / "home"
            if self.plan.files is not None:
                shutil.copytree(self.plan.files, cwd, ignore=_notebooks)
            cwd.mkdir(exist_ok=True)
        log = open(self.ipc_dir / "kernel.log", "wb")
        try:
            km.start_kernel(
                extra_arguments=self.extra_arguments, stdout=log, stderr=log, cwd=str(cwd or "/")
            )
        finally:
            log.close()
        self.kc = km.client(context=_bounded_context(self.max_message))
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=self.startup_timeout)
        sandbox.seal_ipc_dir(self.ipc_dir)
        if self.plan.limits.memory_mb and not self.plan.gpu:  # CUDA reserves huge ranges
            extra = self.plan.limits.memory_mb * 2**20
            code = f"__import__({wire.KERNEL_MODULE!r}).limit_memory({extra})"
            done = self.execute(
                code, cpu_limit=30, wall_limit=self.startup_timeout, store_history=False
            )
            if done.status != "ok":
                raise RuntimeError(f"the memory limit could not be set: {done.ename} {done.evalue}")

    def _log_tail(self) -> str:
        try:
            text = (self.ipc_dir / "kernel.log").read_text(errors="replace") if self.ipc_dir else ""
        except OSError:
            return ""
        lines = [x for x in text.strip().splitlines() if x.strip()]
        return f" (kernel said: {lines[-1][:300]})" if lines else ""

    def alive(self) -> bool:
        return self.km is not None and self.km.is_alive()

    def shutdown(self) -> None:
        """Stop the kernel and everything it started; remove its folder."""
        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:
                pass
            self.kc = None
        if self.km is not None:
            try:
                if self.km.has_kernel:
                    self.km.shutdown_kernel(now=True)
            except Exception:
                self._kill_tree()
            self.km = None
        if self.ipc_dir is not None:
            shutil.rmtree(self.ipc_dir, ignore_errors=True)
            self.ipc_dir = None

    def restart(self) -> None:
        self.shutdown()
        self.start()

    # -- processes ----------------------------------------------------------------------------

    def _root_pid(self) -> int | None:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    def cpu_seconds(self) -> float:
        root = self._root_pid()
        return sandbox.cpu_seconds(root) if root else 0.0

    def interrupt(self) -> None:
        """SIGINT to the kernel process itself (a KeyboardInterrupt in the running code)."""
        root = self._root_pid()
        pid = sandbox.kernel_process(root, self.km.connection_file) if root and self.km else None
        if pid is not None:
            try:
                os.kill(pid, signal.SIGINT)
            except OSError:
                pass

    def _kill_tree(self) -> None:
        root = self._root_pid()
        if root is None:
            return
        for pid in reversed(sandbox.descendants(root)):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def kill(self) -> None:
        """Kill the kernel and everything it started (it is then restarted by the caller)."""
        self._kill_tree()
        self.shutdown()

    # -- running code -------------------------------------------------------------------------

    def execute(
        self,
        code: str,
        *,
        cpu_limit: float,
        wall_limit: float,
        store_history: bool = True,
        caps: OutputCaps | None = None,
    ) -> Execution:
        """Run ``code``; collect its outputs (capped); stop it at either limit."""
        caps = caps or OutputCaps()
        result = Execution()
        if self.kc is None or not self.alive():
            result.status, result.kernel_lost = "died", True
            result.reason = "the kernel was not running"
            return result
        collector = _Collector(caps)
        msg_id = self.kc.execute(
            code, store_history=store_history, allow_stdin=False, stop_on_error=False
        )
        start_wall, start_cpu = time.monotonic(), self.cpu_seconds()
        reply: dict | None = None
        reply_at = 0.0
        interrupted_at: float | None = None
        last_alive_check = start_wall
        last_cpu_check, cpu = start_wall, 0.0
        while True:
            now = time.monotonic()
            msg = self._iopub(timeout=POLL)
            if msg is not None and msg.get("parent_header", {}).get("msg_id") == msg_id:
                collector.add(msg)
            if reply is None:
                reply = self._shell_reply(msg_id)
                if reply is not None:
                    reply_at = time.monotonic()
            if reply is not None and collector.idle:
                break
            if reply is not None and time.monotonic() - reply_at > IOPUB_GRACE:
                # the reply came but the outputs stopped: a message over max_message was
                # refused, and the socket with it; connect again, say the output was lost
                collector.lost(self.max_message)
                self._reconnect()
                break
            if now - last_cpu_check >= CPU_CHECK:
                last_cpu_check = now
                cpu = self.cpu_seconds() - start_cpu
            wall = now - start_wall
            if interrupted_at is None and (cpu > cpu_limit or wall > wall_limit):
                what = (
                    f"{cpu_limit:g} s of CPU time"
                    if cpu > cpu_limit
                    else f"{wall_limit:g} s of wall-clock time"
                )
                result.reason = f"it ran longer than the time limit ({what}) and was stopped"
                result.status = "timeout"
                self.interrupt()
                interrupted_at = now
            elif interrupted_at is not None and now - interrupted_at > GRACE:
                result.reason += "; it did not stop when interrupted, so the kernel was restarted"
                result.kernel_lost = True
                self.kill()
                break
            if now - last_alive_check > 1.0:
                last_alive_check = now
                if not self.alive():
                    result.status, result.kernel_lost = "died", True
                    result.reason = (
                        "the kernel died while running this cell (the process exited, "
                        "crashed, or went over a memory or CPU limit)"
                    )
                    self.shutdown()
                    break
        result.outputs = collector.outputs
        result.cut = set(collector.cut)
        result.cpu_seconds = self.cpu_seconds() - start_cpu if self.kc is not None else 0.0
        result.wall_seconds = time.monotonic() - start_wall
        if result.status == "ok" and reply is not None and reply["content"].get("status") != "ok":
            content = reply["content"]
            result.status = "error"
            result.ename = str(content.get("ename", "Error"))
            result.evalue = str(content.get("evalue", ""))
        if result.status == "timeout" and not result.kernel_lost:
            # the interrupt's KeyboardInterrupt is not the student's error: say what happened
            result.outputs = [o for o in result.outputs if o.get("output_type") != "error"]
        return result

    def _reconnect(self) -> None:
        """A new output channel (the old one's socket was disconnected)."""
        try:
            self.kc.iopub_channel.stop()
            self.kc._iopub_channel = None  # jupyter_client makes a new one when next asked
            self.kc.iopub_channel.start()
        except Exception:  # the kernel is gone: the next execution finds out
            return
        # a subscription takes a moment to reach the kernel: wait until a request's status
        # message comes through the new channel
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            msg_id = self.kc.kernel_info()
            until = time.monotonic() + 0.5
            while time.monotonic() < until:
                msg = self._iopub(timeout=0.1)
                if msg is not None and msg.get("parent_header", {}).get("msg_id") == msg_id:
                    self._shell_reply(msg_id)
                    return

    def _iopub(self, timeout: float) -> dict | None:
        try:
            return self.kc.get_iopub_msg(timeout=timeout)
        except Exception:  # queue.Empty, or channels closed by a dying kernel
            return None

    def _shell_reply(self, msg_id: str) -> dict | None:
        while True:
            try:
                msg = self.kc.get_shell_msg(timeout=0)
            except Exception:
                return None
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return msg


def _bounded_context(max_message: int) -> Any:
    """A ZeroMQ context whose sockets refuse messages over ``max_message`` bytes (a larger
    one disconnects the kernel): one huge print must not cost the grader gigabytes of memory
    before the output caps can cut it."""
    import zmq

    context = zmq.Context()
    context.setsockopt(zmq.MAXMSGSIZE, max_message)
    return context


def _notebooks(folder: str, names: list[str]) -> list[str]:
    """shutil.copytree's ignore: notebooks (the graded one is sent cell by cell)."""
    return [n for n in names if n.endswith(".ipynb")]


class _Collector:
    """Outputs of one execution, in notebook form, cut at the caps while they arrive."""

    def __init__(self, caps: OutputCaps) -> None:
        self.caps = caps
        self.outputs: list[NotebookNode] = []
        self.idle = False
        self.text_bytes = 0
        self.display_bytes = 0
        self.cut: set[str] = set()

    def add(self, msg: dict) -> None:
        kind, content = msg["msg_type"], msg.get("content", {})
        if kind == "status":
            self.idle = content.get("execution_state") == "idle"
        elif kind == "stream":
            self._text(str(content.get("name", "stdout")), str(content.get("text", "")))
        elif kind in ("display_data", "execute_result", "update_display_data"):
            data = content.get("data", {}) if isinstance(content.get("data"), dict) else {}
            size = sum(len(v) if isinstance(v, str) else len(str(v)) for v in data.values())
            self.display_bytes += size
            if self.display_bytes > self.caps.display:
                self._notice("display", "display output (figures, HTML)", self.caps.display)
                return
            out = NotebookNode(
                output_type=kind if kind != "update_display_data" else "display_data"
            )
            out.data = NotebookNode(data)
            out.metadata = NotebookNode(
                content.get("metadata", {}) if isinstance(content.get("metadata"), dict) else {}
            )
            if kind == "execute_result":
                out.execution_count = content.get("execution_count")
            self.outputs.append(out)
        elif kind == "error":
            self.outputs.append(
                NotebookNode(
                    output_type="error",
                    ename=str(content.get("ename", "Error")),
                    evalue=str(content.get("evalue", ""))[:10_000],
                    traceback=[str(x)[:10_000] for x in content.get("traceback", [])][:50],
                )
            )
        elif kind == "clear_output":
            self.outputs = [o for o in self.outputs if o.get("output_type") == "error"]

    def lost(self, limit: int) -> None:
        self.cut.add("lost")
        self.outputs.append(
            NotebookNode(
                output_type="stream",
                name="stdout",
                text=f"\n... output lost: a message over {limit} bytes was refused by the grader\n",
            )
        )

    def _text(self, name: str, text: str) -> None:
        room = self.caps.text - self.text_bytes
        self.text_bytes += len(text)
        if room <= 0:
            self._notice("text", "output", self.caps.text)
            return
        if len(text) > room:
            text = text[:room]
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.get("output_type") == "stream" and last.get("name") == name:
            last.text += text
        else:
            self.outputs.append(NotebookNode(output_type="stream", name=name, text=text))
        if self.text_bytes > self.caps.text:
            self._notice("text", "output", self.caps.text)

    def _notice(self, key: str, what: str, cap: int) -> None:
        if key in self.cut:
            return
        self.cut.add(key)
        self.outputs.append(
            NotebookNode(
                output_type="stream",
                name="stdout",
                text=f"\n... {what} truncated by the autograder (over {cap} bytes)\n",
            )
        )
