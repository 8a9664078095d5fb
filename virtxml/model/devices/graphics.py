"""STUB: <graphics> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('graphics')
class Graphics:
    pass
