"""Fast unit tests of torchbook.rnn_viz (Chapter 10's gradient measurement, figures, widget)."""

from __future__ import annotations

import base64

import pytest
import torch
from matplotlib.figure import Figure

from torchbook.rnn_viz import (
    RecurrentGainExplorer,
    gradient_through_time,
    gradient_time_figure,
    lstm_cell_figure,
    recurrent_weight,
    unrolled_rnn_figure,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_recurrent_weight_has_norm_and_radius_equal_to_the_gain():
    w = recurrent_weight(16, 1.7, seed=3)
    assert w.shape == (16, 16) and w.dtype == torch.float64
    singular = torch.linalg.svdvals(w)
    torch.testing.assert_close(singular, torch.full((16,), 1.7, dtype=torch.float64))
    radius = torch.linalg.eigvals(w).abs()
    torch.testing.assert_close(radius, torch.full((16,), 1.7, dtype=torch.float64))
    assert not torch.equal(w, recurrent_weight(16, 1.7, seed=4))
    assert torch.equal(w, recurrent_weight(16, 1.7, seed=3))


def test_helpers_leave_the_global_random_state_alone():
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    recurrent_weight(8, 2.0)
    gradient_through_time(1.0, steps=5, hidden=4)
    assert torch.equal(torch.rand(3), expected)


def test_linear_rnn_gradient_is_exactly_gain_to_the_power_k():
    """With an orthogonal W_hh times g and no tanh, dL/dh_{T-k} = (g W^T)^k v: norm g^k."""
    for gain in (0.8, 1.0, 1.3):
        norms = gradient_through_time(gain, steps=30, hidden=8, nonlinearity="linear")
        k = torch.arange(30, dtype=torch.float64)
        torch.testing.assert_close(norms, gain**k, rtol=1e-9, atol=0.0)


def test_tanh_rnn_stays_below_the_bound_and_vanishes_or_explodes():
    k = torch.arange(100, dtype=torch.float64)
    for gain in (0.5, 1.0, 2.0):
        norms = gradient_through_time(gain)
        assert norms.shape == (100,) and norms.dtype == torch.float64
        assert norms[0] == pytest.approx(1.0)
        assert torch.all(norms <= gain**k * (1 + 1e-9))
    assert gradient_through_time(0.5)[50] < 1e-12
    assert gradient_through_time(1.0)[99] < 1e-2
    assert gradient_through_time(3.0)[99] > 1e9
    # strong inputs saturate the tanh: the same gain explodes far less
    assert gradient_through_time(2.0, input_scale=1.0)[99] < 1e2
    assert gradient_through_time(2.0, input_scale=0.1)[99] > 1e5


def test_gradient_norms_match_the_jacobian_product():
    """Entry k is the mean over the batch of |v^T dh_T/dh_{T-k}|, computed independently."""
    gain, steps, hidden, batch = 1.2, 6, 5, 3
    norms = gradient_through_time(gain, steps=steps, hidden=hidden, batch=batch, seed=2)
    w = recurrent_weight(hidden, gain, seed=2)
    gen = torch.Generator().manual_seed(3)
    w_in = torch.randn(hidden, generator=gen, dtype=torch.float64)
    x = 0.1 * torch.randn(steps, batch, 1, generator=gen, dtype=torch.float64)
    v = torch.randn(batch, hidden, generator=gen, dtype=torch.float64)
    v = v / v.norm(dim=1, keepdim=True)
    h, states = torch.zeros(batch, hidden, dtype=torch.float64), []
    for t in range(steps):
        h = torch.tanh(h @ w.T + x[t] * w_in)
        states.append(h)
    grad, expected = v, [v.norm(dim=1).mean()]
    for t in range(steps - 1, 0, -1):  # from dL/dh_t to dL/dh_{t-1}
        grad = (grad * (1 - states[t] ** 2)) @ w
        expected.append(grad.norm(dim=1).mean())
    torch.testing.assert_close(norms, torch.stack(expected))


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="nonlinearity"):
        gradient_through_time(1.0, nonlinearity="relu")
    with pytest.raises(ValueError, match="steps"):
        gradient_through_time(1.0, steps=0)
    with pytest.raises(ValueError, match="gain"):
        recurrent_weight(4, -1.0)
    with pytest.raises(ValueError, match="gain"):
        RecurrentGainExplorer(gain=5.0)
    with pytest.raises(ValueError, match="input_scale"):
        RecurrentGainExplorer(input_scale=0.5)
    with pytest.raises(ValueError, match="nonlinearity"):
        RecurrentGainExplorer(nonlinearity="relu")
    with pytest.raises(ValueError, match="steps"):
        unrolled_rnn_figure(steps=9)


def test_figures_fit_a_page():
    fig, summary = gradient_time_figure(1.5, 1.0, "linear", steps=40)
    assert isinstance(fig, Figure) and fig.get_size_inches()[0] <= 7
    assert summary.startswith("RecurrentGainExplorer: linear, gain 1.5, input scale 1:")
    assert "linear RNN, gain 1.5" in fig.axes[0].get_title()
    for diagram in (unrolled_rnn_figure(3), lstm_cell_figure()):
        assert isinstance(diagram, Figure) and diagram.get_size_inches()[0] <= 7
    texts = {t.get_text() for t in lstm_cell_figure().axes[0].texts}
    assert {"forget", "input", "candidate", "output"} <= texts


def test_explorer_bundle_has_a_png_and_a_stable_text():
    explorer = RecurrentGainExplorer()
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)
    assert bundle["text/plain"].startswith("RecurrentGainExplorer: tanh, gain 1, input scale 0.1")
    assert repr(RecurrentGainExplorer()) == bundle["text/plain"]
    old = explorer.png
    explorer.gain.value = 2.0
    assert explorer.png != old and "gain 2" in repr(explorer)
    explorer.nonlinearity.value = "linear"
    assert "linear" in repr(explorer)
    explorer.input_scale.value = 1.0
    assert "input scale 1:" in repr(explorer)
