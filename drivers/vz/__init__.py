"""libvirt's Virtuozzo driver (``vz:///system``, src/vz/vz_driver.c and
vz_utils.c).

Parser config (``vzDomainDefParserConfig``): MAC prefix ``42:1c:00``, no
features, no default arch (the host's).  Callbacks:

* domain post-parse (``vzDomainDefPostParse``): the (os type, arch, virt
  type) triple must be in the host capabilities (``could not find
  capabilities for ...``); with graphics, an implicit mouse and keyboard
  (bus ``parallels`` for containers — os type exe —, ``ps2`` otherwise);
* device post-parse (``vzDomainDeviceDefPostParse``): an ``<interface>`` of
  type network or bridge with no model on an hvm guest gets model
  ``e1000``;
* domain validate (``vzCheckUnsupportedControllers``): controller types
  other than ide/scsi/sata → ``Unsupported controller type %s``; a SCSI
  controller model other than the server's (virtio-scsi on Virtuozzo 7,
  buslogic on 6) → ``Unsupported SCSI controller model %s``;
* device validate: disks (``vzCheckUnsupportedDisk``: device, block sizes,
  I/O limits, wwn/vendor/product, error policy, io mode, copy-on-read,
  startup policy, transient, discard, iothread, storage type, drive
  address, format, bus) and graphics (``vzCheckUnsupportedGraphics``: VNC
  only, no websocket, keymap en-us only, no exclusive share policy, no
  connected=fail/keep, no password expiry, at most one address listen).

The server version decides the disk formats and SCSI model
(``vzInitCaps``): Virtuozzo 7 unless ``ctx.options["vz_version"]`` is 6.

Host capabilities: ``--host-caps FILE`` or the built-in ``vz-test`` profile
(``vzBuildCapabilities`` on an x86_64 host: guests exe and hvm for i686 and
x86_64, emulators ``parallels`` / ``vz`` with domain types parallels / vz;
testdata/hosts/vz-test.xml)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from drivers.common import check_domain_supported, host_caps_for, make_host_caps
from drivers.vmx.helpers import maybe_add_input
from postparse.disks import disk_name_to_index, target_bus, target_dev
from postparse.driver import Driver, Feature, PostParseContext
from postparse.util import devlist, device_kind, get, os_type
from virtxml.caps.hostcaps import HostCaps
from virtxml.errors import ValidationError

DISK_BUSES = ("ide", "scsi", "sata")
CONTROLLER_TYPES = ("ide", "scsi", "sata")


@lru_cache(maxsize=1)
def builtin_host_caps() -> HostCaps:
    guests = []
    for ostype in ("exe", "hvm"):
        for arch, ws in (("i686", 32), ("x86_64", 64)):
            for emulator, virt in (("parallels", "parallels"), ("vz", "vz")):
                guests.append((ostype, arch, ws, emulator, [virt]))
    return make_host_caps("x86_64", guests)


def vz_caps(ctx: PostParseContext) -> dict[str, str]:
    """vzInitCaps: disk formats and SCSI model of the server version."""
    if int((ctx.options or {}).get("vz_version", 7)) < 7:
        return {"ct_format": "ploop", "vm_format": "ploop", "scsi_model": "buslogic"}
    return {"ct_format": "ploop", "vm_format": "qcow2", "scsi_model": "virtio-scsi"}


def _err(msg: str) -> ValidationError:
    return ValidationError(msg)


def check_controllers(dom: Any, caps: dict[str, str]) -> None:
    for c in devlist(dom, "controllers"):
        ctype = get(c, "type")
        if ctype not in CONTROLLER_TYPES:
            raise _err("Unsupported controller type %s" % ctype)
        model = get(c, "model")
        if ctype == "scsi" and model not in (None, "default", "auto", caps["scsi_model"]):
            raise _err("Unsupported SCSI controller model %s" % model)


def _bus_device_index(disk: Any) -> tuple[int, int] | None:
    """virDiskNameToBusDeviceIndex."""
    idx = disk_name_to_index(target_dev(disk))
    if idx < 0:
        return None
    bus = target_bus(disk)
    if bus == "ide":
        return idx // 2, idx % 2
    if bus == "scsi":
        return idx // 7, idx % 7
    return 0, idx


def _check_drive_address(disk: Any) -> None:
    dst = target_dev(disk)
    addr = get(disk, "address")
    ctrl, dbus = int(get(addr, "controller") or 0), int(get(addr, "bus") or 0)
    tgt, unit = int(get(addr, "target") or 0), int(get(addr, "unit") or 0)
    if ctrl > 0:
        raise _err("Invalid drive address of disk %s, vz driver supports only one controller." % dst)
    if tgt > 0:
        raise _err("Invalid drive address of disk %s, vz driver supports only target 0." % dst)
    bus = target_bus(disk)
    if bus == "ide":
        if unit > 1:
            raise _err("Invalid drive address of disk %s, vz driver supports only units 0-1 for IDE bus."
                       % dst)
    elif bus in ("scsi", "sata"):
        if dbus > 0:
            raise _err("Invalid drive address of disk %s, vz driver supports only bus 0 for SATA and SCSI bus."
                       % dst)
    else:
        raise _err("Specified disk bus is not supported by vz driver.")
    bd = _bus_device_index(disk)
    if bd is None:
        raise _err("cannot convert disk '%s' to bus/device index" % dst)
    if bd != (dbus, unit):
        raise _err("Invalid drive address of disk %s, vz driver does not support non default name mappings."
                   % dst)


def _check_disk_params(disk: Any) -> None:
    """vzCheckDiskUnsupportedParams."""
    device = get(disk, "device") or "disk"
    if device not in ("disk", "cdrom"):
        raise _err("Only hard disks and cdroms are supported by vz driver.")
    bio = get(disk, "blockio")
    if get(bio, "logical_block_size") or get(bio, "physical_block_size"):
        raise _err("Setting disk block sizes is not supported by vz driver.")
    iot = get(disk, "iotune")
    if any(get(iot, f) for f in ("total_bytes_sec", "read_bytes_sec", "write_bytes_sec",
                                 "total_iops_sec", "read_iops_sec", "write_iops_sec")):
        raise _err("Setting disk io limits is not supported by vz driver yet.")
    if get(disk, "wwn"):
        raise _err("Setting disk wwn id is not supported by vz driver.")
    if get(disk, "vendor"):
        raise _err("Setting disk vendor is not supported by vz driver.")
    if get(disk, "product"):
        raise _err("Setting disk product id is not supported by vz driver.")
    drv = get(disk, "driver")
    if get(drv, "error_policy") not in (None, "default"):
        raise _err("Setting disk error policy is not supported by vz driver.")
    if get(drv, "io") not in (None, "default", "native"):
        raise _err("Only native iomode is supported by vz driver.")
    if get(drv, "copy_on_read"):
        raise _err("Disk copy_on_read is not supported by vz driver.")
    if get(get(disk, "source"), "startup_policy") not in (None, "default"):
        raise _err("Setting up disk startup policy is not supported by vz driver.")
    if get(disk, "transient"):
        raise _err("Transient disks are not supported by vz driver.")
    if get(drv, "discard") not in (None, "default"):
        raise _err("Setting up disk discard parameter is not supported by vz driver.")
    if get(drv, "iothread"):
        raise _err("Setting up disk io thread # is not supported by vz driver.")
    if (get(disk, "type") or "file") not in ("file", "block"):
        raise _err("Only disk and block storage types are supported by vz driver.")
    _check_drive_address(disk)


def _source_path(disk: Any) -> str | None:
    src = get(disk, "source")
    path: str | None = get(src, "file") or get(src, "dev")
    return path


def check_disk(dom: Any, disk: Any, caps: dict[str, str]) -> None:
    """vzCheckUnsupportedDisk."""
    _check_disk_params(disk)
    dtype = get(disk, "type") or "file"
    if dtype == "file" and (get(disk, "device") or "disk") == "disk":
        fmt = caps["ct_format"] if os_type(dom) == "exe" else caps["vm_format"]
    else:
        fmt = "raw"
    have = get(get(disk, "driver"), "type")
    if have not in (None, "none") and have != fmt:
        raise _err("Unsupported format of disk %s" % _source_path(disk))
    if target_bus(disk) not in DISK_BUSES:
        raise _err("Unsupported disk bus type %s" % target_bus(disk))


def check_graphics(gr: Any) -> None:
    """vzCheckUnsupportedGraphics."""
    if get(gr, "type") != "vnc":
        raise _err("vz driver supports only VNC graphics.")
    if get(gr, "websocket"):
        raise _err("vz driver doesn't support websockets for VNC graphics.")
    keymap = get(gr, "keymap")
    if keymap and keymap != "en-us":
        raise _err("vz driver supports only \"en-us\" keymap for VNC graphics.")
    if get(gr, "share_policy") == "allow-exclusive":
        raise _err("vz driver doesn't support exclusive share policy for VNC graphics.")
    if get(gr, "connected") in ("fail", "keep"):
        raise _err("vz driver doesn't support given action in case of password change.")
    if get(gr, "passwd_valid_to"):
        raise _err("vz driver doesn't support setting password expire time.")
    listens = get(gr, "listens") or []
    if len(listens) > 1:
        raise _err("vz driver doesn't support more than one listening VNC server per domain")
    if len(listens) == 1 and get(listens[0], "type") != "address":
        raise _err("vz driver supports only address-based VNC listening")


class VzDriver(Driver):
    name = "vz"
    features = Feature.NONE
    def_arch = None
    mac_prefix = "42:1c:00"
    description = "libvirt's Virtuozzo driver; host caps from --host-caps or vz-test"

    def host_caps(self, ctx: PostParseContext) -> HostCaps:
        return host_caps_for(ctx, builtin_host_caps)

    def domain(self, dom: Any, ctx: PostParseContext) -> None:
        check_domain_supported(dom, self.host_caps(ctx))
        if devlist(dom, "graphics"):
            bus = "parallels" if os_type(dom) == "exe" else "ps2"
            maybe_add_input(dom, "mouse", bus)
            maybe_add_input(dom, "keyboard", bus)

    def device(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        if (device_kind(dev) == "interface" and get(dev, "type") in ("network", "bridge")
                and not get(get(dev, "model"), "type") and os_type(dom) == "hvm"):
            from postparse.implicit import field_class

            dev.model = field_class(type(dev), "model")(type="e1000")

    def validate(self, dom: Any, ctx: PostParseContext) -> None:
        check_controllers(dom, vz_caps(ctx))

    def device_validate(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        kind = device_kind(dev)
        if kind == "disk":
            check_disk(dom, dev, vz_caps(ctx))
        elif kind == "graphics":
            check_graphics(dev)


driver = VzDriver()

__all__ = ["VzDriver", "driver", "builtin_host_caps", "check_disk", "check_graphics", "check_controllers"]
