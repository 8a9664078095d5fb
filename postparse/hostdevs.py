"""Hostdevs: virDomainHostdevDefPostParse (SCSI drive address assignment,
conflicts with SCSI disks, mdev address types, iSCSI LUN default)."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .disks import target_bus
from .util import devlist

SCSI_NARROW_BUS_MAX_CONT_UNIT = 7
SCSI_WIDE_BUS_MAX_CONT_UNIT = 16


def _drive(addr: Any) -> tuple[int, int, int, int] | None:
    if addr is None or getattr(addr, "type", None) != "drive":
        return None
    return (getattr(addr, "controller", 0) or 0, getattr(addr, "bus", 0) or 0,
            getattr(addr, "target", 0) or 0, getattr(addr, "unit", 0) or 0)


def is_scsi_hostdev(h: Any) -> bool:
    return getattr(h, "mode", "subsystem") in ("subsystem", None) and getattr(h, "type", None) == "scsi"


def address_used_by_disk(dom: Any, bus: str, addr: tuple[int, int, int, int]) -> bool:
    for d in devlist(dom, "disks"):
        if target_bus(d) == bus and _drive(getattr(d, "address", None)) == addr:
            return True
    return False


def address_used_by_scsi_hostdev(dom: Any, addr: tuple[int, int, int, int]) -> bool:
    return any(is_scsi_hostdev(h) and _drive(getattr(h, "address", None)) == addr for h in devlist(dom, "hostdevs"))


def scsi_address_used(dom: Any, addr: tuple[int, int, int, int]) -> bool:
    if address_used_by_disk(dom, "scsi", addr):
        return True
    for h in devlist(dom, "hostdevs"):
        if is_scsi_hostdev(h) and _drive(getattr(h, "address", None)) == addr:
            return True
    return False


def assign_address(dom: Any, h: Any, wide: bool = False) -> None:
    """virDomainHostdevAssignAddress: first controller with a free unit
    (bus 0, target 0), without adding controllers."""
    max_unit = SCSI_WIDE_BUS_MAX_CONT_UNIT if wide else SCSI_NARROW_BUS_MAX_CONT_UNIT
    controller = 0
    while True:
        for unit in range(max_unit):
            if not scsi_address_used(dom, (controller, 0, 0, unit)):
                from virtxml.model.devices.info import AddressDrive

                h.address = AddressDrive(controller=controller, bus=0, target=0, unit=unit)
                return
        controller += 1


def hostdev_post_parse(dom: Any, h: Any, ctx: Any = None) -> None:
    if getattr(h, "mode", "subsystem") not in ("subsystem", None):
        return
    htype = getattr(h, "type", None)
    if htype == "scsi":
        src = getattr(h, "source", None)
        if getattr(src, "protocol", None) == "iscsi":
            name = getattr(src, "name", None)
            if name is not None and "/" not in name:
                src.name = name + "/0"
        if getattr(h, "address", None) is None:
            from .driver import Feature

            assign_address(dom, h, wide=bool(ctx is not None and ctx.driver.has(Feature.WIDE_SCSI)))
        addr = _drive(getattr(h, "address", None))
        if addr is not None and address_used_by_disk(dom, "scsi", addr):
            raise PostParseError("SCSI host address controller='%u' bus='%u' target='%u' unit='%u' "
                                 "in use by a SCSI disk" % addr)
    elif htype == "mdev":
        addr = getattr(h, "address", None)
        if addr is None:
            return
        model = getattr(h, "model", None)
        at = getattr(addr, "type", None)
        if (model == "vfio-pci" and at != "pci") or (model == "vfio-ccw" and at != "ccw"):
            raise PostParseError("Unsupported address type '%s' with mediated device model '%s'" % (at, model))
