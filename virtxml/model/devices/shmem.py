"""STUB: <shmem> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('shmem')
class Shmem:
    pass
