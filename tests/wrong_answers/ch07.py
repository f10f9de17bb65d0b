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
    # 7.4 ------------------------------------------------------------------------------
    _wrong(
        "ex7_4 convolutions with a bias before the batch normalisation",
        "ex7_4_solution",
        [("nn.Conv2d(c, out_channels, kernel_size=3, padding=1, bias=False)", "nn.Conv2d(c, out_channels, kernel_size=3, padding=1)")],
        ["ex7_4_tests_block", "ex7_4_tests_network"],
        ["block", "parameters"],
    ),
    _wrong(
        "ex7_4 the ReLU before the batch normalisation",
        "ex7_4_solution",
        [("            nn.BatchNorm2d(out_channels),\n            nn.ReLU(),\n", "            nn.ReLU(),\n            nn.BatchNorm2d(out_channels),\n")],
        ["ex7_4_tests_block", "ex7_4_tests_network"],
        ["block", "layers"],
    ),
    _wrong(
        "ex7_4 every convolution of a block from in_channels",
        "ex7_4_solution",
        [("        c = in_channels if i == 0 else out_channels\n", "        c = in_channels\n")],
        ["ex7_4_tests_block", "ex7_4_tests_network", "ex7_4_tests_training"],
        ["block", "parameters", "accuracy"],
    ),
    _wrong(
        "ex7_4 a Linear layer for the channels of the first block",
        "ex7_4_solution",
        [("    for width, num_convs in zip(widths, convs_per_block, strict=True):", "    first = widths[0]\n    for width, num_convs in zip(widths, convs_per_block, strict=True):"),
         ("nn.Linear(c, num_classes)", "nn.Linear(first, num_classes)")],
        ["ex7_4_tests_network", "ex7_4_tests_training"],
        ["parameters", "accuracy"],
    ),
    _wrong(
        "ex7_4 a 2 x 2 average pooling instead of the global one (right only for one size)",
        "ex7_4_solution",
        [("nn.AdaptiveAvgPool2d(1)", "nn.AvgPool2d(2)")],
        ["ex7_4_tests_network"],
        ["shape"],
    ),
    _wrong(
        "ex7_4 global max pooling instead of global average pooling",
        "ex7_4_solution",
        [("nn.AdaptiveAvgPool2d(1)", "nn.AdaptiveMaxPool2d(1)")],
        ["ex7_4_tests_network"],
        ["layers"],
    ),
    _wrong(
        "ex7_4 the convolutions initialised to zero (every channel stays the same)",
        "ex7_4_solution",
        [("    return nn.Sequential(*layers)\n", "    for m in layers:\n        if isinstance(m, nn.Conv2d):\n            nn.init.zeros_(m.weight)\n    return nn.Sequential(*layers)\n")],
        ["ex7_4_tests_training"],
        ["accuracy"],
    ),
    # 7.5 ------------------------------------------------------------------------------
    _wrong(
        "ex7_5 psnr as the mean of the PSNRs of the images",
        "ex7_5_solution",
        [("    mse = (estimate.double() - target.double()).pow(2).mean()\n    return (10 * torch.log10(1 / mse)).item()",
          "    mse = (estimate.double() - target.double()).pow(2).flatten(1).mean(dim=1)\n    return (10 * torch.log10(1 / mse)).mean().item()")],
        ["ex7_5_tests_psnr"],
        ["psnr"],
    ),
    _wrong(
        "ex7_5 psnr with the natural logarithm",
        "ex7_5_solution",
        [("(10 * torch.log10(1 / mse))", "(10 * torch.log(1 / mse))")],
        ["ex7_5_tests_psnr"],
        ["psnr"],
    ),
    _wrong(
        "ex7_5 psnr returns a tensor",
        "ex7_5_solution",
        [("    return (10 * torch.log10(1 / mse)).item()", "    return 10 * torch.log10(1 / mse)")],
        ["ex7_5_tests_psnr"],
        ["psnr"],
    ),
    _wrong(
        "ex7_5 a 3 x 3 convolution for dec1",
        "ex7_5_solution",
        [("nn.Conv2d(2 * w, 1, kernel_size=1)", "nn.Conv2d(2 * w, 1, kernel_size=3, padding=1)")],
        ["ex7_5_tests_shapes", "ex7_5_tests_skips"],
        ["parameters", "layers"],
    ),
    _wrong(
        "ex7_5 the input pooled before enc1 (the output has half the size)",
        "ex7_5_solution",
        [("        e1 = self.enc1(x)\n", "        e1 = self.enc1(self.pool(x))\n")],
        ["ex7_5_tests_shapes", "ex7_5_tests_skips", "ex7_5_tests_denoising"],
        ["shape", "forward", "denoising"],
    ),
    _wrong(
        "ex7_5 no sigmoid at the end",
        "ex7_5_solution",
        [("        return torch.sigmoid(self.dec1(torch.cat([d2, e1], dim=1)))", "        return self.dec1(torch.cat([d2, e1], dim=1))")],
        ["ex7_5_tests_shapes", "ex7_5_tests_skips"],
        ["range", "forward"],
    ),
    _wrong(
        "ex7_5 the skip of enc2 concatenated first",
        "ex7_5_solution",
        [("torch.cat([d3, e2], dim=1)", "torch.cat([e2, d3], dim=1)")],
        ["ex7_5_tests_skips"],
        ["skips"],
    ),
    _wrong(
        "ex7_5 the skip of enc1 concatenated first",
        "ex7_5_solution",
        [("torch.cat([d2, e1], dim=1)", "torch.cat([e1, d2], dim=1)")],
        ["ex7_5_tests_skips"],
        ["skips"],
    ),
    _wrong(
        "ex7_5 no ReLU after the transposed convolutions",
        "ex7_5_solution",
        [("        nn.BatchNorm2d(c_out),\n        nn.ReLU(),\n    )", "        nn.BatchNorm2d(c_out),\n    )")],
        ["ex7_5_tests_skips"],
        ["layers"],
    ),
    _wrong(
        "ex7_5 a sigmoid in dec1 and another in forward",
        "ex7_5_solution",
        [("nn.Conv2d(2 * w, 1, kernel_size=1)", "nn.Sequential(nn.Conv2d(2 * w, 1, kernel_size=1), nn.Sigmoid())")],
        ["ex7_5_tests_skips", "ex7_5_tests_denoising"],
        ["layers", "denoising"],
    ),
    # 7.6 ------------------------------------------------------------------------------
    _wrong(
        "ex7_6 sigma squared without the factor 2",
        "ex7_6_solution",
        [("-squared / (2 * sigma**2)", "-squared / sigma**2")],
        ["ex7_6_tests_volume"],
        ["volume"],
    ),
    _wrong(
        "ex7_6 the maximum of the blobs instead of their sum",
        "ex7_6_solution",
        [("    return blobs.sum(dim=0, keepdim=True)", "    return blobs.amax(dim=0, keepdim=True)")],
        ["ex7_6_tests_volume"],
        ["volume"],
    ),
    _wrong(
        "ex7_6 the first axis of the volume against the last coordinate",
        "ex7_6_solution",
        [("(axis.view(-1, 1, 1) - c[:, 0]) ** 2", "(axis.view(-1, 1, 1) - c[:, 2]) ** 2"),
         ("(axis.view(1, 1, -1) - c[:, 2]) ** 2", "(axis.view(1, 1, -1) - c[:, 0]) ** 2")],
        ["ex7_6_tests_volume"],
        ["volume"],
    ),
    _wrong(
        "ex7_6 the volume always in float32",
        "ex7_6_solution",
        [("    axis = torch.arange(size, dtype=centres.dtype, device=centres.device)\n    c = centres[:, :, None, None, None]",
          "    axis = torch.arange(size, dtype=torch.float32, device=centres.device)\n    c = centres.float()[:, :, None, None, None]"),
         ("amplitudes.to(centres.dtype)", "amplitudes.float()")],
        ["ex7_6_tests_volume"],
        ["dtype"],
    ),
    _wrong(
        "ex7_6 a loop over the blobs",
        "ex7_6_solution",
        [("    blobs = amplitudes.to(centres.dtype).view(-1, 1, 1, 1) * torch.exp(\n        -squared / (2 * sigma**2)\n    )\n    return blobs.sum(dim=0, keepdim=True)",
          "    volume = torch.zeros(1, size, size, size, dtype=centres.dtype)\n    for b in range(len(centres)):\n        volume[0] += amplitudes[b] * torch.exp(-squared[b] / (2 * sigma**2))\n    return volume")],
        ["ex7_6_tests_volume"],
        ["no-loops"],
    ),
    _wrong(
        "ex7_6 a first Conv3d for 3 input channels, as for colour images",
        "ex7_6_solution",
        [("nn.Conv3d(1, 8, kernel_size=3, padding=1)", "nn.Conv3d(3, 8, kernel_size=3, padding=1)")],
        ["ex7_6_tests_model", "ex7_6_tests_training"],
        ["convs", "accuracy"],
    ),
    _wrong(
        "ex7_6 Flatten into a Linear layer instead of global pooling (one size only, 21,650 "
        "parameters)",
        "ex7_6_solution",
        [("nn.AdaptiveAvgPool3d(1), nn.Flatten(), nn.Linear(32, 2)", "nn.Flatten(), nn.Linear(32 * 4 * 4 * 4, 2)")],
        ["ex7_6_tests_model", "ex7_6_tests_training"],
        ["shape", "limits"],
    ),
    _wrong(
        "ex7_6 the original's widths of 16, 32 and 64 channels (69,794 parameters)",
        "ex7_6_solution",
        [("nn.Conv3d(16, 32, kernel_size=3, padding=1)", "nn.Conv3d(32, 64, kernel_size=3, padding=1)"),
         ("nn.Conv3d(8, 16, kernel_size=3, padding=1)", "nn.Conv3d(16, 32, kernel_size=3, padding=1)"),
         ("nn.Conv3d(1, 8, kernel_size=3, padding=1)", "nn.Conv3d(1, 16, kernel_size=3, padding=1)"),
         ("nn.Linear(32, 2)", "nn.Linear(64, 2)")],
        ["ex7_6_tests_model", "ex7_6_tests_training"],
        ["size", "limits"],
    ),
    _wrong(
        "ex7_6 the number of values instead of bytes",
        "ex7_6_solution",
        [("        total += tensor.numel() * tensor.element_size()", "        total += tensor.numel()")],
        ["ex7_6_tests_memory"],
        ["bytes"],
    ),
    _wrong(
        "ex7_6 the forward pass under torch.no_grad()",
        "ex7_6_solution",
        [("    with torch.enable_grad(), torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):",
          "    with torch.no_grad(), torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):")],
        ["ex7_6_tests_memory"],
        ["bytes"],
    ),
    _wrong(
        "ex7_6 only the output's bytes",
        "ex7_6_solution",
        [("        model(x)\n    return total", "        out = model(x)\n    return out.numel() * out.element_size()")],
        ["ex7_6_tests_memory"],
        ["bytes"],
    ),
    _wrong(
        "ex7_6 the memory in MiB, a float",
        "ex7_6_solution",
        [("        model(x)\n    return total", "        model(x)\n    return total / 2**20")],
        ["ex7_6_tests_memory"],
        ["bytes"],
    ),
]
