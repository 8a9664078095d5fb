"""The bhyve driver: post-parse defaults, capability check, address
assignment, validation and CLI use, with libvirt's texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drivers import get_driver
from drivers.bhyve import DEFAULT_BHYVE_CAPS, builtin_host_caps
from drivers.common import format_host_caps
from postparse.driver import Feature
from virtxml import api
from virtxml.binding import ParseContext
from virtxml.caps.hostcaps import parse_host_caps
from virtxml.cli import main
from virtxml.errors import PostParseError, UsageError, ValidationError
from virtxml.flags import FormatFlags, ParseFlags

ROOT = Path(__file__).resolve().parents[2]
BHYVE_TEST_XML = ROOT / "testdata" / "hosts" / "bhyve-test.xml"
UUID = "df3be7e7-a104-11e3-aeb0-50e5492bd3dc"

DOC = """<domain type='{virt}'>
  <name>bhyve</name>
  <uuid>{uuid}</uuid>
  <memory>219136</memory>
  <vcpu>1</vcpu>
  {bootloader}
  <os{os_attrs}>
    <type{arch}>{ostype}</type>
    {os_extra}
  </os>
  <devices>
{devices}
  </devices>
</domain>
"""


def doc(devices: str = "", *, virt: str = "bhyve", ostype: str = "hvm", arch: str | None = None,
        os_extra: str = "", os_attrs: str = "", bootloader: str = "") -> str:
    return DOC.format(virt=virt, uuid=UUID, ostype=ostype, arch=f" arch='{arch}'" if arch else "",
                      os_extra=os_extra, os_attrs=os_attrs, bootloader=bootloader, devices=devices)


def parse(xml: str, *, flags: int = ParseFlags.INACTIVE, caps: Any = None,
          options: dict[str, Any] | None = None) -> Any:
    ctx = ParseContext(flags, None)
    ctx.data["host_arch"] = "x86_64"
    opts = dict(options or {})
    if caps is not None:
        opts["bhyve_caps"] = caps
    return api.parse(xml, driver="bhyve", flags=flags, ctx=ctx, options=opts)


def fmt(dom: Any) -> str:
    return api.format(dom, FormatFlags.SECURE | FormatFlags.INACTIVE)


def conts(dom: Any) -> list[tuple[str, int, str | None]]:
    return [(c.type, c.index, c.model) for c in dom.devices.controllers]


def pci(dev: Any) -> tuple[int, int, int, int] | None:
    a = dev.address
    if a is None or a.type != "pci":
        return None
    return (a.domain or 0, a.bus or 0, a.slot or 0, a.function or 0)


SATA_DISK = """    <disk type='file'>
      <source file='/tmp/{name}.img'/>
      <target dev='{dev}' bus='sata'/>
    </disk>"""
VIRTIO_DISK = """    <disk type='file'>
      <source file='/tmp/{name}.img'/>
      <target dev='{dev}' bus='virtio'/>
    </disk>"""
NET = """    <interface type='bridge'>
      <mac address='52:54:00:00:00:{n:02x}'/>
      <model type='virtio'/>
      <source bridge='virbr0'/>{addr}
    </interface>"""


def net(n: int = 1, slot: int | None = None) -> str:
    addr = "" if slot is None else (
        f"\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x{slot:02x}' function='0x0'/>")
    return NET.format(n=n, addr=addr)


def test_parser_config():
    drv = get_driver("bhyve")
    assert drv.features == Feature.FW_AUTOSELECT
    assert drv.def_arch is None and drv.mac_prefix == "52:54:00"


# ------------------------------------------------------------ capability check
def test_supported_triple():
    assert parse(doc()).os.type.arch == "x86_64"


@pytest.mark.parametrize("virt,arch,text", [
    ("kvm", "x86_64", "could not find capabilities for arch=x86_64 domaintype=kvm "),
    ("bhyve", "i686", "could not find capabilities for arch=i686 domaintype=bhyve "),
])
def test_unsupported_triple(virt, arch, text):
    with pytest.raises(PostParseError) as ei:
        parse(doc(virt=virt, arch=arch))
    assert ei.value.message == text


def test_testdata_profile_is_the_builtin_one():
    assert BHYVE_TEST_XML.read_text() == format_host_caps(builtin_host_caps())
    assert format_host_caps(parse_host_caps(str(BHYVE_TEST_XML))) == BHYVE_TEST_XML.read_text()


def test_host_caps_option(tmp_path):
    caps = tmp_path / "h.xml"
    caps.write_text(BHYVE_TEST_XML.read_text().replace("'x86_64'>", "'i686'>"))
    assert parse(doc(arch="i686"), options={"host_caps": str(caps)}).os.type.arch == "i686"
    with pytest.raises(PostParseError) as ei:
        parse(doc(arch="x86_64"), options={"host_caps": str(caps)})
    assert ei.value.message == "could not find capabilities for arch=x86_64 domaintype=bhyve "


# ------------------------------------------------------------ implicit controllers
def test_pci_root_added_once():
    assert conts(parse(doc())) == [("pci", 0, "pci-root")]
    dom = parse(doc("    <controller type='pci' index='0' model='pci-root'/>"))
    assert conts(dom) == [("pci", 0, "pci-root")]


def test_pci_root_index_not_0_is_refused():
    with pytest.raises(PostParseError) as ei:
        parse(doc("    <controller type='pci' index='1' model='pci-root'/>"))
    assert ei.value.message == "pci-root and pcie-root controllers should have index 0"


@pytest.mark.parametrize("kw", [
    {"os_extra": "<loader readonly='yes' type='pflash'>/usr/local/share/uefi-firmware/BHYVE_UEFI.fd</loader>"},
    {"os_attrs": " firmware='efi'"},
    {"devices": "    <serial type='nmdm'>\n      <source master='/dev/nmdm0A' slave='/dev/nmdm0B'/>\n    </serial>"},
    {"devices": "    <console type='nmdm'/>"},
    {"devices": "    <graphics type='vnc'/>\n    <video>\n      <model type='gop'/>\n    </video>"},
])
def test_isa_controller_added_when_needed(kw):
    dom = parse(doc(**kw))
    assert ("isa", 0, None) in conts(dom)
    isa = [c for c in dom.devices.controllers if c.type == "isa"][0]
    assert pci(isa) == (0, 0, 1, 0)  # the LPC slot


@pytest.mark.parametrize("kw", [
    {},
    {"bootloader": "<bootloader>/usr/sbin/bhyveload</bootloader>",
     "os_extra": "<loader readonly='yes' type='pflash'>/x.fd</loader>"},
    # graphics alone: the implicit video comes only after the driver's callback
    {"devices": "    <graphics type='vnc'/>"},
    {"devices": "    <video>\n      <model type='gop'/>\n    </video>"},
])
def test_isa_controller_not_added(kw):
    assert all(t != "isa" for t, _, _ in conts(parse(doc(**kw))))


def test_isa_controller_index_not_0_fails_validation():
    xml = doc("    <controller type='isa' index='1'/>")
    with pytest.raises(ValidationError) as ei:
        parse(xml)
    assert ei.value.message == "An error occurred, but the cause is unknown"
    dom = parse(xml, flags=ParseFlags.INACTIVE | ParseFlags.SKIP_VALIDATE)
    assert ("isa", 1, None) in conts(dom)


# ------------------------------------------------------------ disks
def test_sata_addresses_with_ahci32slot():
    disks = "\n".join(SATA_DISK.format(name=f"d{i}", dev=dev)
                      for i, dev in enumerate(("sda", "sdb", "sdaf", "sdag")))
    dom = parse(doc(disks), caps=["AHCI32SLOT"])
    got = [(d.address.controller, d.address.bus, d.address.target, d.address.unit) for d in dom.devices.disks]
    assert got == [(0, 0, 0, 0), (0, 0, 0, 1), (0, 0, 0, 31), (1, 0, 0, 0)]
    sata = [(t, i) for t, i, _ in conts(dom) if t == "sata"]
    assert sata == [("sata", 0), ("sata", 1)]


def test_sata_addresses_without_ahci32slot():
    disks = "\n".join(SATA_DISK.format(name=f"d{i}", dev=dev) for i, dev in enumerate(("sda", "sdc")))
    dom = parse(doc(disks), caps=[])
    got = [(d.address.controller, d.address.unit) for d in dom.devices.disks]
    assert got == [(0, 0), (2, 0)]
    assert [i for t, i, _ in conts(dom) if t == "sata"] == [0, 1, 2]


def test_default_caps_have_ahci32slot():
    assert "AHCI32SLOT" in DEFAULT_BHYVE_CAPS
    dom = parse(doc(SATA_DISK.format(name="a", dev="sdb")))
    assert (dom.devices.disks[0].address.controller, dom.devices.disks[0].address.unit) == (0, 1)


def test_unknown_disk_name():
    with pytest.raises(PostParseError) as ei:
        parse(doc(SATA_DISK.format(name="a", dev="nope")))
    assert ei.value.message == "Unknown disk name 'nope' and no address specified"


def test_unknown_bhyve_caps_flag():
    with pytest.raises(UsageError):
        parse(doc(SATA_DISK.format(name="a", dev="sda")), caps=["NO_SUCH_FLAG"])


# ------------------------------------------------------------ video, nmdm
def test_video_default_becomes_gop():
    dom = parse(doc("    <graphics type='vnc'/>\n    <video>\n      <model type='default'/>\n    </video>"))
    assert dom.devices.videos[0].model.type == "gop"


def test_implicit_video_for_graphics_is_gop():
    dom = parse(doc("    <graphics type='vnc'/>"))
    assert [v.model.type for v in dom.devices.videos] == ["gop"]


def test_nmdm_defaults_from_uuid():
    dom = parse(doc("    <console type='nmdm'/>"))
    # an HVM console becomes serial 0 (generic compat rule), with the defaults
    src = dom.devices.serials[0].sources[0]
    assert (src.master, src.slave) == (f"/dev/nmdm{UUID}A", f"/dev/nmdm{UUID}B")
    assert fmt(dom).count(f"<source master='/dev/nmdm{UUID}A' slave='/dev/nmdm{UUID}B'/>") == 2


def test_nmdm_given_master_kept():
    dom = parse(doc("    <serial type='nmdm'>\n      <source master='/dev/nmdm0A' slave='/dev/nmdm0B'/>\n"
                    "    </serial>"))
    src = dom.devices.serials[0].sources[0]
    assert (src.master, src.slave) == ("/dev/nmdm0A", "/dev/nmdm0B")


# ------------------------------------------------------------ PCI addresses
def test_pci_slot_order():
    devs = "\n".join([SATA_DISK.format(name="s", dev="sda"), VIRTIO_DISK.format(name="v", dev="vda"),
                      net(1), "    <graphics type='vnc'/>"])
    dom = parse(doc(devs))
    sata = [c for c in dom.devices.controllers if c.type == "sata"][0]
    # slot 1 is kept for the LPC bridge; controllers, nets, virtio disks, videos
    assert pci(sata) == (0, 0, 2, 0)
    assert pci(dom.devices.interfaces[0]) == (0, 0, 3, 0)
    assert pci(dom.devices.disks[1]) == (0, 0, 4, 0)
    assert pci(dom.devices.videos[0]) == (0, 0, 5, 0)
    assert all(c.type != "isa" for c in dom.devices.controllers)


def test_slot_1_taken_by_user_moves_lpc():
    dom = parse(doc(net(1, slot=1) + "\n    <console type='nmdm'/>"))
    isa = [c for c in dom.devices.controllers if c.type == "isa"][0]
    assert pci(dom.devices.interfaces[0]) == (0, 0, 1, 0)
    assert pci(isa) == (0, 0, 2, 0)


def test_lpc_slot_reserved_without_isa():
    dom = parse(doc(net(1)))
    assert pci(dom.devices.interfaces[0]) == (0, 0, 2, 0)


def test_double_use_of_a_slot():
    with pytest.raises(PostParseError) as ei:
        parse(doc(net(1, slot=3) + "\n" + net(2, slot=3)))
    assert ei.value.message == "Attempted double use of PCI Address 0000:00:03.0"


def test_slot_0_address_is_reassigned():
    dom = parse(doc(net(1, slot=None).replace("</interface>", "  <address type='pci'/>\n    </interface>")))
    assert pci(dom.devices.interfaces[0]) == (0, 0, 2, 0)


def test_no_more_pci_slots():
    nets = "\n".join(net(i) for i in range(31))  # 30 slots (2..31) left after the LPC one
    with pytest.raises(PostParseError) as ei:
        parse(doc(nets))
    assert ei.value.message == "No more available PCI slots"
    dom = parse(doc("\n".join(net(i) for i in range(30))))
    assert pci(dom.devices.interfaces[-1]) == (0, 0, 31, 0)


# ------------------------------------------------------------ CLI
def test_cli(tmp_path, capsys):
    f = tmp_path / "b.xml"
    f.write_text(doc(SATA_DISK.format(name="a", dev="sda"), arch="x86_64"))
    assert main(["convert", "--driver", "bhyve", str(f)]) == 0
    out = capsys.readouterr().out
    assert "<controller type='pci' index='0' model='pci-root'/>" in out
    assert "<address type='drive' controller='0' bus='0' target='0' unit='0'/>" in out
    assert main(["lint", "--quiet", "--driver", "bhyve", str(f)]) == 0
    bad = tmp_path / "bad.xml"
    bad.write_text(doc("    <controller type='pci' index='2' model='pci-root'/>", arch="x86_64"))
    assert main(["lint", "--driver", "bhyve", str(bad)]) == 1
    assert "pci-root and pcie-root controllers should have index 0" in capsys.readouterr().out


# ------------------------------------------------------------ named flag profiles
def test_named_bhyve_caps_profiles(tmp_path, capsys):
    xml = doc(SATA_DISK.format(name="a", dev="sdb"))

    def addr(dom: Any) -> tuple[int, int]:
        a = dom.devices.disks[0].address
        return (a.controller, a.unit)

    assert addr(parse(xml, caps="bhyve-test")) == (0, 1)
    assert addr(parse(xml, caps="bhyve-test-no32devs")) == (1, 0)
    assert addr(parse(xml, caps="bhyve-argv-test")) == (0, 1)
    assert addr(parse(xml, options={"caps_profile": "bhyve-test-no32devs"})) == (1, 0)
    with pytest.raises(UsageError):
        parse(xml, caps="no-such-profile")
    f = tmp_path / "b.xml"
    f.write_text(xml)
    assert main(["convert", "--driver", "bhyve", "--caps-profile", "bhyve-test-no32devs", str(f)]) == 0
    assert "<address type='drive' controller='1' bus='0' target='0' unit='0'/>" in capsys.readouterr().out


def test_other_address_types_read_as_pci_like_libvirts_union():
    """bhyveCollectPCIAddress reads info->addr.pci whatever the address
    type: a USB address bus=0 port=1 is PCI 0000:01:00.0 there, on a
    domain with one PCI bus."""
    tablet = "    <input type='tablet' bus='usb'>\n      <address type='usb' bus='0' port='1'/>\n    </input>"
    with pytest.raises(PostParseError) as ei:
        parse(doc(tablet))
    assert ei.value.message == "Invalid PCI address 0000:01:00.0. Only PCI buses up to 0 are available"
    # a drive address is skipped, an empty one too
    parse(doc(SATA_DISK.format(name="a", dev="sda")))
