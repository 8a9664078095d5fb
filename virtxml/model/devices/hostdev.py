"""STUB: <hostdev> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('hostdev')
class Hostdev:
    pass
