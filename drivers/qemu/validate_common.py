"""Helpers shared by the QEMU driver's domain and device validation."""

from __future__ import annotations

from typing import Any

from postparse.memory import numa_cells
from virtxml.errors import ValidationError

from . import options
from .util import arch, emulator, machine


def _caps(dom: Any, ctx: Any) -> Any:
    if ctx.data is not None:
        return ctx.data
    src = options.caps_source(ctx)
    binary = emulator(dom)
    caps = src.for_binary(binary) if binary else None
    if caps is None:
        raise ValidationError(f"Cannot check QEMU binary {binary}: No such file or directory")
    ctx.data = caps
    return caps


def _os_type(dom: Any) -> str:
    t = getattr(getattr(dom, "os", None), "type", None)
    for n in ("value", "type", "text", "os_type"):
        v = getattr(t, n, None)
        if isinstance(v, str):
            return v
    return "hvm"


def _feature(dom: Any, name: str) -> Any:
    return getattr(getattr(dom, "features", None), name, None)


def _state(v: Any) -> Any:
    """on/off/absent of a feature element or flag (True/False/None)."""
    if v is None or v is False:
        return None
    if v is True:
        return True
    is_on = getattr(v, "is_on", None)
    if is_on is not None:
        # a feature whose presence alone does not turn it on (<hpt/>)
        return True if is_on() else None
    st = getattr(v, "state", None)
    if st is None:
        return True
    if isinstance(st, str):
        return st == "on"
    return st


def _unsupported(feature: str, dom: Any) -> ValidationError:
    return ValidationError(f"The '{feature}' feature is not supported for architecture '{arch(dom)}' "
                           f"or machine type '{machine(dom)}'")


def _require_shared_memory(dom: Any, name: str) -> None:
    """qemuValidateDomainDefVhostUserRequireSharedMemory."""
    access = getattr(getattr(getattr(dom, "memory_backing", None), "access", None), "mode", None)
    cells = numa_cells(dom)
    if not cells and access != "shared":
        raise ValidationError(f"'{name}' requires shared memory")
    for c in cells:
        ma = getattr(c, "mem_access", None)
        if (ma is None and access != "shared") or ma == "private":
            raise ValidationError(f"'{name}' requires shared memory")


def _iothread_ids(dom: Any) -> set[int]:
    ids = getattr(dom, "iothreadids", None)
    return {int(t.id) for t in (getattr(ids, "iothreads", None) or []) if getattr(t, "id", None) is not None}
