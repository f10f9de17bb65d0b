"""Fast unit tests of torchbook.norm_viz (Chapter 9's batch statistics, figures and widget)."""

from __future__ import annotations

import base64

import pytest
import torch
from matplotlib.figure import Figure

from torchbook.norm_viz import (
    BATCH_SIZES,
    BatchNoiseExplorer,
    batch_noise_figure,
    batch_statistics,
    channel_activations,
    noise_profile,
    normalisation_axes_figure,
    normalised_values,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_channel_activations_are_standardised_rows_per_digit():
    for resolution in (16, 4, 1):
        values = channel_activations(3, resolution)
        assert values.shape == (1797, resolution**2)
        assert abs(float(values.mean())) < 1e-4
        assert abs(float(values.std(correction=0)) - 1) < 1e-4
    # pooled values are averages of the full-resolution ones (before standardising)
    full, pooled = channel_activations(0, 16), channel_activations(0, 1)
    torch.testing.assert_close(
        pooled[:, 0],
        (full.mean(1) - full.mean(1).mean()) / full.mean(1).std(correction=0),
        atol=1e-4,
        rtol=1e-4,
    )


def test_batch_statistics_equal_those_of_the_batches_themselves():
    gen = torch.Generator().manual_seed(1)
    values = torch.randn(50, 6, generator=gen)
    means, variances = batch_statistics(values, 5, n_batches=20, seed=3, first=7)
    from torchbook.norm_viz import _batch_indices

    idx = _batch_indices(50, 5, 20, 3, 7)
    assert (idx[:, 0] == 7).all()
    assert all(len(set(row.tolist())) == 5 for row in idx)
    batches = values.double()[idx].flatten(1)
    torch.testing.assert_close(means, batches.mean(1))
    torch.testing.assert_close(variances, batches.var(1, correction=0))
    assert means.shape == variances.shape == (20,)


def test_batch_statistics_leave_the_global_random_state_alone_and_repeat():
    values = torch.randn(30, 2)
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    first = batch_statistics(values, 4, 10, seed=2)
    assert torch.equal(torch.rand(3), expected)
    torch.testing.assert_close(batch_statistics(values, 4, 10, seed=2), first)


def test_normalised_values_match_batch_norm_in_training_mode():
    gen = torch.Generator().manual_seed(0)
    values = torch.randn(40, 1, generator=gen)
    z, population = normalised_values(values, 3, n_batches=5, sample=2, seed=4)
    from torchbook.norm_viz import _batch_indices

    idx = _batch_indices(40, 3, 5, 4, 2)
    bn = torch.nn.BatchNorm1d(1, affine=False)
    for k in range(5):
        out = bn(values[idx[k]])
        torch.testing.assert_close(z[k].float(), out[0, 0], rtol=1e-5, atol=1e-5)
    pop = (values[2, 0] - values.mean()) / (values.var(correction=0) + 1e-5).sqrt()
    assert abs(population - float(pop)) < 1e-5


def test_two_samples_are_normalised_to_plus_or_minus_one():
    z, _ = normalised_values(channel_activations(0, 1), 2, n_batches=200)
    assert (z.abs() <= 1).all()  # less than 1 only where the two values nearly coincide
    assert ((z.abs() - 1).abs() < 1e-2).float().mean() > 0.9


def test_spread_falls_with_the_batch_size_and_the_pixels():
    per_image, _ = noise_profile(1)
    per_pixel, _ = noise_profile(16)
    assert per_image.shape == (len(BATCH_SIZES),)
    assert per_image[0] > 0.8 and per_image[-1] < 0.15
    assert (per_image.diff() < 0).all()
    assert (per_pixel < per_image).all()


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="channel"):
        channel_activations(8)
    with pytest.raises(ValueError, match="resolution"):
        channel_activations(0, 3)
    with pytest.raises(ValueError, match="batch_size"):
        batch_statistics(torch.zeros(4, 2), 5)
    with pytest.raises(ValueError, match="values"):
        batch_statistics(torch.zeros(4), 2)
    with pytest.raises(ValueError, match="batch_size"):
        BatchNoiseExplorer(batch_size=3)
    with pytest.raises(ValueError, match="resolution"):
        BatchNoiseExplorer(resolution=5)


def test_figures():
    fig = normalisation_axes_figure()
    assert isinstance(fig, Figure) and fig.get_size_inches()[0] <= 7
    fig, summary = batch_noise_figure(8, 4, n_batches=50)
    assert fig.get_size_inches()[0] <= 7
    assert summary.startswith("BatchNoiseExplorer: batch size 8, 4 x 4 map, channel 0")


def test_explorer_bundle_has_a_png_and_a_stable_text():
    explorer = BatchNoiseExplorer(batch_size=2)
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)
    assert bundle["text/plain"].startswith("BatchNoiseExplorer: batch size 2, 1 x 1 map")
    assert repr(BatchNoiseExplorer(batch_size=2)) == bundle["text/plain"]
    old = explorer.png
    explorer.batch_size.value = 64
    assert explorer.png != old and "batch size 64" in repr(explorer)
    explorer.resolution.value = 16
    assert "16 x 16 map" in repr(explorer)
