"""STUB: <nvram> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('nvram')
class NVRAM:
    pass
