"""Check that a PyTorch set-up can do everything the book needs.

Run ``python -m torchbook.envcheck`` (or ``make check-env``). Each check prints PASS or
FAIL with a reason; the command exits with status 1 if any check fails.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from torchbook.device import get_device, seed_everything


def check_device_and_reproducibility(device: torch.device) -> str:
    """A matrix product runs on the device, and the same seed gives the same numbers."""
    x = torch.randn(3, 4, device=device)
    y = x @ x.T
    assert y.shape == (3, 3), f"x @ x.T has shape {tuple(y.shape)}, expected (3, 3)"
    assert y.device.type == device.type, f"result on {y.device}, expected {device}"
    seed_everything(123)
    a = torch.randn(5, device=device)
    seed_everything(123)
    b = torch.randn(5, device=device)
    assert torch.equal(a, b), "two runs with the same seed gave different random numbers"
    return f"device {device}, seeded runs agree"


def check_autograd(device: torch.device) -> str:
    """Gradients of a simple function match the analytic result, and accumulate."""
    x = torch.tensor([2.0, 3.0], device=device, requires_grad=True)
    (x**2).sum().backward()
    expected = torch.tensor([4.0, 6.0], device=device)
    assert torch.allclose(x.grad, expected), f"d(x^2)/dx = {x.grad.tolist()}, expected [4, 6]"
    (x**2).sum().backward()
    assert torch.allclose(x.grad, 2 * expected), "a second backward did not accumulate"
    return "d/dx sum(x^2) = 2x, gradients accumulate"


def _small_model(device: torch.device) -> nn.Module:
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1)).to(device)


def check_module(device: torch.device) -> str:
    """A small network builds, counts its parameters and maps a batch to the right shape."""
    model = _small_model(device)
    n_params = sum(p.numel() for p in model.parameters())
    assert n_params == 2 * 16 + 16 + 16 * 1 + 1, f"{n_params} parameters, expected 65"
    out = model(torch.randn(8, 2, device=device))
    assert out.shape == (8, 1), f"output shape {tuple(out.shape)}, expected (8, 1)"
    return f"{n_params} parameters, output (8, 1)"


def check_optimizer_step(device: torch.device) -> str:
    """One SGD step on a quadratic moves the parameter downhill by lr * gradient."""
    w = torch.tensor([1.0], device=device, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    loss = (w**2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    assert torch.allclose(w.detach(), torch.tensor([0.8], device=device)), (
        f"w after one step is {w.item():.4f}, expected 0.8"
    )
    return "w = 1 - 0.1 * 2 = 0.8"


def check_training_loop(device: torch.device) -> str:
    """A short training loop fits a noisy sine: the loss falls by at least 5x."""
    seed_everything(0)
    x = torch.linspace(-3, 3, 256, device=device).unsqueeze(1)
    y = torch.sin(x) + 0.05 * torch.randn_like(x)
    x2 = torch.cat([x, x**2 / 9], dim=1)
    model = _small_model(device)
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    loss_fn = nn.MSELoss()
    with torch.no_grad():
        first = loss_fn(model(x2), y).item()
    for _ in range(300):
        opt.zero_grad()
        loss = loss_fn(model(x2), y)
        loss.backward()
        opt.step()
    last = loss.item()
    assert last < first / 5, f"loss went from {first:.4f} to {last:.4f}, expected a 5x drop"
    return f"loss {first:.3f} -> {last:.4f}"


def check_checkpointing(device: torch.device) -> str:
    """A saved state_dict loads (weights_only) into a fresh model that gives the same outputs."""
    seed_everything(1)
    model = _small_model(device)
    x = torch.randn(4, 2, device=device)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.pt"
        torch.save(model.state_dict(), path)
        clone = _small_model(device)
        clone.load_state_dict(torch.load(path, map_location=device, weights_only=True))
    assert torch.equal(model(x), clone(x)), "the reloaded model gives different outputs"
    return "state_dict round trip gives identical outputs"


CHECKS: list[tuple[str, Callable[[torch.device], str]]] = [
    ("Device setup and reproducibility", check_device_and_reproducibility),
    ("Tensors and autograd", check_autograd),
    ("nn.Module construction", check_module),
    ("Optimisation step", check_optimizer_step),
    ("Training loop", check_training_loop),
    ("Checkpoint save/load", check_checkpointing),
]


def run_checks(device: torch.device | None = None) -> list[tuple[str, bool, str]]:
    """Run every check; return (name, passed, detail) for each, never raising."""
    device = device or get_device()
    results = []
    for name, check in CHECKS:
        try:
            results.append((name, True, check(device)))
        except Exception as error:  # a failed check must not hide the others
            where = traceback.extract_tb(error.__traceback__)[-1]
            detail = f"{type(error).__name__}: {error} (line {where.lineno})"
            results.append((name, False, detail))
    return results


def main(argv: list[str] | None = None) -> int:
    """Print a PASS/FAIL line per check and return the exit status (0 when all pass)."""
    device = get_device(argv[0] if argv else None)
    print(f"PyTorch {torch.__version__} on {device}")
    print("=" * 60)
    results = run_checks(device)
    for i, (name, passed, detail) in enumerate(results, start=1):
        print(f"Test {i}: {name:<34} [{'PASS' if passed else 'FAIL'}]")
        print(f"        {detail}")
    print("=" * 60)
    failed = [name for name, passed, _ in results if not passed]
    if failed:
        print(f"FAIL: {len(failed)} of {len(results)} checks failed: {', '.join(failed)}")
        return 1
    print(f"PASS: all {len(results)} checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
