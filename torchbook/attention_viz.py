"""Figures, measurements and the widget of Chapter 11 (*Attention and Transformers*).

- :func:`attention_block_figure` draws the chapter's diagram: how one attention head turns
  its input into queries, keys and values, and where multi-head attention sits in a
  Transformer encoder block (post-norm and pre-norm).
- :func:`mean_attention_distance` measures how far each head looks: the average of
  ``|i - j|`` over the attention weights of query ``i`` on key ``j``.
- :func:`attention_heads_figure` draws the attention weights of every head of one layer as
  heat maps, one panel a head, the tokens along both axes.
- :class:`AttentionHeadExplorer` is the chapter's widget: type a text, choose a layer and see
  the heat map of every head. It takes a function that returns the tokens and the weights of
  a text, so it works with any model that can report its attention weights. Like every widget
  of the book, its output bundle carries a PNG of the current view for the static site, where
  no kernel runs.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib as mpl
import torch
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from torchbook.plots import fig_to_png
from torchbook.widgets import SnapshotWidget

__all__ = [
    "AttentionHeadExplorer",
    "MapsFunction",
    "attention_block_figure",
    "attention_heads_figure",
    "mean_attention_distance",
]

#: What :class:`AttentionHeadExplorer` calls on a text: it returns the text's tokens (as the
#: labels of the axes) and the attention weights of shape (layers, heads, T, T), with T the
#: number of tokens; row ``i`` of a head's map holds the weights of query ``i``.
MapsFunction = Callable[[str], tuple[Sequence[str], torch.Tensor]]

_FILL = {
    "linear": "#c6dbef",
    "attention": "#fde9c9",
    "norm": "#d9f0d3",
    "ffn": "#e5d8ee",
    "tensor": "white",
}


def _box(ax: Any, x: float, y: float, text: str, kind: str, w: float = 1.5) -> None:
    """A rounded box of width ``w`` centred on (x, y), coloured by its ``kind``."""
    ax.add_patch(FancyBboxPatch(
        (x - w / 2, y - 0.26), w, 0.52, boxstyle="round,pad=0.03",
        facecolor=_FILL[kind], edgecolor="0.3",
    ))  # fmt: skip
    ax.text(x, y, text, ha="center", va="center", fontsize=10)


def _arrow(ax: Any, start: tuple[float, float], end: tuple[float, float], **style: Any) -> None:
    props = {"arrowstyle": "-|>", "color": "0.3", "lw": 1.2, "shrinkA": 0, "shrinkB": 0}
    ax.annotate("", end, start, arrowprops=props | style)


def _plus(ax: Any, x: float, y: float) -> None:
    ax.add_patch(mpl.patches.Circle((x, y), 0.2, facecolor="white", edgecolor="0.3", zorder=3))
    ax.text(x, y, "+", ha="center", va="center", fontsize=12, zorder=4)


def _attention_panel(ax: Any) -> None:
    """One head of scaled dot-product attention, bottom to top."""
    ax.set_xlim(-0.2, 5.0)
    ax.set_ylim(-0.6, 6.1)
    ax.axis("off")
    ax.set_title("one attention head", fontsize=11)
    ax.text(2.4, -0.35, "input X (T tokens, d_model each)", ha="center", va="center",
            fontsize=10)  # fmt: skip
    for x, name in ((0.7, "Q"), (2.4, "K"), (4.1, "V")):
        _arrow(ax, (2.4, -0.15), (x, 0.64))
        _box(ax, x, 0.9, f"W_{name}: linear", "linear", w=1.45)
        _arrow(ax, (x, 1.16), (x, 1.52))
        ax.text(x, 1.72, name, ha="center", va="center", fontsize=12, weight="bold")
    _arrow(ax, (0.7, 1.95), (1.4, 2.54))
    _arrow(ax, (2.4, 1.95), (1.7, 2.54))
    _box(ax, 1.55, 2.8, r"$QK^\top / \sqrt{d_k}$", "attention", w=1.8)
    _arrow(ax, (1.55, 3.06), (1.55, 3.34))
    _box(ax, 1.55, 3.6, "mask (optional)", "attention", w=1.8)
    _arrow(ax, (1.55, 3.86), (1.55, 4.14))
    _box(ax, 1.55, 4.4, "softmax over keys", "attention", w=1.8)
    ax.text(-0.1, 5.5, "weights A (T x T,\nrows sum to 1)", ha="left", va="center",
            fontsize=10, color="#D55E00")  # fmt: skip
    _arrow(ax, (1.55, 4.66), (2.7, 5.28))
    _arrow(ax, (4.1, 1.95), (3.3, 5.28))
    _box(ax, 3.0, 5.55, "A V", "attention", w=1.2)
    ax.text(3.75, 5.55, "one head's\noutput", ha="left", va="center", fontsize=10)


def _block_panel(ax: Any) -> None:
    """A post-norm encoder block, bottom to top, with the pre-norm order noted."""
    ax.set_xlim(-0.2, 4.2)
    ax.set_ylim(-0.6, 6.1)
    ax.axis("off")
    ax.set_title("encoder block (post-norm)", fontsize=11)
    ax.text(1.6, -0.35, "x", ha="center", va="center", fontsize=12)
    _arrow(ax, (1.6, -0.15), (1.6, 0.64))
    _box(ax, 1.6, 0.9, "multi-head attention", "attention", w=2.3)
    ax.text(2.85, 1.35, "h heads side\nby side, then\nW_O: linear", ha="left",
            va="center", fontsize=10)  # fmt: skip
    _arrow(ax, (1.6, 1.16), (1.6, 1.5))
    _plus(ax, 1.6, 1.7)
    _arrow(ax, (1.6, 1.9), (1.6, 2.24))
    _box(ax, 1.6, 2.5, "LayerNorm", "norm", w=2.3)
    _arrow(ax, (1.6, 2.76), (1.6, 3.24))
    _box(ax, 1.6, 3.5, "feed-forward", "ffn", w=2.3)
    ax.text(2.85, 3.5, "linear, ReLU,\nlinear", ha="left", va="center", fontsize=10)
    _arrow(ax, (1.6, 3.76), (1.6, 4.1))
    _plus(ax, 1.6, 4.3)
    _arrow(ax, (1.6, 4.5), (1.6, 4.84))
    _box(ax, 1.6, 5.1, "LayerNorm", "norm", w=2.3)
    _arrow(ax, (1.6, 5.36), (1.6, 5.8))
    blue = "#0072B2"
    for y0, y1 in ((0.2, 1.7), (2.95, 4.3)):
        ax.plot([1.6, 0.1, 0.1], [y0, y0, y1], color=blue, lw=2)
        _arrow(ax, (0.1, y1), (1.4, y1), color=blue, lw=2)
    ax.text(0.0, 5.75, "blue: residual connections", color=blue, fontsize=10, ha="left")


def attention_block_figure() -> Figure:
    """The chapter's diagram: one attention head and the encoder block around it.

    Left: the input ``X`` goes through three linear maps to the queries ``Q``, keys ``K`` and
    values ``V``; ``Q K^T / sqrt(d_k)``, an optional mask and a softmax over the keys give the
    weights ``A``, each row a probability distribution; the head's output is ``A V``. Right:
    a post-norm encoder block, multi-head attention and a feed-forward network, each inside a
    residual connection followed by layer normalisation (a pre-norm block normalises the input
    of each branch instead, and leaves the residual path untouched).
    """
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(6.8, 4.6), layout="constrained")
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [5.2, 4.4]})
        _attention_panel(left)
        _block_panel(right)
    return fig


def mean_attention_distance(weights: torch.Tensor) -> torch.Tensor:
    """How far each head looks: ``sum_j w_ij |i - j|``, averaged over the queries ``i``.

    ``weights`` has shape (..., T, T), rows summing to 1 (row ``i`` is query ``i``); the
    result has shape (...), one distance in positions per head. A head that attends to its
    own position scores 0; one that attends uniformly to all T positions scores
    ``(T**2 - 1) / (3 T)``.
    """
    if weights.dim() < 2 or weights.shape[-1] != weights.shape[-2]:
        raise ValueError(f"weights must have shape (..., T, T), got {tuple(weights.shape)}")
    t = weights.shape[-1]
    pos = torch.arange(t, device=weights.device, dtype=weights.dtype)
    distance = (pos[:, None] - pos[None, :]).abs()
    return (weights * distance).sum(dim=-1).mean(dim=-1)


def attention_heads_figure(weights: torch.Tensor, tokens: Sequence[str], title: str = "") -> Figure:
    """Heat maps of the attention weights of the heads of one layer.

    ``weights`` has shape (heads, T, T) with row ``i`` holding the weights of query ``i`` over
    the keys; ``tokens`` labels the T positions. Two panels a row, white for weight 0 and dark
    blue for weight 1, each titled with its head and its mean attention distance.
    """
    if weights.dim() != 3 or weights.shape[1] != weights.shape[2]:
        raise ValueError(f"weights must have shape (heads, T, T), got {tuple(weights.shape)}")
    heads, t, _ = weights.shape
    if len(tokens) != t:
        raise ValueError(f"{len(tokens)} tokens for weights over {t} positions")
    weights = weights.detach().float().cpu()
    distances = mean_attention_distance(weights)
    cols = 1 if heads == 1 else 2
    rows = (heads + cols - 1) // cols
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(6.4, 0.6 + 2.9 * rows), layout="constrained")
        axes = fig.subplots(rows, cols, squeeze=False)
        image = None
        for h, ax in enumerate(axes.flat):
            if h >= heads:
                ax.axis("off")
                continue
            image = ax.imshow(weights[h].numpy(), cmap="Blues", vmin=0.0, vmax=1.0)
            ax.set_xticks(range(t), list(tokens), fontsize=10)
            ax.set_yticks(range(t), list(tokens), fontsize=10)
            ax.tick_params(length=0)
            ax.set_title(f"head {h + 1}: distance {distances[h]:.1f}", fontsize=11)
            if h % cols == 0:
                ax.set_ylabel("query")
            if h >= heads - cols:
                ax.set_xlabel("key")
        fig.colorbar(image, ax=axes, shrink=0.8, label="attention weight")
        if title:
            fig.suptitle(title, fontsize=11)
    return fig


class AttentionHeadExplorer(SnapshotWidget):
    """Type a text and choose a layer; see the attention weights of every head of that layer.

    ``maps`` is called with the text and returns its tokens and the weights of shape
    (layers, heads, T, T) (see :data:`MapsFunction`). Displayed in a notebook, the output
    bundle also carries a PNG of the current view for static pages.
    """

    def __init__(
        self, maps: MapsFunction, text: str, layer: int = 0, *, name: str = "model"
    ) -> None:
        _, weights = maps(text)
        self._maps, self._name = maps, name
        self._n_layers = weights.shape[0]
        if not 0 <= layer < self._n_layers:
            raise ValueError(f"layer must be between 0 and {self._n_layers - 1}, got {layer}")
        wide = {"description_width": "initial"}
        self.text = widgets.Text(
            value=text, description="text", style=wide, continuous_update=False,
            layout=widgets.Layout(width="260px"),
        )  # fmt: skip
        self.layer = widgets.Dropdown(
            options=[(f"layer {i + 1}", i) for i in range(self._n_layers)], value=layer,
            description="layer", style=wide, layout=widgets.Layout(width="180px"),
        )  # fmt: skip
        self.info = widgets.HTML()
        self.picture = widgets.Image(
            format="png", layout=widgets.Layout(width="100%", max_width="680px")
        )
        super().__init__(children=[widgets.HBox([self.text, self.layer]), self.info, self.picture])
        self.text.observe(self._update, names="value")
        self.layer.observe(self._update, names="value")
        self._png = b""
        self._summary = ""
        self._update()

    def _update(self, change: dict[str, Any] | None = None) -> None:
        """Recompute the weights and redraw the picture from the controls."""
        try:
            tokens, weights = self._maps(self.text.value)
        except (KeyError, ValueError) as error:  # a character the model does not know
            self.info.value = f"<code>{html.escape(str(error))}</code>"
            return
        layer = self.layer.value
        title = f"{self._name}, layer {layer + 1} of {self._n_layers}: {self.text.value!r}"
        fig = attention_heads_figure(weights[layer], tokens, title)
        distances = mean_attention_distance(weights[layer].detach().float().cpu())
        self._summary = (
            f"AttentionHeadExplorer: {self.text.value!r}, layer {layer + 1} of "
            f"{self._n_layers}: mean attention distance per head "
            + ", ".join(f"{d:.1f}" for d in distances.tolist())
        )
        self._png = fig_to_png(fig)
        self.picture.value = self._png
        self.info.value = f"<code>{html.escape(self._summary)}</code>"
