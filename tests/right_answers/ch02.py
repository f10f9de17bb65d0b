"""Correct answers to the Chapter 2 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch02/ch02_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: backward() and .grad or torch.autograd.grad or torch.func, float64
inside, loops where loops are allowed, an update out of place, another stable formula.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
    # 2.1 ------------------------------------------------------------------------------
    {
        "name": "ex2_1 one tensor holding a and b, float() of its gradient entries",
        "cell": "ex2_1_solution",
        "source": """
def accumulated_gradients(a_value, b_value):
    ab = torch.tensor([a_value, b_value], requires_grad=True)
    a, b = ab[0], ab[1]
    (a**2 + b**2).backward()
    first = (float(ab.grad[0]), float(ab.grad[1]))
    (2 * a + 3 * b).backward()
    second = (float(ab.grad[0]), float(ab.grad[1]))
    return (first, second)
""",
    },
    {
        "name": "ex2_1 float64 tensors, the .grad tensors cloned and read at the end",
        "cell": "ex2_1_solution",
        "source": """
def accumulated_gradients(a_value: float, b_value: float):
    a = torch.tensor(a_value, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(b_value, dtype=torch.float64, requires_grad=True)
    c = a * a + b * b
    c.backward()
    a1, b1 = a.grad.clone(), b.grad.clone()
    d = 2 * a + 3 * b
    d.backward()
    return (a1.item(), b1.item()), (a.grad.item(), b.grad.item())
""",
    },
    # 2.2 ------------------------------------------------------------------------------
    {
        "name": "ex2_2 backward() and .grad on a leaf copy; einsum for the outer product",
        "cell": "ex2_2_solution",
        "source": """
def norm_squared_gradient(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    leaf = W.detach().clone().requires_grad_(True)
    y = leaf @ x
    L = (y * y).sum()
    L.backward()
    return leaf.grad


def norm_squared_gradient_by_hand(W: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    y = W @ x
    return 2 * torch.einsum("i,j->ij", y, x)
""",
    },
    {
        "name": "ex2_2 torch.func.grad; by hand with a loop over the rows of W",
        "cell": "ex2_2_solution",
        "source": """
def squared_norm(V, x):
    return torch.linalg.vector_norm(V @ x) ** 2


def norm_squared_gradient(W, x):
    return torch.func.grad(squared_norm)(W.detach(), x)


def norm_squared_gradient_by_hand(W, x):
    y = W @ x
    G = torch.empty_like(W)
    for i in range(W.shape[0]):
        G[i] = 2 * y[i] * x
    return G
""",
    },
    {
        "name": "ex2_2 torch.autograd.grad on W.detach() (no clone); broadcasting by hand",
        "cell": "ex2_2_solution",
        "source": """
from torch.autograd import grad


def norm_squared_gradient(W, x):
    W_leaf = W.detach().requires_grad_()
    return grad((W_leaf @ x).pow(2).sum(), W_leaf)[0]


def norm_squared_gradient_by_hand(W, x):
    y = W.detach() @ x
    return 2.0 * y.unsqueeze(1) * x.unsqueeze(0)
""",
    },
    {
        "name": "ex2_2 autograd.grad on W itself when it already requires grad (.grad untouched)",
        "cell": "ex2_2_solution",
        "source": """
def norm_squared_gradient(W, x):
    leaf = W if W.requires_grad else W.detach().clone().requires_grad_(True)
    loss = torch.dot(leaf @ x, leaf @ x)
    return torch.autograd.grad(loss, leaf)[0].detach()


def norm_squared_gradient_by_hand(W, x):
    return 2 * torch.einsum("ij,j,k->ik", W, x, x)
""",
    },
    {
        "name": "ex2_2 backward() on W.detach() (no clone); by hand as a column times a row",
        "cell": "ex2_2_solution",
        "source": """
def norm_squared_gradient(W, x):
    leaf = W.detach()
    leaf.requires_grad = True
    (leaf @ x).square().sum().backward()
    return leaf.grad


def norm_squared_gradient_by_hand(W, x):
    y = torch.mv(W, x)
    return 2 * y.unsqueeze(-1) @ x.unsqueeze(0)
""",
    },
    # 2.3 ------------------------------------------------------------------------------
    {
        "name": "ex2_3 torch.autograd.grad and an out-of-place update, detached each step",
        "cell": "ex2_3_solution",
        "source": """
def gradient_descent(loss_fn, w0, lr, steps):
    w = w0.detach().clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(w)
        losses.append(float(loss))
        (g,) = torch.autograd.grad(loss, w)
        w = (w - lr * g).detach().requires_grad_(True)
    return w.detach(), losses
""",
    },
    {
        "name": "ex2_3 a while loop, sub_ inside no_grad, w.grad = None",
        "cell": "ex2_3_solution",
        "source": """
def gradient_descent(loss_fn, w0, lr, steps):
    w = w0.clone().detach().requires_grad_()
    losses = []
    step = 0
    while step < steps:
        loss = loss_fn(w)
        loss.backward()
        losses.append(loss.detach().item())
        with torch.no_grad():
            w.sub_(lr * w.grad)
        w.grad = None
        step += 1
    return w.detach().clone(), losses
""",
    },
    {
        "name": "ex2_3 add_ with alpha=-lr, gradient zeroed in place",
        "cell": "ex2_3_solution",
        "source": """
def gradient_descent(loss_fn, w0, lr, steps):
    w = torch.zeros_like(w0).copy_(w0.detach()).requires_grad_(True)
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
    },
    # 2.4 ------------------------------------------------------------------------------
    {
        "name": "ex2_4 except Exception with err.args[0]; stiffness computed inside no_grad",
        "cell": "ex2_4_solution",
        "source": """
def detach_experiment(values):
    x = torch.tensor(values, requires_grad=True)
    y = x**2
    y_detach = y.detach()
    z1 = y.sum()
    z2 = y_detach.sum()
    z1.backward()
    grad = x.grad
    try:
        z2.backward()
        message = ""
    except Exception as err:
        message = err.args[0]
    return grad, message


def frozen_stiffness_gradient(x):
    x_leaf = x.detach().clone().requires_grad_(True)
    with torch.no_grad():
        k = 1 + x_leaf**2
    E = 0.5 * torch.sum(k * x_leaf * x_leaf)
    E.backward()
    return x_leaf.grad
""",
    },
    {
        "name": "ex2_4 z2 tried first; float64 inside and cast back, torch.autograd.grad",
        "cell": "ex2_4_solution",
        "source": """
def detach_experiment(values: list[float]) -> tuple[torch.Tensor, str]:
    x = torch.tensor(values, requires_grad=True)
    y = x**2
    z2 = y.detach().sum()
    try:
        z2.backward()
        message = ""
    except RuntimeError as e:
        message = str(e)
    z1 = y.sum()
    z1.backward()
    return x.grad.clone(), message


def frozen_stiffness_gradient(x: torch.Tensor) -> torch.Tensor:
    x64 = x.detach().to(torch.float64).requires_grad_(True)
    k = 1 + x64.detach().square()
    energy = (k * x64.square()).sum() / 2
    (g,) = torch.autograd.grad(energy, x64)
    return g.to(x.dtype)
""",
    },
    # 2.5 ------------------------------------------------------------------------------
    {
        "name": "ex2_5 grad_outputs of ones, linear f caught as the RuntimeError it raises",
        "cell": "ex2_5_solution",
        "source": """
def first_and_second_derivative(f, x):
    x = x.detach().requires_grad_(True)
    y = f(x)
    (d1,) = torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y), create_graph=True)
    try:
        (d2,) = torch.autograd.grad(d1, x, grad_outputs=torch.ones_like(d1))
    except RuntimeError:  # d1 does not depend on x: f is linear
        d2 = torch.zeros_like(x)
    return d1.detach(), d2.detach()
""",
    },
    {
        "name": "ex2_5 torch.func.grad twice, vmapped over the flattened points",
        "cell": "ex2_5_solution",
        "source": """
def first_and_second_derivative(f, x):
    flat = x.detach().reshape(-1)
    d1 = torch.func.vmap(torch.func.grad(f))(flat)
    d2 = torch.func.vmap(torch.func.grad(torch.func.grad(f)))(flat)
    return d1.reshape(x.shape), d2.reshape(x.shape)
""",
    },
    {
        "name": "ex2_5 backward(create_graph=True) and .grad, cleared before the second pass",
        "cell": "ex2_5_solution",
        "source": """
def first_and_second_derivative(f, x):
    leaf = x.detach().clone().requires_grad_(True)
    f(leaf).sum().backward(create_graph=True)
    d1 = leaf.grad
    leaf.grad = None
    if d1.requires_grad:
        d1.sum().backward()
        d2 = leaf.grad
    else:
        d2 = torch.zeros_like(leaf)
    return d1.detach(), d2.detach()
""",
    },
    # 2.6 ------------------------------------------------------------------------------
    {
        "name": "ex2_6 setup_context saving the input, backward from exp(-|x|)",
        "cell": "ex2_6_solution",
        "source": """
def _stable_sigmoid(x):
    e = torch.exp(-torch.abs(x))
    return torch.where(x >= 0, 1 / (1 + e), e / (1 + e))


class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return _stable_sigmoid(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        e = torch.exp(-x.abs())
        return grad_output * e / (1 + e) ** 2


def my_sigmoid(x):
    return MySigmoid.apply(x)
""",
    },
    {
        "name": "ex2_6 through tanh, sigma(x) = (1 + tanh(x / 2)) / 2",
        "cell": "ex2_6_solution",
        "source": """
class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = 0.5 * (1 + torch.tanh(0.5 * x))
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, grad_output):
        (s,) = ctx.saved_tensors
        return grad_output * (s - s * s)


def my_sigmoid(x: torch.Tensor) -> torch.Tensor:
    return MySigmoid.apply(x)
""",
    },
    {
        "name": "ex2_6 plain 1 / (1 + exp(-x)) forward (1 / inf = 0 is finite), output saved",
        "cell": "ex2_6_solution",
        "source": """
class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = 1.0 / (1.0 + torch.exp(-x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * out * (1.0 - out)


def my_sigmoid(x):
    return MySigmoid.apply(x)
""",
    },
    {
        "name": "ex2_6 both branches computed and picked by where; @once_differentiable backward",
        "cell": "ex2_6_solution",
        "source": """
from torch.autograd.function import once_differentiable


class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        positive = 1 / (1 + torch.exp(-x))
        negative = torch.exp(x) / (1 + torch.exp(x))  # nan where x is large, but not chosen
        s = torch.where(x >= 0, positive, negative)
        ctx.save_for_backward(s)
        return s

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        (s,) = ctx.saved_tensors
        return grad_output * s * (1 - s)


def my_sigmoid(x):
    return MySigmoid.apply(x)
""",
    },
    {
        "name": "ex2_6 input clamped to [-80, 80] out of place, then 1 / (1 + exp(-x))",
        "cell": "ex2_6_solution",
        "source": """
class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return 1 / (1 + torch.exp(-x.clamp(-80, 80)))

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(output)

    @staticmethod
    def backward(ctx, grad_output):
        (sig,) = ctx.saved_tensors
        return (grad_output * sig * (1 - sig),)


def my_sigmoid(x):
    return MySigmoid.apply(x)
""",
    },
    {
        "name": "ex2_6 the older form, sigma(x) for x < 0 as 1 - sigma(|x|) (found by a checker)",
        "cell": "ex2_6_solution",
        "source": """
class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        e = torch.exp(-torch.abs(x))
        pos = 1.0 / (1.0 + e)
        out = torch.where(x >= 0, pos, 1.0 - pos)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (sigma,) = ctx.saved_tensors
        return grad_output * (sigma - sigma * sigma)


def my_sigmoid(x):
    return MySigmoid.apply(x)
""",
    },
]
