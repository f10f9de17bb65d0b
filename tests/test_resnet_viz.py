"""Fast unit tests of torchbook.resnet_viz (Chapter 8's probe networks, figure and widget)."""

from __future__ import annotations

import base64

import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

from torchbook.resnet_viz import (
    ProbeBlock,
    ResidualGradientExplorer,
    conv_grad_norms,
    gradient_profile_figure,
    probe_batch,
    probe_net,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def test_plain_and_residual_nets_have_the_same_weights_and_shapes():
    plain = probe_net(3, residual=False, width=4)
    residual = probe_net(3, residual=True, width=4)
    assert _n_params(plain) == _n_params(residual)
    for (name, p), (_, q) in zip(
        plain.named_parameters(), residual.named_parameters(), strict=True
    ):
        assert torch.equal(p, q), name
    assert sum(isinstance(m, nn.Conv2d) for m in plain.modules()) == 7
    assert plain(torch.zeros(2, 1, 16, 16)).shape == (2, 10)


def test_probe_net_leaves_the_global_random_state_alone():
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    probe_net(2, residual=True, init="he")
    assert torch.equal(torch.rand(3), expected)
    other = probe_net(2, residual=True, seed=1)
    same = probe_net(2, residual=True, seed=0)
    assert not torch.equal(other[0].weight, same[0].weight)


def test_blocks_compute_what_their_docstring_says():
    torch.manual_seed(0)
    x = torch.randn(2, 3, 5, 5)
    plain, residual = ProbeBlock(3, residual=False), ProbeBlock(3, residual=True)
    residual.load_state_dict(plain.state_dict())
    branch = plain.conv2(torch.relu(plain.conv1(x)))
    torch.testing.assert_close(plain(x), torch.relu(branch))
    torch.testing.assert_close(residual(x), torch.relu(x + branch))


def test_without_blocks_plain_and_residual_are_the_same_network():
    x, y = probe_batch()
    plain = conv_grad_norms(probe_net(0, residual=False), x, y)
    residual = conv_grad_norms(probe_net(0, residual=True), x, y)
    assert plain.shape == (1,)
    torch.testing.assert_close(plain, residual)


def test_default_init_gradient_vanishes_in_the_plain_net_only():
    x, y = probe_batch()
    plain = conv_grad_norms(probe_net(10, residual=False), x, y)
    residual = conv_grad_norms(probe_net(10, residual=True), x, y)
    assert plain.shape == residual.shape == (21,)
    assert residual[0] / plain[0] > 1e3
    assert plain[0] < plain[-1] / 1e3  # it shrinks from the last layer to the first
    assert residual.max() / residual.min() < 100  # roughly flat


def test_conv_grad_norms_clears_old_gradients_and_needs_convolutions():
    x, y = probe_batch()
    model = probe_net(1, residual=True)
    first = conv_grad_norms(model, x, y)
    torch.testing.assert_close(conv_grad_norms(model, x, y), first)
    with pytest.raises(ValueError, match="Conv2d"):
        conv_grad_norms(nn.Linear(3, 3), torch.zeros(1, 3), torch.zeros(1, dtype=torch.long))


def test_probe_batch_is_real_digits_at_16_pixels():
    x, y = probe_batch()
    assert x.shape == (32, 1, 16, 16) and y.shape == (32,)
    assert 0.0 <= x.min() and x.max() <= 1.0 and y.dtype == torch.int64


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="init"):
        probe_net(2, residual=False, init="xavier")
    with pytest.raises(ValueError, match="n_blocks"):
        probe_net(-1, residual=False)
    with pytest.raises(ValueError, match="n_blocks"):
        ResidualGradientExplorer(n_blocks=21)
    with pytest.raises(ValueError, match="init"):
        ResidualGradientExplorer(init="zeros")


def test_figure_and_summary():
    fig, summary = gradient_profile_figure(4, "he")
    assert isinstance(fig, Figure)
    assert fig.get_size_inches()[0] <= 7
    assert summary.startswith("ResidualGradientExplorer: 4 blocks, he init: first-layer")
    assert "(9 convolutions)" in fig.axes[0].get_title()


def test_explorer_bundle_has_a_png_and_a_stable_text():
    explorer = ResidualGradientExplorer(n_blocks=2)
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)
    assert bundle["text/plain"].startswith("ResidualGradientExplorer: 2 blocks, default init")
    assert repr(ResidualGradientExplorer(n_blocks=2)) == bundle["text/plain"]
    old = explorer.png
    explorer.depth.value = 3
    assert explorer.png != old and "3 blocks" in repr(explorer)
    explorer.init.value = "he"
    assert "he init" in repr(explorer)
