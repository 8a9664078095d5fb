"""STUB: hypervisor namespace blocks (qemu:commandline, lxc:namespace, ...).
Kept losslessly; to be completed."""

from __future__ import annotations

QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"
LXC_NS = "http://libvirt.org/schemas/domain/lxc/1.0"
BHYVE_NS = "http://libvirt.org/schemas/domain/bhyve/1.0"
XEN_NS = "http://libvirt.org/schemas/domain/xen/1.0"
VMWARE_NS = "http://libvirt.org/schemas/domain/vmware/1.0"

#: Clark tag -> model class of every top-level namespace element
NAMESPACE_ELEMENTS: dict[str, type] = {}
