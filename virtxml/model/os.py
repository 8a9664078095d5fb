"""STUB: to be completed (model area)."""

from __future__ import annotations

from ..binding import xml


@xml('os')
class OS:
    pass


@xml('idmap')
class Idmap:
    pass
