"""Drawings of autograd's computational graph, and a widget that steps through it.

:func:`trace_graph` runs a small scalar expression once with autograd on, reads the graph
that PyTorch itself recorded (each result's ``grad_fn`` and its ``next_functions``), and
returns every node with its forward value, its gradient after ``backward()``, and the part
of that gradient that flows along each edge. :func:`draw_graph` draws the graph with the
forward values and the backward gradients, optionally only up to a given step of the
forward-then-backward traversal. :class:`GraphExplorer` lets a reader pick an expression and
input values and step through the traversal; like every widget of the book, its output
bundle also carries a PNG of the current view for the static site.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import torch
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from torch.overrides import TorchFunctionMode

from torchbook.plots import COLORS, fig_to_png
from torchbook.widgets import SnapshotWidget

__all__ = [
    "EXPRESSIONS",
    "Edge",
    "GraphExplorer",
    "Node",
    "TracedGraph",
    "draw_graph",
    "step_description",
    "trace_graph",
]

#: Expressions offered by :class:`GraphExplorer`: name -> (function of x and y, default x, y).
EXPRESSIONS: dict[str, tuple[Callable[..., torch.Tensor], float, float]] = {
    "z = x*y + x**2": (lambda x, y: x * y + x**2, 2.0, 3.0),
    "z = exp(-y) * cos(x)  (damped oscillation)": (
        lambda x, y: torch.exp(-y) * torch.cos(x),
        1.0,
        0.5,
    ),
    "z = (x - y)**2  (squared error)": (lambda x, y: (x - y) ** 2, 3.0, 1.0),
    "z = tanh(3*x + y)  (one neuron)": (lambda x, y: torch.tanh(3 * x + y), 0.2, -0.1),
}

_SYMBOLS = {
    "Add": "+",
    "Sub": "\u2212",
    "Mul": "\u00d7",
    "Div": "\u00f7",
    "Pow": "**",
    "Neg": "\u2212",
}


@dataclass(frozen=True)
class Node:
    """One node of a traced graph.

    ``kind`` is ``"leaf"`` (an input with ``requires_grad=True``) or ``"op"`` (the result of
    one operation; ``op`` is the name of its ``grad_fn`` without ``Backward0``). ``value`` is
    the forward value and ``grad`` the derivative of the output with respect to this node.
    """

    index: int
    kind: str
    label: str
    op: str
    value: float
    grad: float
    inputs: tuple[int, ...]
    depth: int


@dataclass(frozen=True)
class Edge:
    """An edge from ``source`` into ``target``; ``grad`` is the share of
    ``d output / d source`` that flows back along it."""

    source: int
    target: int
    grad: float


@dataclass(frozen=True)
class TracedGraph:
    """The nodes in forward (topological) order, the edges, and the output's index."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    output: int

    @property
    def forward_order(self) -> list[int]:
        """The operations in the order the forward pass computed them."""
        return [n.index for n in self.nodes if n.kind == "op"]

    @property
    def backward_order(self) -> list[int]:
        """The nodes in the order the backward pass finishes their gradients."""
        return [n.index for n in reversed(self.nodes)]

    @property
    def n_steps(self) -> int:
        """Steps of a full traversal: one per operation forward, one per node backward."""
        return len(self.forward_order) + len(self.nodes)

    def node(self, label: str) -> Node:
        """The node with the given label (a leaf's name, say ``"x"``)."""
        for n in self.nodes:
            if n.label == label:
                return n
        raise KeyError(label)


class _Recorder(TorchFunctionMode):
    """Keeps every result that autograd tracks, in the order it was computed."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[tuple[torch.Tensor, list[str]]] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if isinstance(out, torch.Tensor) and out.grad_fn is not None:
            consts = [
                _fmt(a) for a in args if isinstance(a, int | float) and not isinstance(a, bool)
            ]
            out.retain_grad()
            self.results.append((out, consts))
        return out


def _fmt(value: float) -> str:
    """A compact number: 6, -0.5, 0.909, 1.2e-05."""
    text = f"{value:.3g}"
    return "0" if text == "-0" else text


def trace_graph(fn: Callable[..., torch.Tensor], **inputs: float) -> TracedGraph:
    """Run ``fn(**inputs)`` on float64 leaf tensors, call ``backward()``, read the graph.

    ``fn`` must return a one-element tensor. The result lists the leaves (in the order of
    ``inputs``) and every operation autograd recorded, with forward values and gradients.
    """
    leaves = {
        name: torch.tensor(float(v), dtype=torch.float64, requires_grad=True)
        for name, v in inputs.items()
    }
    with _Recorder() as rec:
        out = fn(**leaves)
    if not isinstance(out, torch.Tensor) or out.numel() != 1 or out.grad_fn is None:
        raise ValueError("fn must return a one-element tensor that depends on the inputs")
    out.backward(retain_graph=True)

    by_fn = {id(t.grad_fn): (t, consts) for t, consts in rec.results}
    leaf_ids = {id(t): i for i, t in enumerate(leaves.values())}
    # The nodes reachable from the output, with their inputs, found by walking grad_fn.
    reach: dict[int, list[int]] = {}  # id(grad_fn) -> ids of input grad_fns / leaves

    def key(grad_fn: Any) -> int:
        if type(grad_fn).__name__ == "AccumulateGrad":
            return id(grad_fn.variable)
        return id(grad_fn)

    stack = [out.grad_fn]
    while stack:
        f = stack.pop()
        k = key(f)
        if k in reach or k in leaf_ids:
            continue
        if k not in by_fn:
            raise ValueError(f"cannot trace {type(f).__name__}: it has no recorded result")
        reach[k] = []
        for g, _ in f.next_functions:
            if g is None:
                continue
            reach[k].append(key(g))
            stack.append(g)

    index: dict[int, int] = {}
    tensors: list[torch.Tensor] = []
    labels: list[tuple[str, str, str]] = []  # kind, label, op
    for name, t in leaves.items():
        index[id(t)] = len(tensors)
        tensors.append(t)
        labels.append(("leaf", name, "leaf"))
    for t, consts in rec.results:
        k = id(t.grad_fn)
        if k not in reach or k in index:
            continue
        op = type(t.grad_fn).__name__.removesuffix("Backward0").removesuffix("Backward1")
        symbol = _SYMBOLS.get(op, op.lower())
        label = " ".join([symbol, *consts]) if consts else symbol
        index[k] = len(tensors)
        tensors.append(t)
        labels.append(("op", label, op))

    # Snapshot the gradients that backward() left, then split each node's gradient into
    # the shares that flow to its inputs by calling its grad_fn (the local vector-Jacobian
    # product) once: these are exactly the messages the backward pass sends along each edge.
    grads = [0.0 if t.grad is None else float(t.grad) for t in tensors]
    nodes: list[Node] = []
    edges: list[Edge] = []
    depths: list[int] = []
    for i, (t, (kind, label, op)) in enumerate(zip(tensors, labels, strict=True)):
        ins: tuple[int, ...] = ()
        if kind == "op":
            ins = tuple(dict.fromkeys(index[k] for k in reach[id(t.grad_fn)]))
            seed = torch.tensor(grads[i], dtype=t.dtype).reshape(t.shape)
            shares = dict.fromkeys(ins, 0.0)
            with torch.no_grad():
                parts = t.grad_fn(seed)
            if isinstance(parts, torch.Tensor):  # a one-input node returns one tensor
                parts = (parts,)
            for (g, _), part in zip(t.grad_fn.next_functions, parts, strict=True):
                if g is not None and part is not None:
                    shares[index[key(g)]] += float(part.detach())
            edges.extend(Edge(j, i, shares[j]) for j in ins)
        depths.append(1 + max((depths[j] for j in ins), default=-1))
        nodes.append(Node(i, kind, label, op, float(t.detach()), grads[i], ins, depths[-1]))
    return TracedGraph(tuple(nodes), tuple(edges), index[id(out.grad_fn)])


def step_description(graph: TracedGraph, step: int) -> str:
    """One line saying what the traversal does at ``step`` (0 = the leaves are set)."""
    fwd = graph.forward_order
    names = {n.index: n for n in graph.nodes}
    if step <= 0:
        leaves = ", ".join(f"{n.label} = {_fmt(n.value)}" for n in graph.nodes if n.kind == "leaf")
        return f"start: the leaves hold {leaves}"
    if step <= len(fwd):
        n = names[fwd[step - 1]]
        args = ", ".join(_fmt(names[j].value) for j in n.inputs)
        return f"forward {step}/{len(fwd)}: {n.label} of ({args}) = {_fmt(n.value)}"
    k = step - len(fwd)
    n = names[graph.backward_order[min(k, len(graph.nodes)) - 1]]
    if n.index == graph.output:
        return f"backward {k}/{len(graph.nodes)}: seed d z/d z = 1 at the output"
    parts = [e for e in graph.edges if e.source == n.index]
    shares = " + ".join(_fmt(e.grad) for e in parts)
    total = f" = {shares}" if len(parts) > 1 else ""
    return f"backward {k}/{len(graph.nodes)}: d z/d {n.label} = {_fmt(n.grad)}{total}"


_LAYER_DX = 2.6  # horizontal distance between layers, in data units
_ROW_GAP = 1.0  # least vertical distance between two nodes of one layer


def _positions(graph: TracedGraph) -> dict[int, tuple[float, float]]:
    """Leaves stacked in a column; every operation at the mean height of its inputs (so
    that edges rarely cross or pass through a box), nodes of one layer at least
    ``_ROW_GAP`` apart."""
    leaves = [n.index for n in graph.nodes if n.kind == "leaf"]
    height = {i: (len(leaves) - 1) / 2 - r for r, i in enumerate(leaves)}
    depth = max(n.depth for n in graph.nodes)
    for d in range(1, depth + 1):
        layer = [n for n in graph.nodes if n.depth == d]
        wanted = {n.index: sum(height[j] for j in n.inputs) / len(n.inputs) for n in layer}
        order = sorted(wanted, key=lambda i: (wanted[i], -i))
        placed = [wanted[order[0]]]
        for i in order[1:]:
            placed.append(max(wanted[i], placed[-1] + _ROW_GAP))
        shift = (sum(wanted.values()) - sum(placed)) / len(placed)
        height.update({i: y + shift for i, y in zip(order, placed, strict=True)})
    return {n.index: (_LAYER_DX * n.depth, height[n.index]) for n in graph.nodes}


def draw_graph(graph: TracedGraph, step: int | None = None, *, title: str | None = None) -> Figure:
    """Draw the graph left (leaves) to right (output) after ``step`` traversal steps.

    Step 0 shows the leaves' values; each of the next steps computes one operation
    (forward, black numbers); then each step finishes one node's gradient (backward, in
    red, with the share that flows along each edge). ``step=None`` shows everything.
    """
    total = graph.n_steps
    step = total if step is None else max(0, min(int(step), total))
    fwd = graph.forward_order
    done_fwd = {n.index for n in graph.nodes if n.kind == "leaf"} | set(fwd[:step])
    done_bwd = set(graph.backward_order[: max(0, step - len(fwd))])
    pos = _positions(graph)
    width = max(n.depth for n in graph.nodes) + 1
    low = min(y for _, y in pos.values())
    high = max(y for _, y in pos.values())
    # At most 7 inches wide, so that the drawing stays readable on a phone.
    figsize = (min(7.0, max(6.0, 2.3 * width)), round(1.5 * (high - low + 1) + 2.0, 1))
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(-1.0, _LAYER_DX * (width - 1) + 1.0)
    ax.set_ylim(low - 1.1, high + 0.9)
    ax.axis("off")
    bw, bh = 1.25, 0.78
    for e in graph.edges:
        (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
        ax.add_patch(
            FancyArrowPatch(
                (x0 + bw / 2, y0),
                (x1 - bw / 2, y1),
                arrowstyle="-|>",
                mutation_scale=14,
                color="#555555",
                linewidth=1.3,
            )
        )
        if e.target in done_bwd:
            # In the first gap after the source, where edges that leave one node fan out.
            xm = x0 + _LAYER_DX / 2
            ym = y0 + (y1 - y0) * (xm - x0 - bw / 2) / (x1 - x0 - bw)
            ax.text(
                xm,
                ym + 0.13,
                f"\u2190 {_fmt(e.grad)}",
                color=COLORS["error"],
                fontsize=11,
                ha="center",
                va="bottom",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            )
    for n in graph.nodes:
        x, y = pos[n.index]
        color = COLORS["a"] if n.kind == "leaf" else COLORS["b"]
        if n.index == graph.output:
            color = COLORS["result"]
        ax.add_patch(
            FancyBboxPatch(
                (x - bw / 2, y - bh / 2),
                bw,
                bh,
                boxstyle="round,pad=0.02,rounding_size=0.12",
                facecolor=color,
                alpha=0.18,
                edgecolor=color,
                linewidth=1.6,
            )
        )
        ax.text(x, y + 0.17, n.label, ha="center", va="center", fontsize=13, weight="bold")
        value = f"= {_fmt(n.value)}" if n.index in done_fwd else "= ?"
        ax.text(x, y - 0.17, value, ha="center", va="center", fontsize=12)
        if n.index in done_bwd:
            ax.text(
                x,
                y - bh / 2 - 0.08,
                f"grad {_fmt(n.grad)}",
                ha="center",
                va="top",
                fontsize=11,
                color=COLORS["error"],
                weight="bold",
            )
    if title is None:
        title = "Computational graph: forward values (black), backward gradients (red)"
    fig.suptitle(title, fontsize=12, weight="bold")
    ax.text(
        -0.95,
        low - 1.05,
        step_description(graph, step),
        fontsize=11,
        color=COLORS["muted"],
        ha="left",
        va="bottom",
        family="monospace",
    )
    return fig


class GraphExplorer(SnapshotWidget):
    """Pick an expression and the inputs, then step through the forward and backward pass.

    ``step`` is the step of the traversal shown first (``None``: the whole traversal).
    Displayed in a notebook, the output bundle also carries a PNG of the current view for
    static pages.
    """

    def __init__(
        self,
        expression: str = "z = x*y + x**2",
        x: float | None = None,
        y: float | None = None,
        step: int | None = None,
    ) -> None:
        if expression not in EXPRESSIONS:
            raise KeyError(f"unknown expression {expression!r}; choose one of {list(EXPRESSIONS)}")
        _, x0, y0 = EXPRESSIONS[expression]
        wide = {"description_width": "initial"}
        self.choice = widgets.Dropdown(
            options=list(EXPRESSIONS),
            value=expression,
            description="expression",
            style=wide,
            layout=widgets.Layout(width="420px"),
        )
        self.x = widgets.FloatSlider(
            value=x0 if x is None else x,
            min=-3,
            max=3,
            step=0.1,
            description="x",
            continuous_update=False,
        )
        self.y = widgets.FloatSlider(
            value=y0 if y is None else y,
            min=-3,
            max=3,
            step=0.1,
            description="y",
            continuous_update=False,
        )
        self.step = widgets.IntSlider(value=0, min=0, max=1, description="step", style=wide)
        self.play = widgets.Play(interval=900, min=0, max=1, description="play")
        widgets.jslink((self.play, "value"), (self.step, "value"))
        self.text = widgets.HTML()
        self.picture = widgets.Image(
            format="png", layout=widgets.Layout(width="100%", max_width="820px")
        )
        super().__init__(
            children=[
                self.choice,
                widgets.HBox([self.x, self.y]),
                widgets.HBox([self.play, self.step]),
                self.text,
                self.picture,
            ]
        )
        self._png = b""
        self._summary = ""
        self.graph: TracedGraph | None = None
        self.choice.observe(self._new_expression, names="value")
        self.x.observe(self._retrace, names="value")
        self.y.observe(self._retrace, names="value")
        self.step.observe(self._redraw, names="value")
        self._retrace()
        self.step.value = self.step.max if step is None else max(0, min(step, self.step.max))
        self._redraw()

    def _new_expression(self, change: dict[str, Any]) -> None:
        _, x0, y0 = EXPRESSIONS[change["new"]]
        self.x.value, self.y.value = x0, y0
        self._retrace()

    def _retrace(self, change: dict[str, Any] | None = None) -> None:
        fn = EXPRESSIONS[self.choice.value][0]
        self.graph = trace_graph(fn, x=self.x.value, y=self.y.value)
        total = self.graph.n_steps
        self.step.max = self.play.max = total
        self._redraw()

    def _redraw(self, change: dict[str, Any] | None = None) -> None:
        if self.graph is None:
            return
        step = self.step.value
        n_forward = len(self.graph.forward_order)
        if step >= self.graph.n_steps:
            stage = "forward values (black), backward gradients (red)"
        elif step <= n_forward:
            stage = f"forward pass, step {step} of {self.graph.n_steps}"
        else:
            stage = f"backward pass under way, step {step} of {self.graph.n_steps}"
        fig = draw_graph(
            self.graph,
            step,
            title=f"{self.choice.value.split('  ')[0]} at x = {_fmt(self.x.value)}, "
            f"y = {_fmt(self.y.value)}\n{stage}",
        )
        self._png = fig_to_png(fig)
        self.picture.value = self._png
        self.text.value = f"<code>{html.escape(step_description(self.graph, step))}</code>"
        x, y = self.graph.node("x"), self.graph.node("y")
        self._summary = (
            f"GraphExplorer: {self.choice.value.split('  ')[0]} at x={_fmt(x.value)}, "
            f"y={_fmt(y.value)}, step {step}/{self.graph.n_steps}"
        )
