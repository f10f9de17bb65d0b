"""Correct answers to the Chapter 6 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch06/ch06_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: another way to loop over the batches, the functional loss instead of
the module, named layers, one activation instance or several, ``torch.autograd.grad`` instead
of ``.grad``, the initialisations written by hand instead of with ``nn.init``, hooks kept in a
list or removed one by one.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
    # 6.1 ------------------------------------------------------------------------------
    {
        "name": "ex6_1 named layers (OrderedDict), batches by perm.split, F.mse_loss",
        "cell": "ex6_1_solution",
        "source": """
from collections import OrderedDict


def make_first_mlp():
    return nn.Sequential(
        OrderedDict(
            [
                ("hidden1", nn.Linear(20, 64)),
                ("act1", nn.ReLU()),
                ("hidden2", nn.Linear(64, 32)),
                ("act2", nn.ReLU()),
                ("out", nn.Linear(32, 1)),
            ]
        )
    )


def train_mlp(model, x, y, epochs, batch_size, lr, seed=0):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    losses = []
    for epoch in range(epochs):
        running = 0.0
        for batch in torch.randperm(len(x), generator=gen).split(batch_size):
            opt.zero_grad()
            loss = F.mse_loss(model(x[batch]), y[batch])
            loss.backward()
            opt.step()
            running += loss.item() * batch.numel()
        losses.append(running / len(x))
    return losses
""",
    },
    {
        "name": "ex6_1 layers from a list of sizes, a while loop, model.train(), set_to_none",
        "cell": "ex6_1_solution",
        "source": """
def make_first_mlp() -> nn.Sequential:
    sizes = [20, 64, 32, 1]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def train_mlp(model, x, y, epochs, batch_size, lr, seed=0):
    criterion = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator()
    generator.manual_seed(seed)
    history = []
    for _ in range(epochs):
        model.train()
        order = torch.randperm(x.shape[0], generator=generator)
        start, sizes, values = 0, [], []
        while start < x.shape[0]:
            idx = order[start : start + batch_size]
            pred = model(x[idx])
            loss = criterion(pred, y[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            sizes.append(len(idx))
            values.append(float(loss))
            start += batch_size
        history.append(sum(v * s for v, s in zip(values, sizes)) / x.shape[0])
    return history
""",
    },
    # 6.2 ------------------------------------------------------------------------------
    {
        "name": "ex6_2 if/elif activations, sizes list, torch.autograd.grad instead of .grad",
        "cell": "ex6_2_solution",
        "source": """
def make_activation(name):
    if name == "relu":
        return nn.ReLU()
    elif name == "leaky_relu":
        return nn.LeakyReLU(negative_slope=0.01)
    elif name == "tanh":
        return nn.Tanh()
    elif name == "gelu":
        return nn.GELU(approximate="none")
    elif name == "sigmoid":
        return nn.Sigmoid()
    raise ValueError("activation must be relu, leaky_relu, tanh, gelu or sigmoid")


def make_mlp(in_dim, width, depth, out_dim, activation="relu"):
    sizes = [in_dim] + [width] * depth
    modules = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        modules.append(nn.Linear(a, b))
        modules.append(make_activation(activation))
    modules.append(nn.Linear(width, out_dim))
    return nn.Sequential(*modules)


def layer_grad_norms(model, x, y):
    weights = [m.weight for m in model.modules() if isinstance(m, nn.Linear)]
    loss = F.mse_loss(model(x), y)
    grads = torch.autograd.grad(loss, weights)
    return [float(torch.linalg.norm(g)) for g in grads]
""",
    },
    {
        "name": "ex6_2 a dict of classes with KeyError turned into ValueError, add_module, grads to None",
        "cell": "ex6_2_solution",
        "source": """
ACTS = {"relu": "ReLU", "leaky_relu": "LeakyReLU", "tanh": "Tanh", "gelu": "GELU", "sigmoid": "Sigmoid"}


def make_activation(name: str) -> nn.Module:
    try:
        cls = getattr(nn, ACTS[name])
    except KeyError:
        raise ValueError(f"no activation called {name}") from None
    return cls()


def make_mlp(in_dim, width, depth, out_dim, activation="relu"):
    net = nn.Sequential()
    n_in = in_dim
    for i in range(depth):
        net.add_module(f"linear{i}", nn.Linear(n_in, width))
        net.add_module(f"act{i}", make_activation(activation))
        n_in = width
    net.add_module("head", nn.Linear(width, out_dim))
    return net


def layer_grad_norms(model, x, y):
    for p in model.parameters():
        p.grad = None
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    norms = []
    for module in model.modules():
        if isinstance(module, nn.Linear):
            norms.append(module.weight.grad.pow(2).sum().sqrt().item())
    return norms
""",
    },
    # 6.3 ------------------------------------------------------------------------------
    {
        "name": "ex6_3 weights written by hand under no_grad, hooks removed in a loop",
        "cell": "ex6_3_solution",
        "source": """
def init_weights_(model, scheme):
    if scheme not in {"zeros", "ones", "small", "large", "xavier", "he"}:
        raise ValueError(scheme)
    with torch.no_grad():
        for layer in model.modules():
            if isinstance(layer, nn.Linear):
                n_out, n_in = layer.weight.shape
                if scheme == "zeros":
                    layer.weight.fill_(0.0)
                elif scheme == "ones":
                    layer.weight.fill_(1.0)
                else:
                    std = {
                        "small": 0.01,
                        "large": 1.0,
                        "xavier": math.sqrt(2.0 / (n_in + n_out)),
                        "he": math.sqrt(2.0 / n_in),
                    }[scheme]
                    layer.weight.copy_(torch.randn(n_out, n_in) * std)
                if layer.bias is not None:
                    layer.bias.zero_()
    return model


ACTIVATIONS = (nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.GELU, nn.Sigmoid)


def activation_stds(model, x):
    outputs = []
    handles = []
    for m in model.modules():
        if type(m) in ACTIVATIONS:
            handles.append(m.register_forward_hook(lambda mod, inp, out: outputs.append(out)))
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    return [torch.std(o).item() for o in outputs]
""",
    },
    {
        "name": "ex6_3 nn.init with a dictionary of functions, model.apply, hooks in a try/finally",
        "cell": "ex6_3_solution",
        "source": """
INITS = {
    "zeros": nn.init.zeros_,
    "ones": nn.init.ones_,
    "small": lambda w: nn.init.normal_(w, std=0.01),
    "large": nn.init.normal_,
    "xavier": lambda w: nn.init.xavier_normal_(w, gain=1.0),
    "he": lambda w: nn.init.normal_(w, 0.0, math.sqrt(2 / w.shape[1])),
}


def init_weights_(model: nn.Module, scheme: str) -> nn.Module:
    if scheme not in INITS:
        raise ValueError(f"unknown scheme {scheme}")

    def init(m):
        if isinstance(m, nn.Linear):
            INITS[scheme](m.weight)
            if m.bias is not None:
                nn.init.constant_(m.bias, 0.0)

    model.apply(init)
    return model


ACTIVATIONS = (nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.GELU, nn.Sigmoid)


def activation_stds(model, x):
    stds = []
    handles = []

    def hook(module, args, output):
        stds.append(float(output.detach().std()))

    def attach(m):
        if isinstance(m, ACTIVATIONS):
            handles.append(m.register_forward_hook(hook))

    model.apply(attach)
    try:
        with torch.inference_mode():
            model(x)
    finally:
        while handles:
            handles.pop().remove()
    return stds
""",
    },
    # 6.4 ------------------------------------------------------------------------------
    {
        "name": "ex6_4 the count from a list of layer sizes, the width by bisection",
        "cell": "ex6_4_solution",
        "source": """
def mlp_param_count(in_dim, width, depth, out_dim):
    sizes = [in_dim] + [width] * depth + [out_dim]
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def width_for_budget(in_dim, depth, out_dim, budget):
    if mlp_param_count(in_dim, 1, depth, out_dim) > budget:
        raise ValueError("budget too small")
    lo, hi = 1, 2
    while mlp_param_count(in_dim, hi, depth, out_dim) <= budget:
        lo, hi = hi, 2 * hi
    while hi - lo > 1:  # count(lo) <= budget < count(hi)
        mid = (lo + hi) // 2
        if mlp_param_count(in_dim, mid, depth, out_dim) <= budget:
            lo = mid
        else:
            hi = mid
    return lo
""",
    },
    {
        "name": "ex6_4 the quadratic solved with math.isqrt, then corrected",
        "cell": "ex6_4_solution",
        "source": """
def mlp_param_count(in_dim: int, width: int, depth: int, out_dim: int) -> int:
    first = in_dim * width + width
    hidden = (depth - 1) * (width * width + width)
    last = width * out_dim + out_dim
    return int(first + hidden + last)


def width_for_budget(in_dim: int, depth: int, out_dim: int, budget: int) -> int:
    a = depth - 1
    b = in_dim + depth + out_dim
    c = out_dim - budget
    if a + b + c > 0:
        raise ValueError(f"{budget} parameters are not enough for one unit per layer")
    if a == 0:
        w = -c // b
    else:
        w = (-b + math.isqrt(b * b - 4 * a * c)) // (2 * a)
    while a * (w + 1) ** 2 + b * (w + 1) + c <= 0:
        w += 1
    while a * w * w + b * w + c > 0:
        w -= 1
    return w
""",
    },
    # 6.5 ------------------------------------------------------------------------------
    {
        "name": "ex6_5 blocks with add_module and named layers",
        "cell": "ex6_5_solution",
        "source": """
def make_regularized_mlp(in_dim, widths, out_dim, dropout=0.0, batchnorm=False):
    net = nn.Sequential()
    sizes = [in_dim, *widths]
    for i in range(len(widths)):
        net.add_module(f"fc{i}", nn.Linear(sizes[i], sizes[i + 1]))
        if batchnorm:
            net.add_module(f"bn{i}", nn.BatchNorm1d(sizes[i + 1]))
        net.add_module(f"relu{i}", nn.ReLU())
        if dropout:
            net.add_module(f"drop{i}", nn.Dropout(p=dropout))
    net.add_module("out", nn.Linear(sizes[-1], out_dim))
    return net
""",
    },
    {
        "name": "ex6_5 a helper that returns one block as a list",
        "cell": "ex6_5_solution",
        "source": """
def _block(n_in, n_out, dropout, batchnorm):
    layers = [nn.Linear(n_in, n_out)]
    layers += [nn.BatchNorm1d(n_out)] if batchnorm else []
    layers += [nn.ReLU(inplace=True)]
    layers += [nn.Dropout(dropout)] if dropout > 0.0 else []
    return layers


def make_regularized_mlp(in_dim, widths, out_dim, dropout=0.0, batchnorm=False):
    layers = []
    for n_in, n_out in zip([in_dim] + list(widths[:-1]), widths):
        layers.extend(_block(n_in, n_out, dropout, batchnorm))
    return nn.Sequential(*layers, nn.Linear(widths[-1], out_dim))
""",
    },
    # 6.6 ------------------------------------------------------------------------------
    {
        "name": "ex6_6 four GELU layers, AdamW and OneCycleLR; the function by unbind and stack",
        "cell": "ex6_6_solution",
        "source": """
def target_function(xy):
    x, y = xy.unbind(dim=1)
    f = torch.sin(5 * x) * torch.cos(5 * y) + 0.5 * torch.sin(10 * x) + 0.3 * torch.cos(10 * y)
    return f.unsqueeze(1)


def make_model():
    layers = [nn.Linear(2, 48), nn.GELU()]
    for _ in range(3):
        layers += [nn.Linear(48, 48), nn.GELU()]
    layers.append(nn.Linear(48, 1))
    return nn.Sequential(*layers)


def make_optimizer(model):
    return torch.optim.AdamW(model.parameters(), lr=3e-3)


def make_scheduler(optimizer, steps):
    return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-2, total_steps=steps)
""",
    },
    {
        "name": "ex6_6 three ReLU layers of 64, Adam at a constant rate (no scheduler)",
        "cell": "ex6_6_solution",
        "source": """
def target_function(xy: torch.Tensor) -> torch.Tensor:
    x = xy[:, 0]
    y = xy[:, 1]
    out = torch.sin(5 * x) * torch.cos(5 * y)
    out = out + 0.5 * torch.sin(10 * x)
    out = out + 0.3 * torch.cos(10 * y)
    return out.reshape(-1, 1)


def make_model():
    return nn.Sequential(
        nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
        nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1),
    )


def make_optimizer(model):
    return torch.optim.Adam(model.parameters(), lr=3e-3)


def make_scheduler(optimizer, steps):
    return None
""",
    },
]
