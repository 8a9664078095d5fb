"""Generic, driver-independent validation (libvirt's domain_validate.c:
virDomainDeviceDefValidateInternal per device and
virDomainDefValidateInternal for the domain, behaviour §10), with
libvirt's texts and order.  Skipped with ParseFlags.SKIP_VALIDATE."""

from __future__ import annotations

from typing import Any

from virtxml.errors import ValidationError
from virtxml.model.devices.info import is_user_alias

from . import chr as chrmod
from .disks import target_bus, target_dev
from .hostdevs import address_used_by_disk, is_scsi_hostdev
from .implicit import sources_equal
from .driver import Feature
from .memory import numa_cells
from .util import device_kind, devlist, get, iter_postparse_devices, os_arch, os_type
from .util import arch_is_ppc64

SERIAL_CHANNEL_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
VIRTIO_DISK_MODELS = ("virtio", "virtio-transitional", "virtio-non-transitional")
#: cgroup limits (vircgroup.h)
CPU_SHARES_MIN, CPU_SHARES_MAX = 2, 262144
CPU_PERIOD_MIN, CPU_PERIOD_MAX = 1000, 1000000
CPU_QUOTA_MIN, CPU_QUOTA_MAX = 1000, 17592186044415
LOCAL_STORAGE_TYPES = ("file", "block", "dir")



def _reconnect_given(src: Any) -> bool:
    """libvirt tests the reconnect setting as a C truth value: 'no' is a
    non-zero tristate, so an explicit enabled='no' counts as well."""
    return getattr(getattr(src, "reconnect", None), "enabled", None) is not None

def _err(msg: str) -> ValidationError:
    return ValidationError(msg)


def _addr_type(dev: Any) -> str:
    a = getattr(dev, "address", None)
    return "none" if a is None else (getattr(a, "type", None) or "none")


# ------------------------------------------------------------ chardevs

def chr_source(dev: Any) -> Any:
    """The (first) <source> of a chardev-like object."""
    srcs = getattr(dev, "sources", None)
    if isinstance(srcs, list):
        return srcs[0] if srcs else None
    return getattr(dev, "source", None)


def _channel_name(name: str | None) -> None:
    if name is None:
        raise _err("Missing source channel attribute for char device")
    if any(c not in SERIAL_CHANNEL_NAME_CHARS for c in name):
        raise _err("Invalid character in source channel for char device")


def _udp_connect_service(holder: Any) -> Any:
    srcs = getattr(holder, "sources", None)
    if isinstance(srcs, list):
        for s in srcs:
            if getattr(s, "mode", None) == "connect":
                return getattr(s, "service", None)
        return None
    return getattr(chr_source(holder), "service", None)


def validate_chr_source(ctype: str | None, holder: Any, chr_dev: Any | None) -> None:
    """virDomainChrSourceDefValidate; ``holder`` carries the <source>
    elements (the chardev itself, or an rng backend, smartcard, redirdev)."""
    src = chr_source(holder)
    if ctype in ("file", "dev", "pipe"):
        if getattr(src, "path", None) is None:
            raise _err("Missing source path attribute for char device")
    elif ctype == "nmdm":
        if (getattr(src, "master", None) is None) != (getattr(src, "slave", None) is None):
            raise _err("Should define both master and slave path attributes for nmdm device")
    elif ctype == "tcp":
        if getattr(src, "host", None) is None:
            raise _err("Missing source host attribute for char device")
        if getattr(src, "service", None) is None:
            raise _err("Missing source service attribute for char device")
        if getattr(src, "mode", None) == "bind" and _reconnect_given(src):
            raise _err("chardev reconnect is possible only for connect mode")
    elif ctype == "udp":
        if _udp_connect_service(holder) is None:
            raise _err("Missing source service attribute for char device")
    elif ctype == "unix":
        auto_ok = chr_dev is not None and chrmod.chr_kind(chr_dev) == "channel" and \
            chrmod.target_type(chr_dev) in ("xen", "virtio")
        if getattr(src, "path", None) is None and not auto_ok:
            raise _err("Missing source path attribute for char device")
        if getattr(src, "mode", None) == "bind" and _reconnect_given(src):
            raise _err("chardev reconnect is possible only for connect mode")
    elif ctype in ("spiceport", "dbus"):
        _channel_name(getattr(src, "channel", None))
    # (a zero reconnect timeout is the QEMU driver's rule:
    # qemuValidateDomainChrSourceReconnectDef, drivers/qemu)


# ---------------------------------------------------------------- disks

def disk_source_path(disk: Any) -> str | None:
    """virDomainDiskGetSource: the source's path (file, dev, dir, network
    name, ...), None for a volume or an empty source."""
    src = getattr(disk, "source", None)
    for name in ("file", "dev", "dir", "name", "path_", "path"):
        v = get(src, name)
        if isinstance(v, str):
            if name == "name" and get(src, "protocol") in ("gluster", "rbd") and "/" in v:
                # the volume/pool part is kept apart (virDomainDiskSourceNetworkParse)
                return v.split("/", 1)[1]
            return v
    return None


def _nullstr(v: Any) -> str:
    return "<null>" if v is None else str(v)


def _printable(s: str) -> bool:
    return all(c.isprintable() for c in s)


def check_device_seclabels(dom: Any, labels: Any) -> None:
    """virSecurityDeviceLabelDefValidate: a device label whose model (a
    missing one included) is a domain label's with relabel off."""
    for dl in labels or ():
        model = getattr(dl, "model", None)
        for sl in getattr(dom, "seclabels", None) or ():
            if getattr(sl, "model", None) == model:
                if not getattr(sl, "relabel", None):
                    raise _err("label overrides require relabeling to be enabled at the domain level")
                break


def _validate_disk_source_chain(disk: Any, dom: Any = None) -> None:
    src = getattr(disk, "source", None)
    chain = []
    while src is not None:
        chain.append(src)
        bs = getattr(src, "backing_store", None)
        src = getattr(bs, "source", None) if bs is not None else None
    bs = getattr(disk, "backing_store", None)
    while bs is not None:
        s = getattr(bs, "source", None)
        if s is not None and s not in chain:
            chain.append(s)
        bs = getattr(bs, "backing_store", None)
    if not chain:
        chain.append(None)  # libvirt's disk->src exists without <source> (and holds the disk's <encryption>)
    dtype = getattr(disk, "type", None)
    for s in chain:
        auth = getattr(s, "auth", None) or (getattr(disk, "auth", None) if s is chain[0] else None)
        proto = getattr(s, "protocol", None)
        if dtype == "network" and auth is not None:
            if proto not in ("iscsi", "http", "https", "ftp", "ftps", "ssh", "rbd", None):
                raise _err("authentication is not supported for protocol '%s'" % proto)
            stype = getattr(getattr(auth, "secret", None), "type", None)
            if stype not in ("none", "volume", "ceph", "iscsi", "tls", "vtpm"):
                raise _err("unknown secret type '%s'" % _nullstr(stype))
            if (proto == "iscsi" and stype != "iscsi") or (proto == "rbd" and stype != "ceph"):
                raise _err("invalid secret type '%s'" % stype)
        enc = getattr(s, "encryption", None) or (getattr(disk, "encryption", None) if s is chain[0] else None)
        if enc is not None and getattr(enc, "format", None) == "luks" and getattr(getattr(enc, "cipher", None), "name", None):
            raise _err("supplying <cipher> for domain disk definition is unnecessary")
        if dtype != "network" and proto != "rbd":
            if getattr(s, "snapshot", None) is not None:
                raise _err("<snapshot> element is currently supported only with 'rbd' disks")
            if getattr(s, "config", None) is not None:
                raise _err("<config> element is currently supported only with 'rbd' disks")
        if dom is not None:
            check_device_seclabels(dom, getattr(s, "seclabels", None))


def _source_chain(disk: Any) -> list[Any]:
    """The disk's storage sources: its <source>, then each backing store's."""
    chain = []
    src = getattr(disk, "source", None)
    bs = getattr(disk, "backing_store", None)
    while src is not None:
        chain.append(src)
        src = getattr(bs, "source", None) if bs is not None else None
        bs = getattr(bs, "backing_store", None) if bs is not None else None
    return chain


def _iotune_has_any(io: Any) -> bool:
    """virDomainBlockIoTuneInfoHasAny (or a group name)."""
    if io is None:
        return False
    if getattr(io, "group_name", None):
        return True
    for kind in ("bytes_sec", "iops_sec", "bytes_sec_max", "iops_sec_max",
                 "bytes_sec_max_length", "iops_sec_max_length"):
        for who in ("total", "read", "write"):
            if get(io, "%s_%s" % (who, kind)):
                return True
    return bool(get(io, "size_iops_sec"))


def validate_vhostuser_disk(disk: Any, bus: str | None) -> None:
    """virDomainDiskVhostUserValidate, in libvirt's order."""
    if bus != "virtio":
        raise _err("vhostuser disk supports only virtio bus")
    if getattr(disk, "snapshot", None) != "no":
        raise _err("only snapshot=no is supported with vhostuser disk")
    drv = getattr(disk, "driver", None)
    src = getattr(disk, "source", None)

    def unsupported(what: str) -> ValidationError:
        return _err("%s is not supported with vhostuser disk" % what)

    if get(drv, "cache") not in (None, "default"):
        raise unsupported("cache")
    if get(drv, "error_policy") not in (None, "default") or get(drv, "rerror_policy") not in (None, "default"):
        raise unsupported("error_policy")
    if get(drv, "io") not in (None, "default"):
        raise unsupported("io")
    if get(drv, "ioeventfd") is not None:
        raise unsupported("ioeventfd")
    if get(drv, "copy_on_read") is not None:
        raise unsupported("copy_on_read")
    if get(drv, "discard") not in (None, "default"):
        raise unsupported("discard")
    if get(drv, "iothread"):
        raise unsupported("iothread")
    if get(drv, "detect_zeroes") not in (None, "default"):
        raise unsupported("detect_zeroes")
    mc = getattr(drv, "metadata_cache", None)
    if mc is not None and getattr(mc, "max_size_bytes", 0) > 0:
        raise unsupported("metadata_cache")
    if _iotune_has_any(getattr(disk, "iotune", None)):
        raise unsupported("iotune")
    if getattr(disk, "backing_store", None) is not None:
        raise unsupported("backingStore")
    if getattr(disk, "encryption", None) is not None or getattr(src, "encryption", None) is not None:
        raise unsupported("encryption")
    if getattr(disk, "readonly", None):
        raise unsupported("readonly")
    if getattr(disk, "shareable", None):
        raise unsupported("shareable")
    if getattr(disk, "transient", None) is not None:
        raise unsupported("transient")
    for field in ("serial", "wwn", "vendor", "product"):
        if get(disk, field):
            raise unsupported(field)
    if getattr(disk, "auth", None) is not None or getattr(src, "auth", None) is not None:
        raise unsupported("auth")
    geo = getattr(disk, "geometry", None)
    if geo is not None and (get(geo, "cyls") or get(geo, "heads") or get(geo, "secs")
                            or get(geo, "trans") not in (None, "default")):
        raise unsupported("geometry")
    bio = getattr(disk, "blockio", None)
    if bio is not None and (get(bio, "logical_block_size") or get(bio, "physical_block_size")):
        raise unsupported("blockio")


def disk_format(disk: Any) -> str | None:
    """The disk's image format (<driver type=>), None when unset."""
    return getattr(getattr(disk, "driver", None), "type", None)


def _validate_lun(disk: Any) -> None:
    dtype = getattr(disk, "type", None)
    src = getattr(disk, "source", None)
    if dtype == "network":
        if getattr(src, "protocol", None) != "iscsi":
            raise _err("disk device='lun' is not supported for protocol='%s'" % getattr(src, "protocol", None))
    elif dtype not in ("block", "volume"):
        raise _err("disk device='lun' is only valid for block type disk source")
    if disk_format(disk) not in (None, "raw"):
        raise _err("disk device 'lun' must use 'raw' format")
    if getattr(src, "slices", None) is not None:
        raise _err("disk device 'lun' doesn't support storage slice")
    enc = getattr(src, "encryption", None) or getattr(disk, "encryption", None)
    if enc is not None and getattr(enc, "format", None) not in (None, "default"):
        raise _err("disk device 'lun' doesn't support encryption")


def _iotune_pairs(io: Any) -> None:
    if io is None:
        return
    for suffix, what in (("bytes_sec", "bytes_sec"), ("iops_sec", "iops_sec"),
                         ("bytes_sec_max", "bytes_sec_max"), ("iops_sec_max", "iops_sec_max")):
        if get(io, "total_" + suffix) and (get(io, "read_" + suffix) or get(io, "write_" + suffix)):
            raise _err("total and read/write %s cannot be set at the same time" % what)


def validate_disk(dom: Any, disk: Any) -> None:
    dst = target_dev(disk)
    src = getattr(disk, "source", None)
    if dst is None:
        if getattr(disk, "type", None) == "volume":
            raise _err("missing target information for device pool = '%s', volume = '%s'"
                       % (getattr(src, "pool", None), getattr(src, "volume", None)))
        path = disk_source_path(disk)
        raise _err("missing target information for device" + (" %s" % path if path else ""))
    _validate_disk_source_chain(disk)
    device = getattr(disk, "device", None) or "disk"
    if getattr(disk, "sgio", None) == "unfiltered":
        raise _err("unfiltered sgio is no longer supported")
    if device == "lun":
        _validate_lun(disk)
    else:
        if getattr(src, "reservations", None) is not None:
            raise _err("<reservations/> allowed only for lun devices")
        if getattr(disk, "rawio", None) is not None:
            raise _err("rawio can be used only with device='lun'")
        if getattr(disk, "sgio", None) not in (None, "default"):
            raise _err("sgio can be used only with device='lun'")
    _iotune_pairs(getattr(disk, "iotune", None))
    bus = target_bus(disk)
    at = _addr_type(disk)
    if bus in ("ide", "fdc", "scsi", "sata") and at not in ("none", "drive"):
        raise _err("Invalid address type '%s' for the disk '%s' with the bus type '%s'" % (at, dst, bus))
    drv = getattr(disk, "driver", None)
    if bus != "virtio":
        if getattr(disk, "model", None) in VIRTIO_DISK_MODELS:
            raise _err("disk model '%s' not supported for bus '%s'" % (getattr(disk, "model", None), bus))
        if getattr(drv, "queues", None):
            raise _err("queues attribute in disk driver element is only supported by virtio-blk")
        if getattr(drv, "event_idx", None) is not None:
            raise _err("disk event_idx mode supported only for virtio bus")
        if getattr(drv, "ioeventfd", None) is not None:
            raise _err("disk ioeventfd mode supported only for virtio bus")
        check_virtio_options_absent(drv)
    if getattr(disk, "type", None) == "nvme" and getattr(src, "namespace", None) == 0:
        raise _err("NVMe namespace can't be zero")
    if getattr(disk, "type", None) == "vhostuser":
        validate_vhostuser_disk(disk, bus)
    for s in _source_chain(disk):
        check_device_seclabels(dom, getattr(s, "seclabels", None))
    tgt = getattr(disk, "target", None)
    if getattr(tgt, "tray", None) is not None and device not in ("floppy", "cdrom"):
        raise _err("tray is only valid for cdrom and floppy")
    for field, limit in (("vendor", 8), ("product", 16)):
        v = get(disk, field)
        if v:
            if not _printable(v):
                raise _err("disk %s is not printable string" % field)
            if len(v) > limit:
                raise _err("disk %s is more than %d characters" % (field, limit))
    if device == "floppy" and bus != "fdc":
        raise _err("Invalid bus type '%s' for floppy disk" % bus)
    if device != "floppy" and bus == "fdc":
        raise _err("Invalid bus type '%s' for disk" % bus)
    if getattr(tgt, "removable", None) is not None and bus != "usb":
        raise _err("removable is only valid for usb disks")
    policy = getattr(src, "startup_policy", None)
    if policy not in (None, "default"):
        if getattr(disk, "type", None) not in LOCAL_STORAGE_TYPES + ("volume",):
            raise _err("disk startupPolicy '%s' is not allowed for disk of '%s' type"
                       % (policy, getattr(disk, "type", None)))
        if device not in ("cdrom", "floppy") and policy == "requisite":
            raise _err("disk startupPolicy 'requisite' is allowed only for cdrom or floppy")
    if device in ("disk", "lun") and not dst.startswith(("hd", "sd", "vd", "xvd", "ubd")):
        raise _err("Invalid harddisk device name: %s" % dst)
    if device == "floppy" and not dst.startswith("fd"):
        raise _err("Invalid floppy device name: %s" % dst)
    if device == "disk" and _source_empty(disk):
        raise _err("missing source information for device %s" % dst)


def _source_empty(disk: Any) -> bool:
    src = getattr(disk, "source", None)
    if src is None:
        return True
    dtype = getattr(disk, "type", None)
    if dtype in ("file", "block", "dir"):
        return disk_source_path(disk) is None
    if dtype == "network" and getattr(src, "protocol", None) in (None, "none"):
        return True  # virStorageSourceIsEmpty: VIR_STORAGE_NET_PROTOCOL_NONE
    return False


def check_virtio_options_absent(drv: Any) -> None:
    """virDomainCheckVirtioOptionsAreAbsent."""
    if drv is None:
        return
    for field, msg in (("iommu", "iommu driver option is only supported for virtio devices"),
                       ("ats", "ats driver option is only supported for virtio devices"),
                       ("packed", "packed driver option is only supported for virtio devices"),
                       ("page_per_vq", "page_per_vq option is only supported for virtio devices")):
        if get(drv, field) is not None:
            raise _err(msg)


# ------------------------------------------------------------ other devices

def validate_controller(c: Any) -> None:
    if getattr(c, "type", None) != "pci":
        return
    if getattr(c, "model", None) in ("pci-root", "pcie-root") and getattr(c, "address", None) is not None:
        raise _err("pci-root and pcie-root controllers should not have an address")
    idx = getattr(c, "index", None)
    if idx is not None and idx > 255:
        raise _err("PCI controller index %d too high, maximum is 255" % idx)
    t = getattr(c, "target", None)
    ti = getattr(t, "index", None)
    if ti is not None and ti != -1:
        if ti < 0 or ti > 30:
            raise _err("PCI controller target index '%d' out of range - must be 0-30" % ti)
        if (idx == 0 and ti != 0) or (idx != 0 and ti == 0):
            raise _err("Only the PCI controller with index 0 can have target index 0, and vice versa")
    for field, lo, hi, name in (("chassis_nr", 1, 255, "chassisNr"), ("chassis", 0, 255, "chassis"),
                                ("port", 0, 255, "port"), ("bus_nr", 1, 254, "busNr")):
        v = get(t, field)
        if v is not None and v != -1 and not lo <= v <= hi:
            raise _err("PCI controller %s '%d' out of range - must be %d-%d" % (name, v, lo, hi))
    node = getattr(t, "node", None)
    if node is not None and node >= 0 and idx == 0:
        raise _err("The PCI controller with index=0 can't be associated with a NUMA node")


def validate_video(dom: Any, video: Any) -> None:
    m = getattr(video, "model", None)
    vtype = getattr(m, "type", None)
    if vtype == "default":
        raise ValidationError("missing video model and cannot determine default")
    videos = devlist(dom, "videos")
    if len(videos) > 1 and any(getattr(getattr(v, "model", None), "type", None) == "none" for v in videos):
        raise _err("a 'none' video type must be the only video device defined for the domain")
    drv = getattr(video, "driver", None)
    if getattr(drv, "name", None) == "vhostuser":
        if vtype != "virtio":
            raise _err("'vhostuser' driver is only supported with 'virtio' device")
    elif getattr(getattr(m, "acceleration", None), "rendernode", None):
        raise _err("unsupported rendernode accel attribute without 'vhostuser'")
    res = getattr(m, "resolution", None)
    if res is not None and (not getattr(res, "x", None) or not getattr(res, "y", None)):
        raise _err("video resolution values must be greater than 0")
    if vtype != "qxl":
        if getattr(m, "ram", None):
            raise _err("ram attribute only supported for video type qxl")
        if getattr(m, "vram64", None):
            raise _err("vram64 attribute only supported for video type qxl")
        if getattr(m, "vgamem", None):
            raise _err("vgamem attribute only supported for video type qxl")
    if vtype == "ramfb" and getattr(video, "address", None) is not None:
        raise _err("address not supported for video type ramfb")
    if vtype != "virtio":
        check_virtio_options_absent(drv)


def validate_hostdev(h: Any) -> None:
    if getattr(h, "mode", "subsystem") in ("subsystem", None):
        htype = getattr(h, "type", None)
        at = _addr_type(h)
        if htype == "pci" and at not in ("none", "unassigned", "pci"):
            raise ValidationError("PCI host devices must use 'pci' or 'unassigned' address type")
        if htype == "scsi":
            if at not in ("none", "drive"):
                raise _err("SCSI host device must use 'drive' address type")
            if getattr(h, "sgio", None) == "unfiltered":
                raise _err("unfiltered sgio is no longer supported")
        if htype == "scsi_host" and at not in ("none", "pci", "ccw"):
            raise _err("SCSI_host host device must use 'pci' or 'ccw' address type")
        if htype == "usb" and at not in ("none", "usb"):
            raise _err("USB host device must use 'usb' address type")
    teaming = getattr(h, "teaming", None)
    if teaming is not None:
        if getattr(teaming, "type", None) != "transient":
            raise _err("teaming hostdev devices must have type='transient'")
        if not getattr(teaming, "persistent", None):
            raise _err("missing required persistent attribute in hostdev teaming element")
        if getattr(h, "mode", "subsystem") not in ("subsystem", None) or getattr(h, "type", None) != "pci":
            raise _err("teaming is only supported for pci hostdev devices")


def validate_memory(dom: Any, mem: Any) -> None:
    model = getattr(mem, "model", None)
    src = getattr(mem, "source", None)
    tgt = getattr(mem, "target", None)
    node = getattr(tgt, "node", None)
    if node is not None and node != -1:
        # guest NUMA nodes are contiguous from 0
        from .memory import numa_cells

        ncells = len(numa_cells(dom))
        if ncells == 0:
            raise _err("can't add memory backend as guest has no NUMA nodes configured")
        if node >= ncells:
            raise _err("can't add memory backend for guest node '%d' as the guest has only '%d' NUMA "
                       "nodes configured" % (node, ncells))
    path = getattr(src, "path", None)
    if model == "nvdimm":
        if not path:
            raise _err("path is required for model 'nvdimm'")
        if getattr(mem, "discard", None) is True:
            raise _err("discard is not supported for nvdimms")
        if arch_is_ppc64(os_arch(dom)):
            label = getattr(tgt, "label", None)
            if not getattr(label, "size", None):
                raise _err("label size is required for NVDIMM device")
        elif getattr(mem, "uuid", None):
            raise _err("UUID is not supported for NVDIMM device")
    elif model == "virtio-pmem":
        if not path:
            raise _err("path is required for model '%s'" % model)
        if getattr(mem, "discard", None) is True:
            raise _err("discard is not supported for model '%s'" % model)
        if getattr(mem, "access", None) != "shared":
            raise _err("shared access mode required for virtio-pmem device")
        if getattr(tgt, "node", None) is not None and getattr(tgt, "node", None) != -1:
            raise _err("virtio-pmem does not support NUMA nodes")
    elif model == "virtio-mem":
        size = getattr(tgt, "size", None) or 0
        req = getattr(tgt, "requested", None) or 0
        block = getattr(tgt, "block", None) or 0
        if req > size:
            raise _err("requested size must be smaller than or equal to @size (%dKiB)" % size)
        if block <= 0 or block & (block - 1):
            raise _err("block size must be a power of two")
        if block < 2048:
            raise _err("block size too small, must be at least 2048KiB")
        if req % block:
            raise _err("requested size must be an integer multiple of block size")
    elif model == "sgx-epc":
        if _addr_type(mem) != "none":
            raise _err("memory device address is not supported for model '%s'" % model)


def validate_input(dom: Any, inp: Any) -> None:
    bus = getattr(inp, "bus", None)
    itype = getattr(inp, "type", None)
    ostype = os_type(dom)
    if ostype == "hvm":
        if bus == "ps2" and itype not in ("mouse", "keyboard"):
            raise ValidationError("ps2 bus does not support %s input device" % itype)
        if bus == "xen":
            raise ValidationError("unsupported input bus %s" % bus)
    elif ostype in ("xen", "xenpvh"):
        if bus != "xen":
            raise ValidationError("unsupported input bus %s" % bus)
        if itype not in ("mouse", "keyboard"):
            raise ValidationError("xen bus does not support %s input device" % itype)
    else:
        if getattr(dom, "type", None) in ("vz", "parallels"):
            if bus != "parallels":
                raise ValidationError("parallels containers don't support input bus %s" % bus)
            if itype not in ("mouse", "keyboard"):
                raise ValidationError("parallels bus does not support %s input device" % itype)
        else:
            raise ValidationError("Input devices are not supported by this virtualization driver.")
    src = getattr(inp, "source", None)
    if itype in ("mouse", "tablet", "keyboard") and getattr(src, "evdev", None):
        raise _err("setting source evdev path only supported for passthrough input devices")
    if itype == "passthrough" and bus != "virtio":
        raise _err("only bus 'virtio' is supported for 'passthrough' input devices")
    if itype == "evdev" and bus not in (None, "none"):
        raise _err("input evdev doesn't support bus element")
    model = getattr(inp, "model", None)
    if model in ("virtio", "virtio-transitional", "virtio-non-transitional") and bus != "virtio":
        raise _err("only bus 'virtio' is supported for input model '%s'" % model)


def validate_shmem(sh: Any) -> None:
    name = getattr(sh, "name", None) or ""
    if "/" in name:
        raise _err("shmem name cannot include '/' character")
    if name == ".":
        raise _err("shmem name cannot be equal to '.'")
    if name == "..":
        raise _err("shmem name cannot be equal to '..'")


def validate_fs(fs: Any) -> None:
    tgt = getattr(fs, "target", None)
    dst = tgt if isinstance(tgt, str) else getattr(tgt, "dir", None)
    if not dst:
        src = getattr(fs, "source", None)
        source = getattr(src, "dir", None) or getattr(src, "file", None) or getattr(src, "name", None) or getattr(src, "socket", None)
        raise _err("missing target information for device" + (" %s" % source if source else ""))
    if getattr(getattr(fs, "boot", None), "order", None) and getattr(getattr(fs, "driver", None), "type", None) != "virtiofs":
        raise _err("boot order is only supported for virtiofs")


def _audio_id(ref: Any) -> int:
    if ref is None:
        return 0
    if isinstance(ref, int):
        return ref
    return int(getattr(ref, "id", None) or 0)


def ensure_audio_id(dom: Any, aid: int) -> None:
    if aid == 0:
        return
    if any(getattr(a, "id", None) == aid for a in devlist(dom, "audios")):
        return
    raise _err("no audio device with ID %u" % aid)


def validate_graphics(dom: Any, g: Any) -> None:
    gtype = getattr(g, "type", None)
    if gtype in ("vnc", "spice", "rdp"):
        for ls in getattr(g, "listens", None) or []:
            if getattr(ls, "type", None) == "network" and not getattr(ls, "network", None):
                raise _err("'network' attribute is required for listen type 'network'")
    if gtype == "vnc":
        ensure_audio_id(dom, _audio_id(getattr(g, "audio", None)))
    elif gtype == "dbus":
        if getattr(g, "p2p", None) and getattr(g, "address", None):
            raise _err("D-Bus p2p with an address is not supported")


def validate_device(dom: Any, dev: Any, ctx: Any) -> None:
    """virDomainDeviceDefValidateInternal."""
    kind = device_kind(dev)
    if _addr_type(dev) == "unassigned" and kind != "hostdev":
        raise _err("address of type 'unassigned' is supported only for hostdevs")
    if kind == "disk":
        missing = getattr(dev, "missing_target", None)
        if missing:
            raise ValidationError(missing)
        validate_disk(dom, dev)
    elif kind == "redirdev":
        if getattr(dev, "bus", None) == "usb" and not has_usb(dom):
            raise _err("cannot add redirected USB device: USB is disabled for this domain")
        validate_chr_source(getattr(dev, "type", None), dev, None)
    elif kind == "interface":
        validate_net(dev)
    elif kind == "controller":
        validate_controller(dev)
    elif kind in chrmod.CHR_LISTS:
        validate_chr_source(getattr(dev, "type", None), dev, dev)
        check_device_seclabels(dom, getattr(chr_source(dev), "seclabels", None))
    elif kind == "smartcard":
        if _addr_type(dev) not in ("none", "ccid"):
            raise _err("Controllers must use the 'ccid' address type")
        if getattr(dev, "mode", None) == "passthrough":
            validate_chr_source(getattr(dev, "type", None), dev, None)
    elif kind == "rng":
        backend = getattr(dev, "backend", None)
        if getattr(backend, "model", None) == "egd":
            validate_chr_source(getattr(backend, "type", None), backend, None)
    elif kind == "hostdev":
        validate_hostdev(dev)
    elif kind == "video":
        validate_video(dom, dev)
    elif kind == "memory":
        validate_memory(dom, dev)
    elif kind == "vsock":
        cid = getattr(getattr(dev, "cid", None), "address", None)
        if cid is not None and 0 < cid <= 2:
            raise _err("guest CIDs must be >= 3")
        if getattr(dev, "model", None) not in ("virtio", "virtio-transitional", "virtio-non-transitional"):
            check_virtio_options_absent(getattr(dev, "driver", None))
    elif kind == "input":
        validate_input(dom, dev)
    elif kind == "shmem":
        validate_shmem(dev)
    elif kind == "filesystem":
        validate_fs(dev)
    elif kind == "audio":
        aid = getattr(dev, "id", None)
        for other in devlist(dom, "audios"):
            if other is not dev and getattr(other, "id", None) == aid:
                raise _err("audio ID %u is used multiple times" % (aid or 0))
    elif kind == "sound":
        ensure_audio_id(dom, _audio_id(getattr(dev, "audio", None)))
    elif kind == "graphics":
        validate_graphics(dom, dev)
    elif kind == "iommu":
        validate_iommu(dev)
    elif kind == "tpm":
        validate_tpm(dev)


def validate_iommu(iommu: Any) -> None:
    """virDomainIOMMUDefValidate."""
    model = getattr(iommu, "model", None)
    drv = getattr(iommu, "driver", None)
    if model in ("smmuv3", "virtio"):
        if any(get(drv, f) is not None for f in ("intremap", "caching_mode", "eim", "iotlb")) or get(drv, "aw_bits"):
            raise _err("iommu model '%s' doesn't support additional attributes" % model)
    if model in ("smmuv3", "intel") and _addr_type(iommu) != "none":
        raise _err("iommu model '%s' can't have address" % model)


def validate_tpm(tpm: Any) -> None:
    """virDomainTPMDevValidate."""
    backend = getattr(tpm, "backend", None)
    btype = getattr(backend, "type", None)
    if btype == "emulator":
        if getattr(backend, "active_pcr_banks", None) is not None and getattr(backend, "version", None) != "2.0":
            raise _err("<active_pcr_banks/> requires TPM version '2.0'")
    elif btype == "external":
        src = getattr(backend, "source", None)
        if getattr(src, "type", None) != "unix":
            raise _err("only source type 'unix' is supported for external TPM device")
        if getattr(src, "mode", None) == "bind":
            raise _err("only 'client' mode is supported for external TPM device")
        if getattr(src, "path", None) is None:
            raise _err("missing socket path for external TPM device")


def has_usb(dom: Any) -> bool:
    """virDomainDefHasUSB: a USB controller whose model is not none."""
    return any(getattr(c, "type", None) == "usb" and getattr(c, "model", None) != "none" for c in devlist(dom, "controllers"))


def _mac(dev: Any) -> str:
    mac = getattr(dev, "mac", None)
    return (mac if isinstance(mac, str) else getattr(mac, "address", None)) or ""


def validate_net(net: Any) -> None:
    ntype = getattr(net, "type", None)
    src = getattr(net, "source", None)
    if (getattr(src, "ips", None) or getattr(src, "routes", None)) and ntype != "ethernet":
        raise _err("Invalid attempt to set network interface host-side IP route and/or address info on "
                   "interface of type '%s'. This is only supported on interfaces of type 'ethernet'" % ntype)
    if getattr(getattr(net, "target", None), "managed", None) is False and ntype != "ethernet":
        raise _err("unmanaged target dev is not supported on interfaces of type '%s'" % ntype)
    teaming = getattr(net, "teaming", None)
    if teaming is not None:
        if getattr(teaming, "type", None) == "transient":
            if not getattr(teaming, "persistent", None):
                raise _err("teaming persistent attribute must be set if teaming type is 'transient'")
        elif getattr(teaming, "persistent", None):
            raise _err("teaming persistent attribute not allowed if teaming type is '%s'" % getattr(teaming, "type", None))
    if getattr(getattr(net, "port", None), "isolated", None) is True:
        if ntype not in ("network", "bridge"):
            raise _err("interface %s - <port isolated='yes'/> is not supported for network interfaces "
                       "with type='%s'" % (_mac(net), ntype))
        vp = getattr(net, "virtualport", None)
        if vp is not None and getattr(vp, "type", None) not in (None, "none"):
            raise _err("interface %s - <port isolated='yes'/> is not supported for network interfaces "
                       "with virtualport type='%s'" % (_mac(net), getattr(vp, "type", None)))
    model = getattr(getattr(net, "model", None), "type", None)
    if model not in ("virtio", "virtio-transitional", "virtio-non-transitional"):
        check_virtio_options_absent(getattr(net, "driver", None))
    backend = getattr(getattr(net, "backend", None), "type", None)
    if ntype != "user" and backend == "passt":
        raise _err("The 'passt' backend can only be used with interface type='user'")
    if ntype == "vhostuser":
        if model not in ("virtio", "virtio-transitional", "virtio-non-transitional"):
            raise _err("Wrong or no <model> 'type' attribute specified with <interface type='vhostuser'/>. "
                       "vhostuser requires the virtio-net* frontend")
        if getattr(src, "mode", None) == "server" and \
                getattr(getattr(src, "reconnect", None), "enabled", None) is True:
            raise _err("'reconnect' attribute unsupported 'server' mode for <interface type='vhostuser'>")
    elif ntype == "user" and backend == "passt":
        for pf in getattr(net, "port_forwards", None) or []:
            for r in getattr(pf, "ranges", None) or []:
                if not getattr(r, "start", None) and (getattr(r, "end", None) or getattr(r, "to", None)
                                                      or getattr(r, "exclude", None) is not None):
                    raise _err("The 'range' of a 'portForward' requires 'start' attribute if 'end', "
                               "'to', or 'exclude' is specified")


# --------------------------------------------------------------- domain

def check_resource(dom: Any) -> None:
    appid = getattr(getattr(dom, "resource", None), "appid", None)
    if appid is None:
        return
    if not _printable(appid):
        raise _err("Fibre Channel 'appid' is not a printable string")
    if not 1 <= len(appid.encode()) <= 128:
        raise _err("Fibre Channel 'appid' string length must be between [1, 128]")


def check_duplicate_disk_targets(dom: Any) -> None:
    disks = devlist(dom, "disks")
    # libvirt compares every pair (i < j) and reports the first pair found:
    # that is the disk whose target comes back earliest among the first
    # occurrences, with that target's second occurrence
    first: dict[Any, int] = {}
    second: dict[Any, int] = {}
    for i, d in enumerate(disks):
        t = target_dev(d)
        if t is None:
            continue
        if t not in first:
            first[t] = i
        elif t not in second:
            second[t] = i
    if not second:
        return
    t = min(second, key=lambda k: first[k])
    a, b = disks[first[t]], disks[second[t]]
    raise ValidationError("target '%s' duplicated for disk sources '%s' and '%s'"
                          % (target_dev(a), _nullstr(disk_source_path(a)), _nullstr(disk_source_path(b))))


def _hostdev_key(h: Any) -> Any:
    """What virDomainHostdevMatch compares, per hostdev kind."""
    mode = getattr(h, "mode", None) or "subsystem"
    htype = getattr(h, "type", None)
    src = getattr(h, "source", None)
    if mode == "subsystem":
        if htype == "pci":
            a = getattr(src, "address", None)  # (no <address>: 0000:00:00.0)
            return ("pci", getattr(a, "domain", None) or 0, getattr(a, "bus", None) or 0,
                    getattr(a, "slot", None) or 0, getattr(a, "function", None) or 0)
        if htype == "usb":
            a = getattr(src, "address", None)
            return ("usb", getattr(a, "bus", None) or 0, getattr(a, "device", None) or 0,
                    getattr(getattr(src, "vendor", None), "id", None) or 0,
                    getattr(getattr(src, "product", None), "id", None) or 0)
        if htype == "scsi":
            if getattr(src, "protocol", None) == "iscsi":
                hosts = getattr(src, "hosts", None) or []
                return ("iscsi", getattr(src, "name", None), tuple(getattr(x, "name", None) for x in hosts))
            ad = getattr(src, "adapter", None)
            a = getattr(src, "address", None)
            return ("scsi", getattr(ad, "name", None), getattr(a, "bus", None), getattr(a, "target", None), getattr(a, "unit", None))
        if htype == "scsi_host":
            return ("scsi_host", getattr(src, "protocol", None), getattr(src, "wwpn", None))
        if htype == "mdev":
            a = getattr(src, "address", None)
            return ("mdev", getattr(a, "uuid", None))
        return None
    return (mode, htype, repr(src))


def _hostdev_match(a: Any, b: Any) -> bool:
    """virDomainHostdevMatch on two keys; a USB device is matched by host
    bus/device when the first one has both set, else by vendor/product."""
    if a is None or b is None or a[0] != b[0]:
        return False
    if a[0] == "usb":
        if a[1] and a[2]:
            return a[1:3] == b[1:3]
        return a[3:] == b[3:]
    return bool(a == b)


def check_hostdevs(dom: Any) -> None:
    hostdevs = devlist(dom, "hostdevs")
    ramfb = False
    for i, h in enumerate(hostdevs):
        k = _hostdev_key(h)
        for other in hostdevs[i + 1:]:
            if k is not None and _hostdev_match(k, _hostdev_key(other)):
                raise _err("Hostdev already exists in the domain configuration")
        if getattr(h, "type", None) == "mdev" and getattr(h, "ramfb", None) is True:
            if ramfb:
                raise _err("Only one vgpu device can have 'ramfb' enabled")
            ramfb = True


def _drive(dev: Any) -> tuple[int, int, int, int] | None:
    addr = getattr(dev, "address", None)
    if addr is None or getattr(addr, "type", None) != "drive":
        return None
    return (int(getattr(addr, "controller", None) or 0), int(getattr(addr, "bus", None) or 0),
            int(getattr(addr, "target", None) or 0), int(getattr(addr, "unit", None) or 0))


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
        # libvirt prints the bus in controller= and the controller in bus=
        quirk = (ad[1], ad[0], ad[2], ad[3])
        for b in hostdevs[i + 1:]:
            if _drive(b) == ad:
                raise ValidationError("SCSI host address controller='%u' bus='%u' target='%u' unit='%u' "
                                      "in use by another SCSI host device" % quirk)
        if address_used_by_disk(dom, "scsi", ad):
            raise ValidationError("SCSI host address controller='%u' bus='%u' target='%u' unit='%u' "
                                  "in use by another SCSI disk" % quirk)


UINT_MAX = 4294967295


def vcpus_topology(dom: Any) -> int | None:
    """virDomainDefGetVcpusTopology: the vCPU count the <cpu><topology>
    describes (None without one); refuses a product beyond UINT_MAX."""
    t = getattr(getattr(dom, "cpu", None), "topology", None)
    if t is None or not getattr(t, "sockets", None):
        return None
    n = 1
    for v in (t.sockets, getattr(t, "dies", None), getattr(t, "cores", None), getattr(t, "threads", None)):
        n *= v if v is not None else 1
        if n > UINT_MAX:
            raise _err("cpu topology results in more than %u cpus" % UINT_MAX)
    return n


def check_aliases(dom: Any) -> None:
    """virDomainDefValidateAliases: user aliases must be unique."""
    seen: set[str] = set()
    serials = devlist(dom, "serials")
    consoles = devlist(dom, "consoles")
    first = consoles[0] if serials and consoles and chrmod.target_type(consoles[0]) == "serial" else None
    # only a stub console libvirt made up (no <console> in the document)
    # lets the character devices equal to it through (oracle-checked)
    compat = first if getattr(first, "_implicit", False) else None
    for dev in iter_postparse_devices(dom, all_consoles=True, missing_info=False):
        name = getattr(getattr(dev, "alias", None), "name", None)
        if not name or not is_user_alias(name):
            continue
        # libvirt's "backcompat for consoles": any character device equal
        # to the first (serial) console -- virDomainChrEquals compares the
        # source and, as for a console, the target port only -- is skipped
        if compat is not None and chrmod.chr_kind(dev) is not None and \
                sources_equal(compat, dev) and max(chrmod.port(compat), 0) == max(chrmod.port(dev), 0):
            continue  # (the compat console's unset port is libvirt's 0)
        if first is not None and dev is first:
            continue
        if name in seen:
            raise _err("non unique alias detected: %s" % name)
        seen.add(name)


def check_iommu(dom: Any) -> None:
    iommu = getattr(getattr(dom, "devices", None), "iommu", None)
    if iommu is None:
        return
    drv = getattr(iommu, "driver", None)
    intremap = getattr(drv, "intremap", None)
    ioapic = getattr(getattr(dom, "features", None), "ioapic", None)
    ioapic_driver = ioapic if isinstance(ioapic, str) or ioapic is None else getattr(ioapic, "driver", None)
    if intremap is True and ioapic_driver != "qemu":
        raise _err("IOMMU interrupt remapping requires split I/O APIC (ioapic driver='qemu')")
    if getattr(drv, "eim", None) is True and intremap is not True:
        raise _err("IOMMU eim requires interrupt remapping to be enabled")


def check_lifecycle(dom: Any) -> None:
    for field, event in (("on_poweroff", "poweroff"), ("on_reboot", "reboot")):
        action = get(dom, field)
        if action in ("coredump-destroy", "coredump-restart"):
            raise ValidationError("Lifecycle event '%s' doesn't support '%s' action" % (event, action))


def check_memtune(dom: Any) -> None:
    pages = getattr(getattr(getattr(dom, "memory_backing", None), "hugepages", None), "pages", None) or []
    ncells = len(numa_cells(dom))
    for i, p in enumerate(pages):
        for q in pages[:i]:
            pn, qn = getattr(p, "nodeset", None), getattr(q, "nodeset", None)
            if pn is not None and qn is not None and set(pn) & set(qn):
                raise _err("nodeset attribute of hugepages of sizes %d and %d intersect"
                           % (getattr(p, "size", None), getattr(q, "size", None)))
            if pn is None and qn is None:
                raise _err("two master hugepages detected: %d and %d" % (getattr(p, "size", None), getattr(q, "size", None)))
        ns = getattr(p, "nodeset", None)
        if ns is None:
            continue
        beyond = [b for b in ns if b >= ncells]
        if beyond:
            raise _err("hugepages: node %d not found" % min(beyond))


def check_os(dom: Any, ctx: Any) -> None:
    """virDomainDefOSValidate (libvirt 9.0).  A lone ``<nvram>`` implies a
    loader (libvirt keeps the nvram in the loader definition)."""
    os_ = getattr(dom, "os", None)
    firmware = getattr(os_, "firmware", None)
    loader = getattr(os_, "loader", None)
    nvram = getattr(os_, "nvram", None)
    has_nvram = nvram is not None and (getattr(nvram, "path", None) is not None
                                       or getattr(nvram, "source", None) is not None)
    template = getattr(nvram, "template", None) if nvram is not None else None
    if firmware:
        if not ctx.driver.has(Feature.FW_AUTOSELECT):
            raise _err("firmware auto selection not implemented for this driver")
        if loader is None and nvram is None:
            return
        if loader is not None and getattr(loader, "readonly", None) is not None:
            raise _err("loader attribute 'readonly' cannot be specified when firmware "
                       "autoselection is enabled")
        if loader is not None and getattr(loader, "type", None) is not None:
            raise _err("loader attribute 'type' cannot be specified when firmware "
                       "autoselection is enabled")
        if loader is not None and getattr(loader, "path", None):
            # (post-parse gives a loader with a path type 'rom': the type
            # check above reports it first)
            raise _err("loader path cannot be specified when firmware autoselection is enabled")
        if template is not None:
            raise _err("nvram attribute 'template' cannot be specified when firmware "
                       "autoselection is enabled")
        if loader is not None and getattr(loader, "secure", None) is False:
            raise _err("loader attribute 'secure' cannot be specified when firmware "
                       "autoselection is enabled")
        if has_nvram and firmware != "efi":
            raise _err(f"firmware type '{firmware}' does not support nvram")
    else:
        if getattr(getattr(os_, "firmware_info", None), "features", None):
            raise _err("cannot use feature-based firmware autoselection when firmware "
                       "autoselection is disabled")
        if loader is None and nvram is None:
            return
        if loader is None or not getattr(loader, "path", None):
            raise _err("no loader path specified and firmware auto selection disabled")
    stateless = getattr(loader, "stateless", None) if loader is not None else None
    if stateless is True:
        if template is not None:
            raise _err("NVRAM template is not permitted when loader is stateless")
        if has_nvram:
            raise _err("NVRAM is not permitted when loader is stateless")
    elif stateless is False:
        if not firmware:
            if getattr(loader, "type", None) != "pflash":
                raise _err("Only pflash loader type permits NVRAM")
        elif firmware != "efi":
            raise _err("Only EFI firmware permits NVRAM")


def check_cputune(dom: Any) -> None:
    ct = getattr(dom, "cputune", None)
    if ct is None:
        return
    shares = getattr(ct, "shares", None)
    if shares and not CPU_SHARES_MIN <= shares <= CPU_SHARES_MAX:
        raise _err("Value of cputune 'shares' must be in range [%d, %d]" % (CPU_SHARES_MIN, CPU_SHARES_MAX))
    for name in ("period", "global_period", "emulator_period", "iothread_period"):
        v = get(ct, name)
        if v and v > 0 and not CPU_PERIOD_MIN <= v <= CPU_PERIOD_MAX:
            raise _err("Value of cputune '%s' must be in range [%d, %d]" % (name, CPU_PERIOD_MIN, CPU_PERIOD_MAX))
    for name in ("quota", "global_quota", "emulator_quota", "iothread_quota"):
        v = get(ct, name)
        if v and v > 0 and not CPU_QUOTA_MIN <= v <= CPU_QUOTA_MAX:
            raise _err("Value of cputune '%s' must be in range [%d, %d]" % (name, CPU_QUOTA_MIN, CPU_QUOTA_MAX))


def check_boot_timeouts(dom: Any) -> None:
    os_ = getattr(dom, "os", None)
    timeout = getattr(getattr(os_, "bootmenu", None), "timeout", None)
    if timeout is not None and int(timeout) > 65535:
        raise ValidationError("invalid value for boot menu timeout, must be in range [0,65535]")
    rt = getattr(getattr(os_, "bios", None), "reboot_timeout", None)
    if rt is not None and not -1 <= int(rt) <= 65535:
        raise ValidationError("invalid value for rebootTimeout, must be in range [-1,65535]")


def check_videos(dom: Any) -> None:
    videos = devlist(dom, "videos")
    if videos and getattr(getattr(videos[0], "model", None), "primary", None):
        for v in videos[1:]:
            if getattr(getattr(v, "model", None), "primary", None):
                raise ValidationError("Only one primary video device is supported")


def check_tunables(dom: Any) -> None:
    seen: set[str] = set()
    for d in getattr(getattr(dom, "blkiotune", None), "devices", None) or []:
        p = getattr(d, "path", None)
        if p in seen:
            raise _err("duplicate blkio device path '%s'" % p)
        seen.add(p)


def check_idmap(dom: Any) -> None:
    idmap = getattr(dom, "idmap", None)
    uids, gids = getattr(idmap, "uids", None) or [], getattr(idmap, "gids", None) or []
    if bool(uids) != bool(gids):
        raise _err("uid and gid should be mapped both")
    if (uids and getattr(uids[0], "start", None) != 0) or (gids and getattr(gids[0], "start", None) != 0):
        raise _err("You must map the root user of container")


def check_fs_targets(dom: Any) -> None:
    seen: set[str] = set()
    for fs in devlist(dom, "filesystems"):
        if getattr(getattr(fs, "driver", None), "type", None) != "virtiofs":
            continue
        tgt = getattr(fs, "target", None)
        dst = tgt if isinstance(tgt, str) else getattr(tgt, "dir", None)
        if dst in seen:
            raise _err("filesystem target '%s' specified twice" % dst)
        seen.add(dst)


def _thread_pool(obj: Any) -> None:
    if obj is None:
        return
    tmin, tmax = getattr(obj, "thread_pool_min", None), getattr(obj, "thread_pool_max", None)
    if tmax == 0:
        raise _err("thread_pool_max must be a positive integer")
    # unset is -1 in libvirt: a minimum without a maximum is refused too
    if tmin is not None and (tmax is None or tmin > tmax):
        raise _err("thread_pool_min must be smaller or equal to thread_pool_max")


def check_iothreads(dom: Any) -> None:
    ids = getattr(dom, "iothreadids", None)
    for t in getattr(ids, "iothreads", None) or getattr(ids, "ids", None) or []:
        _thread_pool(t)
    _thread_pool(getattr(dom, "defaultiothread", None))


def check_numa(dom: Any) -> None:
    """virDomainNumaDefValidate (libvirt 9.0): NUMA cell caches and the HMAT
    interconnects.  (The memnode 'restrictive' mode rule is parse-time in
    9.0, in model.cpu.Numatune.)"""
    cells = sorted(numa_cells(dom), key=lambda c: getattr(c, "id", None) or 0)
    for cell in cells:
        seen: set[int] = set()
        for cache in getattr(cell, "caches", None) or []:
            if cache.level > 3:
                raise _err("Ain't nobody heard of that much cache level")
            if cache.level in seen:
                raise _err("Cache level '%u' already defined" % cache.level)
            seen.add(cache.level)
    inter = getattr(getattr(getattr(dom, "cpu", None), "numa", None), "interconnects", None)
    links = list(getattr(inter, "items", None) or [])
    n = len(cells)
    for i, link in enumerate(links):
        if link.initiator >= n:
            raise _err("'initiator' refers to a non-existent NUMA node")
        if link.target >= n:
            raise _err("'target' refers to a non-existent NUMA node")
        if not getattr(cells[link.initiator], "cpus", None):
            raise _err("NUMA nodes without CPUs can't be initiator")
        lcache = link.cache or 0
        if lcache > 0 and all(c.level != lcache for c in getattr(cells[link.target], "caches", None) or []):
            raise _err("'cache' refers to a non-existent NUMA node cache")
        for prev in links[:i]:
            if (type(prev) is type(link) and prev.initiator == link.initiator
                    and prev.target == link.target and (prev.cache or 0) == lcache
                    and prev.type == link.type):
                raise _err("Duplicate info for NUMA latencies")
            if link.initiator != link.target and link.initiator == prev.target \
                    and link.target == prev.initiator:
                raise _err("Link already defined")


def validate_domain(dom: Any, ctx: Any) -> None:
    """virDomainDefValidateInternal (the driver-independent part), in
    libvirt's order."""
    check_resource(dom)
    check_duplicate_disk_targets(dom)
    check_hostdevs(dom)
    check_duplicate_drive_addresses(dom)
    vcpus_topology(dom)
    check_aliases(dom)
    check_iommu(dom)
    check_lifecycle(dom)
    check_memtune(dom)
    check_os(dom, ctx)
    check_cputune(dom)
    check_boot_timeouts(dom)
    check_videos(dom)
    check_tunables(dom)
    check_idmap(dom)
    check_numa(dom)
    check_fs_targets(dom)
    check_iothreads(dom)
