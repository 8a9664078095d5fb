"""STUB: <audio> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('audio')
class Audio:
    pass
