"""Fast unit tests of torchbook.graphs: the traced graph agrees with autograd."""

from __future__ import annotations

import base64

import pytest
import torch
from matplotlib.figure import Figure

from torchbook.graphs import (
    EXPRESSIONS,
    GraphExplorer,
    draw_graph,
    step_description,
    trace_graph,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_worked_example_values_and_gradients():
    g = trace_graph(lambda x, y: x * y + x**2, x=2.0, y=3.0)
    x, y = g.node("x"), g.node("y")
    assert (x.value, y.value) == (2.0, 3.0)
    assert x.grad == 7.0  # y + 2x
    assert y.grad == 2.0  # x
    assert g.nodes[g.output].value == 10.0
    assert g.nodes[g.output].grad == 1.0
    assert [g.nodes[i].op for i in g.forward_order] == ["Mul", "Pow", "Add"]
    # x receives 3 from the product and 4 from the square: the shares add up to its gradient.
    shares = sorted(e.grad for e in g.edges if e.source == x.index)
    assert shares == [3.0, 4.0]


@pytest.mark.parametrize("name", list(EXPRESSIONS))
def test_leaf_gradients_match_autograd(name: str):
    fn, x0, y0 = EXPRESSIONS[name]
    g = trace_graph(fn, x=x0, y=y0)
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(y0, dtype=torch.float64, requires_grad=True)
    z = fn(x, y)
    gx, gy = torch.autograd.grad(z, (x, y))
    assert g.node("x").grad == pytest.approx(float(gx))
    assert g.node("y").grad == pytest.approx(float(gy))
    assert g.nodes[g.output].value == pytest.approx(float(z.detach()))
    # Every node's gradient is the sum of the shares on its outgoing edges.
    for n in g.nodes:
        if n.index != g.output:
            total = sum(e.grad for e in g.edges if e.source == n.index)
            assert total == pytest.approx(n.grad), n.label


def test_local_shares_when_an_input_is_used_twice():
    # x enters the sum directly and through the product: the direct edge carries 1, not 1 + y.
    g = trace_graph(lambda x, y: x * y + x, x=2.0, y=3.0)
    add = g.nodes[g.output]
    direct = [e.grad for e in g.edges if e.source == g.node("x").index and e.target == add.index]
    assert direct == [1.0]
    assert g.node("x").grad == 4.0
    # x * x: both edges are merged into one, carrying 2x.
    g2 = trace_graph(lambda x, y: x * x + y, x=2.0, y=3.0)
    assert [e.grad for e in g2.edges if e.source == g2.node("x").index] == [4.0]


def test_orders_and_steps():
    g = trace_graph(lambda x, y: (x - y) ** 2, x=3.0, y=1.0)
    assert g.n_steps == len(g.forward_order) + len(g.nodes) == 6
    assert g.backward_order[0] == g.output
    assert step_description(g, 0).startswith("start: the leaves hold x = 3, y = 1")
    assert step_description(g, 1) == "forward 1/2: \u2212 of (3, 1) = 2"
    assert "seed" in step_description(g, 3)
    assert step_description(g, g.n_steps).endswith("d z/d x = 4")


def test_rejects_non_scalar_and_constant_outputs():
    with pytest.raises(ValueError, match="one-element"):
        trace_graph(lambda x, y: torch.stack([x, y]), x=1.0, y=2.0)
    with pytest.raises(ValueError, match="one-element"):
        trace_graph(lambda x, y: torch.tensor(1.0), x=1.0, y=2.0)


@pytest.mark.parametrize("step", [0, 2, None, 100])
def test_draw_graph_returns_a_figure(step: int | None):
    g = trace_graph(lambda x, y: torch.tanh(3 * x + y), x=0.2, y=-0.1)
    fig = draw_graph(g, step)
    assert isinstance(fig, Figure)
    texts = [t.get_text() for t in fig.axes[0].texts]
    if step == 0:
        assert not any(t.startswith("grad") for t in texts)
    if step is None:
        assert "grad 1" in texts


def test_explorer_bundle_has_a_png_and_stable_text():
    w = GraphExplorer()
    bundle = w._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)
    assert bundle["text/plain"] == "GraphExplorer: z = x*y + x**2 at x=2, y=3, step 8/8"
    w.choice.value = list(EXPRESSIONS)[2]
    assert w.x.value == 3.0 and w.step.max == w.graph.n_steps
    w.step.value = 0
    assert "step 0/" in repr(w)
    with pytest.raises(KeyError):
        GraphExplorer("z = nonsense")


def test_explorer_can_open_part_way_through_the_traversal():
    w = GraphExplorer("z = exp(-y) * cos(x)  (damped oscillation)", step=7)
    assert repr(w) == "GraphExplorer: z = exp(-y) * cos(x) at x=1, y=0.5, step 7/10"
    assert GraphExplorer(step=100).step.value == GraphExplorer().step.max
