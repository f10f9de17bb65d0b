"""Repository hygiene: lint clean, no build output or machine paths committed."""

import subprocess
import sys
from pathlib import Path

import nbformat

from autograder import sandbox

ROOT = Path(__file__).resolve().parent.parent


def tracked_files() -> list[str]:
    done = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_ruff_is_clean():
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run([str(ruff), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_environment_build_output_or_gradebook_is_committed():
    bad = [
        f for f in tracked_files()
        if f.startswith((".venv/", "_build/")) or f.endswith((".db", ".db-journal", ".pyc"))
        or "/.ipynb_checkpoints/" in f or f.startswith("course/")
    ]
    assert not bad, bad


def test_no_absolute_machine_path_is_committed():
    # This checkout's own location, and home and temporary folders of any machine.
    # The sandbox's home folder exists only inside a grading kernel: it is no machine's path.
    markers = (str(ROOT), "/root/", "/home/", "/tmp/pytest-of")
    offenders = []
    for name in tracked_files():
        path = ROOT / name
        if path == Path(__file__):
            continue
        if path.suffix in {".png", ".jpg", ".gif", ".ico"} or not path.is_file():
            continue
        text = path.read_text(errors="ignore").replace(sandbox.HOME, "")
        offenders += [f"{name}: {m}" for m in markers if m in text]
    assert not offenders, offenders


def test_source_and_release_notebooks_carry_no_outputs():
    for folder in ("solutions", "exercises"):
        for path in (ROOT / folder).rglob("*.ipynb"):
            nb = nbformat.read(path, as_version=4)
            stored = [c for c in nb.cells if c.cell_type == "code" and c.get("outputs")]
            assert not stored, f"{path.relative_to(ROOT)} has stored outputs"
