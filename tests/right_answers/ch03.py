"""Correct answers to the Chapter 3 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch03/ch03_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: F.relu or an nn.ReLU module or clamp, loops or comprehensions, an
OrderedDict inside nn.Sequential, state_dict or copy_ to copy weights, nn.init or in-place
sampling, a file object or a path, filter or a list for the optimizer's parameters.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
    # 3.1 ------------------------------------------------------------------------------
    {
        "name": "ex3_1 an nn.ReLU module kept as an attribute",
        "cell": "ex3_1_solution",
        "source": """
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim, hidden_dim, output_dim):
        super(TwoLayerNet, self).__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(hidden_dim, output_dim)

    def forward(self, x):
        x = self.fc1(x)
        x = self.relu(x)
        return self.fc2(x)
""",
    },
    {
        "name": "ex3_1 clamp(min=0) as the ReLU",
        "cell": "ex3_1_solution",
        "source": """
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, output_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        hidden = self.fc1(x).clamp(min=0)
        return self.fc2(hidden)
""",
    },
    {
        "name": "ex3_1 forward through an nn.Sequential that reuses fc1 and fc2",
        "cell": "ex3_1_solution",
        "source": """
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, output_dim)
        self.net = nn.Sequential(self.fc1, nn.ReLU(), self.fc2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)
""",
    },
    {
        "name": "ex3_1 layers kept in an nn.ModuleList, fc1 and fc2 naming its entries",
        "cell": "ex3_1_solution",
        "source": """
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            [nn.Linear(input_dim, hidden_dim), nn.Linear(hidden_dim, output_dim)]
        )
        self.fc1, self.fc2 = self.layers

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.relu(self.fc1(x)))
""",
    },
    # 3.2 ------------------------------------------------------------------------------
    {
        "name": "ex3_2 zip over consecutive sizes, comprehensions, named_modules",
        "cell": "ex3_2_solution",
        "source": """
def build_mlp(sizes):
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        if layers:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(n_in, n_out))
    return nn.Sequential(*layers)


def count_parameters(model, trainable_only=False):
    params = model.parameters()
    if trainable_only:
        params = filter(lambda p: p.requires_grad, params)
    return sum(p.numel() for p in params)


def mlp_parameter_count(sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:]))


def parameters_per_layer(model):
    counts = {
        name: sum(p.numel() for p in module.parameters(recurse=False))
        for name, module in model.named_modules()
    }
    return {name: n for name, n in counts.items() if n}
""",
    },
    {
        "name": "ex3_2 index loops, math.prod of shapes, parameters deduplicated by id",
        "cell": "ex3_2_solution",
        "source": """
import math


def build_mlp(sizes: list[int]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    unique = {}
    for module in model.modules():
        for p in module.parameters(recurse=False):
            unique[id(p)] = p
    total = 0
    for p in unique.values():
        if trainable_only and not p.requires_grad:
            continue
        total += math.prod(p.shape)
    return total


def mlp_parameter_count(sizes: list[int]) -> int:
    total = 0
    for i in range(1, len(sizes)):
        total += (sizes[i - 1] + 1) * sizes[i]
    return total


def parameters_per_layer(model: nn.Module) -> dict[str, int]:
    result = {}
    for name, module in model.named_modules():
        own = [p.numel() for _, p in module.named_parameters(recurse=False)]
        if own:
            result[name] = sum(own)
    return result
""",
    },
    {
        "name": "ex3_2 linears built first, then ReLUs put between them; int() of tensor sums",
        "cell": "ex3_2_solution",
        "source": """
def build_mlp(sizes: list[int]) -> nn.Sequential:
    linears = [nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    layers = [linears[0]]
    for linear in linears[1:]:
        layers += [nn.ReLU(), linear]
    return nn.Sequential(*layers)


def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    counts = [p.numel() for p in model.parameters() if p.requires_grad or not trainable_only]
    return int(torch.tensor(counts, dtype=torch.int64).sum()) if counts else 0


def mlp_parameter_count(sizes: list[int]) -> int:
    n = torch.tensor(sizes, dtype=torch.int64)
    return int(((n[:-1] + 1) * n[1:]).sum())


def parameters_per_layer(model: nn.Module) -> dict[str, int]:
    counts = {}
    for name, module in model.named_modules():
        n = 0
        for p in module.parameters(recurse=False):
            n += p.numel()
        if n > 0:
            counts[name] = n
    return counts
""",
    },
    # 3.3 ------------------------------------------------------------------------------
    {
        "name": "ex3_3 OrderedDict names, F.relu, copy through a renamed state_dict",
        "cell": "ex3_3_solution",
        "source": """
from collections import OrderedDict


def make_sequential() -> nn.Sequential:
    return nn.Sequential(
        OrderedDict(
            [
                ("fc1", nn.Linear(10, 50)),
                ("relu1", nn.ReLU()),
                ("fc2", nn.Linear(50, 30)),
                ("relu2", nn.ReLU()),
                ("fc3", nn.Linear(30, 1)),
            ]
        )
    )


class CustomNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(10, 50)
        self.fc2 = nn.Linear(50, 30)
        self.fc3 = nn.Linear(30, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def copy_weights(src: nn.Sequential, dst: CustomNet) -> None:
    linears = [m for m in src if isinstance(m, nn.Linear)]
    state = {}
    for k, layer in enumerate(linears, start=1):
        state[f"fc{k}.weight"] = layer.weight.detach().clone()
        state[f"fc{k}.bias"] = layer.bias.detach().clone()
    dst.load_state_dict(state)
""",
    },
    {
        "name": "ex3_3 layers in a list, nn.ReLU modules, .data replaced by clones",
        "cell": "ex3_3_solution",
        "source": """
def make_sequential() -> nn.Sequential:
    layers = [nn.Linear(10, 50), nn.ReLU(), nn.Linear(50, 30), nn.ReLU(), nn.Linear(30, 1)]
    return nn.Sequential(*layers)


class CustomNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 50)
        self.fc2 = nn.Linear(50, 30)
        self.fc3 = nn.Linear(30, 1)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.fc3(self.act(self.fc2(self.act(self.fc1(x)))))


def copy_weights(src, dst):
    for target, source in [(dst.fc1, src[0]), (dst.fc2, src[2]), (dst.fc3, src[4])]:
        target.weight.data = source.weight.data.clone()
        target.bias.data = source.bias.data.clone()
""",
    },
    {
        "name": "ex3_3 parameters copied pairwise with copy_ under no_grad",
        "cell": "ex3_3_solution",
        "source": """
def make_sequential():
    return nn.Sequential(
        nn.Linear(10, 50),
        nn.ReLU(),
        nn.Linear(50, 30),
        nn.ReLU(),
        nn.Linear(30, 1),
    )


class CustomNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 50)
        self.fc2 = nn.Linear(50, 30)
        self.fc3 = nn.Linear(30, 1)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        h = torch.relu(self.fc2(h))
        return self.fc3(h)


@torch.no_grad()
def copy_weights(src, dst):
    for p_dst, p_src in zip(dst.parameters(), src.parameters(), strict=True):
        p_dst.copy_(p_src)
""",
    },
    {
        "name": "ex3_3 the linear layers built by one helper, in order, for both models",
        "cell": "ex3_3_solution",
        "source": """
def make_layers():
    return [nn.Linear(10, 50), nn.Linear(50, 30), nn.Linear(30, 1)]


def make_sequential():
    l1, l2, l3 = make_layers()
    return nn.Sequential(l1, nn.ReLU(), l2, nn.ReLU(), l3)


class CustomNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = make_layers()

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def copy_weights(src, dst):
    with torch.no_grad():
        for i, name in zip((0, 2, 4), ("fc1", "fc2", "fc3")):
            getattr(dst, name).weight.copy_(src[i].weight)
            getattr(dst, name).bias.copy_(src[i].bias)
""",
    },
    # 3.4 ------------------------------------------------------------------------------
    {
        "name": "ex3_4 model.apply with kaiming_normal_'s defaults (fan_in, gain sqrt(2))",
        "cell": "ex3_4_solution",
        "source": """
def he_init_(model: nn.Module) -> nn.Module:
    def init(module):
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight)
            if module.bias is not None:
                module.bias.data.zero_()

    model.apply(init)
    return model
""",
    },
    {
        "name": "ex3_4 normal_ with the He standard deviation, under no_grad",
        "cell": "ex3_4_solution",
        "source": """
def he_init_(model):
    with torch.no_grad():
        for layer in model.modules():
            if not isinstance(layer, nn.Linear):
                continue
            layer.weight.normal_(mean=0.0, std=math.sqrt(2.0 / layer.in_features))
            if layer.bias is not None:
                layer.bias.fill_(0.0)
    return model
""",
    },
    {
        "name": "ex3_4 randn_like scaled and copied in, fan_in read from the weight's shape",
        "cell": "ex3_4_solution",
        "source": """
def he_init_(model: nn.Module) -> nn.Module:
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for layer in linears:
            fan_in = layer.weight.shape[1]
            layer.weight.copy_(torch.randn_like(layer.weight) * (2 / fan_in) ** 0.5)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
    return model
""",
    },
    # 3.5 ------------------------------------------------------------------------------
    {
        "name": "ex3_5 explicit strict=True, map_location as a device, train(False)",
        "cell": "ex3_5_solution",
        "source": """
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    torch.save(model.state_dict(), str(path))


def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    state = torch.load(path, map_location=torch.device("cpu"), weights_only=True)
    model.load_state_dict(state, strict=True)
    model.train(False)
    return model
""",
    },
    {
        "name": "ex3_5 file objects, map_location as a function",
        "cell": "ex3_5_solution",
        "source": """
from pathlib import Path


def save_weights(model, path):
    with open(path, "wb") as f:
        torch.save(model.state_dict(), f)


def load_weights(model, path):
    with open(path, "rb") as f:
        state = torch.load(f, weights_only=True, map_location=lambda storage, location: storage)
    model.load_state_dict(state)
    model.eval()
    return model
""",
    },
    {
        "name": "ex3_5 a copied state_dict, map_location as a string, Path(path)",
        "cell": "ex3_5_solution",
        "source": """
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    state = {key: value.detach().clone() for key, value in model.state_dict().items()}
    torch.save(state, Path(path))


def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    model.load_state_dict(torch.load(Path(path), map_location="cpu", weights_only=True))
    return model.eval()
""",
    },
    {
        "name": "ex3_5 torch.load's default weights_only (True since PyTorch 2.6)",
        "cell": "ex3_5_solution",
        "source": """
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    torch.save(model.state_dict(), path)


def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    model.load_state_dict(torch.load(path, map_location="cpu"))
    model.eval()
    return model
""",
    },
    {
        "name": "ex3_5 save_weights saves in eval() and restores every submodule's mode",
        "cell": "ex3_5_solution",
        "source": """
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    torch.save(model.state_dict(), path)
    for module, training in modes:
        module.training = training


def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    model.load_state_dict(torch.load(path, weights_only=True, map_location="cpu"))
    return model.eval()
""",
    },
    # 3.6 ------------------------------------------------------------------------------
    {
        "name": "ex3_6 a helper builds the branches, features joined with torch.cat(dim=-1)",
        "cell": "ex3_6_solution",
        "source": """
def make_branch(n_in, hidden):
    return nn.Sequential(
        nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
    )


class TwoBranchNet(nn.Module):
    def __init__(self, dim_a=20, dim_b=10, hidden=32, skip=False):
        super().__init__()
        self.skip = skip
        self.branch_a = make_branch(dim_a, hidden)
        self.branch_b = make_branch(dim_b, hidden)
        in_features = 2 * hidden
        if skip:
            in_features += dim_a + dim_b
        self.head = nn.Linear(in_features, 1)

    def forward(self, xa, xb):
        features = [self.branch_a(xa), self.branch_b(xb)]
        if self.skip:
            features.extend([xa, xb])
        return self.head(torch.cat(features, dim=-1))
""",
    },
    {
        "name": "ex3_6 torch.hstack, the raw inputs added in one expression",
        "cell": "ex3_6_solution",
        "source": """
class TwoBranchNet(nn.Module):
    def __init__(
        self, dim_a: int = 20, dim_b: int = 10, hidden: int = 32, skip: bool = False
    ) -> None:
        super().__init__()
        self.use_skip = skip
        self.branch_a = nn.Sequential(
            nn.Linear(dim_a, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.branch_b = nn.Sequential(
            nn.Linear(dim_b, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.head = nn.Linear(2 * hidden + skip * (dim_a + dim_b), 1)

    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        raw = (xa, xb) if self.use_skip else ()
        return self.head(torch.hstack((self.branch_a(xa), self.branch_b(xb), *raw)))
""",
    },
    {
        "name": "ex3_6 branches as nn.Sequential with named entries (an OrderedDict)",
        "cell": "ex3_6_solution",
        "source": """
from collections import OrderedDict


def branch(n_in: int, hidden: int) -> nn.Sequential:
    return nn.Sequential(
        OrderedDict(
            [
                ("fc1", nn.Linear(n_in, hidden)),
                ("act1", nn.ReLU()),
                ("fc2", nn.Linear(hidden, hidden)),
                ("act2", nn.ReLU()),
            ]
        )
    )


class TwoBranchNet(nn.Module):
    def __init__(
        self, dim_a: int = 20, dim_b: int = 10, hidden: int = 32, skip: bool = False
    ) -> None:
        super().__init__()
        self.skip = skip
        self.branch_a = branch(dim_a, hidden)
        self.branch_b = branch(dim_b, hidden)
        self.head = nn.Linear(2 * hidden + (dim_a + dim_b) * int(skip), 1)

    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        features = torch.cat([self.branch_a(xa), self.branch_b(xb)], dim=1)
        if self.skip:
            features = torch.cat([features, xa, xb], dim=1)
        return self.head(features)
""",
    },
    # 3.7 ------------------------------------------------------------------------------
    {
        "name": "ex3_7 a counter over the entries, filter for the optimizer, model.zero_grad",
        "cell": "ex3_7_solution",
        "source": """
def freeze_linear_layers_(model, n):
    seen = 0
    for layer in model:
        if isinstance(layer, nn.Linear) and seen < n:
            for p in layer.parameters():
                p.requires_grad = False
            seen += 1


def make_optimizer(model, lr):
    return torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=lr)


def fine_tune(model, x, y, steps, lr):
    model.train()
    optimizer = make_optimizer(model, lr)
    history = []
    for step in range(steps):
        model.zero_grad()
        loss = F.cross_entropy(model(x), y)
        history.append(float(loss))
        loss.backward()
        optimizer.step()
    return history
""",
    },
    {
        "name": "ex3_7 a parameter group with momentum=0, zero_grad after each step",
        "cell": "ex3_7_solution",
        "source": """
def freeze_linear_layers_(model: nn.Sequential, n: int) -> None:
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    for layer in linears[:n]:
        layer.weight.requires_grad_(False)
        if layer.bias is not None:
            layer.bias.requires_grad_(False)


def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    trainable = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.SGD([{"params": trainable}], lr=lr, momentum=0.0)


def fine_tune(model, x, y, steps, lr):
    optimizer = make_optimizer(model, lr)
    model.train()
    optimizer.zero_grad()
    losses = []
    for _ in range(steps):
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
    return losses
""",
    },
    {
        "name": "ex3_7 modules() with enumerate, every SGD option spelled out, nn.CrossEntropyLoss",
        "cell": "ex3_7_solution",
        "source": """
def freeze_linear_layers_(model: nn.Sequential, n: int) -> None:
    linear_layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    for i, layer in enumerate(linear_layers):
        if i < n:
            for p in layer.parameters():
                p.requires_grad_(False)


def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    params = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.SGD(
        params=params, lr=lr, momentum=0, dampening=0, weight_decay=0, nesterov=False
    )


def fine_tune(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float
) -> list[float]:
    loss_fn = nn.CrossEntropyLoss()
    optimizer = make_optimizer(model, lr)
    model.train()
    losses = []
    for step in range(steps):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach().item())
    return losses
""",
    },
]
