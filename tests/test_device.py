"""Device choice and seeding."""

import torch

from torchbook import get_device, seed_everything


def test_get_device_prefers_an_explicit_choice(monkeypatch):
    monkeypatch.setenv("TORCHBOOK_DEVICE", "cuda")
    assert get_device("cpu") == torch.device("cpu")
    assert get_device() == torch.device("cuda")


def test_get_device_falls_back_to_cpu_without_accelerators(monkeypatch):
    monkeypatch.delenv("TORCHBOOK_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert get_device() == torch.device("cpu")


def test_get_device_picks_cuda_when_present(monkeypatch):
    monkeypatch.delenv("TORCHBOOK_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert get_device() == torch.device("cuda")


def test_seed_everything_repeats_torch_numpy_and_python_streams():
    import random

    import numpy as np

    def draw():
        return torch.rand(3).tolist(), np.random.rand(3).tolist(), random.random()

    seed_everything(7)
    first = draw()
    seed_everything(7)
    assert draw() == first
    seed_everything(8)
    assert draw() != first
