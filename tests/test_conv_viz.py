"""Fast unit tests of torchbook.conv_viz (Chapter 7's heat fields, figure and widget)."""

from __future__ import annotations

import base64
import itertools

import pytest
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from torchbook.conv_viz import (
    ConvArithmeticExplorer,
    conv_arithmetic_figure,
    heat_snapshots,
    heat_step,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_heat_step_matches_the_five_point_formula_with_a_cold_boundary():
    torch.manual_seed(0)
    u = torch.randn(2, 1, 6, 7, dtype=torch.float64)
    padded = F.pad(u, (1, 1, 1, 1))  # zero outside the grid
    centre = padded[..., 1:-1, 1:-1]
    laplacian = (
        padded[..., :-2, 1:-1] + padded[..., 2:, 1:-1] + padded[..., 1:-1, :-2]
        + padded[..., 1:-1, 2:] - 4 * centre
    )  # fmt: skip
    torch.testing.assert_close(heat_step(u, 1, r=0.2), u + 0.2 * laplacian)
    twice = heat_step(heat_step(u, 1, r=0.2), 1, r=0.2)
    torch.testing.assert_close(heat_step(u, 2, r=0.2), twice)


def test_heat_step_conserves_nothing_it_should_not_and_stays_stable():
    u = torch.zeros(1, 1, 21, 21)
    u[0, 0, 10, 10] = 1.0
    v = heat_step(u, 50, r=0.25)
    assert v.min() >= 0 and v.max() < u.max()  # a stable step never overshoots
    assert v.sum() < u.sum()  # heat leaves through the cold boundary
    assert torch.allclose(v, v.flip(-1)) and torch.allclose(v, v.transpose(-1, -2))


def test_heat_step_rejects_unstable_steps_and_wrong_shapes():
    with pytest.raises(ValueError, match="stable"):
        heat_step(torch.zeros(1, 1, 4, 4), r=0.3)
    with pytest.raises(ValueError, match="shape"):
        heat_step(torch.zeros(4, 4))


def test_heat_snapshots_are_seeded_shaped_and_diffused():
    torch.manual_seed(3)
    before_state = torch.rand(2)
    u, v = heat_snapshots(5, 16, steps=10, generator=1)
    torch.manual_seed(3)
    assert torch.equal(before_state, torch.rand(2))  # the global generator is not used
    assert u.shape == v.shape == (5, 1, 16, 16) and u.dtype == torch.float32
    torch.testing.assert_close(v, heat_step(u, 10, r=0.2))
    assert v.abs().max() < u.abs().max()
    u2, _ = heat_snapshots(5, 16, steps=10, generator=1)
    u3, _ = heat_snapshots(5, 16, steps=10, generator=2)
    assert torch.equal(u, u2) and not torch.equal(u, u3)


def _unread(summary: str) -> int:
    return int(summary.split(", ")[-1].split()[0])


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "padding", "dilation"),
    [*itertools.product((5, 8), (1, 3, 4), (1, 2, 3), (0, 1, 2), (1, 2))],
)
def test_figure_gives_the_size_pytorch_gives(size, kernel, stride, padding, dilation):
    fig, summary = conv_arithmetic_figure(size, kernel, stride, padding, dilation)
    assert isinstance(fig, Figure)
    span = dilation * (kernel - 1) + 1
    if size + 2 * padding < span:
        assert ": output 0," in summary
        return
    conv = nn.Conv2d(1, 1, kernel, stride, padding, dilation, bias=False)
    nn.init.ones_(conv.weight)
    out = conv(torch.zeros(1, 1, size, size))
    assert f": output {out.shape[-1]}," in summary
    x = torch.zeros(1, 1, size, size, requires_grad=True)
    conv(x).sum().backward()  # the gradient is zero exactly on the cells never read
    assert _unread(summary) == int((x.grad == 0).sum())


def test_default_view_is_the_sparse_dilated_and_strided_case():
    _, summary = conv_arithmetic_figure()
    assert summary.endswith("output 3, 40 input cells never read")


def test_figure_rejects_impossible_arguments():
    with pytest.raises(ValueError):
        conv_arithmetic_figure(7, 0, 1, 0, 1)
    with pytest.raises(ValueError):
        conv_arithmetic_figure(7, 3, 1, -1, 1)


def test_explorer_bundle_has_a_png_and_a_stable_text():
    explorer = ConvArithmeticExplorer(size=6, kernel=3, stride=1, padding=1, dilation=1)
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)
    assert bundle["text/plain"].startswith("ConvArithmeticExplorer: input 6, kernel 3")
    assert "output 6, 0 input cells never read" in bundle["text/plain"]
    old = explorer.png
    explorer.stride.value = 2
    assert explorer.png != old
    assert "stride 2" in repr(explorer) and "output 3" in repr(explorer)


def test_explorer_refuses_values_outside_its_sliders():
    with pytest.raises(ValueError, match="kernel"):
        ConvArithmeticExplorer(kernel=9)
