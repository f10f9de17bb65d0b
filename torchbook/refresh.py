"""Re-execute chapter notebooks in place so their committed outputs are current.

Usage: ``python -m torchbook.refresh chapters/ch01_tensors.ipynb ...`` (``make refresh``).
Prints how long each notebook took: the chapter budget is 60 s on 2 CPU cores.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# Execution metadata changes on every run and would make every refresh a noisy diff.
VOLATILE_CELL_METADATA = ("execution",)


def execute(nb: nbformat.NotebookNode, folder: Path, timeout: int = 300) -> float:
    """Execute a notebook in ``folder`` as the book does; return the seconds taken."""
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        # Widgets show their PNG on the site; saved widget state would only pull the widget
        # manager from a CDN into the page and change on every run.
        store_widget_state=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def refresh(path: Path, timeout: int = 300) -> float:
    """Execute one notebook in its own folder, write it back, return the seconds taken."""
    nb = nbformat.read(path, as_version=4)
    seconds = execute(nb, path.parent, timeout)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    """Refresh every notebook named on the command line."""
    if not argv:
        print(__doc__)
        return 2
    for name in argv:
        seconds = refresh(Path(name))
        print(f"{name}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
