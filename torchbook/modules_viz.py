"""Initialisation and signal propagation, for Chapter 3 (*Building models with nn.Module*).

A deep stack of linear layers multiplies the spread of its input by a factor per layer
that depends on how the weights were initialised. :func:`activation_stds` measures the
standard deviation of the activations after every layer of such a stack,
:func:`depth_std_figure` plots it against depth, and :class:`InitExplorer` is the widget
that lets a reader pick the initialisation, the activation and the depth. Like the
widgets of :mod:`torchbook.widgets`, its output bundle carries a PNG of its current view
for the static site, where no kernel runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib as mpl
import torch
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from torch import nn

from torchbook.plots import fig_to_png
from torchbook.widgets import SnapshotWidget

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "InitExplorer",
    "activation_stds",
    "depth_std_figure",
    "init_linear_",
]

#: Initialisation schemes that :func:`init_linear_` knows, with a one-line description.
INITS: dict[str, str] = {
    "default": "PyTorch's default (uniform, std = 1/sqrt(3 fan_in))",
    "normal(0, 1)": "every weight from N(0, 1)",
    "normal(0, 0.01)": "every weight from N(0, 0.01^2)",
    "xavier": "Xavier/Glorot normal, std = sqrt(2/(fan_in + fan_out))",
    "kaiming": "Kaiming/He normal, std = sqrt(2/fan_in)",
}

#: Activation functions that :func:`activation_stds` knows.
ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "identity": nn.Identity,
}


def init_linear_(layer: nn.Linear, scheme: str, generator: torch.Generator | None = None) -> None:
    """Initialise ``layer`` in place with one of :data:`INITS`; biases become zero
    (except for ``"default"``, which calls the layer's own ``reset_parameters``)."""
    if scheme not in INITS:
        raise ValueError(f"unknown initialisation {scheme!r}; choose one of {sorted(INITS)}")
    if scheme == "default":
        layer.reset_parameters()
        return
    with torch.no_grad():
        if scheme == "normal(0, 1)":
            layer.weight.normal_(0.0, 1.0, generator=generator)
        elif scheme == "normal(0, 0.01)":
            layer.weight.normal_(0.0, 0.01, generator=generator)
        elif scheme == "xavier":
            nn.init.xavier_normal_(layer.weight, generator=generator)
        else:
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu", generator=generator)
        if layer.bias is not None:
            layer.bias.zero_()


def activation_stds(
    init: str,
    activation: str = "relu",
    *,
    depth: int = 20,
    width: int = 256,
    n_samples: int = 256,
    seed: int = 0,
) -> list[float]:
    """The std of the activations after each of ``depth`` layers ``Linear -> activation``.

    The input is ``n_samples`` standard normal vectors of size ``width``; every layer is
    ``width -> width`` and initialised with ``init`` (see :data:`INITS`). Entry 0 of the
    result is the input's std, entry ``k`` the std after layer ``k``. The result does not
    depend on, or change, the global random state.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)}")
    if depth < 1 or width < 1 or n_samples < 2:
        raise ValueError("depth and width must be positive and n_samples at least 2")
    generator = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)  # the default init draws from the global generator
        act = ACTIVATIONS[activation]()
        h = torch.randn(n_samples, width, generator=generator)
        stds = [h.std().item()]
        with torch.no_grad():
            for _ in range(depth):
                layer = nn.Linear(width, width)
                init_linear_(layer, init, generator)
                h = act(layer(h))
                stds.append(h.std().item())
    return stds


def depth_std_figure(curves: Mapping[str, Sequence[float]], *, title: str | None = None) -> Figure:
    """Plot activation std against layer index, on a log scale, one line per curve.

    Values that are zero or not finite (a signal that died or overflowed) are left out
    of the line, and the legend says so.
    """
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(7.0, 4.2), layout="constrained")
        ax = fig.add_subplot()
        colours = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"]
        for k, (label, stds) in enumerate(curves.items()):
            points = [(i, s) for i, s in enumerate(stds) if math.isfinite(s) and s > 0]
            lost = len(stds) - len(points)
            if lost:
                label = f"{label} ({lost} layers at 0 or inf)"
            xs = [i for i, _ in points]
            ys = [s for _, s in points]
            colour = colours[k % len(colours)]
            ax.plot(xs, ys, marker="o", markersize=3, color=colour, label=label)
        ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.axhline(1.0, color="#777777", linewidth=0.8, linestyle="--")
        ax.set_xlabel("layer")
        ax.set_ylabel("std of the activations (log scale)")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(loc="best")
        ax.set_title(title or "How the spread of the signal changes with depth", fontsize=12)
    return fig


class InitExplorer(SnapshotWidget):
    """Pick an initialisation, an activation and a depth; see the activations' std per layer.

    The figure shows the chosen scheme beside Kaiming's (for ReLU) or Xavier's (for tanh)
    as a reference. Displayed in a notebook, the output bundle also carries a PNG of the
    current view for static pages.
    """

    def __init__(
        self, init: str = "default", activation: str = "relu", depth: int = 20, width: int = 256
    ) -> None:
        wide = {"description_width": "initial"}
        self.width = width
        self.init = widgets.Dropdown(
            options=list(INITS), value=init, description="init", style=wide
        )
        self.activation = widgets.Dropdown(
            options=list(ACTIVATIONS), value=activation, description="activation", style=wide
        )
        self.depth = widgets.IntSlider(
            value=depth, min=2, max=50, description="depth", style=wide, continuous_update=False
        )
        self.info = widgets.HTML()
        self.picture = widgets.Image(
            format="png", layout=widgets.Layout(width="100%", max_width="760px")
        )
        super().__init__(
            children=[
                widgets.HBox([self.init, self.activation, self.depth]),
                self.info,
                self.picture,
            ]
        )
        for control in (self.init, self.activation, self.depth):
            control.observe(self._update, names="value")
        self._png = b""
        self._summary = ""
        self._update()

    def _reference(self) -> str:
        return "xavier" if self.activation.value == "tanh" else "kaiming"

    def _update(self, change: dict[str, Any] | None = None) -> None:
        """Recompute the curves and the picture from the controls."""
        init, act, depth = self.init.value, self.activation.value, self.depth.value
        curves = {f"{init} + {act}": activation_stds(init, act, depth=depth, width=self.width)}
        ref = self._reference()
        if ref != init:
            curves[f"{ref} + {act} (reference)"] = activation_stds(
                ref, act, depth=depth, width=self.width
            )
        final = curves[f"{init} + {act}"][-1]
        self.info.value = (
            f"<b>{init}</b>: {INITS[init]}. After {depth} layers of width {self.width} the "
            f"std is <b>{final:.3g}</b> (the input's is 1)."
        )
        fig = depth_std_figure(
            curves,
            title=f"Activation std through {depth} layers: {init} init, {act} (width {self.width})",
        )
        self._png = fig_to_png(fig)
        self.picture.value = self._png
        self._summary = f"InitExplorer: {init} + {act}, depth {depth}: final std {final:.3g}"
