"""Disks: virDomainDiskDefPostParse, virDiskNameToIndex and
virDomainDiskDefAssignAddress."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .driver import Feature
from .util import set_field

DISK_PREFIXES = ("fd", "hd", "vd", "sd", "xvd", "ubd")


_NAME_INDEX: dict[str, int] = {}


def disk_name_to_index(name: str | None) -> int:
    """virDiskNameToIndex: 'hda' -> 0, 'sdaa' -> 26, ...; -1 if unparseable."""
    if not name:
        return -1
    try:
        return _NAME_INDEX[name]
    except (KeyError, TypeError):
        pass
    idx = _disk_name_to_index(name)
    if len(_NAME_INDEX) < 4096:
        _NAME_INDEX[name] = idx
    return idx


def _disk_name_to_index(name: str) -> int:
    rest = None
    for p in DISK_PREFIXES:
        if name.startswith(p):
            rest = name[len(p):]
            break
    if rest is None:
        return -1
    idx = 0
    i = 0
    while i < len(rest) and i < 7 and "a" <= rest[i] <= "z":
        idx = (idx + (1 if i >= 1 else 0)) * 26
        idx += ord(rest[i]) - ord("a")
        i += 1
    if i == 0:
        return -1
    tail = rest[i:]
    if tail and not tail.isdigit():
        return -1
    return idx


def target_dev(disk: Any) -> str | None:
    # getattr(None, ...) gives the default, as util.get does
    return getattr(getattr(disk, "target", None), "dev", None)


def target_bus(disk: Any) -> str | None:
    return getattr(getattr(disk, "target", None), "bus", None)


def is_readonly(disk: Any) -> bool:
    return bool(getattr(disk, "readonly", None))


def drive_address(bus: str | None, idx: int, wide_scsi: bool) -> tuple[int, int, int, int] | None:
    """(controller, bus, target, unit) libvirt assigns to disk number ``idx``."""
    if bus == "scsi":
        if wide_scsi:
            unit = idx % 15
            if unit >= 7:
                unit += 1
            return (idx // 15, 0, 0, unit)
        return (idx // 7, 0, 0, idx % 7)
    if bus == "ide":
        return (idx // 4, (idx % 4) // 2, 0, idx % 2)
    if bus == "sata":
        return (idx // 6, 0, 0, idx % 6)
    if bus == "fdc":
        return (idx // 2, 0, 0, idx % 2)
    return None


def assign_address(dom: Any, disk: Any, ctx: Any) -> None:
    dst = target_dev(disk)
    idx = disk_name_to_index(dst)
    if idx < 0:
        raise PostParseError("Unknown disk name '%s' and no address specified" % dst)
    wide = bool(ctx is not None and ctx.driver.has(Feature.WIDE_SCSI))
    addr = drive_address(target_bus(disk), idx, wide)
    if addr is None:
        return
    from virtxml.model.devices.info import AddressDrive

    c, b, t, u = addr
    disk.address = AddressDrive(controller=c, bus=b, target=t, unit=u)
    if target_bus(disk) == "scsi":
        from .hostdevs import address_used_by_scsi_hostdev

        if address_used_by_scsi_hostdev(dom, addr):
            # libvirt's text lacks the closing quote
            raise PostParseError("using disk target name '%s' conflicts with SCSI host device address "
                                 "controller='%u' bus='%u' target='%u' unit='%u" % ((dst,) + addr))


def insert_disk(disks: list[Any], disk: Any) -> None:
    """virDomainDiskInsertPreAlloced: among the disks of the same bus (as
    parsed: a disk without bus= has none yet), ordered by target index."""
    idx = disk_name_to_index(target_dev(disk))
    bus = target_bus(disk)
    insert_at = -1
    for i in range(len(disks) - 1, -1, -1):
        cur = disks[i]
        if target_bus(cur) != bus:
            continue
        if disk_name_to_index(target_dev(cur)) > idx:
            insert_at = i
        elif insert_at == -1:
            insert_at = i + 1
    if insert_at == -1:
        disks.append(disk)
    else:
        disks.insert(insert_at, disk)


def insert_order(disks: list[Any]) -> list[Any]:
    """``disks`` inserted one by one with :func:`insert_disk` (the parser's
    order), with each disk's (bus, index) computed once.  The bus is the one
    the document gave (disks without one share "no bus" at this point)."""
    out: list[Any] = []
    keys: list[tuple[Any, int]] = []
    for disk in disks:
        idx = disk_name_to_index(target_dev(disk))
        bus = getattr(disk, "parsed_bus", "")
        if bus == "":
            bus = target_bus(disk)
        insert_at = -1
        for i in range(len(out) - 1, -1, -1):
            cbus, cidx = keys[i]
            if cbus != bus:
                continue
            if cidx > idx:
                insert_at = i
            elif insert_at == -1:
                insert_at = i + 1
        if insert_at == -1:
            out.append(disk)
            keys.append((bus, idx))
        else:
            out.insert(insert_at, disk)
            keys.insert(insert_at, (bus, idx))
    return out


#: virStorageSourceNetworkDefaultPort (absent: no default port)
NET_DEFAULT_PORTS = {"nbd": 10809, "sheepdog": 7000, "gluster": 24007, "iscsi": 3260,
                     "http": 80, "https": 443, "ftp": 21, "ftps": 990, "tftp": 69, "ssh": 22,
                     "vxhs": 9999}


def default_network_ports(disk: Any) -> None:
    """virStorageSourceNetworkAssignDefaultPorts on the disk source and its
    backing chain: tcp hosts without a port get the protocol's port."""
    src = getattr(disk, "source", None)
    bs = getattr(disk, "backing_store", None)
    while True:
        if src is not None:
            port = NET_DEFAULT_PORTS.get(getattr(src, "protocol", None) or "")
            if port:
                for h in getattr(src, "hosts", None) or ():
                    if getattr(h, "transport", None) in (None, "tcp") and not getattr(h, "port", None):
                        h.port = port
        if bs is None:
            return
        src = getattr(bs, "source", None)
        bs = getattr(bs, "backing_store", None)


def disk_post_parse(dom: Any, disk: Any, ctx: Any) -> None:
    tgt = getattr(disk, "target", None)
    dst = getattr(tgt, "dev", None)
    if dst is not None and dst.startswith("ioemu:"):
        tgt.dev = dst = dst[len("ioemu:"):]
    device = getattr(disk, "device", None) or "disk"
    if device == "cdrom":
        set_field(disk, "readonly", True)
    if tgt is not None and getattr(tgt, "bus", None) is None:
        bus = "ide"
        if device == "floppy":
            bus = "fdc"
        elif dst:
            for prefix, b in (("hd", "ide"), ("sd", "scsi"), ("vd", "virtio"), ("xvd", "xen"),
                              ("ubd", "uml")):
                if dst.startswith(prefix):
                    bus = b
                    break
        set_field(tgt, "bus", bus)
    if getattr(disk, "snapshot", None) is None and is_readonly(disk):
        set_field(disk, "snapshot", "no")
    src = getattr(disk, "source", None)
    dtype = getattr(disk, "type", None)
    if dtype == "network" and getattr(src, "protocol", None) == "iscsi":
        name = getattr(src, "name", None)
        if name is not None and "/" not in name:
            src.name = name + "/0"
    default_network_ports(disk)
    if dtype == "nvme":
        nv = src
        if getattr(nv, "managed", None) is None:
            set_field(nv, "managed", True)
    if dtype == "vhostuser" and getattr(disk, "snapshot", None) is None:
        set_field(disk, "snapshot", "no")
    if getattr(disk, "address", None) is None and dst is not None:
        assign_address(dom, disk, ctx)
    _expand_group_iotune(dom, disk)


def _iotune_has_any(iot: Any) -> bool:
    if iot is None:
        return False
    import attrs

    for f in attrs.fields(type(iot)):
        if f.name in ("group_name",):
            continue
        v = getattr(iot, f.name)
        if isinstance(v, int) and not isinstance(v, bool) and v:
            return True
    return False


def _expand_group_iotune(dom: Any, disk: Any) -> None:
    """virDomainDiskExpandGroupIoTune: a disk naming an iotune group with no
    values of its own takes them from the first disk of that group that has
    some."""
    iot = getattr(disk, "iotune", None)
    group = getattr(iot, "group_name", None)
    if group is None or _iotune_has_any(iot):
        return
    import attrs

    from .util import devlist

    for d in devlist(dom, "disks"):
        other = getattr(d, "iotune", None)
        if getattr(other, "group_name", None) != group or not _iotune_has_any(other):
            continue
        disk.iotune = attrs.evolve(other)
        return
