"""Margins of the Chapter 8 thresholds: each holds for the reference solution on many seeds.

The graded tests of ``solutions/ch08/ch08_exercises.ipynb`` compare measured numbers with
a threshold: 8.2 (at initialisation, the first convolution's gradient norm of
``make_residual(10)`` is at least 1,000 times that of ``make_plain(10)``, for a batch of 64
digits), 8.6 (the residual U-Net trained for 100 steps denoises 360 test digits to a PSNR of
at least 18 dB and an SSIM of at least 0.80) and 8.7 (``small_densenet(6, 2)`` trained for 4
epochs classifies at least 0.90 of 360 test digits). Here the reference solution (loaded
with ``solution_namespace``) runs the same experiment on seeds 0-7 (seed 1 is the grader's
initialisation in 8.6 and 8.7; the grader's 8.2 uses seeds 1-5); every seed must pass, and
the test prints the worst value next to the threshold. Run with ``make margins``.
"""

from __future__ import annotations

import matplotlib
import pytest
import torch
import torch.nn.functional as F
from torch import nn

matplotlib.use("Agg")

from torchbook.data import digits

SEEDS = range(8)

pytestmark = pytest.mark.margins
CHAPTER = "ch08"  # the conftest fixture `ref` loads its reference solution


def _first_conv_grad(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    F.cross_entropy(model(x), y).backward()
    first = next(m for m in model.modules() if isinstance(m, nn.Conv2d))
    return first.weight.grad.norm().item()


def test_ex8_2_gradient_ratio(ref: dict) -> None:
    """8.2: residual / plain gradient norm of the first convolution, 10 blocks, at
    initialisation, a batch of 64 digits; the seed sets the initialisation and the batch."""
    images, labels = digits()
    ratios = []
    for seed in SEEDS:
        idx = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))[:64]
        norms = []
        for make in (ref["make_plain"], ref["make_residual"]):
            torch.manual_seed(seed)
            norms.append(_first_conv_grad(make(10), images[idx], labels[idx]))
        ratios.append(norms[1] / norms[0])
    worst = min(ratios)
    print(
        f"\n8.2 gradient ratio: worst {worst:.3g} >= 1e3 (a factor {worst / 1e3:.3g} above); "
        f"all {[f'{r:.2g}' for r in ratios]}"
    )
    for seed, ratio in zip(SEEDS, ratios, strict=True):
        assert ratio >= 1e3, f"8.2 ratio, seed {seed}: {ratio}"


def test_ex8_7_densenet_accuracy(ref: dict) -> None:
    """8.7: small_densenet(6, 2), Adam lr 3e-3, batches of 32, 4 epochs on 1,437 digits; the
    seed sets the split, the initialisation and the order of the batches."""
    images, labels = digits()
    values = []
    for seed in SEEDS:
        order = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))
        train, test = order[:1437], order[1437:]
        torch.manual_seed(seed)
        model = ref["small_densenet"](growth_rate=6, n_layers=2)
        optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
        gen = torch.Generator().manual_seed(seed)
        model.train()
        for _ in range(4):
            perm = train[torch.randperm(len(train), generator=gen)]
            for i in range(0, len(perm), 32):
                batch = perm[i : i + 32]
                optimizer.zero_grad()
                F.cross_entropy(model(images[batch]), labels[batch]).backward()
                optimizer.step()
        model.eval()
        with torch.no_grad():
            values.append((model(images[test]).argmax(1) == labels[test]).float().mean().item())
    worst = min(values)
    print(
        f"\n8.7 test accuracy: worst {worst:.4f} >= 0.90 (margin {worst - 0.90:.4f}); "
        f"all {[round(v, 4) for v in values]}"
    )
    for seed, value in zip(SEEDS, values, strict=True):
        assert value >= 0.90, f"8.7 accuracy, seed {seed}: {value}"


def test_ex8_6_denoising(ref: dict) -> None:
    """8.6: ResUNet trained for 100 Adam steps (lr 5e-3, batches of 32 with fresh noise of
    standard deviation 0.3) reaches a mean PSNR of at least 18 dB and an SSIM of at least
    0.80 on 360 noisy test digits; the seed sets the initialisation, the batches and the
    noise (the grader's split is fixed, as here)."""
    images, _ = digits(16)
    order = torch.randperm(len(images), generator=torch.Generator().manual_seed(0))
    train, test = images[order[:1437]], images[order[1437:]]
    psnrs, ssims = [], []
    for seed in SEEDS:
        gen = torch.Generator().manual_seed(1000 + seed)
        test_noisy = test + 0.3 * torch.randn(test.shape, generator=gen)
        torch.manual_seed(seed)
        model = ref["ResUNet"]()
        optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
        model.train()
        for _ in range(100):
            clean = train[torch.randint(0, len(train), (32,), generator=gen)]
            noisy = clean + 0.3 * torch.randn(clean.shape, generator=gen)
            optimizer.zero_grad()
            F.mse_loss(model(noisy), clean).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            out = model(test_noisy)
        mse = (out.double() - test.double()).pow(2).mean(dim=(1, 2, 3))
        psnrs.append((10 * torch.log10(1 / mse)).mean().item())
        ssims.append(float(ref["ssim"](out.double(), test.double())))
    print(
        f"\n8.6 PSNR: worst {min(psnrs):.2f} dB >= 18 (margin {min(psnrs) - 18:.2f}); "
        f"all {[round(v, 2) for v in psnrs]}"
        f"\n8.6 SSIM: worst {min(ssims):.3f} >= 0.80 (margin {min(ssims) - 0.80:.3f}); "
        f"all {[round(v, 3) for v in ssims]}"
    )
    for seed, p, s in zip(SEEDS, psnrs, ssims, strict=True):
        assert p >= 18.0, f"8.6 PSNR, seed {seed}: {p}"
        assert s >= 0.80, f"8.6 SSIM, seed {seed}: {s}"
