"""STUB: <controller> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('controller')
class Controller:
    pass
