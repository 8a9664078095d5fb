"""STUB: <disk> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('disk')
class Disk:
    pass
