"""Fast unit tests of torchbook.mlp_viz (Chapter 6's signal-propagation figure and widget)."""

from __future__ import annotations

import base64
import math

import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

from torchbook.mlp_viz import (
    ACTIVATIONS,
    INITS,
    WIDTHS,
    DepthWidthExplorer,
    explorer_figure,
    init_linear_,
    signal_profile,
    std_through_depth_figure,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("scheme", "variance_times_fan_in"),
    [("default", 1 / 3), ("he", 2.0), ("xavier", 2 * 800 / (800 + 200))],
)
def test_init_linear_matches_the_formula(scheme: str, variance_times_fan_in: float):
    torch.manual_seed(0)
    layer = nn.Linear(800, 200)
    init_linear_(layer, scheme, torch.Generator().manual_seed(0))
    measured = layer.weight.var().item() * 800
    assert measured == pytest.approx(variance_times_fan_in, rel=0.02)
    if scheme == "default":  # PyTorch's own: uniform on +-1/sqrt(fan_in), biases too
        assert layer.weight.abs().max().item() <= 1 / math.sqrt(800)
        assert torch.count_nonzero(layer.bias) > 0
    else:
        assert torch.count_nonzero(layer.bias) == 0


def test_init_linear_rejects_unknown_schemes():
    with pytest.raises(ValueError, match="unknown initialisation"):
        init_linear_(nn.Linear(2, 2), "kaiming")


def test_signal_profile_shapes_and_the_expected_trends():
    he = signal_profile("relu", "he", depth=20, width=128, keep=(1, 20))
    assert len(he.stds) == 21 and he.stds[0] == pytest.approx(1.0, rel=0.1)
    assert all(0.2 < s < 2.0 for s in he.stds[1:])
    assert set(he.samples) == {1, 20}
    assert he.samples[20].shape == (256, 128)
    assert signal_profile("relu", "xavier", depth=20, width=128).stds[-1] < 0.01
    assert signal_profile("gelu", "he", depth=30, width=128).stds[-1] < 0.05
    assert signal_profile("elu", "he", depth=20, width=128).stds[-1] > 1.0


def test_signal_profile_is_reproducible_and_leaves_the_global_generator_alone():
    torch.manual_seed(5)
    before = torch.rand(3)
    torch.manual_seed(5)
    a = signal_profile("tanh", "default", depth=5, width=32, seed=1).stds
    after = torch.rand(3)
    assert torch.equal(before, after)
    assert a == signal_profile("tanh", "default", depth=5, width=32, seed=1).stds
    assert a != signal_profile("tanh", "default", depth=5, width=32, seed=2).stds


def test_signal_profile_rejects_bad_arguments():
    with pytest.raises(ValueError, match="activation"):
        signal_profile("softplus", "he")
    with pytest.raises(ValueError, match="initialisation"):
        signal_profile("relu", "ones")
    with pytest.raises(ValueError):
        signal_profile("relu", "he", depth=0)


def test_std_through_depth_figure_has_one_panel_per_activation_and_three_lines():
    fig = std_through_depth_figure(("relu", "tanh", "sigmoid"), depth=4, width=16)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 3
    assert all(len(ax.get_lines()) == len(INITS) for ax in fig.axes)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_explorer_figure_draws_every_activation_even_when_the_signal_dies(activation: str):
    fig, summary = explorer_figure(activation, "he", depth=30, width=8)
    assert isinstance(fig, Figure)
    assert summary.startswith(f"DepthWidthExplorer: {activation}, he init, depth 30, width 8")


def test_explorer_bundle_has_a_png_and_a_stable_text():
    explorer = DepthWidthExplorer(activation="tanh", init="xavier", depth=4, width=32)
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)
    assert bundle["text/plain"].startswith("DepthWidthExplorer: tanh, xavier init, depth 4")
    old = explorer.png
    explorer.activation.value = "relu"
    assert explorer.png != old
    assert "relu" in repr(explorer)
    assert list(explorer.width.options) == list(WIDTHS)
    assert set(explorer.init.options) == set(INITS)


def test_explorer_refuses_a_width_it_cannot_show():
    with pytest.raises(ValueError, match="width"):
        DepthWidthExplorer(width=100)
