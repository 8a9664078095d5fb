"""STUB: <interface> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('interface')
class Interface:
    pass
