"""libvirt's Xen driver (libxl, ``xen:///system``, src/libxl/libxl_domain.c).

Parser config (``libxlDomainDefParserConfig``): MAC prefix ``00:16:3e``,
generated tap prefix ``vif`` (netPrefix, dropped on inactive parse), features
USER_ALIAS, FW_AUTOSELECT, NET_MODEL_STRING; no default arch (host arch).

Device post-parse (``libxlDomainDeviceDefPostParse``):

* console with target type ``none`` on a non-HVM guest → target ``xen``;
* ``<hostdev>`` (or ``<interface type='hostdev'>``) in mode capabilities →
  ``hostdev mode 'capabilities' is not supported in xen``; a PCI hostdev
  with the default backend gets ``<driver name='xen'/>``;
* video model ``default`` → ``xen`` (os type xen/linux), ``vga`` (ppc64),
  else ``cirrus``; on HVM guests an unset ``vram`` becomes 16 MiB (vga,
  xen) / 8 MiB (cirrus) with the qemu-xen device model, 8 / 4 MiB with
  qemu-xen-traditional, 128 MiB for qxl;
* disks: network disks get driver name ``qemu``; no format → ``raw``.

Domain post-parse (``libxlDomainDefPostParse``): non-HVM guest without a
console → a PTY console (target xen, port 0); implicit mouse and keyboard
(bus ps2 for HVM, xen otherwise, ``xenDomainDefAddImplicitInputDevice``);
x86_64 HVM: ``<pae/>`` on, and ``<acpi/>`` on when guest NUMA (vNUMA) is
configured; a ``xen`` memballoon when there is none; a ``xenbus``
controller (first free index) when there is none.

Validation (``libxlDomainDefValidate``): the (os type, arch, virt type)
triple must be in the host capabilities (``could not find capabilities
for ...``); EFI firmware with the ``secure-boot`` feature, or an old-style
UEFI loader with ``secure='yes'`` → ``Secure boot is not supported on Xen``;
first sound device of a model other than ich6/es1370/ac97/sb16 →
``unsupported audio model %s``.  At define time
(``libxlDomainDefineXMLFlags``) a newline in the name is refused
(``invalid char in name: ...``); run here after the generic validation.

Device model: libvirt runs the ``<emulator>`` with ``-help`` to tell
qemu-xen-traditional from qemu-xen (``libxlDomainGetEmulatorType``); an
emulator that does not exist counts as qemu-xen.  virtxml never runs
binaries: qemu-xen unless ``ctx.options["libxl_device_model"]`` is
``"qemu-xen-traditional"``.

Host capabilities: ``--host-caps FILE`` or the built-in ``libxl-test``
profile, the host of libvirt's libxl tests (tests/testutilsxen.c
``testXLInitCaps``): x86_64 host; guests hvm (machine xenfv, loader
hvmloader), xen (xenpv) and xenpvh (xenpvh), arch x86_64, emulator
``/usr/lib/xen/bin/qemu-system-i386``, domain type xen
(testdata/hosts/libxl-test.xml).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from drivers.common import check_domain_supported, host_caps_for, make_host_caps
from drivers.vmx.helpers import (after_generic_validation, check_name_newline, default_video_type,
                                 guest_with_machines, is_video, maybe_add_input, reject_capabilities_hostdev)
from postparse.chr import chr_kind, set_target_type, target_type
from postparse.driver import Driver, Feature, PostParseContext
from postparse.implicit import device_class, ensure_devices, field_class
from postparse.util import arch_is_ppc64, devlist, device_kind, get, os_arch, os_type
from virtxml.caps.hostcaps import HostCaps
from virtxml.errors import ValidationError

XEN_EMULATOR = "/usr/lib/xen/bin/qemu-system-i386"
HVMLOADER = "/usr/lib/xen/boot/hvmloader"
QEMU_XEN = "qemu-xen"
QEMU_XEN_TRADITIONAL = "qemu-xen-traditional"
SOUND_MODELS = ("ich6", "es1370", "ac97", "sb16")


@lru_cache(maxsize=1)
def builtin_host_caps() -> HostCaps:
    caps = make_host_caps("x86_64", [
        ("hvm", "x86_64", 64, XEN_EMULATOR, ["xen"]),
        ("xen", "x86_64", 64, XEN_EMULATOR, ["xen"]),
        ("xenpvh", "x86_64", 64, XEN_EMULATOR, ["xen"]),
    ])
    guest_with_machines(caps, "hvm", "x86_64", ["xenfv"], loader=HVMLOADER)
    guest_with_machines(caps, "xen", "x86_64", ["xenpv"])
    guest_with_machines(caps, "xenpvh", "x86_64", ["xenpvh"])
    return caps


def device_model(ctx: PostParseContext) -> str:
    return (ctx.options or {}).get("libxl_device_model") or QEMU_XEN


def default_video(dom: Any) -> str:
    if os_type(dom) in ("xen", "linux"):
        return "xen"
    if arch_is_ppc64(os_arch(dom)):
        return "vga"
    return "cirrus"


def default_vram(vtype: str | None, dm: str) -> int | None:
    """KiB for an unset vram of an HVM guest's video (libxl device callback)."""
    if vtype in ("vga", "xen"):
        return 16 * 1024 if dm == QEMU_XEN else 8 * 1024
    if vtype == "cirrus":
        return 8 * 1024 if dm == QEMU_XEN else 4 * 1024
    if vtype == "qxl":
        return 128 * 1024
    return None


def _video(dom: Any, dev: Any, ctx: PostParseContext) -> None:
    default_video_type(dev, default_video(dom))
    model = get(dev, "model")
    if os_type(dom) == "hvm" and model is not None and not get(model, "vram"):
        vram = default_vram(get(model, "type"), device_model(ctx))
        if vram:
            model.vram = vram


def _hostdev(dom: Any, dev: Any) -> None:
    reject_capabilities_hostdev(dom, dev)
    if get(dev, "mode") == "subsystem" and get(dev, "type") == "pci":
        drv = get(dev, "driver")
        if drv is None:
            dev.driver = field_class(type(dev), "driver")(name="xen")
        elif get(drv, "name") in (None, "default"):
            drv.name = "xen"


def _net_hostdev(net: Any) -> None:
    addr = get(get(net, "source"), "hostdev_address")
    is_pci = addr is None or get(addr, "type") in (None, "pci")
    if is_pci and get(net, "hostdev_backend_name") in (None, "default"):
        net.hostdev_backend_name = "xen"


def _disk(disk: Any) -> None:
    drv = get(disk, "driver")
    if drv is None:
        drv = field_class(type(disk), "driver")()
        disk.driver = drv
    if get(disk, "type") == "network" and not get(drv, "name"):
        drv.name = "qemu"
    if not get(drv, "type"):
        drv.type = "raw"


def _pv_console(dom: Any) -> Any:
    cls = device_class("consoles")
    con = cls(type="pty")
    tcls = field_class(cls, "target")
    con.target = tcls(type="xen", port=0)
    return con


def _set_feature_on(dom: Any, name: str) -> None:
    feats = get(dom, "features")
    if feats is None:
        from virtxml.model.features import Features

        feats = Features()
        dom.features = feats
    setattr(feats, name, True)


def _numa_cells(dom: Any) -> int:
    return len(get(get(get(dom, "cpu"), "numa"), "cells") or [])


def _first_unused_index(dom: Any, ctype: str) -> int:
    used = {int(get(c, "index") or 0) for c in devlist(dom, "controllers") if get(c, "type") == ctype}
    idx = 0
    while idx in used:
        idx += 1
    return idx


def secure_boot_requested(dom: Any) -> bool:
    os_ = get(dom, "os")
    if get(os_, "firmware") == "efi":
        for f in get(get(os_, "firmware_info"), "features") or []:
            if get(f, "name") == "secure-boot" and get(f, "enabled"):
                return True
    loader = get(os_, "loader")
    # virDomainDefHasOldStyleUEFI: a pflash loader
    if loader is not None and get(loader, "type") == "pflash" and get(loader, "secure") is True:
        return True
    return False


class LibxlDriver(Driver):
    name = "libxl"
    features = Feature.USER_ALIAS | Feature.FW_AUTOSELECT | Feature.NET_MODEL_STRING
    def_arch = None
    mac_prefix = "00:16:3e"
    net_prefix = "vif"
    description = "libvirt's Xen driver (libxl); host caps from --host-caps or libxl-test"

    def host_caps(self, ctx: PostParseContext) -> HostCaps:
        return host_caps_for(ctx, builtin_host_caps)

    def device(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        kind = device_kind(dev)
        if (chr_kind(dev) == "console" and target_type(dev) in (None, "none")
                and os_type(dom) != "hvm"):
            set_target_type(dev, "xen")
        if kind == "hostdev":
            _hostdev(dom, dev)
        elif kind == "interface" and get(dev, "type") == "hostdev":
            _net_hostdev(dev)
        if is_video(dev):
            _video(dom, dev, ctx)
        if kind == "disk":
            _disk(dev)

    def domain(self, dom: Any, ctx: PostParseContext) -> None:
        hvm = os_type(dom) == "hvm"
        if not hvm and not devlist(dom, "consoles"):
            ensure_devices(dom).consoles.append(_pv_console(dom))
        bus = "ps2" if hvm else "xen"
        maybe_add_input(dom, "mouse", bus)
        maybe_add_input(dom, "keyboard", bus)
        if hvm and os_arch(dom) == "x86_64":
            _set_feature_on(dom, "pae")
            if _numa_cells(dom) > 0:
                _set_feature_on(dom, "acpi")
        devs = ensure_devices(dom)
        if get(devs, "memballoon") is None:
            devs.memballoon = field_class(type(devs), "memballoon")(model="xen")
        if not any(get(c, "type") == "xenbus" for c in devlist(dom, "controllers")):
            devs.controllers.append(device_class("controllers")(type="xenbus",
                                                                index=_first_unused_index(dom, "xenbus")))

    def validate(self, dom: Any, ctx: PostParseContext) -> None:
        check_domain_supported(dom, self.host_caps(ctx))
        if secure_boot_requested(dom):
            raise ValidationError("Secure boot is not supported on Xen")
        sounds = devlist(dom, "sounds")
        if sounds and get(sounds[0], "model") not in SOUND_MODELS:
            raise ValidationError("unsupported audio model %s" % get(sounds[0], "model"))
        after_generic_validation(dom, ctx, lambda: check_name_newline(dom))


driver = LibxlDriver()

__all__ = ["LibxlDriver", "driver", "builtin_host_caps", "default_video", "default_vram",
           "secure_boot_requested", "QEMU_XEN", "QEMU_XEN_TRADITIONAL"]
