"""Generic, driver-independent validation (libvirt's
virDomainDeviceDefValidateInternal and virDomainDefValidateInternal,
behaviour §10).  Skipped with ParseFlags.SKIP_VALIDATE."""

from __future__ import annotations

from typing import Any

from virtxml.errors import ValidationError

from . import chr as chrmod
from .disks import target_bus, target_dev
from .hostdevs import address_used_by_disk, is_scsi_hostdev
from .util import device_kind, devlist, get

LIFECYCLE_EVENTS = (("on_poweroff", "poweroff"), ("on_reboot", "reboot"), ("on_crash", "crash"))
SERIAL_CHANNEL_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")


# ------------------------------------------------------------ chardevs

def chr_source(dev: Any) -> Any:
    """The (first) <source> of a chardev-like object."""
    src = get(dev, "source")
    if src is None:
        srcs = get(dev, "sources")
        if srcs:
            src = srcs[0]
    return src


def validate_reconnect(rec: Any) -> None:
    if rec is None:
        return
    if get(rec, "enabled") is True and not get(rec, "timeout"):
        raise ValidationError("chardev reconnect source timeout cannot be '0'")


def validate_chr_source(ctype: str | None, src: Any, chr_dev: Any | None) -> None:
    """virDomainChrSourceDefValidate."""
    if ctype in ("file", "dev", "pipe"):
        if not get(src, "path"):
            raise ValidationError("Missing source path attribute for char device")
    elif ctype == "nmdm":
        if not get(src, "master"):
            raise ValidationError("Missing master path attribute for nmdm device")
        if not get(src, "slave"):
            raise ValidationError("Missing slave path attribute for nmdm device")
    elif ctype == "tcp":
        if not get(src, "host"):
            raise ValidationError("Missing source host attribute for char device")
        if not get(src, "service"):
            raise ValidationError("Missing source service attribute for char device")
        rec = get(src, "reconnect")
        if get(src, "mode") == "bind" and get(rec, "enabled") is True:
            raise ValidationError("chardev reconnect is possible only for connect mode")
        validate_reconnect(rec)
    elif ctype == "udp":
        if not _udp_connect_service(src, chr_dev):
            raise ValidationError("Missing source service attribute for char device")
    elif ctype == "unix":
        auto_ok = chr_dev is not None and chrmod.chr_kind(chr_dev) == "channel" and \
            chrmod.target_type(chr_dev) in ("xen", "virtio")
        if not get(src, "path") and not auto_ok:
            raise ValidationError("Missing source path attribute for char device")
        rec = get(src, "reconnect")
        if get(src, "mode") == "bind" and get(rec, "enabled") is True:
            raise ValidationError("chardev reconnect is possible only for connect mode")
        validate_reconnect(rec)
    elif ctype == "spiceport":
        ch = get(src, "channel")
        if not ch:
            raise ValidationError("Missing source channel attribute for char device")
        if any(c not in SERIAL_CHANNEL_NAME_CHARS for c in ch):
            raise ValidationError("Invalid character in source channel for char device")


def _udp_connect_service(src: Any, dev: Any) -> Any:
    # udp has two <source> elements (bind and connect); the model may keep
    # them as a list or as one merged object
    srcs = get(dev, "sources") if dev is not None else None
    if srcs:
        for s in srcs:
            if get(s, "mode") in ("connect", None) and get(s, "service"):
                return get(s, "service")
        return None
    return get(src, "connect_service") or get(src, "service")


def validate_chr_device(dev: Any) -> None:
    validate_chr_source(get(dev, "type"), chr_source(dev), dev)


# -------------------------------------------------------------- devices

def validate_device(dom: Any, dev: Any, ctx: Any) -> None:
    kind = device_kind(dev)
    if kind in chrmod.CHR_LISTS:
        validate_chr_device(dev)
    elif kind == "smartcard":
        if get(dev, "mode") == "passthrough":
            validate_chr_source(get(dev, "type"), chr_source(dev), None)
    elif kind == "redirdev":
        validate_chr_source(get(dev, "type"), chr_source(dev), None)
    elif kind == "rng":
        backend = get(dev, "backend")
        if get(backend, "model") == "egd":
            validate_chr_source(get(backend, "type"), chr_source(backend), None)
    elif kind == "graphics":
        for ls in (get(dev, "listens") or []):
            if get(ls, "type") == "network" and not get(ls, "network"):
                raise ValidationError("'network' attribute is required for listen type 'network'")


# --------------------------------------------------------------- domain

def _source_name(disk: Any) -> str:
    src = get(disk, "source")
    for name in ("file", "dev", "dir", "name", "volume", "path"):
        v = get(src, name)
        if isinstance(v, str):
            return v
    return "<null>"


def check_duplicate_disk_targets(dom: Any) -> None:
    disks = devlist(dom, "disks")
    for i, a in enumerate(disks):
        for b in disks[i + 1:]:
            if target_dev(a) is not None and target_dev(a) == target_dev(b):
                raise ValidationError("target '%s' duplicated for disk sources '%s' and '%s'"
                                      % (target_dev(a), _source_name(a), _source_name(b)))


def _drive(dev: Any) -> tuple[int, int, int, int] | None:
    addr = get(dev, "address")
    if addr is None or get(addr, "type") != "drive":
        return None
    return (int(get(addr, "controller") or 0), int(get(addr, "bus") or 0),
            int(get(addr, "target") or 0), int(get(addr, "unit") or 0))


def check_duplicate_drive_addresses(dom: Any) -> None:
    disks = devlist(dom, "disks")
    for i, a in enumerate(disks):
        ad = _drive(a)
        if ad is None:
            continue
        for b in disks[i + 1:]:
            if target_bus(a) == target_bus(b) and _drive(b) == ad:
                raise ValidationError(
                    "Found duplicate drive address for disk with target name '%s' controller='%u' "
                    "bus='%u' target='%u' unit='%u'" % ((target_dev(a),) + ad))
    hostdevs = [h for h in devlist(dom, "hostdevs") if is_scsi_hostdev(h)]
    for i, a in enumerate(hostdevs):
        ad = _drive(a)
        if ad is None:
            continue
        # libvirt prints bus in controller= and controller in bus=
        quirk = (ad[1], ad[0], ad[2], ad[3])
        for b in hostdevs[i + 1:]:
            if _drive(b) == ad:
                raise ValidationError("SCSI host address controller='%u' bus='%u' target='%u' unit='%u' "
                                      "in use by another SCSI host device" % quirk)
        if address_used_by_disk(dom, "scsi", ad):
            raise ValidationError("SCSI host address controller='%u' bus='%u' target='%u' unit='%u' "
                                  "in use by another SCSI disk" % quirk)


def check_lifecycle(dom: Any) -> None:
    for field, event in LIFECYCLE_EVENTS[:2]:
        action = get(dom, field)
        if action in ("coredump-destroy", "coredump-restart"):
            raise ValidationError("Lifecycle event '%s' doesn't support '%s' action" % (event, action))


def check_boot_timeouts(dom: Any) -> None:
    os_ = get(dom, "os")
    bm = get(os_, "bootmenu")
    timeout = get(bm, "timeout")
    if timeout is not None and not 0 <= int(timeout) <= 65535:
        raise ValidationError("invalid value for boot menu timeout, must be in range [0,65535]")
    bios = get(os_, "bios")
    rt = get(bios, "reboot_timeout")
    if rt is not None and not -1 <= int(rt) <= 65535:
        raise ValidationError("invalid value for rebootTimeout, must be in range [-1,65535]")


def check_videos(dom: Any) -> None:
    for v in devlist(dom, "videos")[1:]:
        if get(get(v, "model"), "primary"):
            raise ValidationError("Only one primary video device is supported")


def check_audio(dom: Any) -> None:
    audios = devlist(dom, "audios")
    ids: set[int] = set()
    for a in audios:
        i = get(a, "id")
        if i in ids:
            raise ValidationError("audio ID %u is used multiple times" % i)
        ids.add(i)
    for name in ("sounds", "graphics"):
        for dev in devlist(dom, name):
            ref = get(dev, "audio")
            rid = ref if isinstance(ref, int) or ref is None else get(ref, "id")
            if rid is not None and rid not in ids:
                raise ValidationError("no audio device with ID %u" % rid)


def validate_domain(dom: Any, ctx: Any) -> None:
    """virDomainDefValidateInternal (the driver-independent part)."""
    check_duplicate_disk_targets(dom)
    check_duplicate_drive_addresses(dom)
    check_lifecycle(dom)
    check_boot_timeouts(dom)
    check_videos(dom)
    check_audio(dom)
