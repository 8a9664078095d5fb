"""STUB: to be completed (model area)."""

from __future__ import annotations

from ..binding import xml


@xml('seclabel')
class Seclabel:
    pass


@xml('keywrap')
class Keywrap:
    pass


@xml('launchSecurity')
class LaunchSecurity:
    pass
