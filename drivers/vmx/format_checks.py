"""What ``virVMXFormatConfig`` (src/vmx/vmx.c) refuses when the vmware and
esx drivers turn a parsed definition into a ``.vmx`` file at define time
(``vmwareDomainDefineXMLFlags`` / ``esxDomainDefineXMLFlags``).  Only the
rules that depend on the domain XML alone are here, in libvirt's order
and with its texts; the file-name mapping (datastore paths), which needs
the host, is not.

``hw_version`` is the ``virtualHW.version`` written (vmware: always 7;
esx: the host's default, 7 and up for ESX 4.0+): it bounds the number of
NICs (4 below 7, 10 from 7).  ``wide_scsi`` is whether the parser config
has WIDE_SCSI: libvirt verifies a disk's drive address by running the
generic address assignment with the driver's own xmlopt, so the vmware
driver (no WIDE_SCSI) verifies SCSI units with the narrow layout while esx
uses the wide one (a libvirt quirk kept as is).
"""

from __future__ import annotations

from typing import Any, Callable

#: ``ctx->formatFileName``: maps (and may refuse) a file name; None = as is
FileNameHook = Callable[[str], None] | None

from postparse.disks import disk_name_to_index, drive_address, target_bus, target_dev
from postparse.util import devlist, get, os_arch
from virtxml.errors import ValidationError

SCSI_MODELS_VMX = ("buslogic", "lsilogic", "lsisas1068", "vmpvscsi")
NET_MODELS_VMX = ("vlance", "vmxnet", "vmxnet2", "vmxnet3", "e1000", "e1000e")
NET_TYPES_VMX = ("bridge", "user", "null", "vds")
TCP_PROTOCOLS_VMX = ("raw", "telnet", "telnets", "tls")


def _err(msg: str) -> ValidationError:
    return ValidationError(msg)


def _vcpus(dom: Any) -> tuple[int, int]:
    """(maximum, current) vcpus."""
    v = get(dom, "vcpu")
    maxv = get(v, "count")
    maxv = 1 if maxv is None else int(maxv)
    cur = get(v, "current")
    return maxv, (maxv if cur is None else int(cur))


def _check_cpu(dom: Any, maxvcpus: int) -> None:
    cpu = get(dom, "cpu")
    if cpu is None:
        return
    mode = get(cpu, "mode") or "custom"
    if mode != "custom":
        raise _err("Expecting domain XML CPU mode 'custom' but found '%s'" % mode)
    topo = get(cpu, "topology")
    sockets = int(get(topo, "sockets") or 0)
    dies = int(get(topo, "dies") or (1 if topo is not None else 0))
    cores = int(get(topo, "cores") or 0)
    threads = int(get(topo, "threads") or 0)
    if threads != 1:
        raise _err("Only 1 thread per core is supported")
    if dies != 1:
        raise _err("Only 1 die per socket is supported")
    calculated = sockets * cores
    if calculated != maxvcpus:
        raise _err("Expecting domain XML CPU sockets per core as %d but found %d"
                   % (maxvcpus, calculated))


def _cpuset_count(dom: Any) -> int | None:
    cpuset = get(get(dom, "vcpu"), "cpuset")
    if cpuset is None:
        return None
    return len(tuple(cpuset))


def _addr(disk: Any) -> Any:
    return get(disk, "address")


def _verify_disk_address(disk: Any, wide_scsi: bool) -> None:
    """virVMXVerifyDiskAddress."""
    addr = _addr(disk)
    atype = get(addr, "type") or "none"
    if atype != "drive":
        raise _err("Unsupported disk address type '%s'" % atype)
    bus = target_bus(disk)
    dst = target_dev(disk)
    ctrl, dbus, unit = (int(get(addr, "controller") or 0), int(get(addr, "bus") or 0),
                        int(get(addr, "unit") or 0))
    expected = drive_address(bus, disk_name_to_index(dst), wide_scsi)
    if bus not in ("scsi", "ide", "fdc", "sata") or disk_name_to_index(dst) < 0 or expected is None:
        if bus in ("scsi", "ide", "fdc", "sata"):
            raise _err("Could not verify disk address")
        # virDomainDiskDefAssignAddress leaves other buses at address 0:0:0
        expected = (0, 0, 0, 0)
    if (expected[0], expected[1], expected[3]) != (ctrl, dbus, unit):
        raise _err("Disk address %d:%d:%d doesn't match target device '%s'" % (ctrl, dbus, unit, dst))
    if bus == "scsi":
        if ctrl > 3:
            raise _err("SCSI controller index %d out of [0..3] range" % ctrl)
        if dbus != 0:
            raise _err("SCSI bus index %d out of [0] range" % dbus)
        if unit > 15 or unit == 7:
            raise _err("SCSI unit index %d out of [0..6,8..15] range" % unit)
    elif bus == "ide":
        if ctrl != 0:
            raise _err("IDE controller index %d out of [0] range" % ctrl)
        if dbus > 1:
            raise _err("IDE bus index %d out of [0..1] range" % dbus)
        if unit > 1:
            raise _err("IDE unit index %d out of [0..1] range" % unit)
    elif bus == "fdc":
        if ctrl != 0:
            raise _err("FDC controller index %d out of [0] range" % ctrl)
        if dbus != 0:
            raise _err("FDC bus index %d out of [0] range" % dbus)
        if unit > 1:
            raise _err("FDC unit index %d out of [0..1] range" % unit)
    else:
        raise _err("Unsupported bus type '%s'" % bus)


def _scsi_models() -> tuple[str, ...]:
    """virDomainControllerModelSCSI names."""
    from virtxml.model.devices.controller import CONTROLLER_MODELS

    return tuple(CONTROLLER_MODELS["scsi"])


def _legacy_scsi_driver_name(dom: Any, disk: Any) -> None:
    """virVMXHandleLegacySCSIDiskDriverName: a SCSI disk's <driver name>
    names its controller's model."""
    name = get(get(disk, "driver"), "name")
    if target_bus(disk) != "scsi" or not name:
        return
    model = name.lower()
    if model not in _scsi_models():
        raise _err("Unknown driver name '%s'" % name)
    ctrl_idx = int(get(_addr(disk), "controller") or 0)
    controller = None
    for c in devlist(dom, "controllers"):
        if int(get(c, "index") or 0) == ctrl_idx:
            controller = c
            break
    if controller is None:
        raise _err("Missing SCSI controller for index %d" % ctrl_idx)
    cmodel = get(controller, "model")
    if cmodel in (None, "default"):
        controller.model = model
    elif cmodel != model:
        raise _err("Inconsistent SCSI controller model ('%s' is not '%s') for SCSI controller index %d"
                   % (name, cmodel, ctrl_idx))


def _gather_scsi_controllers(dom: Any) -> None:
    """virVMXGatherSCSIControllers (without a model autodetection hook)."""
    disks = devlist(dom, "disks")
    for c in devlist(dom, "controllers"):
        if get(c, "type") != "scsi":
            continue
        idx = int(get(c, "index") or 0)
        if not any(target_bus(d) == "scsi" and int(get(_addr(d), "controller") or 0) == idx
                   for d in disks):
            continue
        model = get(c, "model")
        if model not in (None, "default") and model not in SCSI_MODELS_VMX:
            raise _err("Expecting domain XML attribute 'model' of entry 'controller' to be "
                       "'buslogic' or 'lsilogic' or 'lsisas1068' or 'vmpvscsi' but found '%s'" % model)


def _disk_source(disk: Any) -> str | None:
    src = get(disk, "source")
    for f in ("file", "dev", "path", "name", "dir"):
        v = get(src, f)
        if v:
            return str(v)
    return None


#: virDomainDeviceType names by value: virVMXFormatDisk prints the disk's
#: device (disk=0, cdrom=1, floppy=2, lun=3) and its storage type (file=1,
#: block=2, dir=3, network=4, volume=5, nvme=6, vhostuser=7) through this
#: table (libvirt uses virDomainDeviceTypeToString on both), so its texts
#: say e.g. "scsi none 'sda'" for a disk; kept as libvirt prints them.
_DEVICE_TYPE_NAMES = ("none", "disk", "lease", "filesystem", "net", "input", "sound", "video",
                      "hostdev", "watchdog")
_DISK_DEVICES = ("disk", "cdrom", "floppy", "lun")
_STORAGE_TYPES = ("", "file", "block", "dir", "network", "volume", "nvme", "vhostuser")


def _as_device_type_name(table: tuple[str, ...], value: str) -> str:
    try:
        return _DEVICE_TYPE_NAMES[table.index(value)]
    except (ValueError, IndexError):
        return value


def _check_disk(disk: Any, file_name: FileNameHook = None) -> None:
    """virVMXFormatDisk (disk, cdrom, lun)."""
    bus, device, dst = target_bus(disk), get(disk, "device") or "disk", target_dev(disk)
    dtype = get(disk, "type") or "file"
    device_name = _as_device_type_name(_DISK_DEVICES, device)
    dtype_name = _as_device_type_name(_STORAGE_TYPES, dtype)
    if dtype not in ("file", "block"):
        raise _err("%s %s '%s' has unsupported type '%s', expecting 'file' or 'block'"
                   % (bus, device_name, dst, dtype_name))
    if bus == "scsi":
        _scsi_name(dst)
    elif bus == "ide":
        _ide_name(dst)
    else:
        raise _err("Unsupported bus type '%s' for %s" % (bus, device_name))
    if not ((device == "disk" and dtype == "file") or device in ("cdrom", "lun")):
        raise _err("%s %s '%s' has an unsupported type '%s'" % (bus, device_name, dst, dtype_name))
    if dtype == "file":
        src = _disk_source(disk)
        ext = ".vmdk" if device == "disk" else ".iso"
        if src and not src.lower().endswith(ext):
            raise _err("Image file for %s %s '%s' has unsupported suffix, expecting '%s'"
                       % (bus, device_name, dst, ext))
        if src and file_name is not None:
            file_name(src)
    if bus == "scsi":
        cache = get(get(disk, "driver"), "cache")
        if cache not in (None, "default", "writethrough"):
            raise _err("%s harddisk '%s' has unsupported cache mode '%s'" % (bus, dst, cache))


def _name_index(dst: str | None, prefix: str, what: str, limit: int) -> int:
    if not (dst or "").startswith(prefix):
        raise _err("Expecting domain XML attribute 'dev' of entry 'devices/disk/target' to start with '%s'"
                   % prefix)
    idx = disk_name_to_index(dst)
    if idx < 0:
        raise _err("Could not parse valid disk index from '%s'" % dst)
    if idx >= limit:
        raise _err("%s disk index (parsed from '%s') is too large" % (what, dst))
    return idx


def _scsi_name(dst: str | None) -> int:
    return _name_index(dst, "sd", "SCSI", 4 * 15)


def _ide_name(dst: str | None) -> int:
    return _name_index(dst, "hd", "IDE", 2 * 2)


def _check_floppy(disk: Any, file_name: FileNameHook = None) -> None:
    """virVMXFormatFloppy."""
    _name_index(target_dev(disk), "fd", "Floppy", 2)
    dtype = get(disk, "type") or "file"
    src = _disk_source(disk)
    if dtype == "file" and src and file_name is not None:
        file_name(src)
    if dtype not in ("file", "block"):
        raise _err("Floppy '%s' has unsupported type '%s', expecting 'file' or 'block'"
                   % (target_dev(disk), dtype))


def _check_ethernet(net: Any, index: int, hw_version: int) -> None:
    """virVMXFormatEthernet."""
    limit = 9 if hw_version >= 7 else 3
    if index > limit:
        raise _err("Ethernet controller index %d out of [0..%d] range" % (index, limit))
    model = get(get(net, "model"), "type")
    if model and model not in NET_MODELS_VMX:
        raise _err("Expecting domain XML entry 'devices/interface/model' to be 'vlance' or 'vmxnet' "
                   "or 'vmxnet2' or 'vmxnet3' or 'e1000' or 'e1000e' but found '%s'" % model)
    ntype = get(net, "type")
    if ntype not in NET_TYPES_VMX:
        raise _err("Unsupported net type '%s'" % ntype)


def _chr_type(dev: Any) -> str | None:
    t: str | None = get(dev, "type")
    return t


def _chr_port(dev: Any) -> int:
    p = get(get(dev, "target"), "port")
    return -1 if p is None else int(p)


def _chr_path(dev: Any) -> str | None:
    path: str | None = get(get(dev, "source"), "path")
    return path


def _check_serial(dev: Any, file_name: FileNameHook = None) -> None:
    port = _chr_port(dev)
    if port < 0 or port > 3:
        raise _err("Serial port index %d out of [0..3] range" % port)
    ctype = _chr_type(dev)
    if ctype == "tcp":
        proto = get(get(dev, "protocol"), "type") or "raw"
        if proto not in TCP_PROTOCOLS_VMX:
            raise _err("Unsupported character device TCP protocol '%s'" % proto)
    elif ctype not in ("dev", "file", "pipe"):
        raise _err("Unsupported character device type '%s'" % ctype)
    elif ctype == "file" and file_name is not None:
        file_name(_chr_path(dev) or "")


def _check_parallel(dev: Any, file_name: FileNameHook = None) -> None:
    port = _chr_port(dev)
    if port < 0 or port > 2:
        raise _err("Parallel port index %d out of [0..2] range" % port)
    if _chr_type(dev) not in ("dev", "file"):
        raise _err("Unsupported character device type '%s'" % _chr_type(dev))
    if _chr_type(dev) == "file" and file_name is not None:
        file_name(_chr_path(dev) or "")


def _check_video(dom: Any) -> None:
    videos = devlist(dom, "videos")
    if not videos:
        return
    if len(videos) > 1:
        raise _err("No support for multiple video devices")
    model = get(videos[0], "model")
    vtype = get(model, "type")
    if vtype != "vmvga":
        raise _err("Unsupported video device type '%s'" % vtype)
    if int(get(model, "heads") or 0) > 1:
        raise _err("Multi-head video devices are unsupported")


def check_vmx_format(dom: Any, *, wide_scsi: bool, hw_version: int = 7,
                     file_name: FileNameHook = None) -> None:
    """Raise libvirt's error for the first thing virVMXFormatConfig refuses;
    ``file_name`` is the driver's file name mapping (esx: datastore paths)."""
    virt = get(dom, "type")
    if virt != "vmware":
        raise _err("Expecting virt type to be 'vmware' but found '%s'" % virt)
    arch = os_arch(dom)
    if arch not in ("i686", "x86_64"):
        raise _err("Expecting domain XML attribute 'arch' of entry 'os/type' to be 'i686' or "
                   "'x86_64' but found '%s'" % arch)
    smbios = get(get(get(dom, "os"), "smbios"), "mode")
    if smbios not in (None, "emulate", "host"):
        raise _err("Unsupported SMBIOS mode '%s'" % smbios)
    maxv, cur = _vcpus(dom)
    if cur < maxv:
        raise _err("No support for domain XML entry 'vcpu' attribute 'current'")
    if maxv == 0:
        raise _err("Expecting domain XML entry 'vcpu' to be greater than 0")
    _check_cpu(dom, maxv)
    n = _cpuset_count(dom)
    if n is not None and n > 0 and n < maxv:
        raise _err("Expecting domain XML attribute 'cpuset' of entry 'vcpu' to contain at least %d CPU(s)"
                   % maxv)
    for g in devlist(dom, "graphics"):
        if get(g, "type") != "vnc":
            raise _err("Unsupported graphics type '%s'" % get(g, "type"))
    disks = devlist(dom, "disks")
    for d in disks:
        _verify_disk_address(d, wide_scsi)
        _legacy_scsi_driver_name(dom, d)
    _gather_scsi_controllers(dom)
    for d in disks:
        device = get(d, "device") or "disk"
        if device == "floppy":
            _check_floppy(d, file_name)
        else:
            _check_disk(d, file_name)
    for fs in devlist(dom, "filesystems"):
        if (get(fs, "type") or "mount") != "mount":
            raise _err("Only 'mount' filesystem type is supported")
    for i, net in enumerate(devlist(dom, "interfaces")):
        _check_ethernet(net, i, hw_version)
    _check_video(dom)
    for s in devlist(dom, "serials"):
        _check_serial(s, file_name)
    for p in devlist(dom, "parallels"):
        _check_parallel(p, file_name)


def first_file_harddisk_source(dom: Any) -> str:
    """Where vmware (``vmwareVmxPath``) and esx (``esxDomainDefineXMLFlags``)
    put the .vmx file: next to the first file-based hard disk."""
    disks = devlist(dom, "disks")
    if not disks:
        raise _err("Domain XML doesn't contain any disks, cannot deduce datastore and path for VMX file")
    disk = next((d for d in disks if (get(d, "device") or "disk") == "disk"
                 and (get(d, "type") or "file") == "file"), None)
    if disk is None:
        raise _err("Domain XML doesn't contain any file-based harddisks, cannot deduce datastore and "
                   "path for VMX file")
    src = get(get(disk, "source"), "file")
    if not src:
        raise _err("First file-based harddisk has no source, cannot deduce datastore and path for VMX file")
    return str(src)


def check_vmdk_source(src: str, file_name: str) -> None:
    if not file_name.lower().endswith(".vmdk"):
        raise _err("Expecting source '%s' of first file-based harddisk to be a VMDK image" % src)


__all__ = ["check_vmx_format", "first_file_harddisk_source", "check_vmdk_source", "SCSI_MODELS_VMX",
           "NET_MODELS_VMX"]
