"""STUB: <vsock> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('vsock')
class Vsock:
    pass
