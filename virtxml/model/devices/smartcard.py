"""STUB: <smartcard> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('smartcard')
class Smartcard:
    pass
