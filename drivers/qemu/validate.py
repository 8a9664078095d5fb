"""QEMU define-time validation (qemuValidateDomainDef /
qemuValidateDomainDeviceDef; behaviour §4.1, §10) with libvirt's texts."""

from __future__ import annotations

from typing import Any

from virtxml.errors import ValidationError

from . import options
from .util import arch, devlist, emulator, get, machine, virt_type


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


def validate_domain(dom: Any, ctx: Any) -> None:
    caps = _caps(dom, ctx)
    emu = emulator(dom)
    ost = get(get(get(dom, "os"), "type"), "value") or get(get(get(dom, "os"), "type"), "type") \
        or get(get(get(dom, "os"), "type"), "text") or "hvm"
    if ost != "hvm":
        raise ValidationError(f"Emulator '{emu}' does not support os type '{ost}'")
    a = arch(dom)
    if not caps.is_arch_supported(a):
        raise ValidationError(f"Emulator '{emu}' does not support arch '{a}'")
    vt = virt_type(dom)
    if not caps.is_virt_type_supported(vt):
        raise ValidationError(f"Emulator '{emu}' does not support virt type '{vt}'")
    m = machine(dom)
    if caps.has_machines() and not caps.is_machine_supported(vt, m):
        raise ValidationError(f"Emulator '{emu}' does not support machine type '{m}'")
    _ = devlist


def validate_device(dom: Any, dev: Any, ctx: Any) -> None:
    return None
