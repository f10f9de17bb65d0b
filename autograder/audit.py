"""The student's code read as text, in the grader: clauses about *how* a function works.

A statement may say "without Python loops" or "do not call torch.cdist". Such a clause is
checked by reading the code, never by watching it run (code in the kernel can hide what it
does from anything else in the kernel). :class:`Source` finds the definition a name has when
the notebook has run (the last one, across the student's cells), follows the student's own
helpers it uses, and looks for loops, forbidden calls, and dynamic code that would make the
reading meaningless (``eval``, ``getattr`` with a computed name).

:meth:`Source.tampering` lists code that changes how Python or PyTorch runs (assigning to
``torch.allclose``, trace hooks, frame inspection, ``ctypes``, IPython's input transformers):
none of it can change a verdict, which is computed in the grader, but it could change what the
kernel reports about *how* a function ran (which device it used, how often it was called), so
the clauses that rely on such reports fail when it is present.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: Statements and expressions that loop in Python.
LOOP_NODES = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)  # fmt: skip
#: Functions that loop over elements on the caller's behalf.
LOOP_CALLS = frozenset(
    {"map", "filter", "reduce", "starmap", "accumulate", "apply_", "map_", "map2_"}
)
#: Calls that run or reach code by a computed name: the reading would not see what runs.
DYNAMIC_CALLS = frozenset(
    {
        "eval",
        "exec",
        "compile",
        "__import__",
        "getattr",
        "setattr",
        "delattr",
        "vars",
        "globals",
        "locals",
    }
)
DYNAMIC_ATTRS = frozenset(
    {"__dict__", "__getattribute__", "__code__", "__globals__", "__builtins__"}
)

#: What changes how Python, IPython or PyTorch runs, or reads the grader's frames.
TAMPERING_ATTRS = frozenset({
    "settrace", "setprofile", "_getframe", "currentframe", "stack", "getouterframes",
    "f_back", "f_locals", "f_globals", "f_code", "get_referrers", "get_referents",
    "get_objects", "addaudithook", "meta_path", "path_hooks", "_C", "overrides",
    "_python_dispatch", "__code__", "__globals__", "__builtins__", "CodeType",
    "FunctionType", "input_transformers_post", "input_transformers_cleanup",
    "ast_transformers", "events", "user_ns", "user_global_ns", "run_cell", "showtraceback",
    "displayhook", "display_pub", "set_custom_exc", "modules",
})  # fmt: skip
TAMPERING_MODULES = frozenset(
    {"ctypes", "_ctypes", "importlib", "builtins", "inspect", "gc", "sys"}
)
#: Names from those modules that honest notebooks use.
HARMLESS = frozenset({
    ("gc", "collect"), ("sys", "version"), ("sys", "version_info"), ("sys", "platform"),
    ("sys", "float_info"), ("sys", "maxsize"), ("sys", "getsizeof"), ("sys", "stdout"),
    ("sys", "stderr"), ("sys", "executable"), ("sys", "path"), ("inspect", "signature"),
    ("inspect", "getsource"), ("inspect", "isclass"), ("inspect", "isfunction"),
})  # fmt: skip
#: IPython methods a notebook's magics and shell escapes turn into.
IPYTHON_OK = frozenset({"run_line_magic", "run_cell_magic", "system", "getoutput"})
#: Assignments to attributes of these (as written) are settings, not tampering.
SETTINGS_PREFIXES = ("torch.backends.", "plt.rcParams", "matplotlib.rcParams", "np.random.", "pd.options.")  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """Something found in the student's code, and where."""

    cell: str  # which cell, in the student's words ("the answer cell of exercise 1.5")
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
    """

    def __init__(
        self, student_cells: Iterable[tuple[str, str]], read_only_cells: Iterable[str] = ()
    ) -> None:
        pairs = list(student_cells)
        self.labels = [label for label, _ in pairs]
        self.cells = [_python(code) for _, code in pairs]
        self.trees = [_parse(c) for c in self.cells]
        self.modules = _imported_modules([_parse(_python(c)) for c in read_only_cells] + self.trees)
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
        """Python loops in the functions named (and the student's helpers they use)."""
        found = []
        for name, node, binding in self._nodes(names):
            if isinstance(node, LOOP_NODES):
                kind = {
                    ast.For: "a for loop", ast.AsyncFor: "a for loop", ast.While: "a while loop",
                }.get(type(node), "a comprehension")  # fmt: skip
                found.append(_finding(binding, node, f"{name} uses {kind}"))
            elif isinstance(node, ast.Call) and _called_name(node) in LOOP_CALLS:
                found.append(_finding(binding, node, f"{name} loops with {_called_name(node)}()"))
            elif (
                isinstance(node, ast.Call)
                and _called_name(node) == name
                and isinstance(binding.node, ast.FunctionDef)
            ):
                found.append(_finding(binding, node, f"{name} calls itself (a loop by recursion)"))  # fmt: skip
        return found + self.dynamic(*names)

    def calls(self, forbidden: Iterable[str], *names: str) -> list[Finding]:
        """Uses of any ``forbidden`` function or method in the functions named."""
        banned = set(forbidden)
        found = []
        for name, node, binding in self._nodes(names):
            used = None
            if isinstance(node, ast.Attribute) and node.attr in banned:
                used = node.attr
            elif isinstance(node, ast.Name) and node.id in banned and node.id not in self.bindings:
                used = node.id
            elif isinstance(node, ast.ImportFrom | ast.Import):
                used = next((a.name for a in node.names if a.name.split(".")[-1] in banned), None)
            if used is not None:
                found.append(_finding(binding, node, f"{name} uses {used}"))
        return found + self.dynamic(*names)

    def dynamic(self, *names: str) -> list[Finding]:
        """Code in the functions named that reaches code by a computed name (the reading
        cannot tell what it calls)."""
        found = []
        for name, node, binding in self._nodes(names):
            if isinstance(node, ast.Call) and _builtin_called(node) in DYNAMIC_CALLS:
                if _builtin_called(node) in ("getattr", "setattr", "delattr") and _literal_name(node):
                    continue  # getattr(obj, "name") names what it reads
                found.append(_finding(binding, node, f"{name} calls {_builtin_called(node)}()"))
            elif isinstance(node, ast.Attribute) and node.attr in DYNAMIC_ATTRS:
                found.append(_finding(binding, node, f"{name} uses {node.attr}"))
        return found

    def tampering(self) -> list[Finding]:
        """Code anywhere in the student's cells that changes how Python or PyTorch runs."""
        found = []
        for label, code, tree in zip(self.labels, self.cells, self.trees, strict=True):
            if tree is None:
                continue
            binding = _Binding(tree, label, code.split("\n"))
            for node in ast.walk(tree):
                what = self._tampers(node)
                if what:
                    found.append(_finding(binding, node, what))
        return found

    def check_no_loops(self, *names: str) -> None:
        _fail_if(self.loops(*names), "no Python loops")

    def check_no_calls(self, forbidden: Iterable[str], *names: str) -> None:
        banned = sorted(set(forbidden))
        _fail_if(self.calls(banned, *names), f"no call to {', '.join(banned)}")

    def check_untampered(self) -> None:
        _fail_if(self.tampering(), "code that changes how Python or PyTorch runs")

    # -- tampering ---------------------------------------------------------------------------

    def _tampers(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and self._module_attr(target):
                    text = ast.unparse(target)
                    if not text.startswith(SETTINGS_PREFIXES):
                        return f"changes {text}"
        if isinstance(node, ast.Call):
            called = _builtin_called(node)
            if called in ("setattr", "delattr") and node.args and self._module_expr(node.args[0]):
                return f"changes an attribute of {ast.unparse(node.args[0])} with {called}()"
            if called in ("exec", "eval", "compile", "__import__"):
                return f"runs code from text with {called}()"
        if isinstance(node, ast.Import | ast.ImportFrom):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            for alias in node.names:
                root = (module or alias.name).split(".")[0]
                if root in ("ctypes", "_ctypes", "importlib"):
                    return f"imports {module or alias.name}"
                if (
                    module
                    and (module.split(".")[0], alias.name) not in HARMLESS
                    and root in TAMPERING_MODULES
                ):
                    return f"imports {alias.name} from {module}"  # fmt: skip
                full = f"{module}.{alias.name}" if module else alias.name
                if any(part in TAMPERING_ATTRS for part in full.split(".")[1:]):
                    return f"imports {full}"
        if isinstance(node, ast.Attribute):
            base = _root_name(node)
            if node.attr in TAMPERING_ATTRS:
                if node.attr in ("stack", "modules", "events") and base not in (
                    "inspect",
                    "sys",
                    "get_ipython",
                ):
                    return None  # torch.stack, nn.Module.modules(), a student's own .events
                if node.attr in ("_C", "overrides") and base != "torch":
                    return None
                return f"uses {ast.unparse(node)}"
            if base in self.modules and self.modules[base] in TAMPERING_MODULES:
                if (self.modules[base], node.attr) not in HARMLESS:
                    return f"uses {ast.unparse(node)}"
            if isinstance(node.value, ast.Call) and _called_name(node.value) == "get_ipython":
                if node.attr not in IPYTHON_OK:
                    return f"uses get_ipython().{node.attr}"
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "_autograder" in node.value
        ):
            return "refers to the autograder's own modules"
        return None

    def _module_attr(self, target: ast.Attribute) -> bool:
        return self._module_expr(target.value)

    def _module_expr(self, node: ast.AST) -> bool:
        root = _root_name(node)
        return root is not None and root in self.modules


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


def _imported_modules(trees: list[ast.Module | None]) -> dict[str, str]:
    """Names bound to modules (or their members) by imports: alias -> top-level module."""
    names = {"torch": "torch", "np": "numpy", "math": "math", "sys": "sys", "builtins": "builtins"}
    for tree in trees:
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    names[alias.asname or alias.name.split(".")[0]] = alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    names[alias.asname or alias.name] = node.module.split(".")[0]
    return names


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
    return (
        len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    )


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


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
