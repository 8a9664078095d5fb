"""STUB: <video> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('video')
class Video:
    pass
