"""Fast unit tests of torchbook.optim_viz (Chapter 4's loss surfaces, widget and data)."""

from __future__ import annotations

import math

import pytest
import torch
from matplotlib.figure import Figure

from torchbook.optim_viz import (
    SURFACES,
    LearningRateExplorer,
    classify_run,
    damped_oscillator,
    learning_rate_figure,
    optimizer_path,
    pendulum_regimes,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_sgd_path_matches_gradient_descent_by_hand():
    points, losses = optimizer_path("quadratic", lr=0.1, steps=5)
    w = torch.tensor(SURFACES["quadratic"].start, dtype=torch.float64)
    curvature = torch.tensor([1.0, 10.0], dtype=torch.float64)
    for k in range(6):
        assert torch.allclose(points[k], w)
        assert math.isclose(losses[k].item(), 0.5 * (curvature * w**2).sum().item())
        w = w - 0.1 * curvature * w


@pytest.mark.parametrize(
    ("lr", "verdict"), [(0.02, "slow"), (0.15, "converged"), (0.21, "diverged")]
)
def test_quadratic_learning_rates(lr: float, verdict: str):
    # GD on curvature 10 is stable only for lr < 2 / 10.
    _, losses = optimizer_path("quadratic", lr=lr, steps=30)
    assert classify_run(losses) == verdict


def test_divergent_run_is_padded_with_inf():
    points, losses = optimizer_path("rosenbrock", lr=0.02, steps=200, momentum=0.9)
    assert points.shape == (201, 2) and losses.shape == (201,)
    assert math.isinf(losses[-1].item())
    assert classify_run(losses) == "diverged"


def test_adam_and_bad_optimizer_name():
    _, losses = optimizer_path("rosenbrock", lr=0.05, steps=100, optimizer="Adam")
    assert losses[-1] < losses[0]
    with pytest.raises(ValueError, match="optimizer"):
        optimizer_path("quadratic", lr=0.1, optimizer="LBFGS")


def test_learning_rate_figure_has_one_panel_per_rate_plus_curves():
    fig = learning_rate_figure((0.02, 0.15, 0.21), steps=10)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 4
    assert "too large" in fig.axes[2].get_title()


def test_explorer_bundle_has_png_and_stable_text():
    explorer = LearningRateExplorer()
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"].startswith("LearningRateExplorer: quadratic, SGD, lr=0.15")
    assert bundle["text/plain"].endswith(repr(explorer)[-20:])
    assert explorer.png.startswith(PNG_MAGIC)
    explorer.lr.value = 0.3
    assert "diverged" in repr(explorer)
    explorer.optimizer.value = "Adam"
    assert "Adam" in repr(explorer)


def test_damped_oscillator_is_seeded_and_shaped():
    t, x = damped_oscillator(100, seed=3)
    t2, x2 = damped_oscillator(100, seed=3)
    assert t.shape == x.shape == (100, 1) and t.dtype == torch.float32
    assert torch.equal(t, t2) and torch.equal(x, x2)
    assert bool((t[1:] >= t[:-1]).all()) and 0 <= t.min() and t.max() <= 10
    clean = torch.exp(-0.3 * t) * torch.cos(2 * t)
    assert 0.03 < (x - clean).std().item() < 0.07


def test_pendulum_labels_follow_the_energy():
    X, y = pendulum_regimes(400, seed=1)
    assert X.shape == (400, 2) and y.dtype == torch.int64
    theta, omega = X[:, 0], X[:, 1]
    rotates = omega.abs() > 2 * torch.cos(theta / 2).abs()
    assert torch.equal(rotates.long(), y)
    assert 0.4 < y.float().mean().item() < 0.75
