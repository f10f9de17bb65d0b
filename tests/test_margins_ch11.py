"""Margins of the Chapter 11 thresholds: each holds for the reference solution on many seeds.

The graded tests of ``solutions/ch11/ch11_exercises.ipynb`` compare measured numbers with
a threshold: 11.3 (``OrderClassifier()`` trained for 300 Adam steps on batches of 64
sequences of ``order_task`` classifies at least 0.95 of 1,000 test sequences; without the
encoding it stays at chance), 11.4 (``TransformerClassifier()`` trained for 6 epochs on
1,437 digits read as rows classifies at least 0.90 of the other 360) and 11.5 (``TinyGPT()``
trained for 300 AdamW steps on batches of 32 names reaches a validation loss of at most
2.25 nats per character on 516 other names). Here the reference solution (loaded with
``solution_namespace``) runs the same experiments on seeds 0-7 (the grader uses seed 2 for
the initialisation, the visible tests seed 1); every seed must pass, and the test prints
the worst value next to the threshold. Run with ``make margins``.
"""

from __future__ import annotations

import matplotlib
import pytest
import torch
import torch.nn.functional as F

matplotlib.use("Agg")

from torchbook.data import digits, order_task
from torchbook.datasets import first_names

SEEDS = range(8)

pytestmark = pytest.mark.margins
CHAPTER = "ch11"  # the conftest fixture `ref` loads its reference solution


def test_ex11_3_order_accuracy(ref: dict) -> None:
    """11.3: OrderClassifier(), Adam lr 3e-3, 300 batches of 64; the seed sets the
    initialisation and the batches (the test sequences are the grader's)."""
    x_test, y_test = order_task(1000, generator=113)
    with_pe, without_pe = [], []
    for seed in SEEDS:
        for positional, values in ((True, with_pe), (False, without_pe)):
            if not positional and seed >= 2:
                continue  # chance level needs no eight seeds
            torch.manual_seed(seed)
            model = ref["OrderClassifier"](positional=positional)
            optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
            gen = torch.Generator().manual_seed(100 + seed)
            for _ in range(300):
                x, y = order_task(64, generator=gen)
                optimizer.zero_grad()
                F.cross_entropy(model(x), y).backward()
                optimizer.step()
            model.eval()
            with torch.no_grad():
                values.append((model(x_test).argmax(1) == y_test).float().mean().item())
    worst = min(with_pe)
    print(
        f"\n11.3 accuracy with the encoding: worst {worst:.4f} >= 0.95 (margin "
        f"{worst - 0.95:.4f}); all {[round(v, 4) for v in with_pe]}; without: "
        f"{[round(v, 4) for v in without_pe]}"
    )
    for seed, value in zip(SEEDS, with_pe, strict=True):
        assert value >= 0.95, f"11.3 accuracy, seed {seed}: {value}"
    assert all(v < 0.6 for v in without_pe), without_pe


def test_ex11_4_digit_accuracy(ref: dict) -> None:
    """11.4: TransformerClassifier(), Adam lr 3e-3, batches of 32, 6 epochs on 1,437
    digits as sequences of rows; the seed sets the initialisation and the batches."""
    images, labels = digits()
    rows = images[:, 0]
    order = torch.randperm(len(rows), generator=torch.Generator().manual_seed(0))
    train, test = order[:1437], order[1437:]
    values = []
    for seed in SEEDS:
        torch.manual_seed(seed)
        model = ref["TransformerClassifier"]()
        optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
        gen = torch.Generator().manual_seed(seed)
        model.train()
        for _ in range(6):
            perm = train[torch.randperm(len(train), generator=gen)]
            for i in range(0, len(perm), 32):
                batch = perm[i : i + 32]
                optimizer.zero_grad()
                F.cross_entropy(model(rows[batch]), labels[batch]).backward()
                optimizer.step()
        model.eval()
        with torch.no_grad():
            values.append((model(rows[test]).argmax(1) == labels[test]).float().mean().item())
    worst = min(values)
    print(
        f"\n11.4 test accuracy: worst {worst:.4f} >= 0.90 (margin {worst - 0.90:.4f}); "
        f"all {[round(v, 4) for v in values]}"
    )
    for seed, value in zip(SEEDS, values, strict=True):
        assert value >= 0.90, f"11.4 accuracy, seed {seed}: {value}"


def test_ex11_5_validation_loss(ref: dict) -> None:
    """11.5: TinyGPT(), AdamW lr 5e-3, 300 batches of 32 names; the seed sets the
    initialisation and the batches (the split is the grader's)."""
    names = first_names()
    seq = torch.full((len(names), 13), -100, dtype=torch.int64)
    for i, name in enumerate(names):
        tokens = [0] + [ord(c) - ord("a") + 1 for c in name] + [0]
        seq[i, : len(tokens)] = torch.tensor(tokens)
    x, y = seq[:, :-1].clamp(min=0), seq[:, 1:]
    order = torch.randperm(len(names), generator=torch.Generator().manual_seed(0))
    train, valid = order[:4647], order[4647:]
    values = []
    for seed in SEEDS:
        torch.manual_seed(seed)
        model = ref["TinyGPT"]()
        optimizer = torch.optim.AdamW(model.parameters(), lr=5e-3)
        gen = torch.Generator().manual_seed(seed)
        model.train()
        for _ in range(300):
            batch = train[torch.randint(0, len(train), (32,), generator=gen)]
            loss = F.cross_entropy(model(x[batch]).flatten(0, 1), y[batch].flatten())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            logits = model(x[valid]).double().flatten(0, 1)
        values.append(F.cross_entropy(logits, y[valid].flatten()).item())
    worst = max(values)
    print(
        f"\n11.5 validation loss: worst {worst:.4f} <= 2.25 (margin {2.25 - worst:.4f}); "
        f"all {[round(v, 4) for v in values]}"
    )
    for seed, value in zip(SEEDS, values, strict=True):
        assert value <= 2.25, f"11.5 loss, seed {seed}: {value}"
