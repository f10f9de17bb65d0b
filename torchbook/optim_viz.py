"""Loss surfaces, optimizer paths and data for Chapter 4 (the training loop and optimizers).

- :func:`optimizer_path` runs a real ``torch.optim`` optimizer on a 2-D loss surface and
  returns the points it visits; :data:`SURFACES` holds the surfaces (an anisotropic
  quadratic bowl and the Rosenbrock valley).
- :func:`learning_rate_figure` draws the static "too small / good / too large" picture.
- :class:`LearningRateExplorer` is the chapter's widget: pick a learning rate, momentum and
  optimizer and watch the path; like every widget of the book, its output bundle carries a
  PNG of the current view for the static site.
- :func:`damped_oscillator` and :func:`pendulum_regimes` generate the chapter's seeded data.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
import torch
from matplotlib.figure import Figure

from torchbook.plots import COLORS, fig_to_png
from torchbook.widgets import SnapshotWidget

__all__ = [
    "SURFACES",
    "LearningRateExplorer",
    "Surface",
    "classify_run",
    "damped_oscillator",
    "learning_rate_figure",
    "optimizer_path",
    "pendulum_regimes",
]

LossFn = Callable[[torch.Tensor], torch.Tensor]


def _quadratic(w: torch.Tensor) -> torch.Tensor:
    """An anisotropic bowl, 0.5 * (w1^2 + 10 w2^2): curvatures 1 and 10."""
    return 0.5 * (w[0] ** 2 + 10.0 * w[1] ** 2)


def _rosenbrock(w: torch.Tensor) -> torch.Tensor:
    """The Rosenbrock valley (1 - w1)^2 + 100 (w2 - w1^2)^2, minimum 0 at (1, 1)."""
    return (1.0 - w[0]) ** 2 + 100.0 * (w[1] - w[0] ** 2) ** 2


@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface with what is needed to draw it."""

    name: str
    fn: LossFn
    start: tuple[float, float]
    minimum: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    log_levels: bool


SURFACES: dict[str, Surface] = {
    "quadratic": Surface(
        r"anisotropic quadratic $\frac{1}{2}(w_1^2 + 10\,w_2^2)$",
        _quadratic,
        (-4.0, 1.5),
        (0.0, 0.0),
        (-4.5, 4.5),
        (-2.0, 2.0),
        False,
    ),
    "rosenbrock": Surface(
        r"Rosenbrock valley $(1 - w_1)^2 + 100\,(w_2 - w_1^2)^2$",
        _rosenbrock,
        (-1.5, 2.0),
        (1.0, 1.0),
        (-2.0, 2.0),
        (-1.0, 3.0),
        True,
    ),
}

_OPTIMIZERS = ("SGD", "Adam")


def optimizer_path(
    surface: str | Surface,
    lr: float,
    steps: int = 40,
    *,
    momentum: float = 0.0,
    optimizer: str = "SGD",
    start: tuple[float, float] | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Run ``torch.optim.SGD`` (with ``momentum``) or ``torch.optim.Adam`` on a surface.

    Returns ``(points, losses)``: the ``(steps + 1, 2)`` float64 positions visited, starting
    point included, and the ``(steps + 1,)`` losses there. A run that leaves the float range
    stops early and pads with ``inf`` (points) and ``inf`` (losses).
    """
    surf = SURFACES[surface] if isinstance(surface, str) else surface
    if optimizer not in _OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {_OPTIMIZERS}, got {optimizer!r}")
    w = torch.tensor(start or surf.start, dtype=torch.float64, requires_grad=True)
    if optimizer == "SGD":
        opt: torch.optim.Optimizer = torch.optim.SGD([w], lr=lr, momentum=momentum)
    else:
        opt = torch.optim.Adam([w], lr=lr, betas=(momentum if momentum > 0 else 0.9, 0.999))
    points = torch.full((steps + 1, 2), math.inf, dtype=torch.float64)
    losses = torch.full((steps + 1,), math.inf, dtype=torch.float64)
    for k in range(steps + 1):
        loss = surf.fn(w)
        if not torch.isfinite(loss) or loss.item() > 1e12:
            break
        points[k] = w.detach()
        losses[k] = loss.detach()
        if k == steps:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    return points, losses


def classify_run(losses: torch.Tensor) -> str:
    """``"diverged"`` if the loss grew or overflowed, ``"converged"`` if it fell below 1e-3
    of its start, else ``"slow"``."""
    first = losses[0].item()
    last = losses[-1].item()
    if not math.isfinite(last) or last > first:
        return "diverged"
    if last <= 1e-3 * first:
        return "converged"
    return "slow"


def _draw_surface(ax: Any, surf: Surface) -> None:
    xs = np.linspace(*surf.xlim, 200)
    ys = np.linspace(*surf.ylim, 200)
    gx, gy = np.meshgrid(xs, ys)
    z = surf.fn(torch.from_numpy(np.stack([gx, gy]))).numpy()
    if surf.log_levels:
        levels = np.logspace(-1, 3.5, 14)
    else:
        levels = np.geomspace(0.05, z.max(), 14)
    ax.contour(gx, gy, z, levels=levels, colors=COLORS["muted"], linewidths=0.6)
    ax.plot(*surf.minimum, marker="*", color="black", markersize=10, linestyle="none")
    ax.set_xlim(*surf.xlim)
    ax.set_ylim(*surf.ylim)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")


def _draw_path(ax: Any, points: torch.Tensor, color: str, label: str | None = None) -> None:
    finite = torch.isfinite(points).all(dim=1)
    p = points[finite].numpy()
    ax.plot(p[:, 0], p[:, 1], "-o", color=color, markersize=2.5, linewidth=1.2, label=label)
    ax.plot(p[0, 0], p[0, 1], "s", color=color, markersize=5)


_VERDICT = {"diverged": "too large: diverges", "converged": "converges", "slow": "too small: slow"}


def learning_rate_figure(
    lrs: tuple[float, ...] = (0.02, 0.15, 0.21),
    steps: int = 30,
    surface: str = "quadratic",
) -> Figure:
    """Plain gradient descent on ``surface`` with each learning rate in ``lrs``: one panel of
    contours and path per rate, and a last panel with the loss curves (log scale), two panels
    to a row so that the figure stays 7 inches wide."""
    surf = SURFACES[surface]
    colors = [COLORS["a"], COLORS["result"], COLORS["error"], COLORS["b"]]
    rows = math.ceil((len(lrs) + 1) / 2)
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(7.0, 2.9 * rows + 0.5), layout="constrained")
        axes = fig.subplots(rows, 2, squeeze=False).flatten()
        curves = axes[len(lrs)]
        for ax in axes[len(lrs) + 1 :]:
            ax.remove()
        for ax, lr, color in zip(axes[: len(lrs)], lrs, colors, strict=False):
            points, losses = optimizer_path(surf, lr, steps)
            _draw_surface(ax, surf)
            _draw_path(ax, points, color)
            ax.set_title(f"lr = {lr:g}: {_VERDICT[classify_run(losses)]}", fontsize=11)
            finite = torch.isfinite(losses)
            curves.semilogy(
                np.arange(steps + 1)[finite.numpy()],
                losses[finite].numpy(),
                color=color,
                label=f"lr = {lr:g}",
            )
        curves.set_xlabel("step")
        curves.set_ylabel("loss")
        curves.set_title("loss per step", fontsize=11)
        curves.legend()
        fig.suptitle(f"Gradient descent on the {surf.name}, {steps} steps", fontsize=12)
    return fig


def explorer_figure(
    surface: str, lr: float, momentum: float, optimizer: str, steps: int
) -> tuple[Figure, str]:
    """The explorer's view: the path on the contours and the loss curve; with a summary."""
    surf = SURFACES[surface]
    points, losses = optimizer_path(surf, lr, steps, momentum=momentum, optimizer=optimizer)
    verdict = classify_run(losses)
    name = optimizer if optimizer == "Adam" else ("SGD + momentum" if momentum else "SGD")
    extra = f" {momentum:g}" if momentum and optimizer == "SGD" else ""
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(7.0, 3.6), layout="constrained")
        ax, curve = fig.subplots(1, 2, width_ratios=[1.4, 1])
        _draw_surface(ax, surf)
        _draw_path(ax, points, COLORS["a"])
        ax.set_title(surf.name, fontsize=11)
        finite = torch.isfinite(losses)
        curve.semilogy(
            np.arange(steps + 1)[finite.numpy()], losses[finite].numpy(), color=COLORS["a"]
        )
        curve.set_xlabel("step")
        curve.set_ylabel("loss")
        curve.set_title("loss per step", fontsize=11)
        fig.suptitle(
            f"{name}{extra}, lr = {lr:.3g}, {steps} steps: {_VERDICT[verdict]}", fontsize=12
        )
    last = losses[finite][-1].item() if finite.any() else math.inf
    summary = (
        f"LearningRateExplorer: {surface}, {optimizer}, lr={lr:.3g}, "
        f"momentum={momentum:g}, {steps} steps -> {verdict} (last loss {last:.3g})"
    )
    return fig, summary


class LearningRateExplorer(SnapshotWidget):
    """Choose a surface, an optimizer, a learning rate and momentum; see the path.

    The learning-rate slider is logarithmic. Displayed in a notebook, the output bundle also
    carries a PNG of the current view for the static site.
    """

    def __init__(
        self,
        surface: str = "quadratic",
        lr: float = 0.15,
        momentum: float = 0.0,
        optimizer: str = "SGD",
        steps: int = 40,
    ) -> None:
        wide = {"description_width": "initial"}
        self.surface = widgets.Dropdown(
            options=list(SURFACES), value=surface, description="surface", style=wide
        )
        self.optimizer = widgets.ToggleButtons(
            options=list(_OPTIMIZERS), value=optimizer, description="optimizer", style=wide
        )
        self.lr = widgets.FloatLogSlider(
            value=lr,
            base=10,
            min=-4,
            max=0.5,
            step=0.05,
            description="learning rate",
            style=wide,
            readout_format=".3g",
            layout=widgets.Layout(width="420px"),
        )
        self.momentum = widgets.FloatSlider(
            value=momentum,
            min=0.0,
            max=0.99,
            step=0.01,
            description="momentum (β₁ for Adam)",
            style=wide,
            layout=widgets.Layout(width="420px"),
        )
        self.steps = widgets.IntSlider(
            value=steps, min=5, max=300, step=5, description="steps", style=wide
        )
        self.picture = widgets.Image(
            format="png", layout=widgets.Layout(width="100%", max_width="820px")
        )
        self.note = widgets.HTML()
        super().__init__(
            children=[
                widgets.HBox([self.surface, self.optimizer]),
                self.lr,
                self.momentum,
                self.steps,
                self.note,
                self.picture,
            ]
        )
        for control in (self.surface, self.optimizer, self.lr, self.momentum, self.steps):
            control.observe(self._update, names="value")
        self._png = b""
        self._summary = ""
        self._update()

    def _update(self, change: dict[str, Any] | None = None) -> None:
        """Re-run the optimizer and redraw."""
        fig, self._summary = explorer_figure(
            self.surface.value,
            self.lr.value,
            self.momentum.value,
            self.optimizer.value,
            self.steps.value,
        )
        self._png = fig_to_png(fig)
        self.picture.value = self._png
        self.note.value = f"<code>{html.escape(self._summary)}</code>"


# ----------------------------------------------------------------------------- data


def damped_oscillator(
    n: int = 256, noise: float = 0.05, seed: int = 0, t_max: float = 10.0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Noisy samples of a damped oscillator x(t) = exp(-0.3 t) cos(2 t).

    Returns float32 tensors ``t`` and ``x`` of shape ``(n, 1)``, ``t`` uniform in
    ``[0, t_max]`` (sorted), with Gaussian noise of standard deviation ``noise`` on ``x``.
    """
    gen = torch.Generator().manual_seed(seed)
    t = torch.rand(n, 1, generator=gen).sort(dim=0).values * t_max
    x = torch.exp(-0.3 * t) * torch.cos(2.0 * t)
    return t, x + noise * torch.randn(n, 1, generator=gen)


def pendulum_regimes(n: int = 512, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Initial states of a pendulum and whether it swings (0) or rotates (1).

    ``X`` is ``(n, 2)`` float32: angle in ``[-pi, pi)`` and angular velocity in ``[-3, 3)``
    (units with g / L = 1). The energy is E = omega^2 / 2 + 1 - cos(theta); the pendulum goes
    over the top when E > 2. ``y`` is the int64 label.
    """
    gen = torch.Generator().manual_seed(seed)
    theta = (torch.rand(n, generator=gen) * 2 - 1) * math.pi
    omega = (torch.rand(n, generator=gen) * 2 - 1) * 3.0
    energy = 0.5 * omega**2 + 1 - torch.cos(theta)
    return torch.stack([theta, omega], dim=1), (energy > 2).long()
