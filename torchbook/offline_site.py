"""Sphinx extension: every page works with no internet.

- MathJax comes from the ``django-static-mathjax`` wheel (a plain copy of MathJax 3's files,
  installed with the other pinned packages); at the end of an HTML build its ``es5`` folder is
  copied to ``_static/mathjax`` and pages load it from there instead of from a CDN.
- Thebe ("live code" on a page) is dropped: it talks to a kernel on mybinder.org, so it cannot
  work offline, its JavaScript is on npm only, and the book does not enable it (readers launch
  a notebook in Binder, Colab or a JupyterHub instead). Jupyter Book still adds its loader to
  every page, pointing to a CDN and declared twice, which is a console error; we take it out.
- Widgets are shown as the PNG snapshot each torchbook widget saves with its output, so no
  page needs require.js or the Jupyter widget manager (``@jupyter-widgets/html-manager``, on
  npm only, which itself fetches widget code from a CDN). myst-nb would add both from CDNs to
  any notebook that saved widget state; the build warns (and ``-W`` fails) on such a notebook,
  on a widget output with no PNG, and on any script or style sheet a page loads from the web.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

MATHJAX_PATH = "mathjax/tex-chtml.js"  # relative to the site's _static folder
# The combined TeX-to-HTML component and what it loads on demand (TeX extensions, fonts,
# the menu and its accessibility tools); the other combined bundles are not needed.
MATHJAX_PARTS = ("tex-chtml.js", "input", "output", "ui", "a11y", "sre")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
THEBE_FILES = ("sphinx-thebe.js", "sphinx-thebe.css")


def mathjax_files() -> Path:
    """The installed MathJax 3 distribution (its ``es5`` folder)."""
    import mathjax  # the django-static-mathjax wheel

    folder = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (folder / "tex-chtml.js").is_file():
        raise RuntimeError(f"MathJax files not found in {folder}: reinstall django-static-mathjax")
    return folder


def _use_local_mathjax(app: Sphinx) -> None:
    if app.builder.format == "html":
        mathjax_files()  # fail early, with a clear message, if the package is missing
        app.config.mathjax_path = MATHJAX_PATH


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        source = mathjax_files()
        target = Path(app.outdir) / "_static" / "mathjax"
        target.mkdir(parents=True, exist_ok=True)
        for part in MATHJAX_PARTS:
            if (source / part).is_dir():
                shutil.copytree(source / part, target / part, dirs_exist_ok=True)
            else:
                shutil.copy2(source / part, target / part)


def widget_problems(notebook: dict[str, Any]) -> list[str]:
    """What in a notebook would put a dead control or a CDN script on its page."""
    problems = []
    if notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state"):
        problems.append(
            "saved widget state: the page would load require.js and the widget manager "
            "from CDNs (clear it: Widgets > Clear Notebook Widget State, or `make refresh`)"
        )
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and "image/png" not in data:
                problems.append(
                    f"cell {number}: a widget output with no image/png snapshot "
                    "(use a torchbook SnapshotWidget): the page would show nothing"
                )
    return problems


def _check_widgets(app: Sphinx, docname: str, source: list[str]) -> None:
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    try:
        notebook = json.loads(source[0])
    except (json.JSONDecodeError, IndexError):
        return  # not JSON (a text notebook): myst-nb reports its own errors
    for problem in widget_problems(notebook):
        logger.warning(f"{problem}", location=docname, type="torchbook", subtype="widgets")


def _is_thebe(asset: Any) -> bool:
    filename = str(getattr(asset, "filename", "") or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return filename.endswith(THEBE_FILES) or "THEBE_JS_URL" in body


def _drop_thebe_config(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(nodes.raw)):
        if "text/x-thebe-config" in node.astext():
            node.parent.remove(node)


def _offline_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Take thebe off the page; warn about any script or style sheet from the web."""
    for key in ("script_files", "css_files"):
        if key not in context:
            continue
        context[key] = [asset for asset in context[key] if not _is_thebe(asset)]
        for asset in context[key]:
            filename = str(getattr(asset, "filename", "") or "")
            if filename.startswith(("http://", "https://", "//")):
                logger.warning(
                    f"{pagename} loads {filename} from the web: serve it from the site",
                    type="torchbook",
                    subtype="offline",
                )


def setup(app: Sphinx) -> dict:
    """Register the extension."""
    app.connect("builder-inited", _use_local_mathjax)
    app.connect("build-finished", _copy_mathjax)
    app.connect("source-read", _check_widgets)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    # Late, so that page-specific files added by other extensions are already in the lists.
    app.connect("html-page-context", _offline_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
