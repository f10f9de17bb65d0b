"""Margins of the Chapter 4 thresholds: each holds for the reference solution on many seeds.

The graded tests of ``solutions/ch04/ch04_exercises.ipynb`` train small models and compare a
loss or an accuracy with a threshold. Here the reference solution (loaded with
``solution_namespace``) runs the same experiment on seeds 0-7; every seed must pass, and the
test prints the worst value next to the threshold. Run with ``make margins``.
"""

from __future__ import annotations

import math

import matplotlib
import pytest
import torch
import torch.nn.functional as F
from torch import nn

matplotlib.use("Agg")

from torchbook.optim_viz import pendulum_regimes

SEEDS = range(8)

pytestmark = pytest.mark.margins
CHAPTER = "ch04"  # the conftest fixture `ref` loads its reference solution


def report(name: str, values: list[float], threshold: float, *, below: bool) -> None:
    """Print the values and the margin to the threshold, and assert every seed passes."""
    worst = max(values) if below else min(values)
    margin = (threshold - worst) if below else (worst - threshold)
    sign = "<" if below else ">"
    print(
        f"\n{name}: worst {worst:.4f} {sign} {threshold} (margin {margin:.4f}); all {[round(v, 4) for v in values]}"
    )
    for seed, value in zip(SEEDS, values, strict=True):
        assert (value < threshold) if below else (value > threshold), (
            f"{name}, seed {seed}: {value}"
        )


def test_ex4_1_sine_fit(ref: dict) -> None:
    """4.1: MSE against sin(x) after 40 epochs < 0.08."""
    grid = torch.linspace(0, 2 * math.pi, 200).unsqueeze(1)
    values = []
    for seed in SEEDS:
        gen = torch.Generator().manual_seed(seed)
        x = torch.rand(256, 1, generator=gen) * 2 * math.pi
        y = torch.sin(x) + 0.1 * torch.randn(256, 1, generator=gen)
        torch.manual_seed(seed)
        model = ref["make_sine_mlp"]()
        ref["train_regressor"](model, x, y, epochs=40, batch_size=32, lr=1e-2, seed=seed)
        with torch.no_grad():
            values.append(F.mse_loss(model(grid), torch.sin(grid)).item())
    report("4.1 MSE vs sin(x)", values, 0.08, below=True)


def _outlier_line(seed: int, n: int) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    x = torch.linspace(-1, 1, n)
    y = 2 * x + 0.5 + 0.1 * torch.randn(n, generator=gen)
    y[torch.randperm(n, generator=gen)[: n // 10]] += 5.0
    return x, y


def test_ex4_2_robust_fits(ref: dict) -> None:
    """4.2: L1 recovers (2, 0.5) within 0.1; Huber within 0.25 (slope) and 0.2 (intercept). The
    visible test asks this of the data of seed 0 (n = 200); the grader compares fit_line with its
    own optimisation, number for number, on other data."""
    fit = ref["fit_line"]
    l1, huber_a, huber_b = [], [], []
    for seed in SEEDS:
        worst = [0.0] * 3
        for n in (200, 160):
            x, y = _outlier_line(seed, n)
            a, b = fit(x, y, "l1")
            worst[0] = max(worst[0], abs(a - 2), abs(b - 0.5))
            a, b = fit(x, y, "huber")
            worst[1] = max(worst[1], abs(a - 2))
            worst[2] = max(worst[2], abs(b - 0.5))
        for values, w in zip((l1, huber_a, huber_b), worst, strict=True):
            values.append(w)
    report("4.2 L1 error (n = 200, 160)", l1, 0.1, below=True)
    report("4.2 Huber |a - 2|", huber_a, 0.25, below=True)
    report("4.2 Huber |b - 0.5|", huber_b, 0.2, below=True)


def _noisy_pendulum(seed: int, n: int = 100, n_train: int = 80, flip: float = 0.15):
    X, y = pendulum_regimes(n, seed=seed)
    gen = torch.Generator().manual_seed(seed + 100)
    y = torch.where(torch.rand(n, generator=gen) < flip, 1 - y, y)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def test_ex4_5_overfitting(ref: dict) -> None:
    """4.5: the plain network overfits (final val > 2 x min, train < 0.5 x at the onset, n=100),
    as the visible test asks of seed 0 and the grader of the same run."""
    tv, mlp, onset = ref["train_and_validate"], ref["make_overfit_mlp"], ref["overfitting_onset"]
    rise, fall = [], []
    for seed in SEEDS:
        data = _noisy_pendulum(seed)
        plain = tv(mlp(seed=seed), *data, epochs=150, lr=1e-2)
        o = onset(plain["val"])
        rise.append(plain["val"][-1] / plain["val"][o])
        fall.append(plain["train"][-1] / plain["train"][o])
    report("4.5 plain final val / min val", rise, 2.0, below=False)
    report("4.5 plain final train / train at onset", fall, 0.5, below=True)


def _pipeline(ref: dict, seed: int, n: int = 600):
    X, y = pendulum_regimes(n, seed=seed)
    tr, va, te = ref["split_indices"](n, 0.15, 0.15, seed=seed)
    data = {"train": (X[tr], y[tr]), "val": (X[va], y[va]), "test": (X[te], y[te])}
    torch.manual_seed(seed)
    model = nn.Sequential(
        nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2)
    )
    return model, data


def test_ex4_6_pipeline(ref: dict) -> None:
    """4.6: test accuracy > 0.9 after fit(epochs=30, lr=0.01, patience=5), as the visible test
    asks; and with lr=0.05, patience=3 (n=300, batch 32), the grader's second case, training
    stops early."""
    accs, runs = [], []
    for seed in SEEDS:
        model, data = _pipeline(ref, seed)
        accs.append(
            ref["fit"](model, data, epochs=30, lr=1e-2, patience=5, seed=seed)["test_accuracy"]
        )
        model, data = _pipeline(ref, seed, n=300)
        hist = ref["fit"](model, data, epochs=200, lr=0.05, patience=3, batch_size=32, seed=seed)
        runs.append(float(len(hist["val_loss"])))
    report("4.6 test accuracy", accs, 0.9, below=False)
    report("4.6 epochs run of 200 (early stopping)", runs, 200.0, below=True)


def test_ex4_7_learning_rates(ref: dict) -> None:
    """4.7 (e): every learning rate the statement allows (1e-3 to 0.1) trains the fixed
    classifier within 30 epochs; the reference's default (lr=None) reaches above 0.9."""
    for lr, threshold in [(1e-3, 0.75), (None, 0.9), (0.1, 0.75)]:
        values = []
        for seed in SEEDS:
            X, y = pendulum_regimes(600, seed=seed)
            torch.manual_seed(seed)
            model = ref["make_classifier"](2, 2)
            hist = ref["train_classifier"](model, X[:400], y[:400], X[400:], y[400:], lr=lr)
            values.append(hist["val_accuracy"][-1])
        report(f"4.7 validation accuracy, lr={lr}", values, threshold, below=False)
