"""PCI address assignment (qemuDomainAssignPCIAddresses and the PCI address
set of libvirt's domain_addr.c): connect flags per device, bus models,
reservation of existing addresses, chipset slots (PIIX3, Q35), automatic
bridges / root ports in a dry run, then the real assignment, multifunction
marking and PCI controller option defaults."""

from __future__ import annotations

from typing import Any, Iterable

from postparse.chr import target_type
from virtxml.errors import PostParseError
from virtxml.model.devices.info import ZPCI, AddressPCI

from .. import capsflags as F
from ..device_defaults import net_model
from ..controllers import model_name, set_model_name, set_target_opt, target_opt, hotplug_off
from ..util import (arch, controllers, ctype, cindex, cmodel, devlist, ensure_devices, has_pci_root,
                    has_pcie_root, info_devices, is_pseries, iter_info_devices, machine,
                    machine_is_i440fx, machine_is_q35, new_device, set_field, supports_pci)

# virDomainPCIConnectFlags
AUTOASSIGN = 1 << 0
HOTPLUGGABLE = 1 << 1
INTEGRATED = 1 << 2
AGGREGATE_SLOT = 1 << 3
T_PCI_DEVICE = 1 << 4
T_PCIE_DEVICE = 1 << 5
T_PCIE_ROOT_PORT = 1 << 6
T_PCIE_SWITCH_UPSTREAM_PORT = 1 << 7
T_PCIE_SWITCH_DOWNSTREAM_PORT = 1 << 8
T_DMI_TO_PCI_BRIDGE = 1 << 9
T_PCIE_EXPANDER_BUS = 1 << 10
T_PCI_EXPANDER_BUS = 1 << 11
T_PCI_BRIDGE = 1 << 12
T_PCIE_TO_PCI_BRIDGE = 1 << 13
TYPES_ENDPOINT = T_PCI_DEVICE | T_PCIE_DEVICE
TYPES_MASK = (T_PCI_DEVICE | T_PCIE_DEVICE | T_PCIE_ROOT_PORT | T_PCIE_SWITCH_UPSTREAM_PORT
              | T_PCIE_SWITCH_DOWNSTREAM_PORT | T_DMI_TO_PCI_BRIDGE | T_PCIE_EXPANDER_BUS
              | T_PCI_EXPANDER_BUS | T_PCI_BRIDGE | T_PCIE_TO_PCI_BRIDGE)

SLOT_LAST = 31
FUNCTION_LAST = 7

USB2_MODELS = ("ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3")


def controller_connect_type(model: str | None) -> int:
    """virDomainPCIControllerModelToConnectType."""
    return {
        "pci-bridge": T_PCI_BRIDGE,
        "pci-expander-bus": T_PCI_EXPANDER_BUS,
        "pcie-expander-bus": T_PCIE_EXPANDER_BUS,
        "dmi-to-pci-bridge": T_DMI_TO_PCI_BRIDGE,
        "pcie-to-pci-bridge": T_PCIE_TO_PCI_BRIDGE,
        "pcie-root-port": T_PCIE_ROOT_PORT | AGGREGATE_SLOT,
        "pcie-switch-upstream-port": T_PCIE_SWITCH_UPSTREAM_PORT,
        "pcie-switch-downstream-port": T_PCIE_SWITCH_DOWNSTREAM_PORT,
    }.get(model or "", 0)


def connect_type_to_model(flags: int) -> str | None:
    for bit, model in ((T_PCIE_ROOT_PORT, "pcie-root-port"),
                       (T_PCIE_SWITCH_UPSTREAM_PORT, "pcie-switch-upstream-port"),
                       (T_PCIE_SWITCH_DOWNSTREAM_PORT, "pcie-switch-downstream-port"),
                       (T_DMI_TO_PCI_BRIDGE, "dmi-to-pci-bridge"),
                       (T_PCI_EXPANDER_BUS, "pci-expander-bus"),
                       (T_PCIE_EXPANDER_BUS, "pcie-expander-bus"),
                       (T_PCI_BRIDGE, "pci-bridge")):
        if flags & bit:
            return model
    return None


# ------------------------------------------------------------------ device flags

def _is_virtio_net(model: str | None) -> bool:
    return model in ("virtio", "virtio-transitional", "virtio-non-transitional")


def device_connect_flags(kind: str, dev: Any, pcie: int, virtio: int) -> int:
    """qemuDomainDeviceCalculatePCIConnectFlags."""
    pci = T_PCI_DEVICE | AUTOASSIGN
    model = getattr(dev, "model", None)
    if kind == "controller":
        t = ctype(dev)
        if t == "pci":
            return controller_connect_type(model)
        if t == "sata":
            return pci
        if t == "usb":
            if model is None:
                return pci
            if model in ("nec-xhci", "qemu-xhci"):
                return pcie
            if model in ("ehci", "ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3",
                         "vt82c686b-uhci", "piix3-uhci", "piix4-uhci", "pci-ohci"):
                return pci
            return 0
        if t == "ide":
            return pci
        if t == "scsi":
            if model in (None, "ncr53c90"):
                return 0
            if model in ("virtio-scsi", "virtio-non-transitional"):
                return virtio
            return pci
        if t == "virtio-serial":
            if model == "virtio-transitional":
                return pci
            return virtio
        return 0
    if kind == "fs":
        drv = getattr(getattr(dev, "driver", None), "type", None)
        if drv in (None, "default", "path", "handle"):
            if model == "virtio-transitional":
                return pci
            return virtio
        if drv == "virtiofs":
            return virtio
        return 0
    if kind == "net":
        nm = net_model(dev)
        if getattr(dev, "type", None) == "hostdev" or nm == "usb-net":
            return 0
        if nm in ("virtio", "virtio-non-transitional"):
            return virtio
        if nm == "virtio-transitional":
            return pci
        if nm in ("e1000e", "igb"):
            return pcie
        if nm is None:
            return pcie
        return pci
    if kind == "sound":
        if model in ("es1370", "ac97", "ich6", "ich9"):
            return pci
        return 0
    if kind == "disk":
        tgt = getattr(dev, "target", None)
        if getattr(tgt, "bus", None) == "virtio":
            if model == "virtio-transitional":
                return pci
            return virtio
        return 0
    if kind == "hostdev":
        return _hostdev_flags(dev, pci, pcie, virtio)
    if kind == "memballoon":
        if model == "virtio-transitional":
            return pci
        if model in ("virtio", "virtio-non-transitional"):
            return virtio
        return 0
    if kind == "rng":
        if model == "virtio-transitional":
            return pci
        if model in ("virtio", "virtio-non-transitional"):
            return virtio
        return 0
    if kind == "watchdog":
        return pci if model == "i6300esb" else 0
    if kind == "video":
        vt = getattr(getattr(dev, "model", None), "type", None)
        if vt == "virtio":
            return virtio
        if vt in ("vga", "cirrus", "vmvga", "xen", "vbox", "qxl", "parallels"):
            return pci
        if vt == "bochs":
            return pcie
        return 0
    if kind == "shmem":
        return pci
    if kind == "input":
        if getattr(dev, "bus", None) == "virtio":
            if model == "virtio-transitional":
                return pci
            return virtio
        return 0
    if kind in ("serial", "parallel", "channel", "console"):
        return pci if target_type(dev) == "pci-serial" else 0
    if kind == "iommu":
        return (virtio | INTEGRATED) if model == "virtio" else 0
    if kind == "vsock":
        if model == "virtio-transitional":
            return pci
        if model in ("virtio", "virtio-non-transitional"):
            return virtio
        return 0
    if kind == "memory":
        return virtio if model in ("virtio-pmem", "virtio-mem") else 0
    if kind == "crypto":
        return pci if model == "virtio" else 0
    if kind == "panic":
        return (pci | INTEGRATED) if model == "pvpanic" else 0
    return 0


def _hostdev_flags(dev: Any, pci: int, pcie: int, virtio: int) -> int:
    mode = getattr(dev, "mode", None) or "subsystem"
    t = getattr(dev, "type", None)
    is_mdev = mode == "subsystem" and t == "mdev"
    if not is_mdev and (mode != "subsystem" or t not in ("pci", "scsi_host")):
        return 0
    if pci == pcie:
        return pci
    a = getattr(dev, "address", None)
    if a is not None and getattr(a, "type", None) == "pci" and not _pci_empty(a):
        return pcie
    if t == "mdev":
        return pcie
    if t == "scsi_host":
        if getattr(dev, "model", None) == "virtio-transitional":
            return pci
        return virtio
    return pcie


# ------------------------------------------------------------------ address helpers

def _pci_empty(a: Any) -> bool:
    # virPCIDeviceAddressIsEmpty: the function is not looked at
    return not (a.domain or a.bus or a.slot)


def pci_present(dev: Any) -> bool:
    """virDeviceInfoPCIAddressIsPresent."""
    a = getattr(dev, "address", None)
    return a is not None and a.type == "pci" and not _pci_empty(a)


def pci_wanted(dev: Any) -> bool:
    """virDeviceInfoPCIAddressIsWanted: no address, or an empty PCI one."""
    a = getattr(dev, "address", None)
    return a is None or (a.type == "pci" and _pci_empty(a))


def addr_str(d: int, b: int, s: int, f: int) -> str:
    return "%04x:%02x:%02x.%x" % (d, b, s, f)


class Addr:
    __slots__ = ("domain", "bus", "slot", "function", "multi")

    def __init__(self, domain: int = 0, bus: int = 0, slot: int = 0, function: int = 0,
                 multi: bool | None = None) -> None:
        self.domain, self.bus, self.slot, self.function, self.multi = domain, bus, slot, function, multi

    @classmethod
    def of(cls, dev: Any) -> "Addr":
        a = getattr(dev, "address", None)
        if a is None or a.type != "pci":
            return cls()
        return cls(a.domain or 0, a.bus or 0, a.slot or 0, a.function or 0, a.multifunction)

    def __str__(self) -> str:
        return addr_str(self.domain, self.bus, self.slot, self.function)

    def copy(self) -> "Addr":
        return Addr(self.domain, self.bus, self.slot, self.function, self.multi)


def write_addr(dev: Any, a: Addr) -> None:
    old = getattr(dev, "address", None)
    # a PCI address keeps its zPCI extension
    zpci = getattr(old, "zpci", None) if getattr(old, "type", None) == "pci" else None
    set_field(dev, "address", AddressPCI(domain=a.domain, bus=a.bus, slot=a.slot, function=a.function,
                                         multifunction=a.multi, zpci=zpci))


# ------------------------------------------------------------------ address set

class Bus:
    __slots__ = ("model", "flags", "min_slot", "max_slot", "slots", "aggregate",
                 "isolation_group", "isolation_locked", "nused")

    def __init__(self) -> None:
        self.model: str | None = None
        self.flags = 0
        self.min_slot = 0
        self.max_slot = SLOT_LAST
        self.slots = [0] * (SLOT_LAST + 1)
        self.aggregate = [False] * (SLOT_LAST + 1)
        self.isolation_group = 0
        self.isolation_locked = False
        self.nused = 0

    def set_model(self, model: str | None, allow_hotplug: bool) -> None:
        hp = HOTPLUGGABLE if allow_hotplug else 0
        if model == "pci-root":
            self.flags = AUTOASSIGN | T_PCI_DEVICE | T_PCI_BRIDGE | T_PCI_EXPANDER_BUS | hp
            self.min_slot, self.max_slot = 1, SLOT_LAST
        elif model == "pci-bridge":
            self.flags = AUTOASSIGN | T_PCI_DEVICE | T_PCI_BRIDGE | hp
            self.min_slot, self.max_slot = 1, SLOT_LAST
        elif model == "pci-expander-bus":
            self.flags = AUTOASSIGN | T_PCI_DEVICE | T_PCI_BRIDGE | hp
            self.min_slot, self.max_slot = 0, SLOT_LAST
        elif model == "pcie-root":
            self.flags = T_PCIE_DEVICE | T_PCIE_ROOT_PORT | T_DMI_TO_PCI_BRIDGE | T_PCIE_EXPANDER_BUS
            self.min_slot, self.max_slot = 1, SLOT_LAST
        elif model == "dmi-to-pci-bridge":
            self.flags = T_PCI_DEVICE | T_PCI_BRIDGE
            self.min_slot, self.max_slot = 0, SLOT_LAST
        elif model == "pcie-to-pci-bridge":
            self.flags = AUTOASSIGN | T_PCI_DEVICE | T_PCI_BRIDGE | hp
            self.min_slot, self.max_slot = 1, SLOT_LAST
        elif model in ("pcie-root-port", "pcie-switch-downstream-port"):
            self.flags = AUTOASSIGN | T_PCIE_DEVICE | T_PCIE_SWITCH_UPSTREAM_PORT | T_PCIE_TO_PCI_BRIDGE | hp
            self.min_slot, self.max_slot = 0, 0
        elif model == "pcie-switch-upstream-port":
            self.flags = T_PCIE_SWITCH_DOWNSTREAM_PORT
            self.min_slot, self.max_slot = 0, SLOT_LAST
        elif model == "pcie-expander-bus":
            self.flags = T_PCIE_ROOT_PORT | T_DMI_TO_PCI_BRIDGE
            self.min_slot, self.max_slot = 0, SLOT_LAST
        else:
            raise PostParseError("PCI controller model was not set correctly")
        self.model = model

    def fully_reserved(self) -> bool:
        return all(self.slots[self.min_slot:self.max_slot + 1])

    def empty(self) -> bool:
        if not self.nused:
            return True
        return not any(self.slots[self.min_slot:self.max_slot + 1])


def _flags_compatible(a: Addr, bus_flags: int, dev_flags: int, report: bool, from_config: bool) -> bool:
    if dev_flags & INTEGRATED:
        if a.bus == 0:
            bus_flags |= AUTOASSIGN
        else:
            if report:
                raise PostParseError(f"The device at PCI address {a} needs to be an integrated device (bus=0)")
            return False
    if from_config:
        if bus_flags & TYPES_ENDPOINT:
            bus_flags |= TYPES_ENDPOINT
        if dev_flags & T_PCI_BRIDGE:
            dev_flags |= T_PCI_DEVICE
    elif dev_flags & AUTOASSIGN and not bus_flags & AUTOASSIGN:
        if report:
            raise PostParseError(
                f"The device at PCI address {a} was auto-assigned this address, but the PCI "
                f"controller with index='{a.bus}' doesn't allow auto-assignment")
        return False
    if dev_flags & HOTPLUGGABLE and not bus_flags & HOTPLUGGABLE:
        if report:
            raise PostParseError(
                f"The device at PCI address {a} requires hotplug capability, but the PCI "
                f"controller with index='{a.bus}' doesn't support hotplug")
        return False
    if not (dev_flags & bus_flags & TYPES_MASK):
        if not report:
            return False
        names = ((T_PCI_DEVICE, "standard PCI device"), (T_PCIE_DEVICE, "PCI Express device"),
                 (T_PCIE_ROOT_PORT, "pcie-root-port"),
                 (T_PCIE_SWITCH_UPSTREAM_PORT, "pcie-switch-upstream-port"),
                 (T_PCIE_SWITCH_DOWNSTREAM_PORT, "pcie-switch-downstream-port"),
                 (T_DMI_TO_PCI_BRIDGE, "dmi-to-pci-bridge"),
                 (T_PCIE_TO_PCI_BRIDGE, "pcie-to-pci-bridge"),
                 (T_PCI_EXPANDER_BUS, "pci-expander-bus"),
                 (T_PCIE_EXPANDER_BUS, "pcie-expander-bus"), (T_PCI_BRIDGE, "pci-bridge"))
        for bit, name in names:
            if dev_flags & bit:
                raise PostParseError(
                    f"The device at PCI address {a} cannot be plugged into the PCI controller with "
                    f"index='{a.bus}'. It requires a controller that accepts a {name}.")
        raise PostParseError(f"The device at PCI address {a} has unrecognized connection type "
                             f"flags 0x{dev_flags & TYPES_MASK:02x}")
    return True


class AddressSet:
    def __init__(self, nbuses: int, dry_run: bool) -> None:
        self.buses = [Bus() for _ in range(nbuses)]
        self.dry_run = dry_run
        self.multiple_roots = False
        self.pcie_to_pci_bridge = False

    @property
    def nbuses(self) -> int:
        return len(self.buses)

    # virDomainPCIAddressValidate
    def validate(self, a: Addr, flags: int, from_config: bool) -> None:
        buses = self.buses
        if not buses:
            raise PostParseError("No PCI buses available")
        if a.domain != 0:
            raise PostParseError(f"Invalid PCI address {a}. Only PCI domain 0 is available")
        if a.bus >= len(buses):
            raise PostParseError(f"Invalid PCI address {a}. Only PCI buses up to {len(buses) - 1} are available")
        bus = buses[a.bus]
        _flags_compatible(a, bus.flags, flags, True, from_config)
        if bus.min_slot and a.slot < bus.min_slot:
            raise PostParseError(f"Invalid PCI address {a}. slot must be >= {bus.min_slot}")
        if a.slot > bus.max_slot:
            raise PostParseError(f"Invalid PCI address {a}. slot must be <= {bus.max_slot}")
        if a.function > FUNCTION_LAST:
            raise PostParseError(f"Invalid PCI address {a}. function must be <= {FUNCTION_LAST}")

    # virDomainPCIAddressSetGrow
    def grow(self, a: Addr, flags: int) -> int:
        add = a.bus - self.nbuses + 1
        if add <= 0:
            return 0
        need_dmi = need_pcie_pci = False
        if flags & T_PCI_DEVICE:
            if self.multiple_roots:
                model = "pci-root"
            else:
                model = "pci-bridge"
                need_dmi = need_pcie_pci = True
                for b in self.buses:
                    if b.flags & T_PCI_BRIDGE:
                        need_dmi = need_pcie_pci = False
                        break
                if self.pcie_to_pci_bridge:
                    need_dmi = False
                else:
                    need_pcie_pci = False
                if (need_dmi or need_pcie_pci) and add == 1:
                    add += 1
                    a.bus += 1
        elif flags & (T_PCIE_DEVICE | T_PCIE_SWITCH_UPSTREAM_PORT):
            model = "pcie-root-port"
        else:
            existing = connect_type_to_model(flags)
            if existing:
                raise PostParseError(
                    f"a PCI slot is needed to connect a PCI controller model='{existing}', but none "
                    "is available, and it cannot be automatically added")
            raise PostParseError("Cannot automatically add a new PCI bus for a device with connect "
                                 f"flags {flags:02x}")
        i = self.nbuses
        self.buses.extend(Bus() for _ in range(add))
        if need_dmi:
            self.buses[i].set_model("dmi-to-pci-bridge", False)
            i += 1
        if need_pcie_pci:
            self.buses[i].set_model("pcie-root-port", True)
            self.buses[i].flags = T_PCIE_TO_PCI_BRIDGE
            i += 1
            self.buses[i].set_model("pcie-to-pci-bridge", True)
            i += 1
        while i < self.nbuses:
            self.buses[i].set_model(model, True)
            i += 1
        return add

    def slot_in_use(self, a: Addr) -> bool:
        return bool(self.buses[a.bus].slots[a.slot])

    # virDomainPCIAddressReserveAddrInternal
    def reserve(self, a: Addr, flags: int, group: int = 0, from_config: bool = True) -> None:
        if self.dry_run and a.bus >= len(self.buses):  # grow() does nothing for an existing bus
            self.grow(a, flags)
        self.validate(a, flags, from_config)
        bus = self.buses[a.bus]
        if bus.slots[a.slot] & (1 << a.function):
            raise PostParseError(f"Attempted double use of PCI Address {a}")
        if not bus.slots[a.slot] and flags & AGGREGATE_SLOT:
            bus.aggregate[a.slot] = True
        if (not bus.nused or bus.empty()) and not bus.isolation_locked:  # empty() without a call when unused
            bus.isolation_group = group
        elif bus.isolation_group != group and from_config:
            bus.isolation_group = 0
        bus.slots[a.slot] |= 1 << a.function
        bus.nused += 1

    def _find_on_bus(self, bus: Bus, a: Addr, function: int, flags: int) -> bool:
        if not _flags_compatible(a, bus.flags, flags, False, False):
            return False
        while a.slot <= bus.max_slot:
            if bus.slots[a.slot] == 0:
                return True
            if flags & AGGREGATE_SLOT and bus.aggregate[a.slot]:
                if not bus.slots[a.slot] & (1 << a.function):
                    return True
                if function == -1:
                    while a.function < 8:
                        if not bus.slots[a.slot] & (1 << a.function):
                            return True
                        a.function += 1
                    a.function = 0
            a.slot += 1
        return False

    # virDomainPCIAddressGetNextAddr
    def next_addr(self, flags: int, group: int, function: int) -> Addr:
        if not self.buses:
            raise PostParseError("No PCI buses available")
        a = Addr(function=0 if function == -1 else function)
        for b, bus in enumerate(self.buses):
            if bus.isolation_group != group:
                continue
            a.bus = b
            a.slot = bus.min_slot
            if self._find_on_bus(bus, a, function, flags):
                return a
        for b, bus in enumerate(self.buses):
            if not bus.empty() or bus.isolation_locked:
                continue
            a.bus = b
            a.slot = bus.min_slot
            if self._find_on_bus(bus, a, function, flags):
                return a
        if self.dry_run:
            a.bus = self.nbuses
            self.grow(a, flags)
            a.slot = self.buses[a.bus].min_slot
            return a
        raise PostParseError("No more available PCI slots")

    # virDomainPCIAddressReserveNextAddr
    def reserve_next(self, dev: Any | None, flags: int, group: int = 0, function: int = -1) -> Addr:
        a = self.next_addr(flags, group, function)
        self.reserve(a, flags, group, False)
        if not self.dry_run and dev is not None:
            write_addr(dev, a)
        return a


# ------------------------------------------------------------------ the assignment

class _State:
    def __init__(self, dom: Any, caps: Any) -> None:
        self.dom = dom
        self.caps = caps
        self.flags: dict[int, int] = {}
        self.groups: dict[int, int] = {}
        self.locked: set[int] = set()
        #: iter_info_devices(dom) as a list, listed again when devices are added
        self.info: list[tuple[str, Any]] = info_devices(dom)
        # the machine type does not change while addresses are assigned
        self.pseries = is_pseries(dom)
        a, m = arch(dom), machine(dom)
        self.i440fx = machine_is_i440fx(m, a)  # is_i440fx(dom)
        self.q35 = machine_is_q35(m, a)  # is_q35(dom)
        if has_pcie_root(dom):
            self.pcie = T_PCIE_DEVICE | AUTOASSIGN
        else:
            self.pcie = T_PCI_DEVICE | AUTOASSIGN
        if caps.has(F.VIRTIO_PCI_TRANSITIONAL):
            self.virtio = self.pcie
        else:
            self.virtio = T_PCI_DEVICE | AUTOASSIGN

    def fill(self) -> None:
        flags, pcie, virtio = self.flags, self.pcie, self.virtio
        for kind, dev in self.info:
            flags[id(dev)] = device_connect_flags(kind, dev, pcie, virtio)

    def setup_isolation(self) -> None:
        """qemuDomainSetupIsolationGroups (pSeries only): the default PHB is
        locked to group 0; a PCI host device's group follows its host
        IOMMU group, approximated here by its host slot (functions of one
        host slot share a group)."""
        self.locked = set()
        if not self.pseries:
            return
        root = next((c for c in controllers(self.dom) if ctype(c) == "pci" and cindex(c) == 0), None)
        if root is None:
            raise PostParseError("no PCI controller with index 0")
        self.locked.add(0)
        keys: dict[tuple[int, int, int], int] = {}
        devs = [h for h in devlist(self.dom, "interfaces") if getattr(h, "type", None) == "hostdev"]
        devs += [h for h in devlist(self.dom, "hostdevs")
                 if (getattr(h, "mode", None) or "subsystem") == "subsystem" and getattr(h, "type", None) == "pci"]
        for d in devs:
            a = getattr(getattr(d, "source", None), "address", None)
            key = (int(getattr(a, "domain", None) or 0), int(getattr(a, "bus", None) or 0), int(getattr(a, "slot", None) or 0))
            if key not in keys:
                keys[key] = len(keys) + 1
            self.groups[id(d)] = keys[key]

    def f(self, dev: Any) -> int:
        return self.flags.get(id(dev), 0)

    def g(self, dev: Any) -> int:
        return self.groups.get(id(dev), 0)


def _create_set(st: _State, nbuses: int, dry_run: bool) -> AddressSet:
    dom = st.dom
    addrs = AddressSet(nbuses, dry_run)
    buses = addrs.buses
    if st.pseries:
        addrs.multiple_roots = True
    if st.caps.has(F.PCIE_PCI_BRIDGE):
        addrs.pcie_to_pci_bridge = True
    has_pcie = False
    for c in controllers(dom):
        if ctype(c) != "pci":
            continue
        idx = cindex(c)
        if idx >= len(buses):
            raise PostParseError(f"Inappropriate new pci controller index {idx} exceeds addrs array length")
        bus = buses[idx]
        model = cmodel(c)
        bus.set_model(model, not hotplug_off(c))
        bus.isolation_group = st.g(c)
        bus.isolation_locked = idx in st.locked
        if model == "pcie-root":
            has_pcie = True
    if nbuses > 0 and not buses[0].model:
        buses[0].set_model("pci-root", True)
    if st.pseries:
        default = "pci-root"
    elif has_pcie:
        default = "pcie-root-port"
    else:
        default = "pci-bridge"
    for b in addrs.buses[1:]:
        if not b.model:
            b.set_model(default, True)
    # collect the addresses already present
    dev_flags = st.flags
    for kind, dev in st.info:
        pa = getattr(dev, "address", None)
        # pci_present(dev) and Addr.of(dev), inline: this loop sees every device twice
        if pa is None or pa.type != "pci" or _pci_empty(pa):
            continue
        flags = dev_flags.get(id(dev), 0)
        if not flags:
            flags = T_PCI_DEVICE
            dev_flags[id(dev)] = flags
        a = Addr(pa.domain or 0, pa.bus or 0, pa.slot or 0, pa.function or 0, pa.multifunction)
        if kind == "controller" and a.domain == 0 and a.bus == 0 and a.slot == 1:
            t = ctype(dev)
            if (t == "ide" and cindex(dev) == 0 and a.function == 1) or (
                    t == "usb" and cindex(dev) == 0 and cmodel(dev) in (None, "piix3-uhci")
                    and a.function == 2):
                if addrs.nbuses > 0 and not addrs.buses[0].flags & T_PCI_DEVICE:
                    raise PostParseError("Bus 0 must be PCI for integrated PIIX3 USB or IDE controllers")
                continue
        addrs.reserve(a, flags, st.g(dev), True)
    return addrs


def _primary_video_slot(dom: Any, addrs: AddressSet, st: _State, slot: int, flags: int) -> None:
    videos = devlist(dom, "videos")
    if not videos:
        return
    v = videos[0]
    vt = getattr(getattr(v, "model", None), "type", None)
    if vt in ("none", "ramfb"):
        return
    if not pci_wanted(v):
        return
    a = Addr(slot=slot)
    addrs.validate(a, flags, True)
    if addrs.slot_in_use(a):
        addrs.reserve_next(v, st.f(v), st.g(v))
    else:
        addrs.reserve(a, flags, 0, True)
        write_addr(v, a)


def _validate_piix3(dom: Any, addrs: AddressSet, st: _State) -> None:
    flags = AUTOASSIGN | T_PCI_DEVICE
    for c in controllers(dom):
        t = ctype(c)
        # a: the controller's address after the check (Addr.of(c))
        if t == "ide" and cindex(c) == 0:
            if pci_present(c):
                a = Addr.of(c)
                if (a.domain, a.bus, a.slot, a.function) != (0, 0, 1, 1):
                    raise PostParseError("Primary IDE controller must have PCI address 0:0:1.1")
            else:
                a = Addr(0, 0, 1, 1)
                write_addr(c, a)
        elif t == "usb" and cindex(c) == 0 and cmodel(c) in (None, "piix3-uhci"):
            if pci_present(c):
                a = Addr.of(c)
                if (a.domain, a.bus, a.slot, a.function) != (0, 0, 1, 2):
                    raise PostParseError("PIIX3 USB controller at index 0 must have PCI address 0:0:1.2")
            else:
                a = Addr(0, 0, 1, 2)
                write_addr(c, a)
        else:
            continue
        if addrs.buses:
            addrs.reserve(a, flags, 0, True)
    if addrs.buses:
        addrs.reserve(Addr(slot=1), flags, 0, True)
        addrs.reserve(Addr(slot=1, function=3), flags, 0, True)
    _primary_video_slot(dom, addrs, st, 2, flags)


def _validate_q35(dom: Any, addrs: AddressSet, st: _State) -> None:
    flags = T_PCIE_DEVICE
    for c in controllers(dom):
        t = ctype(c)
        if t == "sata":
            if cindex(c) == 0:
                if pci_present(c):
                    a = Addr.of(c)
                    if (a.domain, a.bus, a.slot, a.function) != (0, 0, 0x1F, 2):
                        raise PostParseError("Primary SATA controller must have PCI address 0:0:1f.2")
                else:
                    write_addr(c, Addr(0, 0, 0x1F, 2))
        elif t == "usb":
            if cmodel(c) == "ich9-uhci1" and getattr(c, "address", None) is None:
                a = Addr(slot=0x1D)
                assign = not addrs.slot_in_use(a)
                if not assign:
                    a = Addr(slot=0x1A)
                    assign = not addrs.slot_in_use(a)
                if assign:
                    addrs.reserve(a, flags, 0, True)
                    write_addr(c, Addr(0, 0, a.slot, 0, True))
        elif t == "pci":
            if cmodel(c) == "dmi-to-pci-bridge" and getattr(c, "address", None) is None:
                a = Addr(slot=0x1E)
                if not addrs.slot_in_use(a):
                    addrs.reserve(a, flags, 0, True)
                    write_addr(c, Addr(0, 0, 0x1E, 0))
    if addrs.nbuses:
        addrs.reserve(Addr(slot=0x1F, function=0, multi=True), flags, 0, True)
        addrs.reserve(Addr(slot=0x1F, function=3), flags, 0, True)
    _primary_video_slot(dom, addrs, st, 1, flags)
    a = Addr(slot=0x1B)
    if not addrs.slot_in_use(a):
        for s in devlist(dom, "sounds"):
            if getattr(s, "model", None) != "ich9" or not pci_wanted(s):
                continue
            addrs.reserve(a, flags, 0, True)
            write_addr(s, a)
            break


def _validate_chipsets(dom: Any, addrs: AddressSet, st: _State) -> None:
    if st.i440fx:
        _validate_piix3(dom, addrs, st)
    if st.q35:
        _validate_q35(dom, addrs, st)


def _next(addrs: AddressSet, st: _State, dev: Any) -> None:
    addrs.reserve_next(dev, st.f(dev), st.g(dev))


def _assign_device_slots(dom: Any, addrs: AddressSet, st: _State) -> None:
    """qemuDomainAssignDevicePCISlots."""
    caps = st.caps
    devs = getattr(dom, "devices", None)
    if devs is None:  # no devices: nothing below would run
        return
    # the model's device lists are lists, single devices None or a device
    # (what devlist() would look up, read once)
    filesystems, interfaces, sounds, disks, hostdevs = (
        devs.filesystems, devs.interfaces, devs.sounds, devs.disks, devs.hostdevs)
    for c in controllers(dom):
        if ctype(c) == "pci":
            if cmodel(c) in ("pci-root", "pcie-root") or not pci_wanted(c):
                continue
            _next(addrs, st, c)
    for fs in filesystems:
        # libvirt reserves a slot for every filesystem (loop/nbd/ploop drivers
        # have no connect flags and fail here)
        if pci_wanted(fs):
            _next(addrs, st, fs)
    for net in interfaces:
        if getattr(net, "type", None) == "hostdev" or not pci_wanted(net):
            continue
        if not st.f(net):
            continue
        _next(addrs, st, net)
    for s in sounds:
        if not pci_wanted(s) or getattr(s, "model", None) in ("sb16", "pcspk", "usb"):
            continue
        _next(addrs, st, s)
    conts = controllers(dom)
    for c in conts:
        t = ctype(c)
        if t == "pci":
            continue
        if t == "usb" and cmodel(c) == "none":
            continue
        if t in ("fdc", "ccid"):  # xenbus is not skipped: libvirt 9.0 fails on it (no connect flags)
            continue
        if t == "ide" and cindex(c) == 0:
            continue
        if t == "scsi" and cmodel(c) == "ncr53c90":
            continue
        if not pci_wanted(c):
            continue
        # a controller without connect flags (e.g. isa) still asks for a
        # slot, and fails like libvirt when none fits
        if t == "usb" and cmodel(c) in USB2_MODELS:
            found = None
            for o in conts:
                if ctype(o) == "usb" and cmodel(o) in USB2_MODELS and cindex(o) == cindex(c) \
                        and pci_present(o):
                    found = Addr.of(o)
                    break
            func, multi = {"ich9-ehci1": (7, None), "ich9-uhci1": (0, True),
                           "ich9-uhci2": (1, None), "ich9-uhci3": (2, None)}[cmodel(c) or ""]
            if found is not None:
                a = Addr(found.domain, found.bus, found.slot, func, multi)
                addrs.reserve(a, st.f(c), st.g(c), True)
                write_addr(c, a)
            else:
                a = addrs.reserve_next(c, st.f(c), st.g(c), func)
                if not addrs.dry_run:
                    a.multi = multi
                    write_addr(c, a)
        else:
            _next(addrs, st, c)
    for d in disks:
        if getattr(getattr(d, "target", None), "bus", None) != "virtio":
            continue
        at = getattr(getattr(d, "address", None), "type", None)
        if pci_present(d) or at == "ccw":
            continue
        if at == "virtio-mmio" and caps.has(F.VIRTIO_MMIO):
            continue
        if not pci_wanted(d):
            raise PostParseError(f"virtio disk cannot have an address of type '{at}'")
        _next(addrs, st, d)
    for net in interfaces:
        # <interface type='hostdev'>: libvirt's hostdev list starts with them
        if getattr(net, "type", None) != "hostdev" or not pci_wanted(net):
            continue
        if _net_hostdev_is_pci(net):
            st.flags[id(net)] = st.pcie if st.pcie != (T_PCI_DEVICE | AUTOASSIGN) else T_PCI_DEVICE | AUTOASSIGN
            _next(addrs, st, net)
    for h in hostdevs:
        if not pci_wanted(h):
            continue
        if (getattr(h, "mode", None) or "subsystem") != "subsystem":
            continue
        t = getattr(h, "type", None)
        if t not in ("pci", "scsi_host") and not (t == "mdev" and getattr(h, "model", None) == "vfio-pci"):
            continue
        _next(addrs, st, h)
    mb = devs.memballoon
    if mb is not None and getattr(mb, "model", None) != "none" and pci_wanted(mb) and st.f(mb):
        _next(addrs, st, mb)
    for r in devs.rngs:
        if pci_wanted(r) and st.f(r):
            _next(addrs, st, r)
    for w in devs.watchdogs:
        if getattr(w, "model", None) == "i6300esb" and pci_wanted(w):
            _next(addrs, st, w)
    for v in devs.videos:
        if getattr(getattr(v, "model", None), "type", None) in ("none", "ramfb"):
            continue
        if not pci_wanted(v) or not st.f(v):
            continue
        _next(addrs, st, v)
    for s in devs.shmems:
        if pci_wanted(s):
            _next(addrs, st, s)
    for i in devs.inputs:
        if getattr(i, "bus", None) != "virtio" or not pci_wanted(i):
            continue
        _next(addrs, st, i)
    for s in devs.serials:
        if target_type(s) != "pci-serial" or not pci_wanted(s):
            continue
        _next(addrs, st, s)
    iommu = devs.iommu
    if iommu is not None and getattr(iommu, "model", None) == "virtio" and pci_wanted(iommu):
        _next(addrs, st, iommu)
    for vs in devs.vsocks:
        if pci_wanted(vs) and st.f(vs):
            _next(addrs, st, vs)
    for m in devs.memories:
        if getattr(m, "model", None) in ("virtio-pmem", "virtio-mem") and pci_wanted(m):
            _next(addrs, st, m)
    for c in devs.cryptos:
        if pci_wanted(c) and st.f(c):
            _next(addrs, st, c)
    for p in devs.panics:
        if getattr(p, "model", None) == "pvpanic" and pci_wanted(p):
            _next(addrs, st, p)


def _net_hostdev_is_pci(net: Any) -> bool:
    src = getattr(net, "source", None)
    a = getattr(src, "address", None)
    return a is None or getattr(a, "type", None) in (None, "pci")


def _set_all_multi(info: list[tuple[str, Any]]) -> None:
    """virDomainPCIAddressSetAllMulti: the function-0 device of every slot
    with more functions in use gets multifunction='on' (unless set).
    ``info``: iter_info_devices(dom) as a list."""
    first: dict[tuple[int, int, int], Any] = {}
    multi: set[tuple[int, int, int]] = set()
    for _k, d in info:
        a = d.address if hasattr(d, "address") else None
        if a is None or getattr(a, "type", None) != "pci":
            continue
        key = (int(a.domain or 0), int(a.bus or 0), int(a.slot or 0))
        if int(a.function or 0) == 0:
            first.setdefault(key, a)
        else:
            multi.add(key)
    for key in multi:
        a = first.get(key)
        if a is not None and a.multifunction is None:
            a.multifunction = True


def _find_new_bus_nr(dom: Any) -> int:
    lowest = 256
    for c in controllers(dom):
        if ctype(c) == "pci":
            n = target_opt(c, "busNr")
            if n is not None and 0 <= int(n) < lowest:
                lowest = int(n)
    if lowest <= 2:
        return -1
    return lowest - 2


def _find_new_target_index(dom: Any) -> int:
    for ti in range(1, 32):
        used = False
        for c in controllers(dom):
            if ctype(c) == "pci" and cmodel(c) == "pci-root" and model_name(c) == "spapr-pci-host-bridge":
                if target_opt(c, "index") == ti:
                    used = True
                    break
        if not used:
            return ti
    return -1


def _set_default_model_name(c: Any, dom: Any, caps: Any) -> None:
    if model_name(c):
        return
    m = cmodel(c)
    name = {"pci-bridge": "pci-bridge", "dmi-to-pci-bridge": "i82801b11-bridge",
            "pcie-to-pci-bridge": "pcie-pci-bridge",
            "pcie-switch-upstream-port": "x3130-upstream",
            "pcie-switch-downstream-port": "xio3130-downstream",
            "pci-expander-bus": "pxb", "pcie-expander-bus": "pxb-pcie"}.get(m or "")
    if m == "pcie-root-port":
        name = "pcie-root-port" if caps.has(F.PCIE_ROOT_PORT) else "ioh3420"
    if m == "pci-root" and is_pseries(dom):
        name = "spapr-pci-host-bridge"
    if name:
        set_model_name(c, name)


ZPCI_MAX_UID = 0xFFFF
ZPCI_MAX_FID = 0xFFFFFFFF


def _zpci_capable(kind: str) -> bool:
    """qemuDomainDeviceSupportZPCI: every device but character devices."""
    return kind not in ("serial", "parallel", "channel", "console")


def assign_zpci(dom: Any, caps: Any) -> None:
    """zPCI uid/fid extension of PCI addresses (virDomainZPCIAddress*):
    reserve the ids given, then fill the missing ones (uid from 1, fid
    from 0)."""
    if not caps.has(F.ZPCI):
        return
    uids: set[int] = set()
    fids: set[int] = set()

    def ensure(z: Any) -> None:
        if z.uid is None:
            v = 1
            while v in uids:
                if v == ZPCI_MAX_UID:
                    raise PostParseError("There is no more free uid.")
                v += 1
            z.uid = v
        if z.fid is None:
            v = 0
            while v in fids:
                if v == ZPCI_MAX_FID:
                    raise PostParseError("There is no more free fid.")
                v += 1
            z.fid = v
        if z.uid in uids:
            raise PostParseError("zPCI uid %o is already reserved" % z.uid)
        uids.add(z.uid)
        if z.fid in fids:
            raise PostParseError("zPCI fid %o is already reserved" % z.fid)
        fids.add(z.fid)

    pci = [(k, d) for k, d in iter_info_devices(dom)
           if _zpci_capable(k) and getattr(getattr(d, "address", None), "type", None) == "pci"
           and not (k == "controller" and ctype(d) == "pci")]
    for _k, d in pci:
        z = getattr(d.address, "zpci", None)
        if z is not None and (z.uid is not None or z.fid is not None):
            ensure(z)
    for _k, d in pci:
        z = getattr(d.address, "zpci", None)
        if z is None:
            z = ZPCI()
            d.address.zpci = z
        if z.uid is None or z.fid is None:
            ensure(z)


def assign_pci_addresses(dom: Any, caps: Any) -> None:
    max_idx = -1
    for c in controllers(dom):
        if ctype(c) == "pci" and cindex(c) > max_idx:
            max_idx = cindex(c)
    nbuses = max_idx + 1
    st = _State(dom, caps)
    st.fill()
    st.setup_isolation()
    if nbuses > 0:
        addrs = _create_set(st, nbuses, True)
        _validate_chipsets(dom, addrs, st)
        if has_pci_root(dom):
            if not all(b.fully_reserved() for b in addrs.buses):
                addrs.reserve_next(None, AUTOASSIGN | T_PCI_DEVICE)
        _assign_device_slots(dom, addrs, st)
        if max_idx <= 0 and addrs.nbuses > max_idx + 1 and has_pcie_root(dom):
            addrs.reserve_next(None, AUTOASSIGN | T_PCIE_DEVICE)
        # indexes of the PCI controllers (one set instead of a scan per bus: a
        # controller added below has an index the loop has already passed)
        have = {cindex(c) for c in controllers(dom) if ctype(c) == "pci"}
        for i in range(1, addrs.nbuses):
            bus = addrs.buses[i]
            if i in have:
                continue
            cont = new_device("controllers", type="pci", index=i, model=bus.model)
            ensure_devices(dom).controllers.append(cont)
            st.flags[id(cont)] = device_connect_flags("controller", cont, st.pcie, st.virtio)
            if bus.model not in ("pci-root", "pcie-root"):
                addrs.reserve_next(cont, st.f(cont), st.g(cont))
        nbuses = addrs.nbuses
        st.info = info_devices(dom)  # with the controllers just added
    addrs = _create_set(st, nbuses, False)
    if supports_pci(dom, caps):
        _validate_chipsets(dom, addrs, st)
        _assign_device_slots(dom, addrs, st)
        assign_zpci(dom, caps)
        _set_all_multi(st.info)
        for c in controllers(dom):
            if ctype(c) != "pci":
                continue
            idx = cindex(c)
            a = Addr.of(c)
            _set_default_model_name(c, dom, caps)
            m = cmodel(c)
            if m == "pci-bridge":
                if target_opt(c, "chassisNr") is None:
                    set_target_opt(c, "chassisNr", idx)
            elif m == "pcie-root-port":
                if target_opt(c, "chassis") is None:
                    set_target_opt(c, "chassis", idx)
                if target_opt(c, "port") is None:
                    set_target_opt(c, "port", (a.slot << 3) + a.function)
            elif m == "pcie-switch-downstream-port":
                if target_opt(c, "chassis") is None:
                    set_target_opt(c, "chassis", idx)
                if target_opt(c, "port") is None:
                    set_target_opt(c, "port", a.slot)
            elif m in ("pci-expander-bus", "pcie-expander-bus"):
                if target_opt(c, "busNr") is None:
                    n = _find_new_bus_nr(dom)
                    if n == -1:
                        raise PostParseError(
                            "No free busNr lower than current lowest busNr is available to "
                            f"auto-assign to bus {a.bus}. Must be manually assigned")
                    set_target_opt(c, "busNr", n)
            elif m == "pci-root" and is_pseries(dom):
                if target_opt(c, "index") is None:
                    ti = 0 if idx == 0 else _find_new_target_index(dom)
                    if ti == -1:
                        raise PostParseError(f"No usable target index found for {a.bus}")
                    set_target_opt(c, "index", ti)
            if m == "pci-bridge" and idx <= a.bus:
                raise PostParseError(
                    "PCI controller at index %d (0x%02x) has bus='0x%02x', but index must be "
                    "larger than bus" % (idx, idx, a.bus))


_ = Iterable
