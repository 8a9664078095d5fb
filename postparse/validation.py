"""Generic, driver-independent validation (libvirt's domain_validate.c:
virDomainDeviceDefValidateInternal per device and
virDomainDefValidateInternal for the domain, behaviour §10), with
libvirt's texts and order.  Skipped with ParseFlags.SKIP_VALIDATE."""

from __future__ import annotations

from typing import Any

from virtxml.errors import ValidationError

from . import chr as chrmod
from .disks import target_bus, target_dev
from .hostdevs import address_used_by_disk, is_scsi_hostdev
from .util import device_kind, devlist, get, os_arch, os_type
from .util import arch_is_ppc64

SERIAL_CHANNEL_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
VIRTIO_DISK_MODELS = ("virtio", "virtio-transitional", "virtio-non-transitional")
#: cgroup limits (vircgroup.h)
CPU_SHARES_MIN, CPU_SHARES_MAX = 2, 262144
CPU_PERIOD_MIN, CPU_PERIOD_MAX = 1000, 1000000
CPU_QUOTA_MIN, CPU_QUOTA_MAX = 1000, 17592186044415
LOCAL_STORAGE_TYPES = ("file", "block", "dir")


def _err(msg: str) -> ValidationError:
    return ValidationError(msg)


def _addr_type(dev: Any) -> str:
    a = get(dev, "address")
    return "none" if a is None else (get(a, "type") or "none")


# ------------------------------------------------------------ chardevs

def chr_source(dev: Any) -> Any:
    """The (first) <source> of a chardev-like object."""
    srcs = get(dev, "sources")
    if isinstance(srcs, list):
        return srcs[0] if srcs else None
    return get(dev, "source")


def _channel_name(name: str | None) -> None:
    if not name:
        raise _err("Missing source channel attribute for char device")
    if any(c not in SERIAL_CHANNEL_NAME_CHARS for c in name):
        raise _err("Invalid character in source channel for char device")


def _udp_connect_service(holder: Any) -> Any:
    srcs = get(holder, "sources")
    if isinstance(srcs, list):
        for s in srcs:
            if get(s, "mode") == "connect":
                return get(s, "service")
        return None
    return get(chr_source(holder), "service")


def validate_chr_source(ctype: str | None, holder: Any, chr_dev: Any | None) -> None:
    """virDomainChrSourceDefValidate; ``holder`` carries the <source>
    elements (the chardev itself, or an rng backend, smartcard, redirdev)."""
    src = chr_source(holder)
    if ctype in ("file", "dev", "pipe"):
        if not get(src, "path"):
            raise _err("Missing source path attribute for char device")
    elif ctype == "nmdm":
        if bool(get(src, "master")) != bool(get(src, "slave")):
            raise _err("Should define both master and slave path attributes for nmdm device")
    elif ctype == "tcp":
        if not get(src, "host"):
            raise _err("Missing source host attribute for char device")
        if not get(src, "service"):
            raise _err("Missing source service attribute for char device")
        if get(src, "mode") == "bind" and get(get(src, "reconnect"), "enabled") is True:
            raise _err("chardev reconnect is possible only for connect mode")
    elif ctype == "udp":
        if not _udp_connect_service(holder):
            raise _err("Missing source service attribute for char device")
    elif ctype == "unix":
        auto_ok = chr_dev is not None and chrmod.chr_kind(chr_dev) == "channel" and \
            chrmod.target_type(chr_dev) in ("xen", "virtio")
        if not get(src, "path") and not auto_ok:
            raise _err("Missing source path attribute for char device")
        if get(src, "mode") == "bind" and get(get(src, "reconnect"), "enabled") is True:
            raise _err("chardev reconnect is possible only for connect mode")
    elif ctype in ("spiceport", "dbus"):
        _channel_name(get(src, "channel"))
    rec = get(src, "reconnect")
    if ctype in ("tcp", "unix") and get(rec, "enabled") is True and not get(rec, "timeout"):
        raise _err("chardev reconnect source timeout cannot be '0'")


# ---------------------------------------------------------------- disks

def disk_source_path(disk: Any) -> str | None:
    """virDomainDiskGetSource: the source's path (file, dev, dir, network
    name, ...), None for a volume or an empty source."""
    src = get(disk, "source")
    for name in ("file", "dev", "dir", "name", "path_", "path"):
        v = get(src, name)
        if isinstance(v, str):
            return v
    return None


def _nullstr(v: Any) -> str:
    return "<null>" if v is None else str(v)


def _printable(s: str) -> bool:
    return all(c.isprintable() for c in s)


def _validate_disk_source_chain(disk: Any) -> None:
    src = get(disk, "source")
    chain = []
    while src is not None:
        chain.append(src)
        bs = get(src, "backing_store")
        src = get(bs, "source") if bs is not None else None
    bs = get(disk, "backing_store")
    while bs is not None:
        s = get(bs, "source")
        if s is not None and s not in chain:
            chain.append(s)
        bs = get(bs, "backing_store")
    dtype = get(disk, "type")
    for s in chain:
        auth = get(s, "auth") or (get(disk, "auth") if s is chain[0] else None)
        proto = get(s, "protocol")
        if dtype == "network" and auth is not None:
            if proto not in ("iscsi", "http", "https", "ftp", "ftps", "ssh", "rbd", None):
                raise _err("authentication is not supported for protocol '%s'" % proto)
            stype = get(get(auth, "secret"), "type")
            if stype not in ("none", "volume", "ceph", "iscsi", "tls", "vtpm"):
                raise _err("unknown secret type '%s'" % _nullstr(stype))
            if (proto == "iscsi" and stype != "iscsi") or (proto == "rbd" and stype != "ceph"):
                raise _err("invalid secret type '%s'" % stype)
        enc = get(s, "encryption") or (get(disk, "encryption") if s is chain[0] else None)
        if enc is not None and get(enc, "format") == "luks" and get(get(enc, "cipher"), "name"):
            raise _err("supplying <cipher> for domain disk definition is unnecessary")
        if dtype != "network" and proto != "rbd":
            if get(s, "snapshot") is not None:
                raise _err("<snapshot> element is currently supported only with 'rbd' disks")
            if get(s, "config") is not None:
                raise _err("<config> element is currently supported only with 'rbd' disks")


def _disk_format(disk: Any) -> str | None:
    return get(get(disk, "driver"), "type")


def _validate_lun(disk: Any) -> None:
    dtype = get(disk, "type")
    src = get(disk, "source")
    if dtype == "network":
        if get(src, "protocol") != "iscsi":
            raise _err("disk device='lun' is not supported for protocol='%s'" % get(src, "protocol"))
    elif dtype not in ("block", "volume"):
        raise _err("disk device='lun' is only valid for block type disk source")
    if _disk_format(disk) not in (None, "raw"):
        raise _err("disk device 'lun' must use 'raw' format")
    if get(src, "slices") is not None:
        raise _err("disk device 'lun' doesn't support storage slice")
    enc = get(src, "encryption") or get(disk, "encryption")
    if enc is not None and get(enc, "format") not in (None, "default"):
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
    src = get(disk, "source")
    if not dst:
        if get(disk, "type") == "volume":
            raise _err("missing target information for device pool = '%s', volume = '%s'"
                       % (get(src, "pool"), get(src, "volume")))
        path = disk_source_path(disk)
        raise _err("missing target information for device" + (" %s" % path if path else ""))
    _validate_disk_source_chain(disk)
    device = get(disk, "device") or "disk"
    if get(disk, "sgio") == "unfiltered":
        raise _err("unfiltered sgio is no longer supported")
    if device == "lun":
        _validate_lun(disk)
    else:
        if get(src, "reservations") is not None:
            raise _err("<reservations/> allowed only for lun devices")
        if get(disk, "rawio") is not None:
            raise _err("rawio can be used only with device='lun'")
        if get(disk, "sgio") not in (None, "default"):
            raise _err("sgio can be used only with device='lun'")
    _iotune_pairs(get(disk, "iotune"))
    bus = target_bus(disk)
    at = _addr_type(disk)
    if bus in ("ide", "fdc", "scsi", "sata") and at not in ("none", "drive"):
        raise _err("Invalid address type '%s' for the disk '%s' with the bus type '%s'" % (at, dst, bus))
    drv = get(disk, "driver")
    if bus != "virtio":
        if get(disk, "model") in VIRTIO_DISK_MODELS:
            raise _err("disk model '%s' not supported for bus '%s'" % (get(disk, "model"), bus))
        if get(drv, "queues"):
            raise _err("queues attribute in disk driver element is only supported by virtio-blk")
        if get(drv, "event_idx") is not None:
            raise _err("disk event_idx mode supported only for virtio bus")
        if get(drv, "ioeventfd") is not None:
            raise _err("disk ioeventfd mode supported only for virtio bus")
        check_virtio_options_absent(drv)
    if get(disk, "type") == "nvme" and get(src, "namespace") == 0:
        raise _err("NVMe namespace can't be zero")
    if get(disk, "type") == "vhostuser":
        if bus != "virtio":
            raise _err("vhostuser disk supports only virtio bus")
        if get(disk, "snapshot") != "no":
            raise _err("only snapshot=no is supported with vhostuser disk")
    tgt = get(disk, "target")
    if get(tgt, "tray") is not None and device not in ("floppy", "cdrom"):
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
    if get(tgt, "removable") is not None and bus != "usb":
        raise _err("removable is only valid for usb disks")
    policy = get(src, "startup_policy")
    if policy not in (None, "default"):
        if get(disk, "type") not in LOCAL_STORAGE_TYPES + ("volume",):
            raise _err("disk startupPolicy '%s' is not allowed for disk of '%s' type"
                       % (policy, get(disk, "type")))
        if device not in ("cdrom", "floppy") and policy == "requisite":
            raise _err("disk startupPolicy 'requisite' is allowed only for cdrom or floppy")
    if device in ("disk", "lun") and not dst.startswith(("hd", "sd", "vd", "xvd", "ubd")):
        raise _err("Invalid harddisk device name: %s" % dst)
    if device == "floppy" and not dst.startswith("fd"):
        raise _err("Invalid floppy device name: %s" % dst)
    if device == "disk" and _source_empty(disk):
        raise _err("missing source information for device %s" % dst)


def _source_empty(disk: Any) -> bool:
    src = get(disk, "source")
    if src is None:
        return True
    dtype = get(disk, "type")
    if dtype in ("file", "block", "dir"):
        return disk_source_path(disk) is None
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
    if get(c, "type") != "pci":
        return
    if get(c, "model") in ("pci-root", "pcie-root") and get(c, "address") is not None:
        raise _err("pci-root and pcie-root controllers should not have an address")
    idx = get(c, "index")
    if idx is not None and idx > 255:
        raise _err("PCI controller index %d too high, maximum is 255" % idx)
    t = get(c, "target")
    ti = get(t, "index")
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
    node = get(t, "node")
    if node is not None and node >= 0 and idx == 0:
        raise _err("The PCI controller with index=0 can't be associated with a NUMA node")


def validate_video(dom: Any, video: Any) -> None:
    m = get(video, "model")
    vtype = get(m, "type")
    if vtype == "default":
        raise ValidationError("missing video model and cannot determine default")
    videos = devlist(dom, "videos")
    if len(videos) > 1 and any(get(get(v, "model"), "type") == "none" for v in videos):
        raise _err("a 'none' video type must be the only video device defined for the domain")
    drv = get(video, "driver")
    if get(drv, "name") == "vhostuser":
        if vtype != "virtio":
            raise _err("'vhostuser' driver is only supported with 'virtio' device")
    elif get(get(m, "acceleration"), "rendernode"):
        raise _err("unsupported rendernode accel attribute without 'vhostuser'")
    res = get(m, "resolution")
    if res is not None and (not get(res, "x") or not get(res, "y")):
        raise _err("video resolution values must be greater than 0")
    if vtype != "qxl":
        if get(m, "ram"):
            raise _err("ram attribute only supported for video type qxl")
        if get(m, "vram64"):
            raise _err("vram64 attribute only supported for video type qxl")
        if get(m, "vgamem"):
            raise _err("vgamem attribute only supported for video type qxl")
    if vtype == "ramfb" and get(video, "address") is not None:
        raise _err("address not supported for video type ramfb")
    if vtype != "virtio":
        check_virtio_options_absent(drv)


def validate_hostdev(h: Any) -> None:
    if get(h, "mode", "subsystem") in ("subsystem", None):
        htype = get(h, "type")
        at = _addr_type(h)
        if htype == "pci" and at not in ("none", "unassigned", "pci"):
            raise ValidationError("PCI host devices must use 'pci' or 'unassigned' address type")
        if htype == "scsi":
            if at not in ("none", "drive"):
                raise _err("SCSI host device must use 'drive' address type")
            if get(h, "sgio") == "unfiltered":
                raise _err("unfiltered sgio is no longer supported")
        if htype == "scsi_host" and at not in ("none", "pci", "ccw"):
            raise _err("SCSI_host host device must use 'pci' or 'ccw' address type")
        if htype == "usb" and at not in ("none", "usb"):
            raise _err("USB host device must use 'usb' address type")
    teaming = get(h, "teaming")
    if teaming is not None:
        if get(teaming, "type") != "transient":
            raise _err("teaming hostdev devices must have type='transient'")
        if not get(teaming, "persistent"):
            raise _err("missing required persistent attribute in hostdev teaming element")
        if get(h, "mode", "subsystem") not in ("subsystem", None) or get(h, "type") != "pci":
            raise _err("teaming is only supported for pci hostdev devices")


def validate_memory(dom: Any, mem: Any) -> None:
    model = get(mem, "model")
    src = get(mem, "source")
    tgt = get(mem, "target")
    path = get(src, "path")
    if model == "nvdimm":
        if not path:
            raise _err("path is required for model 'nvdimm'")
        if get(mem, "discard") is True:
            raise _err("discard is not supported for nvdimms")
        if arch_is_ppc64(os_arch(dom)):
            label = get(tgt, "label")
            if not get(label, "size"):
                raise _err("label size is required for NVDIMM device")
        elif get(mem, "uuid"):
            raise _err("UUID is not supported for NVDIMM device")
    elif model == "virtio-pmem":
        if not path:
            raise _err("path is required for model '%s'" % model)
        if get(mem, "discard") is True:
            raise _err("discard is not supported for model '%s'" % model)
        if get(mem, "access") != "shared":
            raise _err("shared access mode required for virtio-pmem device")
        if get(tgt, "node") is not None and get(tgt, "node") != -1:
            raise _err("virtio-pmem does not support NUMA nodes")
    elif model == "virtio-mem":
        size = get(tgt, "size") or 0
        req = get(tgt, "requested") or 0
        block = get(tgt, "block") or 0
        if req > size:
            raise _err("requested size must be smaller than or equal to @size")
        if block <= 0 or block & (block - 1):
            raise _err("block size must be a power of two")
        if block < 2048:
            raise _err("block size too small, must be at least 2048KiB")
        if req % block:
            raise _err("requested size must be an integer multiple of block size")


def validate_input(dom: Any, inp: Any) -> None:
    bus = get(inp, "bus")
    itype = get(inp, "type")
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
        if get(dom, "type") in ("vz", "parallels"):
            if bus != "parallels":
                raise ValidationError("parallels containers don't support input bus %s" % bus)
            if itype not in ("mouse", "keyboard"):
                raise ValidationError("parallels bus does not support %s input device" % itype)
        else:
            raise ValidationError("Input devices are not supported by this virtualization driver.")
    src = get(inp, "source")
    if itype in ("mouse", "tablet", "keyboard") and get(src, "evdev"):
        raise _err("setting source evdev path only supported for passthrough input devices")
    if itype == "passthrough" and bus != "virtio":
        raise _err("only bus 'virtio' is supported for 'passthrough' input devices")
    if itype == "evdev" and bus not in (None, "none"):
        raise _err("input evdev doesn't support bus element")
    model = get(inp, "model")
    if model in ("virtio", "virtio-transitional", "virtio-non-transitional") and bus != "virtio":
        raise _err("only bus 'virtio' is supported for input model '%s'" % model)


def validate_shmem(sh: Any) -> None:
    name = get(sh, "name") or ""
    if "/" in name:
        raise _err("shmem name cannot include '/' character")
    if name == ".":
        raise _err("shmem name cannot be equal to '.'")
    if name == "..":
        raise _err("shmem name cannot be equal to '..'")


def validate_fs(fs: Any) -> None:
    tgt = get(fs, "target")
    dst = tgt if isinstance(tgt, str) else get(tgt, "dir")
    if not dst:
        src = get(fs, "source")
        source = get(src, "dir") or get(src, "file") or get(src, "name") or get(src, "socket")
        raise _err("missing target information for device" + (" %s" % source if source else ""))
    if get(get(fs, "boot"), "order") and get(get(fs, "driver"), "type") != "virtiofs":
        raise _err("boot order is only supported for virtiofs")


def _audio_id(ref: Any) -> int:
    if ref is None:
        return 0
    if isinstance(ref, int):
        return ref
    return int(get(ref, "id") or 0)


def ensure_audio_id(dom: Any, aid: int) -> None:
    if aid == 0:
        return
    if any(get(a, "id") == aid for a in devlist(dom, "audios")):
        return
    raise _err("no audio device with ID %u" % aid)


def validate_graphics(dom: Any, g: Any) -> None:
    gtype = get(g, "type")
    if gtype in ("vnc", "spice", "rdp"):
        for ls in get(g, "listens") or []:
            if get(ls, "type") == "network" and not get(ls, "network"):
                raise _err("'network' attribute is required for listen type 'network'")
    if gtype == "vnc":
        ensure_audio_id(dom, _audio_id(get(g, "audio")))
    elif gtype == "dbus":
        if get(g, "p2p") and get(g, "address"):
            raise _err("D-Bus p2p with an address is not supported")


def validate_device(dom: Any, dev: Any, ctx: Any) -> None:
    """virDomainDeviceDefValidateInternal."""
    kind = device_kind(dev)
    if _addr_type(dev) == "unassigned" and kind != "hostdev":
        raise _err("address of type 'unassigned' is supported only for hostdevs")
    if kind == "disk":
        validate_disk(dom, dev)
    elif kind == "redirdev":
        if get(dev, "bus") == "usb" and not has_usb(dom):
            raise _err("cannot add redirected USB device: USB is disabled for this domain")
        validate_chr_source(get(dev, "type"), dev, None)
    elif kind == "interface":
        validate_net(dev)
    elif kind == "controller":
        validate_controller(dev)
    elif kind in chrmod.CHR_LISTS:
        validate_chr_source(get(dev, "type"), dev, dev)
    elif kind == "smartcard":
        if _addr_type(dev) not in ("none", "ccid"):
            raise _err("Controllers must use the 'ccid' address type")
        if get(dev, "mode") == "passthrough":
            validate_chr_source(get(dev, "type"), dev, None)
    elif kind == "rng":
        backend = get(dev, "backend")
        if get(backend, "model") == "egd":
            validate_chr_source(get(backend, "type"), backend, None)
    elif kind == "hostdev":
        validate_hostdev(dev)
    elif kind == "video":
        validate_video(dom, dev)
    elif kind == "memory":
        validate_memory(dom, dev)
    elif kind == "vsock":
        cid = get(get(dev, "cid"), "address")
        if cid is not None and 0 < cid <= 2:
            raise _err("guest CIDs must be >= 3")
        if get(dev, "model") not in ("virtio", "virtio-transitional", "virtio-non-transitional"):
            check_virtio_options_absent(get(dev, "driver"))
    elif kind == "input":
        validate_input(dom, dev)
    elif kind == "shmem":
        validate_shmem(dev)
    elif kind == "filesystem":
        validate_fs(dev)
    elif kind == "audio":
        aid = get(dev, "id")
        for other in devlist(dom, "audios"):
            if other is not dev and get(other, "id") == aid:
                raise _err("audio ID %u is used multiple times" % (aid or 0))
    elif kind == "sound":
        ensure_audio_id(dom, _audio_id(get(dev, "audio")))
    elif kind == "graphics":
        validate_graphics(dom, dev)


def has_usb(dom: Any) -> bool:
    """virDomainDefHasUSB: a USB controller whose model is not none."""
    return any(get(c, "type") == "usb" and get(c, "model") != "none" for c in devlist(dom, "controllers"))


def _mac(dev: Any) -> str:
    mac = get(dev, "mac")
    return (mac if isinstance(mac, str) else get(mac, "address")) or ""


def validate_net(net: Any) -> None:
    ntype = get(net, "type")
    src = get(net, "source")
    if (get(src, "ips") or get(src, "routes")) and ntype != "ethernet":
        raise _err("Invalid attempt to set network interface host-side IP route and/or address info on "
                   "interface of type '%s'. This is only supported on interfaces of type 'ethernet'" % ntype)
    if get(get(net, "target"), "managed") is False and ntype != "ethernet":
        raise _err("unmanaged target dev is not supported on interfaces of type '%s'" % ntype)
    teaming = get(net, "teaming")
    if teaming is not None:
        if get(teaming, "type") == "transient":
            if not get(teaming, "persistent"):
                raise _err("teaming persistent attribute must be set if teaming type is 'transient'")
        elif get(teaming, "persistent"):
            raise _err("teaming persistent attribute not allowed if teaming type is '%s'" % get(teaming, "type"))
    if get(get(net, "port"), "isolated") is True:
        if ntype not in ("network", "bridge"):
            raise _err("interface %s - <port isolated='yes'/> is not supported for network interfaces "
                       "with type='%s'" % (_mac(net), ntype))
        vp = get(net, "virtualport")
        if vp is not None and get(vp, "type") not in (None, "none"):
            raise _err("interface %s - <port isolated='yes'/> is not supported for network interfaces "
                       "with virtualport type='%s'" % (_mac(net), get(vp, "type")))
    model = get(get(net, "model"), "type")
    if model not in ("virtio", "virtio-transitional", "virtio-non-transitional"):
        check_virtio_options_absent(get(net, "driver"))


# --------------------------------------------------------------- domain

def check_resource(dom: Any) -> None:
    appid = get(get(dom, "resource"), "appid")
    if appid is None:
        return
    if not _printable(appid):
        raise _err("Fibre Channel 'appid' is not a printable string")
    if not 1 <= len(appid.encode()) <= 128:
        raise _err("Fibre Channel 'appid' string length must be between [1, 128]")


def check_duplicate_disk_targets(dom: Any) -> None:
    disks = devlist(dom, "disks")
    for i, a in enumerate(disks):
        for b in disks[i + 1:]:
            if target_dev(a) is not None and target_dev(a) == target_dev(b):
                raise ValidationError("target '%s' duplicated for disk sources '%s' and '%s'"
                                      % (target_dev(a), _nullstr(disk_source_path(a)),
                                         _nullstr(disk_source_path(b))))


def _hostdev_key(h: Any) -> Any:
    """What virDomainHostdevMatch compares, per hostdev kind."""
    mode = get(h, "mode") or "subsystem"
    htype = get(h, "type")
    src = get(h, "source")
    if mode == "subsystem":
        if htype == "pci":
            a = get(src, "address")
            return ("pci", get(a, "domain") or 0, get(a, "bus"), get(a, "slot"), get(a, "function"))
        if htype == "usb":
            vendor = get(get(src, "vendor"), "id")
            product = get(get(src, "product"), "id")
            if vendor or product:
                return ("usb-id", vendor, product)
            a = get(src, "address")
            return ("usb-addr", get(a, "bus"), get(a, "device"))
        if htype == "scsi":
            if get(src, "protocol") == "iscsi":
                hosts = get(src, "hosts") or []
                return ("iscsi", get(src, "name"), tuple(get(x, "name") for x in hosts))
            ad = get(src, "adapter")
            a = get(src, "address")
            return ("scsi", get(ad, "name"), get(a, "bus"), get(a, "target"), get(a, "unit"))
        if htype == "scsi_host":
            return ("scsi_host", get(src, "protocol"), get(src, "wwpn"))
        if htype == "mdev":
            a = get(src, "address")
            return ("mdev", get(a, "uuid"))
        return None
    return (mode, htype, repr(src))


def check_hostdevs(dom: Any) -> None:
    hostdevs = devlist(dom, "hostdevs")
    ramfb = False
    for i, h in enumerate(hostdevs):
        k = _hostdev_key(h)
        for other in hostdevs[i + 1:]:
            if k is not None and _hostdev_key(other) == k:
                raise _err("Hostdev already exists in the domain configuration")
        if get(h, "type") == "mdev" and get(h, "ramfb") is True:
            if ramfb:
                raise _err("Only one vgpu device can have 'ramfb' enabled")
            ramfb = True


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
        # libvirt prints the bus in controller= and the controller in bus=
        quirk = (ad[1], ad[0], ad[2], ad[3])
        for b in hostdevs[i + 1:]:
            if _drive(b) == ad:
                raise ValidationError("SCSI host address controller='%u' bus='%u' target='%u' unit='%u' "
                                      "in use by another SCSI host device" % quirk)
        if address_used_by_disk(dom, "scsi", ad):
            raise ValidationError("SCSI host address controller='%u' bus='%u' target='%u' unit='%u' "
                                  "in use by another SCSI disk" % quirk)


def check_aliases(dom: Any) -> None:
    """virDomainDefValidateAliases: user aliases must be unique."""
    from virtxml.model.devices.info import is_user_alias

    from .util import iter_postparse_devices

    seen: set[str] = set()
    serials = devlist(dom, "serials")
    consoles = devlist(dom, "consoles")
    for dev in iter_postparse_devices(dom, all_consoles=True, missing_info=False):
        name = get(get(dev, "alias"), "name")
        if not name or not is_user_alias(name):
            continue
        if serials and consoles and dev is consoles[0] and chrmod.target_type(dev) == "serial":
            continue
        if name in seen:
            raise _err("non unique alias detected: %s" % name)
        seen.add(name)


def check_iommu(dom: Any) -> None:
    iommu = get(get(dom, "devices"), "iommu")
    if iommu is None:
        return
    drv = get(iommu, "driver")
    intremap = get(drv, "intremap")
    ioapic = get(get(dom, "features"), "ioapic")
    ioapic_driver = ioapic if isinstance(ioapic, str) or ioapic is None else get(ioapic, "driver")
    if intremap is True and ioapic_driver != "qemu":
        raise _err("IOMMU interrupt remapping requires split I/O APIC (ioapic driver='qemu')")
    if get(drv, "eim") is True and intremap is not True:
        raise _err("IOMMU eim requires interrupt remapping to be enabled")


def check_lifecycle(dom: Any) -> None:
    for field, event in (("on_poweroff", "poweroff"), ("on_reboot", "reboot")):
        action = get(dom, field)
        if action in ("coredump-destroy", "coredump-restart"):
            raise ValidationError("Lifecycle event '%s' doesn't support '%s' action" % (event, action))


def check_memtune(dom: Any) -> None:
    from .memory import numa_cells

    pages = get(get(get(dom, "memory_backing"), "hugepages"), "pages") or []
    ncells = len(numa_cells(dom))
    for i, p in enumerate(pages):
        for q in pages[:i]:
            pn, qn = get(p, "nodeset"), get(q, "nodeset")
            if pn is not None and qn is not None and set(pn) & set(qn):
                raise _err("nodeset attribute of hugepages of sizes %d and %d intersect"
                           % (get(p, "size"), get(q, "size")))
            if pn is None and qn is None:
                raise _err("two master hugepages detected: %d and %d" % (get(p, "size"), get(q, "size")))
        ns = get(p, "nodeset")
        if ns is None:
            continue
        beyond = [b for b in ns if b >= ncells]
        if beyond:
            raise _err("hugepages: node %d not found" % min(beyond))


def check_os(dom: Any, ctx: Any) -> None:
    from .driver import Feature

    os_ = get(dom, "os")
    loader = get(os_, "loader")
    if loader is None:
        return
    if get(os_, "firmware") and not ctx.driver.has(Feature.FW_AUTOSELECT):
        raise _err("firmware auto selection not implemented for this driver")
    if not get(loader, "path") and not get(os_, "firmware"):
        raise _err("no loader path specified and firmware auto selection disabled")


def check_cputune(dom: Any) -> None:
    ct = get(dom, "cputune")
    if ct is None:
        return
    shares = get(ct, "shares")
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
    os_ = get(dom, "os")
    timeout = get(get(os_, "bootmenu"), "timeout")
    if timeout is not None and int(timeout) > 65535:
        raise ValidationError("invalid value for boot menu timeout, must be in range [0,65535]")
    rt = get(get(os_, "bios"), "reboot_timeout")
    if rt is not None and not -1 <= int(rt) <= 65535:
        raise ValidationError("invalid value for rebootTimeout, must be in range [-1,65535]")


def check_videos(dom: Any) -> None:
    videos = devlist(dom, "videos")
    if videos and get(get(videos[0], "model"), "primary"):
        for v in videos[1:]:
            if get(get(v, "model"), "primary"):
                raise ValidationError("Only one primary video device is supported")


def check_tunables(dom: Any) -> None:
    seen: set[str] = set()
    for d in get(get(dom, "blkiotune"), "devices") or []:
        p = get(d, "path")
        if p in seen:
            raise _err("duplicate blkio device path '%s'" % p)
        seen.add(p)


def check_idmap(dom: Any) -> None:
    idmap = get(dom, "idmap")
    uids, gids = get(idmap, "uids") or [], get(idmap, "gids") or []
    if bool(uids) != bool(gids):
        raise _err("uid and gid should be mapped both")
    if (uids and get(uids[0], "start") != 0) or (gids and get(gids[0], "start") != 0):
        raise _err("You must map the root user of container")


def check_fs_targets(dom: Any) -> None:
    seen: set[str] = set()
    for fs in devlist(dom, "filesystems"):
        if get(get(fs, "driver"), "type") != "virtiofs":
            continue
        tgt = get(fs, "target")
        dst = tgt if isinstance(tgt, str) else get(tgt, "dir")
        if dst in seen:
            raise _err("filesystem target '%s' specified twice" % dst)
        seen.add(dst)


def _thread_pool(obj: Any) -> None:
    if obj is None:
        return
    tmin, tmax = get(obj, "thread_pool_min"), get(obj, "thread_pool_max")
    if tmax == 0:
        raise _err("thread_pool_max must be a positive integer")
    if tmin is not None and tmax is not None and tmin > tmax:
        raise _err("thread_pool_min must be smaller or equal to thread_pool_max")


def check_iothreads(dom: Any) -> None:
    ids = get(dom, "iothreadids")
    for t in get(ids, "iothreads") or get(ids, "ids") or []:
        _thread_pool(t)
    _thread_pool(get(dom, "defaultiothread"))


def validate_domain(dom: Any, ctx: Any) -> None:
    """virDomainDefValidateInternal (the driver-independent part), in
    libvirt's order."""
    check_resource(dom)
    check_duplicate_disk_targets(dom)
    check_hostdevs(dom)
    check_duplicate_drive_addresses(dom)
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
    check_fs_targets(dom)
    check_iothreads(dom)
