"""Non-PCI address assignment of qemuDomainAssignAddresses: virtio-serial
ports, spapr-vio registers, CCW devnos (s390-ccw), virtio-mmio priming,
DIMM slots."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .. import capsflags as F
from ..controllers import vioserial_ports
from ..util import (arch, controllers, ctype, cindex, devlist, get, has_pcie_root, is_arm_virt,
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
    a = get(dev, "address")
    return a is not None and get(a, "type") == "virtio-serial" and bool(get(a, "port"))


def _next_clear(m: list[bool], after: int) -> int:
    for i in range(after + 1, len(m)):
        if not m[i]:
            return i
    return -1


def assign_virtio_serial(dom: Any) -> None:
    from postparse.chr import target_type
    from virtxml.model.devices.info import AddressVirtioSerial

    addrs = VioSerialSet()
    for c in controllers(dom):
        addrs.add_controller(c)
    for _k, dev in iter_info_devices(dom):
        if _vs_complete(dev):
            a = dev.address
            addrs.reserve(int(get(a, "controller") or 0), int(get(a, "port") or 0))

    def assign(dev: Any, allow_zero: bool) -> None:
        a = get(dev, "address")
        port_only = a is not None and get(a, "type") == "virtio-serial"
        if port_only:
            controller = int(get(a, "controller") or 0)
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
    a = get(dev, "address")
    if a is None or get(a, "type") != "spapr-vio":
        return
    user = get(a, "reg") is not None
    if not user:
        a.reg = default_reg

    def clash() -> bool:
        for _k, o in iter_info_devices(dom):
            if o is dev:
                continue
            oa = get(o, "address")
            if oa is not None and get(oa, "type") == "spapr-vio" and get(oa, "reg") is not None \
                    and oa.reg == a.reg:
                return True
        return False

    while clash():
        if user:
            raise PostParseError("spapr-vio address %#x already in use" % a.reg)
        a.reg += 0x1000


def _prime(dev: Any, type_: str) -> None:
    from virtxml.model.devices.info import ADDRESS_CLASSES

    set_field(dev, "address", ADDRESS_CLASSES[type_]())


def assign_spapr_vio(dom: Any) -> None:
    from postparse.chr import target_type

    from ..device_defaults import net_model

    for net in devlist(dom, "interfaces"):
        if net_model(net) == "spapr-vlan" and get(net, "address") is None:
            _prime(net, "spapr-vio")
        elif net_model(net) == "spapr-vlan" and get(net.address, "type") != "spapr-vio":
            _prime(net, "spapr-vio")
        _spapr_assign(dom, net, VIO_ADDR_NET)
    for c in controllers(dom):
        if get(c, "model") == "ibmvscsi" and ctype(c) == "scsi" and get(get(c, "address"), "type") != "spapr-vio":
            _prime(c, "spapr-vio")
        _spapr_assign(dom, c, VIO_ADDR_SCSI)
    for s in devlist(dom, "serials"):
        if target_type(s) == "spapr-vio-serial" and get(get(s, "address"), "type") != "spapr-vio":
            _prime(s, "spapr-vio")
        _spapr_assign(dom, s, VIO_ADDR_SERIAL)
    nv = get(get(dom, "devices"), "nvram")
    if nv is not None:
        if is_pseries(dom) and get(get(nv, "address"), "type") != "spapr-vio":
            _prime(nv, "spapr-vio")
        _spapr_assign(dom, nv, VIO_ADDR_NVRAM)
    for t in devlist(dom, "tpms"):
        if get(t, "model") != "spapr-tpm-proxy" and is_pseries(dom) \
                and get(get(t, "address"), "type") != "spapr-vio":
            _prime(t, "spapr-vio")
        _spapr_assign(dom, t, VIO_ADDR_TPM)


# ------------------------------------------------------------------ virtio priming

def _is_virtio_net_model(m: str | None) -> bool:
    return m in ("virtio", "virtio-transitional", "virtio-non-transitional")


def prime_virtio(dom: Any, type_: str) -> None:
    """qemuDomainPrimeVirtioDeviceAddresses."""
    from ..device_defaults import net_model

    for d in devlist(dom, "disks"):
        if get(get(d, "target"), "bus") == "virtio" and get(d, "address") is None:
            _prime(d, type_)
    for n in devlist(dom, "interfaces"):
        if _is_virtio_net_model(net_model(n)) and get(n, "address") is None:
            _prime(n, type_)
    for v in devlist(dom, "videos"):
        if get(v, "address") is None and get(get(v, "model"), "type") == "virtio":
            _prime(v, type_)
    for i in devlist(dom, "inputs"):
        if get(i, "bus") == "virtio" and get(i, "address") is None:
            _prime(i, type_)
    for c in controllers(dom):
        if ctype(c) in ("virtio-serial", "scsi") and get(c, "address") is None:
            _prime(c, type_)
    for h in devlist(dom, "hostdevs"):
        if (get(h, "mode") or "subsystem") == "subsystem" and get(h, "type") == "scsi_host" \
                and get(h, "address") is None:
            _prime(h, type_)
    mb = get(get(dom, "devices"), "memballoon")
    if mb is not None and get(mb, "model") != "none" and get(mb, "address") is None:
        _prime(mb, type_)
    for r in devlist(dom, "rngs"):
        if get(r, "address") is None:
            _prime(r, type_)
    for m in devlist(dom, "memories"):
        if get(m, "model") in ("virtio-pmem", "virtio-mem") and get(m, "address") is None:
            _prime(m, type_)
    if type_ == "ccw":
        for f in devlist(dom, "filesystems"):
            if get(f, "address") is None:
                _prime(f, type_)
        for vs in devlist(dom, "vsocks"):
            if get(vs, "address") is None:
                _prime(vs, type_)
    for c in devlist(dom, "cryptos"):
        if get(c, "address") is None:
            _prime(c, type_)


# ------------------------------------------------------------------ ccw

def _ccw_str(a: Any) -> str:
    return "%x.%x.%04x" % (a.cssid, a.ssid, a.devno)


def assign_s390(dom: Any, caps: Any) -> None:
    if not is_s390_ccw(dom):
        return
    if caps.has(F.VFIO_CCW):
        for h in devlist(dom, "hostdevs"):
            if get(h, "type") == "mdev" and get(h, "model") == "vfio-ccw" and get(h, "address") is None:
                _prime(h, "ccw")
    for h in devlist(dom, "hostdevs"):
        if get(h, "type") == "mdev" and get(h, "model") == "vfio-ap":
            set_field(h, "address", None)
    prime_virtio(dom, "ccw")
    defined: set[str] = set()
    ccws = [d for _k, d in iter_info_devices(dom) if get(get(d, "address"), "type") == "ccw"]
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
    has_mmio = any(get(get(d, "address"), "type") == "virtio-mmio" for _k, d in iter_info_devices(dom))
    if has_pcie_root(dom) and (caps.has(F.PCIE_ROOT_PORT) or caps.has(F.IOH3420)) and not has_mmio:
        prime_virtio(dom, "pci")
    elif caps.has(F.VIRTIO_MMIO):
        prime_virtio(dom, "virtio-mmio")


# ------------------------------------------------------------------ dimm slots

def assign_memory_slots(dom: Any) -> None:
    mm = get(dom, "max_memory")
    slots = get(mm, "slots")
    if not slots:
        return
    from virtxml.model.devices.info import AddressDIMM

    used = set()
    for m in devlist(dom, "memories"):
        a = get(m, "address")
        if get(a, "type") == "dimm":
            used.add(int(get(a, "slot") or 0))
    for m in devlist(dom, "memories"):
        if get(m, "model") not in ("dimm", "nvdimm"):
            continue
        if get(get(m, "address"), "type") == "dimm":
            continue
        nxt = next((i for i in range(int(slots)) if i not in used), None)
        if nxt is None:
            raise PostParseError("failed to find an empty memory slot")
        used.add(nxt)
        set_field(m, "address", AddressDIMM(slot=nxt))
