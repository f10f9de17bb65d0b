"""Plausible wrong answers to the Chapter 7 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch07/ch07_exercises.ipynb`` with what a
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

_SOURCE = Path(__file__).resolve().parents[2] / "solutions" / "ch07" / "ch07_exercises.ipynb"


_CORRECT = solution_cells(_SOURCE)
_wrong = partial(edited_answer, _CORRECT)

WRONG_ANSWERS: list[dict] = [
    # 7.1 ------------------------------------------------------------------------------
    _wrong(
        "ex7_1 5 x 5 kernels with padding 2 (the same sizes, another layer)",
        "ex7_1_solution",
        [
            ("nn.Conv2d(1, 32, kernel_size=3, padding=1)", "nn.Conv2d(1, 32, kernel_size=5, padding=2)"),
            ("nn.Conv2d(32, 64, kernel_size=3, padding=1)", "nn.Conv2d(32, 64, kernel_size=5, padding=2)"),
        ],
        ["ex7_1_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex7_1 average pooling instead of max pooling",
        "ex7_1_solution",
        [("        nn.MaxPool2d(2),\n" * 1 + "        nn.Conv2d(32", "        nn.AvgPool2d(2),\n        nn.Conv2d(32")],
        ["ex7_1_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex7_1 no ReLU after the second convolution",
        "ex7_1_solution",
        [
            (
                "        nn.Conv2d(32, 64, kernel_size=3, padding=1),\n        nn.ReLU(),\n",
                "        nn.Conv2d(32, 64, kernel_size=3, padding=1),\n",
            )
        ],
        ["ex7_1_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex7_1 SGD instead of Adam",
        "ex7_1_solution",
        [("torch.optim.Adam(model.parameters(), lr=lr)", "torch.optim.SGD(model.parameters(), lr=lr)")],
        ["ex7_1_tests_training"],
        ["training"],
    ),
    _wrong(
        "ex7_1 the generator re-created in every epoch (the same order every epoch)",
        "ex7_1_solution",
        [
            ("    gen = torch.Generator().manual_seed(seed)\n", ""),
            (
                "        perm = torch.randperm(n, generator=gen)\n",
                "        gen = torch.Generator().manual_seed(seed)\n"
                "        perm = torch.randperm(n, generator=gen)\n",
            ),
        ],
        ["ex7_1_tests_training"],
        ["training"],
    ),
    _wrong(
        "ex7_1 no optimizer.zero_grad(): gradients accumulate over the batches",
        "ex7_1_solution",
        [("            optimizer.zero_grad()\n", "")],
        ["ex7_1_tests_training"],
        ["training"],
    ),
    _wrong(
        "ex7_1 the epoch loss is the mean over batches, not samples",
        "ex7_1_solution",
        [
            ("            total += loss.item() * len(idx)\n", "            total += loss.item()\n"),
            ("        history.append(total / n)\n", "        history.append(total / math.ceil(n / batch_size))\n"),
        ],
        ["ex7_1_tests_training"],
        ["sample-mean"],
    ),
    _wrong(
        "ex7_1 the losses kept as tensors (no .item())",
        "ex7_1_solution",
        [("            total += loss.item() * len(idx)\n", "            total += loss.detach() * len(idx)\n")],
        ["ex7_1_tests_training"],
        ["history"],
    ),
    # 7.2 ------------------------------------------------------------------------------
    _wrong(
        "ex7_2 the convolution's formula without the dilation",
        "ex7_2_solution",
        [
            (
                "    return (n + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1\n",
                "    return (n + 2 * padding - kernel_size) // stride + 1\n",
            )
        ],
        ["ex7_2_tests_sizes"],
        ["conv"],
    ),
    _wrong(
        "ex7_2 true division: the convolution's size is a float",
        "ex7_2_solution",
        [
            (
                "    return (n + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1\n",
                "    return (n + 2 * padding - dilation * (kernel_size - 1) - 1) / stride + 1\n",
            )
        ],
        ["ex7_2_tests_sizes"],
        ["conv"],
    ),
    _wrong(
        "ex7_2 ceil_mode without PyTorch's rule for a last window in the padding",
        "ex7_2_solution",
        [
            (
                "    if (out - 1) * stride >= n + padding:  # the last window starts beyond the input\n"
                "        out -= 1\n",
                "",
            )
        ],
        ["ex7_2_tests_sizes"],
        ["pool"],
    ),
    _wrong(
        "ex7_2 pooling with stride=None left as None",
        "ex7_2_solution",
        [("    if stride is None:\n        stride = kernel_size\n", "")],
        ["ex7_2_tests_sizes"],
        ["pool"],
    ),
    _wrong(
        "ex7_2 the transposed convolution's size without output_padding",
        "ex7_2_solution",
        [
            (
                "dilation * (kernel_size - 1) + output_padding + 1\n",
                "dilation * (kernel_size - 1) + 1\n",
            )
        ],
        ["ex7_2_tests_sizes"],
        ["transposed"],
    ),
    _wrong(
        "ex7_2 the transposed convolution's size with + 2p (the padding added, not removed)",
        "ex7_2_solution",
        [("    return (n - 1) * stride - 2 * padding", "    return (n - 1) * stride + 2 * padding")],
        ["ex7_2_tests_sizes"],
        ["transposed"],
    ),
    _wrong(
        "ex7_2 the receptive field scaled by the layer's own stride too",
        "ex7_2_solution",
        [
            (
                "        field += (kernel_size - 1) * dilation * jump\n        jump *= stride\n",
                "        jump *= stride\n        field += (kernel_size - 1) * dilation * jump\n",
            )
        ],
        ["ex7_2_tests_receptive"],
        ["field"],
    ),
    _wrong(
        "ex7_2 the receptive field without the dilation",
        "ex7_2_solution",
        [("        field += (kernel_size - 1) * dilation * jump\n", "        field += (kernel_size - 1) * jump\n")],
        ["ex7_2_tests_receptive"],
        ["field"],
    ),
    _wrong(
        "ex7_2 the receptive field without the strides (kernels added up)",
        "ex7_2_solution",
        [("        jump *= stride\n", "")],
        ["ex7_2_tests_receptive"],
        ["field"],
    ),
    # 7.3 ------------------------------------------------------------------------------
    _wrong(
        "ex7_3 windows with a loop (right values, but the statement forbids loops)",
        "ex7_3_solution",
        [
            (
                "    pieces = series.unfold(0, window + horizon, step)\n",
                "    starts = range(0, len(series) - window - horizon + 1, step)\n"
                "    pieces = torch.stack([series[i : i + window + horizon] for i in starts])\n",
            )
        ],
        ["ex7_3_tests_windows"],
        ["no-loops"],
    ),
    _wrong(
        "ex7_3 the last window missing (N one too small)",
        "ex7_3_solution",
        [
            (
                "    pieces = series.unfold(0, window + horizon, step)\n",
                "    n = (len(series) - window - horizon) // step\n"
                "    rows = torch.arange(n).unsqueeze(1) * step + torch.arange(window + horizon)\n"
                "    pieces = series[rows]\n",
            )
        ],
        ["ex7_3_tests_windows"],
        ["windows"],
    ),
    _wrong(
        "ex7_3 the targets start one reading late",
        "ex7_3_solution",
        [
            (
                "    pieces = series.unfold(0, window + horizon, step)\n"
                "    return pieces[:, :window], pieces[:, window:]\n",
                "    pieces = series.unfold(0, window + horizon, step)\n"
                "    targets = torch.cat([pieces[:, window + 1 :], pieces[:, -1:]], dim=1)\n"
                "    return pieces[:, :window], targets\n",
            )
        ],
        ["ex7_3_tests_windows"],
        ["windows"],
    ),
    _wrong(
        "ex7_3 windows converted to float32",
        "ex7_3_solution",
        [("    return pieces[:, :window], pieces[:, window:]\n", "    return pieces[:, :window].float(), pieces[:, window:].float()\n")],
        ["ex7_3_tests_windows"],
        ["dtype-device"],
    ),
    _wrong(
        "ex7_3 kernels of 3",
        "ex7_3_solution",
        [
            ("nn.Conv1d(1, 16, kernel_size=7, stride=2, padding=3)", "nn.Conv1d(1, 16, kernel_size=3, stride=2, padding=1)"),
            ("nn.Conv1d(16, 32, kernel_size=7, stride=2, padding=3)", "nn.Conv1d(16, 32, kernel_size=3, stride=2, padding=1)"),
            ("nn.Conv1d(32, 64, kernel_size=7, stride=2, padding=3)", "nn.Conv1d(32, 64, kernel_size=3, stride=2, padding=1)"),
        ],
        ["ex7_3_tests_model"],
        ["convs"],
    ),
    _wrong(
        "ex7_3 the channels decrease: 64, 32, 16",
        "ex7_3_solution",
        [
            ("nn.Conv1d(1, 16, kernel_size=7", "nn.Conv1d(1, 64, kernel_size=7"),
            ("nn.Conv1d(16, 32, kernel_size=7", "nn.Conv1d(64, 32, kernel_size=7"),
            ("nn.Conv1d(32, 64, kernel_size=7", "nn.Conv1d(32, 16, kernel_size=7"),
            ("nn.Linear(64 * 13, 10)", "nn.Linear(16 * 13, 10)"),
        ],
        ["ex7_3_tests_model"],
        ["convs"],
    ),
    _wrong(
        "ex7_3 a forecaster for windows of shape (B, 100): it unflattens a channel itself",
        "ex7_3_solution",
        [("    return nn.Sequential(\n        nn.Conv1d(1, 16", "    return nn.Sequential(\n        nn.Unflatten(1, (1, 100)),\n        nn.Conv1d(1, 16")],
        ["ex7_3_tests_model", "ex7_3_tests_fit"],
        ["shape", "mse"],
    ),
    _wrong(
        "ex7_3 no strides and one large Linear layer (82,154 parameters)",
        "ex7_3_solution",
        [
            ("kernel_size=7, stride=2, padding=3),  # 100 -> 50", "kernel_size=7, padding=3),"),
            ("kernel_size=7, stride=2, padding=3),  # 50 -> 25", "kernel_size=7, padding=3),"),
            ("kernel_size=7, stride=2, padding=3),  # 25 -> 13", "kernel_size=7, padding=3),"),
            ("nn.Linear(64 * 13, 10)", "nn.Linear(64 * 100, 10)"),
        ],
        ["ex7_3_tests_model", "ex7_3_tests_fit"],
        ["size", "limits"],
    ),
    _wrong(
        "ex7_3 global average pooling before the Linear layer (where in the window is lost)",
        "ex7_3_solution",
        [
            ("kernel_size=7, stride=2, padding=3),  # 100 -> 50", "kernel_size=7, padding=3),"),
            ("kernel_size=7, stride=2, padding=3),  # 50 -> 25", "kernel_size=7, padding=3),"),
            ("kernel_size=7, stride=2, padding=3),  # 25 -> 13", "kernel_size=7, padding=3),"),
            ("        nn.Flatten(),\n        nn.Linear(64 * 13, 10)", "        nn.AdaptiveAvgPool1d(1),\n        nn.Flatten(),\n        nn.Linear(64, 10)"),
        ],
        ["ex7_3_tests_fit"],
        ["mse"],
    ),
    _wrong(
        "ex7_3 a ReLU after the last layer (no negative forecasts)",
        "ex7_3_solution",
        [("        nn.Linear(64 * 13, 10),\n", "        nn.Linear(64 * 13, 10),\n        nn.ReLU(),\n")],
        ["ex7_3_tests_fit"],
        ["mse"],
    ),
]
