"""Every chapter re-executes and reproduces its committed outputs (nbval).

nbval runs in a child pytest so that its options stay out of this suite; volatile outputs
are normalised by tests/nbval_sanitize.cfg (each rule there says why).
"""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("ch*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("ch*/ch*_exercises.ipynb"))


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks found in chapters/"


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapter_reproduces_its_outputs(chapter: Path):
    done = subprocess.run(
        [
            sys.executable, "-m", "pytest", "--nbval", str(chapter),
            "--sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
            "-p", "no:cacheprovider", "-q", "--no-header",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"nbval failed for {chapter.name}:\n{done.stdout[-6000:]}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapter_is_committed_executed_and_clean(chapter: Path):
    nb = nbformat.read(chapter, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a chapter without code"
    unexecuted = [i for i, c in enumerate(code) if c.source.strip() and c.execution_count is None]
    assert not unexecuted, f"code cells {unexecuted} have no stored execution: run `make refresh`"
    counts = [c.execution_count for c in code if c.execution_count is not None]
    assert counts == list(range(1, len(counts) + 1)), "cells were not run top to bottom once"
    for c in code:
        for out in c.get("outputs", []):
            assert out.output_type != "error", f"an error is stored in cell:\n{c.source[:200]}"
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"stderr (a warning?) is stored in cell:\n{c.source[:200]}\n{out.text[:500]}"
            )
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize(
    "page", CHAPTERS + EXERCISES, ids=[p.stem for p in CHAPTERS + EXERCISES]
)
def test_code_reads_well_on_the_page(page: Path):
    """What readers see is written for them, in the chapters and in the released exercise
    notebooks: no line scrolls sideways (88 columns), and notes for the test tools live in
    cell metadata, not in comments on the page."""
    nb = nbformat.read(page, as_version=4)
    long, tool_notes, unexplained = [], [], []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        long += [f"cell {index}: {line}" for line in cell.source.split("\n") if len(line) > 88]
        tool_notes += [f"cell {index}: {line}" for line in cell.source.split("\n") if "nbval" in line]
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            if not cell.metadata.get("torchbook", {}).get("unchecked_output"):
                unexplained.append(f"cell {index}: {cell.source[:60]}")
    assert not long, "code lines over 88 characters:\n" + "\n".join(long)
    assert not tool_notes, "comments for the test tools:\n" + "\n".join(tool_notes)
    assert not unexplained, (
        "cells tagged nbval-ignore-output need metadata torchbook.unchecked_output (why):\n"
        + "\n".join(unexplained)
    )
