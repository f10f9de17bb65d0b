"""Plausible wrong answers to the Chapter 6 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch06/ch06_exercises.ipynb`` with what a
student might submit: the reference solution with one plausible mistake. Grading the notebook
with that cell must make exactly the test cells in ``fails`` lose their points, each on one of
the clauses in ``breaks`` (keys of the cells' CONTRACT), while every other test cell keeps them.

Each entry is written as edits of the reference cell: ``(correct text, wrong text)`` pairs,
each of which must occur exactly once in the cell. The mistake is all that an entry shows.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from autograder.corpus import edited_answer, solution_cells

_SOURCE = Path(__file__).resolve().parents[2] / "solutions" / "ch06" / "ch06_exercises.ipynb"


_CORRECT = solution_cells(_SOURCE)
_wrong = partial(edited_answer, _CORRECT)

WRONG_ANSWERS: list[dict] = [
    # 6.1 ------------------------------------------------------------------------------
    _wrong(
        "ex6_1 Tanh activations instead of ReLU",
        "ex6_1_solution",
        [("nn.ReLU(), nn.Linear(64, 32), nn.ReLU()", "nn.Tanh(), nn.Linear(64, 32), nn.Tanh()")],
        ["ex6_1_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex6_1 the hidden sizes swapped: 20 -> 32 -> 64 -> 1",
        "ex6_1_solution",
        [
            (
                "nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1)",
                "nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 1)",
            )
        ],
        ["ex6_1_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex6_1 a ReLU after the output layer too",
        "ex6_1_solution",
        [("nn.ReLU(), nn.Linear(32, 1)\n", "nn.ReLU(), nn.Linear(32, 1), nn.ReLU()\n")],
        ["ex6_1_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex6_1 no optimizer.zero_grad(): gradients accumulate over the batches",
        "ex6_1_solution",
        [("            optimizer.zero_grad()\n", "")],
        ["ex6_1_tests_training"],
        ["training"],
    ),
    _wrong(
        "ex6_1 the generator re-created in every epoch (the same order every epoch)",
        "ex6_1_solution",
        [
            ("    gen = torch.Generator().manual_seed(seed)\n", ""),
            (
                "        perm = torch.randperm(n, generator=gen)\n",
                "        gen = torch.Generator().manual_seed(seed)\n"
                "        perm = torch.randperm(n, generator=gen)\n",
            ),
        ],
        ["ex6_1_tests_training"],
        ["training"],
    ),
    _wrong(
        "ex6_1 SGD instead of Adam",
        "ex6_1_solution",
        [("torch.optim.Adam(model.parameters(), lr=lr)", "torch.optim.SGD(model.parameters(), lr=lr)")],
        ["ex6_1_tests_training"],
        ["training"],
    ),
    _wrong(
        "ex6_1 the epoch loss is the mean over batches, not samples",
        "ex6_1_solution",
        [
            ("            total += loss.item() * len(idx)\n", "            total += loss.item()\n"),
            ("        history.append(total / n)\n", "        history.append(total / math.ceil(n / batch_size))\n"),
        ],
        ["ex6_1_tests_training"],
        ["sample-mean"],
    ),
    _wrong(
        "ex6_1 the losses kept as tensors (no .item())",
        "ex6_1_solution",
        [
            ("            total += loss.item() * len(idx)\n", "            total += loss.detach() * len(idx)\n"),
        ],
        ["ex6_1_tests_training"],
        ["history"],
    ),
    # 6.2 ------------------------------------------------------------------------------
    _wrong(
        "ex6_2 GELU with the tanh approximation",
        "ex6_2_solution",
        [('        "gelu": nn.GELU,\n', '        "gelu": lambda: nn.GELU(approximate="tanh"),\n')],
        ["ex6_2_tests_mlp"],
        ["activation"],
    ),
    _wrong(
        "ex6_2 LeakyReLU with slope 0.2",
        "ex6_2_solution",
        [('        "leaky_relu": nn.LeakyReLU,\n', '        "leaky_relu": lambda: nn.LeakyReLU(0.2),\n')],
        ["ex6_2_tests_mlp"],
        ["activation"],
    ),
    _wrong(
        "ex6_2 an unknown name falls back to ReLU instead of raising",
        "ex6_2_solution",
        [
            (
                "    if name not in modules:\n"
                '        raise ValueError(f"unknown activation {name!r}")\n'
                "    return modules[name]()\n",
                "    return modules.get(name, nn.ReLU)()\n",
            )
        ],
        ["ex6_2_tests_mlp"],
        ["unknown"],
    ),
    _wrong(
        "ex6_2 depth counts the Linear layers (one hidden layer too few)",
        "ex6_2_solution",
        [("    for i in range(depth):\n", "    for i in range(depth - 1):\n")],
        ["ex6_2_tests_mlp"],
        ["layers"],
    ),
    _wrong(
        "ex6_2 an activation after the output layer too",
        "ex6_2_solution",
        [
            (
                "    layers.append(nn.Linear(width, out_dim))\n",
                "    layers += [nn.Linear(width, out_dim), make_activation(activation)]\n",
            )
        ],
        ["ex6_2_tests_mlp"],
        ["layers"],
    ),
    _wrong(
        "ex6_2 the output layer created before the hidden layers",
        "ex6_2_solution",
        [
            ("    layers = []\n", "    head = nn.Linear(width, out_dim)\n    layers = []\n"),
            ("    layers.append(nn.Linear(width, out_dim))\n", "    layers.append(head)\n"),
        ],
        ["ex6_2_tests_mlp"],
        ["order"],
    ),
    _wrong(
        "ex6_2 the norms of the biases' gradients too",
        "ex6_2_solution",
        [
            (
                "    return [m.weight.grad.norm().item() for m in model.modules() if isinstance(m, nn.Linear)]",
                "    return [p.grad.norm().item() for p in model.parameters()]",
            )
        ],
        ["ex6_2_tests_gradients"],
        ["norms"],
    ),
    _wrong(
        "ex6_2 the summed squared error instead of the mean",
        "ex6_2_solution",
        [
            (
                "    F.mse_loss(model(x), y).backward()",
                '    F.mse_loss(model(x), y, reduction="sum").backward()',
            )
        ],
        ["ex6_2_tests_gradients"],
        ["norms"],
    ),
    _wrong(
        "ex6_2 gradients not cleared: they add up over calls",
        "ex6_2_solution",
        [("    model.zero_grad()\n", "")],
        ["ex6_2_tests_gradients"],
        ["fresh"],
    ),
    _wrong(
        "ex6_2 an SGD step after measuring the gradients",
        "ex6_2_solution",
        [
            (
                "    F.mse_loss(model(x), y).backward()\n",
                "    F.mse_loss(model(x), y).backward()\n"
                "    torch.optim.SGD(model.parameters(), lr=0.1).step()\n",
            )
        ],
        ["ex6_2_tests_gradients"],
        ["unchanged"],
    ),
    # 6.3 ------------------------------------------------------------------------------
    _wrong(
        "ex6_3 Xavier uniform instead of Xavier normal",
        "ex6_3_solution",
        [("nn.init.xavier_normal_(m.weight)", "nn.init.xavier_uniform_(m.weight)")],
        ["ex6_3_tests_init"],
        ["values"],
    ),
    _wrong(
        "ex6_3 He with the standard deviation 2 / fan_in (the variance in its place)",
        "ex6_3_solution",
        [
            (
                'nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")',
                "nn.init.normal_(m.weight, std=2 / m.in_features)",
            )
        ],
        ["ex6_3_tests_init"],
        ["values"],
    ),
    _wrong(
        "ex6_3 He with fan_out",
        "ex6_3_solution",
        [('mode="fan_in"', 'mode="fan_out"')],
        ["ex6_3_tests_init"],
        ["values"],
    ),
    _wrong(
        "ex6_3 biases left as they were",
        "ex6_3_solution",
        [("        if m.bias is not None:\n            nn.init.zeros_(m.bias)\n", "")],
        ["ex6_3_tests_init"],
        ["biases"],
    ),
    _wrong(
        "ex6_3 every module with a weight is initialised (the LayerNorm too)",
        "ex6_3_solution",
        [
            (
                "        if not isinstance(m, nn.Linear):\n",
                '        if not isinstance(getattr(m, "weight", None), torch.Tensor):\n',
            )
        ],
        ["ex6_3_tests_init"],
        ["others"],
    ),
    _wrong(
        "ex6_3 the model is not returned",
        "ex6_3_solution",
        [("    return model\n", "")],
        ["ex6_3_tests_init"],
        ["in-place"],
    ),
    _wrong(
        "ex6_3 new Parameter objects instead of changing the values in place",
        "ex6_3_solution",
        [
            (
                "        if scheme == \"zeros\":\n            nn.init.zeros_(m.weight)\n",
                "        m.weight = nn.Parameter(torch.empty_like(m.weight))\n"
                "        if scheme == \"zeros\":\n            nn.init.zeros_(m.weight)\n",
            )
        ],
        ["ex6_3_tests_init"],
        ["in-place"],
    ),
    _wrong(
        "ex6_3 an unknown scheme falls through to He",
        "ex6_3_solution",
        [
            (
                '    if scheme not in ("zeros", "ones", "small", "large", "xavier", "he"):\n'
                '        raise ValueError(f"unknown scheme {scheme!r}")\n',
                "",
            )
        ],
        ["ex6_3_tests_init"],
        ["unknown"],
    ),
    _wrong(
        "ex6_3 the hooks are never removed",
        "ex6_3_solution",
        [("        for handle in handles:\n            handle.remove()\n", "        pass\n")],
        ["ex6_3_tests_stds"],
        ["hooks-removed"],
    ),
    _wrong(
        "ex6_3 only ReLU modules are recorded",
        "ex6_3_solution",
        [
            (
                "m.register_forward_hook(record) for m in model.modules() if isinstance(m, ACTIVATIONS)",
                "m.register_forward_hook(record) for m in model.modules() if isinstance(m, nn.ReLU)",
            )
        ],
        ["ex6_3_tests_stds"],
        ["stds"],
    ),
    _wrong(
        "ex6_3 the standard deviation of the activations' inputs, not their outputs",
        "ex6_3_solution",
        [("        stds.append(output.std().item())\n", "        stds.append(inputs[0].std().item())\n")],
        ["ex6_3_tests_stds"],
        ["stds"],
    ),
    # 6.4 ------------------------------------------------------------------------------
    _wrong(
        "ex6_4 the count without the biases",
        "ex6_4_solution",
        [
            (
                "    return (in_dim + 1) * width + (depth - 1) * (width + 1) * width + (width + 1) * out_dim\n",
                "    return in_dim * width + (depth - 1) * width * width + width * out_dim\n",
            )
        ],
        ["ex6_4_tests_count", "ex6_4_tests_budget"],
        ["count", "largest"],
    ),
    _wrong(
        "ex6_4 one hidden-to-hidden layer too many (depth of them, not depth - 1)",
        "ex6_4_solution",
        [("(depth - 1) * (width + 1) * width", "depth * (width + 1) * width")],
        ["ex6_4_tests_count", "ex6_4_tests_budget"],
        ["count", "largest"],
    ),
    _wrong(
        "ex6_4 the root of the quadratic rounded, not corrected",
        "ex6_4_solution",
        [
            (
                "    while mlp_param_count(in_dim, w + 1, depth, out_dim) <= budget:\n"
                "        w += 1\n"
                "    while mlp_param_count(in_dim, w, depth, out_dim) > budget:\n"
                "        w -= 1\n",
                "",
            ),
            (
                "        w = int((-b + math.sqrt(b * b + 4 * a * (budget - c))) / (2 * a))\n",
                "        w = round((-b + math.sqrt(b * b + 4 * a * (budget - c))) / (2 * a))\n",
            ),
        ],
        ["ex6_4_tests_budget"],
        ["largest"],
    ),
    _wrong(
        "ex6_4 a width that meets the budget exactly is refused (< instead of <=)",
        "ex6_4_solution",
        [
            (
                "    while mlp_param_count(in_dim, w + 1, depth, out_dim) <= budget:\n",
                "    while mlp_param_count(in_dim, w + 1, depth, out_dim) < budget:\n",
            ),
            (
                "    while mlp_param_count(in_dim, w, depth, out_dim) > budget:\n",
                "    while mlp_param_count(in_dim, w, depth, out_dim) >= budget:\n",
            ),
        ],
        ["ex6_4_tests_budget"],
        ["largest"],
    ),
    _wrong(
        "ex6_4 no ValueError when one unit does not fit (returns 0)",
        "ex6_4_solution",
        [
            (
                "    if mlp_param_count(in_dim, 1, depth, out_dim) > budget:\n"
                '        raise ValueError(f"not even one unit per layer fits in {budget} parameters")\n',
                "",
            )
        ],
        ["ex6_4_tests_budget"],
        ["too-small"],
    ),
    # 6.5 ------------------------------------------------------------------------------
    _wrong(
        "ex6_5 batch norm after the ReLU",
        "ex6_5_solution",
        [
            (
                "        if batchnorm:\n            layers.append(nn.BatchNorm1d(w))\n        layers.append(nn.ReLU())\n",
                "        layers.append(nn.ReLU())\n        if batchnorm:\n            layers.append(nn.BatchNorm1d(w))\n",
            )
        ],
        ["ex6_5_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex6_5 dropout before the ReLU",
        "ex6_5_solution",
        [
            (
                "        layers.append(nn.ReLU())\n        if dropout > 0:\n            layers.append(nn.Dropout(dropout))\n",
                "        if dropout > 0:\n            layers.append(nn.Dropout(dropout))\n        layers.append(nn.ReLU())\n",
            )
        ],
        ["ex6_5_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex6_5 a Dropout(0.0) layer even without dropout",
        "ex6_5_solution",
        [("        if dropout > 0:\n            layers.append(nn.Dropout(dropout))\n", "        layers.append(nn.Dropout(dropout))\n")],
        ["ex6_5_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex6_5 the output layer created first",
        "ex6_5_solution",
        [
            ("    layers = []\n", "    head = nn.Linear(widths[-1], out_dim)\n    layers = []\n"),
            ("    layers.append(nn.Linear(previous, out_dim))\n", "    layers.append(head)\n"),
        ],
        ["ex6_5_tests_model"],
        ["order"],
    ),
    # 6.6 ------------------------------------------------------------------------------
    _wrong(
        "ex6_6 x and y swapped",
        "ex6_6_solution",
        [("    x, y = xy[:, :1], xy[:, 1:2]\n", "    y, x = xy[:, :1], xy[:, 1:2]\n")],
        ["ex6_6_tests_function"],
        ["values"],
    ),
    _wrong(
        "ex6_6 the function returned with shape (N,)",
        "ex6_6_solution",
        [("    x, y = xy[:, :1], xy[:, 1:2]\n", "    x, y = xy[:, 0], xy[:, 1]\n")],
        ["ex6_6_tests_function"],
        ["shape"],
    ),
    _wrong(
        "ex6_6 the result accumulated in a new float32 CPU tensor",
        "ex6_6_solution",
        [
            (
                "    return torch.sin(5 * x) * torch.cos(5 * y) + 0.5 * torch.sin(10 * x) + 0.3 * torch.cos(10 * y)\n",
                "    out = torch.zeros(len(xy), 1)\n"
                "    out += torch.sin(5 * x) * torch.cos(5 * y) + 0.5 * torch.sin(10 * x) + 0.3 * torch.cos(10 * y)\n"
                "    return out\n",
            )
        ],
        ["ex6_6_tests_function"],
        ["dtype-device"],
    ),
    _wrong(
        "ex6_6 four layers of 100 units: 30,701 parameters",
        "ex6_6_solution",
        [
            (
                "        nn.Linear(2, 48), nn.SiLU(),\n"
                "        nn.Linear(48, 48), nn.SiLU(),\n"
                "        nn.Linear(48, 48), nn.SiLU(),\n"
                "        nn.Linear(48, 1),\n",
                "        nn.Linear(2, 100), nn.SiLU(),\n"
                "        nn.Linear(100, 100), nn.SiLU(),\n"
                "        nn.Linear(100, 100), nn.SiLU(),\n"
                "        nn.Linear(100, 100), nn.SiLU(),\n"
                "        nn.Linear(100, 1),\n",
            )
        ],
        ["ex6_6_tests_model", "ex6_6_tests_fit"],
        ["size", "limits"],
    ),
    _wrong(
        "ex6_6 batch normalisation in the model (not in the list; it also fits worse)",
        "ex6_6_solution",
        [
            (
                "        nn.Linear(2, 48), nn.SiLU(),\n"
                "        nn.Linear(48, 48), nn.SiLU(),\n"
                "        nn.Linear(48, 48), nn.SiLU(),\n",
                "        nn.Linear(2, 48), nn.BatchNorm1d(48), nn.SiLU(),\n"
                "        nn.Linear(48, 48), nn.BatchNorm1d(48), nn.SiLU(),\n"
                "        nn.Linear(48, 48), nn.BatchNorm1d(48), nn.SiLU(),\n",
            )
        ],
        ["ex6_6_tests_model", "ex6_6_tests_fit"],
        ["layers", "mae"],
    ),
    _wrong(
        "ex6_6 the optimizer over the weights only, not the biases",
        "ex6_6_solution",
        [
            (
                "    return torch.optim.Adam(model.parameters(), lr=5e-3)\n",
                "    return torch.optim.Adam([p for p in model.parameters() if p.dim() > 1], lr=5e-3)\n",
            )
        ],
        ["ex6_6_tests_model"],
        ["optimizer"],
    ),
    _wrong(
        "ex6_6 ReduceLROnPlateau, whose step() needs the loss",
        "ex6_6_solution",
        [
            (
                "    return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)",
                "    return torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer)",
            )
        ],
        ["ex6_6_tests_model", "ex6_6_tests_fit"],
        ["scheduler", "mae"],
    ),
    _wrong(
        "ex6_6 plain SGD with a small learning rate: too slow to fit in 3,000 steps",
        "ex6_6_solution",
        [("    return torch.optim.Adam(model.parameters(), lr=5e-3)\n", "    return torch.optim.SGD(model.parameters(), lr=1e-2)\n")],
        ["ex6_6_tests_fit"],
        ["mae"],
    ),
    _wrong(
        "ex6_6 one hidden layer of 8 units: too small to fit",
        "ex6_6_solution",
        [
            (
                "        nn.Linear(2, 48), nn.SiLU(),\n"
                "        nn.Linear(48, 48), nn.SiLU(),\n"
                "        nn.Linear(48, 48), nn.SiLU(),\n"
                "        nn.Linear(48, 1),\n",
                "        nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1),\n",
            )
        ],
        ["ex6_6_tests_fit"],
        ["mae"],
    ),
]
