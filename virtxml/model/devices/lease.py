"""STUB: <lease> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('lease')
class Lease:
    pass
