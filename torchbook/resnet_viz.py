"""Networks, figures and the widget of Chapter 8 (*Residual networks*).

- :func:`probe_net` builds a small convolutional network of ``n_blocks`` blocks of two 3 x 3
  convolutions without batch normalisation, either *plain* or *residual* (each block adds its
  input to its output before the last ReLU); the two kinds have the same parameters.
- :func:`conv_grad_norms` measures the gradient norm of every convolution's weight, first
  layer first, for one batch at initialisation.
- :func:`gradient_profile_figure` draws those norms layer by layer for a plain and a residual
  network of the same depth and initialisation.
- :class:`ResidualGradientExplorer` is the chapter's widget: choose the depth and the
  initialisation and see the figure. Like every widget of the book, its output bundle carries
  a PNG of the current view for the static site, where no kernel runs.
"""

from __future__ import annotations

import functools
import html
from typing import Any

import ipywidgets as widgets
import matplotlib as mpl
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from torch import nn

from torchbook.plots import fig_to_png
from torchbook.widgets import SnapshotWidget

__all__ = [
    "INITS",
    "ProbeBlock",
    "ResidualGradientExplorer",
    "conv_grad_norms",
    "gradient_profile_figure",
    "probe_batch",
    "probe_net",
]

#: The initialisations the figure and the widget offer: PyTorch's default for ``nn.Conv2d``
#: (uniform, variance 1 / (3 fan_in)) and He's (normal, variance 2 / fan_in, zero biases).
INITS = ("default", "he")


class ProbeBlock(nn.Module):
    """Two 3 x 3 convolutions with ReLUs, no batch normalisation.

    Plain: ``relu(conv2(relu(conv1(x))))``. Residual: ``relu(x + conv2(relu(conv1(x))))``,
    the block of He et al. (2016) without its batch normalisation.
    """

    def __init__(self, channels: int, residual: bool) -> None:
        super().__init__()
        self.residual = residual
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv2(F.relu(self.conv1(x)))
        return F.relu(x + out) if self.residual else F.relu(out)


def probe_net(
    n_blocks: int, *, residual: bool, width: int = 8, init: str = "default", seed: int = 0
) -> nn.Sequential:
    """A stem convolution (1 -> ``width`` channels), ``n_blocks`` :class:`ProbeBlock`\\ s,
    global average pooling and a linear layer to 10 logits: ``2 n_blocks + 1`` convolutions.

    The weights are drawn from ``seed`` without touching the global random state, so a plain
    and a residual network with the same arguments get identical weights.
    """
    if n_blocks < 0 or width < 1:
        raise ValueError(f"need n_blocks >= 0 and width >= 1, got {n_blocks}, {width}")
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = nn.Sequential(
            nn.Conv2d(1, width, 3, padding=1),
            nn.ReLU(),
            *[ProbeBlock(width, residual) for _ in range(n_blocks)],
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(width, 10),
        )
        if init == "he":
            for module in model.modules():
                if isinstance(module, nn.Conv2d):
                    nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
                    nn.init.zeros_(module.bias)
    return model


@functools.lru_cache(maxsize=1)
def probe_batch(n: int = 32) -> tuple[torch.Tensor, torch.Tensor]:
    """The first ``n`` of scikit-learn's digits at 16 x 16 pixels, and their labels."""
    from torchbook.data import digits

    images, labels = digits(16)
    return images[:n], labels[:n]


def conv_grad_norms(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The norm of the cross-entropy gradient of every ``nn.Conv2d`` weight of ``model``, in
    the order of ``model.modules()`` (for :func:`probe_net`, the first layer first).

    Existing gradients are cleared first and the new ones are left in place.
    """
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    if not convs:
        raise ValueError("the model has no nn.Conv2d")
    model.zero_grad(set_to_none=True)
    F.cross_entropy(model(x), y).backward()
    return torch.stack([conv.weight.grad.norm() for conv in convs])


def gradient_profile_figure(n_blocks: int = 10, init: str = "default") -> tuple[Figure, str]:
    """Gradient norms of every convolution at initialisation, plain and residual, and a
    one-line summary. Norms that underflow to zero in float32 are left out of the plot."""
    x, y = probe_batch()
    norms = {
        kind: conv_grad_norms(probe_net(n_blocks, residual=kind == "residual", init=init), x, y)
        for kind in ("plain", "residual")
    }
    layers = torch.arange(1, 2 * n_blocks + 2)
    names = {"default": "PyTorch's default", "he": "He"}
    colours = {"plain": "#D55E00", "residual": "#0072B2"}
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(6.8, 3.6), layout="constrained")
        ax = fig.subplots()
        for kind, values in norms.items():
            shown = values > 0
            ax.plot(layers[shown], values[shown], "o-", color=colours[kind], label=kind, ms=4)
        ax.set_yscale("log")
        ax.set(xlabel="convolution (1 = first layer)", ylabel="gradient norm of its weight")
        ax.set_xlim(0.5, 2 * n_blocks + 1.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=10, loc="best")
        ax.grid(True, which="major", alpha=0.3)
        ax.set_title(
            f"{n_blocks} blocks ({2 * n_blocks + 1} convolutions), {names[init]} "
            "initialisation, no batch norm",
            fontsize=11,
        )
    first = {kind: float(values[0]) for kind, values in norms.items()}
    summary = (
        f"ResidualGradientExplorer: {n_blocks} blocks, {init} init: first-layer gradient "
        f"norm plain {first['plain']:.1e}, residual {first['residual']:.1e}"
    )
    return fig, summary


class ResidualGradientExplorer(SnapshotWidget):
    """Choose the number of blocks and the initialisation of a plain and a residual network
    without batch normalisation; see the gradient norm of every convolution at
    initialisation. Displayed in a notebook, the output bundle also carries a PNG of the
    current view for static pages."""

    def __init__(self, n_blocks: int = 10, init: str = "default") -> None:
        if not 0 <= n_blocks <= 20:
            raise ValueError(f"n_blocks must be between 0 and 20, got {n_blocks}")
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS}, got {init!r}")
        wide = {"description_width": "initial"}
        self.depth = widgets.IntSlider(
            value=n_blocks, min=0, max=20, description="residual blocks", style=wide,
            continuous_update=False, layout=widgets.Layout(width="320px"),
        )  # fmt: skip
        self.init = widgets.Dropdown(
            options=[("PyTorch's default", "default"), ("He (Kaiming)", "he")],
            value=init, description="initialisation", style=wide,
            layout=widgets.Layout(width="280px"),
        )  # fmt: skip
        self.info = widgets.HTML()
        self.picture = widgets.Image(
            format="png", layout=widgets.Layout(width="100%", max_width="760px")
        )
        super().__init__(children=[widgets.HBox([self.depth, self.init]), self.info, self.picture])
        self.depth.observe(self._update, names="value")
        self.init.observe(self._update, names="value")
        self._png = b""
        self._summary = ""
        self._update()

    def _update(self, change: dict[str, Any] | None = None) -> None:
        """Redraw the picture from the controls."""
        fig, self._summary = gradient_profile_figure(self.depth.value, self.init.value)
        self._png = fig_to_png(fig)
        self.picture.value = self._png
        self.info.value = f"<code>{html.escape(self._summary)}</code>"
