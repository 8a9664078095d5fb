"""Disk insertion order, default network ports and parse-time SCSI
controllers of SCSI hostdevs, as libvirt 9.0's test driver does them."""

from __future__ import annotations

from .helpers import define, domain, inactive


def _dev_order(xml: str) -> list[str]:
    return [d.target.dev for d in define(xml).devices.disks]


def test_disks_without_bus_are_ordered_by_index_only() -> None:
    # the default bus is a post-parse default: at insertion time hdc (index
    # 2) and vdX share "no bus" and hdc lands between vdc and vdd
    devs = "".join(f"<disk type='file'><source file='/{n}'/><target dev='{n}'/></disk>"
                   for n in ("vda", "vdc", "vdd", "hdc"))
    assert _dev_order(domain("", devices=devs)) == ["vda", "vdc", "hdc", "vdd"]


def test_explicit_bus_separates_disks() -> None:
    devs = ("<disk type='file'><source file='/a'/><target dev='vdd' bus='virtio'/></disk>"
            "<disk type='file'><source file='/b'/><target dev='hda'/></disk>")
    assert _dev_order(domain("", devices=devs)) == ["vdd", "hda"]


def test_network_disk_default_ports() -> None:
    devs = ("<disk type='network'><source protocol='gluster' name='v/i'><host name='a'/>"
            "<host name='b' port='7'/><host transport='unix' socket='/s'/></source><target dev='vda'/></disk>"
            "<disk type='network'><source protocol='rbd' name='p/i'><host name='a'/></source>"
            "<target dev='vdb'/></disk>"
            "<disk type='file'><source file='/f'/><backingStore type='network'><format type='raw'/>"
            "<source protocol='https' name='x'><host name='h'/></source></backingStore>"
            "<target dev='vdc'/></disk>")
    out = inactive(domain("", devices=devs))
    assert "<host name='a' port='24007'/>" in out
    assert "<host name='b' port='7'/>" in out
    assert "<host name='a'/>" in out  # rbd has no default port
    assert "<host name='h' port='443'/>" in out


def test_hostdev_scsi_controllers_come_before_index_assignment() -> None:
    devs = ("<controller type='scsi' model='lsilogic'/><controller type='usb'/><controller type='scsi'/>"
            "<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/>"
            "<address bus='0' target='0' unit='0'/></source>"
            "<address type='drive' controller='2' bus='0' target='0' unit='0'/></hostdev>")
    conts = [(c.type, c.index, c.model) for c in define(domain("", devices=devs)).devices.controllers]
    assert conts == [("scsi", 3, "lsilogic"), ("scsi", 4, None), ("usb", 0, None),
                     ("scsi", 0, None), ("scsi", 1, None), ("scsi", 2, None)]
