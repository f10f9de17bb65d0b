"""Verdicts computed in the grader: the hidden part of a test cell runs here, never in the kernel.

A test cell of a source notebook has a visible part (it runs in the student's kernel, as the
student ran it) and a hidden part between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN
TESTS``. The grader runs the hidden part in its own process, in a fresh namespace holding:

- ``student``: the notebook's kernel, seen as data. ``student.f(x)`` calls the notebook's
  function ``f`` in the kernel on ``x`` and returns what it returned, decoded afresh (plain
  tensors, numbers, containers; see :mod:`autograder.wire`); ``student.last`` has the
  arguments as they were after that call (for "does not change its input" clauses) and
  ``student.run(code, **inputs)`` runs a short driver snippet in the kernel and returns its
  variable ``result``. If the student's code raises, times out, or the name is missing, the
  call raises :class:`StudentError`, a failed check.
- ``source``: the student's code as text (:class:`autograder.audit.Source`), for clauses on
  how a function works (no loops, no forbidden calls).
- ``clause(key, ...)``: a context manager that names the statement clause a group of checks
  enforces; a failure inside it says which clause was broken. The clauses are the cell's
  ``CONTRACT``, a dict from short keys to the statement's words.
- ``torch``, ``math``, ``np``, ``nn``, ``F`` and the checks of :mod:`torchbook.checks`.

References and comparisons never enter the kernel, so nothing a student does there can change
a verdict; the student can only change the values their own code returns.
"""

from __future__ import annotations

import contextlib
import math
import random
import secrets
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from autograder import wire
from autograder.audit import Source

HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


class StudentError(AssertionError):
    """The student's code raised, ran out of time, killed its kernel, or is missing."""


class ClauseFailure(AssertionError):
    """A check failed inside ``clause(...)``: the message ends with the clause's words."""

    def __init__(self, message: str, keys: tuple[str, ...]) -> None:
        super().__init__(message)
        self.keys = keys


class TestAuthorError(Exception):
    """The hidden test itself is broken (not the student's fault)."""


# ---------------------------------------------------------------------------------------------
# the kernel, seen as data


@dataclass
class Answer:
    """What one request to the kernel brought back."""

    ok: bool
    value: Any = None
    error: str = ""


@dataclass
class Call:
    """The last call: what it returned, and its arguments as they were after the call."""

    result: Any = None
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


#: The transport: sends code to the kernel, returns the answer's data or a failure text.
Send = Callable[[str, str], Answer]


class Student:
    """The notebook's kernel, seen from the hidden tests (see the module docstring).

    ``guard`` is called before :attr:`last` is read: the arguments after a call are what the
    kernel reports, which code that reaches into the interpreter could forge, so the guard
    (``source.check_untampered``) fails the check when the student's code does that.
    """

    def __init__(self, send: Send, guard: Callable[[], None] | None = None) -> None:
        self._send = send
        self._guard = guard
        self._last: Call = Call()

    @property
    def last(self) -> Call:
        """The last call's result and its arguments as they were after it."""
        if self._guard is not None:
            self._guard()
        return self._last

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return _Function(self, name)

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call the notebook's ``name`` with the arguments; return what it returned."""
        nonce = secrets.token_hex(8)
        answer = self._send(wire.request(nonce, "call", name, args, kwargs), nonce)
        what = f"{name}({describe_args(args, kwargs)})"
        return self._unpack(answer, what, name)

    def run(self, code: str, label: str = "", **inputs: Any) -> Any:
        """Run a driver snippet in the kernel with ``inputs`` as its variables; return its
        variable ``result``. The snippet sees the notebook's names; it changes none of them.
        ``label`` says in the student's terms what it does ("training your model for 50
        steps"): failures name it (a snippet's own lines are never quoted)."""
        nonce = secrets.token_hex(8)
        answer = self._send(wire.request(nonce, "run", code, (), inputs), nonce)
        return self._unpack(answer, label or "a check the grader ran in your kernel", None)

    def _unpack(self, answer: Answer, what: str, name: str | None) -> Any:
        if not answer.ok:
            raise StudentError(f"{what}: {answer.error}")
        data = answer.value
        if not isinstance(data, dict):
            raise StudentError(f"{what}: the kernel sent no answer")
        if data.get("missing") is not None:
            raise StudentError(
                f"{name} is not defined: run the cell that defines it, and keep its name"
            )
        if not data.get("ok"):
            raise StudentError(f"{what} raised {_student_error(data.get('error'))}")
        try:
            shipped = wire.decode(data.get("value"))
        except wire.WireError as exc:  # every failure to read the kernel's data lands here
            raise StudentError(f"{what}: its result could not be read ({exc})") from None
        if not isinstance(shipped, dict):
            raise StudentError(f"{what}: the kernel sent no answer")
        self._last = Call(
            shipped.get("result"), tuple(shipped.get("args") or ()), shipped.get("kwargs") or {}
        )
        return self._last.result


class _Function:
    def __init__(self, student: Student, name: str) -> None:
        self._student, self._name = student, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._student.call(self._name, *args, **kwargs)


def _student_error(error: Any) -> str:
    if not isinstance(error, dict):
        return "an error"
    text = f"{str(error.get('type', 'Error'))[:100]}: {str(error.get('message', ''))[:2000]}"
    where = (
        [str(w)[:300] for w in error.get("where", [])][-3:]
        if isinstance(error.get("where"), list)
        else []
    )
    if where:
        text += "\n" + "\n".join(f"  at {w}" for w in where)
    return text


def describe(value: Any) -> str:
    """A short description of an argument, for messages."""
    import torch

    if isinstance(value, torch.Tensor):
        dtype = str(value.dtype).removeprefix("torch.")
        where = "" if value.device.type == "cpu" else f" on {value.device}"
        return f"a tensor of shape {tuple(value.shape)}, {dtype}{where}"
    if isinstance(value, tuple | list) and len(value) > 6:
        return f"a {type(value).__name__} of length {len(value)}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe_args(args: tuple, kwargs: dict) -> str:
    parts = [describe(a) for a in args] + [f"{k}={describe(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# clauses


class Clauses:
    """``clause(key, ...)`` for one test cell; remembers which clause failed."""

    def __init__(self, namespace: dict) -> None:
        self.namespace = namespace
        self.used: list[str] = []

    def contract(self) -> dict[str, str]:
        contract = self.namespace.get("CONTRACT")
        if not isinstance(contract, dict):
            raise TestAuthorError("the hidden test uses clause() but defines no CONTRACT dict")
        return contract

    @contextlib.contextmanager
    def __call__(self, *keys: str) -> Iterator[None]:
        contract = self.contract()
        unknown = [k for k in keys if k not in contract]
        if unknown or not keys:
            raise TestAuthorError(f"clause({', '.join(map(repr, keys))}): not in CONTRACT")
        self.used.extend(keys)
        try:
            yield
        except ClauseFailure:
            raise
        except AssertionError as exc:
            words = "; ".join(contract[k] for k in keys)
            raise ClauseFailure(f"{exc}\n(the statement says: {words})", keys) from None


# ---------------------------------------------------------------------------------------------
# running a hidden part


@dataclass
class Verdict:
    """The outcome of a test cell's hidden part."""

    passed: bool
    message: str = ""
    #: the clause keys the failing check enforced (empty: a check outside any clause)
    clauses: tuple[str, ...] = ()
    #: the hidden test itself failed (a bug of the test, not of the student)
    author_error: bool = False


def split(source: str) -> tuple[str, str]:
    """A test cell's source as (visible part, hidden part), without the marker lines."""
    visible, hidden, inside = [], [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        else:
            (hidden if inside else visible).append(line)
    return "\n".join(visible), "\n".join(hidden)


def judge(hidden: str, send: Send, source: Source, label: str = "test") -> Verdict:
    """Run a hidden part in a fresh namespace; a failed check or a student error fails it."""
    import numpy as np
    import torch
    from torch import nn
    from torch.nn import functional as F

    from torchbook import checks

    torch.manual_seed(0)
    random.seed(0)
    np.random.seed(0)
    namespace: dict[str, Any] = {
        "__name__": "__hidden__",
        "torch": torch,
        "math": math,
        "np": np,
        "nn": nn,
        "F": F,
        "student": Student(send, guard=source.check_untampered),
        "source": source,
        "shares_memory": wire.shares_memory,
        "Opaque": wire.Opaque,
        "StudentError": StudentError,
        **{name: getattr(checks, name) for name in checks.__all__},
    }
    clauses = Clauses(namespace)
    namespace["clause"] = clauses
    try:
        code = compile(hidden, f"<hidden tests of {label}>", "exec")
        exec(code, namespace)
    except ClauseFailure as exc:
        return Verdict(False, str(exc), exc.keys)
    except AssertionError as exc:
        return Verdict(False, str(exc) or "a check failed")
    except TestAuthorError as exc:
        return Verdict(False, f"the grader's test is broken: {exc}", author_error=True)
    except Exception as exc:  # the hidden test itself crashed
        lines = traceback.format_exception_only(type(exc), exc)
        where = [
            f"line {f.lineno}: {f.line}"
            for f in traceback.extract_tb(exc.__traceback__)
            if f.filename == f"<hidden tests of {label}>"
        ]
        detail = "".join(lines).strip() + (f" ({where[-1]})" if where else "")
        return Verdict(False, f"the grader's test is broken: {detail}", author_error=True)
    return Verdict(True)
