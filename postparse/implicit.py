"""virDomainDefAddImplicitDevices: console compatibility, implicit
controllers (disk buses, virtio-serial, CCID, SCSI hostdevs) and the
implicit video of a guest with graphics."""

from __future__ import annotations

import functools
from typing import Any

from virtxml.errors import PostParseError

from . import chr as chrmod
from .controllers import cindex, ctype
from .disks import target_bus
from .hostdevs import is_scsi_hostdev
from .util import devlist, get, os_type, set_field


@functools.cache
def device_class(list_name: str) -> Any:
    """The model class of ``<devices>`` list ``list_name`` (a fact about
    the model, looked up once)."""
    from virtxml.model.devices import Devices

    cls = field_class(Devices, list_name, _MISSING)
    if cls is _MISSING:
        raise KeyError(list_name)
    return cls


_MISSING = object()


@functools.cache
def field_class(cls: Any, name: str, default: Any = None) -> Any:
    """The model class of field ``name`` of model class ``cls`` (``default``
    when it has no such field); looked up once per class and field."""
    import attrs

    for f in attrs.fields(cls):
        if f.name == name:
            spec = f.metadata.get("virtxml")
            c = getattr(spec, "cls", None)
            if c is not None and not isinstance(c, type):
                c = c()
            return c
    return default


def ensure_devices(dom: Any) -> Any:
    if dom.devices is None:
        from virtxml.model.devices import Devices

        dom.devices = Devices()
    return dom.devices


# ------------------------------------------------------------- consoles

_COMPAT_CLASS: Any = None


def compat_console_class() -> Any:
    """A <console> that libvirt writes as a copy of ``serials[0]`` (HVM
    back-compat, virDomainDefFormatInternal): its formatter reads the
    *current* first serial (type, source, alias, address, ...) and writes it
    with ``<target type='serial' port=...>``."""
    global _COMPAT_CLASS
    if _COMPAT_CLASS is not None:
        return _COMPAT_CLASS
    import attrs

    from virtxml.binding import custom_format, xml

    base = device_class("consoles")

    @xml("console")
    class CompatConsole(base):  # type: ignore[valid-type,misc]
        _compat_serials: Any = attrs.field(default=None, eq=False, repr=False)
        #: a new stub (no <console> of the document behind it)
        _implicit: bool = attrs.field(default=False, eq=False, repr=False)

        @custom_format
        def xml_format(self, out: list[str], ind: str, flags: int) -> None:
            serials = self._compat_serials
            if not serials:
                base.xml_format(self, out, ind, flags)
                return
            ser = serials[0]
            names = {f.name for f in attrs.fields(base) if f.init}
            kw = {f.name: getattr(ser, f.name) for f in attrs.fields(type(ser)) if f.name in names}
            view = base(**kw)
            tgt = getattr(ser, "target", None)
            port = getattr(tgt, "port", None)
            tcls = field_class(base, "target")
            view.target = tcls(type="serial", port=0 if port is None or port < 0 else port)
            view.xml_format(out, ind, flags)

    CompatConsole.__json_name__ = "compat-console"
    _COMPAT_CLASS = CompatConsole
    return CompatConsole


def _register_json() -> None:
    from virtxml.jsonio import register_json_class

    register_json_class("compat-console", compat_console_class)


_register_json()


def _stub_console(dom: Any, like: Any = None) -> Any:
    """libvirt's stub console (target serial); with ``like``, keeps that
    console's own fields."""
    import attrs

    cls = compat_console_class()
    kw: dict[str, Any] = {}
    if like is not None:
        names = {f.name for f in attrs.fields(cls) if f.init}
        kw = {f.name: getattr(like, f.name) for f in attrs.fields(type(like)) if f.name in names}
    con = cls(compat_serials=ensure_devices(dom).serials, implicit=like is None, **kw)
    chrmod.set_target_type(con, "serial")
    return con


def _console_to_serial(con: Any) -> Any:
    """Console ``con`` moved to a <serial> (target type none, port 0)."""
    import attrs

    scls = device_class("serials")
    names = {f.name for f in attrs.fields(scls)}
    kw = {f.name: getattr(con, f.name) for f in attrs.fields(type(con)) if f.name in names and f.init}
    ser = scls(**kw)
    tgt = getattr(ser, "target", None)
    if tgt is not None:
        ser.target = attrs.evolve(tgt, type="none", port=0)
    else:
        tcls = field_class(scls, "target")
        if tcls is not None:
            ser.target = tcls(type="none", port=0)
    return ser


def sources_equal(a: Any, b: Any) -> bool:
    """virDomainChrSourceDefIsEqual: same type and the fields that matter
    for that type."""
    t = getattr(a, "type", None) or "pty"
    if t != (getattr(b, "type", None) or "pty"):
        return False
    sa = getattr(a, "sources", None) or []
    sb = getattr(b, "sources", None) or []
    s0a = sa[0] if sa else None
    s0b = sb[0] if sb else None

    def same(*names: str) -> bool:
        return all(get(s0a, n) == get(s0b, n) for n in names)

    if t == "file":
        return same("append", "path")
    if t in ("pty", "dev", "pipe"):
        return same("path")
    if t == "nmdm":
        return same("master", "slave")
    if t == "udp":
        def hs(lst: list[Any]) -> list[tuple[Any, Any]]:
            return [(getattr(x, "host", None), getattr(x, "service", None)) for x in lst]
        return hs(sa) == hs(sb)
    if t == "tcp":
        return same("mode", "host", "service") and getattr(getattr(a, "protocol", None), "type", None) == getattr(getattr(b, "protocol", None), "type", None)
    if t == "unix":
        return same("mode", "path")
    if t in ("spiceport", "dbus"):
        return same("channel")
    if t == "qemu-vdagent":
        return same("mouse", "clipboard")
    return True


def add_console_compat(dom: Any) -> None:
    consoles = devlist(dom, "consoles")
    for con in consoles[1:]:
        if chrmod.target_type(con) == "serial":
            raise PostParseError("Only the first console can be a serial port")
    hvm = os_type(dom) == "hvm"
    serials = devlist(dom, "serials")
    if consoles and hvm and chrmod.target_type(consoles[0]) in ("serial", "none", None):
        if not serials:
            devs = ensure_devices(dom)
            devs.serials.append(_console_to_serial(consoles[0]))
            consoles[0] = _stub_console(dom)
        elif not sources_equal(serials[0], consoles[0]):
            consoles[0] = _stub_console(dom)
        else:
            # kept, but libvirt writes it as a copy of serials[0] all the same
            consoles[0] = _stub_console(dom, like=consoles[0])
    elif hvm and serials and chrmod.target_type(serials[0]) in (
            "isa-serial", "spapr-vio-serial", "system-serial", "sclp-serial", "none", None):
        devs = ensure_devices(dom)
        devs.consoles.insert(0, _stub_console(dom))


# ---------------------------------------------------------- controllers

def has_controller(dom: Any, type_: str, idx: int) -> bool:
    return any(ctype(c) == type_ and cindex(c) == idx for c in devlist(dom, "controllers"))


def maybe_add_controller(dom: Any, type_: str, idx: int, model: str | None = None, *,
                         _known_missing: bool = False) -> Any:
    """virDomainDefMaybeAddController: append one unless it exists."""
    if not _known_missing and has_controller(dom, type_, idx):
        return None
    cls = device_class("controllers")
    import attrs

    if not any(f.name == "type" for f in attrs.fields(cls)):
        return None  # model not there yet
    kw: dict[str, Any] = {"type": type_, "index": idx}
    if model is not None:
        kw["model"] = model
    cont = cls(**kw)
    ensure_devices(dom).controllers.append(cont)
    return cont


def _drive_controller(dev: Any) -> int | None:
    addr = getattr(dev, "address", None)
    if addr is None or getattr(addr, "type", None) != "drive":
        return None
    return int(getattr(addr, "controller", None) or 0)


def add_disk_controllers(dom: Any, ctype_: str, bus: str) -> None:
    maxc = -1
    for d in devlist(dom, "disks"):
        if target_bus(d) != bus:
            continue
        c = _drive_controller(d)
        if c is not None and c > maxc:
            maxc = c
    if maxc < 0:
        return
    # (one pass over the controllers: a drive address may name controller 65535)
    have = {cindex(c) for c in devlist(dom, "controllers") if ctype(c) == ctype_}
    for i in range(maxc + 1):
        if i not in have:
            maybe_add_controller(dom, ctype_, i, _known_missing=True)


def add_virtio_serial_controllers(dom: Any) -> None:
    for name in ("channels", "consoles"):
        for dev in devlist(dom, name):
            if chrmod.target_type(dev) != "virtio":
                continue
            idx = 0
            addr = getattr(dev, "address", None)
            if addr is not None and getattr(addr, "type", None) == "virtio-serial":
                idx = int(getattr(addr, "controller", None) or 0)
            maybe_add_controller(dom, "virtio-serial", idx)


def add_smartcard_controllers(dom: Any) -> None:
    cards = devlist(dom, "smartcards")
    for card in cards:
        addr = getattr(card, "address", None)
        idx = -1
        if addr is not None and getattr(addr, "type", None) == "ccid":
            idx = int(getattr(addr, "controller", None) or 0)
        elif addr is None:
            mx = -1
            for other in cards:
                oa = getattr(other, "address", None)
                if oa is not None and getattr(oa, "type", None) == "ccid" and not getattr(oa, "controller", None) \
                        and int(getattr(oa, "slot", None) or 0) > mx:
                    mx = int(getattr(oa, "slot", None) or 0)
            from virtxml.model.devices.info import AddressCCID

            if not set_field(card, "address", AddressCCID(controller=0, slot=mx + 1)):
                continue
            idx = 0
        if idx >= 0:
            maybe_add_controller(dom, "ccid", idx)


def add_hostdev_scsi_controllers(dom: Any) -> None:
    """virDomainDefMaybeAddHostdevSCSIcontroller: SCSI controllers 0..max
    for the SCSI hostdevs, with the model of the controller of the
    hostdev that raised the maximum (when it exists and has one)."""
    maxc = -1
    model = None
    for h in devlist(dom, "hostdevs"):
        if not is_scsi_hostdev(h):
            continue
        c = _drive_controller(h)
        c = 0 if c is None else c
        if c > maxc:
            maxc = c
            for cont in devlist(dom, "controllers"):
                if ctype(cont) == "scsi" and cindex(cont) == c and getattr(cont, "model", None) is not None:
                    model = getattr(cont, "model", None)
    for i in range(maxc + 1):
        maybe_add_controller(dom, "scsi", i, model)


def add_implicit_controllers(dom: Any) -> None:
    add_disk_controllers(dom, "scsi", "scsi")
    add_disk_controllers(dom, "fdc", "fdc")
    add_disk_controllers(dom, "ide", "ide")
    add_disk_controllers(dom, "sata", "sata")
    add_virtio_serial_controllers(dom)
    add_smartcard_controllers(dom)
    add_hostdev_scsi_controllers(dom)


# ---------------------------------------------------------------- video

def add_implicit_video(dom: Any) -> None:
    if not devlist(dom, "graphics") or devlist(dom, "videos"):
        return
    vcls = device_class("videos")
    mcls = field_class(vcls, "model")
    video = vcls()
    if mcls is not None:
        kw: dict[str, Any] = {"type": "default"}
        import attrs

        if any(f.name == "heads" for f in attrs.fields(mcls)):
            kw["heads"] = 1
        video.model = mcls(**kw)
    ensure_devices(dom).videos.append(video)


def add_implicit_devices(dom: Any) -> None:
    add_console_compat(dom)
    add_implicit_controllers(dom)
    add_implicit_video(dom)
