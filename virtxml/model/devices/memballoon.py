"""STUB: <memballoon> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('memballoon')
class Memballoon:
    pass
