"""Fast unit tests of torchbook.attention_viz (Chapter 11's diagram, heat maps and widget)."""

from __future__ import annotations

import base64
import math

import pytest
import torch
from matplotlib.figure import Figure

from torchbook.attention_viz import (
    AttentionHeadExplorer,
    attention_block_figure,
    attention_heads_figure,
    mean_attention_distance,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _causal_weights(layers: int, heads: int, t: int, seed: int = 0) -> torch.Tensor:
    """Random causal attention weights of shape (layers, heads, t, t), rows summing to 1."""
    gen = torch.Generator().manual_seed(seed)
    scores = torch.randn(layers, heads, t, t, generator=gen)
    mask = torch.ones(t, t, dtype=torch.bool).tril()
    return scores.masked_fill(~mask, float("-inf")).softmax(dim=-1)


def _maps(text: str) -> tuple[list[str], torch.Tensor]:
    """A stand-in for a model: tokens are the characters, weights depend on the text."""
    if not text.isalpha():
        raise KeyError(f"unknown character in {text!r}")
    tokens = [".", *text]
    return tokens, _causal_weights(2, 4, len(tokens), seed=len(text))


def test_mean_attention_distance_of_known_patterns():
    t = 5
    identity = torch.eye(t).expand(3, t, t)
    torch.testing.assert_close(mean_attention_distance(identity), torch.zeros(3))
    previous = torch.zeros(t, t)
    previous[0, 0] = 1.0
    previous[torch.arange(1, t), torch.arange(t - 1)] = 1.0
    torch.testing.assert_close(mean_attention_distance(previous), torch.tensor((t - 1) / t))
    uniform = torch.full((t, t), 1.0 / t, dtype=torch.float64)
    expected = (t**2 - 1) / (3 * t)  # the docstring's formula
    assert math.isclose(mean_attention_distance(uniform).item(), expected, rel_tol=1e-12)


def test_mean_attention_distance_keeps_leading_dims_and_checks_shape():
    weights = _causal_weights(2, 4, 6)
    assert mean_attention_distance(weights).shape == (2, 4)
    assert mean_attention_distance(weights).dtype == weights.dtype
    with pytest.raises(ValueError, match="T, T"):
        mean_attention_distance(torch.ones(3, 4))
    with pytest.raises(ValueError, match="T, T"):
        mean_attention_distance(torch.ones(4))


def test_heads_figure_has_one_panel_a_head_and_titles_their_distance():
    weights = _causal_weights(1, 4, 6)[0]
    fig = attention_heads_figure(weights, list(".abcde"), "a title")
    assert isinstance(fig, Figure)
    assert fig.get_size_inches()[0] <= 7
    panels = [ax for ax in fig.axes if ax.images]
    assert len(panels) == 4  # plus the colour bar's axes
    distances = mean_attention_distance(weights)
    for h, ax in enumerate(panels):
        assert ax.get_title() == f"head {h + 1}: distance {distances[h]:.1f}"
        assert [label.get_text() for label in ax.get_xticklabels()] == list(".abcde")
    assert fig._suptitle.get_text() == "a title"


def test_heads_figure_with_an_odd_number_of_heads_hides_the_spare_panel():
    fig = attention_heads_figure(_causal_weights(1, 3, 4)[0], list("abcd"))
    assert len([ax for ax in fig.axes if ax.images]) == 3
    assert sum(not ax.axison for ax in fig.axes) == 1


def test_heads_figure_checks_its_arguments():
    with pytest.raises(ValueError, match="heads, T, T"):
        attention_heads_figure(torch.ones(4, 4), list("abcd"))
    with pytest.raises(ValueError, match="3 tokens"):
        attention_heads_figure(_causal_weights(1, 2, 4)[0], list("abc"))


def test_block_figure_is_a_two_panel_diagram_of_page_width():
    fig = attention_block_figure()
    assert isinstance(fig, Figure)
    assert fig.get_size_inches()[0] <= 7
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["one attention head", "encoder block (post-norm)"]
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {"Q", "K", "V", "softmax over keys", "LayerNorm", "feed-forward"} <= texts


def test_explorer_bundle_has_a_png_and_a_stable_text():
    explorer = AttentionHeadExplorer(_maps, "emma", layer=0, name="toy")
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)
    assert bundle["text/plain"].startswith("AttentionHeadExplorer: 'emma', layer 1 of 2:")
    assert repr(AttentionHeadExplorer(_maps, "emma", name="toy")) == bundle["text/plain"]
    distances = mean_attention_distance(_maps("emma")[1][0])
    assert bundle["text/plain"].endswith(", ".join(f"{d:.1f}" for d in distances.tolist()))


def test_explorer_follows_its_controls_and_survives_a_bad_text():
    explorer = AttentionHeadExplorer(_maps, "emma")
    old = explorer.png
    explorer.layer.value = 1
    assert explorer.png != old and "layer 2 of 2" in repr(explorer)
    explorer.text.value = "olivia"
    assert "'olivia'" in repr(explorer)
    shown = explorer.png
    explorer.text.value = "o'neil"  # the stand-in model rejects it
    assert explorer.png == shown and "unknown character" in explorer.info.value


def test_explorer_checks_the_layer():
    with pytest.raises(ValueError, match="layer"):
        AttentionHeadExplorer(_maps, "emma", layer=2)
