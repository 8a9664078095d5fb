"""STUB: character devices (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml("serial")
class Serial:
    pass


@xml("parallel")
class Parallel:
    pass


@xml("console")
class Console:
    pass


@xml("channel")
class Channel:
    pass
