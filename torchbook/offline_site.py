"""Sphinx extension: the site serves MathJax itself, so math renders with no internet.

MathJax comes from the ``django-static-mathjax`` wheel (a plain copy of MathJax 3's files,
installed with the other pinned packages); at the end of an HTML build its ``es5`` folder is
copied to ``_static/mathjax`` and pages load it from there instead of from a CDN.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx

MATHJAX_PATH = "mathjax/tex-chtml.js"  # relative to the site's _static folder
# The combined TeX-to-HTML component and what it loads on demand (TeX extensions, fonts,
# the menu and its accessibility tools); the other combined bundles are not needed.
MATHJAX_PARTS = ("tex-chtml.js", "input", "output", "ui", "a11y", "sre")


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


def setup(app: Sphinx) -> dict:
    """Register the extension."""
    app.connect("builder-inited", _use_local_mathjax)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
