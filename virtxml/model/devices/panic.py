"""STUB: <panic> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('panic')
class Panic:
    pass
