"""Measurements, figures and the widget of Chapter 10 (*Recurrent networks*).

- :func:`recurrent_weight` builds a recurrent weight matrix ``gain * Q`` with ``Q`` a random
  orthogonal matrix, so that its spectral norm and its spectral radius both equal ``gain``.
- :func:`gradient_through_time` runs a vanilla RNN with that matrix and measures, by
  backpropagation through time, the norm of the gradient that reaches the hidden state ``k``
  steps before the last one.
- :func:`gradient_time_figure` draws those norms against ``k``, beside the bound
  ``gain ** k`` (what a linear RNN gives).
- :class:`RecurrentGainExplorer` is the chapter's widget: choose the gain, the strength of
  the inputs and the nonlinearity, and see the figure. Like every widget of the book, its
  output bundle carries a PNG of the current view for the static site, where no kernel runs.
- :func:`unrolled_rnn_figure` draws the chapter's diagram: one cell, unrolled in time, with
  the same weights at every step; :func:`lstm_cell_figure` draws one step of an LSTM, with
  PyTorch's four gates.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import matplotlib as mpl
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from torchbook.plots import fig_to_png
from torchbook.widgets import SnapshotWidget

__all__ = [
    "NONLINEARITIES",
    "RecurrentGainExplorer",
    "gradient_through_time",
    "gradient_time_figure",
    "lstm_cell_figure",
    "recurrent_weight",
    "unrolled_rnn_figure",
]

#: The nonlinearities the figure and the widget offer: ``"tanh"``, the default of
#: ``nn.RNN``, and ``"linear"`` (no nonlinearity), where the gradient is exactly
#: ``gain ** k`` times its value at the last step.
NONLINEARITIES = ("tanh", "linear")


def recurrent_weight(hidden: int, gain: float, *, seed: int = 0) -> torch.Tensor:
    """``gain`` times a random orthogonal ``(hidden, hidden)`` matrix, in float64.

    Every singular value and every eigenvalue's modulus equals ``gain``: the spectral norm
    and the spectral radius are both ``gain``. The global random state is not touched.
    """
    if hidden < 1 or gain < 0:
        raise ValueError(f"need hidden >= 1 and gain >= 0, got {hidden}, {gain}")
    gen = torch.Generator().manual_seed(seed)
    q, r = torch.linalg.qr(torch.randn(hidden, hidden, generator=gen, dtype=torch.float64))
    q = q * torch.sign(torch.diagonal(r))  # a uniformly random orthogonal matrix
    return gain * q


def gradient_through_time(
    gain: float,
    *,
    steps: int = 100,
    hidden: int = 32,
    batch: int = 8,
    input_scale: float = 0.1,
    nonlinearity: str = "tanh",
    seed: int = 0,
) -> torch.Tensor:
    """Norms of the gradient that backpropagation through time brings to each hidden state.

    A vanilla RNN without biases, ``h_t = tanh(W_hh h_{t-1} + w x_t)`` (or without the tanh
    for ``nonlinearity="linear"``), with ``W_hh = recurrent_weight(hidden, gain)``, input
    weights ``w`` drawn from N(0, 1), scalar inputs ``x_t`` drawn from
    N(0, ``input_scale`` ** 2) and ``h_0 = 0``, runs for ``steps`` steps on ``batch``
    sequences. The loss is ``v . h_T`` for a random unit vector ``v`` per sequence, so the
    gradient at the last state has norm 1.

    Returns a float64 tensor of shape ``(steps,)``: entry ``k`` is the norm of
    ``dL/dh_{T-k}``, averaged over the batch (``k = 0`` is the last state). Computed in
    float64, so that norms down to about 1e-300 survive. The global random state is not
    touched.
    """
    if nonlinearity not in NONLINEARITIES:
        raise ValueError(f"nonlinearity must be one of {NONLINEARITIES}, got {nonlinearity!r}")
    if steps < 1 or batch < 1:
        raise ValueError(f"need steps >= 1 and batch >= 1, got {steps}, {batch}")
    weight = recurrent_weight(hidden, gain, seed=seed).requires_grad_()
    gen = torch.Generator().manual_seed(seed + 1)
    w_in = torch.randn(hidden, generator=gen, dtype=torch.float64)
    x = input_scale * torch.randn(steps, batch, 1, generator=gen, dtype=torch.float64)
    v = torch.randn(batch, hidden, generator=gen, dtype=torch.float64)
    v = v / v.norm(dim=1, keepdim=True)
    h = torch.zeros(batch, hidden, dtype=torch.float64)
    states = []
    for t in range(steps):
        pre = h @ weight.T + x[t] * w_in
        h = torch.tanh(pre) if nonlinearity == "tanh" else pre
        h.retain_grad()
        states.append(h)
    (h * v).sum().backward()
    norms = torch.stack([state.grad.norm(dim=1).mean() for state in states])
    return norms.flip(0).detach()


def gradient_time_figure(
    gain: float = 1.0,
    input_scale: float = 0.1,
    nonlinearity: str = "tanh",
    steps: int = 100,
) -> tuple[Figure, str]:
    """The gradient norm against the number of steps back, for one gain, with the bound
    ``gain ** k`` and, in grey, the curves of gains 0.9 and 1.5 for comparison; and a
    one-line summary. Norms that underflow to zero are left out of the plot."""
    norms = gradient_through_time(
        gain, steps=steps, input_scale=input_scale, nonlinearity=nonlinearity
    )
    k = torch.arange(steps, dtype=torch.float64)
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(6.8, 3.8), layout="constrained")
        ax = fig.subplots()
        plotted = [norms]
        for other, style in ((0.9, ":"), (1.5, "--")):
            if abs(other - gain) > 1e-9:
                curve = gradient_through_time(
                    other, steps=steps, input_scale=input_scale, nonlinearity=nonlinearity
                )
                shown = curve > 0
                ax.plot(k[shown], curve[shown], style, color="0.6", label=f"gain {other:g}")
                plotted.append(curve)
        bound = gain**k
        ax.plot(k, bound, color="#E69F00", lw=1.5, label=f"bound {gain:g}$^k$")
        shown = norms > 0
        ax.plot(k[shown], norms[shown], color="#0072B2", lw=2.5, label=f"gain {gain:g}")
        ax.set_yscale("log")
        values = torch.cat([*plotted, bound])
        values = values[(values > 0) & torch.isfinite(values)]
        low = max(float(values.min()), 1e-40) / 10
        ax.set_ylim(low, min(float(values.max()), 1e40) * 1e3)
        ax.set_xlim(0, steps - 1)
        ax.set(xlabel="steps back in time, k", ylabel=r"$\|\partial L / \partial h_{T-k}\|$")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=10, loc="upper left", ncol=2)
        ax.set_title(
            f"Gradient back through time: {nonlinearity} RNN, gain {gain:g}, "
            f"input scale {input_scale:g}",
            fontsize=11,
        )
    last = float(norms[-1])
    summary = (
        f"RecurrentGainExplorer: {nonlinearity}, gain {gain:g}, input scale "
        f"{input_scale:g}: gradient norm {steps - 1} steps back {last:.1e}"
    )
    return fig, summary


class RecurrentGainExplorer(SnapshotWidget):
    """Choose the recurrent gain of a vanilla RNN, the scale of its inputs and its
    nonlinearity; see how the gradient norm changes as it travels back through time.
    Displayed in a notebook, the output bundle also carries a PNG of the current view for
    static pages."""

    def __init__(
        self, gain: float = 1.0, input_scale: float = 0.1, nonlinearity: str = "tanh"
    ) -> None:
        if not 0.5 <= gain <= 3.0:
            raise ValueError(f"gain must be between 0.5 and 3, got {gain}")
        if input_scale not in (0.1, 1.0):
            raise ValueError(f"input_scale must be 0.1 or 1.0, got {input_scale}")
        if nonlinearity not in NONLINEARITIES:
            raise ValueError(f"nonlinearity must be one of {NONLINEARITIES}, got {nonlinearity!r}")
        wide = {"description_width": "initial"}
        self.gain = widgets.FloatSlider(
            value=gain, min=0.5, max=3.0, step=0.05, description="recurrent gain",
            style=wide, continuous_update=False, layout=widgets.Layout(width="320px"),
        )  # fmt: skip
        self.input_scale = widgets.Dropdown(
            options=[("weak (0.1)", 0.1), ("strong (1.0)", 1.0)], value=input_scale,
            description="inputs", style=wide, layout=widgets.Layout(width="200px"),
        )  # fmt: skip
        self.nonlinearity = widgets.Dropdown(
            options=list(NONLINEARITIES), value=nonlinearity, description="cell",
            style=wide, layout=widgets.Layout(width="160px"),
        )  # fmt: skip
        self.info = widgets.HTML()
        self.picture = widgets.Image(
            format="png", layout=widgets.Layout(width="100%", max_width="760px")
        )
        controls = widgets.HBox([self.gain, self.input_scale, self.nonlinearity])
        super().__init__(children=[controls, self.info, self.picture])
        for control in (self.gain, self.input_scale, self.nonlinearity):
            control.observe(self._update, names="value")
        self._png = b""
        self._summary = ""
        self._update()

    def _update(self, change: dict[str, Any] | None = None) -> None:
        """Redraw the picture from the controls."""
        fig, self._summary = gradient_time_figure(
            self.gain.value, self.input_scale.value, self.nonlinearity.value
        )
        self._png = fig_to_png(fig)
        self.picture.value = self._png
        self.info.value = f"<code>{html.escape(self._summary)}</code>"


def unrolled_rnn_figure(steps: int = 4) -> Figure:
    """The chapter's diagram: an RNN cell unrolled over ``steps`` time steps.

    Each step reads the input ``x_t`` and the previous hidden state and writes ``h_t``, from
    which an output ``y_t`` may be read; every cell holds the same weights ``W_ih``,
    ``W_hh`` and biases. The backward pass (backpropagation through time) runs along the
    same chain from right to left.
    """
    if not 1 <= steps <= 6:
        raise ValueError(f"steps must be between 1 and 6, got {steps}")
    arrow = dict(arrowstyle="-|>", color="0.3", lw=1.2)
    back = dict(arrowstyle="-|>", color="#D55E00", lw=1.5, linestyle="--")
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(6.8, 3.4), layout="constrained")
        ax = fig.subplots()
        ax.set_xlim(-0.9, 1.6 * steps + 0.1)
        ax.set_ylim(-2.05, 1.75)
        ax.axis("off")
        ax.text(-0.55, 0, "$h_0$", ha="center", va="center", fontsize=12)
        for t in range(steps):
            x0 = 1.6 * t
            ax.add_patch(FancyBboxPatch(
                (x0, -0.35), 0.9, 0.7, boxstyle="round,pad=0.03",
                facecolor="#c6dbef", edgecolor="0.3",
            ))  # fmt: skip
            ax.text(x0 + 0.45, 0.0, "tanh", ha="center", va="center", fontsize=10)
            src = -0.35 if t == 0 else x0 - 0.7 + 0.03
            ax.annotate("", (x0 - 0.03, 0), (src, 0), arrowprops=arrow)
            label = "$W_{hh}$" if t else ""
            ax.text(x0 - 0.35, 0.08, label, ha="center", va="bottom", fontsize=10)
            ax.text(x0 + 0.45, -1.35, f"$x_{t + 1}$", ha="center", va="center", fontsize=12)
            ax.annotate("", (x0 + 0.45, -0.38), (x0 + 0.45, -1.15), arrowprops=arrow)
            ax.text(x0 + 0.5, -0.8, "$W_{ih}$", ha="left", va="center", fontsize=10)
            ax.text(x0 + 0.45, 1.5, f"$y_{t + 1}$", ha="center", va="center", fontsize=12)
            ax.annotate("", (x0 + 0.45, 1.3), (x0 + 0.45, 0.38), arrowprops=arrow)
            ax.text(x0 + 0.5, 0.62, f"$h_{t + 1}$", ha="left", va="center", fontsize=10)
            if t:
                ax.annotate("", (x0 - 0.62, -0.22), (x0 - 0.05, -0.22), arrowprops=back)
        ax.text(
            -0.9, -1.85, "dashed: the gradient flows back, one factor "
            r"diag(tanh$'$) $W_{hh}$ per step", color="#D55E00", ha="left",
            va="center", fontsize=10,
        )  # fmt: skip
    return fig


def _node(ax: Any, xy: tuple[float, float], symbol: str) -> None:
    """A small circle with an operation symbol (a product or a sum)."""
    ax.add_patch(Circle(xy, 0.28, facecolor="white", edgecolor="0.3", zorder=3))
    ax.text(*xy, symbol, ha="center", va="center", fontsize=12, zorder=4)


def lstm_cell_figure() -> Figure:
    """The chapter's diagram of one LSTM step, with PyTorch's four gates.

    The inputs ``x_t`` and ``h_{t-1}`` feed the forget gate ``f``, the input gate ``i``, the
    candidate ``g`` and the output gate ``o``; the cell state runs along the top,
    ``c_t = f * c_{t-1} + i * g``, touched only by a product and a sum; the new hidden state
    is ``h_t = o * tanh(c_t)``.
    """
    arrow = dict(arrowstyle="-|>", color="0.3", lw=1.2, shrinkA=0, shrinkB=0)
    line = dict(color="0.3", lw=1.2)
    sigma = r"$\sigma$"
    colours = {sigma: "#fde9c9", "tanh": "#c6dbef"}
    gates = {"f": (2.5, sigma, "forget"), "i": (4.0, sigma, "input"),
             "g": (5.5, "tanh", "candidate"), "o": (7.5, sigma, "output")}  # fmt: skip
    top, gate_y, bus = 5.2, 2.0, 0.7
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(6.8, 4.2), layout="constrained")
        ax = fig.subplots()
        ax.set_xlim(-1.3, 11.3)
        ax.set_ylim(-0.9, 6.1)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.add_patch(FancyBboxPatch(
            (0.3, 0.25), 9.6, 5.55, boxstyle="round,pad=0.05", facecolor="#f5f5f5",
            edgecolor="0.6",
        ))  # fmt: skip
        # the cell state along the top
        ax.annotate("", (2.22, top), (-1.0, top), arrowprops=arrow)
        ax.annotate("", (5.22, top), (2.78, top), arrowprops=arrow)
        ax.annotate("", (11.0, top), (5.78, top), arrowprops=arrow)
        ax.text(-1.0, top + 0.3, "$c_{t-1}$", fontsize=12, va="bottom")
        ax.text(10.3, top + 0.3, "$c_t$", fontsize=12, va="bottom")
        _node(ax, (2.5, top), r"$\times$")
        _node(ax, (5.5, top), "+")
        # the inputs, on a bus along the bottom
        ax.plot([-1.0, 7.5], [bus, bus], **line)
        ax.text(-1.0, bus + 0.15, "$h_{t-1}$", fontsize=12, va="bottom")
        ax.plot([1.2, 1.2], [-0.7, bus], **line)
        ax.text(1.35, -0.55, "$x_t$", fontsize=12, va="center")
        for name, (x, kind, label) in gates.items():
            ax.annotate("", (x, gate_y - 0.45), (x, bus), arrowprops=arrow)
            ax.add_patch(FancyBboxPatch(
                (x - 0.7, gate_y - 0.45), 1.4, 0.9, boxstyle="round,pad=0.03",
                facecolor=colours[kind], edgecolor="0.3",
            ))  # fmt: skip
            ax.text(x, gate_y + 0.17, f"${name}$: {kind}", ha="center", va="center",
                    fontsize=10)  # fmt: skip
            ax.text(x, gate_y - 0.2, label, ha="center", va="center", fontsize=10,
                    color="0.3")  # fmt: skip
        # f scales the old cell state; i scales the candidate g; their sum is c_t
        ax.annotate("", (2.5, top - 0.28), (2.5, gate_y + 0.45), arrowprops=arrow)
        _node(ax, (5.5, 3.5), r"$\times$")
        ax.plot([4.0, 4.0, 5.22], [gate_y + 0.45, 3.5, 3.5], **line)
        ax.annotate("", (5.5, 3.22), (5.5, gate_y + 0.45), arrowprops=arrow)
        ax.annotate("", (5.5, top - 0.28), (5.5, 3.78), arrowprops=arrow)
        # h_t = o * tanh(c_t)
        ax.add_patch(FancyBboxPatch(
            (8.25, 3.35), 0.9, 0.55, boxstyle="round,pad=0.03", facecolor=colours["tanh"],
            edgecolor="0.3",
        ))  # fmt: skip
        ax.text(8.7, 3.62, "tanh", ha="center", va="center", fontsize=10)
        ax.annotate("", (8.7, 3.93), (8.7, top), arrowprops=arrow)
        _node(ax, (8.7, gate_y), r"$\times$")
        ax.annotate("", (8.7, gate_y + 0.28), (8.7, 3.32), arrowprops=arrow)
        ax.annotate("", (8.42, gate_y), (8.2, gate_y), arrowprops=arrow)
        ax.plot([8.7, 8.7], [gate_y - 0.28, bus], **line)
        ax.annotate("", (11.0, bus), (8.7, bus), arrowprops=arrow)
        ax.text(10.3, bus + 0.15, "$h_t$", fontsize=12, va="bottom")
    return fig
