"""Plausible wrong answers to the Chapter 3 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch03/ch03_exercises.ipynb`` with what a
student might submit: the same functions and classes, one of them with a plausible mistake.
Grading the notebook with that cell must make exactly the test cells in ``fails`` lose their
points, while every other test cell keeps them.

The cells are put together from the correct code below, with one function or class replaced,
so that each entry shows only its mistake.
"""

from __future__ import annotations

# The correct functions and classes of each solution cell, as a student would write them.
_CORRECT: dict[str, dict[str, str]] = {
    "ex3_1_solution": {
        "TwoLayerNet": """
class TwoLayerNet(nn.Module):
    '''Linear(input_dim, hidden_dim) -> ReLU -> Linear(hidden_dim, output_dim).'''

    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, output_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        '''Map a batch of shape (N, input_dim) to (N, output_dim).'''
        return self.fc2(torch.relu(self.fc1(x)))
""",
    },
    "ex3_2_solution": {
        "build_mlp": """
def build_mlp(sizes: list[int]) -> nn.Sequential:
    '''Linear layers sizes[0] -> sizes[1] -> ... -> sizes[-1], a ReLU between consecutive
    linear layers and none after the last.'''
    layers: list[nn.Module] = []
    for i in range(len(sizes) - 1):
        layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.ReLU()]
    return nn.Sequential(*layers[:-1])
""",
        "count_parameters": """
def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    '''The number of parameter entries of `model` (buffers excluded; a shared parameter
    counts once); with trainable_only=True only those with requires_grad.'''
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
""",
        "mlp_parameter_count": """
def mlp_parameter_count(sizes: list[int]) -> int:
    '''The parameter count of build_mlp(sizes), from the formula, without building it.'''
    return sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(sizes) - 1))
""",
        "parameters_per_layer": """
def parameters_per_layer(model: nn.Module) -> dict[str, int]:
    '''{name: count} for every module (named as in model.named_modules()) that holds
    parameters directly, counting only those it holds directly.'''
    counts = {}
    for name, module in model.named_modules():
        n = sum(p.numel() for p in module.parameters(recurse=False))
        if n > 0:
            counts[name] = n
    return counts
""",
    },
    "ex3_3_solution": {
        "make_sequential": """
def make_sequential() -> nn.Sequential:
    '''10 -> 50 -> 30 -> 1: Linear, ReLU, Linear, ReLU, Linear.'''
    return nn.Sequential(
        nn.Linear(10, 50), nn.ReLU(), nn.Linear(50, 30), nn.ReLU(), nn.Linear(30, 1)
    )
""",
        "CustomNet": """
class CustomNet(nn.Module):
    '''The same network as make_sequential(), with layers fc1, fc2, fc3.'''

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(10, 50)
        self.fc2 = nn.Linear(50, 30)
        self.fc3 = nn.Linear(30, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        '''Map (N, 10) to (N, 1).'''
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))
""",
        "copy_weights": """
def copy_weights(src: nn.Sequential, dst: CustomNet) -> None:
    '''Copy the weights and biases of `src` into `dst` in place (copies, not shared tensors).'''
    with torch.no_grad():
        for layer, target in zip(
            [src[0], src[2], src[4]], [dst.fc1, dst.fc2, dst.fc3], strict=True
        ):
            target.weight.copy_(layer.weight)
            target.bias.copy_(layer.bias)
""",
    },
    "ex3_4_solution": {
        "he_init_": """
def he_init_(model: nn.Module) -> nn.Module:
    '''He (Kaiming) normal initialisation, in place, of every nn.Linear in `model`:
    weights from N(0, 2 / fan_in), biases zero. Returns `model`.'''
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, mode="fan_in", nonlinearity="relu")
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model
""",
    },
    "ex3_5_solution": {
        "save_weights": """
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    '''Save the model's state_dict (parameters and buffers) to `path`.'''
    torch.save(model.state_dict(), path)
""",
        "load_weights": """
def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    '''Load the state_dict saved at `path` into `model` (a fresh instance of the same
    architecture) with weights_only=True, and return `model` in evaluation mode.'''
    state = torch.load(path, weights_only=True, map_location="cpu")
    model.load_state_dict(state)
    return model.eval()
""",
    },
    "ex3_6_solution": {
        "TwoBranchNet": """
class TwoBranchNet(nn.Module):
    '''Two inputs, a branch each, features concatenated (with the raw inputs if skip), a
    linear head to one output.'''

    def __init__(
        self, dim_a: int = 20, dim_b: int = 10, hidden: int = 32, skip: bool = False
    ) -> None:
        super().__init__()
        self.skip = skip
        self.branch_a = nn.Sequential(
            nn.Linear(dim_a, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.branch_b = nn.Sequential(
            nn.Linear(dim_b, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        n_features = 2 * hidden + (dim_a + dim_b if skip else 0)
        self.head = nn.Linear(n_features, 1)

    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        '''Map xa of shape (N, dim_a) and xb of shape (N, dim_b) to (N, 1).'''
        parts = [self.branch_a(xa), self.branch_b(xb)]
        if self.skip:
            parts += [xa, xb]
        return self.head(torch.cat(parts, dim=1))
""",
    },
    "ex3_7_solution": {
        "freeze_linear_layers_": """
def freeze_linear_layers_(model: nn.Sequential, n: int) -> None:
    '''Freeze (requires_grad False) every parameter of the first n nn.Linear layers.'''
    linears = [m for m in model if isinstance(m, nn.Linear)]
    for layer in linears[:n]:
        layer.requires_grad_(False)
""",
        "make_optimizer": """
def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    '''Plain SGD (no momentum) over the trainable parameters of `model` only.'''
    return torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=lr)
""",
        "fine_tune": """
def fine_tune(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float
) -> list[float]:
    '''`steps` full-batch SGD steps on F.cross_entropy(model(x), y), with the optimizer from
    make_optimizer; returns the loss before each step as Python floats.'''
    optimizer = make_optimizer(model, lr)
    model.train()
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
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
    return "\n\n\n".join(source.strip("\n") for source in functions.values()) + "\n"


def _wrong(name: str, cell: str, **replacements: str) -> dict:
    test_cell = cell.replace("_solution", "_tests")
    return {"name": name, "cell": cell, "source": _cell(cell, **replacements), "fails": [test_cell]}


WRONG_ANSWERS: list[dict] = [
    # 3.1 ------------------------------------------------------------------------------
    _wrong(
        "ex3_1 ReLU after the output layer too",
        "ex3_1_solution",
        TwoLayerNet="""
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, output_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.fc2(torch.relu(self.fc1(x))))
""",
    ),
    _wrong(
        "ex3_1 no ReLU between the layers (a linear model)",
        "ex3_1_solution",
        TwoLayerNet="""
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, output_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.fc1(x))
""",
    ),
    # 3.2 ------------------------------------------------------------------------------
    _wrong(
        "ex3_2 counting the state_dict (buffers and tied weights counted)",
        "ex3_2_solution",
        count_parameters="""
def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    if trainable_only:
        return sum(p.numel() for p in model.parameters() if p.requires_grad)
    return sum(t.numel() for t in model.state_dict().values())
""",
    ),
    _wrong(
        "ex3_2 formula without the biases",
        "ex3_2_solution",
        mlp_parameter_count="""
def mlp_parameter_count(sizes: list[int]) -> int:
    return sum(sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1))
""",
    ),
    # 3.3 ------------------------------------------------------------------------------
    _wrong(
        "ex3_3 copy_weights shares the parameters instead of copying them",
        "ex3_3_solution",
        copy_weights="""
def copy_weights(src: nn.Sequential, dst: CustomNet) -> None:
    dst.fc1.weight, dst.fc1.bias = src[0].weight, src[0].bias
    dst.fc2.weight, dst.fc2.bias = src[2].weight, src[2].bias
    dst.fc3.weight, dst.fc3.bias = src[4].weight, src[4].bias
""",
    ),
    _wrong(
        "ex3_3 CustomNet misses the ReLU before fc3",
        "ex3_3_solution",
        CustomNet="""
class CustomNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(10, 50)
        self.fc2 = nn.Linear(50, 30)
        self.fc3 = nn.Linear(30, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc3(self.fc2(torch.relu(self.fc1(x))))
""",
    ),
    # 3.4 ------------------------------------------------------------------------------
    _wrong(
        "ex3_4 wrong gain (nonlinearity='linear': std sqrt(1/fan_in))",
        "ex3_4_solution",
        he_init_="""
def he_init_(model: nn.Module) -> nn.Module:
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="linear")
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model
""",
    ),
    _wrong(
        "ex3_4 only the top-level layers (model.children(), nested ones missed)",
        "ex3_4_solution",
        he_init_="""
def he_init_(model: nn.Module) -> nn.Module:
    for module in model.children():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)
    return model
""",
    ),
    # 3.5 ------------------------------------------------------------------------------
    _wrong(
        "ex3_5 saving the whole model and loading it with weights_only=False",
        "ex3_5_solution",
        save_weights="""
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    torch.save(model, path)
""",
        load_weights="""
def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    return torch.load(path, weights_only=False).eval()
""",
    ),
    _wrong(
        "ex3_5 loaded model left in training mode (no eval())",
        "ex3_5_solution",
        load_weights="""
def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    model.load_state_dict(torch.load(path, weights_only=True))
    return model
""",
    ),
    # 3.6 ------------------------------------------------------------------------------
    _wrong(
        "ex3_6 skip connection concatenated in the wrong order",
        "ex3_6_solution",
        TwoBranchNet="""
class TwoBranchNet(nn.Module):
    def __init__(
        self, dim_a: int = 20, dim_b: int = 10, hidden: int = 32, skip: bool = False
    ) -> None:
        super().__init__()
        self.skip = skip
        self.branch_a = nn.Sequential(
            nn.Linear(dim_a, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.branch_b = nn.Sequential(
            nn.Linear(dim_b, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.head = nn.Linear(2 * hidden + (dim_a + dim_b if skip else 0), 1)

    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        parts = [self.branch_a(xa), self.branch_b(xb)]
        if self.skip:
            parts = [xa, xb] + parts
        return self.head(torch.cat(parts, dim=1))
""",
    ),
    _wrong(
        "ex3_6 branches without their final ReLU",
        "ex3_6_solution",
        TwoBranchNet="""
class TwoBranchNet(nn.Module):
    def __init__(
        self, dim_a: int = 20, dim_b: int = 10, hidden: int = 32, skip: bool = False
    ) -> None:
        super().__init__()
        self.skip = skip
        self.branch_a = nn.Sequential(nn.Linear(dim_a, hidden), nn.ReLU(), nn.Linear(hidden, hidden))
        self.branch_b = nn.Sequential(nn.Linear(dim_b, hidden), nn.ReLU(), nn.Linear(hidden, hidden))
        self.head = nn.Linear(2 * hidden + (dim_a + dim_b if skip else 0), 1)

    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        parts = [self.branch_a(xa), self.branch_b(xb)]
        if self.skip:
            parts += [xa, xb]
        return self.head(torch.cat(parts, dim=1))
""",
    ),
    # 3.7 ------------------------------------------------------------------------------
    _wrong(
        "ex3_7 only the weights frozen, the biases still train",
        "ex3_7_solution",
        freeze_linear_layers_="""
def freeze_linear_layers_(model: nn.Sequential, n: int) -> None:
    linears = [m for m in model if isinstance(m, nn.Linear)]
    for layer in linears[:n]:
        layer.weight.requires_grad = False
""",
    ),
    _wrong(
        "ex3_7 optimizer given every parameter, frozen ones included",
        "ex3_7_solution",
        make_optimizer="""
def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    return torch.optim.SGD(model.parameters(), lr=lr)
""",
    ),
    _wrong(
        "ex3_7 fine_tune forgets optimizer.zero_grad() (gradients accumulate)",
        "ex3_7_solution",
        fine_tune="""
def fine_tune(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float
) -> list[float]:
    optimizer = make_optimizer(model, lr)
    model.train()
    losses = []
    for _ in range(steps):
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
""",
    ),
]
