"""Plausible wrong answers to the Chapter 9 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch09/ch09_exercises.ipynb`` with what a
student might submit: the reference solution with one plausible mistake. Grading the notebook
with that cell must make exactly the test cells in ``fails`` lose their points, each on one of
the clauses in ``breaks`` (keys of the cells' CONTRACT), while every other test cell keeps them.

Most entries are written as edits of the reference cell: ``(correct text, wrong text)``
pairs, each of which must occur exactly once in the cell. The mistake is all that an entry
shows. A few, which use a function the statement forbids, are written out in full.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from autograder.corpus import edited_answer, solution_cells

_SOURCE = Path(__file__).resolve().parents[2] / "solutions" / "ch09" / "ch09_exercises.ipynb"


_CORRECT = solution_cells(_SOURCE)
_wrong = partial(edited_answer, _CORRECT)

_PREDICT = ["ex9_2_tests_predictions"]
_STATE = ["ex9_2_tests_state"]
_BN_FORWARD = ["ex9_3_tests_forward"]
_BN_RUNNING = ["ex9_3_tests_running"]

WRONG_ANSWERS: list[dict] = [
    # 9.1 ------------------------------------------------------------------------------
    _wrong(
        "ex9_1 no copy: the batch norms are inserted into model itself",
        "ex9_1_solution",
        [("    new = copy.deepcopy(model)\n", "    new = model\n")],
        ["ex9_1_tests_copy"],
        ["unchanged"],
    ),
    _wrong(
        "ex9_1 the convolutions keep their bias",
        "ex9_1_solution",
        [("            child.bias = None\n", "")],
        ["ex9_1_tests_copy"],
        ["layers"],
    ),
    _wrong(
        "ex9_1 only the top-level convolutions (no recursion into containers)",
        "ex9_1_solution",
        [("        else:\n            _insert_batchnorm(child)\n", "")],
        ["ex9_1_tests_copy"],
        ["layers"],
    ),
    _wrong(
        "ex9_1 batch norms with eps=1e-3",
        "ex9_1_solution",
        [("child.out_channels, device=", "child.out_channels, eps=1e-3, device=")],
        ["ex9_1_tests_copy"],
        ["output"],
    ),
    _wrong(
        "ex9_1 the batch norms are made on the CPU",
        "ex9_1_solution",
        [("child.out_channels, device=child.weight.device, dtype=", "child.out_channels, dtype=")],
        ["ex9_1_tests_copy"],
        ["device"],
    ),
    _wrong(
        "ex9_1 epochs counted from 0",
        "ex9_1_solution",
        [("enumerate(history, start=1)", "enumerate(history)")],
        ["ex9_1_tests_epochs"],
        ["first"],
    ),
    _wrong(
        "ex9_1 strictly above the threshold",
        "ex9_1_solution",
        [("if accuracy >= threshold:", "if accuracy > threshold:")],
        ["ex9_1_tests_epochs"],
        ["first"],
    ),
    _wrong(
        "ex9_1 -1 when no epoch reaches the threshold",
        "ex9_1_solution",
        [("    return None", "    return -1")],
        ["ex9_1_tests_epochs"],
        ["never"],
    ),
    # 9.2 ------------------------------------------------------------------------------
    _wrong(
        "ex9_2 no model.eval(): training mode under torch.no_grad()",
        "ex9_2_solution",
        [("    model.eval()\n", "")],
        _PREDICT + _STATE,
        ["eval", "statistics"],
    ),
    _wrong(
        "ex9_2 the graph is recorded (no torch.no_grad())",
        "ex9_2_solution",
        [("        with torch.no_grad():\n", "        if True:\n")],
        _PREDICT,
        ["no-graph"],
    ),
    _wrong(
        "ex9_2 off by one: the last row is dropped when batch_size is 1",
        "ex9_2_solution",
        [("range(0, len(x), batch_size)", "range(0, len(x) - 1, batch_size)")],
        _PREDICT,
        ["eval"],
    ),
    _wrong(
        "ex9_2 the model is left in evaluation mode",
        "ex9_2_solution",
        [("        model.train(was_training)\n", "        pass\n")],
        _STATE,
        ["mode"],
    ),
    _wrong(
        "ex9_2 model.train() afterwards, whatever the mode was",
        "ex9_2_solution",
        [("        model.train(was_training)\n", "        model.train()\n")],
        _STATE,
        ["mode"],
    ),
    # 9.3 ------------------------------------------------------------------------------
    _wrong(
        "ex9_3 running_var updated with the biased variance",
        "ex9_3_solution",
        [("unbiased = var * m / max(m - 1, 1)", "unbiased = var")],
        _BN_FORWARD + _BN_RUNNING,
        ["eval", "running"],
    ),
    _wrong(
        "ex9_3 the batch normalised with the unbiased variance",
        "ex9_3_solution",
        [("var = x.var(dim=(0, 2, 3), correction=0)", "var = x.var(dim=(0, 2, 3))")],
        _BN_FORWARD + _BN_RUNNING,
        ["train", "running"],
    ),
    _wrong(
        "ex9_3 momentum=None treated as 0.1",
        "ex9_3_solution",
        [("f = 1.0 / self.num_batches_tracked.item()", "f = 0.1")],
        _BN_FORWARD + _BN_RUNNING,
        ["eval", "cumulative"],
    ),
    _wrong(
        "ex9_3 the batch statistics detached from the graph",
        "ex9_3_solution",
        [
            ("mean = x.mean(dim=(0, 2, 3))", "mean = x.mean(dim=(0, 2, 3)).detach()"),
            (
                "var = x.var(dim=(0, 2, 3), correction=0)",
                "var = x.var(dim=(0, 2, 3), correction=0).detach()",
            ),
        ],
        _BN_FORWARD,
        ["gradients"],
    ),
    _wrong(
        "ex9_3 weight and bias made also when affine=False",
        "ex9_3_solution",
        [("        if affine:\n", "        if True:\n")],
        _BN_FORWARD + _BN_RUNNING,
        ["affine", "names"],
    ),
    _wrong(
        "ex9_3 num_batches_tracked a float tensor",
        "ex9_3_solution",
        [("torch.tensor(0, dtype=torch.long)", "torch.tensor(0.0)")],
        _BN_RUNNING,
        ["names"],
    ),
    _wrong(
        "ex9_3 num_batches_tracked also counts batches in evaluation mode",
        "ex9_3_solution",
        [
            (
                "        if self.training:\n            mean = x.mean",
                "        if not self.training:\n            self.num_batches_tracked += 1\n"
                "        if self.training:\n            mean = x.mean",
            )
        ],
        _BN_RUNNING,
        ["eval-frozen"],
    ),
    {
        "name": "ex9_3 F.batch_norm does the work",
        "cell": "ex9_3_solution",
        "source": """
class MyBatchNorm2d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features)) if affine else None
        self.bias = nn.Parameter(torch.zeros(num_features)) if affine else None
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0))

    def forward(self, x):
        f = self.momentum
        if self.training:
            self.num_batches_tracked += 1
            if f is None:
                f = 1.0 / self.num_batches_tracked.item()
        if f is None:
            f = 0.0
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                            self.training, f, self.eps)
""",
        "fails": _BN_FORWARD,
        "breaks": ["no-functional"],
    },
    # 9.4 ------------------------------------------------------------------------------
    _wrong(
        "ex9_4 layer norm with the unbiased variance",
        "ex9_4_solution",
        [
            (
                "var = x.var(dim=dims, keepdim=True, correction=0)",
                "var = x.var(dim=dims, keepdim=True)",
            )
        ],
        ["ex9_4_tests_layernorm"],
        ["output"],
    ),
    _wrong(
        "ex9_4 layer norm over the last dimension only",
        "ex9_4_solution",
        [("dims = tuple(range(-len(self.normalized_shape), 0))", "dims = (-1,)")],
        ["ex9_4_tests_layernorm"],
        ["output"],
    ),
    _wrong(
        "ex9_4 weight and bias of the size of the last dimension only",
        "ex9_4_solution",
        [
            ("torch.ones(self.normalized_shape)", "torch.ones(self.normalized_shape[-1])"),
            ("torch.zeros(self.normalized_shape)", "torch.zeros(self.normalized_shape[-1])"),
        ],
        ["ex9_4_tests_layernorm"],
        ["names"],
    ),
    _wrong(
        "ex9_4 layer norm statistics detached from the graph",
        "ex9_4_solution",
        [
            (
                "mean = x.mean(dim=dims, keepdim=True)",
                "mean = x.mean(dim=dims, keepdim=True).detach()",
            )
        ],
        ["ex9_4_tests_layernorm"],
        ["gradients"],
    ),
    _wrong(
        "ex9_4 plain tensors of ones and zeros instead of None without elementwise_affine",
        "ex9_4_solution",
        [
            (
                "            self.weight, self.bias = None, None",
                "            self.weight = torch.ones(self.normalized_shape)\n"
                "            self.bias = torch.zeros(self.normalized_shape)",
            )
        ],
        ["ex9_4_tests_layernorm"],
        ["no-affine"],
    ),
    {
        "name": "ex9_4 F.layer_norm does the work",
        "cell": "ex9_4_solution",
        "source": """
class MyLayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(self.normalized_shape)) if elementwise_affine else None
        self.bias = nn.Parameter(torch.zeros(self.normalized_shape)) if elementwise_affine else None

    def forward(self, x):
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)


class SequenceBatchNorm(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.bn = nn.BatchNorm1d(num_features, eps=eps, momentum=momentum)

    def forward(self, x):
        return self.bn(x.transpose(1, 2)).transpose(1, 2)
""",
        "fails": ["ex9_4_tests_layernorm"],
        "breaks": ["no-functional"],
    },
    _wrong(
        "ex9_4 nn.BatchNorm1d applied to (N, L, C) without transposing",
        "ex9_4_solution",
        [("return self.bn(x.transpose(1, 2)).transpose(1, 2)", "return self.bn(x)")],
        ["ex9_4_tests_sequences"],
        ["forward"],
    ),
    _wrong(
        "ex9_4 reshape instead of transpose",
        "ex9_4_solution",
        [
            (
                "return self.bn(x.transpose(1, 2)).transpose(1, 2)",
                "n, length, c = x.shape\n"
                "        return self.bn(x.reshape(n, c, length)).reshape(n, length, c)",
            )
        ],
        ["ex9_4_tests_sequences"],
        ["forward"],
    ),
    _wrong(
        "ex9_4 the momentum is not passed on to nn.BatchNorm1d",
        "ex9_4_solution",
        [
            (
                "nn.BatchNorm1d(num_features, eps=eps, momentum=momentum)",
                "nn.BatchNorm1d(num_features, eps=eps)",
            )
        ],
        ["ex9_4_tests_sequences"],
        ["bn"],
    ),
    # 9.5 ------------------------------------------------------------------------------
    _wrong(
        "ex9_5 conv-relu-bn with the batch norm before the ReLU",
        "ex9_5_solution",
        [
            (
                "h = self.bn2(self.relu2(self.conv2(self.bn1(self.relu1(self.conv1(x))))))",
                "h = self.relu2(self.bn2(self.conv2(self.relu1(self.bn1(self.conv1(x))))))",
            )
        ],
        ["ex9_5_tests_layers", "ex9_5_tests_forward"],
        ["order", "forward"],
    ),
    _wrong(
        "ex9_5 the original block without the ReLU after the addition",
        "ex9_5_solution",
        [("            return self.relu2(x + h)\n", "            return x + h\n")],
        ["ex9_5_tests_layers", "ex9_5_tests_forward", "ex9_5_tests_zeroed"],
        ["order", "forward", "post"],
    ),
    _wrong(
        "ex9_5 one ReLU module used twice",
        "ex9_5_solution",
        [("        self.relu2 = nn.ReLU()\n", "        self.relu2 = self.relu1\n")],
        ["ex9_5_tests_layers"],
        ["order"],
    ),
    _wrong(
        "ex9_5 the second convolution with a bias",
        "ex9_5_solution",
        [
            (
                "self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=False)",
                "self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)",
            )
        ],
        ["ex9_5_tests_layers", "ex9_5_tests_forward", "ex9_5_tests_zeroed"],
        ["layers", "forward", "identity"],
    ),
    _wrong(
        "ex9_5 conv-relu-bn with a ReLU after the addition",
        "ex9_5_solution",
        [
            (
                "h = self.bn2(self.relu2(self.conv2(self.bn1(self.relu1(self.conv1(x))))))\n"
                "            return x + h",
                "h = self.bn2(self.relu2(self.conv2(self.bn1(self.relu1(self.conv1(x))))))\n"
                "            return F.relu(x + h)",
            )
        ],
        ["ex9_5_tests_forward", "ex9_5_tests_zeroed"],
        ["forward", "identity"],
    ),
    # 9.6 ------------------------------------------------------------------------------
    _wrong(
        "ex9_6 the unbiased variance",
        "ex9_6_solution",
        [("variances.append(x.var(dim=dims, correction=0))", "variances.append(x.var(dim=dims))")],
        ["ex9_6_tests_statistics"],
        ["stats"],
    ),
    _wrong(
        "ex9_6 the mean over the batch dimension only",
        "ex9_6_solution",
        [("        dims = [d for d in range(x.dim()) if d != 1]\n", "        dims = [0]\n")],
        ["ex9_6_tests_statistics", "ex9_6_tests_spread"],
        ["stats", "spread"],
    ),
    _wrong(
        "ex9_6 the statistics of the first image of each batch only",
        "ex9_6_solution",
        [("        x = inputs[0]\n", "        x = inputs[0][0]\n")],
        ["ex9_6_tests_statistics", "ex9_6_tests_spread"],
        ["stats", "spread"],
    ),
    _wrong(
        "ex9_6 the hook is never removed",
        "ex9_6_solution",
        [("    finally:\n        handle.remove()\n", "    finally:\n        pass\n")],
        ["ex9_6_tests_statistics"],
        ["hook-removed"],
    ),
    _wrong(
        "ex9_6 the model is put in evaluation mode",
        "ex9_6_solution",
        [
            (
                "    handle = layer.register_forward_pre_hook(record)\n",
                "    model.eval()\n    handle = layer.register_forward_pre_hook(record)\n",
            )
        ],
        ["ex9_6_tests_statistics"],
        ["mode", "stats"],
    ),
    _wrong(
        "ex9_6 kind 'layer' as one group per channel (instance norm)",
        "ex9_6_solution",
        [("norm = nn.GroupNorm(1, c, device=device)", "norm = nn.GroupNorm(c, c, device=device)")],
        ["ex9_6_tests_replace"],
        ["replaced"],
    ),
    _wrong(
        "ex9_6 only the top-level batch norms are replaced",
        "ex9_6_solution",
        [("        else:\n            _replace(child, kind)", "")],
        ["ex9_6_tests_replace"],
        ["replaced"],
    ),
    _wrong(
        "ex9_6 replace_norm changes model itself",
        "ex9_6_solution",
        [("    new = copy.deepcopy(model)\n", "    new = model\n")],
        ["ex9_6_tests_replace"],
        ["unchanged"],
    ),
    _wrong(
        "ex9_6 the group norms are made on the CPU",
        "ex9_6_solution",
        [
            ("norm = nn.GroupNorm(8, c, device=device)", "norm = nn.GroupNorm(8, c)"),
            ("norm = nn.GroupNorm(1, c, device=device)", "norm = nn.GroupNorm(1, c)"),
        ],
        ["ex9_6_tests_replace"],
        ["device"],
    ),
]
