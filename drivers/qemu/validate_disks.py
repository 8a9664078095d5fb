"""QEMU define-time validation of disks (the disk parts of
qemuValidateDomainDeviceDef: front end, drive address, iotune, storage)
with libvirt's texts."""

from __future__ import annotations

import re
from typing import Any

from virtxml.errors import ValidationError

from .util import cindex, controllers, ctype, devlist
from .validate_common import _iothread_ids, _require_shared_memory


def _disk_format(disk: Any) -> str | None:
    return getattr(getattr(disk, "driver", None), "type", None)


def _v_disk(dom: Any, disk: Any, caps: Any) -> None:
    fmt = _disk_format(disk)
    dtype = getattr(disk, "type", None)
    src = getattr(disk, "source", None)
    tgt = getattr(disk, "target", None)
    if fmt == "dir" and dtype != "dir":
        raise ValidationError("'directory' storage format is not directly supported by QEMU, use "
                              "'dir' disk type instead")
    if fmt == "iso":
        raise ValidationError("storage format 'iso' is not directly supported by QEMU, use 'raw' instead")
    if getattr(tgt, "bus", None) == "usb":
        at = getattr(getattr(disk, "address", None), "type", None)
        if at not in (None, "usb"):
            raise ValidationError("unexpected address type for usb disk")
    encs = [getattr(disk, "encryption", None), getattr(src, "encryption", None)]
    for enc in encs:
        if enc is None:
            continue
        if getattr(enc, "format", None) == "qcow" and fmt in ("qcow", "qcow2"):
            raise ValidationError("old qcow/qcow2 encryption is not supported")
        if getattr(enc, "engine", None) == "librbd" and not caps.has("rbd-encryption"):
            raise ValidationError("librbd encryption is not supported by this QEMU binary")
        if getattr(enc, "format", None) == "luks" and fmt not in ("raw", "qcow2"):
            raise ValidationError("encryption is supported only with 'raw' and 'qcow2' image format")
    if getattr(disk, "shareable", None) and not getattr(disk, "readonly", None) and src is not None \
            and fmt not in (None, "raw"):
        raise ValidationError("shared access for disk '%s' requires use of supported storage format"
                              % getattr(tgt, "dev", None))
    if getattr(src, "protocol", None) == "nbd" and getattr(src, "tls_hostname", None) \
            and not caps.has("blockdev.nbd.tls-hostname"):
        raise ValidationError("'tlsHostname' field is not supported by this QEMU")


def _v_drive_address(dom: Any, dev: Any, a: Any) -> None:
    """qemuValidateDomainDeviceDefAddressDrive: a disk's own bus, anything
    else (SCSI hostdevs) counts as SCSI."""
    kind = getattr(type(dev), "__xml_tag__", "")
    bus = _disk_bus(dev) if kind == "disk" else "scsi"
    ctrl = int(getattr(a, "controller", None) or 0)
    abus = int(getattr(a, "bus", None) or 0)
    target = int(getattr(a, "target", None) or 0)
    if bus == "scsi":
        if abus != 0:
            raise ValidationError("SCSI controller only supports 1 bus")
        for c in controllers(dom):
            if ctype(c) == "scsi" and cindex(c) == ctrl:
                if getattr(c, "model", None) == "lsilogic" and target != 0:
                    raise ValidationError("target must be 0 for controller model 'lsilogic'")
                break
    elif bus == "ide":
        if ctrl != 0:
            raise ValidationError("Only 1 IDE controller is supported")
        if target != 0:
            raise ValidationError("target must be 0 for ide controller")
    elif bus == "fdc":
        if ctrl != 0:
            raise ValidationError("Only 1 fdc controller is supported")
        if abus != 0:
            raise ValidationError("Only 1 fdc bus is supported")
        if target != 0:
            raise ValidationError("target must be 0 for controller fdc")
    elif bus == "sata":
        if abus != 0:
            raise ValidationError("bus must be 0 for sata controller")
        if target != 0:
            raise ValidationError("target must be 0 for sata controller")


_SERIAL_OK = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ .+")


_DISK_NAME = re.compile(r"^(fd|hd|vd|sd|xvd|ubd)([a-z]+)(\d*)$")


def _disk_name_index(name: str) -> tuple[int, int] | None:
    """virDiskNameParse: (index, partition) or None."""
    m = _DISK_NAME.match(name or "")
    if not m:
        return None
    idx = 0
    for ch in m.group(2):
        idx = idx * 26 + (ord(ch) - ord("a") + 1)
    part = int(m.group(3)) if m.group(3) else 0
    return idx - 1, part


def _v_disk_frontend(dom: Any, disk: Any, caps: Any) -> None:
    tgt = getattr(disk, "target", None)
    bus = getattr(tgt, "bus", None)
    dst = getattr(tgt, "dev", None)
    device = getattr(disk, "device", None) or "disk"
    drv = getattr(disk, "driver", None)
    geo = getattr(disk, "geometry", None)
    if geo is not None and getattr(geo, "cyls", None) and getattr(geo, "heads", None) and getattr(geo, "secs", None):
        if bus in ("usb", "sd"):
            raise ValidationError(f"CHS geometry can not be set for '{bus}' bus")
        if getattr(geo, "trans", None) not in (None, "default") and bus != "ide":
            raise ValidationError(f"CHS translation mode can only be set for 'ide' bus not '{bus}'")
    if getattr(disk, "serial", None) and bus == "sd":
        raise ValidationError(f"Serial property not supported for drive bus '{bus}'")
    if device == "cdrom" and bus in ("virtio", "sd"):
        raise ValidationError(f"disk type of '{dst}' does not support ejectable media")
    if getattr(drv, "copy_on_read", None) is True:
        if getattr(disk, "readonly", None):
            raise ValidationError(f"copy_on_read is not compatible with read-only disk '{dst}'")
        if device in ("cdrom", "floppy"):
            raise ValidationError(f"copy_on_read is not supported with removable disk '{dst}'")
    if getattr(disk, "wwn", None) and bus not in ("ide", "scsi"):
        raise ValidationError("Only ide and scsi disk support wwn")
    if (getattr(disk, "vendor", None) or getattr(disk, "product", None)) and bus != "scsi":
        raise ValidationError("Only scsi disk supports vendor and product")
    if device == "lun":
        if bus not in ("virtio", "scsi"):
            raise ValidationError(f"disk device='lun' is not supported for bus='{bus}'")
        if getattr(drv, "copy_on_read", None) is True:
            raise ValidationError(f"copy_on_read is not compatible with 'lun' disk '{dst}'")
        if getattr(disk, "wwn", None):
            raise ValidationError("Setting wwn is not supported for lun device")
        if getattr(disk, "vendor", None) or getattr(disk, "product", None):
            raise ValidationError("Setting vendor or product is not supported for lun device")
    if getattr(tgt, "rotation_rate", None):
        if bus not in ("scsi", "ide", "sata"):
            raise ValidationError("rotation rate is only valid for SCSI/IDE/SATA bus")
        if device != "disk":
            raise ValidationError("rotation rate is only valid for disk device")
        if not caps.has("rotation-rate"):
            raise ValidationError("rotation rate is not supported with this QEMU")
    at = getattr(getattr(disk, "address", None), "type", None)
    a = getattr(disk, "address", None)
    if bus == "scsi":
        if at != "drive":
            raise ValidationError("unexpected address type for scsi disk")
        if int(getattr(a, "bus", None) or 0) != 0:
            raise ValidationError("SCSI controller only supports 1 bus")
    elif bus == "ide":
        if at != "drive":
            raise ValidationError("unexpected address type for ide disk")
        if int(getattr(a, "controller", None) or 0) != 0:
            raise ValidationError("Only 1 IDE controller is supported")
    elif bus == "fdc":
        if at != "drive":
            raise ValidationError("unexpected address type for fdc disk")
        if int(getattr(a, "controller", None) or 0) != 0:
            raise ValidationError("Only 1 fdc controller is supported")
        if int(getattr(a, "bus", None) or 0) != 0:
            raise ValidationError("Only 1 fdc bus is supported")
        if int(getattr(a, "target", None) or 0) != 0:
            raise ValidationError("target must be 0 for controller fdc")
    if getattr(disk, "readonly", None) and device == "disk":
        if bus == "ide":
            raise ValidationError("readonly ide disks are not supported")
        if bus == "sata":
            raise ValidationError("readonly sata disks are not supported")
    if getattr(drv, "io", None) == "native" and getattr(drv, "cache", None) not in ("directsync", "none"):
        raise ValidationError("io='native' needs either no disk cache or directsync cache mode")
    if getattr(disk, "serial", None) and bus == "scsi" and device == "lun":
        raise ValidationError("scsi-block 'lun' devices do not support the serial property")
    if getattr(drv, "io", None) == "io_uring" and not caps.has("aio.io_uring"):
        raise ValidationError("io uring is not supported by this QEMU binary")
    serial = getattr(disk, "serial", None)
    if serial and not set(serial) <= _SERIAL_OK:
        raise ValidationError(f"driver serial '{serial}' contains unsafe characters")
    iothread = getattr(drv, "iothread", None)
    if iothread:
        if bus != "virtio":
            raise ValidationError(f"IOThreads not available for bus {bus} target {dst}")
        if int(iothread) not in _iothread_ids(dom):
            raise ValidationError(f"Disk iothread '{iothread}' not defined in iothreadid")
    name = getattr(drv, "name", None)
    if name and name != "qemu":
        raise ValidationError(f"unsupported driver name '{name}' for disk '{dst}'")
    parsed = _disk_name_index(dst or "")
    if parsed is None:
        raise ValidationError(f"invalid disk target '{dst}'")
    if parsed[1] != 0:
        raise ValidationError(f"invalid disk target '{dst}', partitions can't appear in disk targets")
    if getattr(disk, "transient", None) is not None:
        src = getattr(disk, "source", None)
        if src is None or not (getattr(src, "file", None) or getattr(src, "dev", None) or getattr(src, "name", None)):
            raise ValidationError(f"transient disk '{dst}' must not be empty")
        if getattr(disk, "readonly", None):
            raise ValidationError(f"transient disk '{dst}' must not be read-only")
        if getattr(disk, "type", None) != "file":
            raise ValidationError(f"transient disk supported only with 'file' type ({dst})")
        if device != "disk":
            raise ValidationError(f"transient disk supported only with 'disk' device ({dst})")


_IOTUNE_VALUES = ("total_bytes_sec", "read_bytes_sec", "write_bytes_sec", "total_iops_sec",
                  "read_iops_sec", "write_iops_sec", "total_bytes_sec_max", "read_bytes_sec_max",
                  "write_bytes_sec_max", "total_iops_sec_max", "read_iops_sec_max",
                  "write_iops_sec_max", "size_iops_sec")


_IOTUNE_ALL = _IOTUNE_VALUES + ("total_bytes_sec_max_length", "read_bytes_sec_max_length",
                                "write_bytes_sec_max_length", "total_iops_sec_max_length",
                                "read_iops_sec_max_length", "write_iops_sec_max_length")


_QEMU_BLOCK_IOTUNE_MAX = 1000000000000000


def _iotune_vals(tune: Any) -> tuple[int, ...]:
    return tuple(int(getattr(tune, n, None) or 0) for n in _IOTUNE_ALL)


def _disk_bus(disk: Any) -> Any:
    return getattr(getattr(disk, "target", None), "bus", None)


def _v_disk_iotune(dom: Any, disk: Any) -> None:
    """qemuValidateDomainDeviceDefDiskBlkdeviotune."""
    tune = getattr(disk, "iotune", None)
    if tune is None:
        return
    group = getattr(tune, "group_name", None)
    if group and not any(getattr(tune, n, None) for n in _IOTUNE_VALUES):
        raise ValidationError("group_name can be configured only together with settings")
    if group:
        dst = getattr(getattr(disk, "target", None), "dev", None)
        for d in devlist(dom, "disks"):
            other = getattr(d, "iotune", None)
            odst = getattr(getattr(d, "target", None), "dev", None)
            if odst == dst or getattr(other, "group_name", None) != group:
                continue
            if _iotune_vals(other) != _iotune_vals(tune):
                raise ValidationError(f"different iotunes for disks {dst} and {odst}")
    if any(int(getattr(tune, n, None) or 0) > _QEMU_BLOCK_IOTUNE_MAX for n in _IOTUNE_VALUES):
        raise ValidationError(f"block I/O throttle limit must be no more than {_QEMU_BLOCK_IOTUNE_MAX} "
                              "using QEMU")


def _v_disk_storage(dom: Any, disk: Any, caps: Any) -> None:
    """The parts of qemuDomainValidateStorageSource / the vhost-user checks
    of qemuValidateDomainDeviceDefDisk not covered by _v_disk."""
    dtype = getattr(disk, "type", None)
    src = getattr(disk, "source", None)
    fmt = _disk_format(disk)
    if fmt == "fat" and dtype not in ("dir", "volume"):
        raise ValidationError("storage format 'fat' is supported only with 'dir' storage type")
    if dtype == "dir":
        if fmt not in (None, "none", "fat"):
            raise ValidationError("storage type 'dir' requires use of storage format 'fat'")
        if not getattr(disk, "readonly", None):
            raise ValidationError("virtual FAT storage can't be accessed in read-write mode")
    if dtype == "network" and getattr(src, "protocol", None) == "tftp":
        raise ValidationError("'tftp' protocol is not supported with this QEMU binary")
    if dtype == "network" and getattr(src, "protocol", None) == "nfs":
        hosts = getattr(src, "hosts", None) or []
        if len(hosts) != 1:
            raise ValidationError("'nfs' protocol requires the usage of exactly one host")
        if (hosts[0].transport or "tcp") != "tcp":
            raise ValidationError("'nfs' host must use TCP protocol")
        if hosts[0].port:
            raise ValidationError("port cannot be specified in 'nfs' protocol host")
    if dtype == "vhostuser":
        if not caps.has("vhost-user-blk"):
            raise ValidationError("vhostuser disk is not supported with this QEMU binary")
        _require_shared_memory(dom, "vhostuser")


def _v_disk_all(dom: Any, disk: Any, caps: Any) -> None:
    _v_disk_frontend(dom, disk, caps)
    _v_disk_iotune(dom, disk)
    _v_disk(dom, disk, caps)
    _v_disk_storage(dom, disk, caps)
