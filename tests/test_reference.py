"""Every ```python block of the reference pages (book/reference/*.md) runs without an error.

The blocks of one page run in order in one namespace, the way a reader would paste them into
a fresh notebook, in a temporary directory, with warnings turned into errors (a snippet that
uses a deprecated API fails) and with the network switched off. A block whose first line is
``# not run`` is only illustrative and is skipped.
"""

from __future__ import annotations

import re
import socket
import textwrap
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "book" / "reference"
PAGES = sorted(REFERENCE.glob("*.md"))
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```python[ \t]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$", re.M | re.S
)


@dataclass
class Block:
    """One fenced Python block: where it starts in its page, and its code."""

    page: Path
    line: int
    code: str

    @property
    def skipped(self) -> bool:
        """True for a block marked ``# not run`` on its first line."""
        return self.code.lstrip().startswith("# not run")


def python_blocks(page: Path) -> list[Block]:
    """The ```python blocks of a MyST page, dedented, in order, with their line numbers."""
    text = page.read_text()
    return [
        Block(page, text.count("\n", 0, m.start()) + 2, textwrap.dedent(m.group("code")))
        for m in FENCE.finditer(text)
    ]


def run_page(blocks: list[Block]) -> None:
    """Run the blocks in one namespace; raise AssertionError naming the block that failed."""
    namespace: dict[str, object] = {"__name__": "__reference__"}
    for block in blocks:
        if block.skipped:
            continue
        name = block.page.relative_to(ROOT) if block.page.is_relative_to(ROOT) else block.page.name
        where = f"{name}, block at line {block.line}"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                exec(compile(block.code, where, "exec"), namespace)
        except Exception as error:  # report any failure with the page and line
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            tb = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == where]
            line = block.line + tb[-1].lineno - 1 if tb else block.line
            raise AssertionError(f"{where} failed at line {line} of the page: {detail}") from error


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Work in a temporary directory with no network, on one thread (tiny ops, shared cores)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("a reference snippet tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.chdir(tmp_path)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_the_reference_pages_exist_and_have_snippets():
    names = {p.name for p in PAGES}
    expected = {
        "index.md",
        "numpy-to-pytorch.md",
        "symbols.md",
        "cheat-sheet.md",
        "practice.md",
        "experiments.md",
        "glossary.md",
        "bibliography.md",
    }
    assert expected <= names, f"missing reference pages: {sorted(expected - names)}"
    blocks = [b for p in PAGES for b in python_blocks(p)]
    assert len(blocks) >= 30, f"only {len(blocks)} python blocks found: is the fence pattern right?"
    skipped = [b for b in blocks if b.skipped]
    assert len(skipped) <= len(blocks) // 10, (
        f"{len(skipped)} of {len(blocks)} blocks are '# not run'"
    )


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_every_python_block_runs(page: Path, offline: None):
    run_page(python_blocks(page))


def test_a_failing_snippet_is_reported_with_its_page_and_line(tmp_path: Path, offline: None):
    page = tmp_path / "bad.md"
    page.write_text(
        "# Bad\n\n```python\nx = 1\n```\n\n:::{dropdown} Answer\n```python\nassert x == 2\n```\n:::\n"
    )
    blocks = python_blocks(page)
    assert [b.line for b in blocks] == [4, 9]
    with pytest.raises(AssertionError, match=r"line 9 of the page"):
        run_page([Block(b.page, b.line, b.code) for b in blocks])


def test_a_deprecation_warning_fails_a_snippet(tmp_path: Path, offline: None):
    page = tmp_path / "old.md"
    page.write_text("```python\nimport torch\ntorch.zeros(2, 3, 4).T\n```\n")
    with pytest.raises(AssertionError, match="deprecated"):
        run_page(python_blocks(page))


def test_a_snippet_cannot_reach_the_network(tmp_path: Path, offline: None):
    page = tmp_path / "net.md"
    page.write_text(
        "```python\nimport socket\nsocket.create_connection(('example.org', 80))\n```\n"
    )
    with pytest.raises(AssertionError, match="network"):
        run_page(python_blocks(page))
