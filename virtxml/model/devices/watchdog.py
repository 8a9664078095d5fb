"""STUB: <watchdog> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('watchdog')
class Watchdog:
    pass
