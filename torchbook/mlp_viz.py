"""Signal propagation at initialisation, for Chapter 6 (*Multilayer perceptrons*).

A deep stack of ``Linear -> activation`` layers changes the spread of its input layer by
layer, by a factor that depends on the activation function and on how the weights were
initialised.

- :func:`init_linear_` initialises one layer with PyTorch's default, He's or Xavier's scheme.
- :func:`signal_profile` pushes random inputs through such a stack at initialisation and
  returns the standard deviation of the activations after every layer, and the activations
  of a few layers.
- :func:`std_through_depth_figure` draws the std against depth for several activations and
  the three initialisations.
- :class:`DepthWidthExplorer` is the chapter's widget: choose the activation, the
  initialisation, the depth and the width; see the std per layer and the distribution of the
  activations at three depths. Like every widget of the book, its output bundle carries a PNG
  of the current view for the static site, where no kernel runs.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
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
    "WIDTHS",
    "DepthWidthExplorer",
    "SignalProfile",
    "explorer_figure",
    "init_linear_",
    "signal_profile",
    "std_through_depth_figure",
]

#: The activation functions of the chapter, by the names the widget shows.
ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
}

#: Initialisations that :func:`init_linear_` knows, with the variance of their weights.
INITS: dict[str, str] = {
    "default": "PyTorch's default: uniform, variance 1/(3 fan_in), random biases",
    "he": "He (Kaiming) normal: variance 2/fan_in, zero biases",
    "xavier": "Xavier (Glorot) normal: variance 2/(fan_in + fan_out), zero biases",
}

#: The widths the widget offers.
WIDTHS: tuple[int, ...] = (8, 16, 32, 64, 128, 256, 512)

_COLOURS = {"default": "#E69F00", "he": "#0072B2", "xavier": "#009E73"}
_LABELS = {"default": "PyTorch default", "he": "He", "xavier": "Xavier"}


def init_linear_(layer: nn.Linear, scheme: str, generator: torch.Generator | None = None) -> None:
    """Initialise ``layer`` in place with one of :data:`INITS`.

    ``"default"`` calls the layer's own ``reset_parameters`` (which draws from the global
    generator); ``"he"`` and ``"xavier"`` draw normal weights from ``generator`` and set the
    biases to zero.
    """
    if scheme not in INITS:
        raise ValueError(f"unknown initialisation {scheme!r}; choose one of {list(INITS)}")
    if scheme == "default":
        layer.reset_parameters()
        return
    with torch.no_grad():
        if scheme == "he":
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu", generator=generator)
        else:
            nn.init.xavier_normal_(layer.weight, generator=generator)
        if layer.bias is not None:
            layer.bias.zero_()


@dataclass
class SignalProfile:
    """What :func:`signal_profile` measured.

    ``stds[k]`` is the standard deviation of the activations after layer ``k`` (``stds[0]``
    is the input's); ``samples`` maps a few layer numbers to their activations, a tensor of
    shape ``(n_samples, width)``.
    """

    activation: str
    init: str
    depth: int
    width: int
    stds: list[float]
    samples: dict[int, torch.Tensor] = field(default_factory=dict)


def signal_profile(
    activation: str,
    init: str,
    *,
    depth: int = 20,
    width: int = 256,
    n_samples: int = 256,
    keep: Sequence[int] = (),
    seed: int = 0,
) -> SignalProfile:
    """Push ``n_samples`` standard normal vectors through ``depth`` fresh layers
    ``Linear(width, width) -> activation`` and measure the activations after each layer.

    ``keep`` lists the layers (1 to ``depth``) whose activations are returned in
    ``samples``. The result depends only on the arguments: the global random state is
    neither used nor changed.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {list(ACTIVATIONS)}")
    if init not in INITS:
        raise ValueError(f"unknown initialisation {init!r}; choose one of {list(INITS)}")
    if depth < 1 or width < 1 or n_samples < 2:
        raise ValueError("depth and width must be positive and n_samples at least 2")
    generator = torch.Generator().manual_seed(seed)
    profile = SignalProfile(activation, init, depth, width, stds=[])
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(seed)  # the default initialisation draws from the global generator
        act = ACTIVATIONS[activation]()
        h = torch.randn(n_samples, width, generator=generator)
        profile.stds.append(h.std().item())
        for k in range(1, depth + 1):
            layer = nn.Linear(width, width)
            init_linear_(layer, init, generator)
            h = act(layer(h))
            profile.stds.append(h.std().item())
            if k in keep:
                profile.samples[k] = h.clone()
    return profile


def _plot_stds(ax: Any, stds: Sequence[float], **style: Any) -> None:
    """One line of std against layer, leaving out values that are 0 or not finite."""
    points = [(k, s) for k, s in enumerate(stds) if math.isfinite(s) and s > 0]
    ax.plot([k for k, _ in points], [s for _, s in points], **style)


def std_through_depth_figure(
    activations: Sequence[str] = ("relu", "tanh"), *, depth: int = 20, width: int = 256
) -> Figure:
    """One panel per activation: the std of the activations after each layer (log scale)
    for PyTorch's default, He's and Xavier's initialisation."""
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(6.8, 3.3), layout="constrained")
        axes = fig.subplots(1, len(activations), sharey=True, squeeze=False)[0]
        for ax, act in zip(axes, activations, strict=True):
            for init in INITS:
                stds = signal_profile(act, init, depth=depth, width=width).stds
                _plot_stds(
                    ax, stds, color=_COLOURS[init], label=_LABELS[init], marker="o", markersize=3
                )
            ax.set_yscale("log")
            ax.set_title(f"{act}, width {width}", fontsize=11)
            ax.set_xlabel("layer")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(True, alpha=0.3)
        axes[0].set_ylabel("std of the activations")
        axes[0].legend(fontsize=10, loc="lower left")
    return fig


def _describe(values: torch.Tensor, activation: str) -> str:
    """A short label for a layer's activations: their std, and for ReLU the share of exact
    zeros, for tanh the share near saturation."""
    text = f"std {values.std().item():.2g}"
    if activation == "relu":
        text += f", {(values == 0).float().mean().item():.0%} are 0"
    elif activation == "tanh":
        text += f", {(values.abs() > 0.99).float().mean().item():.0%} saturated"
    return text


def explorer_figure(activation: str, init: str, depth: int, width: int) -> tuple[Figure, str]:
    """The explorer's view, and a one-line summary of it.

    Left: the std of the activations after each layer for the three initialisations, the
    chosen one drawn thick. Right: histograms of the activations after the first layer, the
    middle one and the last one, for the chosen initialisation.
    """
    layers = sorted({1, max(1, depth // 2), depth})
    profiles = {
        name: signal_profile(
            activation, name, depth=depth, width=width, keep=layers if name == init else ()
        )
        for name in INITS
    }
    chosen = profiles[init]
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(7.0, 4.2), layout="constrained")
        grid = fig.add_gridspec(len(layers), 2, width_ratios=[1.25, 1])
        left = fig.add_subplot(grid[:, 0])
        for name, profile in profiles.items():
            thick = name == init
            _plot_stds(
                left,
                profile.stds,
                color=_COLOURS[name],
                label=_LABELS[name],
                linewidth=2.6 if thick else 1.2,
                alpha=1.0 if thick else 0.7,
                marker="o" if thick else None,
                markersize=3,
            )
        left.set_yscale("log")
        left.set_xlabel("layer")
        left.set_ylabel("std of the activations")
        left.xaxis.set_major_locator(MaxNLocator(integer=True))
        left.grid(True, alpha=0.3)
        left.legend(fontsize=10, loc="best")
        for row, k in enumerate(layers):
            ax = fig.add_subplot(grid[row, 1])
            values = chosen.samples[k].flatten()
            values = values[torch.isfinite(values)]
            if values.numel() > 1:
                # the central 99.8 % of the values, so that a few outliers do not squash it
                low, high = torch.quantile(values, torch.tensor([0.001, 0.999])).tolist()
                pad = 0.05 * (high - low) or 0.05 * (abs(high) or 1.0)
                ax.hist(values.numpy(), bins=60, range=(low - pad, high + pad),
                        color=_COLOURS[init])  # fmt: skip
                ax.set_title(f"layer {k}: {_describe(values, activation)}", fontsize=11)
            ax.set_yticks([])
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        fig.suptitle(f"{activation}, width {width}: activations at initialisation", fontsize=12)
    final = chosen.stds[-1]
    summary = (
        f"DepthWidthExplorer: {activation}, {init} init, depth {depth}, width {width}: "
        f"std after the last layer {final:.3g}"
    )
    return fig, summary


class DepthWidthExplorer(SnapshotWidget):
    """Choose an activation, an initialisation, a depth and a width; see how the spread of
    the activations changes through the layers at initialisation, and their distribution
    at three depths. Displayed in a notebook, the output bundle also carries a PNG of the
    current view for static pages."""

    def __init__(
        self, activation: str = "gelu", init: str = "he", depth: int = 20, width: int = 256
    ) -> None:
        if width not in WIDTHS:
            raise ValueError(f"width must be one of {WIDTHS}")
        wide = {"description_width": "initial"}
        self.activation = widgets.Dropdown(
            options=list(ACTIVATIONS), value=activation, description="activation", style=wide
        )
        self.init = widgets.Dropdown(
            options=list(INITS), value=init, description="initialisation", style=wide
        )
        self.depth = widgets.IntSlider(
            value=depth, min=1, max=50, description="depth", style=wide, continuous_update=False
        )
        self.width = widgets.SelectionSlider(
            options=list(WIDTHS), value=width, description="width", style=wide,
            continuous_update=False,
        )  # fmt: skip
        self.info = widgets.HTML()
        self.picture = widgets.Image(
            format="png", layout=widgets.Layout(width="100%", max_width="760px")
        )
        super().__init__(
            children=[
                widgets.HBox([self.activation, self.init]),
                widgets.HBox([self.depth, self.width]),
                self.info,
                self.picture,
            ]
        )
        for control in (self.activation, self.init, self.depth, self.width):
            control.observe(self._update, names="value")
        self._png = b""
        self._summary = ""
        self._update()

    def _update(self, change: dict[str, Any] | None = None) -> None:
        """Recompute the profiles and the picture from the controls."""
        fig, self._summary = explorer_figure(
            self.activation.value, self.init.value, self.depth.value, self.width.value
        )
        self._png = fig_to_png(fig)
        self.picture.value = self._png
        self.info.value = (
            f"<b>{html.escape(self.init.value)}</b>: {html.escape(INITS[self.init.value])}. "
            f"<code>{html.escape(self._summary)}</code>"
        )
