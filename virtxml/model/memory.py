"""STUB: to be completed (model area)."""

from __future__ import annotations

from ..binding import xml


@xml('maxMemory')
class MaxMemory:
    pass


@xml('memory')
class MemoryElement:
    pass


@xml('blkiotune')
class Blkiotune:
    pass


@xml('memtune')
class Memtune:
    pass


@xml('memoryBacking')
class MemoryBacking:
    pass
