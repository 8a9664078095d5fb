"""Seclabel checks at define time, in libvirt 9.0's order (checked with the
oracle): the domain's own <seclabel>s are read before the devices, so
"missing security model when using multiple labels" wins over a device's
duplicate label; chardev sources of every type refuse two labels of one
model, after the chardev's target and the source's own attributes."""

from __future__ import annotations

import pytest

from virtxml import api
from virtxml.errors import VirtXMLError
from virtxml.flags import ParseFlags

DUP = "<seclabel model='dac' relabel='no'/><seclabel model='dac' relabel='no'/>"
DUP_MSG = "seclabel for model dac is already provided"
MULTI = "<seclabel type='dynamic' model='selinux'/><seclabel type='none'/>"
MULTI_MSG = "missing security model when using multiple labels"
DISK_DUP = (f"<disk type='file' device='disk'><source file='/a'>{DUP}</source>"
            "<target dev='vda' bus='virtio'/></disk>")


def _refusal(devices: str, domain_labels: str = "") -> str | None:
    doc = f"""<domain type='qemu'><name>g</name><memory>1048576</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type></os>{domain_labels}
<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>{devices}</devices></domain>"""
    try:
        api.parse(doc.encode(), driver="qemu", flags=ParseFlags.INACTIVE)
    except VirtXMLError as e:
        return e.message
    return None


@pytest.mark.parametrize("devices", [
    DISK_DUP,
    f"<serial type='file'><source path='/tmp/x'>{DUP}</source></serial>",
    "<disk type='file' device='disk'><source file='/a'><seclabel relabel='no'/></source>"
    "<target dev='vda' bus='virtio'/></disk>",
])
def test_domain_labels_checked_before_device_labels(devices: str) -> None:
    assert _refusal(devices, MULTI) == MULTI_MSG


@pytest.mark.parametrize("chardev", [
    f"<serial type='file'><source path='/tmp/x'>{DUP}</source></serial>",
    f"<serial type='tcp'><source mode='connect' host='1.2.3.4' service='99'>{DUP}</source></serial>",
    f"<serial type='unix'><source mode='bind' path='/tmp/s'>{DUP}</source></serial>",
    f"<serial type='pty'><source path='/dev/pts/3'>{DUP}</source></serial>",
    f"<serial type='dev'><source path='/dev/ttyS0'>{DUP}</source></serial>",
])
def test_duplicate_chardev_labels(chardev: str) -> None:
    assert _refusal(chardev) == DUP_MSG


def test_duplicate_disk_labels() -> None:
    assert _refusal(DISK_DUP) == DUP_MSG


@pytest.mark.parametrize("chardev,msg", [
    (f"<serial type='file'><source path='/tmp/x' append='bogus'>{DUP}</source></serial>",
     "Invalid value for attribute 'append' in element 'source': 'bogus'."),
    (f"<serial type='file'><source path='/tmp/x'>{DUP}</source><target port='bogus'/></serial>",
     "Invalid port number: bogus"),
])
def test_chardev_errors_before_duplicate_labels(chardev: str, msg: str) -> None:
    assert _refusal(chardev) == msg


def test_one_label_per_model_accepted() -> None:
    labels = "<seclabel model='dac' relabel='no'/><seclabel model='selinux' relabel='no'/>"
    assert _refusal(f"<serial type='file'><source path='/tmp/x'>{labels}</source></serial>") is None
