"""Margins of the Chapter 3 statistical check: He initialisation, on many seeds.

Exercise 3.4 grades ``he_init_`` statistically: the standard deviation of the weights of a
large layer must be within 3 % of sqrt(2 / fan_in) (within 10 % for the small visible
Linear(400, 10)), their mean near 0, and the fraction of weights beyond two standard
deviations must look normal (between 3.5 % and 5.6 %; a normal distribution has 4.55 %, a
uniform one none). Here the reference solution (loaded with ``solution_namespace``) initialises
the graded layer shapes on seeds 0-9; every seed must pass with room to spare, plausible
wrong scales must fail, and the test prints the worst values next to the tolerances. The other
Chapter 3 checks are exact (parameter counts, identical outputs, unchanged weights) and have
no threshold. Run with ``make margins``.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import matplotlib
import pytest
import torch
from torch import nn

matplotlib.use("Agg")

from autograder.notebooks import solution_namespace

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(10)
# (fan_in, fan_out, relative tolerance on the std) of the layers the tests grade
LAYERS = [(1000, 400, 0.03), (400, 10, 0.10), (2000, 500, 0.03), (500, 300, 0.03)]
TAIL = (0.035, 0.056)

pytestmark = pytest.mark.margins


@pytest.fixture(scope="module")
def he_init_():
    """The reference he_init_ (the notebook's plot cells run too; their figures are closed)."""
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Agg cannot show figures: plt.show() warns
        ns = solution_namespace(ROOT / "solutions" / "ch03" / "ch03_exercises.ipynb")
    plt.close("all")
    return ns["he_init_"]


def _stats(weight: torch.Tensor, fan_in: int) -> tuple[float, float, float]:
    """Relative std error, |mean| in units of the target std, tail fraction beyond 2 std."""
    target = math.sqrt(2 / fan_in)
    w = weight.detach()
    rel = abs(w.std().item() / target - 1)
    mean = abs(w.mean().item()) / target
    tail = (w.abs() > 2 * target).float().mean().item()
    return rel, mean, tail


@pytest.mark.parametrize(("fan_in", "fan_out", "rtol"), LAYERS)
def test_he_init_statistics_hold_on_every_seed(he_init_, fan_in: int, fan_out: int, rtol: float):
    worst_rel, worst_mean, tails = 0.0, 0.0, []
    for seed in SEEDS:
        torch.manual_seed(seed)
        layer = he_init_(nn.Sequential(nn.Linear(fan_in, fan_out)))[0]
        rel, mean, tail = _stats(layer.weight, fan_in)
        assert rel < rtol / 2, f"seed {seed}: std off by {rel:.2%} (tolerance {rtol:.0%})"
        if fan_in * fan_out >= 100_000:
            assert TAIL[0] + 0.005 < tail < TAIL[1] - 0.005, f"seed {seed}: tail {tail:.3%}"
        worst_rel, worst_mean = max(worst_rel, rel), max(worst_mean, mean)
        tails.append(tail)
    print(
        f"\nLinear({fan_in}, {fan_out}): worst std error {worst_rel:.2%} (tolerance {rtol:.0%}), "
        f"worst |mean| {worst_mean:.3f} std, tail {min(tails):.3%} to {max(tails):.3%} "
        f"(allowed {TAIL[0]:.1%} to {TAIL[1]:.1%})"
    )


@pytest.mark.parametrize(
    ("name", "init"),
    [
        (
            "gain 1 (nonlinearity='linear')",
            lambda w: nn.init.kaiming_normal_(w, nonlinearity="linear"),
        ),
        ("mode='fan_out'", lambda w: nn.init.kaiming_normal_(w, mode="fan_out")),
        ("xavier_normal_", nn.init.xavier_normal_),
        ("PyTorch's default", lambda w: nn.init.kaiming_uniform_(w, a=math.sqrt(5))),
        (
            "kaiming_uniform_ (right std, not normal)",
            lambda w: nn.init.kaiming_uniform_(w, nonlinearity="relu"),
        ),
    ],
)
def test_wrong_scales_fail_by_a_wide_margin(name: str, init):
    torch.manual_seed(0)
    failing = []
    for fan_in, fan_out, rtol in LAYERS:
        if fan_in * fan_out < 100_000:
            continue
        w = torch.empty(fan_out, fan_in)
        init(w)
        rel, _, tail = _stats(w, fan_in)
        failing.append(rel > 2 * rtol or not (TAIL[0] < tail < TAIL[1]))
    print(f"\n{name}: fails on {sum(failing)} of {len(failing)} graded layers")
    assert any(failing), f"{name} would pass the He check"
