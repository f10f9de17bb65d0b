"""Figures, statistics and the widget of Chapter 9 (*Normalisation*).

- :func:`normalisation_axes_figure` draws the classic picture of the four normalisations:
  a tensor of shape (N, C, H, W) as a block with the batch, the channels and the pixels
  along its edges, and shaded, the values that share one mean and one variance under batch,
  layer, instance and group normalisation.
- :func:`channel_activations` gives the values one channel of a fixed, seeded convolution
  takes on each of scikit-learn's digits: the population a batch normalisation after that
  convolution draws its batches from.
- :func:`batch_statistics` draws random batches from such a population and returns the mean
  and the (biased) variance that batch normalisation would compute from each, and
  :func:`normalised_values` what it then makes of one fixed value.
- :func:`batch_noise_figure` and :class:`BatchNoiseExplorer`, the chapter's widget: choose a
  batch size and see how much the statistics, and the normalised value of one and the same
  input, change from batch to batch. Like every widget of the book, its output bundle
  carries a PNG of the current view for the static site, where no kernel runs.
"""

from __future__ import annotations

import functools
import html
from typing import Any

import ipywidgets as widgets
import matplotlib as mpl
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from torch import nn

from torchbook.plots import fig_to_png
from torchbook.widgets import SnapshotWidget

__all__ = [
    "BATCH_SIZES",
    "N_CHANNELS",
    "RESOLUTIONS",
    "BatchNoiseExplorer",
    "batch_noise_figure",
    "batch_statistics",
    "channel_activations",
    "noise_profile",
    "normalisation_axes_figure",
    "normalised_values",
]

#: The batch sizes the widget offers.
BATCH_SIZES = (2, 4, 8, 16, 32, 64, 128, 256)
#: The channels of the probe convolution of :func:`channel_activations`.
N_CHANNELS = 8
#: The resolutions (pixels along each side) :func:`channel_activations` offers.
RESOLUTIONS = (16, 8, 4, 2, 1)

_BLUE, _ORANGE, _GREY = "#0072B2", "#D55E00", "0.45"


# ----------------------------------------------------------------------------- the diagram


def _cube(ax: Axes, x0: float, y0: float, shade: list[tuple[int, int, int]], title: str) -> None:
    """Draw an (N, C, HW) block of 4 x 6 x 3 cells seen from the front, top and right, and
    shade the cells ``(n, c, hw)`` in ``shade``: only visible faces are drawn, which is
    enough for sets of cells that reach the front, the top or the right side."""
    n_n, n_c, n_hw = 4, 6, 3  # cells along N (right), C (up) and H, W (depth)
    dx, dy = 0.45, 0.3  # the depth axis, drawn obliquely
    shaded = set(shade)
    edge = dict(edgecolor="0.25", linewidth=0.6)

    def face(points: list[tuple[float, float]], on: bool) -> None:
        colour = _BLUE if on else "white"
        ax.add_patch(Polygon(points, closed=True, facecolor=colour, alpha=0.85, **edge))

    for n in range(n_n):  # front face: hw = 0
        for c in range(n_c):
            x, y = x0 + n, y0 + c
            face([(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1)], (n, c, 0) in shaded)
    for n in range(n_n):  # top face: c = n_c - 1
        for d in range(n_hw):
            x, y = x0 + n + d * dx, y0 + n_c + d * dy
            pts = [(x, y), (x + 1, y), (x + 1 + dx, y + dy), (x + dx, y + dy)]
            face(pts, (n, n_c - 1, d) in shaded)
    for c in range(n_c):  # right face: n = n_n - 1
        for d in range(n_hw):
            x, y = x0 + n_n + d * dx, y0 + c + d * dy
            pts = [(x, y), (x + dx, y + dy), (x + dx, y + 1 + dy), (x, y + 1)]
            face(pts, (n_n - 1, c, d) in shaded)
    ax.text(x0 + n_n / 2, y0 - 0.35, "N (batch)", ha="center", va="top", fontsize=10)
    ax.text(x0 - 0.3, y0 + n_c / 2, "C (channels)", ha="right", va="center",
            rotation=90, fontsize=10)  # fmt: skip
    ax.text(x0 + n_n + n_hw * dx + 0.15, y0 + n_hw * dy / 2 + 0.2, "H, W",
            ha="left", va="center", fontsize=10, rotation=34)  # fmt: skip
    ax.text(x0 + (n_n + n_hw * dx) / 2, y0 + n_c + n_hw * dy + 0.45, title,
            ha="center", va="bottom", fontsize=11)  # fmt: skip


def normalisation_axes_figure() -> Figure:
    """The four normalisations of an (N, C, H, W) tensor: in each block, the shaded cells
    share one mean and one variance. Batch norm: one channel, every sample and pixel. Layer
    norm: one sample, every channel and pixel. Instance norm: one sample and one channel.
    Group norm: one sample, a group of channels (here 2 groups of 3)."""
    cells = [(n, c, d) for n in range(4) for c in range(6) for d in range(3)]
    panels = {
        "batch norm": [(n, c, d) for n, c, d in cells if c == 2],
        "layer norm": [(n, c, d) for n, c, d in cells if n == 3],
        "instance norm": [(n, c, d) for n, c, d in cells if n == 3 and c == 2],
        "group norm": [(n, c, d) for n, c, d in cells if n == 3 and c >= 3],
    }
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(6.8, 5.6), layout="constrained")
        ax = fig.subplots()
        for i, (title, shade) in enumerate(panels.items()):
            row, col = divmod(i, 2)
            _cube(ax, 1.2 + 7.2 * col, 9.6 * (1 - row), shade, title)
        ax.set(xlim=(-0.6, 15.0), ylim=(-1.2, 17.2), aspect="equal")
        ax.axis("off")
    return fig


# ----------------------------------------------------------------------------- batch noise


@functools.lru_cache(maxsize=1)
def _probe_activations() -> torch.Tensor:
    """The outputs of a seeded 3 x 3 convolution, 1 -> 8 channels, on the 1,797 digits at
    16 x 16 pixels: shape (1797, 8, 16, 16)."""
    from torchbook.data import digits

    images, _ = digits(16)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        conv = nn.Conv2d(1, N_CHANNELS, 3, padding=1)
    with torch.no_grad():
        return conv(images)


def channel_activations(channel: int = 0, resolution: int = 16) -> torch.Tensor:
    """The values channel ``channel`` (0 to 7) of a fixed convolution (3 x 3, seeded, not
    trained) takes on each of scikit-learn's 1,797 digits at 16 x 16 pixels, average-pooled
    to ``resolution`` x ``resolution`` (16, 8, 4, 2 or 1): shape (1797, resolution ** 2), one
    row per image, standardised with the mean and standard deviation of all its values. A
    ``BatchNorm2d`` at that resolution would normalise the channel with the mean and variance
    of a batch of such rows; at resolution 1 (after global pooling) each image gives one
    value, as for ``BatchNorm1d``."""
    if not 0 <= channel < N_CHANNELS:
        raise ValueError(f"channel must be between 0 and {N_CHANNELS - 1}, got {channel}")
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {RESOLUTIONS}, got {resolution}")
    maps = _probe_activations()[:, channel : channel + 1]
    pooled = torch.nn.functional.avg_pool2d(maps, 16 // resolution).flatten(1)
    return (pooled - pooled.mean()) / pooled.std(correction=0)


def _check_batches(values: torch.Tensor, batch_size: int, n_batches: int) -> None:
    if values.ndim != 2:
        raise ValueError(f"values must have shape (samples, values per sample), got "
                         f"{tuple(values.shape)}")  # fmt: skip
    if not 1 <= batch_size <= values.shape[0]:
        raise ValueError(f"batch_size must be between 1 and {values.shape[0]}, got {batch_size}")
    if n_batches < 1:
        raise ValueError(f"n_batches must be at least 1, got {n_batches}")


@functools.lru_cache(maxsize=8)
def _orders(n_samples: int, n_batches: int, seed: int, first: int | None) -> torch.Tensor:
    """``n_batches`` random orders of the samples (with ``first``, of the other samples,
    after ``first`` itself), from a generator seeded with ``seed``."""
    gen = torch.Generator().manual_seed(seed)
    if first is None:
        return torch.rand(n_batches, n_samples, generator=gen).argsort(dim=1)
    others = torch.cat([torch.arange(first), torch.arange(first + 1, n_samples)])
    order = others[torch.rand(n_batches, n_samples - 1, generator=gen).argsort(dim=1)]
    return torch.cat([torch.full((n_batches, 1), first), order], dim=1)


def _batch_indices(
    n_samples: int, batch_size: int, n_batches: int, seed: int, first: int | None
) -> torch.Tensor:
    """``n_batches`` rows of ``batch_size`` distinct sample indices; with ``first``, that
    sample is the first of every batch and the others are drawn from the rest. The batches
    of one seed are nested: those of a smaller size are the beginnings of the larger."""
    return _orders(n_samples, n_batches, seed, first)[:, :batch_size]


def batch_statistics(
    values: torch.Tensor,
    batch_size: int,
    n_batches: int = 500,
    *,
    seed: int = 0,
    first: int | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The per-batch mean and biased variance of one channel, over random batches.

    ``values`` has shape (samples, values per sample), e.g. from
    :func:`channel_activations`. Each of ``n_batches`` batches holds ``batch_size`` distinct
    samples, drawn from a generator seeded with ``seed`` (the global random state is not
    touched); with ``first``, sample ``first`` is in every batch. As ``BatchNorm2d`` does,
    a batch's statistics pool all values of all its samples: returns ``(means, variances)``,
    each of shape (n_batches,), the variance with ``correction=0``.
    """
    _check_batches(values, batch_size, n_batches)
    values = values.double()
    idx = _batch_indices(values.shape[0], batch_size, n_batches, seed, first)
    per_mean, per_square = values.mean(dim=1), values.square().mean(dim=1)
    means = per_mean[idx].mean(dim=1)
    variances = (per_square[idx].mean(dim=1) - means.square()).clamp_min(0.0)
    return means, variances


def normalised_values(
    values: torch.Tensor,
    batch_size: int,
    n_batches: int = 500,
    *,
    sample: int = 0,
    position: int = 0,
    eps: float = 1e-5,
    seed: int = 0,
) -> tuple[torch.Tensor, float]:
    """What batch normalisation (in training mode, before its scale and shift) makes of one
    fixed value, ``values[sample, position]``, in ``n_batches`` random batches of
    ``batch_size`` samples that all contain ``sample``; and what it makes of it with the
    statistics of the whole population, as in evaluation mode once the running statistics
    have converged. Returns ``(in_batches, population)``."""
    means, variances = batch_statistics(values, batch_size, n_batches, seed=seed, first=sample)
    x = float(values[sample, position])
    pop = values.double()
    population = (x - float(pop.mean())) / (float(pop.var(correction=0)) + eps) ** 0.5
    return (x - means) / (variances + eps).sqrt(), population


def _pixel(values: torch.Tensor) -> int:
    """The position where the first digit's row of ``values`` is largest."""
    return int(values[0].argmax())


@functools.lru_cache(maxsize=16)
def noise_profile(
    resolution: int, channel: int = 0, n_batches: int = 500
) -> tuple[torch.Tensor, float]:
    """For each batch size of :data:`BATCH_SIZES`, the spread (standard deviation over
    ``n_batches`` batches) of the normalised value of the first digit's strongest pixel at
    this resolution; and its value under the population's statistics."""
    values = channel_activations(channel, resolution)
    spreads, population = [], 0.0
    for b in BATCH_SIZES:
        z, population = normalised_values(values, b, n_batches, position=_pixel(values))
        spreads.append(z.std())
    return torch.stack(spreads), population


def batch_noise_figure(
    batch_size: int = 4, resolution: int = 1, channel: int = 0, n_batches: int = 500
) -> tuple[Figure, str]:
    """Left: the histogram of the normalised value of one pixel of the first digit (the
    pixel where the channel responds most), over ``n_batches`` random batches of
    ``batch_size`` digits that contain it, at this ``resolution``, with its value under the
    population's statistics. Right: the spread of that value against the batch size, on
    log-log axes, at resolutions 16, 4 and 1, with the slope of 1 / sqrt(batch size).
    Returns the figure and a one-line summary."""
    if batch_size not in BATCH_SIZES:
        raise ValueError(f"batch_size must be one of {BATCH_SIZES}, got {batch_size}")
    values = channel_activations(channel, resolution)
    z, population = normalised_values(values, batch_size, n_batches, position=_pixel(values))
    shown = sorted({16, 4, 1, resolution}, reverse=True)
    profiles = {r: noise_profile(r, channel, n_batches)[0] for r in shown}
    sizes = torch.tensor(BATCH_SIZES, dtype=torch.float64)
    colours = dict(zip(shown, ["#56B4E9", "#009E73", _BLUE, "#CC79A7"], strict=False))
    with mpl.rc_context({"font.size": 11}):
        fig = Figure(figsize=(6.8, 3.5), layout="constrained")
        left, right = fig.subplots(1, 2)
        low = min(-3.0, float(z.min()) - 0.25, population - 0.5)  # the same range for
        high = max(3.0, float(z.max()) + 0.25, population + 0.5)  # most views
        bins = round((high - low) / 0.1)
        left.hist(z.numpy(), bins=bins, range=(low, high), color=_BLUE, alpha=0.8)
        left.axvline(population, color=_ORANGE, lw=2, label="population\nstatistics")
        left.set(xlabel="normalised value of one pixel", ylabel="batches")
        left.legend(fontsize=10, loc="best")
        for r, spread in profiles.items():
            right.loglog(sizes, spread, "o-", color=colours[r], ms=4, label=f"{r} x {r}")
        first = profiles[1][0]
        right.loglog(sizes, first * (sizes[0] / sizes).sqrt(), "--", color=_GREY,
                     label=r"$\propto 1/\sqrt{B}$")  # fmt: skip
        index = BATCH_SIZES.index(batch_size)
        right.loglog([batch_size], [profiles[resolution][index]], "o", ms=11, mfc="none",
                     mew=2, color=_ORANGE)  # fmt: skip
        right.set(xlabel="batch size B", ylabel="spread over batches")
        right.legend(fontsize=10, loc="lower left", title="feature map", title_fontsize=10)
        right.grid(True, which="major", alpha=0.3)
        fig.suptitle(
            f"One pixel of one digit, normalised in {n_batches} batches of {batch_size} "
            f"({resolution} x {resolution} map, channel {channel})",
            fontsize=11,
        )
    summary = (
        f"BatchNoiseExplorer: batch size {batch_size}, {resolution} x {resolution} map, "
        f"channel {channel}: normalised value {float(z.mean()):.2f} +- {float(z.std()):.2f} "
        f"over {n_batches} batches, {population:.2f} with the population's statistics"
    )
    return fig, summary


class BatchNoiseExplorer(SnapshotWidget):
    """Choose a batch size, the resolution of the feature map and a channel of the probe
    convolution; see how one pixel of one digit is normalised differently in every batch it
    is part of, and how the spread falls with the batch size. Displayed in a notebook, the
    output bundle also carries a PNG of the current view for static pages."""

    def __init__(self, batch_size: int = 4, resolution: int = 1, channel: int = 0) -> None:
        if batch_size not in BATCH_SIZES:
            raise ValueError(f"batch_size must be one of {BATCH_SIZES}, got {batch_size}")
        if resolution not in RESOLUTIONS:
            raise ValueError(f"resolution must be one of {RESOLUTIONS}, got {resolution}")
        if not 0 <= channel < N_CHANNELS:
            raise ValueError(f"channel must be between 0 and {N_CHANNELS - 1}, got {channel}")
        wide = {"description_width": "initial"}
        self.batch_size = widgets.SelectionSlider(
            options=list(BATCH_SIZES), value=batch_size, description="batch size",
            style=wide, continuous_update=False, layout=widgets.Layout(width="300px"),
        )  # fmt: skip
        self.resolution = widgets.Dropdown(
            options=[(f"{r} x {r}", r) for r in RESOLUTIONS], value=resolution,
            description="feature map", style=wide, layout=widgets.Layout(width="200px"),
        )  # fmt: skip
        self.channel = widgets.Dropdown(
            options=list(range(N_CHANNELS)), value=channel, description="channel",
            style=wide, layout=widgets.Layout(width="140px"),
        )  # fmt: skip
        self.info = widgets.HTML()
        self.picture = widgets.Image(
            format="png", layout=widgets.Layout(width="100%", max_width="760px")
        )
        controls = widgets.HBox([self.batch_size, self.resolution, self.channel])
        super().__init__(children=[controls, self.info, self.picture])
        for control in (self.batch_size, self.resolution, self.channel):
            control.observe(self._update, names="value")
        self._png = b""
        self._summary = ""
        self._update()

    def _update(self, change: dict[str, Any] | None = None) -> None:
        """Redraw the picture from the controls."""
        fig, self._summary = batch_noise_figure(
            self.batch_size.value, self.resolution.value, self.channel.value
        )
        self._png = fig_to_png(fig)
        self.picture.value = self._png
        self.info.value = f"<code>{html.escape(self._summary)}</code>"
