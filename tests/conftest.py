"""Shared test settings, and a per-part timing report printed after every run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = str(Path(sys.executable).parent)

# nbgrader and jupyter-book call other console scripts (alembic, jupyter) by name.
if not os.environ.get("PATH", "").startswith(VENV_BIN):
    os.environ["PATH"] = VENV_BIN + os.pathsep + os.environ.get("PATH", "")
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

# Which part of the suite each test file proves, for the timing report.
PARTS = {
    "test_checks.py": "library: readable checks",
    "test_device.py": "library: device and seeding",
    "test_envcheck.py": "library: environment check",
    "test_widgets.py": "library: widgets and plots",
    "test_chapters.py": "chapters reproduce (nbval)",
    "test_grading.py": "assignments: release, validation, round trip through nbgrader",
    "test_corpora.py": "assignments: right and wrong answers, contracts",
    "test_engine.py": "grading engine: sandbox, limits, wire, code reading, rebuild",
    "test_site.py": "site: strict build",
    "test_repo.py": "repository hygiene",
    "test_lab.py": "students' JupyterLab: the Validate button",
    "test_collect.py": "instructors: collecting submissions",
    "test_bad_submissions.py": "instructors: broken submissions and limits",
    "test_adversarial.py": "instructors: the adversarial corpus (cheats, sandbox, batch)",
    "test_postgres.py": "instructors: PostgreSQL gradebook",
    "test_browser.py": "site: in a browser (chromium, offline)",
    "test_reference.py": "site: reference pages' snippets run",
}

_seconds: dict[str, float] = defaultdict(float)
_session_start = time.perf_counter()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-margins",
        action="store_true",
        help="run the margins tests: thresholds hold for the reference on several seeds",
    )


#: The longest test files, started first (`make test` runs two workers, a file whole in each).
LONGEST_FIRST = ("test_corpora.py", "test_adversarial.py", "test_grading.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest files first; margins tests (they train the reference solutions many
    times) on request only."""
    first = {name: rank for rank, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: first.get(item.path.name, len(first)))  # stable: else as found
    if config.getoption("--run-margins"):
        return
    skip = pytest.mark.skip(reason="margins tests run with `make margins` (--run-margins)")
    for item in items:
        if "margins" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top folder."""
    return ROOT


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add each test phase's duration (setup, call, teardown) to its part."""
    filename = Path(report.location[0]).name
    _seconds[part_of(filename)] += report.duration


def part_of(filename: str) -> str:
    """The part a test file belongs to: named in PARTS, or a library module's or margins' tests."""
    if filename in PARTS:
        return PARTS[filename]
    stem = filename.removeprefix("test_").removesuffix(".py")
    if stem.startswith("margins_"):
        return f"margins: {stem.removeprefix('margins_')}"
    return f"library: {stem}"


def pytest_terminal_summary(terminalreporter) -> None:
    """Print how long each part of the suite took."""
    if not _seconds:
        return
    terminalreporter.section("time per part")
    for part, seconds in sorted(_seconds.items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"{seconds:8.1f} s  {part}")
    wall = time.perf_counter() - _session_start
    terminalreporter.write_line(f"{wall:8.1f} s  whole suite (wall clock)")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per test session, strictly (-W -n --keep-going); its HTML folder."""
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [VENV_BIN + "/jupyter-book", "build", str(ROOT), "--path-output", str(out),
         "--builder", "html", "-W", "-n", "--keep-going"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, f"strict build failed:\n{done.stdout[-5000:]}\n{done.stderr[-5000:]}"
    assert "warning" not in done.stderr.lower(), done.stderr[-5000:]
    return out / "_build" / "html"


@pytest.fixture(scope="module")
def ref(request: pytest.FixtureRequest) -> dict:
    """The reference solution of the margins module's CHAPTER ("ch06": the functions of
    solutions/ch06/ch06_exercises.ipynb); its plot cells run headless, their figures closed."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from autograder.notebooks import solution_namespace

    chapter = request.module.CHAPTER
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Agg cannot show figures: plt.show() warns
        ns = solution_namespace(ROOT / "solutions" / chapter / f"{chapter}_exercises.ipynb")
    plt.close("all")
    return ns
