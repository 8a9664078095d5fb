"""STUB: <sound> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('sound')
class Sound:
    pass
