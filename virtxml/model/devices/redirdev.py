"""STUB: USB redirection (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml("redirdev")
class Redirdev:
    pass


@xml("redirfilter")
class RedirFilter:
    pass
