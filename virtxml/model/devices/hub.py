"""STUB: <hub> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('hub')
class Hub:
    pass
