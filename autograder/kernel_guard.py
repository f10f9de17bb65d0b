"""The grading kernel's guard: limits, and a tripwire on what hidden tests rely on.

This file is not imported by the command line: ``LimitedExecute`` sends its source to each
grading kernel, which runs it before the first cell of the notebook (so before any student
code). :func:`install` then

- imports the modules the notebook's read-only cells import, and records every attribute of
  the modules and classes hidden tests rely on (comparison functions, check helpers,
  ``builtins``, tensor methods, IPython's cell execution and error display): the references,
  bound before student code runs;
- installs an audit hook (PEP 578, which cannot be removed) that refuses network access,
  starting programs, raising resource limits, and reading the course's files (solutions,
  gradebook, other students' work);
- caps the kernel's address space (CPU grading only: CUDA reserves huge address ranges).

Around every read-only cell the grader calls :meth:`Guard.checkpoint`: it compares everything
recorded with what is there now, puts the originals back, and reports what had been changed,
so the grader can score the test cells those changes touched as 0. The report is a display
output of type :data:`MIME` carrying a nonce that the grader sent with the call.

It is a tripwire, not a sandbox: code written to find and defeat this guard from inside the
same process (``ctypes``, ``gc``) is out of its reach; see the threat model in the
instructors' guide.
"""

from __future__ import annotations

import builtins
import importlib
import os
import re
import sys
import types
from typing import Any

MIME = "application/x.autograder-guard+json"
_MISSING = object()

#: Modules whose attributes are recorded (those loaded when the guard is installed or when
#: a read-only cell has run): comparison and check helpers that hidden tests call.
WATCHED_MODULES = (
    "builtins", "math", "cmath", "operator", "functools", "itertools", "inspect", "copy",
    "warnings", "numpy", "numpy.testing", "numpy.testing._private.utils", "numpy._core",
    "numpy._core.numeric", "numpy._core.fromnumeric", "numpy.linalg", "torch", "torch.testing",
    "torch.testing._comparison", "torch.functional", "torch._tensor", "torch.nn",
    "torch.nn.functional", "torch.nn.init", "torch.nn.modules.module", "torch.autograd",
    "torch.autograd.gradcheck", "torch.autograd.functional", "torch.func", "torch.linalg",
    "torch.optim", "torch.optim.optimizer", "torch.utils.data",
)  # fmt: skip
#: Module prefixes watched in full (every loaded submodule).
WATCHED_PREFIXES = ("torchbook",)
#: Attributes that change legitimately while a kernel runs: ipykernel swaps ``input`` for
#: its own on every execution request; importing ``torch._dynamo`` wraps ``torch.manual_seed``
#: (the wrapper's ``__wrapped__`` is the original).
_VOLATILE = frozenset({("builtins", "input")})
_WRAPPED = frozenset({("torch", "manual_seed")})
#: Attributes Python adds to a class as a cache (copyreg, when a tensor is copied or pickled).
_CACHES = frozenset({"__slotnames__"})
#: torch.compile (torch._dynamo) patches ``nn.Module.__init__``, ``__setstate__`` and
#: ``__setattr__`` with functions of its own and marks the class with ``___needs_...``
#: attributes: on classes, a function defined in torch/_dynamo replaces a method legitimately.
_DYNAMO_MARK = "___needs_"
#: Names IPython rebinds in the user's namespace after every cell.
_IPYTHON_NAMES = re.compile(r"^(_+|_i+|_\d+|_i\d+|_[iod]h|In|Out|exit|quit|get_ipython)$")
#: IPython shell methods that run a cell or display its error.
_SHELL_METHODS = (
    "run_cell", "run_cell_async", "_run_cell", "run_ast_nodes", "run_code", "showtraceback",
    "_showtraceback", "showsyntaxerror", "transform_cell", "transform_ast", "should_run_async",
)  # fmt: skip


def _classes() -> list[type]:
    """Classes whose methods decide comparisons: tensors, modules, parameters, optimizers."""
    found: list[type] = []
    torch = sys.modules.get("torch")
    if torch is not None:
        found += [torch.Tensor, torch._C.TensorBase, torch.nn.Module, torch.nn.Parameter]
        found += [torch.optim.Optimizer]
    shell = _shell()
    if shell is not None:
        found += [
            c for c in type(shell).__mro__ if c.__module__.startswith(("IPython", "ipykernel"))
        ]
        kernel = getattr(shell, "kernel", None)
        if kernel is not None:
            found += [c for c in type(kernel).__mro__ if c.__module__.startswith("ipykernel")]
            found.append(type(kernel.session))
    return found


def _shell() -> Any:
    ip = getattr(builtins, "get_ipython", None)
    return ip() if callable(ip) else None


def _function_parts(value: Any) -> tuple | None:
    """A Python function's code and defaults: replacing them changes the function in place."""
    if isinstance(value, types.FunctionType):
        return (value.__code__, value.__defaults__, value.__kwdefaults__)
    return None


class Guard:
    """Records references before student code runs; checks and restores them on request."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.attrs: dict[str, tuple[Any, dict[str, Any], bool]] = {}
        self.parts: dict[tuple[str, str], tuple] = {}
        self.lists: dict[str, tuple[list, tuple]] = {}
        self.protected: dict[str, Any] = {}
        self.mark: dict[str, Any] = {}
        self.modules: dict[str, Any] = {}
        self.shell_methods: dict[str, Any] = {}
        self.memory = "no address-space cap"
        self.record()

    # -- recording ----------------------------------------------------------------------------

    def record(self) -> None:
        """Record what is not recorded yet (modules loaded since, IPython's hooks)."""
        names = [n for n in WATCHED_MODULES if n in sys.modules]
        names += [n for n in list(sys.modules) if n.startswith(WATCHED_PREFIXES)]
        for name in names:
            module = sys.modules[name]
            if isinstance(module, types.ModuleType) and name not in self.attrs:
                self._record_attrs(name, module, strict=False)
                self.modules[name] = module
        for cls in _classes():
            label = f"{cls.__module__}.{cls.__qualname__}"
            if label not in self.attrs:
                self._record_attrs(label, cls, strict=True)
        shell = _shell()
        if shell is not None and "shell.ast_transformers" not in self.lists:
            self.shell_methods = {n: vars(shell).get(n, _MISSING) for n in _SHELL_METHODS}
            self._record_list("shell.ast_transformers", shell.ast_transformers)
            self._record_list("shell.input_transformers_post", shell.input_transformers_post)
            self._record_list(
                "shell.input_transformers_cleanup",
                shell.input_transformer_manager.cleanup_transforms,
            )
            self._record_list("sys.meta_path", sys.meta_path)

    def _record_attrs(self, label: str, owner: Any, strict: bool) -> None:
        """``strict``: attributes added later count as changes too (a class's methods)."""
        values = {k: v for k, v in vars(owner).items() if (label, k) not in _VOLATILE}
        self.attrs[label] = (owner, values, strict)
        for key, value in values.items():
            parts = _function_parts(value)
            if parts is not None:
                self.parts[(label, key)] = parts

    def _record_list(self, label: str, items: list) -> None:
        self.lists[label] = (items, tuple(items))

    # -- checking -----------------------------------------------------------------------------

    def check(self) -> list[str]:
        """What differs from the record; each difference is undone."""
        changes: list[str] = []
        for label, (owner, values, strict) in self.attrs.items():
            now = vars(owner)
            for key, value in list(values.items()):
                current = now.get(key, _MISSING)
                if (label, key) in _WRAPPED and getattr(current, "__wrapped__", None) is value:
                    values[key] = current  # torch's own wrapper: the new reference
                    self.parts[(label, key)] = _function_parts(current)
                    continue
                if strict and current is not value and _from_dynamo(current):
                    values[key] = current  # torch.compile's own patch: the new reference
                    self.parts[(label, key)] = _function_parts(current)
                    continue
                if current is not value:
                    changes.append(f"{label}.{key} was replaced")
                    _set(owner, key, value)
                parts = self.parts.get((label, key))
                now_parts = _function_parts(value)
                if parts is not None and any(
                    a is not b for a, b in zip(now_parts, parts, strict=True)
                ):
                    changes.append(f"{label}.{key} was modified in place")
                    value.__code__, value.__defaults__, value.__kwdefaults__ = parts
            if strict:
                added = [k for k in now if k not in values and k not in _CACHES]
                for key in [k for k in added if not k.startswith(_DYNAMO_MARK)]:
                    changes.append(f"{label}.{key} was added")
                    delattr(owner, key)
        for label, (items, saved) in self.lists.items():
            if len(items) != len(saved) or any(
                a is not b for a, b in zip(items, saved, strict=False)
            ):
                changes.append(f"{label} was changed")
                items[:] = saved
        for name, module in self.modules.items():
            if sys.modules.get(name) is not module:
                changes.append(f"sys.modules[{name!r}] was replaced")
                sys.modules[name] = module
        shell = _shell()
        if shell is not None:
            for name, value in self.shell_methods.items():
                if vars(shell).get(name, _MISSING) is not value:
                    changes.append(f"the IPython shell's {name} was replaced")
                    _set(shell, name, value)
            if shell.custom_exceptions:
                changes.append("a custom exception handler was set on the IPython shell")
                shell.set_custom_exc((), None)
            namespace = shell.user_ns
            for name, value in self.protected.items():
                if namespace.get(name, _MISSING) is not value:
                    changes.append(f"{name}, defined by a read-only cell, was redefined")
                    namespace[name] = value
        if sys.gettrace() is not None or sys.getprofile() is not None:
            changes.append("a trace or profile function was set")
            sys.settrace(None)
            sys.setprofile(None)
        return changes

    def checkpoint(self, when: str, nonce: str, protect: bool = False) -> None:
        """Check and restore, and publish the report. ``when`` is "before" or "after" a
        read-only cell; after one that is not a test (``protect``), the callables and modules
        it bound join the references (names bound since the last checkpoint)."""
        changes = self.check()
        shell = _shell()
        namespace = shell.user_ns if shell is not None else {}
        if when == "after" and protect:
            for name, value in namespace.items():
                if self.mark.get(name, _MISSING) is not value and not _IPYTHON_NAMES.match(name):
                    if callable(value) or isinstance(value, types.ModuleType):
                        self.protected[name] = value
            self.record()
        self.mark = dict(namespace)
        if shell is not None:
            shell.display_pub.publish(data={MIME: {"nonce": nonce, "changes": changes}})


def _from_dynamo(value: Any) -> bool:
    """Whether ``value`` is a function defined in torch._dynamo's own source files."""
    torch = sys.modules.get("torch")
    code = getattr(value, "__code__", None)
    if torch is None or not isinstance(code, types.CodeType):
        return False
    folder = os.path.join(os.path.dirname(torch.__file__), "_dynamo") + os.sep
    return code.co_filename.startswith(folder)


def _set(owner: Any, key: str, value: Any) -> None:
    if value is _MISSING:
        delattr(owner, key)
    elif isinstance(owner, types.ModuleType):
        vars(owner)[key] = value
    else:
        setattr(owner, key, value)


# ---------------------------------------------------------------------------------------------
# limits: the audit hook and the address-space cap

_REFUSE_PROGRAMS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "pty.spawn"}
)


def _path_hook(protected: tuple[str, ...]) -> Any:
    """An audit hook refusing internet sockets (loopback too: the kernel's own channels are
    ZeroMQ's, in C), starting programs, raising limits, and opening the course's files."""
    realpath, fspath = os.path.realpath, os.fspath

    def refused(path: Any) -> bool:
        if isinstance(path, int):
            return False
        try:
            path = fspath(path)
            if isinstance(path, bytes):
                path = path.decode(errors="replace")
            full = realpath(path)
        except (TypeError, ValueError):
            return False
        return any(full == p or full.startswith(p + os.sep) for p in protected)

    def hook(event: str, args: tuple) -> None:
        if event in ("open", "os.listdir", "os.scandir", "sqlite3.connect", "shutil.copyfile"):
            if args and refused(args[0]):
                raise PermissionError(
                    f"{args[0]}: the autograder does not let graded code read the course's files"
                )
        elif event in ("socket.connect", "socket.sendto", "socket.sendmsg", "socket.bind"):
            if len(args) > 1 and isinstance(args[1], tuple):  # an internet address, not a file
                raise PermissionError("network access is disabled while grading")
        elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
            raise PermissionError("network access is disabled while grading")
        elif event in _REFUSE_PROGRAMS:
            raise PermissionError("starting other programs is disabled while grading")
        elif event == "resource.setrlimit":
            raise PermissionError("resource limits cannot be changed while grading")

    return hook


def _cap_memory(limit_bytes: int) -> str:
    """Cap the address space at what is mapped now plus ``limit_bytes``; say what was done."""
    import resource

    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        return "no address-space cap on a CUDA machine"
    with open("/proc/self/status") as status:
        mapped = next(int(x.split()[1]) * 1024 for x in status if x.startswith("VmSize:"))
    cap = mapped + limit_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return f"address space capped at {cap >> 20} MiB"


def install(settings: dict[str, Any]) -> Guard:
    """Import what the read-only cells import, record the references, then set the limits.

    ``settings``: ``imports`` (module names), ``protected_paths``, ``memory_bytes`` (0: none).
    """
    for name in settings.get("imports", ()):
        try:
            importlib.import_module(name)
        except Exception:  # the read-only cell will report it when it runs
            pass
    guard = Guard(settings)
    shell = _shell()
    guard.mark = dict(shell.user_ns) if shell is not None else {}
    if settings.get("memory_bytes"):  # before the hook, which refuses setrlimit
        guard.memory = _cap_memory(int(settings["memory_bytes"]))
    protected = tuple(os.path.realpath(p) for p in settings.get("protected_paths", ()))
    sys.addaudithook(_path_hook(protected))
    return guard
