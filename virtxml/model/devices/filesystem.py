"""STUB: <filesystem> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('filesystem')
class Filesystem:
    pass
