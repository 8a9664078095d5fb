"""STUB: <memory> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('memory')
class MemoryDevice:
    pass
