"""The SCSI controller a SCSI hostdev with an explicit drive address needs
is added while parsing (appended after the parsed controllers), so it comes
before the implicit USB and PCI root controllers that post-parse adds.
Expected orders recorded with the oracle (real libvirt 9.0, QEMU 7.2)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from virtxml import api
from virtxml.flags import FormatFlags

CAPS = Path(__file__).resolve().parents[2] / "testdata" / "oracle" / "caps" / "qemu-system-x86_64.xml"
EMU = "/usr/bin/qemu-system-x86_64"
OPTS = {"qemu_caps": [f"{EMU}={CAPS}"], "allow_probe": False, "host_arch": "x86_64"}
H1 = ("<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/>"
      "<address bus='0' target='0' unit='0'/></source>"
      "<address type='drive' controller='1' bus='0' target='0' unit='0'/></hostdev>")


def _controllers(devices: str) -> list[str]:
    doc = f"""<domain type='qemu'><name>g</name><memory>1048576</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type></os>
<devices><emulator>{EMU}</emulator>{devices}</devices></domain>"""
    out = api.format(api.parse(doc.encode(), driver="qemu", options=OPTS), FormatFlags.INACTIVE)
    return re.findall(r"<controller type='([a-z-]+)' index='(\d+)'", out)


@pytest.mark.parametrize("devices,want", [
    (H1, [("scsi", "0"), ("scsi", "1"), ("usb", "0"), ("pci", "0")]),
    ("<controller type='usb' model='piix3-uhci'/>" + H1,
     [("usb", "0"), ("scsi", "0"), ("scsi", "1"), ("pci", "0")]),
    ("<controller type='scsi' index='3'/>" + H1,
     [("scsi", "3"), ("scsi", "0"), ("scsi", "1"), ("usb", "0"), ("pci", "0")]),
])
def test_scsi_hostdev_controllers_come_before_implicit_ones(devices: str, want: list) -> None:
    assert _controllers(devices) == want
