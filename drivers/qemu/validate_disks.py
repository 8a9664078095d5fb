"""QEMU define-time validation of disks (the disk parts of
qemuValidateDomainDeviceDef: front end, drive address, iotune, storage)
with libvirt's texts."""

from __future__ import annotations

import re
from typing import Any

import attrs

from postparse.validation import disk_format
from virtxml.errors import ValidationError

from .util import cindex, controllers, ctype, devlist
from .validate_common import _iothread_ids, _require_shared_memory

# ---------------------------------------------------------------- storage

#: the storage types virStorageSourceIsLocalStorage counts as local
_LOCAL_TYPES = ("file", "block", "dir")


@attrs.frozen
class SourceView:
    """One virStorageSource as qemuDomainValidateStorageSource sees it:
    the actual storage type, the image format (None: none), the typed
    model <source> (None: no <source>), read-only, the metadata cache
    limit in bytes and the encryption."""

    type: str
    format: str | None
    src: Any
    readonly: bool
    metadata_cache: int = 0
    encryption: Any = None
    #: whether post-parse gave the encryption its default engine (a disk's
    #: does; an NVRAM's does not, and libvirt then fails on the unset enum)
    engine_defaulted: bool = True

    @property
    def protocol(self) -> str | None:
        p = getattr(self.src, "protocol", None) if self.type == "network" else None
        return None if p in (None, "none") else p

    @property
    def empty(self) -> bool:
        """virStorageSourceIsEmpty."""
        if self.type in _LOCAL_TYPES and not getattr(self.src, "path", None):
            return True
        return self.type == "network" and self.protocol is None


def _cache_bytes(holder: Any) -> int:
    mc = getattr(holder, "metadata_cache", None)
    return int(getattr(mc, "max_size_bytes", 0) or 0) if mc is not None else 0


def disk_source_view(disk: Any) -> SourceView:
    """The disk's own source (virDomainDiskDefParseSourceXML: no <source>
    means a file; qemuDomainDeviceDiskDefPostParse makes a missing format
    raw except for volumes)."""
    src = getattr(disk, "source", None)
    stype = (getattr(disk, "type", None) or "file") if src is not None else "file"
    fmt = disk_format(disk)
    if fmt in (None, "none"):
        fmt = None if getattr(disk, "type", None) == "volume" else "raw"
    enc = getattr(src, "encryption", None) or getattr(disk, "encryption", None)
    return SourceView(stype, fmt, src, bool(getattr(disk, "readonly", None)),
                      _cache_bytes(getattr(disk, "driver", None)), enc)


def storage_chain(disk: Any) -> list[SourceView]:
    """The disk source and its backing chain up to the terminator
    (virStorageSourceIsBacking); a backing store is always read-only."""
    chain = [disk_source_view(disk)]
    bs = getattr(disk, "backing_store", None)
    while bs is not None and getattr(bs, "type", None) not in (None, "none"):
        fel = getattr(bs, "format", None)
        fmt = getattr(fel, "type", None)
        src = getattr(bs, "source", None)
        chain.append(SourceView(bs.type, None if fmt in (None, "none") else fmt, src, True,
                                _cache_bytes(fel), getattr(src, "encryption", None)))
        bs = getattr(bs, "backing_store", None)
    return chain


def validate_storage_source(sv: SourceView, caps: Any) -> None:
    """qemuDomainValidateStorageSource (qemu_domain.c), in its order."""
    fmt = sv.format
    st = sv.type
    proto = sv.protocol
    src = sv.src
    if fmt == "cow":
        raise ValidationError("'cow' storage format is not supported")
    if fmt == "dir":
        raise ValidationError("'directory' storage format is not directly supported by QEMU, use "
                              "'dir' disk type instead")
    if fmt == "iso":
        raise ValidationError("storage format 'iso' is not directly supported by QEMU, use 'raw' instead")
    if fmt == "fat" and st not in ("volume", "dir"):
        raise ValidationError("storage format 'fat' is supported only with 'dir' storage type")
    if st == "dir":
        if fmt not in (None, "fat"):
            raise ValidationError("storage type 'dir' requires use of storage format 'fat'")
        if not sv.readonly:
            raise ValidationError("virtual FAT storage can't be accessed in read-write mode")
    if getattr(src, "reservations", None) is not None and not caps.has("pr-manager-helper"):
        raise ValidationError("reservations not supported with this QEMU binary")
    # (the ssl, cookies, readahead, timeout and query checks of libvirt 9.0
    # cannot fire for a parsed definition: virDomainDiskSourceNetworkParse
    # only reads those settings for the protocols that allow them)
    if proto == "tftp":
        raise ValidationError("'tftp' protocol is not supported with this QEMU binary")
    if proto == "nfs":
        hosts = getattr(src, "hosts", None) or []
        if len(hosts) != 1:
            raise ValidationError("'nfs' protocol requires the usage of exactly one host")
        if (hosts[0].transport or "tcp") != "tcp":
            raise ValidationError("'nfs' host must use TCP protocol")
        if hosts[0].port:
            raise ValidationError("port cannot be specified in 'nfs' protocol host")
    if sv.metadata_cache > 0 and fmt != "qcow2":
        raise ValidationError("metadata cache max size control is supported only with qcow2 images")
    enc = sv.encryption
    if enc is not None:
        efmt = getattr(enc, "format", None) or "default"
        if efmt in ("default", "qcow"):
            raise ValidationError("old qcow/qcow2 encryption is not supported")
        # qemuDomainDeviceDiskDefPostParse: the default engine is qemu
        if getattr(enc, "engine", None) in (None, "default") and not sv.engine_defaulted:
            raise ValidationError("Unexpected enum value 0 for virStorageEncryptionEngine")
        if getattr(enc, "engine", None) in (None, "default", "qemu"):
            if efmt == "luks" and fmt not in ("qcow2", "raw"):
                raise ValidationError("encryption is supported only with 'raw' and 'qcow2' image format")
            if efmt == "luks2":
                raise ValidationError("luks2 is currently not supported by the qemu encryption engine")
        elif enc.engine == "librbd":
            if not caps.has("rbd-encryption"):
                raise ValidationError("librbd encryption is not supported by this QEMU binary")
            # (libvirt 9.0 tests type AND protocol here: only a source that is
            # neither network nor rbd is refused)
            if st != "network" and getattr(src, "protocol", None) != "rbd":
                raise ValidationError("librbd encryption is supported only with RBD backed disks")
    if getattr(src, "tls_hostname", None):
        if proto != "nbd":
            raise ValidationError("'tlsHostname' field is supported only with NBD disks")
        if not caps.has("blockdev.nbd.tls-hostname"):
            raise ValidationError("'tlsHostname' field is not supported by this QEMU")


def _v_drive_address(dom: Any, dev: Any, a: Any) -> None:
    """qemuValidateDomainDeviceDefAddressDrive: a disk's own bus, anything
    else (SCSI hostdevs) counts as SCSI.  (Its flag-dependent rule, targets
    above 7 without scsi-disk.channel, is validate_devices'
    _v_scsi_drive_channel, right after this.)"""
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
    """qemuValidateDomainDeviceDefDiskFrontend, in its order."""
    tgt = getattr(disk, "target", None)
    bus = getattr(tgt, "bus", None)
    dst = getattr(tgt, "dev", None)
    device = getattr(disk, "device", None) or "disk"
    drv = getattr(disk, "driver", None)
    geo = getattr(disk, "geometry", None)
    readonly = bool(getattr(disk, "readonly", None))
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
        if readonly:
            raise ValidationError(f"copy_on_read is not compatible with read-only disk '{dst}'")
        if device in ("cdrom", "floppy"):
            raise ValidationError(f"copy_on_read is not supported with removable disk '{dst}'")
    if getattr(disk, "wwn", None):
        if bus not in ("ide", "scsi"):
            raise ValidationError("Only ide and scsi disk support wwn")
        if bus == "ide" and not caps.has("ide-drive.wwn"):
            raise ValidationError("Setting wwn for ide disk is not supported by this QEMU")
        # (libvirt 9.0 asks for the scsi-disk flag when the bus is *not* scsi)
        if bus != "scsi" and not caps.has("scsi-disk.wwn"):
            raise ValidationError("Setting wwn for scsi disk is not supported by this QEMU")
    if getattr(disk, "vendor", None) or getattr(disk, "product", None):
        if bus != "scsi":
            raise ValidationError("Only scsi disk supports vendor and product")
        if not caps.has("scsi-disk.wwn"):
            raise ValidationError("Setting vendor or product for scsi disk is not supported by this QEMU")
    if device == "lun":
        if bus not in ("virtio", "scsi"):
            raise ValidationError(f"disk device='lun' is not supported for bus='{bus}'")
        if bus == "scsi" and not caps.has("scsi-block"):
            raise ValidationError("This QEMU doesn't support scsi-block for lun passthrough")
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
    if bus in ("scsi", "ide", "fdc", "sata"):
        if at != "drive":
            raise ValidationError(f"unexpected address type for {bus} disk")
    elif bus == "virtio":
        if getattr(drv, "queue_size", None) and not caps.has("virtio-blk.queue-size"):
            raise ValidationError("queue-size property isn't supported by this QEMU binary")
    elif bus == "usb":
        if not caps.has("usb-storage"):
            raise ValidationError("This QEMU doesn't support '-device usb-storage'")
        if at not in (None, "usb"):
            raise ValidationError("unexpected address type for usb disk")
        if getattr(tgt, "removable", None) is not None and not caps.has("usb-storage.removable"):
            raise ValidationError("This QEMU doesn't support setting the removable flag of USB storage "
                                  "devices")
    if readonly and device == "disk":
        if bus == "ide":
            raise ValidationError("readonly ide disks are not supported")
        if bus == "sata":
            raise ValidationError("readonly sata disks are not supported")
    if getattr(drv, "io", None) == "native" and getattr(drv, "cache", None) not in ("directsync", "none"):
        raise ValidationError("io='native' needs either no disk cache or directsync cache mode")
    if getattr(drv, "io", None) == "io_uring" and not caps.has("aio.io_uring"):
        raise ValidationError("io uring is not supported by this QEMU binary")
    serial = getattr(disk, "serial", None)
    if serial and bus == "scsi" and device == "lun":
        raise ValidationError("scsi-block 'lun' devices do not support the serial property")
    if serial and not set(serial) <= _SERIAL_OK:
        raise ValidationError(f"driver serial '{serial}' contains unsafe characters")
    iothread = getattr(drv, "iothread", None)
    if iothread:
        if bus != "virtio":
            raise ValidationError(f"IOThreads not available for bus {bus} target {dst}")
        if int(iothread) not in _iothread_ids(dom):
            raise ValidationError(f"Disk iothread '{iothread}' not defined in iothreadid")


def _reboot_allowed(dom: Any) -> bool:
    """qemuProcessRebootAllowed: not every lifecycle action destroys."""
    return not (getattr(dom, "on_reboot", None) == "destroy"
                and (getattr(dom, "on_poweroff", None) or "destroy") == "destroy"
                and (getattr(dom, "on_crash", None) or "destroy") in ("destroy", "coredump-destroy"))


def _v_disk_transient(dom: Any, disk: Any, caps: Any) -> None:
    """qemuValidateDomainDeviceDefDiskTransient."""
    tr = getattr(disk, "transient", None)
    if tr is None:
        return
    tgt = getattr(disk, "target", None)
    dst = getattr(tgt, "dev", None)
    sv = disk_source_view(disk)
    if sv.empty:
        raise ValidationError(f"transient disk '{dst}' must not be empty")
    if sv.readonly:
        raise ValidationError(f"transient disk '{dst}' must not be read-only")
    if sv.type != "file":
        raise ValidationError(f"transient disk supported only with 'file' type ({dst})")
    if (getattr(disk, "device", None) or "disk") != "disk":
        raise ValidationError(f"transient disk supported only with 'disk' device ({dst})")
    if getattr(tr, "share_backing", None) is True:
        if not caps.has("set-action") and not _reboot_allowed(dom):
            raise ValidationError("transient disk backing image sharing with destroy action of lifecycle "
                                  "isn't supported by this QEMU binary")
        bus = getattr(tgt, "bus", None)
        if bus not in ("usb", "virtio", "scsi"):
            raise ValidationError(f"disk bus '{bus or 'none'}' doesn't support transiend disk backing "
                                  "image sharing")


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
    # (virDomainBlockIoTuneInfoHasAny: the *_max_length values count too)
    if group and not any(getattr(tune, n, None) for n in _IOTUNE_ALL):
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


def _v_disk_all(dom: Any, disk: Any, caps: Any) -> None:
    """qemuValidateDomainDeviceDefDisk, in its order."""
    _v_disk_frontend(dom, disk, caps)
    _v_disk_iotune(dom, disk)
    _v_disk_transient(dom, disk, caps)
    tgt = getattr(disk, "target", None)
    dst = getattr(tgt, "dev", None)
    chain = storage_chain(disk)
    if getattr(disk, "shareable", None) and not chain[0].readonly and chain[0].format != "raw":
        # qemuBlockStorageSourceSupportsConcurrentAccess: raw images only
        raise ValidationError(f"shared access for disk '{dst}' requires use of supported storage format")
    name = getattr(getattr(disk, "driver", None), "name", None)
    if name and name != "qemu":
        raise ValidationError(f"unsupported driver name '{name}' for disk '{dst}'")
    parsed = _disk_name_index(dst or "")
    if parsed is None:
        raise ValidationError(f"invalid disk target '{dst}'")
    if parsed[1] != 0:
        raise ValidationError(f"invalid disk target '{dst}', partitions can't appear in disk targets")
    _v_disk_storage(dom, disk, caps, chain)


def _v_disk_storage(dom: Any, disk: Any, caps: Any, chain: list[SourceView] | None = None) -> None:
    """The end of qemuValidateDomainDeviceDefDisk: every source of the
    backing chain, then the vhost-user disk's needs."""
    chain = storage_chain(disk) if chain is None else chain
    for sv in chain:
        validate_storage_source(sv, caps)
    if chain[0].type == "vhostuser":
        if not caps.has("vhost-user-blk"):
            raise ValidationError("vhostuser disk is not supported with this QEMU binary")
        _require_shared_memory(dom, "vhostuser")
