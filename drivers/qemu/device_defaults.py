"""qemuDomainDeviceDefPostParse: per-device defaults of the QEMU driver
(behaviour §2.4 "Devices").  ``caps`` may be None (post-parse failed
tolerably); the rules that need capabilities are then skipped, as libvirt
does."""

from __future__ import annotations

import os
import re
from typing import Any

from postparse.chr import set_target_type, target, target_type
from virtxml.errors import PostParseError
from virtxml.flags import ParseFlags
from virtxml.model.devices.info import Master

from . import capsflags as F
from . import options
from .controllers import pci_numa_node
from .defaults_devices import default_panic_model
from .util import (arch, arch_is_ppc64, arch_is_s390, arch_is_x86, field_class, is_arm_virt,
                   is_i440fx, is_pseries, is_q35, is_riscv_virt, machine, new_obj, set_field,
                   virt_type)


def _has(caps: Any, flag: str) -> bool:
    return caps is not None and caps.has(flag)


# ------------------------------------------------------------------ net

def default_net_model(dom: Any, caps: Any) -> str | None:
    a = arch(dom)
    if arch_is_s390(a) or is_riscv_virt(dom):
        return "virtio"
    if a in ("armv6l", "armv7l", "armv7b", "aarch64"):
        if machine(dom) == "versatilepb":
            return "smc91c111"
        if is_arm_virt(dom):
            return "virtio"
        return "lan9118"
    if caps is None:
        return None
    if caps.has(F.RTL8139):
        return "rtl8139"
    if caps.has(F.E1000):
        return "e1000"
    if caps.has(F.VIRTIO_NET):
        return "virtio"
    return "rtl8139"


def net_model(net: Any) -> str | None:
    m = getattr(net, "model", None)
    if m is None or isinstance(m, str):
        return m
    return getattr(m, "type", None)


def set_net_model(net: Any, value: str) -> None:
    m = getattr(net, "model", None)
    if m is not None and not isinstance(m, str):
        set_field(m, "type", value)
        return
    cls = field_class(type(net), "model")
    if cls is None:
        set_field(net, "model", value)
    else:
        set_field(net, "model", new_obj(cls, type=value))


def net_post_parse(dom: Any, net: Any, caps: Any) -> None:
    t = getattr(net, "type", None)
    # libvirt 9.0 defaults only vdpa to virtio: a vhostuser interface without
    # a model gets the machine's default and fails validation
    if t == "vdpa" and not net_model(net):
        set_net_model(net, "virtio")
    elif t != "hostdev" and not net_model(net):
        m = default_net_model(dom, caps)
        if m:
            set_net_model(net, m)


# ------------------------------------------------------------------ disk

def _sources(disk: Any) -> list[Any]:
    out = []
    src = getattr(disk, "source", None)
    bs = getattr(disk, "backing_store", None)
    if src is not None:
        out.append(src)
    while bs is not None:
        s = getattr(bs, "source", None)
        if s is not None:
            out.append(s)
        bs = getattr(bs, "backing_store", None)
    return out


def disk_post_parse(disk: Any, flags: int, caps: Any) -> None:
    drv = getattr(disk, "driver", None)
    if drv is None:
        cls = field_class(type(disk), "driver")
        drv = new_obj(cls)
        disk.driver = drv
    if not getattr(drv, "name", None):
        drv.name = "qemu"
    if not getattr(drv, "type", None) and getattr(disk, "type", None) != "volume":
        drv.type = "raw"
    mirror = getattr(disk, "mirror", None)
    if mirror is not None:
        fmt = getattr(mirror, "format", None)
        if fmt is None:
            cls = field_class(type(mirror), "format")
            if cls is not None:
                mirror.format = new_obj(cls, type="raw")
        elif not getattr(fmt, "type", None):
            fmt.type = "raw"
    for src in _sources(disk):
        default_network_ports(src)
    encs = [getattr(disk, "encryption", None)] + [getattr(s, "encryption", None) for s in _sources(disk)]
    for enc in encs:
        if enc is not None and getattr(enc, "engine", None) in (None, "default"):
            enc.engine = "qemu"


#: virStorageSourceNetworkDefaultPort (0: no default)
NET_DEFAULT_PORTS = {"nbd": 10809, "rbd": 0, "sheepdog": 7000, "gluster": 24007, "iscsi": 3260,
                     "http": 80, "https": 443, "ftp": 21, "ftps": 990, "tftp": 69, "ssh": 22,
                     "vxhs": 9999, "nfs": 0}


def default_network_ports(src: Any) -> None:
    """virStorageSourceNetworkAssignDefaultPorts: tcp hosts without a port
    get the protocol's default one."""
    proto = getattr(src, "protocol", None)
    port = NET_DEFAULT_PORTS.get(proto or "", 0)
    if not port:
        return
    for h in getattr(src, "hosts", None) or []:
        if getattr(h, "transport", None) in (None, "tcp") and not getattr(h, "port", None):
            h.port = port


# ------------------------------------------------------------------ video

def default_video_type(dom: Any, caps: Any) -> str:
    if arch_is_ppc64(arch(dom)):
        return "vga"
    if is_arm_virt(dom) or is_riscv_virt(dom) or arch_is_s390(arch(dom)):
        return "virtio"
    if _has(caps, F.CIRRUS_VGA):
        return "cirrus"
    if _has(caps, F.VGA):
        return "vga"
    return "default"


def video_post_parse(dom: Any, video: Any, caps: Any) -> None:
    model = getattr(video, "model", None)
    if model is None:
        return
    if getattr(model, "type", None) in (None, "default"):
        model.type = default_video_type(dom, caps)
    if getattr(model, "type", None) == "qxl" and not getattr(model, "vgamem", None):
        model.vgamem = 16 * 1024


# ------------------------------------------------------------------ controllers

def has_builtin_esp(dom: Any) -> bool:
    a = arch(dom)
    m = machine(dom)
    if a == "sparc":
        return True
    if a in ("mips64", "mips64el") and m in ("magnum", "pica61"):
        return True
    if a == "m68k" and m == "q800":
        return True
    return False


def default_scsi_model(dom: Any, caps: Any) -> str | None:
    if is_pseries(dom):
        return "ibmvscsi"
    if arch_is_s390(arch(dom)):
        return "virtio-scsi"
    if _has(caps, F.SCSI_LSI):
        return "lsilogic"
    if _has(caps, F.VIRTIO_SCSI):
        return "virtio-scsi"
    if has_builtin_esp(dom):
        return "ncr53c90"
    return None


def default_usb_model(dom: Any, cont: Any, caps: Any, flags: int) -> str | None:
    """The 9.0 rules of qemuDomainControllerDefPostParse for USB."""
    model = None
    if caps.has(F.PIIX3_USB_UHCI):
        model = "piix3-uhci"
    a = arch(dom)
    if arch_is_s390(a):
        if getattr(cont, "address", None) is None:
            model = "none"
    elif arch_is_ppc64(a):
        abi = bool(flags & ParseFlags.ABI_UPDATE)
        if abi and caps.has(F.QEMU_XHCI):
            model = "qemu-xhci"
        elif abi and caps.has(F.NEC_USB_XHCI):
            model = "nec-xhci"
        elif caps.has(F.PCI_OHCI):
            model = "pci-ohci"
        else:
            model = None
    elif a == "aarch64":
        if caps.has(F.QEMU_XHCI):
            model = "qemu-xhci"
        elif caps.has(F.NEC_USB_XHCI):
            model = "nec-xhci"
    return model


def controller_post_parse(dom: Any, cont: Any, caps: Any, flags: int) -> None:
    t = getattr(cont, "type", None)
    model = getattr(cont, "model", None)
    if t == "scsi":
        if model in (None, "auto"):
            m = default_scsi_model(dom, caps)
            if m is None:
                raise PostParseError("Unable to determine model for SCSI controller idx=%d"
                                     % int(getattr(cont, "index", None) or 0))
            cont.model = m
    elif t == "usb":
        if model in ("ich9-uhci1", "ich9-uhci2", "ich9-uhci3") and getattr(cont, "master", None) is None:
            set_field(cont, "master", Master(startport={"ich9-uhci1": 0, "ich9-uhci2": 2,
                                                        "ich9-uhci3": 4}[model]))
        if model is None and caps is not None:
            m = default_usb_model(dom, cont, caps, flags)
            if m is not None:
                cont.model = m
        m = getattr(cont, "model", None)  # as defaulted above
        if m == "none":
            set_field(cont, "address", None)
        if m in ("qusb1", "qusb2"):
            raise PostParseError("USB controller model type 'qusb1' or 'qusb2' is not supported in %s"
                                 % virt_type(dom))
        ports = getattr(cont, "ports", None)
        if m in ("nec-xhci", "qemu-xhci") and ports is not None and int(ports) > 15:
            raise PostParseError(f"'{m}' controller only supports up to '15' ports")
    elif t == "pci":
        idx = int(getattr(cont, "index", None) or 0)
        if not is_pseries(dom) and model in ("pci-root", "pcie-root") and idx != 0:
            raise PostParseError("pci-root and pcie-root controllers should have index 0")
        if model == "pci-expander-bus" and not is_i440fx(dom):
            raise PostParseError("pci-expander-bus controllers are only supported on 440fx-based "
                                 "machinetypes")
        if model == "pcie-expander-bus" and not (is_q35(dom) or is_arm_virt(dom)):
            raise PostParseError("pcie-expander-bus controllers are not supported with this "
                                 "machine type")
        node = pci_numa_node(cont)
        if node is not None and node >= 0:
            ncells = _numa_cells(dom)
            if node >= ncells:
                raise PostParseError(
                    "%s with index %d is configured for a NUMA node (%d) not present in the "
                    "domain's <cpu><numa> array (%d)" % (model, idx, node, ncells))


def _numa_cells(dom: Any) -> int:
    numa = getattr(getattr(dom, "cpu", None), "numa", None)
    return len(getattr(numa, "cells", None) or [])


# ------------------------------------------------------------------ chardevs

def _chr_kind(dev: Any) -> str:
    return getattr(type(dev), "__xml_tag__", "")


def chr_post_parse(dom: Any, chr_: Any, ctx: Any) -> None:
    kind = _chr_kind(chr_)
    if kind == "serial":
        tt = target_type(chr_)
        if tt == "isa-serial":
            tt = None
            set_target_type(chr_, "none")
        if tt in (None, "none"):
            new = None
            if arch_is_x86(arch(dom)):
                new = "isa-serial"
            elif is_pseries(dom):
                new = "spapr-vio-serial"
            elif is_arm_virt(dom) or is_riscv_virt(dom):
                new = "system-serial"
            elif arch_is_s390(arch(dom)):
                new = "sclp-serial"
            if new:
                set_target_type(chr_, new)
        tgt = target(chr_)
        if tgt is not None and (getattr(tgt, "model", None) is None or getattr(getattr(tgt, "model", None), "name", None) in (None, "none")):
            tt = target_type(chr_)
            mname = {"isa-serial": "isa-serial", "usb-serial": "usb-serial",
                     "pci-serial": "pci-serial", "spapr-vio-serial": "spapr-vty",
                     "sclp-serial": "sclpconsole", "isa-debug": "isa-debugcon"}.get(tt or "")
            if tt == "system-serial":
                if is_arm_virt(dom):
                    mname = "pl011"
                elif is_riscv_virt(dom):
                    mname = "16550a"
            if mname:
                mcls = field_class(type(tgt), "model")
                tgt.model = new_obj(mcls, name=mname)
    if ctx.flags & ParseFlags.INACTIVE:
        drop_default_path(dom, chr_, options.qemu_conf(ctx))
        src = getattr(chr_, "source", None)
        if src is not None and getattr(chr_, "type", None) == "unix" and not getattr(src, "path", None):
            src.mode = "bind"


def drop_default_path(dom: Any, chr_: Any, cfg: Any) -> None:
    """qemuDomainChrDefDropDefaultPath on one device: a virtio channel's
    unix socket at a path libvirt generates is dropped."""
    if _chr_kind(chr_) != "channel" or target_type(chr_) != "virtio":
        return
    src = getattr(chr_, "source", None)
    if getattr(chr_, "type", None) == "unix" and src is not None and \
            is_default_channel_path(getattr(src, "path", None), cfg.channel_target_dir,
                                    getattr(target(chr_), "name", None)):
        src.path = None


def is_default_channel_path(path: str | None, channel_target_dir: str, name: str | None) -> bool:
    """libvirt's test for a generated channel socket path: the pattern
    ``^DIR/([^/]+\\.)|(domain-[^/]+/)NAME$`` searched in the path; the
    alternation spans the whole pattern, so either half may match, and
    without a target name the second half is ``(domain-[^/]+/)`` alone
    (libvirt appends nothing for a missing name, not even the ``$``)."""
    if not path:
        return False
    tail = re.escape(name) + "$" if name else ""
    return re.search("^" + re.escape(channel_target_dir) + r"/([^/]+\.)|(domain-[^/]+/)" + tail, path) is not None


# ------------------------------------------------------------------ others

def panic_post_parse(dom: Any, panic: Any) -> None:
    if getattr(panic, "model", None) in (None, "default"):
        panic.model = default_panic_model(dom)


def shmem_post_parse(shm: Any) -> None:
    model = getattr(shm, "model", None)
    mname = getattr(model, "type", None) if model is not None and not isinstance(model, str) else model
    if mname != "ivshmem-doorbell" and not getattr(shm, "size", None):
        set_field(shm, "size", 4 << 20)
    if mname in (None, "ivshmem"):
        return
    # qemuDomainShmemDefPostParse
    if getattr(shm, "server", None) is None:
        if mname == "ivshmem-doorbell":
            raise PostParseError(f"shmem model '{mname}' is supported only with server option enabled")
    else:
        if mname == "ivshmem-plain":
            raise PostParseError(f"shmem model '{mname}' is supported only with server option disabled")
        if getattr(shm, "size", None):
            raise PostParseError(f"shmem model '{mname}' does not support size setting")
        # a server means MSI, with ioeventfd on unless set
        msi = getattr(shm, "msi", None)
        if msi is None:
            cls = field_class(type(shm), "msi")
            if cls is not None:
                set_field(shm, "msi", new_obj(cls, ioeventfd=True))
        elif getattr(msi, "ioeventfd", None) is None:
            set_field(msi, "ioeventfd", True)


def vsock_post_parse(vsock: Any) -> None:
    if getattr(vsock, "model", None) in (None, "default"):
        vsock.model = "virtio"


def tpm_post_parse(dom: Any, tpm: Any) -> None:
    if getattr(tpm, "model", None) in (None, "default"):
        tpm.model = "tpm-spapr" if arch_is_ppc64(arch(dom)) else "tpm-tis"
    backend = getattr(tpm, "backend", None)
    if getattr(backend, "type", None) == "emulator" and not getattr(backend, "version", None):
        # libvirt 9.0: 2.0 for the SPAPR and CRB models and on ARM virt, else 1.2
        if getattr(tpm, "model", None) in ("tpm-spapr", "tpm-crb") or is_arm_virt(dom):
            backend.version = "2.0"
        else:
            backend.version = "1.2"


def hostdev_post_parse(hostdev: Any, caps: Any) -> None:
    """mdev vfio-pci: ``display='off'`` by default when QEMU knows the
    vfio-pci display property (qemuDomainHostdevDefMdevPostParse)."""
    if (
        getattr(hostdev, "mode", None) == "subsystem"
        and getattr(hostdev, "type", None) == "mdev"
        and getattr(hostdev, "model", None) == "vfio-pci"
        and getattr(hostdev, "display", None) is None
        and _has(caps, "vfio-pci.display")
    ):
        hostdev.display = False


def memory_post_parse(dom: Any, mem: Any, flags: int) -> None:
    if not flags & ParseFlags.ABI_UPDATE or not arch_is_ppc64(arch(dom)):
        return
    tgt = getattr(mem, "target", None)
    size = getattr(tgt, "size", None)
    if size is None:
        return
    align = 256 * 1024
    if getattr(mem, "model", None) == "nvdimm":
        label = getattr(getattr(tgt, "label", None), "size", None) or 0
        guest = size - label
        if guest < align:
            raise PostParseError("minimum target size for the NVDIMM must be 256MB plus the label size")
        tgt.size = guest // align * align + label
        return
    tgt.size = (size + align - 1) // align * align


def device_post_parse(dom: Any, dev: Any, ctx: Any) -> None:
    caps = ctx.data
    kind = getattr(type(dev), "__xml_tag__", "")
    if kind == "interface":
        net_post_parse(dom, dev, caps)
    elif kind == "disk":
        disk_post_parse(dev, ctx.flags, caps)
    elif kind == "video":
        video_post_parse(dom, dev, caps)
    elif kind == "panic":
        panic_post_parse(dom, dev)
    elif kind == "controller":
        controller_post_parse(dom, dev, caps, ctx.flags)
    elif kind == "shmem":
        shmem_post_parse(dev)
    elif kind in ("serial", "parallel", "console", "channel"):
        chr_post_parse(dom, dev, ctx)
    elif kind == "vsock":
        vsock_post_parse(dev)
    elif kind == "hostdev":
        hostdev_post_parse(dev, caps)
    elif kind == "tpm":
        tpm_post_parse(dom, dev)
    elif kind == "memory":
        memory_post_parse(dom, dev, ctx.flags)


_ = os
