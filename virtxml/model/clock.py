"""STUB: to be completed (model area)."""

from __future__ import annotations

from ..binding import xml


@xml('clock')
class Clock:
    pass
