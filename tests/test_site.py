"""The site builds strictly (-W -n --keep-going) and offline, with what a reader needs on it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("ch*.ipynb"))
EXERCISES = sorted(str(p.relative_to(ROOT).with_suffix("")) for p in ROOT.glob("exercises/*/*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_page_has_math_outputs_figures_and_buttons(site: Path, chapter: str):
    html = (site / "chapters" / f"{chapter}.html").read_text()
    assert re.search(r'class="math', html), "no typeset math on the chapter page"
    assert '<script defer="defer" src="../_static/mathjax/tex-chtml.js">' in html
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file(), "MathJax is not self-hosted"
    assert "cell_output" in html, "no executed outputs on the chapter page"
    assert re.search(r'<img[^>]+src="[^"]*\.png"', html), "no figure on the chapter page"
    assert f"colab.research.google.com/github/torchbook/torchbook/blob/main/chapters/{chapter}.ipynb" in html
    assert "mybinder.org/v2/gh/torchbook/torchbook/main" in html
    hub = re.search(r'^  jupyterhub_url: "(.*)"', (ROOT / "_config.yml").read_text(), re.M)
    assert hub, "_config.yml has no launch_buttons.jupyterhub_url"
    assert ("hub/user-redirect/git-pull" in html) == bool(hub.group(1)), (
        "a JupyterHub button appears exactly when _config.yml sets a hub"
    )
    assert f"_sources/chapters/{chapter}.ipynb" in html, "no download link for the notebook"
    assert (site / "_sources" / "chapters" / f"{chapter}.ipynb").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("exercises", EXERCISES)
def test_exercises_page_is_the_student_release(site: Path, exercises: str):
    html = (site / f"{exercises}.html").read_text()
    assert "NotImplementedError" in html, "the exercises page should show the stubs"
    for leak in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "HIDDEN TESTS"):
        assert leak not in html
    assert not (site / "solutions").exists()
    assert not list(site.rglob("*solutions*"))


@pytest.mark.slow
def test_every_page_in_the_toc_is_built(site: Path):
    toc = (ROOT / "_toc.yml").read_text()
    for name in re.findall(r"(?:root|file): (\S+)", toc):
        assert (site / f"{name}.html").is_file(), f"{name} missing from the site"


def test_every_chapter_and_exercise_notebook_is_in_the_toc():
    listed = set(re.findall(r"(?:root|file): (\S+)", (ROOT / "_toc.yml").read_text()))
    missing = [n for n in [f"chapters/{c}" for c in CHAPTERS] + EXERCISES if n not in listed]
    assert not missing, f"not in _toc.yml: {missing}"
