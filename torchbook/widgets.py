"""Interactive widgets used by the chapters, each with a static view for the website.

The book's site is static: no kernel runs behind it, so a live widget would show dead
controls. Every widget here therefore adds an ``image/png`` snapshot of its current view
(and a stable ``text/plain``) to the usual ipywidgets output bundle. JupyterLab shows the
live widget; the site (which prefers the PNG) shows the picture.

Chapter 1 uses :class:`BroadcastExplorer`; its logic lives in the pure functions
:func:`parse_shape`, :func:`explain_broadcast` and :func:`broadcast_diagram`, which the
tests call directly.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from torchbook.plots import COLORS, fig_to_png

__all__ = [
    "BroadcastExplorer",
    "BroadcastReport",
    "broadcast_diagram",
    "explain_broadcast",
    "parse_shape",
]

Shape = tuple[int, ...]

# At most this many cells are drawn along one axis of a diagram.
_MAX_ROWS, _MAX_COLS = 6, 8
_MAX_RANK = 8

_EXAMPLES: dict[str, tuple[str, str]] = {
    "column (3, 1) + row (4,)": ("3, 1", "4"),
    "field (64, 64) * profile (64,)": ("64, 64", "64"),
    "points (5, 1, 3) - points (1, 4, 3)": ("5, 1, 3", "1, 4, 3"),
    "images (16, 3, 32, 32) - mean (3,)": ("16, 3, 32, 32", "3"),
    "images (16, 3, 32, 32) - mean (3, 1, 1)": ("16, 3, 32, 32", "3, 1, 1"),
    "vector (3,) + vector (4,)": ("3", "4"),
    "scalar () + matrix (2, 3)": ("", "2, 3"),
}


def parse_shape(text: str) -> Shape:
    """Parse a shape typed by a person: ``"3, 1"``, ``"(3, 1)"``, ``"3x1"``, ``"3 1"``.

    An empty string or ``"()"`` is the shape of a scalar, ``()``. Raises ``ValueError``
    with a readable message for anything that is not a list of non-negative integers.
    """
    body = text.strip().strip("()[]").strip()
    if not body:
        return ()
    body = re.sub(r"(?<=\d)\s*[x*]\s*(?=\d)", ",", body)  # 3x1 and 3*1 mean 3, 1
    parts = [p for p in re.split(r"[\s,]+", body) if p]
    shape: list[int] = []
    for part in parts:
        if not (part.isascii() and part.isdigit()):
            raise ValueError(
                f"{part!r} is not a size: a shape is a list of non-negative integers, e.g. 3, 1"
            )
        shape.append(int(part))
    if len(shape) > _MAX_RANK:
        raise ValueError(f"at most {_MAX_RANK} dimensions, please (got {len(shape)})")
    return tuple(shape)


@dataclass(frozen=True)
class BroadcastReport:
    """What broadcasting does to two shapes, dimension by dimension.

    ``padded_a``/``padded_b`` are the shapes after size-1 dimensions were prepended to the
    shorter one; ``actions`` holds, for each aligned dimension (left to right), one of
    ``"same"``, ``"stretch a"``, ``"stretch b"`` or ``"mismatch"``; ``result`` is the
    broadcast shape, or ``None`` when the shapes are incompatible, in which case
    ``torch_error`` is the message PyTorch itself gives for ``a + b``.
    """

    shape_a: Shape
    shape_b: Shape
    padded_a: Shape
    padded_b: Shape
    actions: tuple[str, ...]
    result: Shape | None
    torch_error: str | None

    @property
    def ok(self) -> bool:
        """True when the two shapes broadcast."""
        return self.result is not None

    @property
    def prepended(self) -> tuple[int, int]:
        """How many size-1 dimensions were prepended to a and to b."""
        rank = len(self.padded_a)
        return rank - len(self.shape_a), rank - len(self.shape_b)

    def mismatches(self) -> list[int]:
        """The aligned dimensions (negative, counted from the right) that do not match."""
        rank = len(self.actions)
        return [i - rank for i, act in enumerate(self.actions) if act == "mismatch"]

    def hint(self) -> str | None:
        """A suggestion for lining up the axes, when one operand is 1-D and fits elsewhere."""
        if self.ok:
            return None
        for name, vec, other in (
            ("b", self.shape_b, self.shape_a),
            ("a", self.shape_a, self.shape_b),
        ):
            if len(vec) != 1 or len(other) < 2:
                continue
            dims = [d for d, size in enumerate(other[:-1]) if size == vec[0]]
            if dims:
                d = dims[-1]
                target = (vec[0],) + (1,) * (len(other) - 1 - d)
                other_name = "a" if name == "b" else "b"
                return (
                    f"{name}.reshape{_fmt(target)} pairs {name}'s {vec[0]} "
                    f"with dim {d} of {other_name}"
                )
        return "insert size-1 dims (unsqueeze, reshape or None-indexing) so that the dims you mean to pair line up from the right"

    def describe(self) -> str:
        """The rule applied step by step, as plain text (one step per line)."""
        na, nb = self.prepended
        lines = [f"a{_fmt(self.shape_a)} and b{_fmt(self.shape_b)}"]
        if na or nb:
            who, n, padded = ("a", na, self.padded_a) if na else ("b", nb, self.padded_b)
            lines.append(
                f"1. align from the right: prepend {n} size-1 dim{'s' * (n > 1)} to {who} -> {_fmt(padded)}"
            )
        else:
            lines.append("1. align from the right: same rank, nothing to prepend")
        lines.append("2. compare each dim (dim -1 is the last):")
        rank = len(self.actions)
        for i, act in enumerate(self.actions):
            sa, sb = self.padded_a[i], self.padded_b[i]
            verdict = {
                "same": f"equal -> {sa}",
                "stretch a": f"a has 1 -> a is stretched to {sb}",
                "stretch b": f"b has 1 -> b is stretched to {sa}",
                "mismatch": "differ and neither is 1 -> ERROR",
            }[act]
            lines.append(f"   dim {i - rank:>2}: {sa:>3} vs {sb:<3} {verdict}")
        if self.ok:
            lines.append(f"3. result shape {_fmt(self.result or ())}")
        else:
            lines.append(f"3. incompatible; PyTorch says: {self.torch_error}")
        return "\n".join(lines)


def _fmt(shape: Shape) -> str:
    """Format a shape the way Python writes a tuple: (3, 1), (4,), ()."""
    return str(tuple(shape))


def explain_broadcast(shape_a: Shape, shape_b: Shape) -> BroadcastReport:
    """Apply the broadcasting rules to two shapes and report every step.

    The result always agrees with :func:`torch.broadcast_shapes`; for incompatible shapes
    the report carries the error that ``a + b`` raises, obtained on zero-size-in-memory
    expanded tensors so that even huge shapes cost nothing.
    """
    shape_a, shape_b = tuple(int(s) for s in shape_a), tuple(int(s) for s in shape_b)
    rank = max(len(shape_a), len(shape_b))
    padded_a = (1,) * (rank - len(shape_a)) + shape_a
    padded_b = (1,) * (rank - len(shape_b)) + shape_b
    actions: list[str] = []
    for sa, sb in zip(padded_a, padded_b, strict=True):
        if sa == sb:
            actions.append("same")
        elif sa == 1:
            actions.append("stretch a")
        elif sb == 1:
            actions.append("stretch b")
        else:
            actions.append("mismatch")
    if "mismatch" in actions:
        result = None
        # A 0-dim tensor expanded to any shape uses no memory (all strides are 0).
        a = torch.zeros(()).expand(shape_a)
        b = torch.zeros(()).expand(shape_b)
        try:
            a + b
        except RuntimeError as err:
            torch_error = str(err)
        else:  # pragma: no cover - the rules above and PyTorch disagree
            raise AssertionError(f"PyTorch broadcast {shape_a} and {shape_b}")
    else:
        result = tuple(sb if sa == 1 else sa for sa, sb in zip(padded_a, padded_b, strict=True))
        torch_error = None
    return BroadcastReport(
        shape_a, shape_b, padded_a, padded_b, tuple(actions), result, torch_error
    )


# ----------------------------------------------------------------------------- drawing


def _draw_table(ax: Any, report: BroadcastReport) -> None:
    """Draw the right-aligned shape table: a, b, the verdict per dim, and the result."""
    rank = len(report.actions)
    ax.set_xlim(-1.3, max(rank, 2) + 0.05)
    ax.set_ylim(-4.3, 0.8)
    ax.axis("off")
    na, nb = report.prepended
    rows = [("a", report.padded_a, na, COLORS["a"]), ("b", report.padded_b, nb, COLORS["b"])]
    ax.text(-1.25, 0.4, "dim", fontsize=11, color=COLORS["muted"], va="center")
    for j in range(rank):
        ax.text(
            j + 0.5,
            0.4,
            str(j - rank),
            fontsize=11,
            color=COLORS["muted"],
            ha="center",
            va="center",
        )
    for r, (name, padded, n_pre, color) in enumerate(rows):
        y = -0.5 - r
        ax.text(-1.25, y, name, fontsize=13, color=color, weight="bold", va="center")
        for j, size in enumerate(padded):
            pre = j < n_pre
            act = report.actions[j]
            stretched = act == f"stretch {name}"
            bad = act == "mismatch"
            face = "#fde0d2" if bad else ("#fff4d6" if stretched else "white")
            ax.add_patch(
                Rectangle(
                    (j + 0.06, y - 0.42),
                    0.88,
                    0.84,
                    facecolor=face,
                    edgecolor=COLORS["error"] if bad else "#999999",
                    linestyle="--" if pre else "-",
                    linewidth=1.3,
                )
            )
            ax.text(
                j + 0.5,
                y,
                str(size),
                ha="center",
                va="center",
                fontsize=12,
                color=COLORS["muted"] if pre else "black",
                style="italic" if pre else "normal",
            )
    labels = {
        "same": "equal",
        "stretch a": "a\u00d7{}",
        "stretch b": "b\u00d7{}",
        "mismatch": "CLASH",
    }
    for j, act in enumerate(report.actions):
        # A stretched size-1 dim is repeated as often as the other operand's size there.
        target = max(report.padded_a[j], report.padded_b[j]) if act.startswith("stretch") else 0
        if act.startswith("stretch") and 0 in (report.padded_a[j], report.padded_b[j]):
            target = 0
        ax.text(
            j + 0.5,
            -2.3,
            labels[act].format(target),
            ha="center",
            va="center",
            fontsize=10.5,
            linespacing=1.0,
            color=COLORS["error"] if act == "mismatch" else COLORS["muted"],
        )
    y = -3.5
    ax.text(-1.25, y, "a+b", fontsize=13, color=COLORS["result"], weight="bold", va="center")
    if report.ok:
        for j, size in enumerate(report.result or ()):
            ax.add_patch(
                Rectangle(
                    (j + 0.06, y - 0.42),
                    0.88,
                    0.84,
                    facecolor="#d9f2ea",
                    edgecolor=COLORS["result"],
                    linewidth=1.3,
                )
            )
            ax.text(j + 0.5, y, str(size), ha="center", va="center", fontsize=12)
    else:
        ax.text(0.06, y, "error", fontsize=13, color=COLORS["error"], va="center", weight="bold")


def _last_two(shape: Shape) -> tuple[int, int]:
    """The last two sizes of a shape, treating a vector as one row and a scalar as 1x1."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return 1, shape[0]
    return shape[-2], shape[-1]


def _draw_grid(
    ax: Any,
    padded: Shape,
    result: Shape,
    color: str,
    values: dict[tuple[int, int], int] | None,
    title: str,
) -> None:
    """Draw an operand (or the result) stretched over the last two dims of the result.

    Cells that hold the operand's own data are solid; the copies that broadcasting
    pretends to make are pale and hatched.
    """
    rows, cols = _last_two(result)
    own_r, own_c = _last_two(padded)
    shown_r, shown_c = min(rows, _MAX_ROWS), min(cols, _MAX_COLS)
    ax.set_xlim(-0.1, max(shown_c, 4) + 0.4)
    ax.set_ylim(max(shown_r, 3) + 0.5, -0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    if len(title) > 14:  # a long shape goes on a line of its own
        title = title.replace(" (", "\n(", 1)
    ax.set_title(title, fontsize=11, color=color, loc="left")
    for i in range(shown_r):
        for j in range(shown_c):
            src = (i if own_r > 1 else 0, j if own_c > 1 else 0)
            own = src == (i, j)
            ax.add_patch(
                Rectangle(
                    (j, i),
                    0.94,
                    0.94,
                    facecolor=color,
                    alpha=0.9 if own else 0.2,
                    hatch=None if own else "///",
                    edgecolor="white" if own else color,
                    linewidth=0.8,
                )
            )
            if values is not None:
                ax.text(
                    j + 0.47,
                    i + 0.5,
                    str(values[src]),
                    ha="center",
                    va="center",
                    fontsize=11,
                    color="white" if own else "#333333",
                )
    if rows > shown_r:
        ax.text(shown_c / 2, shown_r + 0.05, "...", ha="center", va="top", fontsize=11)
    if cols > shown_c:
        ax.text(shown_c + 0.05, shown_r / 2, "...", ha="left", va="center", fontsize=11)


def broadcast_diagram(shape_a: Shape, shape_b: Shape, *, title: str | None = None) -> Figure:
    """A figure explaining ``a + b`` for tensors of the given shapes.

    Left: the shapes aligned from the right, with prepended and stretched dims marked.
    Right (when the shapes broadcast): a, b and a + b over the last two dims of the
    result, with numbers when the result is a small matrix (a holds 0, 10, 20, ...
    and b holds 0, 1, 2, ...); or (when they do not) the reason and PyTorch's message.
    """
    report = explain_broadcast(shape_a, shape_b)
    fig = Figure(figsize=(7, 4.0), layout="constrained")
    # A last, thin row of the grid holds the notes, so that the layout keeps them clear.
    heights = [1, 0.16]
    if title is None:
        outcome = _fmt(report.result) if report.ok and report.result is not None else "error"
        title = f"Broadcasting a {_fmt(report.shape_a)} + b {_fmt(report.shape_b)} \u2192 {outcome}"
    fig.suptitle(title, fontsize=13, weight="bold")
    notes = [
        "dashed box: a prepended 1",
        "shaded box, a\u00d7n: a's size 1 stretched to n (stride 0, no copy)",
    ]
    if report.ok and report.result is not None:
        result = report.result
        # The table needs about 0.55 inch per dim; the three grids share the rest.
        table = 0.55 * (max(len(result), 2) + 1.35)
        grids = (6.8 - table) / 3
        widths = [table, grids, grids, grids]
        grid = fig.add_gridspec(2, 4, width_ratios=widths, height_ratios=heights)
        _draw_table(fig.add_subplot(grid[0, 0]), report)
        rows, cols = _last_two(result)
        va = vb = vr = None
        if len(result) <= 2 and rows <= _MAX_ROWS and cols <= _MAX_COLS:
            ra, ca = _last_two(report.padded_a)
            rb, cb = _last_two(report.padded_b)
            va = {(i, j): 10 * (i * ca + j) for i in range(ra) for j in range(ca)}
            vb = {(i, j): i * cb + j for i in range(rb) for j in range(cb)}
            vr = {
                (i, j): va[(i if ra > 1 else 0, j if ca > 1 else 0)]
                + vb[(i if rb > 1 else 0, j if cb > 1 else 0)]
                for i in range(rows)
                for j in range(cols)
            }
        panels = [
            (report.padded_a, COLORS["a"], va, f"a {_fmt(report.shape_a)}"),
            (report.padded_b, COLORS["b"], vb, f"b {_fmt(report.shape_b)}"),
            (result, COLORS["result"], vr, f"a + b {_fmt(result)}"),
        ]
        for k, (padded, color, values, panel_title) in enumerate(panels):
            _draw_grid(fig.add_subplot(grid[0, k + 1]), padded, result, color, values, panel_title)
        notes.append("hatched cells: repeats of the solid ones")
        if result[:-2]:
            notes.append(f"grids: last two dims only (leading {_fmt(result[:-2])} not drawn)")
    else:
        grid = fig.add_gridspec(2, 2, width_ratios=[1, 1.3], height_ratios=heights)
        _draw_table(fig.add_subplot(grid[0, 0]), report)
        ax = fig.add_subplot(grid[0, 1])
        ax.axis("off")
        dims = ", ".join(str(d) for d in report.mismatches())
        lines = [
            f"Incompatible at dim {dims}:",
            "the sizes differ and neither is 1.",
            "",
            "PyTorch raises RuntimeError:",
            _wrap(report.torch_error or "", 38),
        ]
        hint = report.hint()
        if hint:
            lines += ["", _wrap("Fix: " + hint, 38)]
        ax.text(
            0.0,
            1.0,
            "\n".join(lines),
            va="top",
            ha="left",
            fontsize=10.5,
            family="monospace",
            color="#222222",
            transform=ax.transAxes,
        )
    note_ax = fig.add_subplot(grid[1, :])
    note_ax.axis("off")
    note_ax.text(
        0.0,
        0.5,
        _wrap(";  ".join(notes), 84),
        fontsize=10.5,
        color=COLORS["muted"],
        ha="left",
        va="center",
        transform=note_ax.transAxes,
    )
    return fig


def _wrap(text: str, width: int) -> str:
    """Wrap text at spaces to lines of at most ``width`` characters."""
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    return "\n".join(out)


# ----------------------------------------------------------------------------- widget


class SnapshotWidget(widgets.VBox):
    """A widget box whose output also carries a PNG of its current view and a stable text.

    The static site has no kernel, so it shows the ``image/png`` of the bundle instead of dead
    controls (``_config.yml`` prefers it); JupyterLab shows the live widget. Subclasses set
    ``self._png`` (from :func:`torchbook.plots.fig_to_png`) and ``self._summary`` on each update.
    """

    _png: bytes = b""
    _summary: str = ""

    @property
    def png(self) -> bytes:
        """PNG bytes of the current view."""
        return self._png

    def __repr__(self) -> str:
        return self._summary

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        """The ipywidgets bundle plus a PNG snapshot and a stable text/plain."""
        parent = getattr(super(), "_repr_mimebundle_", None)
        bundle = parent(**kwargs) if parent is not None else {}
        if bundle is None:  # the widget was closed
            return None
        bundle["text/plain"] = self._summary
        if self._png:
            bundle["image/png"] = base64.b64encode(self._png).decode("ascii")
        return bundle


class BroadcastExplorer(SnapshotWidget):
    """Type two shapes (or pick an example) and see how ``a + b`` broadcasts.

    Shows the shapes aligned from the right, which dims are stretched, the result shape
    or the error PyTorch raises (with a suggested fix), and a diagram. Displayed in a
    notebook, its output bundle also carries a PNG of the current view for static pages.
    """

    def __init__(self, a: str = "3, 1", b: str = "4") -> None:
        wide = {"description_width": "initial"}
        self.text_a = widgets.Text(
            value=a, description="shape of a", style=wide, layout=widgets.Layout(width="260px")
        )
        self.text_b = widgets.Text(
            value=b, description="shape of b", style=wide, layout=widgets.Layout(width="260px")
        )
        self.examples = widgets.Dropdown(
            options=["(choose an example)", *_EXAMPLES],
            description="examples",
            style=wide,
            layout=widgets.Layout(width="420px"),
        )
        self.steps = widgets.HTML()
        self.picture = widgets.Image(
            format="png", layout=widgets.Layout(width="100%", max_width="820px")
        )
        super().__init__(
            children=[
                widgets.HBox([self.text_a, self.text_b]),
                self.examples,
                self.steps,
                self.picture,
            ]
        )
        self.text_a.observe(self._update, names="value")
        self.text_b.observe(self._update, names="value")
        self.examples.observe(self._pick_example, names="value")
        self._png = b""
        self._summary = ""
        self._quiet = False
        self._update()

    def _pick_example(self, change: dict[str, Any]) -> None:
        """Copy a chosen example's shapes into the text boxes."""
        if change["new"] in _EXAMPLES:
            a, b = _EXAMPLES[change["new"]]
            self._quiet = True  # redraw once, not once per text box
            try:
                self.text_a.value, self.text_b.value = a, b
            finally:
                self._quiet = False
            self._update()

    def _update(self, change: dict[str, Any] | None = None) -> None:
        """Recompute the explanation and the picture from the two text boxes."""
        if change is not None and self._quiet:
            return
        try:
            shape_a, shape_b = parse_shape(self.text_a.value), parse_shape(self.text_b.value)
        except ValueError as err:
            self.steps.value = f"<b style='color:{COLORS['error']}'>Cannot read the shape:</b> {html.escape(str(err))}"
            self._summary = f"BroadcastExplorer: cannot parse shapes ({err})"
            return
        report = explain_broadcast(shape_a, shape_b)
        self.steps.value = (
            "<pre style='line-height:1.3'>" + html.escape(report.describe()) + "</pre>"
        )
        fig = broadcast_diagram(shape_a, shape_b)
        self._png = fig_to_png(fig)
        self.picture.value = self._png
        outcome = _fmt(report.result) if report.ok and report.result is not None else "error"
        self._summary = f"BroadcastExplorer: a{_fmt(shape_a)} + b{_fmt(shape_b)} -> {outcome}"
