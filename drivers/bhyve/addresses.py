"""bhyve's PCI address assignment (bhyve_device.c, libvirt 9.0).

One PCI bus (pci-root, slots 1..31).  First every address already in the
definition is reserved (``bhyveCollectPCIAddress``: all devices with device
info, drive addresses skipped, 0000:00:00.0 skipped).  Then
``bhyveAssignDevicePCISlots``:

1. slot 1 is kept for the LPC bridge when nothing uses it: it is reserved
   and the first ISA controller that wants an address gets 0000:00:01.0;
2. controllers of type pci (but not pci-root), sata, isa and USB
   ``nec-xhci`` that want an address get the next free slot;
3. then interfaces, virtio disks (every virtio disk without a non-empty PCI
   address, whatever address it had), videos, sounds, filesystems.

The address set is libvirt's domain_addr.c one (shared with the QEMU
driver's implementation).  Like libvirt, an address of another type is read
through the PCI view of libvirt's address union (``domain, bus, slot,
function`` over the first fields of that address type)."""

from __future__ import annotations

from typing import Any

from drivers.qemu.addresses.pci import T_PCI_DEVICE, Addr, AddressSet, pci_wanted
from postparse.util import devlist, get, iter_postparse_devices


def _union_pci(addr: Any) -> Addr | None:
    """The PCI address libvirt reads from ``info->addr.pci`` (None: skipped)."""
    if addr is None:
        return Addr()
    t = get(addr, "type")
    if t == "drive":
        return None
    if t == "pci":
        return Addr(get(addr, "domain") or 0, get(addr, "bus") or 0, get(addr, "slot") or 0,
                    get(addr, "function") or 0)
    if t == "virtio-serial":
        return Addr(get(addr, "controller") or 0, get(addr, "bus") or 0, get(addr, "port") or 0, 0)
    if t == "ccid":
        return Addr(get(addr, "controller") or 0, get(addr, "slot") or 0, 0, 0)
    if t == "usb":
        port = get(addr, "port") or ()
        if isinstance(port, str):
            port = tuple(int(p) for p in port.split(".") if p.isdigit())
        ports = list(port) + [0] * 3
        return Addr(get(addr, "bus") or 0, ports[0], ports[1], ports[2])
    if t == "isa":
        return Addr(get(addr, "iobase") or 0, get(addr, "irq") or 0, 0, 0)
    return Addr()


def create_address_set(dom: Any) -> AddressSet:
    """bhyveDomainPCIAddressSetCreate(def, 1)."""
    addrs = AddressSet(1, dry_run=False)
    addrs.buses[0].set_model("pci-root", True)
    for dev in iter_postparse_devices(dom, all_consoles=False, missing_info=False):
        a = _union_pci(get(dev, "address"))
        if a is None or (a.domain == 0 and a.bus == 0 and a.slot == 0):
            continue
        addrs.reserve(a, T_PCI_DEVICE, 0, True)
    return addrs


def _is_empty_pci(dev: Any) -> bool:
    a = get(dev, "address")
    return not (get(a, "domain") or get(a, "bus") or get(a, "slot") or get(a, "function"))


def assign_pci_slots(dom: Any, addrs: AddressSet) -> None:
    """bhyveAssignDevicePCISlots."""
    from drivers.qemu.addresses.pci import write_addr

    lpc = Addr(0, 0, 1, 0)
    conts = devlist(dom, "controllers")
    if not addrs.slot_in_use(lpc):
        addrs.reserve(lpc, T_PCI_DEVICE, 0, True)
        for c in conts:
            if get(c, "type") == "isa" and pci_wanted(c):
                write_addr(c, lpc.copy())
                break
    for c in conts:
        t = get(c, "type")
        if t in ("pci", "sata", "isa") or (t == "usb" and get(c, "model") == "nec-xhci"):
            if get(c, "model") == "pci-root" or not pci_wanted(c):
                continue
            addrs.reserve_next(c, T_PCI_DEVICE)
    for n in devlist(dom, "interfaces"):
        if pci_wanted(n):
            addrs.reserve_next(n, T_PCI_DEVICE)
    for d in devlist(dom, "disks"):
        if get(get(d, "target"), "bus") != "virtio":
            continue
        a = get(d, "address")
        if a is not None and get(a, "type") == "pci" and not _is_empty_pci(d):
            continue
        addrs.reserve_next(d, T_PCI_DEVICE)
    for name in ("videos", "sounds", "filesystems"):
        for dev in devlist(dom, name):
            if pci_wanted(dev):
                addrs.reserve_next(dev, T_PCI_DEVICE)


def assign_addresses(dom: Any) -> AddressSet:
    """bhyveDomainAssignAddresses."""
    addrs = create_address_set(dom)
    assign_pci_slots(dom, addrs)
    return addrs
