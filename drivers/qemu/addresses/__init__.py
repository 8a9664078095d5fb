"""qemuDomainAssignAddresses: virtio-serial, spapr-vio, CCW, virtio-mmio,
PCI, USB, DIMM slots, in libvirt's order."""

from __future__ import annotations

from typing import Any

from .misc import (assign_memory_slots, assign_s390, assign_spapr_vio, assign_virtio_mmio,
                   assign_virtio_serial)
from .pci import assign_pci_addresses
from .usb import assign_usb_addresses


def assign_addresses(dom: Any, caps: Any, flags: int) -> None:
    assign_virtio_serial(dom)
    assign_spapr_vio(dom)
    assign_s390(dom, caps)
    assign_virtio_mmio(dom, caps)
    assign_pci_addresses(dom, caps)
    assign_usb_addresses(dom, flags)
    assign_memory_slots(dom)


__all__ = ["assign_addresses"]
