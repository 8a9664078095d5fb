"""STUB: <crypto> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('crypto')
class Crypto:
    pass
