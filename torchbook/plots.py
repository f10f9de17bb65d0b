"""Small figure helpers shared by the chapters and widgets.

Figures are built with :class:`matplotlib.figure.Figure` rather than ``pyplot`` so that
helpers never draw into a notebook by accident and never depend on pyplot's global state.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

#: Colour-blind-safe colours (Okabe-Ito) used throughout the book's diagrams.
COLORS = {
    "a": "#0072B2",  # blue
    "b": "#E69F00",  # orange
    "result": "#009E73",  # green
    "error": "#D55E00",  # vermilion
    "muted": "#777777",
}


def fig_to_png(fig: Figure, *, dpi: int = 100) -> bytes:
    """Render ``fig`` to PNG bytes (no timestamp metadata, so the bytes are reproducible)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
