"""Sphinx extension: reading comfort on the site.

- Adds ``book/_static/torchbook.css`` (figures stay readable in the dark theme, and the style
  of the line below).
- Puts a "last verified" line under each chapter's title, naming the PyTorch version that
  produced the chapter's outputs. The version is read from the chapter's own executed outputs:
  every chapter's set-up cell prints ``PyTorch X.Y.Z``, and CI re-executes the chapter with
  nbval, which fails when that line (or any other output) no longer reproduces. So the line
  cannot drift from the outputs it describes, and needs no record kept by hand. A chapter
  that does not print the line gets a build warning (``-W`` makes it an error).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

CSS_FILE = "torchbook.css"
VERSION_LINE = re.compile(r"^PyTorch (\d+\.\d+\.\d+\S*)\s*$", re.MULTILINE)


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def verified_with(notebook: dict[str, Any]) -> dict[str, str] | None:
    """The PyTorch (and Python) version that produced a notebook's outputs, if it printed it."""
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                found = VERSION_LINE.search(_text(output.get("text", "")))
                if found:
                    python = notebook.get("metadata", {}).get("language_info", {}).get("version")
                    return {"torch": found.group(1), "python": python or ""}
    return None


def verified_sentence(versions: dict[str, str]) -> str:
    """The line shown under a chapter's title."""
    python = f" on Python {versions['python']}" if versions.get("python") else ""
    return (
        f"Last verified with PyTorch {versions['torch']}{python}: the outputs on this page were "
        "produced by that version, and CI re-runs the notebook to check they still reproduce."
    )


def _add_verified_line(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    if not docname.startswith(tuple(app.config.torchbook_verified_prefixes)):
        return
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    versions = verified_with(json.loads(path.read_text(encoding="utf-8")))
    if versions is None:
        logger.warning(
            "no 'PyTorch X.Y.Z' line in the outputs: print torch.__version__ in the set-up "
            "cell so the page can say which version produced them",
            location=docname,
            type="torchbook",
            subtype="verified",
        )
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not isinstance(section[0], nodes.title):
        return
    line = nodes.paragraph(classes=["torchbook-verified"])
    line += nodes.Text(verified_sentence(versions))
    section.insert(1, line)


def _add_static_folder(app: Sphinx) -> None:
    static = Path(app.srcdir) / "book" / "_static"
    if static.is_dir() and str(static) not in app.config.html_static_path:
        app.config.html_static_path.append(str(static))


def setup(app: Sphinx) -> dict:
    """Register the extension."""
    app.add_config_value("torchbook_verified_prefixes", ["chapters/"], "env", [list])
    app.connect("builder-inited", _add_static_folder)
    app.add_css_file(CSS_FILE)
    app.connect("doctree-read", _add_verified_line)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
