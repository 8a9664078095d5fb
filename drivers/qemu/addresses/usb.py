"""USB port assignment (qemuDomainAssignUSBAddresses, the USB address set
of domain_addr.c): controllers give root hubs with a number of ports per
model, ``<hub>`` devices add 8-port hubs, existing addresses are reserved,
then hubs and devices without an address get the first free port."""

from __future__ import annotations

import itertools
from typing import Any, Iterator

import attrs

from postparse.chr import target_type
from virtxml.errors import PostParseError
from virtxml.flags import ParseFlags
from virtxml.model.devices.info import AddressUSB

from ..controllers import usb_ports
from ..util import (controllers, ctype, cindex, cmodel, devlist, ensure_devices, new_device,
                    set_field)

HUB_PORTS = 8
_ABI_UPDATE = int(ParseFlags.ABI_UPDATE)  # an int: int & int, not the enum's slow __and__
MAX_DEPTH = 4


def model_ports(cont: Any) -> int:
    """virDomainUSBAddressControllerModelToPorts."""
    m = cmodel(cont)
    if m in (None, "piix3-uhci", "piix4-uhci", "vt82c686b-uhci"):
        return 2
    if m in ("ehci", "ich9-ehci1"):
        return 6
    if m in ("ich9-uhci1", "ich9-uhci2", "ich9-uhci3"):
        return 0
    if m == "pci-ohci":
        return 3
    if m in ("nec-xhci", "qemu-xhci"):
        p = usb_ports(cont)
        return p if p != -1 else 4
    if m in ("qusb1", "qusb2"):
        p = usb_ports(cont)
        return p if p != -1 else 8
    return 0


class Hub:
    def __init__(self, nports: int) -> None:
        self.portmap = [False] * nports
        self.ports: list["Hub | None"] = [None] * nports


def usb_devices(dom: Any, skip_hubs: bool) -> Iterator[Any]:
    """virDomainUSBDeviceDefForeach order."""
    if not skip_hubs:
        for h in devlist(dom, "hubs"):
            if getattr(h, "type", None) == "usb":
                yield h
    for h in devlist(dom, "hostdevs"):
        if getattr(h, "type", None) == "usb":
            yield h
    for d in devlist(dom, "disks"):
        if getattr(getattr(d, "target", None), "bus", None) == "usb":
            yield d
    for c in controllers(dom):
        if ctype(c) == "ccid":
            yield c
    for i in devlist(dom, "inputs"):
        if getattr(i, "bus", None) == "usb":
            yield i
    for s in devlist(dom, "serials"):
        if target_type(s) == "usb-serial":
            yield s
    for s in devlist(dom, "sounds"):
        if getattr(s, "model", None) == "usb":
            yield s
    for r in devlist(dom, "redirdevs"):
        if getattr(r, "bus", None) == "usb":
            yield r


def _port(dev: Any) -> tuple[int, ...]:
    a = getattr(dev, "address", None)
    p = getattr(a, "port", None)
    if not p:
        return ()
    if isinstance(p, str):
        return tuple(int(x) for x in p.split(".") if x)
    return tuple(p)


def _make_usb_address(bus: int, path: list[int]) -> Any:
    ports = [p for p in path if p]
    conv_str = True
    for f in attrs.fields(AddressUSB):
        if f.name == "port" and "tuple" in str(f.type):
            conv_str = False
    return AddressUSB(bus=bus, port=".".join(str(p) for p in ports) if conv_str else tuple(ports))


def _present(dev: Any) -> bool:
    a = getattr(dev, "address", None)
    return a is not None and getattr(a, "type", None) == "usb" and bool(_port(dev)) and _port(dev)[0] != 0


def _fmt(port: tuple[int, ...]) -> str:
    return ".".join(str(p) for p in port if p)


class USBSet:
    def __init__(self) -> None:
        self.buses: list[Hub | None] = []

    def add_controller(self, cont: Any) -> None:
        n = model_ports(cont)
        if n == 0:
            return
        idx = cindex(cont)
        if len(self.buses) <= idx:
            self.buses.extend([None] * (idx - len(self.buses) + 1))
        elif self.buses[idx] is not None:
            raise PostParseError(f"Duplicate USB controllers with index {idx}")
        self.buses[idx] = Hub(n)

    def find_port(self, bus: int, port: tuple[int, ...]) -> tuple[Hub, int]:
        s = _fmt(port)
        if bus >= len(self.buses) or self.buses[bus] is None:
            raise PostParseError(f"Missing USB bus {bus}")
        hub = self.buses[bus]
        assert hub is not None
        path = [p for p in port if p]
        for p in path[:-1]:
            if len(hub.ports) <= p - 1:
                raise PostParseError(f"port {p} out of range in USB address bus: {bus} port: {s}")
            nxt = hub.ports[p - 1]
            if nxt is None:
                raise PostParseError(f"there is no hub at port {p} in USB address bus: {bus} port: {s}")
            hub = nxt
        target = path[-1] - 1
        if target >= len(hub.portmap):
            raise PostParseError(f"requested USB port {s} not present on USB bus {bus}")
        return hub, target

    def add_hub(self, dev: Any) -> None:
        a = getattr(dev, "address", None)
        if getattr(a, "type", None) != "usb":
            raise PostParseError("Wrong address type for USB hub")
        bus = int(getattr(a, "bus", None) or 0)
        hub, t = self.find_port(bus, _port(dev))
        if hub.ports[t] is not None:
            raise PostParseError(f"Duplicate USB hub on bus {bus} port {_fmt(_port(dev))}")
        hub.portmap[t] = True
        hub.ports[t] = Hub(HUB_PORTS)

    def reserve(self, dev: Any) -> None:
        if not _present(dev):
            return
        a = dev.address
        bus = int(getattr(a, "bus", None) or 0)
        hub, t = self.find_port(bus, _port(dev))
        if hub.portmap[t]:
            raise PostParseError(f"Duplicate USB address bus {bus} port {_fmt(_port(dev))}")
        hub.portmap[t] = True

    @staticmethod
    def _free(hub: Hub, path: list[int], level: int) -> bool:
        for i, used in enumerate(hub.portmap):
            if not used:
                path[level] = i + 1
                return True
        if level >= MAX_DEPTH - 1:
            return False
        for i, sub in enumerate(hub.ports):
            if sub is None:
                continue
            if USBSet._free(sub, path, level + 1):
                path[level] = i + 1
                return True
        return False

    def _from_bus(self, dev: Any, bus: int) -> bool:
        if bus >= len(self.buses) or self.buses[bus] is None:
            return False
        path = [0] * MAX_DEPTH
        if not self._free(self.buses[bus], path, 0):  # type: ignore[arg-type]
            return False
        set_field(dev, "address", _make_usb_address(bus, path))
        self.reserve(dev)
        return True

    def assign(self, dev: Any) -> None:
        a = getattr(dev, "address", None)
        if a is not None and getattr(a, "type", None) == "usb":
            bus = int(getattr(a, "bus", None) or 0)
            if bus >= len(self.buses) or self.buses[bus] is None:
                raise PostParseError(f"USB bus {bus} requested but no controller with that index is present")
            if self._from_bus(dev, bus):
                return
        else:
            for b in range(len(self.buses)):
                if self._from_bus(dev, b):
                    return
        raise PostParseError("No free USB ports")


def _has_usb(dom: Any) -> bool:
    return any(ctype(c) == "usb" and cmodel(c) != "none" for c in controllers(dom))


def assign_usb_addresses(dom: Any, flags: int) -> None:
    new_domain = bool(flags & _ABI_UPDATE)
    # one scan of the device lists: below only hubs are appended (to the
    # hub list, read again) and addresses change, which usb_devices ignores
    usb_hubs = [h for h in devlist(dom, "hubs") if getattr(h, "type", None) == "usb"]
    others = list(usb_devices(dom, True))
    if not new_domain:
        if not all(_present(d) for d in itertools.chain(usb_hubs, others)):
            return
    addrs = USBSet()
    # qemuDomainUSBAddressAddHubs
    available = sum(model_ports(c) for c in controllers(dom) if ctype(c) == "usb")
    available += HUB_PORTS * len(usb_hubs)
    count = len(usb_hubs) + len(others)
    if count > 0 and not _has_usb(dom):
        raise PostParseError("USB is disabled for this domain, but USB devices are present in the domain XML")
    if count > available:
        needed = (count - available + 1 + HUB_PORTS - 2) // (HUB_PORTS - 1)
        for _ in range(needed):
            ensure_devices(dom).hubs.append(new_device("hubs", type="usb"))
    for c in controllers(dom):
        if ctype(c) == "usb":
            addrs.add_controller(c)
    for h in devlist(dom, "hubs"):
        if getattr(h, "type", None) == "usb" and _present(h):
            addrs.add_hub(h)
    for d in others:
        addrs.reserve(d)
    for h in devlist(dom, "hubs"):
        if getattr(h, "type", None) != "usb" or _present(h):
            continue
        addrs.assign(h)
        addrs.add_hub(h)
    for d in others:
        a = getattr(d, "address", None)
        if a is not None and getattr(a, "type", None) not in ("usb",):
            continue
        if _present(d):
            continue
        addrs.assign(d)
