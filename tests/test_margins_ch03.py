"""Margins of the Chapter 3 statistical check: He initialisation, on many seeds.

Exercise 3.4 grades ``he_init_`` statistically, in its hidden test (cell ``ex3_4_tests`` of
``solutions/ch03/ch03_exercises.ipynb``), which defines the tolerances: ``STD_RTOL``, per
(fan_in, fan_out) of the graded layers, bounds the standard deviation of the weights relative
to sqrt(2 / fan_in); for layers of 100,000 weights or more, ``MEAN_ATOL`` bounds their mean (in
units of that standard deviation) and ``TAIL`` the fraction of weights beyond two of them (a
normal distribution has 4.55 %, a uniform one none). This file reads those values from the
notebook, so that the tolerances proved here are the ones graded.

The reference solution (loaded with ``solution_namespace``), and two other correct ways of
drawing the weights (``normal_`` and ``randn_like``, as students write them), initialise every
graded layer shape on seeds 0-9: every seed must pass with at least half the tolerance to
spare, and plausible wrong scales and distributions must fail by a wide margin. The test prints
the worst values next to the tolerances. The other Chapter 3 checks are exact (parameter counts,
identical outputs, unchanged weights) or compare with plain SGD to 1e-4, and have no threshold
that depends on a seed. Run with ``make margins``.
"""

from __future__ import annotations

import ast
import math
import warnings
from pathlib import Path

import matplotlib
import pytest
import torch
from torch import nn

matplotlib.use("Agg")

from autograder import notebooks
from autograder.notebooks import solution_namespace
from autograder.verdicts import split

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "solutions" / "ch03" / "ch03_exercises.ipynb"
SEEDS = range(10)
LARGE = 100_000  # layers with at least this many weights also have their mean and tails graded

pytestmark = pytest.mark.margins


def _graded_tolerances() -> dict:
    """STD_RTOL, MEAN_ATOL and TAIL, as the hidden test of exercise 3.4 defines them."""
    cell = next(c for c in notebooks.read(SOURCE).cells if notebooks.grade_id(c) == "ex3_4_tests")
    values = {}
    for node in ast.parse(split(cell.source)[1]).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id in ("STD_RTOL", "MEAN_ATOL", "TAIL"):
                values[target.id] = ast.literal_eval(node.value)
    assert set(values) == {"STD_RTOL", "MEAN_ATOL", "TAIL"}, "the hidden test of 3.4 changed"
    return values


GRADED = _graded_tolerances()
LAYERS = [(fan_in, fan_out, rtol) for (fan_in, fan_out), rtol in GRADED["STD_RTOL"].items()]
MEAN_ATOL, TAIL = GRADED["MEAN_ATOL"], GRADED["TAIL"]


def _normal(model: nn.Module) -> nn.Module:
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Linear):
                m.weight.normal_(0.0, math.sqrt(2 / m.in_features))
                m.bias.zero_()
    return model


def _randn_like(model: nn.Module) -> nn.Module:
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Linear):
                m.weight.copy_(torch.randn_like(m.weight) * math.sqrt(2 / m.weight.shape[1]))
                m.bias.zero_()
    return model


@pytest.fixture(scope="module")
def he_inits():
    """The reference he_init_ (the notebook's plot cells run too; their figures are closed),
    and two other correct ways of drawing the weights."""
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Agg cannot show figures: plt.show() warns
        ns = solution_namespace(SOURCE)
    plt.close("all")
    return {"reference": ns["he_init_"], "normal_": _normal, "randn_like": _randn_like}


def _stats(weight: torch.Tensor, fan_in: int) -> tuple[float, float, float]:
    """Relative std error, |mean| in units of the target std, tail fraction beyond 2 std."""
    target = math.sqrt(2 / fan_in)
    w = weight.detach().double()
    rel = abs(w.std().item() / target - 1)
    mean = abs(w.mean().item()) / target
    tail = (w.abs() > 2 * target).double().mean().item()
    return rel, mean, tail


def test_the_graded_layers_are_the_ones_proved():
    assert LAYERS, "no graded layer shapes"
    assert any(fan_in * fan_out >= LARGE for fan_in, fan_out, _ in LAYERS)
    assert 0 < TAIL[0] < 0.0455 < TAIL[1] < 1 and 0 < MEAN_ATOL < 1


@pytest.mark.parametrize(("fan_in", "fan_out", "rtol"), LAYERS)
@pytest.mark.parametrize("way", ["reference", "normal_", "randn_like"])
def test_he_init_statistics_hold_on_every_seed(he_inits, way, fan_in, fan_out, rtol):
    large = fan_in * fan_out >= LARGE
    worst_rel, worst_mean, tails = 0.0, 0.0, []
    for seed in SEEDS:
        torch.manual_seed(seed)
        layer = he_inits[way](nn.Sequential(nn.Linear(fan_in, fan_out)))[0]
        rel, mean, tail = _stats(layer.weight, fan_in)
        assert rel < rtol / 2, f"seed {seed}: std off by {rel:.2%} (tolerance {rtol:.0%})"
        if large:
            assert mean < MEAN_ATOL / 2, f"seed {seed}: |mean| {mean:.4f} std ({MEAN_ATOL})"
            assert TAIL[0] + 0.005 < tail < TAIL[1] - 0.005, f"seed {seed}: tail {tail:.3%}"
        worst_rel, worst_mean = max(worst_rel, rel), max(worst_mean, mean)
        tails.append(tail)
    graded = (
        f", worst |mean| {worst_mean:.4f} std (tolerance {MEAN_ATOL}), tail {min(tails):.3%} "
        f"to {max(tails):.3%} (allowed {TAIL[0]:.1%} to {TAIL[1]:.1%})"
        if large
        else " (mean and tails not graded)"
    )
    print(
        f"\n{way}, Linear({fan_in}, {fan_out}): worst std error {worst_rel:.2%} "
        f"(tolerance {rtol:.0%}){graded}"
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
        if fan_in * fan_out < LARGE:
            continue
        w = torch.empty(fan_out, fan_in)
        init(w)
        rel, _, tail = _stats(w, fan_in)
        failing.append(rel > 2 * rtol or tail < TAIL[0] - 0.01 or tail > TAIL[1] + 0.01)
    print(f"\n{name}: fails on {sum(failing)} of {len(failing)} graded large layers")
    assert any(failing), f"{name} would pass the He check"
