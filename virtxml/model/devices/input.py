"""STUB: <input> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('input')
class Input:
    pass
