"""STUB: to be completed (model area)."""

from __future__ import annotations

from ..binding import xml


@xml('pm')
class PM:
    pass


@xml('perf')
class Perf:
    pass
