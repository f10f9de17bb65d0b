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


def _wrong(name: str, cell: str, *breaks: str, fails: list[str], **replacements: str) -> dict:
    """A wrong answer: ``cell`` with the named functions replaced. It breaks the clauses
    ``breaks`` of the exercise's contracts, so the test cells ``fails`` must fail on one of
    them, and every other test cell it reaches must pass."""
    return {
        "name": name,
        "cell": cell,
        "source": _cell(cell, **replacements),
        "fails": fails,
        "breaks": list(breaks),
    }


_TWO_LAYER_INIT = """
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, output_dim)
"""
_TWO_BRANCH_INIT = """
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
"""
_FINE_TUNE_HEAD = """
def fine_tune(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float
) -> list[float]:
    optimizer = make_optimizer(model, lr)
"""

L31 = ["ex3_1_tests_layers"]
F31 = ["ex3_1_tests_forward"]
B32, C32, FO32, P32 = (
    ["ex3_2_tests_build"],
    ["ex3_2_tests_count"],
    ["ex3_2_tests_formula"],
    ["ex3_2_tests_per_layer"],
)
B33, C33 = ["ex3_3_tests_build"], ["ex3_3_tests_copy"]
T34 = ["ex3_4_tests"]
S35, L35 = ["ex3_5_tests_save"], ["ex3_5_tests_load"]
P36, S36 = ["ex3_6_tests_plain"], ["ex3_6_tests_skip"]
FR37, OP37, FT37 = (
    ["ex3_7_tests_freeze"],
    ["ex3_7_tests_optimizer"],
    ["ex3_7_tests_fine_tune"],
)

WRONG_ANSWERS: list[dict] = [
    # 3.1 ------------------------------------------------------------------------------
    _wrong(
        "ex3_1 ReLU after the output layer too",
        "ex3_1_solution",
        "forward",
        fails=F31,
        TwoLayerNet=_TWO_LAYER_INIT
        + """
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.fc2(torch.relu(self.fc1(x))))
""",
    ),
    _wrong(
        "ex3_1 no ReLU between the layers (a linear model)",
        "ex3_1_solution",
        "forward",
        fails=F31,
        TwoLayerNet=_TWO_LAYER_INIT
        + """
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.fc1(x))
""",
    ),
    _wrong(
        "ex3_1 a sigmoid instead of the ReLU",
        "ex3_1_solution",
        "forward",
        fails=F31,
        TwoLayerNet=_TWO_LAYER_INIT
        + """
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.sigmoid(self.fc1(x)))
""",
    ),
    _wrong(
        "ex3_1 layers created before super().__init__() is called",
        "ex3_1_solution",
        "module",
        fails=L31 + F31,
        TwoLayerNet="""
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, output_dim)
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.relu(self.fc1(x)))
""",
    ),
    _wrong(
        "ex3_1 layers named hidden and output instead of fc1 and fc2",
        "ex3_1_solution",
        "module",
        fails=L31 + F31,
        TwoLayerNet="""
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.hidden = nn.Linear(input_dim, hidden_dim)
        self.output = nn.Linear(hidden_dim, output_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output(torch.relu(self.hidden(x)))
""",
    ),
    _wrong(
        "ex3_1 fc2 created before fc1 (other random weights)",
        "ex3_1_solution",
        "order",
        fails=L31,
        TwoLayerNet="""
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.fc2 = nn.Linear(hidden_dim, output_dim)
        self.fc1 = nn.Linear(input_dim, hidden_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.relu(self.fc1(x)))
""",
    ),
    _wrong(
        "ex3_1 sizes of the example hard-coded (passes the visible tests only)",
        "ex3_1_solution",
        "layers",
        "shape",
        fails=L31 + F31,
        TwoLayerNet="""
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(20, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.relu(self.fc1(x)))
""",
    ),
    _wrong(
        "ex3_1 output squeezed (shape (N,) for one output)",
        "ex3_1_solution",
        "shape",
        fails=F31,
        TwoLayerNet=_TWO_LAYER_INIT
        + """
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.relu(self.fc1(x))).squeeze()
""",
    ),
    _wrong(
        "ex3_1 ReLU computed with NumPy (no gradient reaches fc1)",
        "ex3_1_solution",
        "gradients",
        fails=F31,
        TwoLayerNet="""
import numpy as np


class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, output_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.fc1(x).detach().numpy()
        return self.fc2(torch.from_numpy(np.maximum(h, 0)))
""",
    ),
    _wrong(
        "ex3_1 ReLU as a maximum with torch.zeros(h.shape) (a tensor on the CPU)",
        "ex3_1_solution",
        "device",
        fails=F31,
        TwoLayerNet=_TWO_LAYER_INIT
        + """
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.fc1(x)
        return self.fc2(torch.maximum(h, torch.zeros(h.shape)))
""",
    ),
    _wrong(
        "ex3_1 fc1 created with bias=False (no fc1.bias)",
        "ex3_1_solution",
        "layers",
        "gradients",
        fails=L31 + F31,
        TwoLayerNet="""
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim, bias=False)
        self.fc2 = nn.Linear(hidden_dim, output_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.relu(self.fc1(x)))
""",
    ),
    _wrong(
        "ex3_1 fc2, the output layer, created with bias=False",
        "ex3_1_solution",
        "layers",
        "gradients",
        fails=L31 + F31,
        TwoLayerNet="""
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, output_dim, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.relu(self.fc1(x)))
""",
    ),
    # 3.2 ------------------------------------------------------------------------------
    _wrong(
        "ex3_2 nn.Sequential(layers): the list not unpacked",
        "ex3_2_solution",
        "sequential",
        fails=B32,
        build_mlp="""
def build_mlp(sizes: list[int]) -> nn.Sequential:
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(layers)
""",
    ),
    _wrong(
        "ex3_2 the ReLU class appended instead of an instance",
        "ex3_2_solution",
        "sequential",
        fails=B32,
        build_mlp="""
def build_mlp(sizes: list[int]) -> nn.Sequential:
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU)
    return nn.Sequential(*layers)
""",
    ),
    _wrong(
        "ex3_2 a ReLU after the last layer too",
        "ex3_2_solution",
        "relus",
        fails=B32,
        build_mlp="""
def build_mlp(sizes: list[int]) -> nn.Sequential:
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    return nn.Sequential(*layers)
""",
    ),
    _wrong(
        "ex3_2 the loop stops one layer early and the trailing ReLU is cut",
        "ex3_2_solution",
        "linears",
        fails=B32,
        build_mlp="""
def build_mlp(sizes: list[int]) -> nn.Sequential:
    layers = []
    for i in range(len(sizes) - 2):
        layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.ReLU()]
    layers.append(nn.Linear(sizes[-2], sizes[-1]))
    return nn.Sequential(*layers[:-1])
""",
    ),
    _wrong(
        "ex3_2 counting the state_dict (buffers and tied weights counted)",
        "ex3_2_solution",
        "buffers",
        fails=C32,
        count_parameters="""
def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    if trainable_only:
        return sum(p.numel() for p in model.parameters() if p.requires_grad)
    return sum(t.numel() for t in model.state_dict().values())
""",
    ),
    _wrong(
        "ex3_2 counting parameter tensors, not their entries",
        "ex3_2_solution",
        "total",
        fails=C32,
        count_parameters="""
def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    return len([p for p in model.parameters() if p.requires_grad or not trainable_only])
""",
    ),
    _wrong(
        "ex3_2 iterating over the model's entries (works for nn.Sequential only)",
        "ex3_2_solution",
        "total",
        fails=C32,
        count_parameters="""
def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    total = 0
    for layer in model:
        for p in layer.parameters():
            if p.requires_grad or not trainable_only:
                total += p.numel()
    return total
""",
    ),
    _wrong(
        "ex3_2 the count returned as a tensor",
        "ex3_2_solution",
        "total",
        fails=C32,
        count_parameters="""
def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    sizes = [p.numel() for p in model.parameters() if p.requires_grad or not trainable_only]
    return torch.tensor(sizes).sum()
""",
    ),
    _wrong(
        "ex3_2 summed module by module (a shared weight counted twice)",
        "ex3_2_solution",
        "shared",
        fails=C32,
        count_parameters="""
def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    total = 0
    for module in model.modules():
        for p in module.parameters(recurse=False):
            if p.requires_grad or not trainable_only:
                total += p.numel()
    return total
""",
    ),
    _wrong(
        "ex3_2 trainable_only ignored",
        "ex3_2_solution",
        "trainable",
        fails=C32,
        count_parameters="""
def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    return sum(p.numel() for p in model.parameters())
""",
    ),
    _wrong(
        "ex3_2 frozen parameters never counted",
        "ex3_2_solution",
        "trainable",
        fails=C32,
        count_parameters="""
def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
""",
    ),
    _wrong(
        "ex3_2 formula without the biases",
        "ex3_2_solution",
        "formula",
        fails=FO32,
        mlp_parameter_count="""
def mlp_parameter_count(sizes: list[int]) -> int:
    return sum(sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1))
""",
    ),
    _wrong(
        "ex3_2 one bias per input instead of per output",
        "ex3_2_solution",
        "formula",
        fails=FO32,
        mlp_parameter_count="""
def mlp_parameter_count(sizes: list[int]) -> int:
    return sum(sizes[i] * (sizes[i + 1] + 1) for i in range(len(sizes) - 1))
""",
    ),
    _wrong(
        "ex3_2 formula in NumPy (returns a numpy.int64)",
        "ex3_2_solution",
        "formula",
        fails=FO32,
        mlp_parameter_count="""
import numpy as np


def mlp_parameter_count(sizes: list[int]) -> int:
    n = np.array(sizes)
    return np.sum((n[:-1] + 1) * n[1:])
""",
    ),
    _wrong(
        "ex3_2 mlp_parameter_count builds the model and counts it",
        "ex3_2_solution",
        "no-model",
        fails=FO32,
        mlp_parameter_count="""
def mlp_parameter_count(sizes: list[int]) -> int:
    return count_parameters(build_mlp(sizes))
""",
    ),
    _wrong(
        "ex3_2 per-layer counts include submodules (recurse=True)",
        "ex3_2_solution",
        "keys",
        fails=P32,
        parameters_per_layer="""
def parameters_per_layer(model: nn.Module) -> dict[str, int]:
    counts = {}
    for name, module in model.named_modules():
        n = sum(p.numel() for p in module.parameters())
        if n > 0:
            counts[name] = n
    return counts
""",
    ),
    _wrong(
        "ex3_2 modules without parameters listed with 0",
        "ex3_2_solution",
        "keys",
        fails=P32,
        parameters_per_layer="""
def parameters_per_layer(model: nn.Module) -> dict[str, int]:
    return {
        name: sum(p.numel() for p in module.parameters(recurse=False))
        for name, module in model.named_modules()
    }
""",
    ),
    _wrong(
        "ex3_2 only the nn.Linear layers listed",
        "ex3_2_solution",
        "keys",
        fails=P32,
        parameters_per_layer="""
def parameters_per_layer(model: nn.Module) -> dict[str, int]:
    counts = {}
    for name, module in model.named_modules():
        if isinstance(module, nn.Linear):
            counts[name] = sum(p.numel() for p in module.parameters())
    return counts
""",
    ),
    _wrong(
        "ex3_2 module names cut from the parameter names (the model's own parameter misnamed)",
        "ex3_2_solution",
        "keys",
        fails=P32,
        parameters_per_layer="""
def parameters_per_layer(model: nn.Module) -> dict[str, int]:
    counts = {}
    for name, p in model.named_parameters():
        module = name.rsplit(".", 1)[0]
        counts[module] = counts.get(module, 0) + p.numel()
    return counts
""",
    ),
    _wrong(
        "ex3_2 the number of parameter tensors per layer, not of entries",
        "ex3_2_solution",
        "counts",
        fails=P32,
        parameters_per_layer="""
def parameters_per_layer(model: nn.Module) -> dict[str, int]:
    counts = {}
    for name, module in model.named_modules():
        own = list(module.parameters(recurse=False))
        if own:
            counts[name] = len(own)
    return counts
""",
    ),
    # 3.3 ------------------------------------------------------------------------------
    _wrong(
        "ex3_3 make_sequential with a ReLU after the last layer",
        "ex3_3_solution",
        "sequential",
        fails=B33,
        make_sequential="""
def make_sequential() -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(10, 50), nn.ReLU(), nn.Linear(50, 30), nn.ReLU(), nn.Linear(30, 1), nn.ReLU()
    )
""",
    ),
    _wrong(
        "ex3_3 CustomNet layers named layer1, layer2, layer3",
        "ex3_3_solution",
        "custom",
        fails=B33,
        CustomNet="""
class CustomNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Linear(10, 50)
        self.layer2 = nn.Linear(50, 30)
        self.layer3 = nn.Linear(30, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer3(torch.relu(self.layer2(torch.relu(self.layer1(x)))))
""",
    ),
    _wrong(
        "ex3_3 CustomNet misses the ReLU before fc3",
        "ex3_3_solution",
        "forward",
        fails=B33,
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
    _wrong(
        "ex3_3 CustomNet creates its layers from the output back (fc3 first)",
        "ex3_3_solution",
        "identical",
        fails=B33,
        CustomNet="""
class CustomNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc3 = nn.Linear(30, 1)
        self.fc2 = nn.Linear(50, 30)
        self.fc1 = nn.Linear(10, 50)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))
""",
    ),
    _wrong(
        "ex3_3 CustomNet re-initialises its weights (Xavier) in __init__",
        "ex3_3_solution",
        "identical",
        fails=B33,
        CustomNet="""
class CustomNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(10, 50)
        self.fc2 = nn.Linear(50, 30)
        self.fc3 = nn.Linear(30, 1)
        for layer in (self.fc1, self.fc2, self.fc3):
            nn.init.xavier_uniform_(layer.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))
""",
    ),
    _wrong(
        "ex3_3 both constructors call torch.manual_seed(0) themselves",
        "ex3_3_solution",
        "seeded",
        fails=B33,
        make_sequential="""
def make_sequential() -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Linear(10, 50), nn.ReLU(), nn.Linear(50, 30), nn.ReLU(), nn.Linear(30, 1)
    )
""",
        CustomNet="""
class CustomNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.fc1 = nn.Linear(10, 50)
        self.fc2 = nn.Linear(50, 30)
        self.fc3 = nn.Linear(30, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))
""",
    ),
    _wrong(
        "ex3_3 both create their layers from the output back (the same order in both)",
        "ex3_3_solution",
        "seeded",
        fails=B33,
        make_sequential="""
def make_sequential() -> nn.Sequential:
    out = nn.Linear(30, 1)
    hidden2 = nn.Linear(50, 30)
    hidden1 = nn.Linear(10, 50)
    return nn.Sequential(hidden1, nn.ReLU(), hidden2, nn.ReLU(), out)
""",
        CustomNet="""
class CustomNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc3 = nn.Linear(30, 1)
        self.fc2 = nn.Linear(50, 30)
        self.fc1 = nn.Linear(10, 50)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))
""",
    ),
    _wrong(
        "ex3_3 both re-initialise their weights with Xavier, the same way",
        "ex3_3_solution",
        "seeded",
        fails=B33,
        make_sequential="""
def make_sequential() -> nn.Sequential:
    model = nn.Sequential(
        nn.Linear(10, 50), nn.ReLU(), nn.Linear(50, 30), nn.ReLU(), nn.Linear(30, 1)
    )
    for layer in (model[0], model[2], model[4]):
        nn.init.xavier_uniform_(layer.weight)
    return model
""",
        CustomNet="""
class CustomNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(10, 50)
        self.fc2 = nn.Linear(50, 30)
        self.fc3 = nn.Linear(30, 1)
        for layer in (self.fc1, self.fc2, self.fc3):
            nn.init.xavier_uniform_(layer.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))
""",
    ),
    _wrong(
        "ex3_3 copy_weights shares the parameters instead of copying them",
        "ex3_3_solution",
        "own-parameters",
        fails=C33,
        copy_weights="""
def copy_weights(src: nn.Sequential, dst: CustomNet) -> None:
    dst.fc1.weight, dst.fc1.bias = src[0].weight, src[0].bias
    dst.fc2.weight, dst.fc2.bias = src[2].weight, src[2].bias
    dst.fc3.weight, dst.fc3.bias = src[4].weight, src[4].bias
""",
    ),
    _wrong(
        "ex3_3 copy_weights replaces dst's layers with deep copies of src's",
        "ex3_3_solution",
        "own-parameters",
        fails=C33,
        copy_weights="""
import copy


def copy_weights(src: nn.Sequential, dst: CustomNet) -> None:
    dst.fc1 = copy.deepcopy(src[0])
    dst.fc2 = copy.deepcopy(src[2])
    dst.fc3 = copy.deepcopy(src[4])
""",
    ),
    _wrong(
        "ex3_3 copy_weights assigns .data (dst then shares memory with src)",
        "ex3_3_solution",
        "copies",
        fails=C33,
        copy_weights="""
def copy_weights(src: nn.Sequential, dst: CustomNet) -> None:
    for target, layer in zip([dst.fc1, dst.fc2, dst.fc3], [src[0], src[2], src[4]]):
        target.weight.data = layer.weight.data
        target.bias.data = layer.bias.data
""",
    ),
    _wrong(
        "ex3_3 dst.load_state_dict(src.state_dict()) (the key names differ: an error)",
        "ex3_3_solution",
        "values",
        fails=C33,
        copy_weights="""
def copy_weights(src: nn.Sequential, dst: CustomNet) -> None:
    dst.load_state_dict(src.state_dict())
""",
    ),
    _wrong(
        "ex3_3 copy_weights copies from dst into src (the wrong direction)",
        "ex3_3_solution",
        "values",
        fails=C33,
        copy_weights="""
def copy_weights(src: nn.Sequential, dst: CustomNet) -> None:
    with torch.no_grad():
        for target, layer in zip([dst.fc1, dst.fc2, dst.fc3], [src[0], src[2], src[4]]):
            layer.weight.copy_(target.weight)
            layer.bias.copy_(target.bias)
""",
    ),
    _wrong(
        "ex3_3 copy_weights copies the weights but not the biases",
        "ex3_3_solution",
        "values",
        fails=C33,
        copy_weights="""
def copy_weights(src: nn.Sequential, dst: CustomNet) -> None:
    with torch.no_grad():
        dst.fc1.weight.copy_(src[0].weight)
        dst.fc2.weight.copy_(src[2].weight)
        dst.fc3.weight.copy_(src[4].weight)
""",
    ),
    _wrong(
        "ex3_3 copy_ outside torch.no_grad() (an error on parameters that require grad)",
        "ex3_3_solution",
        "values",
        fails=C33,
        copy_weights="""
def copy_weights(src: nn.Sequential, dst: CustomNet) -> None:
    for target, layer in zip([dst.fc1, dst.fc2, dst.fc3], [src[0], src[2], src[4]]):
        target.weight.copy_(layer.weight)
        target.bias.copy_(layer.bias)
""",
    ),
    # 3.4 ------------------------------------------------------------------------------
    _wrong(
        "ex3_4 wrong gain (nonlinearity='linear': std sqrt(1/fan_in))",
        "ex3_4_solution",
        "std",
        fails=T34,
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
        "ex3_4 mode='fan_out' (the number of outputs instead of inputs)",
        "ex3_4_solution",
        "std",
        fails=T34,
        he_init_="""
def he_init_(model: nn.Module) -> nn.Module:
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model
""",
    ),
    _wrong(
        "ex3_4 kaiming_uniform_ (the right standard deviation, not a normal distribution)",
        "ex3_4_solution",
        "normal",
        fails=T34,
        he_init_="""
def he_init_(model: nn.Module) -> nn.Module:
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_uniform_(module.weight, nonlinearity="relu")
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model
""",
    ),
    _wrong(
        "ex3_4 only the top-level layers (model.children(), nested ones missed)",
        "ex3_4_solution",
        "nested",
        fails=T34,
        he_init_="""
def he_init_(model: nn.Module) -> nn.Module:
    for module in model.children():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model
""",
    ),
    _wrong(
        "ex3_4 zeros_ on every bias (fails on a layer with bias=False)",
        "ex3_4_solution",
        "bias",
        fails=T34,
        he_init_="""
def he_init_(model: nn.Module) -> nn.Module:
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)
    return model
""",
    ),
    _wrong(
        "ex3_4 biases left as they were",
        "ex3_4_solution",
        "bias",
        fails=T34,
        he_init_="""
def he_init_(model: nn.Module) -> nn.Module:
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
    return model
""",
    ),
    _wrong(
        "ex3_4 the model is not returned",
        "ex3_4_solution",
        "returns",
        fails=T34,
        he_init_="""
def he_init_(model: nn.Module) -> nn.Module:
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            if module.bias is not None:
                nn.init.zeros_(module.bias)
""",
    ),
    _wrong(
        "ex3_4 new nn.Parameter objects instead of initialising the layers' own",
        "ex3_4_solution",
        "in-place",
        fails=T34,
        he_init_="""
def he_init_(model: nn.Module) -> nn.Module:
    for module in model.modules():
        if isinstance(module, nn.Linear):
            std = math.sqrt(2 / module.in_features)
            module.weight = nn.Parameter(torch.randn(module.out_features, module.in_features) * std)
            if module.bias is not None:
                module.bias = nn.Parameter(torch.zeros(module.out_features))
    return model
""",
    ),
    _wrong(
        "ex3_4 every module with a weight attribute (batch norm included)",
        "ex3_4_solution",
        "others",
        fails=T34,
        he_init_="""
def he_init_(model: nn.Module) -> nn.Module:
    for module in model.modules():
        if hasattr(module, "weight"):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
        if getattr(module, "bias", None) is not None:
            nn.init.zeros_(module.bias)
    return model
""",
    ),
    _wrong(
        "ex3_4 every matrix He-initialised, every vector set to zero",
        "ex3_4_solution",
        "others",
        fails=T34,
        he_init_="""
def he_init_(model: nn.Module) -> nn.Module:
    for p in model.parameters():
        if p.dim() >= 2:
            nn.init.kaiming_normal_(p, nonlinearity="relu")
        else:
            nn.init.zeros_(p)
    return model
""",
    ),
    # 3.5 ------------------------------------------------------------------------------
    _wrong(
        "ex3_5 saving the whole model and loading it with weights_only=False",
        "ex3_5_solution",
        "state-dict",
        "loads",
        fails=S35 + L35,
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
        "ex3_5 only the parameters saved (no buffers: running statistics lost)",
        "ex3_5_solution",
        "state-dict",
        fails=S35,
        save_weights="""
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    torch.save({name: p.detach() for name, p in model.named_parameters()}, path)
""",
    ),
    _wrong(
        "ex3_5 model.state_dict without parentheses (the method is pickled, and the model with it)",
        "ex3_5_solution",
        "state-dict",
        fails=S35,
        save_weights="""
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    torch.save(model.state_dict, path)
""",
    ),
    _wrong(
        "ex3_5 a checkpoint dictionary around the state_dict",
        "ex3_5_solution",
        "state-dict",
        fails=S35,
        save_weights="""
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    torch.save({"model_state_dict": model.state_dict()}, path)
""",
    ),
    _wrong(
        "ex3_5 the model switched to evaluation mode before saving",
        "ex3_5_solution",
        "unchanged",
        fails=S35,
        save_weights="""
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    model.eval()
    torch.save(model.state_dict(), path)
""",
    ),
    _wrong(
        "ex3_5 loaded model left in training mode (no eval())",
        "ex3_5_solution",
        "eval",
        fails=L35,
        load_weights="""
def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    model.load_state_dict(torch.load(path, weights_only=True, map_location="cpu"))
    return model
""",
    ),
    _wrong(
        "ex3_5 model.training = False (the submodules stay in training mode)",
        "ex3_5_solution",
        "eval",
        fails=L35,
        load_weights="""
def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    model.load_state_dict(torch.load(path, weights_only=True, map_location="cpu"))
    model.training = False
    return model
""",
    ),
    _wrong(
        "ex3_5 load_state_dict(..., strict=False) (a wrong file loads silently)",
        "ex3_5_solution",
        "strict",
        fails=L35,
        load_weights="""
def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    state = torch.load(path, weights_only=True, map_location="cpu")
    model.load_state_dict(state, strict=False)
    return model.eval()
""",
    ),
    _wrong(
        "ex3_5 torch.load(..., weights_only=False) (unpickles any object)",
        "ex3_5_solution",
        "weights-only",
        fails=L35,
        load_weights="""
def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    state = torch.load(path, weights_only=False, map_location="cpu")
    model.load_state_dict(state)
    return model.eval()
""",
    ),
    _wrong(
        "ex3_5 no map_location (a file saved on a GPU needs that GPU)",
        "ex3_5_solution",
        "map-location",
        fails=L35,
        load_weights="""
def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    model.load_state_dict(torch.load(path, weights_only=True))
    return model.eval()
""",
    ),
    _wrong(
        "ex3_5 returns what load_state_dict returns (the missing and unexpected keys)",
        "ex3_5_solution",
        "loads",
        fails=L35,
        load_weights="""
def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    model.eval()
    return model.load_state_dict(torch.load(path, weights_only=True, map_location="cpu"))
""",
    ),
    _wrong(
        "ex3_5 save_weights switches to eval() to save, then back to train()",
        "ex3_5_solution",
        "unchanged",
        fails=S35,
        save_weights="""
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    model.eval()
    torch.save(model.state_dict(), path)
    model.train()
""",
    ),
    _wrong(
        "ex3_5 save_weights restores only the top module's mode after eval()",
        "ex3_5_solution",
        "unchanged",
        fails=S35,
        save_weights="""
from pathlib import Path


def save_weights(model: nn.Module, path: str | Path) -> None:
    was_training = model.training
    model.eval()
    torch.save(model.state_dict(), path)
    model.train(was_training)
""",
    ),
    # 3.6 ------------------------------------------------------------------------------
    _wrong(
        "ex3_6 skip connection concatenated in the wrong order",
        "ex3_6_solution",
        "skip-forward",
        fails=S36,
        TwoBranchNet=_TWO_BRANCH_INIT
        + """
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
        "branches",
        fails=P36,
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
    _wrong(
        "ex3_6 branch_b built with dim_a inputs (copied from branch_a)",
        "ex3_6_solution",
        "branches",
        "skip-forward",
        fails=P36 + S36,
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
            nn.Linear(dim_a, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.head = nn.Linear(2 * hidden + (dim_a + dim_b if skip else 0), 1)

    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        parts = [self.branch_a(xa), self.branch_b(xb)]
        if self.skip:
            parts += [xa, xb]
        return self.head(torch.cat(parts, dim=1))
""",
    ),
    _wrong(
        "ex3_6 the head created first (other random weights)",
        "ex3_6_solution",
        "order",
        fails=P36,
        TwoBranchNet="""
class TwoBranchNet(nn.Module):
    def __init__(
        self, dim_a: int = 20, dim_b: int = 10, hidden: int = 32, skip: bool = False
    ) -> None:
        super().__init__()
        self.skip = skip
        self.head = nn.Linear(2 * hidden + (dim_a + dim_b if skip else 0), 1)
        self.branch_a = nn.Sequential(
            nn.Linear(dim_a, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.branch_b = nn.Sequential(
            nn.Linear(dim_b, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )

    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        parts = [self.branch_a(xa), self.branch_b(xb)]
        if self.skip:
            parts += [xa, xb]
        return self.head(torch.cat(parts, dim=1))
""",
    ),
    _wrong(
        "ex3_6 features concatenated in the order [branch_b, branch_a]",
        "ex3_6_solution",
        "forward",
        "skip-forward",
        fails=P36 + S36,
        TwoBranchNet=_TWO_BRANCH_INIT
        + """
    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        parts = [self.branch_b(xb), self.branch_a(xa)]
        if self.skip:
            parts += [xa, xb]
        return self.head(torch.cat(parts, dim=1))
""",
    ),
    _wrong(
        "ex3_6 features concatenated along the batch dimension (dim=0)",
        "ex3_6_solution",
        "forward",
        "skip-forward",
        fails=P36 + S36,
        TwoBranchNet=_TWO_BRANCH_INIT
        + """
    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        parts = [self.branch_a(xa), self.branch_b(xb)]
        if self.skip:
            parts += [xa, xb]
        return self.head(torch.cat(parts))
""",
    ),
    _wrong(
        "ex3_6 a hidden layer in the head (nn.Sequential instead of one nn.Linear)",
        "ex3_6_solution",
        "head",
        "skip-head",
        fails=P36 + S36,
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
        n_features = 2 * hidden + (dim_a + dim_b if skip else 0)
        self.head = nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        parts = [self.branch_a(xa), self.branch_b(xb)]
        if self.skip:
            parts += [xa, xb]
        return self.head(torch.cat(parts, dim=1))
""",
    ),
    _wrong(
        "ex3_6 skip ignored (the raw inputs never reach the head)",
        "ex3_6_solution",
        "skip-head",
        fails=S36,
        TwoBranchNet="""
class TwoBranchNet(nn.Module):
    def __init__(
        self, dim_a: int = 20, dim_b: int = 10, hidden: int = 32, skip: bool = False
    ) -> None:
        super().__init__()
        self.branch_a = nn.Sequential(
            nn.Linear(dim_a, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.branch_b = nn.Sequential(
            nn.Linear(dim_b, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.head = nn.Linear(2 * hidden, 1)

    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        return self.head(torch.cat([self.branch_a(xa), self.branch_b(xb)], dim=1))
""",
    ),
    _wrong(
        "ex3_6 the skip head sized 2 * hidden + dim_a (dim_b forgotten)",
        "ex3_6_solution",
        "skip-head",
        fails=S36,
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
        self.head = nn.Linear(2 * hidden + (dim_a if skip else 0), 1)

    def forward(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        parts = [self.branch_a(xa), self.branch_b(xb)]
        if self.skip:
            parts += [xa]
        return self.head(torch.cat(parts, dim=1))
""",
    ),
    # 3.7 ------------------------------------------------------------------------------
    _wrong(
        "ex3_7 only the weights frozen, the biases still train",
        "ex3_7_solution",
        "frozen",
        fails=FR37,
        freeze_linear_layers_="""
def freeze_linear_layers_(model: nn.Sequential, n: int) -> None:
    linears = [m for m in model if isinstance(m, nn.Linear)]
    for layer in linears[:n]:
        layer.weight.requires_grad = False
""",
    ),
    _wrong(
        "ex3_7 the first n parameter tensors frozen, not the first n layers",
        "ex3_7_solution",
        "frozen",
        fails=FR37,
        freeze_linear_layers_="""
def freeze_linear_layers_(model: nn.Sequential, n: int) -> None:
    for p in list(model.parameters())[:n]:
        p.requires_grad = False
""",
    ),
    _wrong(
        "ex3_7 the first 2 * n entries frozen (assumes Linear and ReLU alternate)",
        "ex3_7_solution",
        "others",
        fails=FR37,
        freeze_linear_layers_="""
def freeze_linear_layers_(model: nn.Sequential, n: int) -> None:
    for p in model[: 2 * n].parameters():
        p.requires_grad = False
""",
    ),
    _wrong(
        "ex3_7 optimizer given every parameter, frozen ones included",
        "ex3_7_solution",
        "trainable-only",
        fails=OP37,
        make_optimizer="""
def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    return torch.optim.SGD(model.parameters(), lr=lr)
""",
    ),
    _wrong(
        "ex3_7 SGD with momentum 0.9",
        "ex3_7_solution",
        "sgd",
        "sgd-steps",
        fails=OP37 + FT37,
        make_optimizer="""
def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    params = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.SGD(params, lr=lr, momentum=0.9)
""",
    ),
    _wrong(
        "ex3_7 the learning rate of the visible tests hard-coded (lr=0.1)",
        "ex3_7_solution",
        "sgd",
        "sgd-steps",
        fails=OP37 + FT37,
        make_optimizer="""
def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    return torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1)
""",
    ),
    _wrong(
        "ex3_7 fine_tune forgets optimizer.zero_grad() (gradients accumulate)",
        "ex3_7_solution",
        "sgd-steps",
        fails=FT37,
        fine_tune=_FINE_TUNE_HEAD
        + """
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
    _wrong(
        "ex3_7 fine_tune never calls model.train() (trains in the caller's mode)",
        "ex3_7_solution",
        "train-mode",
        fails=FT37,
        fine_tune=_FINE_TUNE_HEAD
        + """
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
""",
    ),
    _wrong(
        "ex3_7 fine_tune returns the loss tensors, not floats",
        "ex3_7_solution",
        "losses",
        fails=FT37,
        fine_tune=_FINE_TUNE_HEAD
        + """
    model.train()
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss)
    return losses
""",
    ),
    _wrong(
        "ex3_7 fine_tune records the loss after each update",
        "ex3_7_solution",
        "losses",
        fails=FT37,
        fine_tune=_FINE_TUNE_HEAD
        + """
    model.train()
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(F.cross_entropy(model(x), y).item())
    return losses
""",
    ),
    _wrong(
        "ex3_7 SGD with weight_decay=1e-2",
        "ex3_7_solution",
        "sgd",
        "sgd-steps",
        fails=OP37 + FT37,
        make_optimizer="""
def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    params = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.SGD(params, lr=lr, weight_decay=1e-2)
""",
    ),
    _wrong(
        "ex3_7 SGD with the weight decay of a training recipe (weight_decay=1e-4)",
        "ex3_7_solution",
        "sgd",
        fails=OP37,
        make_optimizer="""
def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    params = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.SGD(params, lr=lr, momentum=0.0, weight_decay=1e-4)
""",
    ),
    _wrong(
        "ex3_7 fine_tune records the loss with an extra forward pass (batch norm's statistics "
        "move twice per step)",
        "ex3_7_solution",
        "sgd-steps",
        fails=FT37,
        fine_tune=_FINE_TUNE_HEAD
        + """
    model.train()
    losses = []
    for _ in range(steps):
        losses.append(F.cross_entropy(model(x), y).item())
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    return losses
""",
    ),
]
