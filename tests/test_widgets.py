"""Fast unit tests of torchbook.widgets and torchbook.plots (no kernel, no browser)."""

from __future__ import annotations

import base64
import itertools

import pytest
import torch
from matplotlib.figure import Figure

from torchbook.plots import fig_to_png
from torchbook.widgets import (
    BroadcastExplorer,
    broadcast_diagram,
    explain_broadcast,
    parse_shape,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("text", "shape"),
    [("3, 1", (3, 1)), ("(3,1)", (3, 1)), ("3x1", (3, 1)), ("[4]", (4,)), ("4,", (4,)),
     ("", ()), ("()", ()), (" 16 3 32 32 ", (16, 3, 32, 32)), ("0, 1", (0, 1))],
)
def test_parse_shape_accepts_what_people_type(text: str, shape: tuple[int, ...]):
    assert parse_shape(text) == shape


@pytest.mark.parametrize("text", ["3, x", "-1", "3.5", "a", "1," * 9])
def test_parse_shape_rejects_nonsense_with_a_message(text: str):
    with pytest.raises(ValueError, match=r"size|dimensions"):
        parse_shape(text)


SIZES = [(), (1,), (3,), (4,), (1, 4), (3, 1), (3, 4), (2, 1, 4), (2, 3, 1), (0,), (1, 0), (5, 1, 3)]


@pytest.mark.parametrize(("a", "b"), list(itertools.product(SIZES, repeat=2)))
def test_explain_broadcast_agrees_with_torch(a: tuple[int, ...], b: tuple[int, ...]):
    report = explain_broadcast(a, b)
    try:
        expected = tuple(torch.broadcast_shapes(a, b))
    except RuntimeError:
        expected = None
    assert report.result == expected, f"{a} and {b}: got {report.result}, torch says {expected}"
    if expected is not None:  # the real operation gives the same shape
        assert tuple((torch.zeros(a) + torch.zeros(b)).shape) == expected


def test_worked_example_column_plus_row():
    report = explain_broadcast((3, 1), (4,))
    assert report.padded_b == (1, 4)
    assert report.prepended == (0, 1)
    assert report.actions == ("stretch b", "stretch a")
    assert report.result == (3, 4)
    text = report.describe()
    assert "prepend 1 size-1 dim to b -> (1, 4)" in text
    assert "result shape (3, 4)" in text


def test_incompatible_shapes_are_explained_with_torchs_own_message():
    report = explain_broadcast((16, 3, 32, 32), (3,))
    assert not report.ok
    assert report.mismatches() == [-1]
    with pytest.raises(RuntimeError) as info:
        torch.zeros(16, 3, 32, 32) + torch.zeros(3)
    assert report.torch_error == str(info.value)
    assert "b.reshape(3, 1, 1)" in (report.hint() or "")
    assert "ERROR" in report.describe()
    # the suggested fix really works
    assert torch.broadcast_shapes((16, 3, 32, 32), (3, 1, 1)) == (16, 3, 32, 32)


def test_huge_incompatible_shapes_cost_no_memory():
    report = explain_broadcast((10**6, 10**6), (7,))
    assert not report.ok and "non-singleton" in (report.torch_error or "")


@pytest.mark.parametrize(("a", "b"), [((3, 1), (4,)), ((16, 3, 32, 32), (3,)), ((), ()),
                                      ((5, 1, 3), (1, 4, 3)), ((64, 64), (64,))])
def test_broadcast_diagram_renders_a_png(a: tuple[int, ...], b: tuple[int, ...]):
    fig = broadcast_diagram(a, b)
    assert isinstance(fig, Figure)
    title = fig.get_suptitle()
    assert title.startswith("Broadcasting a ")
    assert ("error" in title) == (not explain_broadcast(a, b).ok)
    assert fig_to_png(fig).startswith(PNG_MAGIC)


def test_fig_to_png_is_reproducible():
    assert fig_to_png(broadcast_diagram((3, 1), (4,))) == fig_to_png(broadcast_diagram((3, 1), (4,)))


def test_explorer_bundle_has_widget_png_and_stable_text():
    explorer = BroadcastExplorer()
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)
    assert bundle["text/plain"] == "BroadcastExplorer: a(3, 1) + b(4,) -> (3, 4)"
    assert explorer.picture.value == explorer.png
    explorer.close()


def test_explorer_reacts_to_examples_and_typing():
    explorer = BroadcastExplorer("16, 3, 32, 32", "3")
    assert repr(explorer).endswith("-> error")
    assert "non-singleton dimension 3" in explorer.steps.value
    explorer.examples.value = "images (16, 3, 32, 32) - mean (3, 1, 1)"
    assert (explorer.text_a.value, explorer.text_b.value) == ("16, 3, 32, 32", "3, 1, 1")
    assert repr(explorer).endswith("-> (16, 3, 32, 32)")
    explorer.text_b.value = "3, nope"
    assert "Cannot read the shape" in explorer.steps.value
    explorer.close()
