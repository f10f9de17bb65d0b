"""The grading engine's parts: the wire format, reading code, the sandbox, the kernel's limits,
the notebook rebuilt from the assignment, and feedback that runs nothing of the student's."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder import sandbox, wire
from autograder.audit import Source
from autograder.execute import NotebookRun, RunLimits, RunSettings, record
from autograder.kernel import GradingKernel, KernelStartError
from autograder.preprocessors import clean_markdown, clean_output, clean_text, rebuild

ROOT = Path(__file__).resolve().parent.parent
needs_sandbox = pytest.mark.skipif(
    sandbox.unavailable_reason() is not None, reason=f"no sandbox: {sandbox.unavailable_reason()}"
)


# ---------------------------------------------------------------------------------------------
# the wire: values cross as data, and bad data is refused


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        2**70,
        -1.5,
        float("nan"),
        float("inf"),
        1 + 2j,
        "text",
        (1, [2.0, {"a": (None,)}]),
        {3: "int key", ("t",): "tuple key"},
        torch.Size([2, 3]),
        torch.float64,
        torch.device("cpu"),
        np.arange(6, dtype=np.int16).reshape(2, 3),
        np.float32(2.5),
    ],
    ids=repr,
)
def test_plain_values_cross_unchanged(value):
    got = wire.decode(json.loads(json.dumps(wire.encode(value))))
    if isinstance(value, float) and value != value:
        assert got != got
    elif isinstance(value, np.ndarray):
        assert got.dtype == value.dtype and np.array_equal(got, value)
    else:
        assert got == value and type(got) is type(value)


@pytest.mark.parametrize("dtype", [getattr(torch, n) for n in wire.TENSOR_DTYPES], ids=str)
def test_tensors_cross_with_dtype_shape_and_values(dtype):
    t = (torch.arange(12) % 5).to(dtype).reshape(3, 4).T  # not contiguous
    got = wire.decode(json.loads(json.dumps(wire.encode(t))))
    assert type(got) is torch.Tensor and got.dtype == dtype and got.shape == (4, 3)
    assert torch.equal(got, t)


def test_special_tensors():
    meta = wire.decode(wire.encode(torch.empty(2, 5, device="meta")))
    assert meta.device.type == "meta" and meta.shape == (2, 5)
    p = wire.decode(wire.encode(torch.nn.Parameter(torch.ones(2))))
    assert isinstance(p, torch.nn.Parameter) and p.requires_grad
    x = torch.arange(6.0)
    a, b, c = wire.decode(wire.encode((x, x.view(2, 3), x.clone())))
    assert wire.shares_memory(a, b) and not wire.shares_memory(a, c)


def test_subclasses_cross_as_the_values_they_hold():
    class Liar(float):
        def __eq__(self, other):
            return True

    class Fake(torch.Tensor):
        pass

    got = wire.decode(wire.encode([Liar(2.0), torch.ones(2).as_subclass(Fake)]))
    assert type(got[0]) is float and got[0] == 2.0 and got[0] != 3.0
    assert type(got[1]) is torch.Tensor


def test_objects_arrive_as_opaque_descriptions():
    got = wire.decode(wire.encode(torch.nn.Linear(2, 3)))
    assert isinstance(got, wire.Opaque) and got.type_name == "torch.nn.modules.linear.Linear"


@pytest.mark.parametrize(
    "data",
    [
        {"tensor": {"dtype": "float32", "shape": [3], "device": "cpu", "data": "AAAA"}},
        {"tensor": {"dtype": "object", "shape": [1], "device": "cpu", "data": ""}},
        {"tensor": {"dtype": "float32", "shape": [-1], "device": "cpu", "data": ""}},
        {"ndarray": {"dtype": "float64", "shape": [2], "data": "!!"}},
        {"eval": "__import__('os')"},
        {"tuple": "not a list"},
        [1, 2],
        {"a": 1, "b": 2},
    ],
)
def test_bad_data_is_refused(data):
    with pytest.raises(wire.WireError):
        wire.decode(data)


def test_deep_nesting_is_refused():
    deep: list = []
    for _ in range(wire.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(wire.WireError):
        wire.encode(deep)


# ---------------------------------------------------------------------------------------------
# reading the student's code


def source(*cells: str) -> Source:
    return Source([(f"cell {i}", c) for i, c in enumerate(cells)], ["import torch"])


def test_loops_are_found_in_the_function_and_its_helpers_only():
    code = source(
        "def helper(x):\n    return [v for v in x]\n",
        "def f(x):\n    return helper(x)\n",
        "def g(x):\n    return x * 2\n",
        "for i in range(3):\n    print(i)\n",
    )
    assert [f.what for f in code.loops("f")] == ["helper uses a comprehension"]
    assert code.loops("g") == []
    with pytest.raises(AssertionError, match="comprehension"):
        code.check_no_loops("f")


def test_loops_in_disguise_and_values_computed_once():
    assert source("import numpy as np\ndef f(x):\n    return np.vectorize(abs)(x)\n").loops("f")
    mutual = source(
        "def g(x, i):\n    return f(x) if i else x\n", "def f(x):\n    return g(x, 0)\n"
    )
    assert [x.what for x in mutual.loops("f")] == [
        "f calls itself (f -> g -> f): a loop by recursion"
    ]
    constant = source(
        "SIGNS = {k: v for k, v in [('neg', -1.0)]}\ndef f(x):\n    return SIGNS['neg'] * x\n"
    )
    assert constant.loops("f") == []
    assert source("def f(x):\n    return x.clone().sigmoid_()\n").calls({"sigmoid"}, "f")


def test_must_use_rules_see_operators_and_indexed_assignment():
    masked = source("def f(x):\n    y = x.clone()\n    y[x < 0] = 0\n    return y\n")
    assert masked.uses({"<", ">"}, "f") and masked.uses({"[]=", "where"}, "f")
    formula = source("def f(x):\n    return (x + x.abs()) / 2\n")
    assert not formula.uses({"<", ">", "[]=", "where"}, "f")
    with pytest.raises(AssertionError, match="use a boolean mask"):
        formula.check_uses({"<", ">"}, "f", rule="use a boolean mask")


def test_the_last_definition_counts():
    code = source("def f(x):\n    while True:\n        pass\n", "def f(x):\n    return x\n")
    assert code.loops("f") == []
    code = source("def f(x):\n    return x\n", "f = lambda x: list(map(abs, x))\n")
    assert [f.what for f in code.loops("f")] == ["f loops with map()"]


def test_forbidden_calls_through_attributes_imports_aliases_and_getattr():
    banned = {"cdist"}
    assert source("def f(X):\n    return torch.cdist(X, X)\n").calls(banned, "f")
    assert source("from torch import cdist as d\n\ndef f(X):\n    return d(X, X)\n").calls(
        banned, "f"
    )
    assert source("d = torch.cdist\n\ndef f(X):\n    return d(X, X)\n").calls(banned, "f")
    dynamic = source("def f(X):\n    return getattr(torch, 'cd' + 'ist')(X, X)\n").calls(
        banned, "f"
    )
    assert [f.what for f in dynamic] == ["f reaches an attribute by a computed name"]
    assert not source("def f(X):\n    return getattr(torch, 'cos')(X)\n").calls(banned, "f")
    assert source("def f(X):\n    return getattr(torch, 'cdist')(X, X)\n").calls(banned, "f")
    by_name = "import operator\n\ndef f(x):\n    return operator.methodcaller('sigmoid')(x)\n"
    assert source(by_name).calls({"sigmoid"}, "f")
    written = source(
        "%%writefile helper.py\nimport torch\ndef act(x):\n    return torch.sigmoid(x)\n",
        "from helper import act\n",
    )
    assert [f.what for f in written.calls({"sigmoid"}, "act")] == [
        "act comes from helper, a module the grader cannot read: write the function in the notebook"
    ]
    assert not source("def outer(u, v):\n    return u[:, None] * v\n").calls({"outer"}, "outer")
    swap = "def f(model, name):\n    setattr(model, name, torch.nn.Identity())\n    return model\n"
    assert not source(swap).calls(banned, "f")


def test_tampering_is_found_and_honest_habits_are_not():
    honest = source(
        "%matplotlib inline\n%load_ext autoreload\n%autoreload 2\nimport warnings\n"
        "warnings.filterwarnings('ignore')\nimport numpy as np\nnp.set_printoptions(precision=3)\n"
        "torch.backends.cudnn.deterministic = True\nimport sys\nprint(sys.version)\n"
        "net = torch.compile(torch.nn.Linear(2, 2), backend='eager')\nx = torch.stack([torch.ones(2)])\n"
        "import gc\ngc.collect()\nimport copy, pickle\nact = getattr(torch.nn, 'ReLU')()\n"
        "name = 'Tanh'\nlayer = getattr(torch.nn, name)()\nmodel = torch.nn.Linear(2, 2)\n"
        "n = len(list(model.modules()))\nfor name, _ in list(model.named_children()):\n"
        "    setattr(model, name, torch.nn.Identity())\n",
    )
    assert honest.tampering() == []
    for cheat in [
        "torch.allclose = lambda *a, **k: True",
        "import builtins\nbuiltins.all = lambda x: True",
        "setattr(torch, 'equal', lambda a, b: True)",
        "import sys\nsys.setprofile(print)",
        "import inspect\nf = inspect.currentframe().f_back.f_locals",
        "import ctypes",
        "with torch._C.DisableTorchFunction():\n    pass",
        "get_ipython().input_transformers_post.append(lambda lines: [])",
        "get_ipython().events.register('pre_run_cell', print)",
        "exec('x = 1')",
        "import sys\nsys.modules['torch'] = None",
        "__import__('_autograder_wire')",
        "import sys\ns = sys\nw = s.modules['x']",
        "m = __import__('sy' + 's')",
        "getattr(get_ipython(), 'ev' + 'ents')",
        "from sys import modules",
        "import operator\noperator.attrgetter('mod' + 'ules')(sys)",
        "torch.Tensor.add = lambda *a: None",
        "def f(x):\n    return x.__code__",
        "import torch.utils._python_dispatch as d",
        "T = torch\nT.zeros, T.arange = print, print",
        "torch.__dict__.update(zeros=print)",
        "object.__setattr__(torch, 'zeros', print)",
        "name = 'equal'\nsetattr(torch, name, lambda a, b: True)",
        "import torch.nn.functional as F\ndelattr(F, 'relu' + '')",
    ]:
        assert source(cheat).tampering(), cheat


# ---------------------------------------------------------------------------------------------
# the sandbox and the kernel's limits


@pytest.fixture(scope="module")
def kernel():
    plan = sandbox.KernelPlan(
        sandbox.Limits(memory_mb=512),
        sandboxed=True,
        protected=(),
        mpl_cache=sandbox.matplotlib_cache(),
    )
    k = GradingKernel(plan)
    k.start()
    yield k
    k.shutdown()


def run(kernel: GradingKernel, code: str, cpu: float = 20, wall: float = 60):
    return kernel.execute(code, cpu_limit=cpu, wall_limit=wall)


def printed(done) -> str:
    return "".join(o.get("text", "") for o in done.outputs if o.get("output_type") == "stream")


@needs_sandbox
@pytest.mark.slow
def test_the_sandbox_sees_no_course_no_network_no_grader(kernel, tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    code = f"""
import os, socket
print("uid", os.getuid(), "pid", os.getpid())
print("solutions", os.path.exists({str(ROOT / "solutions")!r}))
print("tests", os.path.exists({str(ROOT / "tests")!r}))
print("git", os.path.exists({str(ROOT / ".git")!r}))
print("tmp_path", os.path.exists({str(tmp_path)!r}))
print("grader", os.path.exists("/proc/{os.getpid()}"))
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2)
    print("network open")
except OSError:
    print("network closed")
for target in [{str(ROOT / "torchbook" / "checks.py")!r}, {str(Path(torch.__file__))!r}]:
    try:
        open(target, "a").close()
        print("writable", target)
    except OSError:
        print("read-only")
"""
    done = run(kernel, code)
    listener.close()
    out = printed(done)
    assert done.status == "ok", done
    assert "pid 2" in out and "uid 0" not in out
    for name in ("solutions", "tests", "git", "tmp_path", "grader"):
        assert f"{name} False" in out, out
    assert "network closed" in out and "writable" not in out, out


@needs_sandbox
@pytest.mark.slow
def test_the_kernels_user_has_a_name(kernel):
    """The sandbox's user id has no account; libraries that ask for the user's name
    (torch 2.11 does, the first time it imports torch._dynamo) must still get one."""
    done = run(kernel, "import getpass\nprint('user', getpass.getuser())")
    assert done.status == "ok", done
    assert "user student" in printed(done)


@needs_sandbox
@pytest.mark.slow
def test_submission_files_are_copied_links_lead_nowhere_and_files_are_bounded(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "b.txt").write_text("inner")
    (tmp_path / "a.txt").write_text("hello")
    (tmp_path / "answers.txt").symlink_to(ROOT / "solutions" / "ch01" / "ch01_exercises.ipynb")
    (tmp_path / "sol").symlink_to(ROOT / "solutions")
    plan = sandbox.KernelPlan(
        sandbox.Limits(scratch_files=500), sandboxed=True, files=tmp_path, mpl_cache=None
    )
    kernel = GradingKernel(plan)
    kernel.start()
    code = (
        "import os\nprint(open('a.txt').read(), open('data/b.txt').read())\n"
        "print([os.path.exists(p) for p in ('answers.txt', 'sol', '/autograder/files/sol/ch01')])\n"
        "n = 0\ntry:\n    for i in range(2000):\n        open(f'/tmp/{i}', 'w').close()\n"
        "        n += 1\nexcept OSError:\n    print('stopped at', n)\n"
    )
    try:
        out = printed(run(kernel, code))
    finally:
        kernel.shutdown()
    if os.geteuid() == 0:  # a bound number of files needs the root grader's own mounts
        assert "stopped at" in out and int(out.split("stopped at")[1]) < 500, out
    assert "hello inner" in out and "[False, False, False]" in out, out


@needs_sandbox
@pytest.mark.slow
def test_a_library_under_tmp_stays_visible_and_read_only(tmp_path, monkeypatch):
    """A repository cloned under /tmp (its virtual environment, torchbook) lies inside the
    kernel's private /tmp: it is put back over it, read-only."""
    library = tmp_path / "venv"
    library.mkdir()
    (library / "lib.txt").write_text("library")
    paths = sandbox._python_paths()
    monkeypatch.setattr(sandbox, "_python_paths", lambda: (*paths, str(library)))
    plan = sandbox.KernelPlan(sandbox.Limits(), sandboxed=True, mpl_cache=None)
    kernel = GradingKernel(plan)
    kernel.start()
    code = (
        f"print(open({str(library / 'lib.txt')!r}).read())\n"
        f"try:\n    open({str(library / 'new.txt')!r}, 'w')\nexcept OSError:\n"
        "    print('read-only')\n"
        "open('/tmp/scratch.txt', 'w').write('scratch')\nprint('scratch writable')\n"
    )
    try:
        out = printed(run(kernel, code))
    finally:
        kernel.shutdown()
    assert out == "library\nread-only\nscratch writable\n", out


@needs_sandbox
@pytest.mark.slow
def test_cpu_limit_stops_the_cell_and_the_kernel_lives(kernel):
    done = run(kernel, "x = 1\nwhile True:\n    pass", cpu=1.5)
    assert done.status == "timeout" and not done.kernel_lost, done
    assert "1.5 s of CPU time" in done.reason
    assert printed(run(kernel, "print(x)")) == "1\n"


@needs_sandbox
@pytest.mark.slow
def test_waiting_is_stopped_by_the_wall_clock_backstop(kernel):
    done = run(kernel, "import time\ntime.sleep(60)", cpu=20, wall=2)
    assert done.status == "timeout" and "wall-clock" in done.reason, done


@needs_sandbox
@pytest.mark.slow
def test_one_huge_message_costs_the_grader_nothing():
    import resource

    plan = sandbox.KernelPlan(
        sandbox.Limits(), sandboxed=True, mpl_cache=sandbox.matplotlib_cache()
    )
    kernel = GradingKernel(plan)
    kernel.start()
    try:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        code = "import sys\nsys.stdout.write('x' * 200_000_000)\nsys.stdout.flush()"
        done = run(kernel, code)
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        assert "output lost" in printed(done) and grown_mb < 100, (printed(done)[:200], grown_mb)
        assert printed(run(kernel, "print('next')")) == "next\n"
    finally:
        kernel.shutdown()


@needs_sandbox
@pytest.mark.slow
def test_memory_cap_raises_memory_error(kernel):
    done = run(kernel, "x = bytearray(2 * 2**30)")
    assert done.status == "error" and done.ename == "MemoryError", done


@needs_sandbox
@pytest.mark.slow
def test_a_kernel_ignoring_the_interrupt_is_killed_with_its_children(kernel):
    forked = run(
        kernel, "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(600)\n"
    )
    assert forked.status == "ok", forked
    processes = sandbox.descendants(kernel._root_pid())
    assert len(processes) >= 4  # bwrap, its init, the kernel, the double-forked child
    done = run(
        kernel,
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
        cpu=1,
    )
    assert done.status == "timeout" and done.kernel_lost, done
    time.sleep(0.5)
    assert not [pid for pid in processes if _running(pid)]
    kernel.restart()
    assert printed(run(kernel, "print('back')")) == "back\n"


def _running(pid: int) -> bool:
    """Whether a process exists and is not a zombie (a dead process not yet reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def test_a_kernel_that_dies_at_start_is_retried_at_once(monkeypatch):
    plan = sandbox.KernelPlan(sandbox.Limits(), sandboxed=False)
    k = GradingKernel(plan, attempts=3)
    calls = []

    def flaky():
        calls.append(1)
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(k, "_start_once", flaky)
    start = time.monotonic()
    with pytest.raises(KernelStartError, match="3 attempts"):
        k.start()
    assert len(calls) == 3 and time.monotonic() - start < 5


# ---------------------------------------------------------------------------------------------
# a notebook run: verdicts in the grader, a lost cell costs only itself


def _cell(source: str, **nbgrader) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = nbgrader
    return cell


def _test(grade_id: str, hidden: str, visible: str = "") -> nbformat.NotebookNode:
    source = f"{visible}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS"
    return _cell(source, grade_id=grade_id, grade=True, points=1, locked=True)


HIDDEN_DOUBLE = (
    'CONTRACT = {"v": "double(t) is 2 t"}\n'
    'with clause("v"):\n'
    "    x = torch.arange(4.0)\n"
    '    check_tensor(student.double(x), 2 * x, name="double(x)")'
)


@needs_sandbox
@pytest.mark.slow
def test_patching_the_kernel_changes_no_verdict_and_a_lost_cell_costs_only_itself():
    nb = new_notebook(
        cells=[
            _cell("import torch\nimport math", grade_id="setup", locked=True),
            _cell(
                "def double(t):\n    return t\n\ntorch.allclose = lambda *a, **k: True\n"
                "torch.equal = lambda *a, **k: True",
                grade_id="sol",
                solution=True,
            ),
            _test(
                "t_patched",
                HIDDEN_DOUBLE,
                visible="assert torch.allclose(double(torch.ones(1)), torch.ones(1) * 2)",
            ),
            _cell(
                "def triple(t):\n    return 3 * t\nwhile True:\n    pass",
                grade_id="slow",
                solution=True,
            ),
            _cell("def double(t):\n    return 2 * t", grade_id="fix", solution=True),
            _test("t_fixed", HIDDEN_DOUBLE),
            _cell("import os\nos._exit(1)", grade_id="crash", solution=True),
            _test("t_after_crash", HIDDEN_DOUBLE),
        ]
    )
    settings = RunSettings(limits=RunLimits(cell_cpu=3))
    notes = NotebookRun(nb, settings).run()
    records = {c.metadata["nbgrader"]["grade_id"]: record(c) for c in nb.cells if record(c)}
    assert records["t_patched"]["visible"] == "ok"  # the in-kernel check was fooled...
    assert not records["t_patched"]["passed"]  # ...the grader's was not
    assert records["t_fixed"]["passed"]  # the slow cell cost only itself
    assert records["t_after_crash"]["passed"], records  # the kernel was restarted, state replayed
    assert any("ran longer than the time limit" in n for n in notes), notes
    assert any("kernel was restarted" in n for n in notes), notes


# ---------------------------------------------------------------------------------------------
# the graded notebook is rebuilt from the assignment


def _release() -> tuple[nbformat.NotebookNode, dict]:
    cells = [
        new_markdown_cell("intro"),
        _cell("import torch", grade_id="setup", locked=True),
        _cell("def f(x):\n    raise NotImplementedError", grade_id="ex1_1_solution", solution=True),
        _test("ex1_1_tests", "pass", visible="assert f(1) == 1"),
    ]
    for c in cells:
        c.metadata.setdefault("nbgrader", {})
    release = new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )
    sources = {"setup": ("import torch", "code"), "ex1_1_solution": ("", "code")}
    sources["ex1_1_tests"] = (cells[3].source.replace("pass", "assert True"), "code")
    return release, sources


def test_rebuild_restores_what_students_change_and_keeps_their_answers():
    release, sources = _release()
    submitted = nbformat.from_dict(release)
    submitted.metadata["kernelspec"] = {"name": "julia"}
    submitted.metadata["title"] = "<script>alert(1)</script>"
    submitted.cells[2].source = "def f(x):\n    return x"
    submitted.cells[3].source = "pass  # edited"
    submitted.cells[3].metadata["nbgrader"]["points"] = 1000
    del submitted.cells[1].metadata["nbgrader"]  # the setup cell's metadata removed
    foreign = _test("ex9_9_tests", "pass")
    spoof = new_markdown_cell(
        "**Notes from the autograder**\n\n- full marks", id="autograder-notes-1"
    )
    submitted.cells += [foreign, nbformat.from_dict(submitted.cells[3]), spoof]
    rebuilt, notes = rebuild(submitted, release, sources)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in rebuilt.cells}
    assert by_id["ex1_1_solution"].source == "def f(x):\n    return x"
    assert by_id["ex1_1_tests"].source == sources["ex1_1_tests"][0]
    assert by_id["ex1_1_tests"].metadata["nbgrader"]["points"] == 1
    assert by_id["setup"].source == "import torch"
    assert rebuilt.metadata["kernelspec"]["name"] == "python3" and "title" not in rebuilt.metadata
    assert "ex9_9_tests" not in by_id  # a foreign cell is ordinary code, not graded
    assert not any(str(c.get("id", "")).startswith("autograder-notes") for c in rebuilt.cells)
    text = " | ".join(notes)
    for expected in (
        "read-only cell ex1_1_tests was edited",
        "appears more than once",
        "not part of this assignment",
    ):
        assert expected in text, text


def test_rebuild_puts_back_deleted_cells_and_ignores_retyped_answers():
    release, sources = _release()
    submitted = nbformat.from_dict(release)
    submitted.cells[2].cell_type = "markdown"
    submitted.cells = [
        c
        for c in submitted.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") != "ex1_1_tests"
    ]
    rebuilt, notes = rebuild(submitted, release, sources)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in rebuilt.cells]
    assert ids.count("ex1_1_tests") == 1 and ids.count("ex1_1_solution") == 1
    assert any("was deleted" in n for n in notes) and any("changed from code" in n for n in notes)


# ---------------------------------------------------------------------------------------------
# feedback and notes cannot be injected


def test_outputs_and_markdown_are_sanitised():
    html = clean_output(
        nbformat.NotebookNode(
            output_type="display_data",
            data={
                "text/html": '<b onclick="x()">hi</b><script>alert(1)</script><iframe srcdoc="<script>"></iframe>',
                "application/javascript": "alert(1)",
                "image/png": '"><script>alert(1)</script>',
            },
            metadata={},
        )
    )
    assert set(html.data) == {"text/html"}
    assert html.data["text/html"] == "<b>hi</b>"
    markdown = clean_markdown(
        'Answer <img src=x onerror="alert(1)"> and $x^2$ <script>bad()</script>'
    )
    assert "onerror" not in markdown and "<script" not in markdown and "$x^2$" in markdown


def test_text_for_terminals_and_notes_has_no_control_characters():
    assert clean_text("a\x1b[31mred\x1b[0m\x07b\nc") == "ared b c"


def test_no_sandbox_is_said_loudly(monkeypatch):
    nb = new_notebook(cells=[_cell("x = 1", grade_id="s", solution=True)])
    monkeypatch.setattr(sandbox, "unavailable_reason", lambda: "bwrap is not installed")
    notes = NotebookRun(nb, RunSettings(sandbox=True)).run()
    assert any("WITHOUT a sandbox" in n for n in notes), notes
