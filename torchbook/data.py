"""Seeded generators of small scientific data sets for the chapters and exercises.

Every generator takes a ``generator`` argument: a :class:`torch.Generator` (use
``torch.Generator().manual_seed(seed)``) or an ``int`` seed. The numbers are drawn on the
CPU, so a seed gives the same data on every machine; move the result to a device yourself.
Nothing here downloads anything, and every function runs in milliseconds at the default
sizes.

- :func:`oscillator_signal`: a noisy damped harmonic oscillator, ``(t, x)`` of shape ``(T,)``.
- :func:`lorenz_trajectory`: a trajectory of the Lorenz system, shape ``(T, 3)``.
- :func:`point_clouds`: clouds of a variable number of 3-D points, with a shape label each.
- :func:`tabular_classification`: Gaussian classes with features on different scales,
  optionally imbalanced.
- :func:`variable_length_sequences`: noisy oscillations of random lengths, labelled by frequency.
- :func:`digits`: scikit-learn's 1,797 handwritten digits as image tensors, 8 x 8 or upsampled.
- :func:`blob_volumes`: 3-D volumes with one or two Gaussian blobs, labelled by their number.
- :func:`sine_cosine_sequences`: noisy sine (label 0) and cosine (label 1) waves whose phase
  varies a little, for sequence classification.
- :func:`order_task`: token sequences labelled by whether token A comes before token B,
  a task that needs positions.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

__all__ = [
    "POINT_CLOUD_SHAPES",
    "as_generator",
    "blob_volumes",
    "digits",
    "lorenz_trajectory",
    "order_task",
    "oscillator_signal",
    "point_clouds",
    "sine_cosine_sequences",
    "tabular_classification",
    "variable_length_sequences",
]

#: The shapes :func:`point_clouds` samples, in label order.
POINT_CLOUD_SHAPES = ("sphere", "cube", "torus")


def as_generator(generator: torch.Generator | int | None = None) -> torch.Generator:
    """A CPU generator: ``generator`` itself, or a new one seeded with the int (``None``: 0)."""
    if isinstance(generator, torch.Generator):
        return generator
    if generator is None:
        generator = 0
    if isinstance(generator, bool) or not isinstance(generator, int):
        raise TypeError(f"generator must be a torch.Generator or an int seed, not {generator!r}")
    return torch.Generator().manual_seed(generator)


def oscillator_signal(
    n_steps: int = 1000,
    dt: float = 0.01,
    *,
    frequency: float = 1.0,
    damping: float = 0.05,
    amplitude: float = 1.0,
    phase: float = 0.0,
    noise_std: float = 0.05,
    generator: torch.Generator | int | None = None,
    dtype: torch.dtype = torch.float32,
) -> tuple[torch.Tensor, torch.Tensor]:
    """A noisy reading of an under-damped harmonic oscillator.

    The clean signal is the exact solution
    ``x(t) = amplitude * exp(-damping * w0 * t) * cos(wd * t + phase)`` with
    ``w0 = 2 pi frequency`` and ``wd = w0 * sqrt(1 - damping**2)`` (``0 <= damping < 1``);
    Gaussian sensor noise of standard deviation ``noise_std`` is added.

    Returns ``(t, x)``, both of shape ``(n_steps,)`` and dtype ``dtype``, with
    ``t = dt * arange(n_steps)``.
    """
    if not 0.0 <= damping < 1.0:
        raise ValueError(f"damping must be in [0, 1) for an oscillation, got {damping}")
    gen = as_generator(generator)
    t = torch.arange(n_steps, dtype=torch.float64) * dt
    w0 = 2 * torch.pi * frequency
    wd = w0 * (1.0 - damping**2) ** 0.5
    x = amplitude * torch.exp(-damping * w0 * t) * torch.cos(wd * t + phase)
    x = x + noise_std * torch.randn(n_steps, generator=gen, dtype=torch.float64)
    return t.to(dtype), x.to(dtype)


def _lorenz_rhs(
    x: float, y: float, z: float, sigma: float, rho: float, beta: float
) -> tuple[float, float, float]:
    return sigma * (y - x), x * (rho - z) - y, x * y - beta * z


def lorenz_trajectory(
    n_steps: int = 2000,
    dt: float = 0.01,
    *,
    initial: Sequence[float] | torch.Tensor | None = None,
    sigma: float = 10.0,
    rho: float = 28.0,
    beta: float = 8.0 / 3.0,
    noise_std: float = 0.0,
    generator: torch.Generator | int | None = None,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """A trajectory of the Lorenz system, integrated with the classical Runge-Kutta scheme.

    ``dx/dt = sigma (y - x)``, ``dy/dt = x (rho - z) - y``, ``dz/dt = x y - beta z``.
    Without ``initial`` the start is ``(1, 1, 1)`` plus a small random offset drawn from
    ``generator`` (so seeds give different, chaotic trajectories). Integration runs in
    float64; Gaussian noise of std ``noise_std`` is added to the stored states.

    Returns a tensor of shape ``(n_steps, 3)`` (columns x, y, z; row k at time ``k * dt``).
    """
    gen = as_generator(generator)
    if initial is None:
        state = torch.ones(3, dtype=torch.float64) + 0.1 * torch.randn(
            3, generator=gen, dtype=torch.float64
        )
    else:
        state = torch.as_tensor(initial, dtype=torch.float64).clone()
        if state.shape != (3,):
            raise ValueError(f"initial must hold 3 numbers, got shape {tuple(state.shape)}")
    # Plain Python floats (float64) are much faster than 0-d tensors for this serial loop.
    x, y, z = (float(v) for v in state)
    rows = []
    h = dt
    for _ in range(n_steps):
        rows.append((x, y, z))
        a1, b1, c1 = _lorenz_rhs(x, y, z, sigma, rho, beta)
        a2, b2, c2 = _lorenz_rhs(
            x + 0.5 * h * a1, y + 0.5 * h * b1, z + 0.5 * h * c1, sigma, rho, beta
        )
        a3, b3, c3 = _lorenz_rhs(
            x + 0.5 * h * a2, y + 0.5 * h * b2, z + 0.5 * h * c2, sigma, rho, beta
        )
        a4, b4, c4 = _lorenz_rhs(x + h * a3, y + h * b3, z + h * c3, sigma, rho, beta)
        x += h / 6.0 * (a1 + 2 * a2 + 2 * a3 + a4)
        y += h / 6.0 * (b1 + 2 * b2 + 2 * b3 + b4)
        z += h / 6.0 * (c1 + 2 * c2 + 2 * c3 + c4)
    out = torch.tensor(rows, dtype=torch.float64).reshape(n_steps, 3)
    if noise_std:
        out = out + noise_std * torch.randn(n_steps, 3, generator=gen, dtype=torch.float64)
    return out.to(dtype)


def _sample_shape(label: int, n: int, gen: torch.Generator) -> torch.Tensor:
    """n points on the surface of shape ``POINT_CLOUD_SHAPES[label]``, of unit size."""
    if label == 0:  # sphere of radius 1
        p = torch.randn(n, 3, generator=gen)
        return p / p.norm(dim=1, keepdim=True)
    if label == 1:  # surface of the cube [-1, 1]^3: pick a face, then a point on it
        p = 2 * torch.rand(n, 3, generator=gen) - 1
        axis = torch.randint(0, 3, (n,), generator=gen)
        sign = torch.randint(0, 2, (n,), generator=gen) * 2 - 1
        p[torch.arange(n), axis] = sign.to(p.dtype)
        return p
    # torus with radii R = 0.75, r = 0.25 around the z axis
    u = 2 * torch.pi * torch.rand(n, generator=gen)
    v = 2 * torch.pi * torch.rand(n, generator=gen)
    ring = 0.75 + 0.25 * torch.cos(v)
    return torch.stack((ring * torch.cos(u), ring * torch.sin(u), 0.25 * torch.sin(v)), dim=1)


def point_clouds(
    n_clouds: int = 60,
    *,
    min_points: int = 50,
    max_points: int = 200,
    noise_std: float = 0.02,
    generator: torch.Generator | int | None = None,
) -> tuple[list[torch.Tensor], torch.Tensor]:
    """Point clouds of spheres, cubes and tori with a variable number of points each.

    Cloud ``i`` has a random number of points in ``[min_points, max_points]`` sampled on the
    surface of a shape of unit size (label ``i % 3``, names in :data:`POINT_CLOUD_SHAPES`),
    randomly scaled by a factor in ``[0.5, 2]``, shifted by a standard normal offset, and
    jittered by Gaussian noise of std ``noise_std``.

    Returns ``(clouds, labels)``: a list of ``n_clouds`` float32 tensors of shape
    ``(N_i, 3)``, and an int64 tensor of shape ``(n_clouds,)``.
    """
    gen = as_generator(generator)
    clouds = []
    labels = torch.arange(n_clouds) % len(POINT_CLOUD_SHAPES)
    for label in labels.tolist():
        n = int(torch.randint(min_points, max_points + 1, (), generator=gen))
        points = _sample_shape(label, n, gen)
        scale = 0.5 + 1.5 * torch.rand((), generator=gen)
        offset = torch.randn(3, generator=gen)
        points = scale * points + offset + noise_std * torch.randn(n, 3, generator=gen)
        clouds.append(points)
    return clouds, labels


def tabular_classification(
    n_samples: int = 600,
    *,
    n_features: int = 4,
    n_classes: int = 3,
    class_weights: Sequence[float] | None = None,
    scales: Sequence[float] | None = None,
    separation: float = 2.0,
    generator: torch.Generator | int | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Gaussian blobs, one per class, with features on different scales.

    Class ``c`` has a random mean (standard normal times ``separation``) and unit variance in
    each feature; feature ``j`` is then multiplied by ``scales[j]`` (default: powers of 10,
    ``1, 10, 100, ...``), as with sensors that report in different units. Labels are drawn
    with probabilities ``class_weights`` (default: balanced), and the first ``n_classes``
    samples cover every class once, so that none is empty.

    Returns ``(X, y)``: float32 of shape ``(n_samples, n_features)`` and int64 of shape
    ``(n_samples,)``.
    """
    if n_samples < n_classes:
        raise ValueError("need at least one sample per class")
    gen = as_generator(generator)
    weights = torch.ones(n_classes) if class_weights is None else torch.tensor(class_weights)
    if weights.shape != (n_classes,):
        raise ValueError(f"class_weights must have {n_classes} entries")
    if scales is None:
        scales = [10.0**j for j in range(n_features)]
    scale = torch.tensor(scales, dtype=torch.float32)
    if scale.shape != (n_features,):
        raise ValueError(f"scales must have {n_features} entries")
    means = separation * torch.randn(n_classes, n_features, generator=gen)
    y = torch.multinomial(weights.float(), n_samples, replacement=True, generator=gen)
    y[:n_classes] = torch.arange(n_classes)
    X = means[y] + torch.randn(n_samples, n_features, generator=gen)
    return X * scale, y


def variable_length_sequences(
    n_sequences: int = 200,
    *,
    min_length: int = 10,
    max_length: int = 100,
    n_classes: int = 2,
    noise_std: float = 0.1,
    generator: torch.Generator | int | None = None,
) -> tuple[list[torch.Tensor], torch.Tensor]:
    """Noisy sine waves of random lengths, labelled by their frequency.

    Sequence ``i`` has a random length in ``[min_length, max_length]`` and label
    ``c = i % n_classes``; its samples are ``sin(2 pi f_c k / 20 + phase)`` for
    ``k = 0, ..., length - 1`` with ``f_c = 1 + c`` and a random phase, plus Gaussian noise
    of std ``noise_std``.

    Returns ``(sequences, labels)``: a list of float32 tensors of shape ``(L_i, 1)`` and an
    int64 tensor of shape ``(n_sequences,)``.
    """
    gen = as_generator(generator)
    labels = torch.arange(n_sequences) % n_classes
    sequences = []
    for label in labels.tolist():
        length = int(torch.randint(min_length, max_length + 1, (), generator=gen))
        phase = 2 * torch.pi * torch.rand((), generator=gen)
        k = torch.arange(length, dtype=torch.float32)
        wave = torch.sin(2 * torch.pi * (1 + label) * k / 20 + phase)
        sequences.append((wave + noise_std * torch.randn(length, generator=gen)).unsqueeze(1))
    return sequences, labels


def digits(size: int = 8) -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn's handwritten digits (1,797 images of 8 x 8 pixels, the classes 0-9).

    Returns ``(images, labels)``: ``images`` of shape ``(1797, 1, size, size)``, float32, with
    the pixel values 0-16 scaled to [0, 1]; ``labels`` of shape ``(1797,)``, int64. For
    ``size > 8`` the images are upsampled bilinearly (``align_corners=False``) and clamped to
    [0, 1], for networks that pool more often than an 8 x 8 image allows. The data ship with
    scikit-learn: nothing is downloaded. They are in scikit-learn's order; split them yourself
    (with a seeded permutation).
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 8:
        raise ValueError(f"size must be an int >= 8, got {size!r}")
    from sklearn.datasets import load_digits

    data = load_digits()
    images = torch.tensor(data.images, dtype=torch.float32).unsqueeze(1) / 16.0
    if size != 8:
        images = torch.nn.functional.interpolate(
            images, size=(size, size), mode="bilinear", align_corners=False
        ).clamp_(0.0, 1.0)
    return images, torch.tensor(data.target, dtype=torch.int64)


def blob_volumes(
    n: int = 200,
    *,
    size: int = 16,
    sigma: float = 2.0,
    noise_std: float = 0.05,
    min_distance: float = 6.0,
    generator: torch.Generator | int | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Cubic volumes with one or two Gaussian blobs ("tumours") in noise, labelled 0 or 1.

    Volume ``m`` has ``labels[m] + 1`` blobs (the labels are drawn at random, 0 or 1 with
    equal probability). Blob ``b`` has a centre ``c_b`` drawn uniformly in
    ``[3, size - 4]`` along each axis and an amplitude ``a_b`` drawn uniformly in
    ``[0.5, 1]``; the voxel ``(i, j, k)`` holds

    ``sum_b a_b * exp(-((i - c_b0)**2 + (j - c_b1)**2 + (k - c_b2)**2) / (2 * sigma**2))``

    plus Gaussian noise of std ``noise_std``. The centre of a second blob lies at least
    ``min_distance`` voxels from the first (it is the first of 8 candidates that does, or the
    farthest of them), so that the two blobs stay apart. Everything is computed in one pass,
    without Python loops, in float64.

    Returns ``(volumes, labels)``: float32 of shape ``(n, 1, size, size, size)`` and int64 of
    shape ``(n,)``.
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 8:
        raise ValueError(f"size must be an int >= 8, got {size!r}")
    gen = as_generator(generator)
    f64 = torch.float64
    labels = torch.randint(0, 2, (n,), generator=gen)
    span = size - 7.0
    first = 3.0 + span * torch.rand(n, 3, generator=gen, dtype=f64)
    candidates = 3.0 + span * torch.rand(n, 8, 3, generator=gen, dtype=f64)
    distance = (candidates - first[:, None]).norm(dim=-1)
    far = distance >= min_distance
    pick = torch.where(far.any(dim=1), far.to(f64).argmax(dim=1), distance.argmax(dim=1))
    centres = torch.stack((first, candidates[torch.arange(n), pick]), dim=1)  # (n, 2, 3)
    amplitudes = 0.5 + 0.5 * torch.rand(n, 2, generator=gen, dtype=f64)
    amplitudes[:, 1] *= labels.to(f64)  # the second blob only where the label is 1
    axis = torch.arange(size, dtype=f64)
    c = centres[..., None, None, None]  # (n, 2, 3, 1, 1, 1)
    squared = (
        (axis.view(-1, 1, 1) - c[:, :, 0]) ** 2
        + (axis.view(1, -1, 1) - c[:, :, 1]) ** 2
        + (axis.view(1, 1, -1) - c[:, :, 2]) ** 2
    )  # (n, 2, size, size, size)
    blobs = amplitudes[..., None, None, None] * torch.exp(-squared / (2 * sigma**2))
    volumes = blobs.sum(dim=1, keepdim=True)
    volumes = volumes + noise_std * torch.randn(volumes.shape, generator=gen, dtype=f64)
    return volumes.float(), labels


def sine_cosine_sequences(
    n: int = 512,
    length: int = 50,
    *,
    frequency: float = 0.05,
    phase_jitter: float = 0.3,
    noise_std: float = 0.1,
    generator: torch.Generator | int | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Noisy sine waves (label 0) and cosine waves (label 1), batch first.

    Sequence ``i`` has label ``i % 2`` and the samples
    ``sin(2 pi frequency k + phi + label pi / 2)`` for ``k = 0, ..., length - 1`` (a cosine
    is a sine shifted by a quarter period), with ``phi`` uniform in
    ``[-phase_jitter, phase_jitter]``, plus Gaussian noise of std ``noise_std``. With the
    default jitter of 0.3 rad the classes are easy to tell apart; with
    ``phase_jitter=math.pi`` the phase is uniform over the whole circle and the two classes
    have the same distribution, so no classifier can beat chance.

    Returns ``(x, labels)``: float32 of shape ``(n, length, 1)`` and int64 of shape ``(n,)``.
    """
    gen = as_generator(generator)
    labels = torch.arange(n) % 2
    phase = phase_jitter * (2 * torch.rand(n, 1, generator=gen, dtype=torch.float64) - 1)
    phase = phase + labels[:, None].to(torch.float64) * (torch.pi / 2)
    k = torch.arange(length, dtype=torch.float64)
    wave = torch.sin(2 * torch.pi * frequency * k + phase)
    noise = noise_std * torch.randn(n, length, generator=gen, dtype=torch.float64)
    return (wave + noise).float().unsqueeze(-1), labels


def order_task(
    n: int = 512,
    length: int = 12,
    vocab: int = 8,
    *,
    generator: torch.Generator | int | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Token sequences labelled by whether token A (``1``) comes before token B (``2``).

    Every sequence holds exactly one ``1`` and one ``2``, at two distinct positions drawn
    uniformly; the other ``length - 2`` positions hold filler tokens drawn uniformly from
    ``3, ..., vocab - 1`` (token ``0`` is never used: keep it for padding). The label is 1
    where the ``1`` comes first, 0 where the ``2`` does. A sequence and its label are
    independent of the others. A model that sees only which tokens occur (a bag of
    tokens, such as attention with mean pooling and no positional encoding) cannot beat
    chance: both orders contain the same tokens.

    Returns ``(tokens, labels)``: int64 of shapes ``(n, length)`` and ``(n,)``.
    """
    if isinstance(length, bool) or not isinstance(length, int) or length < 2:
        raise ValueError(f"length must be an int >= 2, got {length!r}")
    if isinstance(vocab, bool) or not isinstance(vocab, int) or vocab < 4:
        raise ValueError(f"vocab must be an int >= 4, got {vocab!r}")
    gen = as_generator(generator)
    tokens = torch.randint(3, vocab, (n, length), generator=gen)
    positions = torch.rand(n, length, generator=gen).argsort(dim=1)[:, :2]  # distinct
    rows = torch.arange(n)
    tokens[rows, positions[:, 0]] = 1
    tokens[rows, positions[:, 1]] = 2
    labels = (positions[:, 0] < positions[:, 1]).long()
    return tokens, labels
