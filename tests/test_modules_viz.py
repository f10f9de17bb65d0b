"""Fast unit tests of torchbook.modules_viz (Chapter 3's initialisation figure and widget)."""

from __future__ import annotations

import base64
import math

import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

from torchbook.modules_viz import (
    INITS,
    InitExplorer,
    activation_stds,
    depth_std_figure,
    init_linear_,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("scheme", ["kaiming", "xavier", "normal(0, 1)", "normal(0, 0.01)"])
def test_init_linear_matches_the_formula(scheme: str):
    layer = nn.Linear(800, 200)
    init_linear_(layer, scheme, torch.Generator().manual_seed(0))
    expected = {
        "kaiming": math.sqrt(2 / 800),
        "xavier": math.sqrt(2 / (800 + 200)),
        "normal(0, 1)": 1.0,
        "normal(0, 0.01)": 0.01,
    }[scheme]
    assert layer.weight.std().item() == pytest.approx(expected, rel=0.02)
    assert torch.count_nonzero(layer.bias) == 0


def test_init_linear_rejects_unknown_schemes():
    with pytest.raises(ValueError, match="unknown initialisation"):
        init_linear_(nn.Linear(2, 2), "he")


def test_kaiming_keeps_relu_signal_while_others_explode_or_vanish():
    kaiming = activation_stds("kaiming", "relu", depth=20, width=128)
    assert len(kaiming) == 21
    assert kaiming[0] == pytest.approx(1.0, rel=0.1)
    assert all(0.2 < s < 2.0 for s in kaiming[1:])
    assert activation_stds("normal(0, 1)", "relu", depth=20, width=128)[-1] > 1e10
    assert activation_stds("normal(0, 0.01)", "relu", depth=20, width=128)[-1] < 1e-10
    assert activation_stds("xavier", "relu", depth=20, width=128)[-1] < 0.05


def test_activation_stds_is_reproducible_and_leaves_the_global_generator_alone():
    torch.manual_seed(5)
    before = torch.rand(3)
    torch.manual_seed(5)
    a = activation_stds("default", "tanh", depth=5, width=32, seed=1)
    after = torch.rand(3)
    assert torch.equal(before, after)
    assert a == activation_stds("default", "tanh", depth=5, width=32, seed=1)
    assert a != activation_stds("default", "tanh", depth=5, width=32, seed=2)


def test_activation_stds_rejects_bad_arguments():
    with pytest.raises(ValueError, match="activation"):
        activation_stds("kaiming", "gelu")
    with pytest.raises(ValueError):
        activation_stds("kaiming", depth=0)


def test_depth_std_figure_skips_dead_layers():
    fig = depth_std_figure({"ok": [1.0, 0.9, 0.8], "dead": [1.0, 0.0, float("inf")]})
    assert isinstance(fig, Figure)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["ok", "dead (2 layers at 0 or inf)"]


def test_init_explorer_bundle_has_a_png_and_a_stable_text():
    explorer = InitExplorer(init="normal(0, 0.01)", activation="tanh", depth=4, width=32)
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)
    assert bundle["text/plain"].startswith("InitExplorer: normal(0, 0.01) + tanh, depth 4")
    old = explorer.png
    explorer.init.value = "xavier"
    assert explorer.png != old
    assert "xavier" in repr(explorer)
    assert set(INITS) == set(explorer.init.options)
