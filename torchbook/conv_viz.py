"""Fields, figures and the widget of Chapter 7 (*Convolutional networks*).

- :func:`heat_step` advances a 2-D temperature field by explicit steps of the heat equation,
  and :func:`heat_snapshots` makes pairs of fields (now, later) for a network to learn the
  step from.
- :func:`conv_arithmetic_figure` draws a convolution's arithmetic on a small grid: the input
  with its padding, how often each cell is read, the kernel's footprint at the first two
  output positions, and the output grid with its size from the formula.
- :class:`ConvArithmeticExplorer` is the chapter's widget: choose the input size, kernel,
  stride, padding and dilation and see that figure. Like every widget of the book, its output
  bundle carries a PNG of the current view for the static site, where no kernel runs.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import matplotlib as mpl
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from torchbook.plots import fig_to_png
from torchbook.widgets import SnapshotWidget

__all__ = [
    "ConvArithmeticExplorer",
    "conv_arithmetic_figure",
    "heat_snapshots",
    "heat_step",
]

#: The five-point Laplacian stencil, as a (1, 1, 3, 3) convolution kernel.
_LAPLACIAN = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def heat_step(u: torch.Tensor, steps: int = 1, r: float = 0.2) -> torch.Tensor:
    """``steps`` explicit (forward Euler) steps of the heat equation ``u_t = alpha u_xx``.

    ``u`` has shape ``(N, 1, H, W)``; each step adds ``r`` times the five-point Laplacian,
    where ``r = alpha dt / dx**2`` must be at most 1/4 for the scheme to be stable. The field
    is zero outside the grid (a cold boundary), which is what a convolution's zero padding
    assumes.
    """
    if u.dim() != 4 or u.shape[1] != 1:
        raise ValueError(f"u must have shape (N, 1, H, W), got {tuple(u.shape)}")
    if not 0 < r <= 0.25:
        raise ValueError(f"r must be in (0, 1/4] for a stable step, got {r}")
    kernel = _LAPLACIAN.to(u).view(1, 1, 3, 3)
    for _ in range(steps):
        u = u + r * F.conv2d(u, kernel, padding=1)
    return u


def heat_snapshots(
    n: int,
    size: int = 32,
    *,
    steps: int = 20,
    r: float = 0.2,
    n_blobs: int = 4,
    generator: torch.Generator | int | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` random temperature fields and the same fields ``steps`` heat steps later.

    Each field is a sum of ``n_blobs`` Gaussian hot and cold spots with random centres,
    widths (1 to 3 cells) and amplitudes (-1 to 1). Returns ``(before, after)``, each of
    shape ``(n, 1, size, size)``, float32. The global random state is not used.
    """
    if isinstance(generator, torch.Generator):
        gen = generator
    else:
        gen = torch.Generator().manual_seed(0 if generator is None else int(generator))
    centres = torch.rand(n, n_blobs, 2, generator=gen) * (size - 1)
    widths = 1 + 2 * torch.rand(n, n_blobs, 1, 1, generator=gen)
    amplitudes = 2 * torch.rand(n, n_blobs, 1, 1, generator=gen) - 1
    grid = torch.arange(size, dtype=torch.float32)
    dy = grid.view(1, 1, size, 1) - centres[..., 0, None, None]
    dx = grid.view(1, 1, 1, size) - centres[..., 1, None, None]
    blobs = amplitudes * torch.exp(-(dx**2 + dy**2) / (2 * widths**2))
    before = blobs.sum(dim=1, keepdim=True)
    return before, heat_step(before, steps, r)


def _taps(start: int, kernel: int, dilation: int) -> list[int]:
    """The positions one row of a kernel reads, in padded coordinates."""
    return [start + a * dilation for a in range(kernel)]


def conv_arithmetic_figure(
    size: int = 7, kernel: int = 3, stride: int = 2, padding: int = 1, dilation: int = 2
) -> tuple[Figure, str]:
    """A convolution's arithmetic on a ``size`` x ``size`` input, and a one-line summary.

    Left: the input (white) inside its ring of zero padding (grey); each cell shows how many
    output positions read it; the kernel's taps at the first output position are blue and
    at the second (one stride to the right) orange. Right: the output grid, its first two
    cells in the same colours, and its size from
    ``floor((size + 2 padding - dilation (kernel - 1) - 1) / stride) + 1``.
    """
    if min(size, kernel, stride, dilation) < 1 or padding < 0:
        raise ValueError("size, kernel, stride and dilation must be positive, padding >= 0")
    span = dilation * (kernel - 1) + 1  # the footprint of the kernel along one axis
    padded = size + 2 * padding
    out = (padded - span) // stride + 1 if padded >= span else 0
    formula = f"⌊({size} + 2·{padding} - {dilation}·({kernel} - 1) - 1) / {stride}⌋ + 1"
    formula += f" = {out}" if out else " < 1"

    reads = torch.zeros(padded, dtype=torch.int64)
    for i in range(out):
        for tap in _taps(i * stride, kernel, dilation):
            reads[tap] += 1
    counts = torch.outer(reads, reads)
    blue, orange = "#0072B2", "#E69F00"
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(7.0, 4.0), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=[1, 0.75])
        for ax in (left, right):
            ax.set_aspect("equal")
            ax.axis("off")
        fontsize = 10 if padded <= 12 else 8
        for row in range(padded):
            for col in range(padded):
                inside = padding <= row < padding + size and padding <= col < padding + size
                left.add_patch(
                    Rectangle(
                        (col, padded - 1 - row),
                        1,
                        1,
                        facecolor="white" if inside else "0.85",
                        edgecolor="0.5",
                        lw=0.8,
                    )
                )
                n_reads = int(counts[row, col])
                left.text(
                    col + 0.5,
                    padded - 0.5 - row,
                    str(n_reads),
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    color="#D55E00" if n_reads == 0 and inside else "0.25",
                )
        if out >= 1:
            positions = [(0, blue)] + ([(stride, orange)] if out >= 2 else [])
            for (offset, colour), inset in zip(positions, (0.06, 0.2), strict=False):
                for row in _taps(0, kernel, dilation):
                    for col in _taps(offset, kernel, dilation):
                        left.add_patch(
                            Rectangle(
                                (col + inset, padded - 1 + inset - row),
                                1 - 2 * inset,
                                1 - 2 * inset,
                                fill=False,
                                edgecolor=colour,
                                lw=2.5,
                            )
                        )
        left.set(xlim=(-0.2, padded + 0.2), ylim=(-1.4, padded + 0.2))
        left.set_title(f"input {size} x {size}, padding {padding}", fontsize=11)
        width = max(padded * 0.75, out, 1)
        x0, y0 = (width - out) / 2, (padded - out) / 2  # the output grid, centred
        for row in range(out):
            for col in range(out):
                colour = {(0, 0): blue, (0, 1): orange}.get((row, col), "white")
                right.add_patch(
                    Rectangle(
                        (x0 + col, y0 + out - 1 - row),
                        1,
                        1,
                        facecolor=colour,
                        alpha=0.8,
                        edgecolor="0.3",
                        lw=1.0,
                    )
                )
        right.set(xlim=(-0.2, width + 0.2), ylim=(-1.4, padded + 0.2))
        right.set_title(f"output {out} x {out}" if out else "no output", fontsize=11)
        if out == 0:
            right.text(width / 2, padded / 2, "the kernel does not\nfit in the input",
                       ha="center", fontsize=11)  # fmt: skip
        left.text(
            0,
            -0.5,
            "numbers: how many output positions read the cell",
            fontsize=10,
            va="top",
            color="0.3",
        )
        fig.suptitle(
            f"kernel {kernel}, stride {stride}, dilation {dilation}: {formula}", fontsize=11
        )
    unread = int(((counts == 0)[padding : padding + size, padding : padding + size]).sum())
    summary = (
        f"ConvArithmeticExplorer: input {size}, kernel {kernel}, stride {stride}, padding "
        f"{padding}, dilation {dilation}: output {out}, {unread} input cells never read"
    )
    return fig, summary


class ConvArithmeticExplorer(SnapshotWidget):
    """Choose the input size, kernel size, stride, padding and dilation of a convolution;
    see which cells the kernel reads, how often each input cell is read, and the output size
    from the formula. Displayed in a notebook, the output bundle also carries a PNG of the
    current view for static pages."""

    def __init__(
        self, size: int = 7, kernel: int = 3, stride: int = 2, padding: int = 1,
        dilation: int = 2,
    ) -> None:  # fmt: skip
        wide = {"description_width": "initial"}

        def slider(name: str, value: int, low: int, high: int) -> widgets.IntSlider:
            if not low <= value <= high:
                raise ValueError(f"{name} must be between {low} and {high}, got {value}")
            return widgets.IntSlider(
                value=value, min=low, max=high, description=name, style=wide,
                continuous_update=False, layout=widgets.Layout(width="240px"),
            )  # fmt: skip

        self.size = slider("input size", size, 3, 12)
        self.kernel = slider("kernel", kernel, 1, 7)
        self.stride = slider("stride", stride, 1, 4)
        self.padding = slider("padding", padding, 0, 3)
        self.dilation = slider("dilation", dilation, 1, 3)
        self.info = widgets.HTML()
        self.picture = widgets.Image(
            format="png", layout=widgets.Layout(width="100%", max_width="760px")
        )
        super().__init__(
            children=[
                widgets.HBox([self.size, self.kernel, self.stride]),
                widgets.HBox([self.padding, self.dilation]),
                self.info,
                self.picture,
            ]
        )
        for control in self.controls:
            control.observe(self._update, names="value")
        self._png = b""
        self._summary = ""
        self._update()

    @property
    def controls(self) -> tuple[widgets.IntSlider, ...]:
        """The five sliders, in the order of :func:`conv_arithmetic_figure`'s arguments."""
        return (self.size, self.kernel, self.stride, self.padding, self.dilation)

    def _update(self, change: dict[str, Any] | None = None) -> None:
        """Redraw the picture from the sliders."""
        fig, self._summary = conv_arithmetic_figure(*(c.value for c in self.controls))
        self._png = fig_to_png(fig)
        self.picture.value = self._png
        self.info.value = f"<code>{html.escape(self._summary)}</code>"
