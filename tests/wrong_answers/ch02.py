"""Plausible wrong answers to the Chapter 2 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch02/ch02_exercises.ipynb`` with what a
student might submit: the same functions, one of them with a plausible mistake. Grading the
notebook with that cell must make exactly the test cells in ``fails`` lose their points,
while every other test cell keeps them.

The cells are put together from the correct functions below, with one function replaced,
so that each entry shows only its mistake.
"""

from __future__ import annotations

# The correct functions of each solution cell, as a student would write them.
_CORRECT: dict[str, dict[str, str]] = {
    "ex2_1_solution": {
        "accumulated_gradients": """
def accumulated_gradients(a_value: float, b_value: float):
    a = torch.tensor(a_value, requires_grad=True)
    b = torch.tensor(b_value, requires_grad=True)
    (a**2 + b**2).backward()
    first = (a.grad.item(), b.grad.item())
    (2 * a + 3 * b).backward()
    return first, (a.grad.item(), b.grad.item())
""",
    },
    "ex2_2_solution": {
        "norm_squared_gradient": """
def norm_squared_gradient(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    W = W.detach().clone().requires_grad_(True)
    loss = ((W @ x) ** 2).sum()
    loss.backward()
    return W.grad
""",
        "norm_squared_gradient_by_hand": """
def norm_squared_gradient_by_hand(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    y = W @ x
    return 2 * y[:, None] * x[None, :]
""",
    },
    "ex2_3_solution": {
        "gradient_descent": """
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.clone().detach().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad.zero_()
    return w.detach(), losses
""",
    },
    "ex2_4_solution": {
        "detach_experiment": """
def detach_experiment(values: list[float]) -> tuple[torch.Tensor, str]:
    x = torch.tensor(values, requires_grad=True)
    y = x**2
    z1 = y.sum()
    z2 = y.detach().sum()
    z1.backward()
    try:
        z2.backward()
    except RuntimeError as err:
        return x.grad, str(err)
    return x.grad, ""
""",
        "frozen_stiffness_gradient": """
def frozen_stiffness_gradient(x: torch.Tensor) -> torch.Tensor:
    x = x.detach().clone().requires_grad_(True)
    k = 1 + x.detach() ** 2
    energy = 0.5 * (k * x**2).sum()
    energy.backward()
    return x.grad
""",
    },
    "ex2_5_solution": {
        "first_and_second_derivative": """
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.detach().clone().requires_grad_(True)
    (d1,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    if not d1.requires_grad:
        return d1.detach(), torch.zeros_like(x)
    (d2,) = torch.autograd.grad(d1.sum(), x)
    return d1.detach(), d2.detach()
""",
    },
    "ex2_6_solution": {
        "MySigmoid": """
class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        e = torch.exp(-x.abs())
        s = torch.where(x >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, grad_output):
        (s,) = ctx.saved_tensors
        return grad_output * s * (1 - s)
""",
        "my_sigmoid": """
def my_sigmoid(x: torch.Tensor) -> torch.Tensor:
    return MySigmoid.apply(x)
""",
    },
}


def _cell(cell: str, **replacements: str) -> str:
    """The source of solution cell ``cell`` with the named functions replaced."""
    functions = dict(_CORRECT[cell])
    unknown = set(replacements) - set(functions)
    if unknown:
        raise KeyError(f"{cell} has no function {sorted(unknown)}")
    functions.update(replacements)
    return "\n".join(source.strip("\n") + "\n" for source in functions.values())


def _wrong(name: str, cell: str, *breaks: str, fails: list[str], **replacements: str) -> dict:
    """A wrong answer: ``cell`` with the named functions replaced. It breaks the clauses
    ``breaks`` of the exercise's contracts, so the test cells ``fails`` must fail on one of
    them, and every other test cell it reaches must pass."""
    source = _cell(cell, **replacements)
    return {"name": name, "cell": cell, "source": source, "fails": fails, "breaks": list(breaks)}


# The test cells of each exercise.
T21 = ["ex2_1_tests"]
T22_AUTOGRAD, T22_HAND = "ex2_2_tests_autograd", "ex2_2_tests_by_hand"
T23_DESCENT, T23_LOSSES = "ex2_3_tests_descent", "ex2_3_tests_losses"
T24_EXPERIMENT, T24_FROZEN = "ex2_4_tests_experiment", "ex2_4_tests_frozen"
T25_FIRST, T25_SECOND, T25_LINEAR = "ex2_5_tests_first", "ex2_5_tests_second", "ex2_5_tests_linear"
T26_FORWARD, T26_BACKWARD = "ex2_6_tests_forward", "ex2_6_tests_backward"
T26_STABLE, T26_OWN = "ex2_6_tests_stable", "ex2_6_tests_own_code"

# A MySigmoid with the given forward and backward bodies (the older form, as in _CORRECT).
_SIGMOID = """
class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
{forward}

    @staticmethod
    def backward(ctx, grad_output):
{backward}
"""
_STABLE_FORWARD = """\
        e = torch.exp(-x.abs())
        s = torch.where(x >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(s)
        return s"""
_OUTPUT_BACKWARD = """\
        (s,) = ctx.saved_tensors
        return grad_output * s * (1 - s)"""


def _sigmoid(forward: str = _STABLE_FORWARD, backward: str = _OUTPUT_BACKWARD) -> str:
    return _SIGMOID.format(forward=forward, backward=backward)


WRONG_ANSWERS: list[dict] = [
    # 2.1 ------------------------------------------------------------------------------
    _wrong(
        "ex2_1 gradients zeroed before the second backward (no accumulation)",
        "ex2_1_solution",
        "accumulated",
        fails=T21,
        accumulated_gradients="""
def accumulated_gradients(a_value: float, b_value: float):
    a = torch.tensor(a_value, requires_grad=True)
    b = torch.tensor(b_value, requires_grad=True)
    (a**2 + b**2).backward()
    first = (a.grad.item(), b.grad.item())
    a.grad = None
    b.grad = None
    (2 * a + 3 * b).backward()
    return first, (a.grad.item(), b.grad.item())
""",
    ),
    _wrong(
        "ex2_1 second gradients by torch.autograd.grad, which does not accumulate into .grad",
        "ex2_1_solution",
        "accumulated",
        fails=T21,
        accumulated_gradients="""
def accumulated_gradients(a_value: float, b_value: float):
    a = torch.tensor(a_value, requires_grad=True)
    b = torch.tensor(b_value, requires_grad=True)
    (a**2 + b**2).backward()
    first = (a.grad.item(), b.grad.item())
    ga, gb = torch.autograd.grad(2 * a + 3 * b, (a, b))
    return first, (ga.item(), gb.item())
""",
    ),
    _wrong(
        "ex2_1 stores the .grad tensors, which the second backward updates in place",
        "ex2_1_solution",
        "floats",
        fails=T21,
        accumulated_gradients="""
def accumulated_gradients(a_value: float, b_value: float):
    a = torch.tensor(a_value, requires_grad=True)
    b = torch.tensor(b_value, requires_grad=True)
    (a**2 + b**2).backward()
    first = (a.grad, b.grad)
    (2 * a + 3 * b).backward()
    return first, (a.grad, b.grad)
""",
    ),
    _wrong(
        "ex2_1 pairs grouped by variable, ((a1, a2), (b1, b2)) (right by chance for a=3, b=4)",
        "ex2_1_solution",
        "first",
        fails=T21,
        accumulated_gradients="""
def accumulated_gradients(a_value: float, b_value: float):
    a = torch.tensor(a_value, requires_grad=True)
    b = torch.tensor(b_value, requires_grad=True)
    (a**2 + b**2).backward()
    a1, b1 = a.grad.item(), b.grad.item()
    (2 * a + 3 * b).backward()
    a2, b2 = a.grad.item(), b.grad.item()
    return (a1, a2), (b1, b2)
""",
    ),
    _wrong(
        "ex2_1 returns a list of the two pairs",
        "ex2_1_solution",
        "floats",
        fails=T21,
        accumulated_gradients="""
def accumulated_gradients(a_value: float, b_value: float):
    a = torch.tensor(a_value, requires_grad=True)
    b = torch.tensor(b_value, requires_grad=True)
    grads = []
    for loss in (lambda: a**2 + b**2, lambda: 2 * a + 3 * b):
        loss().backward()
        grads.append((a.grad.item(), b.grad.item()))
    return grads
""",
    ),
    _wrong(
        "ex2_1 the numbers written from the formulas (no autograd at all)",
        "ex2_1_solution",
        "backward",
        fails=T21,
        accumulated_gradients="""
def accumulated_gradients(a_value: float, b_value: float):
    a, b = float(a_value), float(b_value)
    return (2 * a, 2 * b), (2 * a + 2, 2 * b + 3)
""",
    ),
    _wrong(
        "ex2_1 torch.autograd.grad for both, the accumulation added by hand (no backward())",
        "ex2_1_solution",
        "backward",
        fails=T21,
        accumulated_gradients="""
def accumulated_gradients(a_value: float, b_value: float):
    a = torch.tensor(a_value, requires_grad=True)
    b = torch.tensor(b_value, requires_grad=True)
    ga1, gb1 = torch.autograd.grad(a**2 + b**2, (a, b))
    ga2, gb2 = torch.autograd.grad(2 * a + 3 * b, (a, b))
    return (ga1.item(), gb1.item()), ((ga1 + ga2).item(), (gb1 + gb2).item())
""",
    ),
    _wrong(
        "ex2_1 each pair recorded as a list, not a tuple",
        "ex2_1_solution",
        "floats",
        fails=T21,
        accumulated_gradients="""
def accumulated_gradients(a_value: float, b_value: float):
    a = torch.tensor(a_value, requires_grad=True)
    b = torch.tensor(b_value, requires_grad=True)
    (a**2 + b**2).backward()
    first = [a.grad.item(), b.grad.item()]
    (2 * a + 3 * b).backward()
    return first, [a.grad.item(), b.grad.item()]
""",
    ),
    # 2.2 ------------------------------------------------------------------------------
    _wrong(
        "ex2_2 backward on the caller's W (changes W.grad) and sum instead of the squared norm",
        "ex2_2_solution",
        "gradient",
        fails=[T22_AUTOGRAD],
        norm_squared_gradient="""
def norm_squared_gradient(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    W.requires_grad_(True)
    (W @ x).sum().backward()
    return W.grad
""",
    ),
    _wrong(
        "ex2_2 backward on the caller's W, W.grad reset afterwards (requires_grad left on)",
        "ex2_2_solution",
        "left-alone",
        fails=[T22_AUTOGRAD],
        norm_squared_gradient="""
def norm_squared_gradient(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    W.requires_grad_(True)
    ((W @ x) ** 2).sum().backward()
    grad = W.grad.clone()
    W.grad = None
    return grad
""",
    ),
    _wrong(
        "ex2_2 autograd.grad on W itself after W.requires_grad_() (switches it on for the caller)",
        "ex2_2_solution",
        "left-alone",
        fails=[T22_AUTOGRAD],
        norm_squared_gradient="""
def norm_squared_gradient(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    if not W.requires_grad:
        W.requires_grad_()
    (grad,) = torch.autograd.grad(((W @ x) ** 2).sum(), W)
    return grad
""",
    ),
    _wrong(
        "ex2_2 the formula in norm_squared_gradient too (no autograd)",
        "ex2_2_solution",
        "autograd",
        fails=[T22_AUTOGRAD],
        norm_squared_gradient="""
def norm_squared_gradient(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    grad = 2 * torch.outer(W.detach() @ x, x)
    return grad
""",
    ),
    _wrong(
        "ex2_2 the leaf made in float32 (a float64 W gets a float32 gradient)",
        "ex2_2_solution",
        "dtype-device",
        fails=[T22_AUTOGRAD],
        norm_squared_gradient="""
def norm_squared_gradient(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    W_leaf = W.detach().float().requires_grad_(True)
    loss = ((W_leaf @ x.float()) ** 2).sum()
    loss.backward()
    return W_leaf.grad
""",
    ),
    _wrong(
        "ex2_2 the leaf rebuilt with torch.tensor(W.tolist()) (on the CPU whatever W's device)",
        "ex2_2_solution",
        "dtype-device",
        "gradient",  # on a GPU the call itself fails
        fails=[T22_AUTOGRAD],
        norm_squared_gradient="""
def norm_squared_gradient(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    W_leaf = torch.tensor(W.tolist(), dtype=W.dtype, requires_grad=True)
    loss = ((W_leaf @ x) ** 2).sum()
    loss.backward()
    return W_leaf.grad
""",
    ),
    _wrong(
        "ex2_2 outer product the wrong way round, x y^T (shape (n, m))",
        "ex2_2_solution",
        "dtype-device",
        fails=[T22_HAND],
        norm_squared_gradient_by_hand="""
def norm_squared_gradient_by_hand(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return 2 * torch.outer(x, W @ x)
""",
    ),
    _wrong(
        "ex2_2 the factor 2 of the chain rule forgotten",
        "ex2_2_solution",
        "gradient",
        fails=[T22_HAND],
        norm_squared_gradient_by_hand="""
def norm_squared_gradient_by_hand(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return torch.outer(W @ x, x)
""",
    ),
    _wrong(
        "ex2_2 by hand through the autograd function (fails inside torch.no_grad())",
        "ex2_2_solution",
        "gradient",
        "no-autograd",
        fails=[T22_HAND],
        norm_squared_gradient_by_hand="""
def norm_squared_gradient_by_hand(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return norm_squared_gradient(W, x)
""",
    ),
    _wrong(
        "ex2_2 by hand with autograd under torch.enable_grad()",
        "ex2_2_solution",
        "no-autograd",
        fails=[T22_HAND],
        norm_squared_gradient_by_hand="""
def norm_squared_gradient_by_hand(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    with torch.enable_grad():
        W_leaf = W.detach().clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(((W_leaf @ x) ** 2).sum(), W_leaf)
    return grad
""",
    ),
    _wrong(
        "ex2_2 by hand with loops into torch.zeros(m, n) (float32, on the CPU)",
        "ex2_2_solution",
        "dtype-device",
        fails=[T22_HAND],
        norm_squared_gradient_by_hand="""
def norm_squared_gradient_by_hand(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    m, n = W.shape
    y = W @ x
    G = torch.zeros(m, n)
    for i in range(m):
        for j in range(n):
            G[i, j] = 2 * y[i] * x[j]
    return G
""",
    ),
    # 2.3 ------------------------------------------------------------------------------
    _wrong(
        "ex2_3 forgets to zero the gradient (it accumulates over the steps)",
        "ex2_3_solution",
        "descent",
        "losses",
        fails=[T23_DESCENT, T23_LOSSES],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.clone().detach().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 zeroes with w.grad.zero_() before backward (w.grad is None at the first step)",
        "ex2_3_solution",
        "descent",
        "losses",
        fails=[T23_DESCENT, T23_LOSSES],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.clone().detach().requires_grad_(True)
    losses = []
    for _ in range(steps):
        w.grad.zero_()
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 update outside torch.no_grad() (w stops being a leaf, w.grad is None next step)",
        "ex2_3_solution",
        "descent",
        "losses",
        fails=[T23_DESCENT, T23_LOSSES],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.clone().detach().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        w = w - lr * w.grad
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 trains w0 itself in place (modifies the caller's tensor)",
        "ex2_3_solution",
        "w0-unchanged",
        fails=[T23_DESCENT],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 the copy made with w0.detach() alone (it shares w0's memory)",
        "ex2_3_solution",
        "w0-unchanged",
        fails=[T23_DESCENT],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.detach().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 returns w itself, still requiring grad",
        "ex2_3_solution",
        "detached",
        fails=[T23_DESCENT],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.clone().detach().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad.zero_()
    return w, losses
""",
    ),
    _wrong(
        "ex2_3 torch.optim.SGD instead of the update by hand",
        "ex2_3_solution",
        "no-optimizer",
        fails=[T23_DESCENT],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.clone().detach().requires_grad_(True)
    optimizer = torch.optim.SGD([w], lr=lr)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 the copy of w0 made with torch.tensor(w0.tolist()) (float32, on the CPU)",
        "ex2_3_solution",
        "returns",
        fails=[T23_DESCENT],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = torch.tensor(w0.tolist(), requires_grad=True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad.zero_()
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 each loss recorded after its update",
        "ex2_3_solution",
        "losses",
        fails=[T23_LOSSES],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.clone().detach().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss_fn(w).backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad.zero_()
            losses.append(loss_fn(w).item())
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 the losses kept as tensors (loss.detach()), not Python floats",
        "ex2_3_solution",
        "losses",
        fails=[T23_LOSSES],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.clone().detach().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.detach())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad.zero_()
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 returns w0 itself when steps is 0 (it may require grad)",
        "ex2_3_solution",
        "detached",
        fails=[T23_DESCENT],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    if steps == 0:
        return w0, []
    w = w0.detach().clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 w0 reused when it already requires grad (trained in place)",
        "ex2_3_solution",
        "w0-unchanged",
        fails=[T23_DESCENT],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    # reuse w0 when it is already a leaf that requires grad
    w = w0 if w0.requires_grad else w0.detach().clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 the copy made with w0.clone() alone (not a leaf when w0 requires grad)",
        "ex2_3_solution",
        "descent",
        "losses",
        fails=[T23_DESCENT, T23_LOSSES],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 the copy made with zeros_like(w0).copy_(w0) (it records the copy when w0 requires grad)",
        "ex2_3_solution",
        "descent",
        "losses",
        fails=[T23_DESCENT, T23_LOSSES],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = torch.zeros_like(w0).copy_(w0).requires_grad_(True)
    losses = []
    for _ in range(steps):
        if w.grad is not None:
            w.grad.zero_()
        loss = loss_fn(w)
        loss.backward()
        with torch.no_grad():
            w.add_(w.grad, alpha=-lr)
        losses.append(loss.item())
    return w.detach(), losses
""",
    ),
    _wrong(
        "ex2_3 returns a list [w, losses], not a tuple",
        "ex2_3_solution",
        "returns",
        "losses",
        fails=[T23_DESCENT, T23_LOSSES],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.detach().clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return [w.detach(), losses]
""",
    ),
    _wrong(
        "ex2_3 torch.optim.SGD with momentum (an optimizer, and not plain gradient descent)",
        "ex2_3_solution",
        "no-optimizer",
        "losses",
        fails=[T23_DESCENT, T23_LOSSES],
        gradient_descent="""
def gradient_descent(loss_fn, w0: torch.Tensor, lr: float, steps: int):
    w = w0.detach().clone().requires_grad_(True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=0.9)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(w)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return w.detach(), losses
""",
    ),
    # 2.4 ------------------------------------------------------------------------------
    _wrong(
        "ex2_4 z1.backward() again instead of z2 (x.grad doubled, no error)",
        "ex2_4_solution",
        "grad",
        fails=[T24_EXPERIMENT],
        detach_experiment="""
def detach_experiment(values: list[float]) -> tuple[torch.Tensor, str]:
    x = torch.tensor(values, requires_grad=True)
    y = x**2
    z1 = y.sum()
    z2 = y.detach().sum()
    z1.backward(retain_graph=True)
    try:
        z1.backward()
    except RuntimeError as err:
        return x.grad, str(err)
    return x.grad, ""
""",
    ),
    _wrong(
        "ex2_4 z1 as the mean of y instead of its sum",
        "ex2_4_solution",
        "grad",
        fails=[T24_EXPERIMENT],
        detach_experiment="""
def detach_experiment(values: list[float]) -> tuple[torch.Tensor, str]:
    x = torch.tensor(values, requires_grad=True)
    y = x**2
    z1 = y.mean()
    z2 = y.detach().sum()
    z1.backward()
    try:
        z2.backward()
    except RuntimeError as err:
        return x.grad, str(err)
    return x.grad, ""
""",
    ),
    _wrong(
        "ex2_4 the error's repr instead of str(err)",
        "ex2_4_solution",
        "message",
        fails=[T24_EXPERIMENT],
        detach_experiment="""
def detach_experiment(values: list[float]) -> tuple[torch.Tensor, str]:
    x = torch.tensor(values, requires_grad=True)
    y = x**2
    z1 = y.sum()
    z2 = y.detach().sum()
    z1.backward()
    try:
        z2.backward()
    except RuntimeError as err:
        return x.grad, repr(err)
    return x.grad, ""
""",
    ),
    _wrong(
        "ex2_4 z1.backward() twice (the message of freed buffers, not of the detached graph)",
        "ex2_4_solution",
        "message",
        fails=[T24_EXPERIMENT],
        detach_experiment="""
def detach_experiment(values: list[float]) -> tuple[torch.Tensor, str]:
    x = torch.tensor(values, requires_grad=True)
    y = x**2
    y_detach = y.detach()
    z1 = y.sum()
    z2 = y_detach.sum()
    z1.backward()
    grad = x.grad.clone()
    try:
        z1.backward()
    except RuntimeError as err:
        return grad, str(err)
    return grad, ""
""",
    ),
    _wrong(
        "ex2_4 stiffness not detached (full derivative x + 2 x^3)",
        "ex2_4_solution",
        "gradient",
        fails=[T24_FROZEN],
        frozen_stiffness_gradient="""
def frozen_stiffness_gradient(x: torch.Tensor) -> torch.Tensor:
    x = x.detach().clone().requires_grad_(True)
    k = 1 + x**2
    energy = 0.5 * (k * x**2).sum()
    energy.backward()
    return x.grad
""",
    ),
    _wrong(
        "ex2_4 the energy without its factor 1/2 (gradient 2 k x)",
        "ex2_4_solution",
        "gradient",
        fails=[T24_FROZEN],
        frozen_stiffness_gradient="""
def frozen_stiffness_gradient(x: torch.Tensor) -> torch.Tensor:
    x = x.detach().clone().requires_grad_(True)
    k = 1 + x.detach() ** 2
    energy = (k * x**2).sum()
    energy.backward()
    return x.grad
""",
    ),
    _wrong(
        "ex2_4 the frozen gradient written out, (1 + x^2) x, without autograd",
        "ex2_4_solution",
        "autograd",
        fails=[T24_FROZEN],
        frozen_stiffness_gradient="""
def frozen_stiffness_gradient(x: torch.Tensor) -> torch.Tensor:
    k = 1 + x.detach() ** 2
    return k * x.detach()
""",
    ),
    _wrong(
        "ex2_4 backward on the caller's x (switches on x.requires_grad, fills x.grad)",
        "ex2_4_solution",
        "left-alone",
        fails=[T24_FROZEN],
        frozen_stiffness_gradient="""
def frozen_stiffness_gradient(x: torch.Tensor) -> torch.Tensor:
    x.requires_grad_(True)
    k = (1 + x**2).detach()
    energy = 0.5 * (k * x**2).sum()
    energy.backward()
    return x.grad.detach()
""",
    ),
    _wrong(
        "ex2_4 leaf copy by x.clone() (no leaf when x requires grad: .grad is None, x.grad fills)",
        "ex2_4_solution",
        "gradient",
        fails=[T24_FROZEN],
        frozen_stiffness_gradient="""
def frozen_stiffness_gradient(x: torch.Tensor) -> torch.Tensor:
    x = x.clone().requires_grad_(True)
    k = 1 + x.detach() ** 2
    energy = 0.5 * (k * x**2).sum()
    energy.backward()
    return x.grad
""",
    ),
    _wrong(
        "ex2_4 gradient taken with create_graph=True and returned attached",
        "ex2_4_solution",
        "detached",
        fails=[T24_FROZEN],
        frozen_stiffness_gradient="""
def frozen_stiffness_gradient(x: torch.Tensor) -> torch.Tensor:
    x = x.detach().clone().requires_grad_(True)
    k = 1 + x.detach() ** 2
    energy = 0.5 * (k * x**2).sum()
    (grad,) = torch.autograd.grad(energy, x, create_graph=True)
    return grad
""",
    ),
    _wrong(
        "ex2_4 stiffness built from torch.ones(x.shape) (on the CPU whatever x's device)",
        "ex2_4_solution",
        "dtype-device",
        "gradient",  # on a GPU the call itself fails
        fails=[T24_FROZEN],
        frozen_stiffness_gradient="""
def frozen_stiffness_gradient(x: torch.Tensor) -> torch.Tensor:
    x = x.detach().clone().requires_grad_(True)
    k = torch.ones(x.shape, dtype=x.dtype) + x.detach() ** 2
    energy = 0.5 * (k * x**2).sum()
    energy.backward()
    return x.grad
""",
    ),
    _wrong(
        "ex2_4 x made in float64 (for precision)",
        "ex2_4_solution",
        "grad",
        fails=[T24_EXPERIMENT],
        detach_experiment="""
def detach_experiment(values: list[float]) -> tuple[torch.Tensor, str]:
    x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    y = x**2
    z1, z2 = y.sum(), y.detach().sum()
    z1.backward()
    try:
        z2.backward()
    except RuntimeError as err:
        return x.grad, str(err)
    return x.grad, ""
""",
    ),
    _wrong(
        "ex2_4 x made from a NumPy array (float64)",
        "ex2_4_solution",
        "grad",
        fails=[T24_EXPERIMENT],
        detach_experiment="""
def detach_experiment(values: list[float]) -> tuple[torch.Tensor, str]:
    import numpy as np

    x = torch.tensor(np.array(values), requires_grad=True)
    y = x**2
    z1, z2 = y.sum(), y.detach().sum()
    z1.backward()
    try:
        z2.backward()
    except RuntimeError as err:
        return x.grad, str(err)
    return x.grad, ""
""",
    ),
    _wrong(
        "ex2_4 returns a list [x.grad, message], not a tuple",
        "ex2_4_solution",
        "grad",
        fails=[T24_EXPERIMENT],
        detach_experiment="""
def detach_experiment(values: list[float]) -> tuple[torch.Tensor, str]:
    x = torch.tensor(values, requires_grad=True)
    y = x**2
    z1, z2 = y.sum(), y.detach().sum()
    z1.backward()
    message = ""
    try:
        z2.backward()
    except RuntimeError as err:
        message = str(err)
    return [x.grad, message]
""",
    ),
    # 2.5 ------------------------------------------------------------------------------
    _wrong(
        "ex2_5 first derivative without create_graph=True (cannot differentiate it again)",
        "ex2_5_solution",
        "second",
        fails=[T25_SECOND],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.detach().clone().requires_grad_(True)
    (d1,) = torch.autograd.grad(f(x).sum(), x)
    if not d1.requires_grad:
        return d1.detach(), torch.zeros_like(x)
    (d2,) = torch.autograd.grad(d1.sum(), x)
    return d1.detach(), d2.detach()
""",
    ),
    _wrong(
        "ex2_5 linear f not handled (second grad of a constant raises)",
        "ex2_5_solution",
        "linear",
        fails=[T25_LINEAR],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.detach().clone().requires_grad_(True)
    (d1,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    (d2,) = torch.autograd.grad(d1.sum(), x)
    return d1.detach(), d2.detach()
""",
    ),
    _wrong(
        "ex2_5 the zeros of a linear f made with torch.zeros(x.shape) (float32, on the CPU)",
        "ex2_5_solution",
        "shape-dtype-device",
        fails=[T25_LINEAR],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.detach().clone().requires_grad_(True)
    (d1,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    if not d1.requires_grad:
        return d1.detach(), torch.zeros(x.shape)
    (d2,) = torch.autograd.grad(d1.sum(), x)
    return d1.detach(), d2.detach()
""",
    ),
    _wrong(
        "ex2_5 the zero second derivative of a linear f as torch.tensor(0.0) (a single number)",
        "ex2_5_solution",
        "shape-dtype-device",
        fails=[T25_LINEAR],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.detach().clone().requires_grad_(True)
    (d1,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    if not d1.requires_grad:
        return d1.detach(), torch.tensor(0.0)
    (d2,) = torch.autograd.grad(d1.sum(), x)
    return d1.detach(), d2.detach()
""",
    ),
    _wrong(
        "ex2_5 leaf copy by x.clone() and .grad read (None when x requires grad)",
        "ex2_5_solution",
        "first",
        "second",
        "linear",
        fails=[T25_FIRST, T25_SECOND, T25_LINEAR],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.clone().requires_grad_(True)
    f(x).sum().backward(create_graph=True)
    d1 = x.grad
    if not d1.requires_grad:
        return d1.detach(), torch.zeros_like(x)
    x.grad = None
    d1.sum().backward()
    return d1.detach(), x.grad.detach()
""",
    ),
    _wrong(
        "ex2_5 d1 returned without detach (it requires grad after create_graph=True)",
        "ex2_5_solution",
        "detached",
        fails=[T25_FIRST],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.detach().clone().requires_grad_(True)
    (d1,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    if not d1.requires_grad:
        return d1, torch.zeros_like(x)
    (d2,) = torch.autograd.grad(d1.sum(), x)
    return d1, d2.detach()
""",
    ),
    _wrong(
        "ex2_5 d2 taken with create_graph=True too and returned attached",
        "ex2_5_solution",
        "detached",
        fails=[T25_SECOND],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.detach().clone().requires_grad_(True)
    (d1,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    if not d1.requires_grad:
        return d1.detach(), torch.zeros_like(x)
    (d2,) = torch.autograd.grad(d1.sum(), x, create_graph=True)
    return d1.detach(), d2
""",
    ),
    _wrong(
        "ex2_5 requires_grad_ on the caller's x (no leaf copy)",
        "ex2_5_solution",
        "unchanged",
        fails=[T25_FIRST],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x.requires_grad_(True)
    (d1,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    if not d1.requires_grad:
        return d1.detach(), torch.zeros_like(x)
    (d2,) = torch.autograd.grad(d1.sum(), x)
    return d1.detach(), d2.detach()
""",
    ),
    _wrong(
        "ex2_5 second backward() into x.grad, which then holds f' + f'' (and so does d1)",
        "ex2_5_solution",
        "first",
        "second",
        fails=[T25_FIRST, T25_SECOND],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.detach().clone().requires_grad_(True)
    f(x).sum().backward(create_graph=True)
    d1 = x.grad
    if not d1.requires_grad:
        return d1.detach(), torch.zeros_like(x)
    d1.sum().backward()
    return d1.detach(), x.grad.detach()
""",
    ),
    _wrong(
        "ex2_5 gradient of the unsummed f(x) (works only for a single number)",
        "ex2_5_solution",
        "first",
        "second",
        "linear",
        fails=[T25_FIRST, T25_SECOND, T25_LINEAR],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.detach().clone().requires_grad_(True)
    (d1,) = torch.autograd.grad(f(x), x, create_graph=True)
    if not d1.requires_grad:
        return d1.detach(), torch.zeros_like(x)
    (d2,) = torch.autograd.grad(d1, x)
    return d1.detach(), d2.detach()
""",
    ),
    _wrong(
        "ex2_5 the leaf rebuilt with torch.tensor(x.tolist()) (float32, on the CPU)",
        "ex2_5_solution",
        "shape-dtype-device",
        fails=[T25_FIRST, T25_SECOND, T25_LINEAR],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = torch.tensor(x.tolist(), requires_grad=True)
    (d1,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    if not d1.requires_grad:
        return d1.detach(), torch.zeros_like(x)
    (d2,) = torch.autograd.grad(d1.sum(), x)
    return d1.detach(), d2.detach()
""",
    ),
    _wrong(
        "ex2_5 central finite differences instead of autograd",
        "ex2_5_solution",
        "first",
        "second",
        "linear",
        "autograd",
        fails=[T25_FIRST, T25_SECOND, T25_LINEAR],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    h = 1e-3
    with torch.no_grad():
        d1 = (f(x + h) - f(x - h)) / (2 * h)
        d2 = (f(x + h) - 2 * f(x) + f(x - h)) / h**2
    return d1, d2
""",
    ),
    _wrong(
        "ex2_5 returns a list [d1, d2], not a tuple",
        "ex2_5_solution",
        "first",
        "second",
        "linear",
        fails=[T25_FIRST, T25_SECOND, T25_LINEAR],
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.detach().clone().requires_grad_(True)
    (d1,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    if not d1.requires_grad:
        return [d1.detach(), torch.zeros_like(x)]
    (d2,) = torch.autograd.grad(d1.sum(), x)
    return [d1.detach(), d2.detach()]
""",
    ),
    # 2.6 ------------------------------------------------------------------------------
    _wrong(
        "ex2_6 sign error in the forward, 1 / (1 + exp(x))",
        "ex2_6_solution",
        "values",
        "accurate",
        fails=[T26_FORWARD, T26_STABLE],
        MySigmoid=_sigmoid(
            forward="""\
        s = 1 / (1 + torch.exp(x))
        ctx.save_for_backward(s)
        return s"""
        ),
    ),
    _wrong(
        "ex2_6 forward 1 / (1 + exp(-|x|)) for every x (the branch for x < 0 forgotten)",
        "ex2_6_solution",
        "values",
        "accurate",
        fails=[T26_FORWARD, T26_STABLE],
        MySigmoid=_sigmoid(
            forward="""\
        s = 1 / (1 + torch.exp(-x.abs()))
        ctx.save_for_backward(s)
        return s"""
        ),
    ),
    _wrong(
        "ex2_6 my_sigmoid calls MySigmoid.forward directly instead of apply",
        "ex2_6_solution",
        "apply",
        "accurate",
        fails=[T26_FORWARD, T26_BACKWARD, T26_STABLE],
        MySigmoid="""
class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(x):
        e = torch.exp(-x.abs())
        return torch.where(x >= 0, 1 / (1 + e), e / (1 + e))

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(output)

    @staticmethod
    def backward(ctx, grad_output):
        (s,) = ctx.saved_tensors
        return grad_output * s * (1 - s)
""",
        my_sigmoid="""
def my_sigmoid(x: torch.Tensor) -> torch.Tensor:
    return MySigmoid.forward(x)
""",
    ),
    _wrong(
        "ex2_6 forward builds its ones with torch.ones(x.shape) (on the CPU whatever x's device)",
        "ex2_6_solution",
        "shape-dtype-device",
        "device",
        "values",  # on a GPU the call itself fails
        "gradients",
        fails=[T26_FORWARD, T26_BACKWARD],
        MySigmoid=_sigmoid(
            forward="""\
        one = torch.ones(x.shape, dtype=x.dtype)
        e = torch.exp(-x.abs())
        s = torch.where(x >= 0, one / (one + e), e / (one + e))
        ctx.save_for_backward(s)
        return s"""
        ),
    ),
    _wrong(
        "ex2_6 forward converts x to float32 first",
        "ex2_6_solution",
        "shape-dtype-device",
        "gradients",
        fails=[T26_FORWARD, T26_BACKWARD],
        MySigmoid=_sigmoid(
            forward="""\
        x = x.float()
        e = torch.exp(-x.abs())
        s = torch.where(x >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(s)
        return s"""
        ),
    ),
    _wrong(
        "ex2_6 forward clamps the caller's x in place (clamp_ for clamp)",
        "ex2_6_solution",
        "unchanged",
        "gradients",
        fails=[T26_FORWARD, T26_BACKWARD],
        MySigmoid=_sigmoid(
            forward="""\
        x = x.clamp_(-20, 20)  # sigma is 0 or 1 beyond that anyway
        s = 1 / (1 + torch.exp(-x))
        ctx.save_for_backward(s)
        return s"""
        ),
    ),
    _wrong(
        "ex2_6 backward forgets grad_output (local derivative only)",
        "ex2_6_solution",
        "gradients",
        fails=[T26_BACKWARD],
        MySigmoid=_sigmoid(
            backward="""\
        (s,) = ctx.saved_tensors
        return s * (1 - s)"""
        ),
    ),
    _wrong(
        "ex2_6 backward with the sign flipped, s (s - 1)",
        "ex2_6_solution",
        "gradients",
        "accurate",
        fails=[T26_BACKWARD, T26_STABLE],
        MySigmoid=_sigmoid(
            backward="""\
        (s,) = ctx.saved_tensors
        return grad_output * s * (s - 1)"""
        ),
    ),
    _wrong(
        "ex2_6 backward builds its ones with torch.ones(s.shape) (on the CPU whatever the device)",
        "ex2_6_solution",
        "device",
        "gradients",  # on a GPU the call itself fails
        fails=[T26_BACKWARD],
        MySigmoid=_sigmoid(
            backward="""\
        (s,) = ctx.saved_tensors
        return grad_output * s * (torch.ones(s.shape, dtype=s.dtype) - s)"""
        ),
    ),
    _wrong(
        "ex2_6 backward recomputed from the input, exp(-x) / (1 + exp(-x))**2 (nan at x = -1000)",
        "ex2_6_solution",
        "finite",
        fails=[T26_STABLE],
        MySigmoid=_sigmoid(
            forward="""\
        ctx.save_for_backward(x)
        return 1 / (1 + torch.exp(-x))""",
            backward="""\
        (x,) = ctx.saved_tensors
        e = torch.exp(-x)
        return grad_output * e / (1 + e) ** 2""",
        ),
    ),
    _wrong(
        "ex2_6 backward as exp(-x) s^2 from the saved input and output (inf * 0 at x = -1000)",
        "ex2_6_solution",
        "finite",
        fails=[T26_STABLE],
        MySigmoid=_sigmoid(
            forward="""\
        e = torch.exp(-x.abs())
        s = torch.where(x >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(x, s)
        return s""",
            backward="""\
        x, s = ctx.saved_tensors
        return grad_output * torch.exp(-x) * s**2""",
        ),
    ),
    _wrong(
        "ex2_6 forward exp(x) / (1 + exp(x)) (inf / inf = nan for large x)",
        "ex2_6_solution",
        "finite",
        fails=[T26_STABLE],
        MySigmoid=_sigmoid(
            forward="""\
        e = torch.exp(x)
        s = e / (1 + e)
        ctx.save_for_backward(s)
        return s"""
        ),
    ),
    _wrong(
        "ex2_6 forward calls torch.sigmoid",
        "ex2_6_solution",
        "no-sigmoid",
        fails=[T26_OWN],
        MySigmoid=_sigmoid(
            forward="""\
        s = torch.sigmoid(x)
        ctx.save_for_backward(s)
        return s"""
        ),
    ),
    _wrong(
        "ex2_6 forward through logsigmoid, exp(F.logsigmoid(x))",
        "ex2_6_solution",
        "no-sigmoid",
        fails=[T26_OWN],
        MySigmoid="""
import torch.nn.functional as F


class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = torch.exp(F.logsigmoid(x))
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, grad_output):
        (s,) = ctx.saved_tensors
        return grad_output * s * (1 - s)
""",
    ),
    _wrong(
        "ex2_6 the output kept as an attribute of ctx, not with save_for_backward",
        "ex2_6_solution",
        "save-for-backward",
        fails=[T26_OWN],
        MySigmoid=_sigmoid(
            forward="""\
        e = torch.exp(-x.abs())
        ctx.s = torch.where(x >= 0, 1 / (1 + e), e / (1 + e))
        return ctx.s""",
            backward="""\
        s = ctx.s
        return grad_output * s * (1 - s)""",
        ),
    ),
    _wrong(
        "ex2_6 the output saved in float32 to save memory (float64 gradients lose digits)",
        "ex2_6_solution",
        "gradients",
        fails=[T26_BACKWARD],
        MySigmoid=_sigmoid(
            forward="""\
        e = torch.exp(-x.abs())
        s = torch.where(x >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(s.float())
        return s"""
        ),
    ),
]
