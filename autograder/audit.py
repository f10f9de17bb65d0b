"""The student's code read as text, in the grader: clauses about *how* a function works.

A statement may say "without Python loops" or "do not call torch.cdist". Such a clause is
checked by reading the code, never by watching it run (code in the kernel can hide what it
does from anything else in the kernel). :class:`Source` finds the definition a name has when
the notebook has run (the last one, across the student's cells), follows the student's own
helpers it uses, and looks for loops, forbidden calls, and code the reading cannot follow:
names computed at run time (``getattr(torch, "cd" + "ist")``, ``eval``), or functions
imported from a module the student wrote (``%%writefile helper.py``).

:meth:`Source.tampering` lists code that reaches into the interpreter: replacing attributes
of modules (``torch.allclose = ...``), ``sys.modules``, frames, trace and profile hooks,
``ctypes``, PyTorch's dispatch internals, IPython's input transformers and events. None of it
can change a verdict, which is computed in the grader, but it could change what the kernel
reports about *how* a function ran (its arguments after a call, which device a product ran
on, how often it was called), so the clauses that rely on such reports fail when any is
present. It is a reading of the code, not a proof: see the threat model in the instructors'
guide for what it cannot see.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: Statements and expressions that loop in Python.
LOOP_NODES = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)  # fmt: skip
#: Functions that loop over elements on the caller's behalf.
LOOP_CALLS = frozenset({
    "map", "filter", "reduce", "starmap", "accumulate", "apply_", "map_", "map2_", "vectorize",
    "frompyfunc", "apply_along_axis", "apply_over_axes", "fromiter",
})  # fmt: skip
#: Built-in calls that run code, or reach attributes or variables, by a computed name.
DYNAMIC_BUILTINS = frozenset({"eval", "exec", "compile", "__import__", "getattr", "setattr", "delattr", "vars", "globals", "locals"})  # fmt: skip
#: Functions that reach an attribute by a name given as a string.
BY_NAME = frozenset({"getattr", "setattr", "delattr", "attrgetter", "methodcaller", "hasattr"})
DYNAMIC_ATTRS = frozenset({"__dict__", "__getattribute__", "__code__", "__globals__", "__builtins__"})  # fmt: skip

#: Attributes that reach frames or code objects, whatever they are read from.
FRAME_ATTRS = frozenset({
    "f_back", "f_locals", "f_globals", "f_code", "f_builtins", "tb_frame", "gi_frame",
    "cr_frame", "ag_frame", "__code__", "__globals__", "__builtins__", "__closure__", "co_code",
})  # fmt: skip
#: Modules and attributes (dotted paths, as prefixes) that reach into the interpreter.
DANGEROUS = (
    "sys.modules", "sys.meta_path", "sys.path_hooks", "sys.settrace", "sys.setprofile",
    "sys._getframe", "sys._current_frames", "sys.addaudithook", "sys.setrecursionlimit",
    "threading.settrace", "threading.setprofile", "builtins", "inspect.currentframe",
    "inspect.stack", "inspect.trace", "inspect.getouterframes", "inspect.getinnerframes",
    "inspect.getframeinfo", "gc.get_referrers", "gc.get_referents", "gc.get_objects",
    "ctypes", "_ctypes", "importlib", "torch._C", "torch.overrides",
    "torch.utils._python_dispatch", "types.CodeType", "types.FunctionType",
)  # fmt: skip
#: Members of those that honest notebooks use.
ALLOWED = ("importlib.reload", "importlib.util.find_spec", "inspect.signature", "inspect.getsource")
#: What an IPython shell may be asked for (what magics and ``!`` commands turn into).
IPYTHON_OK = frozenset({"run_line_magic", "run_cell_magic", "system", "getoutput"})
#: The path :func:`get_ipython` results resolve to.
SHELL = "IPython.shell"
#: Settings an honest notebook assigns (prefixes of the resolved path).
SETTINGS = ("torch.backends.", "matplotlib.rcParams", "numpy.random.")
#: Modules whose attributes may be read by a computed name (choosing a layer, an activation
#: or an optimizer by its name): they hold no way into the interpreter.
BY_NAME_OK = (
    "torch.nn", "torch.optim", "torchvision.transforms", "math", "numpy", "torch.distributions",
)  # fmt: skip


#: Comparison operators by the symbol :meth:`Source.uses` asks for them with.
_OPERATORS = {ast.Lt: "<", ast.Gt: ">", ast.LtE: "<=", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


@dataclass(frozen=True)
class Finding:
    """Something found in the student's code, and where."""

    cell: str  # which cell, in the student's words ("cell ex1_5_solution")
    line: int
    code: str
    what: str

    def __str__(self) -> str:
        return f"{self.what} ({self.cell}, line {self.line}: `{self.code}`)"


@dataclass
class _Binding:
    node: ast.AST
    cell: str
    lines: list[str]


class Source:
    """The student's code cells (as submitted, in notebook order), parsed once.

    ``student_cells`` are (label, source) pairs; the label names the cell in findings.
    ``read_only_cells`` (the setup cell) only tell which names are modules.
    """

    def __init__(
        self, student_cells: Iterable[tuple[str, str]], read_only_cells: Iterable[str] = ()
    ) -> None:
        pairs = list(student_cells)
        self.labels = [label for label, _ in pairs]
        self.cells = [_python(code) for _, code in pairs]
        self.trees = [_parse(c) for c in self.cells]
        context = tuple(_python(c) for c in read_only_cells)
        self.modules = dict(_module_names_in((*context, *self.cells)))
        self._tampering: list[Finding] | None = None
        self.bindings: dict[str, _Binding] = {}
        for label, code, tree in zip(self.labels, self.cells, self.trees, strict=True):
            if tree is None:
                continue
            for name, node in _top_level_bindings(tree):
                if node is None:
                    self.bindings.pop(name, None)
                else:
                    self.bindings[name] = _Binding(node, label, code.split("\n"))

    # -- what a name is, with the helpers it uses ----------------------------------------

    def defines(self, name: str) -> bool:
        return name in self.bindings

    def _closure(self, names: Iterable[str]) -> list[tuple[str, _Binding]]:
        found: dict[str, _Binding] = {}
        todo = list(names)
        while todo:
            name = todo.pop()
            if name in found or name not in self.bindings:
                continue
            binding = self.bindings[name]
            found[name] = binding
            for node in ast.walk(binding.node):
                if isinstance(node, ast.Name) and node.id in self.bindings:
                    todo.append(node.id)
        return list(found.items())

    def _nodes(self, names: Iterable[str]) -> Iterator[tuple[str, ast.AST, _Binding]]:
        for name, binding in self._closure(names):
            for node in ast.walk(binding.node):
                yield name, node, binding

    # -- the checks hidden tests call ------------------------------------------------------

    def loops(self, *names: str) -> list[Finding]:
        """Python loops in the functions named (and the student's helpers they use), and
        code there that the reading cannot follow. A value computed once at the top level
        (a dict built by a comprehension) is not part of the function."""
        found = []
        for name, binding in self._closure(names):
            if not _function_like(binding.node):
                continue
            for node in ast.walk(binding.node):
                if isinstance(node, LOOP_NODES):
                    kind = {
                        ast.For: "a for loop", ast.AsyncFor: "a for loop", ast.While: "a while loop",
                    }.get(type(node), "a comprehension")  # fmt: skip
                    found.append(_finding(binding, node, f"{name} uses {kind}"))
                elif isinstance(node, ast.Call) and _called_name(node) in LOOP_CALLS:
                    found.append(_finding(binding, node, f"{name} loops with {_called_name(node)}()"))  # fmt: skip
        for name in names:
            cycle = self._recursion(name)
            if cycle:
                binding = self.bindings[name]
                found.append(_finding(binding, binding.node, f"{name} calls itself ({cycle}): a loop by recursion"))  # fmt: skip
        return found + self.unreadable(*names)

    def _recursion(self, name: str) -> str:
        """The path by which ``name`` calls itself through the student's functions, or ""."""
        if name not in self.bindings:
            return ""
        todo = [(name, [name])]
        seen = set()
        while todo:
            current, path = todo.pop()
            binding = self.bindings.get(current)
            if binding is None or not _function_like(binding.node):
                continue
            for node in ast.walk(binding.node):
                if isinstance(node, ast.Name) and node.id in self.bindings:
                    if node.id == name:
                        return " -> ".join([*path, name])
                    if node.id not in seen:
                        seen.add(node.id)
                        todo.append((node.id, [*path, node.id]))
        return ""

    def calls(self, forbidden: Iterable[str], *names: str) -> list[Finding]:
        """Uses of any ``forbidden`` function or method in the functions named, and code
        there that the reading cannot follow."""
        return self.uses(forbidden, *names) + self.unreadable(*names)

    def uses(self, wanted: Iterable[str], *names: str) -> list[Finding]:
        """Where the functions named (and the student's helpers they use) use any of
        ``wanted``: a method or attribute (``x.sigmoid()``, ``ctx.save_for_backward``), a
        function imported by name, or a name given as a string (``getattr(x, "sigmoid")``).
        PyTorch's in-place variants count (``sigmoid_`` for ``sigmoid``); a local variable
        or argument that happens to have such a name does not. Operators are asked for by
        their symbol: ``"<"``, ``">"``, ``"<="``, ``">="``, ``"=="``, ``"!="``, and ``"[]="``
        for an assignment to an indexed element (``x[mask] = 0``)."""
        targets = set(wanted)
        targets |= {f"{t}_" for t in targets}
        found = []
        for name, binding in self._closure(names):
            local = _local_names(binding.node)
            for node in ast.walk(binding.node):
                used = None
                if isinstance(node, ast.Attribute) and node.attr in targets:
                    used = node.attr
                elif (
                    isinstance(node, ast.Name)
                    and node.id in targets
                    and node.id not in self.bindings
                    and node.id not in local
                ):
                    used = node.id
                elif isinstance(node, ast.ImportFrom | ast.Import):
                    used = next((a.name for a in node.names if a.name.split(".")[-1] in targets), None)  # fmt: skip
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    used = node.value if node.value in targets else None
                elif isinstance(node, ast.Compare):
                    used = next((o for o in map(_OPERATORS.get, map(type, node.ops)) if o in targets), None)  # fmt: skip
                elif "[]=" in targets and any(isinstance(t, ast.Subscript) for t in _targets(node)):
                    used = "[]="
                if used is not None:
                    what = f"{name} is an import of {used}" if isinstance(node, ast.ImportFrom | ast.Import) else f"{name} uses {used}"  # fmt: skip
                    found.append(_finding(binding, node, what))
        return found

    def unreadable(self, *names: str) -> list[Finding]:
        """Code in the functions named (and their helpers) that the reading cannot follow:
        names computed at run time, or functions from a module the student wrote."""
        found = []
        for name, node, binding in self._nodes(names):
            called = _builtin_called(node) if isinstance(node, ast.Call) else None
            if isinstance(node, ast.Call) and _called_name(node) in BY_NAME:
                # setattr/delattr call nothing (changing a module's attribute is tampering)
                if not _literal_name(node) and called not in ("setattr", "delattr"):
                    found.append(_finding(binding, node, f"{name} reaches an attribute by a computed name"))  # fmt: skip
            elif called in DYNAMIC_BUILTINS:
                found.append(_finding(binding, node, f"{name} calls {called}()"))
            elif isinstance(node, ast.Attribute) and node.attr in DYNAMIC_ATTRS:
                found.append(_finding(binding, node, f"{name} uses {node.attr}"))
            elif isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                if getattr(node, "level", 0) or not _installed(module or ""):
                    found.append(
                        _finding(
                            binding,
                            node,
                            f"{name} comes from {module or 'a local module'}, a module the "
                            "grader cannot read: write the function in the notebook",
                        )
                    )
        return found

    def tampering(self) -> list[Finding]:
        """Code anywhere in the student's cells that reaches into the interpreter.

        Read once per Source, and once per cell for the same module names: hidden tests ask
        before every look at a call's arguments, and a corpus run asks for the same cells
        in every segment."""
        if self._tampering is None:
            modules = tuple(sorted(self.modules.items()))
            found: list[Finding] = []
            for label, code, tree in zip(self.labels, self.cells, self.trees, strict=True):
                key = (label, code, modules)
                if key not in _TAMPERING:
                    if len(_TAMPERING) >= 4096:
                        _TAMPERING.clear()
                    _TAMPERING[key] = tuple(self._tampering_in(label, code, tree))
                found += _TAMPERING[key]
            self._tampering = found
        return list(self._tampering)

    def _tampering_in(self, label: str, code: str, tree: ast.Module | None) -> list[Finding]:
        if tree is None:
            return []
        found = []
        binding = _Binding(tree, label, code.split("\n"))
        asked = _membership_tests(tree)  # `"google.colab" in sys.modules` only asks
        for node in ast.walk(tree):
            if id(node) in asked:
                continue
            what = self._tampers(node)
            if what:
                found.append(_finding(binding, node, what))
        return found

    def check_no_loops(self, *names: str) -> None:
        _fail_if(self.loops(*names), "no Python loops")

    def check_no_calls(self, forbidden: Iterable[str], *names: str) -> None:
        banned = sorted(set(forbidden))
        _fail_if(self.calls(banned, *names), f"no call to {', '.join(banned)}")

    def check_uses(self, wanted: Iterable[str], *names: str, rule: str) -> None:
        """Fail unless the functions named (or their helpers) use one of ``wanted``."""
        if not self.uses(wanted, *names):
            listed = " or ".join(sorted(set(wanted)))
            raise AssertionError(
                f"the grader reads your code and finds no {listed} in {', '.join(names)} "
                f"(nor in the functions of yours they call): {rule}"
            )

    def check_untampered(self) -> None:
        _fail_if(
            self.tampering(),
            "no code that reaches into Python's or PyTorch's workings (the grader then cannot "
            "trust what the kernel reports)",
        )

    # -- tampering ---------------------------------------------------------------------------

    def resolve(self, node: ast.AST) -> str | None:
        """The dotted path an expression names, if it starts from a module: ``s.modules``
        after ``s = sys`` is ``sys.modules``; ``getattr(torch, "_C")`` is ``torch._C``;
        ``get_ipython().events`` is ``IPython.shell.events``."""
        if isinstance(node, ast.Name):
            return self.modules.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == "get_ipython":
                return SHELL
            if _builtin_called(node) == "getattr" and _literal_name(node):
                base = self.resolve(node.args[0])
                return f"{base}.{node.args[1].value}" if base else None
            if (
                _builtin_called(node) == "__import__"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                return str(node.args[0].value)  # fmt: skip
        return None

    def _tampers(self, node: ast.AST) -> str | None:
        for target in _targets(node):
            path = self.resolve(target.value) if isinstance(target, ast.Attribute) else None
            if path and not f"{path}.{target.attr}".startswith(SETTINGS):
                return f"changes {path}.{target.attr}"
        if isinstance(node, ast.Call):
            called = _builtin_called(node)
            if called in ("setattr", "delattr") and node.args and self.resolve(node.args[0]):
                return f"changes an attribute of {self.resolve(node.args[0])} with {called}()"
            if called in ("exec", "eval", "compile", "globals", "vars"):
                return f"uses {called}()"
            # setattr/delattr on a module were found above; on the student's own objects
            # (a layer swapped by its name in a model) a computed name hides nothing
            by_name = _called_name(node) in BY_NAME and called not in ("setattr", "delattr")
            if by_name and not _literal_name(node):
                target = self.resolve(node.args[0]) if node.args else None
                if target is None or not target.startswith(BY_NAME_OK):
                    return f"reaches an attribute by a computed name with {_called_name(node)}()"
            if called == "__import__" and not _literal_first(node):
                return "imports a module by a computed name"
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                full = (
                    f"{node.module}.{alias.name}"
                    if isinstance(node, ast.ImportFrom)
                    else alias.name
                )
                if _dangerous(full):
                    return f"imports {full}"
        if isinstance(node, ast.Attribute):
            if node.attr in FRAME_ATTRS or node.attr in ("__dict__", "__setattr__", "__delattr__"):
                return f"uses {ast.unparse(node)}"
            path = self.resolve(node)
            if path and _dangerous(path):
                return f"uses {path}"
            if path and path.startswith(SHELL + ".") and path.split(".")[2] not in IPYTHON_OK:
                return f"uses get_ipython().{path.split('.')[2]}"
        if (
            isinstance(node, ast.Name)
            and self.modules.get(node.id, "")
            and _dangerous(self.modules[node.id])
        ):
            return f"uses {self.modules[node.id]}"  # fmt: skip
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "autograder" in node.value or "grader_wire" in node.value:
                return "refers to the autograder's own modules"
        return None


# ---------------------------------------------------------------------------------------------
# helpers


@functools.lru_cache(maxsize=4096)
def _python(source: str) -> str:
    """A cell's source as plain Python (IPython's % and ! syntax translated)."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(source)
    except Exception:
        return source


@functools.lru_cache(maxsize=4096)
def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


@functools.lru_cache(maxsize=1024)
def _installed(module: str) -> bool:
    """Whether a module is part of Python or installed in this environment (so its code is
    not the student's): a module the student wrote (``%%writefile``, a file submitted beside
    the notebook) is not."""
    root = module.split(".")[0]
    if not root:
        return False
    if root in sys.stdlib_module_names or root in sys.builtin_module_names:
        return True
    try:
        return importlib.util.find_spec(root) is not None
    except (ImportError, ValueError):
        return False


def _dangerous(path: str) -> bool:
    if any(path == a or path.startswith(a + ".") for a in ALLOWED):
        return False
    return any(path == d or path.startswith(d + ".") for d in DANGEROUS)


def _local_names(node: ast.AST) -> set[str]:
    """The arguments and the names a function (or lambda, or class) assigns inside itself."""
    names: set[str] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.arg):
            names.add(inner.arg)
        elif isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store | ast.Del):
            names.add(inner.id)
    return names


def _function_like(node: ast.AST) -> bool:
    """Whether a binding's node is code that runs when the function is called."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
        return True
    value = getattr(node, "value", None)
    return isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(value, ast.Lambda)


def _targets(node: ast.AST) -> list[ast.AST]:
    """Everything a statement or expression assigns to or deletes, unpacked."""
    if isinstance(node, ast.Assign | ast.Delete):
        roots = list(node.targets)
    elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.For | ast.AsyncFor | ast.NamedExpr):
        roots = [node.target]
    elif isinstance(node, ast.withitem):
        roots = [node.optional_vars] if node.optional_vars is not None else []
    elif isinstance(node, ast.comprehension):
        roots = [node.target]
    else:
        return []
    found = []
    while roots:
        target = roots.pop()
        if isinstance(target, ast.Tuple | ast.List):
            roots.extend(target.elts)
        elif isinstance(target, ast.Starred):
            roots.append(target.value)
        else:
            found.append(target)
    return found


def _membership_tests(tree: ast.Module) -> set[int]:
    """The nodes that are only asked whether they contain something (``x in sys.modules``)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and all(
            isinstance(o, ast.In | ast.NotIn) for o in node.ops
        ):
            found |= {id(c) for c in node.comparators}
    return found


#: Each cell's tampering findings, by (label, code, module names): see Source.tampering.
_TAMPERING: dict[tuple, tuple[Finding, ...]] = {}


@functools.lru_cache(maxsize=256)
def _module_names_in(cells: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """:func:`_module_names` of cells given as (plain Python) sources, cached."""
    return tuple(_module_names([_parse(c) for c in cells]).items())


def _module_names(trees: list[ast.Module | None]) -> dict[str, str]:
    """Names bound to modules or their members, with the dotted path they name: by imports
    (``import torch.nn as nn``, ``from torch import nn``) and by plain assignment of such a
    name (``s = sys``, ``F = torch.nn.functional``), in notebook order."""
    names = {"torch": "torch", "np": "numpy", "math": "math", "sys": "sys", "builtins": "builtins"}
    names["__builtins__"] = "builtins"
    for tree in trees:
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        names[alias.asname] = alias.name
                    else:
                        root = alias.name.split(".")[0]
                        names[root] = root
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name | ast.Attribute):
                path = _path(node.value, names)
                if path:
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            names[target.id] = path
    return names


def _path(node: ast.AST, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _path(node.value, names)
        return f"{base}.{node.attr}" if base else None
    return None


def _top_level_bindings(tree: ast.Module) -> Iterator[tuple[str, ast.AST | None]]:
    """(name, the node that gives it its value) for each binding at module level, in order;
    None for a ``del``."""
    for stmt in tree.body:
        yield from _bindings_of(stmt)


def _bindings_of(stmt: ast.stmt) -> Iterator[tuple[str, ast.AST | None]]:
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        yield stmt.name, stmt
    elif isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            for name in _target_names(target):
                yield name, stmt.value
    elif isinstance(stmt, ast.AnnAssign | ast.AugAssign) and stmt.value is not None:
        for name in _target_names(stmt.target):
            yield name, stmt
    elif isinstance(stmt, ast.Import | ast.ImportFrom):
        for alias in stmt.names:
            yield (alias.asname or alias.name.split(".")[0]), stmt
    elif isinstance(stmt, ast.Delete):
        for target in stmt.targets:
            for name in _target_names(target):
                yield name, None
    elif isinstance(stmt, ast.If | ast.Try | ast.With | ast.For | ast.While):
        for body in ("body", "orelse", "finalbody", "handlers"):
            for inner in getattr(stmt, body, []) or []:
                if isinstance(inner, ast.ExceptHandler):
                    for s in inner.body:
                        yield from _bindings_of(s)
                else:
                    yield from _bindings_of(inner)


def _target_names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [n for t in target.elts for n in _target_names(t)]
    return []


def _called_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _builtin_called(node: ast.Call) -> str | None:
    """The name of a call to a bare name (``exec(...)``, not ``torch.compile(...)``)."""
    return node.func.id if isinstance(node.func, ast.Name) else None


def _literal_name(node: ast.Call) -> bool:
    """Whether a by-name call (getattr, attrgetter, methodcaller ...) names its attribute
    with a string literal."""
    name = _called_name(node)
    index = 0 if name in ("attrgetter", "methodcaller") else 1
    return (
        len(node.args) > index
        and isinstance(node.args[index], ast.Constant)
        and isinstance(node.args[index].value, str)
    )


def _literal_first(node: ast.Call) -> bool:
    return bool(node.args) and isinstance(node.args[0], ast.Constant)


def _finding(binding: _Binding, node: ast.AST, what: str) -> Finding:
    line = getattr(node, "lineno", 1)
    code = binding.lines[line - 1].strip() if 0 < line <= len(binding.lines) else ""
    return Finding(binding.cell, line, code[:120], what)


def _fail_if(findings: list[Finding], rule: str) -> None:
    if findings:
        shown = "; ".join(str(f) for f in findings[:3])
        more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
        raise AssertionError(
            f"the grader reads your code and finds {shown}{more}: the rule is {rule}"
        )
