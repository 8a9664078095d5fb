"""Non-PCI address assignment of qemuDomainAssignAddresses: virtio-serial
ports, spapr-vio registers, CCW devnos (s390-ccw), virtio-mmio priming,
DIMM slots."""

from __future__ import annotations

from typing import Any

from postparse.chr import target_type
from virtxml.errors import PostParseError
from virtxml.model.devices.info import ADDRESS_CLASSES, AddressDIMM, AddressVirtioSerial

from .. import capsflags as F
from ..device_defaults import net_model
from ..controllers import vioserial_ports
from ..util import (arch, controllers, ctype, cindex, devlist, has_pcie_root, is_arm_virt,
                    is_pseries, is_riscv_virt, is_s390_ccw, iter_info_devices, machine,
                    maybe_add_controller, set_field)

# ------------------------------------------------------------------ virtio-serial

DEFAULT_VIRTIO_SERIAL_PORTS = 31


class VioSerialSet:
    def __init__(self) -> None:
        self.controllers: list[tuple[int, list[bool]]] = []  # sorted by index

    def add_controller(self, cont: Any) -> None:
        if ctype(cont) != "virtio-serial":
            return
        ports = vioserial_ports(cont)
        if ports == -1:
            ports = DEFAULT_VIRTIO_SERIAL_PORTS
        idx = cindex(cont)
        pos = len(self.controllers)
        for i, (cidx, _m) in enumerate(self.controllers):
            if cidx == idx:
                raise PostParseError(f"virtio serial controller with index {idx} already exists in "
                                     "the address set")
            if cidx > idx:
                pos = i
                break
        self.controllers.insert(pos, (idx, [False] * ports))

    def find(self, idx: int) -> list[bool] | None:
        for cidx, m in self.controllers:
            if cidx == idx:
                return m
        return None

    def reserve(self, controller: int, port: int) -> None:
        m = self.find(controller)
        if m is None:
            raise PostParseError(f"virtio serial controller {controller} is missing")
        if port >= len(m):
            raise PostParseError(f"virtio serial controller {controller} does not have port {port}")
        if m[port]:
            raise PostParseError(f"virtio serial port {port} on controller {controller} is already occupied")
        m[port] = True


def _vs_complete(dev: Any) -> bool:
    a = getattr(dev, "address", None)
    return a is not None and getattr(a, "type", None) == "virtio-serial" and bool(getattr(a, "port", None))


def _next_clear(m: list[bool], after: int) -> int:
    for i in range(after + 1, len(m)):
        if not m[i]:
            return i
    return -1


def assign_virtio_serial(dom: Any) -> None:
    addrs = VioSerialSet()
    for c in controllers(dom):
        addrs.add_controller(c)
    for _k, dev in iter_info_devices(dom):
        if _vs_complete(dev):
            a = dev.address
            addrs.reserve(int(getattr(a, "controller", None) or 0), int(getattr(a, "port", None) or 0))

    def assign(dev: Any, allow_zero: bool) -> None:
        a = getattr(dev, "address", None)
        port_only = a is not None and getattr(a, "type", None) == "virtio-serial"
        if port_only:
            controller = int(getattr(a, "controller", None) or 0)
            m = addrs.find(controller)
            if m is None:
                raise PostParseError(f"virtio-serial controller {controller} not available")
            port = _next_clear(m, 0)
            if port <= 0:
                raise PostParseError(f"Unable to find a free port on virtio-serial controller {controller}")
        else:
            start = -1 if allow_zero else 0
            if not addrs.controllers:
                raise PostParseError("no virtio-serial controllers are available")
            controller = port = -1
            for cidx, m in addrs.controllers:
                p = _next_clear(m, start)
                if p >= 0:
                    controller, port = cidx, p
                    break
            if controller < 0:
                i = 0
                while any(ctype(c) == "virtio-serial" and cindex(c) == i for c in controllers(dom)):
                    i += 1
                cont = maybe_add_controller(dom, "virtio-serial", i)
                addrs.add_controller(cont)
                controller, port = i, start + 1
        addrs.reserve(controller, port)
        if not allow_zero:
            set_field(dev, "address", AddressVirtioSerial(controller=controller, bus=0, port=port))

    for con in devlist(dom, "consoles"):
        if target_type(con) == "virtio" and not _vs_complete(con):
            assign(con, True)
    for ch in devlist(dom, "channels"):
        if target_type(ch) == "virtio" and not _vs_complete(ch):
            assign(ch, False)


# ------------------------------------------------------------------ spapr-vio

VIO_ADDR_NET = 0x1000
VIO_ADDR_SCSI = 0x2000
VIO_ADDR_SERIAL = 0x30000000
VIO_ADDR_NVRAM = 0x3000
VIO_ADDR_TPM = 0x4000


def _spapr_assign(dom: Any, dev: Any, default_reg: int) -> None:
    a = getattr(dev, "address", None)
    if a is None or getattr(a, "type", None) != "spapr-vio":
        return
    user = getattr(a, "reg", None) is not None
    if not user:
        a.reg = default_reg

    def clash() -> bool:
        for _k, o in iter_info_devices(dom):
            if o is dev:
                continue
            oa = getattr(o, "address", None)
            if oa is not None and getattr(oa, "type", None) == "spapr-vio" and getattr(oa, "reg", None) is not None \
                    and oa.reg == a.reg:
                return True
        return False

    while clash():
        if user:
            raise PostParseError("spapr-vio address %#x already in use" % a.reg)
        a.reg += 0x1000


def _prime(dev: Any, type_: str) -> None:
    set_field(dev, "address", ADDRESS_CLASSES[type_]())


def assign_spapr_vio(dom: Any) -> None:
    for net in devlist(dom, "interfaces"):
        if net_model(net) == "spapr-vlan" and getattr(net, "address", None) is None:
            _prime(net, "spapr-vio")
        elif net_model(net) == "spapr-vlan" and getattr(net.address, "type", None) != "spapr-vio":
            _prime(net, "spapr-vio")
        _spapr_assign(dom, net, VIO_ADDR_NET)
    for c in controllers(dom):
        if getattr(c, "model", None) == "ibmvscsi" and ctype(c) == "scsi" and getattr(getattr(c, "address", None), "type", None) != "spapr-vio":
            _prime(c, "spapr-vio")
        _spapr_assign(dom, c, VIO_ADDR_SCSI)
    for s in devlist(dom, "serials"):
        if target_type(s) == "spapr-vio-serial" and getattr(getattr(s, "address", None), "type", None) != "spapr-vio":
            _prime(s, "spapr-vio")
        _spapr_assign(dom, s, VIO_ADDR_SERIAL)
    nv = getattr(getattr(dom, "devices", None), "nvram", None)
    if nv is not None:
        if is_pseries(dom) and getattr(getattr(nv, "address", None), "type", None) != "spapr-vio":
            _prime(nv, "spapr-vio")
        _spapr_assign(dom, nv, VIO_ADDR_NVRAM)
    for t in devlist(dom, "tpms"):
        if getattr(t, "model", None) != "spapr-tpm-proxy" and is_pseries(dom) \
                and getattr(getattr(t, "address", None), "type", None) != "spapr-vio":
            _prime(t, "spapr-vio")
        _spapr_assign(dom, t, VIO_ADDR_TPM)


# ------------------------------------------------------------------ virtio priming

def _is_virtio_net_model(m: str | None) -> bool:
    return m in ("virtio", "virtio-transitional", "virtio-non-transitional")


def prime_virtio(dom: Any, type_: str) -> None:
    """qemuDomainPrimeVirtioDeviceAddresses."""
    for d in devlist(dom, "disks"):
        if getattr(getattr(d, "target", None), "bus", None) == "virtio" and getattr(d, "address", None) is None:
            _prime(d, type_)
    for n in devlist(dom, "interfaces"):
        if _is_virtio_net_model(net_model(n)) and getattr(n, "address", None) is None:
            _prime(n, type_)
    for v in devlist(dom, "videos"):
        if getattr(v, "address", None) is None and getattr(getattr(v, "model", None), "type", None) == "virtio":
            _prime(v, type_)
    for i in devlist(dom, "inputs"):
        if getattr(i, "bus", None) == "virtio" and getattr(i, "address", None) is None:
            _prime(i, type_)
    for c in controllers(dom):
        if ctype(c) in ("virtio-serial", "scsi") and getattr(c, "address", None) is None:
            _prime(c, type_)
    for h in devlist(dom, "hostdevs"):
        if (getattr(h, "mode", None) or "subsystem") == "subsystem" and getattr(h, "type", None) == "scsi_host" \
                and getattr(h, "address", None) is None:
            _prime(h, type_)
    mb = getattr(getattr(dom, "devices", None), "memballoon", None)
    if mb is not None and getattr(mb, "model", None) != "none" and getattr(mb, "address", None) is None:
        _prime(mb, type_)
    for r in devlist(dom, "rngs"):
        if getattr(r, "address", None) is None:
            _prime(r, type_)
    for m in devlist(dom, "memories"):
        if getattr(m, "model", None) in ("virtio-pmem", "virtio-mem") and getattr(m, "address", None) is None:
            _prime(m, type_)
    if type_ == "ccw":
        for f in devlist(dom, "filesystems"):
            if getattr(f, "address", None) is None:
                _prime(f, type_)
        for vs in devlist(dom, "vsocks"):
            if getattr(vs, "address", None) is None:
                _prime(vs, type_)
    for c in devlist(dom, "cryptos"):
        if getattr(c, "address", None) is None:
            _prime(c, type_)


# ------------------------------------------------------------------ ccw

def _ccw_str(a: Any) -> str:
    return "%x.%x.%04x" % (a.cssid, a.ssid, a.devno)


def assign_s390(dom: Any, caps: Any) -> None:
    if not is_s390_ccw(dom):
        return
    if caps.has(F.VFIO_CCW):
        for h in devlist(dom, "hostdevs"):
            if getattr(h, "type", None) == "mdev" and getattr(h, "model", None) == "vfio-ccw" and getattr(h, "address", None) is None:
                _prime(h, "ccw")
    for h in devlist(dom, "hostdevs"):
        if getattr(h, "type", None) == "mdev" and getattr(h, "model", None) == "vfio-ap":
            set_field(h, "address", None)
    prime_virtio(dom, "ccw")
    defined: set[str] = set()
    ccws = [d for _k, d in iter_info_devices(dom) if getattr(getattr(d, "address", None), "type", None) == "ccw"]
    for d in ccws:
        a = d.address
        if a.cssid is not None:
            s = _ccw_str(a)
            if s in defined:
                raise PostParseError(f"The CCW devno '{s}' is in use already")
            defined.add(s)
    nxt = [0xFE, 0, 0]
    for d in ccws:
        a = d.address
        if a.cssid is not None:
            continue
        while "%x.%x.%04x" % tuple(nxt) in defined:
            nxt[2] += 1
            if nxt[2] > 0xFFFF:
                nxt[2] = 0
                nxt[1] += 1
                if nxt[1] > 3:
                    raise PostParseError("There are no more free CCW devnos.")
        a.cssid, a.ssid, a.devno = nxt
        defined.add(_ccw_str(a))


# ------------------------------------------------------------------ virtio-mmio

def assign_virtio_mmio(dom: Any, caps: Any) -> None:
    a = arch(dom)
    if a not in ("armv6l", "armv7l", "aarch64", "riscv32", "riscv64"):
        return
    m = machine(dom) or ""
    if not (m.startswith("vexpress-") or is_arm_virt(dom) or is_riscv_virt(dom)):
        return
    has_mmio = any(getattr(getattr(d, "address", None), "type", None) == "virtio-mmio" for _k, d in iter_info_devices(dom))
    if has_pcie_root(dom) and (caps.has(F.PCIE_ROOT_PORT) or caps.has(F.IOH3420)) and not has_mmio:
        prime_virtio(dom, "pci")
    elif caps.has(F.VIRTIO_MMIO):
        prime_virtio(dom, "virtio-mmio")


# ------------------------------------------------------------------ dimm slots

def assign_memory_slots(dom: Any) -> None:
    mm = getattr(dom, "max_memory", None)
    slots = getattr(mm, "slots", None)
    if not slots:
        return
    used = set()
    for m in devlist(dom, "memories"):
        a = getattr(m, "address", None)
        if getattr(a, "type", None) == "dimm":
            used.add(int(getattr(a, "slot", None) or 0))
    for m in devlist(dom, "memories"):
        if getattr(m, "model", None) not in ("dimm", "nvdimm"):
            continue
        if getattr(getattr(m, "address", None), "type", None) == "dimm":
            continue
        nxt = next((i for i in range(int(slots)) if i not in used), None)
        if nxt is None:
            raise PostParseError("failed to find an empty memory slot")
        used.add(nxt)
        set_field(m, "address", AddressDIMM(slot=nxt))
