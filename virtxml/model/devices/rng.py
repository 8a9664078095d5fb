"""STUB: <rng> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('rng')
class RNG:
    pass
