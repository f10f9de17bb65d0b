"""Fast unit tests of torchbook.data (the seeded data generators of Chapter 5 and later)."""

from __future__ import annotations

import math

import pytest
import torch

from torchbook.data import (
    POINT_CLOUD_SHAPES,
    as_generator,
    lorenz_trajectory,
    order_task,
    oscillator_signal,
    point_clouds,
    sine_cosine_sequences,
    tabular_classification,
    variable_length_sequences,
)


def test_as_generator_accepts_seeds_and_generators():
    g = torch.Generator().manual_seed(3)
    assert as_generator(g) is g
    a = torch.rand(4, generator=as_generator(5))
    b = torch.rand(4, generator=as_generator(5))
    assert torch.equal(a, b)
    assert torch.equal(
        torch.rand(2, generator=as_generator(None)), torch.rand(2, generator=as_generator(0))
    )
    with pytest.raises(TypeError):
        as_generator(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        as_generator(True)  # type: ignore[arg-type]


def test_oscillator_signal_shapes_seed_and_clean_limit():
    t, x = oscillator_signal(200, 0.01, generator=1)
    assert t.shape == x.shape == (200,)
    assert t.dtype == x.dtype == torch.float32
    assert torch.equal(x, oscillator_signal(200, 0.01, generator=1)[1])
    assert not torch.equal(x, oscillator_signal(200, 0.01, generator=2)[1])
    t, clean = oscillator_signal(100, 0.02, frequency=2.0, damping=0.1, noise_std=0.0)
    w0 = 2 * math.pi * 2.0
    wd = w0 * math.sqrt(1 - 0.01)
    ref = torch.exp(-0.1 * w0 * t.double()) * torch.cos(wd * t.double())
    assert torch.allclose(clean.double(), ref, atol=1e-6)
    with pytest.raises(ValueError):
        oscillator_signal(10, damping=1.0)


def test_lorenz_trajectory_is_seeded_and_stays_on_the_attractor():
    traj = lorenz_trajectory(1500, generator=0)
    assert traj.shape == (1500, 3) and traj.dtype == torch.float32
    assert torch.isfinite(traj).all()
    assert traj[:, 2].max() < 60 and traj[:, 0].abs().max() < 30
    assert torch.equal(traj, lorenz_trajectory(1500, generator=0))
    assert not torch.equal(traj, lorenz_trajectory(1500, generator=1))
    fixed = lorenz_trajectory(5, initial=[1.0, 2.0, 3.0])
    assert torch.equal(fixed[0], torch.tensor([1.0, 2.0, 3.0]))
    noisy = lorenz_trajectory(50, initial=[1.0, 1.0, 1.0], noise_std=0.1, generator=0)
    clean = lorenz_trajectory(50, initial=[1.0, 1.0, 1.0])
    assert 0.05 < (noisy - clean).std() < 0.2
    with pytest.raises(ValueError):
        lorenz_trajectory(5, initial=[1.0, 2.0])


def test_point_clouds_vary_in_size_and_follow_their_labels():
    clouds, labels = point_clouds(12, min_points=20, max_points=40, generator=0)
    assert len(clouds) == 12 and labels.shape == (12,) and labels.dtype == torch.int64
    assert labels.tolist() == [i % len(POINT_CLOUD_SHAPES) for i in range(12)]
    sizes = {len(c) for c in clouds}
    assert len(sizes) > 1 and min(sizes) >= 20 and max(sizes) <= 40
    for cloud in clouds:
        assert cloud.ndim == 2 and cloud.shape[1] == 3 and cloud.dtype == torch.float32
    again, _ = point_clouds(12, min_points=20, max_points=40, generator=0)
    assert all(torch.equal(a, b) for a, b in zip(clouds, again, strict=True))
    # Without scale, offset and noise, a sphere's points have radius 1.
    from torchbook.data import _sample_shape

    sphere = _sample_shape(0, 100, torch.Generator().manual_seed(0))
    assert torch.allclose(sphere.norm(dim=1), torch.ones(100), atol=1e-6)
    cube = _sample_shape(1, 100, torch.Generator().manual_seed(0))
    assert torch.allclose(cube.abs().max(dim=1).values, torch.ones(100))


def test_tabular_classification_scales_classes_and_weights():
    X, y = tabular_classification(
        3000, n_features=3, n_classes=3, class_weights=[0.8, 0.15, 0.05], generator=0
    )
    assert X.shape == (3000, 3) and X.dtype == torch.float32
    assert y.shape == (3000,) and y.dtype == torch.int64
    counts = torch.bincount(y, minlength=3).float() / 3000
    assert torch.allclose(counts, torch.tensor([0.8, 0.15, 0.05]), atol=0.03)
    spread = X.std(dim=0)
    assert spread[2] > 20 * spread[0]  # features on scales 1, 10, 100
    assert torch.equal(
        X,
        tabular_classification(
            3000, n_features=3, n_classes=3, class_weights=[0.8, 0.15, 0.05], generator=0
        )[0],
    )
    _, small = tabular_classification(3, n_classes=3, class_weights=[1.0, 0.0, 0.0], generator=0)
    assert sorted(small.tolist()) == [0, 1, 2]
    with pytest.raises(ValueError):
        tabular_classification(2, n_classes=3)
    with pytest.raises(ValueError):
        tabular_classification(10, n_features=2, scales=[1.0])


def test_variable_length_sequences():
    seqs, labels = variable_length_sequences(
        20, min_length=5, max_length=15, n_classes=2, generator=0
    )
    assert len(seqs) == 20 and labels.tolist() == [i % 2 for i in range(20)]
    lengths = [len(s) for s in seqs]
    assert min(lengths) >= 5 and max(lengths) <= 15 and len(set(lengths)) > 1
    assert all(s.shape[1] == 1 and s.dtype == torch.float32 for s in seqs)
    again, _ = variable_length_sequences(20, min_length=5, max_length=15, n_classes=2, generator=0)
    assert all(torch.equal(a, b) for a, b in zip(seqs, again, strict=True))


def test_digits_are_scikit_learns_images_in_unit_range():
    from sklearn.datasets import load_digits

    from torchbook.data import digits

    images, labels = digits()
    assert images.shape == (1797, 1, 8, 8) and images.dtype == torch.float32
    assert labels.shape == (1797,) and labels.dtype == torch.int64
    assert images.min() == 0.0 and images.max() == 1.0
    assert set(labels.tolist()) == set(range(10))
    raw = load_digits()
    assert torch.equal(images[5, 0] * 16, torch.tensor(raw.images[5], dtype=torch.float32))
    assert torch.equal(labels, torch.tensor(raw.target))
    big, same = digits(16)
    assert big.shape == (1797, 1, 16, 16) and torch.equal(same, labels)
    assert 0.0 <= big.min() and big.max() <= 1.0
    # upsampling keeps the mean brightness of each image to within a little
    assert torch.allclose(big.mean(dim=(1, 2, 3)), images.mean(dim=(1, 2, 3)), atol=0.02)
    with pytest.raises(ValueError):
        digits(4)


def test_blob_volumes_follow_the_formula_and_their_labels():
    from torchbook.data import blob_volumes

    volumes, labels = blob_volumes(64, generator=3, noise_std=0.0)
    assert volumes.shape == (64, 1, 16, 16, 16) and volumes.dtype == torch.float32
    assert labels.shape == (64,) and labels.dtype == torch.int64
    assert set(labels.tolist()) == {0, 1}
    again, same = blob_volumes(64, generator=3, noise_std=0.0)
    assert torch.equal(volumes, again) and torch.equal(labels, same)
    noisy, same = blob_volumes(64, generator=3)
    assert torch.equal(labels, same) and 0.03 < (noisy - volumes).std() < 0.07
    # one blob: log v = log a - |r - c|^2 / (2 sigma^2) with sigma = 2, linear in r after
    # adding |r|^2 / 8: fit it; two blobs: two local maxima at least 5 voxels apart
    grid = torch.stack(torch.meshgrid(*[torch.arange(16.0)] * 3, indexing="ij")).flatten(1)
    for volume, label in zip(volumes[:, 0], labels.tolist(), strict=True):
        assert 0.45 <= volume.max() <= 1.02  # a voxel may lie up to sqrt(3) / 2 off a centre
        pooled = torch.nn.functional.max_pool3d(volume[None, None], 3, 1, 1)[0, 0]
        maxima = torch.nonzero((volume == pooled) & (volume > 0.3))
        assert len(maxima) == label + 1, (label, maxima.tolist())
        if label:
            assert (maxima[0] - maxima[1]).float().norm() >= 5
            continue
        v = volume.flatten().double()
        keep = v > 1e-3
        r = grid[:, keep].double()
        rhs = v[keep].log() + r.pow(2).sum(0) / 8
        design = torch.cat([torch.ones(1, r.shape[1], dtype=torch.float64), r]).T
        coef = torch.linalg.lstsq(design, rhs[:, None]).solution[:, 0]
        assert (design @ coef - rhs).abs().max() < 1e-3
        centre = 4 * coef[1:]
        amplitude = math.exp(coef[0] + centre.pow(2).sum() / 8)
        assert ((centre >= 3 - 1e-6) & (centre <= 12 + 1e-6)).all() and 0.5 <= amplitude <= 1
    small, _ = blob_volumes(3, size=10, generator=torch.Generator().manual_seed(1))
    assert small.shape == (3, 1, 10, 10, 10)
    with pytest.raises(ValueError):
        blob_volumes(2, size=4)


def test_vendored_data_are_the_published_files() -> None:
    import hashlib

    from torchbook.datasets import DATA_DIR, first_names, mauna_loa_co2, sunspots

    readme = (DATA_DIR / "README.md").read_text()
    files = sorted(DATA_DIR.glob("*.csv")) + sorted(DATA_DIR.glob("*.txt"))
    assert len(files) == 4
    for path in files:
        assert hashlib.sha256(path.read_bytes()).hexdigest() in readme, path.name
    time, ppm = mauna_loa_co2()
    assert time.dtype == torch.float64 and ppm.dtype == torch.float32
    assert len(time) == len(ppm) == 2284 and not ppm.isnan().any()
    assert 1958.2 < float(time[0]) < 1958.3 and 2001.9 < float(time[-1]) < 2002.0
    assert bool((time.diff() > 0).all()) and 313 <= float(ppm.min()) < float(ppm.max()) < 375
    raw = mauna_loa_co2(fill_missing=False)[1]
    assert int(raw.isnan().sum()) == 59 and torch.equal(ppm[~raw.isnan()], raw[~raw.isnan()])
    years, activity = sunspots()
    assert years.tolist() == list(range(1700, 2009)) and activity.dtype == torch.float32
    assert int((activity == 0).sum()) == 3 and float(activity.max()) == pytest.approx(190.2)
    names = first_names()
    assert len(names) == 5163 and names == sorted(set(names)) and names[0] == "aaron"
    assert {len(name) for name in names} == set(range(2, 12)) and "".join(names).isalpha()


def test_sine_cosine_sequences_follow_the_formula() -> None:
    x, labels = sine_cosine_sequences(40, 30, noise_std=0.0, generator=3)
    assert x.shape == (40, 30, 1) and x.dtype == torch.float32
    assert labels.tolist() == [i % 2 for i in range(40)]
    # without noise, the first sample is sin(phi) (label 0) or cos(phi) (label 1)
    first = x[:, 0, 0]
    assert first[labels == 0].abs().max() <= math.sin(0.3) + 1e-6
    assert first[labels == 1].min() >= math.cos(0.3) - 1e-6
    k = torch.arange(30, dtype=torch.float64)
    phi = torch.asin(x[0, 0, 0].double())
    assert torch.allclose(x[0, :, 0].double(), torch.sin(2 * math.pi * 0.05 * k + phi), atol=1e-5)
    again, _ = sine_cosine_sequences(40, 30, noise_std=0.0, generator=3)
    assert torch.equal(x, again)
    noisy, _ = sine_cosine_sequences(40, 30, generator=3)
    assert 0.05 < (noisy - x).std().item() < 0.2


def test_order_task_has_one_a_and_one_b_and_labels_their_order() -> None:
    tokens, labels = order_task(300, 12, 8, generator=5)
    assert tokens.shape == (300, 12) and tokens.dtype == torch.int64
    assert labels.shape == (300,) and labels.dtype == torch.int64
    assert ((tokens == 1).sum(dim=1) == 1).all() and ((tokens == 2).sum(dim=1) == 1).all()
    assert int(tokens.min()) >= 1 and int(tokens.max()) <= 7
    first_a = (tokens == 1).long().argmax(dim=1)
    first_b = (tokens == 2).long().argmax(dim=1)
    assert torch.equal(labels, (first_a < first_b).long())
    assert 0.4 < labels.double().mean().item() < 0.6
    again, _ = order_task(300, 12, 8, generator=5)
    assert torch.equal(tokens, again)
    with pytest.raises(ValueError, match="vocab"):
        order_task(4, 12, 3)
