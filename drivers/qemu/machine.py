"""Emulator and machine-type defaulting (behaviour §2.4, §4.2, §4.3):
qemuDomainDefPostParseBasic, qemuDomainPostParseDataAlloc,
qemuDomainDefMachinePostParse / qemuCanonicalizeMachine."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError, PostParseTolerableError

from . import options
from .util import (arch, emulator, ensure_devices, field_class, machine, new_obj, set_machine,
                   virt_type)


def basic(dom: Any, ctx: Any) -> None:
    """No ``<emulator>``: the default emulator for the guest arch, else the
    tolerable "No emulator found for arch '%s'"."""
    if emulator(dom):
        return
    src = options.caps_source(ctx)
    found = src.default_emulator(arch(dom))
    if not found:
        raise PostParseTolerableError(f"No emulator found for arch '{arch(dom)}'")
    ensure_devices(dom).emulator = found


def data_alloc(dom: Any, ctx: Any) -> Any:
    """The capabilities of the binary the XML names; none → tolerable."""
    binary = emulator(dom)
    src = options.caps_source(ctx)
    caps = src.for_binary(binary) if binary else None
    if caps is None:
        msg = _lookup_error(binary, src)
        ctx.options["_qemu_caps_error"] = msg
        raise PostParseTolerableError(msg)
    return caps


def _lookup_error(binary: str | None, src: Any) -> str:
    """libvirt's text for a failed virQEMUCapsCacheLookup of ``binary``."""
    import errno
    import os

    if not binary:
        return "No emulator found for arch"
    recorded = getattr(src, "errors", {}).get(binary)
    if recorded:
        return recorded
    exists = getattr(src, "_exists", None)
    fake = getattr(src, "existing_binaries", None) is not None
    if fake:
        present = bool(exists and exists(binary))
    else:
        present = os.path.exists(binary)
    if not present:
        return f"Cannot check QEMU binary {binary}: {os.strerror(errno.ENOENT)}"
    if not fake and not os.access(binary, os.X_OK):
        return f"QEMU binary {binary} is not executable: {os.strerror(errno.EACCES)}"
    return f"no capabilities known for QEMU binary {binary}"


def machine_post_parse(dom: Any, caps: Any) -> None:
    """Preferred machine when none is given, then alias -> canonical name."""
    vt = virt_type(dom)
    if not machine(dom):
        pref = caps.preferred_machine(vt)
        if not pref:
            raise PostParseError(f"could not get preferred machine for {emulator(dom)} type={vt}")
        _ensure_os_type(dom)
        set_machine(dom, pref)
    canon = caps.canonical_machine(vt, machine(dom))
    if canon and canon != machine(dom):
        set_machine(dom, canon)


def _ensure_os_type(dom: Any) -> None:
    os_ = getattr(dom, "os", None)
    if os_ is not None and getattr(os_, "type", None) is None:
        cls = field_class(type(os_), "type")
        if cls is not None:
            os_.type = new_obj(cls)


def nvram_default(dom: Any, ctx: Any) -> None:
    """Old-style read-only UEFI (pflash loader, readonly='yes') without
    ``<nvram>`` and not stateless: the NVRAM file is
    ``<nvramDir>/<name>_VARS.fd`` (qemuDomainNVRAMPathGenerate)."""
    os_ = getattr(dom, "os", None)
    loader = getattr(os_, "loader", None)
    if loader is None or getattr(loader, "type", None) != "pflash" or getattr(loader, "readonly", None) is not True:
        return
    if getattr(loader, "stateless", None) is True:
        return
    cfg = options.qemu_conf(ctx)
    nv = getattr(os_, "nvram", None)
    if nv is not None:
        # An <nvram> with only a template (no path, no source) gets the
        # generated path as well.
        if getattr(nv, "path", None) is None and getattr(nv, "source", None) is None:
            nv.path = f"{cfg.nvram_dir}/{getattr(dom, 'name', None)}_VARS.fd"
        return
    cls = field_class(type(os_), "nvram")
    if cls is not None:
        os_.nvram = new_obj(cls, path=f"{cfg.nvram_dir}/{getattr(dom, 'name', None)}_VARS.fd")
