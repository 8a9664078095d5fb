"""STUB: to be completed (model area)."""

from __future__ import annotations

from ..binding import xml


@xml('vcpu')
class Vcpu:
    pass


@xml('vcpus')
class Vcpus:
    pass


@xml('iothreadids')
class IOThreadIDs:
    pass


@xml('defaultiothread')
class DefaultIOThread:
    pass


@xml('cputune')
class Cputune:
    pass


@xml('numatune')
class Numatune:
    pass


@xml('resource')
class Resource:
    pass


@xml('cpu')
class CPU:
    pass
