"""Cheating submissions, graded end to end: tampering and cheats earn nothing.

The fixture assignment ``tp01`` (tests/fixtures/tamper) has one exercise, ``double(t)``,
and six hidden test cells of 1 point, each relying on a different comparison:
``torch.allclose``, ``torch.equal``, ``math.isclose``, ``numpy.allclose``, the book's
``check_tensor`` and built-in functions. Each cheat below submits a WRONG ``double`` and
tampers with what one test relies on, or runs a forbidden action.

The class is graded twice through the command line: with the kernel guard (the default),
where every cheat must earn nothing, and with ``--no-guard``, where each cheat must earn
what it targets. The second run is what shows that the cheats are real and that the first
run's zeros come from the guard, not from a broken cheat.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from test_grading import Suite, _ok

from autograder import grading, notebooks, release
from autograder.course import Layout

FIXTURE = Path(__file__).parent / "fixtures" / "tamper"
ASSIGNMENT = "tp01"
NAME = "tp01_exercises.ipynb"
TESTS = ("t_allclose", "t_equal", "t_isclose", "t_numpy", "t_check", "t_builtins")
WRONG = 'def double(t):\n    """Return 2 * t (wrong: returns t)."""\n    return t\n'


@dataclass(frozen=True)
class Cheat:
    """A submission's answer cell, what it must score with and without the guard, and the
    reason its feedback must give when graded with the guard."""

    student: str
    answer: str
    guarded: dict[str, float]
    unguarded: dict[str, float]
    feedback: str
    #: Without the guard, the answer cell's output shows this (what the cheat read).
    shows: str = ""


def scores(passed: tuple[str, ...] = ()) -> dict[str, float]:
    return {t: 1.0 if t in passed else 0.0 for t in TESTS}


def cheats(solutions: Path, course: Path) -> list[Cheat]:
    """The corpus; ``solutions`` and ``course`` are the paths a reading cheat goes for."""
    source = solutions / ASSIGNMENT / NAME
    gradebook = course / "gradebook.db"
    changed = "the grading environment was changed"
    return [
        Cheat("honest", "def double(t):\n    return 2 * t\n", scores(TESTS), scores(TESTS), ""),
        Cheat("wrong", WRONG, scores(), scores(), "double(x) should be 2 x"),
        Cheat(
            "habits",  # honest code that changes global state the way notebooks often do
            "%matplotlib inline\n"
            "%load_ext autoreload\n"
            "%autoreload 2\n"
            "import copy\nimport pickle\nimport warnings\n\n"
            "import matplotlib.pyplot as plt\n"
            "from torch.utils.data import DataLoader, TensorDataset\n\n"
            "warnings.filterwarnings('ignore')\n"
            "np.set_printoptions(precision=3)\n"
            "torch.set_printoptions(precision=3)\n"
            "torch.use_deterministic_algorithms(True)\n"
            "fig, ax = plt.subplots()\nax.plot([1, 2, 3])\nplt.show()\n"
            "net = torch.compile(torch.nn.Linear(3, 1), backend='eager')\n"
            "print(net(torch.ones(1, 3)).shape)\n"
            "loader = DataLoader(TensorDataset(torch.arange(8.0)), batch_size=4, num_workers=2)\n"
            "print([batch[0].tolist() for batch in loader])\n"
            "print(len(pickle.dumps(copy.deepcopy(torch.nn.Linear(2, 2)))))\n\n\n"
            "def double(t):\n    return 2 * t\n",
            scores(TESTS),
            scores(TESTS),
            "",
        ),
        Cheat(
            "allclose",
            WRONG + "torch.allclose = lambda *args, **kwargs: True\n",
            scores(),
            scores(("t_allclose",)),
            "torch.allclose was replaced",
        ),
        Cheat(
            "equal",
            WRONG + "torch.equal = lambda *args, **kwargs: True\n",
            scores(),
            scores(("t_equal",)),
            "torch.equal was replaced",
        ),
        Cheat(
            "isclose",
            WRONG + "math.isclose = lambda *args, **kwargs: True\n",
            scores(),
            scores(("t_isclose",)),
            "math.isclose was replaced",
        ),
        Cheat(
            "numpy",
            WRONG + "np.allclose = lambda *args, **kwargs: True\n",
            scores(),
            scores(("t_numpy",)),
            "numpy.allclose was replaced",
        ),
        Cheat(
            "helper",
            WRONG + "check_tensor = lambda *args, **kwargs: None\n",
            scores(),
            scores(("t_check",)),
            "check_tensor, defined by a read-only cell, was redefined",
        ),
        Cheat(
            "library",
            WRONG + "import torchbook.checks\n\n"
            "torchbook.checks._compare_values = lambda *args, **kwargs: None\n",
            scores(),
            scores(("t_check",)),
            "torchbook.checks._compare_values was replaced",
        ),
        Cheat(
            "builtins",
            WRONG + "import builtins\n\nbuiltins.all = lambda *args: True\n",
            scores(),
            scores(("t_builtins",)),
            "builtins.all was replaced",
        ),
        Cheat(
            "in-place",
            WRONG + "def _passes(*args, **kwargs):\n    return None\n\n\n"
            "check_tensor.__code__ = _passes.__code__\n",
            scores(),
            scores(("t_check",)),
            "torchbook.checks.check_tensor was modified in place",
        ),
        Cheat(
            "during-test",
            "def double(t):\n    math.isclose = lambda *args, **kwargs: True\n    return t\n",
            scores(),
            scores(("t_isclose",)),
            f"{changed} (math.isclose was replaced)",
        ),
        Cheat(
            "shell",
            WRONG + "from IPython.core.interactiveshell import ExecutionInfo, ExecutionResult\n\n"
            "shell = get_ipython()\n\n\n"
            "def skip(raw_cell, *args, **kwargs):\n"
            "    return ExecutionResult(ExecutionInfo(raw_cell, False, False, False, None))\n\n\n"
            "shell.should_run_async = lambda *args, **kwargs: False\n"
            "shell.run_cell = skip\n",
            scores(),
            scores(TESTS),
            "the autograder could not check the kernel",
        ),
        Cheat(
            "reader",
            "import json\n\n"
            f"with open({str(source)!r}) as fh:\n"
            "    cells = json.load(fh)['cells']\n"
            "exec(next(''.join(c['source']) for c in cells if 'def double' in ''.join(c['source'])))\n",
            scores(),
            scores(TESTS),
            "the autograder does not let graded code read the course's files",
        ),
        Cheat(
            "gradebook",
            WRONG + "import sqlite3\n\n"
            f"rows = sqlite3.connect({str(gradebook)!r}).execute(\n"
            "    \"select source from source_cell where name = 't_allclose'\").fetchall()\n"
            "print(rows[0][0])\n",
            scores(),
            scores(),
            "the autograder does not let graded code read the course's files",
            shows="assert torch.allclose(double(x)",
        ),
        Cheat(
            "network",
            "import urllib.request\n\n"
            "try:\n"
            "    urllib.request.urlopen('http://example.org/answers.py', timeout=5)\n"
            "except Exception as exc:\n"
            "    print(f'{type(exc).__name__}: {exc}')\n\n\n"
            "def double(t):\n    return 2 * t\n",
            scores(TESTS),
            scores(TESTS),
            "network access is disabled while grading",
        ),
        Cheat(
            "program",
            "import subprocess\n\n"
            "try:\n"
            f"    subprocess.run(['cat', {str(source)!r}], check=False)\n"
            "except Exception as exc:\n"
            "    print(f'{type(exc).__name__}: {exc}')\n\n\n"
            "def double(t):\n    return 2 * t\n",
            scores(TESTS),
            scores(TESTS),
            "starting other programs is disabled while grading",
        ),
    ]


@dataclass
class Graded:
    course: grading.Course
    cheats: list[Cheat]
    guarded: object
    unguarded: object
    feedback: object


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Graded:
    tmp = tmp_path_factory.mktemp("tampering")
    layout = Layout(FIXTURE / "solutions", tmp / "exercises")
    release.generate(layout, [ASSIGNMENT], layout.exercises)
    suite = Suite("tamper", layout, tmp)
    released = notebooks.read(layout.exercises / ASSIGNMENT / NAME)
    corpus = {}
    for name in ("guarded", "unguarded"):
        root = tmp / name
        corpus[name] = cheats(layout.solutions, root)
        for cheat in corpus[name]:
            if name == "unguarded" and cheat.unguarded == cheat.guarded and not cheat.shows:
                continue  # nothing to prove without the guard
            nb = notebooks.replace_cell(nbformat.from_dict(released), "solution", cheat.answer)
            notebooks.write(nb, root / "submitted" / cheat.student / ASSIGNMENT / NAME)
    guarded = suite.cli("autograde", str(tmp / "guarded"), "--jobs", "2", "--cell-timeout", "30")
    unguarded = suite.cli("autograde", str(tmp / "unguarded"), "--jobs", "2", "--no-guard")
    feedback = suite.cli("feedback", str(tmp / "guarded"))
    return Graded(grading.Course(tmp / "guarded", layout), corpus["guarded"], guarded, unguarded,
                  feedback)  # fmt: skip


def _scores(root: Path, layout: Layout, student: str) -> dict[str, float | None]:
    course = grading.Course(root, layout)
    return {c.grade_id: c.score for c in course.scores(ASSIGNMENT, student) if c.kind == "auto"}


@pytest.mark.slow
def test_every_submission_is_graded(graded):
    for run in (graded.guarded, graded.unguarded, graded.feedback):
        assert run.returncode == 0, _ok(run)


def _ids() -> list[str]:
    return [c.student for c in cheats(Path("s"), Path("c"))]


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(_ids())), ids=_ids())
def test_cheats_earn_nothing_with_the_guard_and_do_work_without(graded, index):
    cheat = graded.cheats[index]
    layout = graded.course.layout
    if cheat.unguarded != cheat.guarded:
        without = _scores(graded.course.root.parent / "unguarded", layout, cheat.student)
        assert without == cheat.unguarded, f"{cheat.student} without the guard: {without}"
    if cheat.shows:
        nb = notebooks.read(graded.course.root.parent / "unguarded" / "autograded" / cheat.student
                            / ASSIGNMENT / NAME)  # fmt: skip
        answer = nb.cells[
            next(i for i, c in enumerate(nb.cells) if notebooks.grade_id(c) == "solution")
        ]
        assert cheat.shows in str(answer.outputs), f"{cheat.student} without the guard read nothing"
    got = _scores(graded.course.root, layout, cheat.student)
    assert got == cheat.guarded, f"{cheat.student} with the guard: {got}"
    if cheat.feedback:
        page = graded.course.root / "feedback" / cheat.student / ASSIGNMENT / "tp01_exercises.html"
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        assert cheat.feedback in text, f"{cheat.student}: the feedback does not say why"


@pytest.mark.slow
def test_tampering_is_reported_to_the_instructor(graded):
    out = graded.guarded.stdout
    assert (
        "allclose/tp01: t_allclose scores 0, the grading environment was changed: "
        "torch.allclose was replaced"
    ) in out, out
    for student in ("honest", "habits", "network", "program"):  # no tampering, no note
        assert f"{student}/tp01" not in out.split("notes", 1)[-1], out


def test_what_graded_code_may_not_read(tmp_path):
    """The course, the solutions, the repository's history and the JupyterHub exchange."""
    course = grading.Course(tmp_path / "course", Layout())
    paths = course.protected_paths
    root = Path(__file__).resolve().parent.parent
    assert (tmp_path / "course").resolve() in paths
    assert (root / "solutions").resolve() in paths
    assert Path(grading.DEFAULT_EXCHANGE) in paths
    if (root / ".git").exists():
        assert root / ".git" in paths
