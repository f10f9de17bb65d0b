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


def _wrong(name: str, cell: str, **replacements: str) -> dict:
    test_cell = cell.replace("_solution", "_tests")
    return {"name": name, "cell": cell, "source": _cell(cell, **replacements), "fails": [test_cell]}


WRONG_ANSWERS: list[dict] = [
    # 2.1 ------------------------------------------------------------------------------
    _wrong(
        "ex2_1 gradients zeroed before the second backward (no accumulation)",
        "ex2_1_solution",
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
        "ex2_1 stores the .grad tensors, which the second backward updates in place",
        "ex2_1_solution",
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
    # 2.2 ------------------------------------------------------------------------------
    _wrong(
        "ex2_2 outer product the wrong way round, x y^T (shape (n, m))",
        "ex2_2_solution",
        norm_squared_gradient_by_hand="""
def norm_squared_gradient_by_hand(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return 2 * torch.outer(x, W @ x)
""",
    ),
    _wrong(
        "ex2_2 backward on the caller's W (changes W.grad) and sum instead of the squared norm",
        "ex2_2_solution",
        norm_squared_gradient="""
def norm_squared_gradient(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    W.requires_grad_(True)
    (W @ x).sum().backward()
    return W.grad
""",
    ),
    # 2.3 ------------------------------------------------------------------------------
    _wrong(
        "ex2_3 forgets to zero the gradient (it accumulates over the steps)",
        "ex2_3_solution",
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
        "ex2_3 trains w0 itself in place (modifies the caller's tensor)",
        "ex2_3_solution",
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
    # 2.4 ------------------------------------------------------------------------------
    _wrong(
        "ex2_4 stiffness not detached (full derivative x + 2 x^3)",
        "ex2_4_solution",
        frozen_stiffness_gradient="""
def frozen_stiffness_gradient(x: torch.Tensor) -> torch.Tensor:
    x = x.detach().clone().requires_grad_(True)
    k = 1 + x**2
    energy = 0.5 * (k * x**2).sum()
    energy.backward()
    return x.grad
""",
    ),
    # 2.5 ------------------------------------------------------------------------------
    _wrong(
        "ex2_5 first derivative without create_graph=True (cannot differentiate it again)",
        "ex2_5_solution",
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
        first_and_second_derivative="""
def first_and_second_derivative(f, x: torch.Tensor):
    x = x.detach().clone().requires_grad_(True)
    (d1,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    (d2,) = torch.autograd.grad(d1.sum(), x)
    return d1.detach(), d2.detach()
""",
    ),
    # 2.6 ------------------------------------------------------------------------------
    _wrong(
        "ex2_6 backward recomputed from the input, exp(-x) / (1 + exp(-x))**2 (nan at x = -1000)",
        "ex2_6_solution",
        MySigmoid="""
class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 1 / (1 + torch.exp(-x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        e = torch.exp(-x)
        return grad_output * e / (1 + e) ** 2
""",
    ),
    _wrong(
        "ex2_6 backward forgets grad_output (local derivative only)",
        "ex2_6_solution",
        MySigmoid="""
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
        return s * (1 - s)
""",
    ),
    _wrong(
        "ex2_6 forward calls torch.sigmoid",
        "ex2_6_solution",
        MySigmoid="""
class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x)
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, grad_output):
        (s,) = ctx.saved_tensors
        return grad_output * s * (1 - s)
""",
    ),
]
