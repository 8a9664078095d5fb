"""The vz (Virtuozzo) driver: defaults, capability check, controller,
disk and graphics validation with libvirt's texts (vz_driver.c, vz_utils.c)."""

from __future__ import annotations

import pytest

from drivers import get_driver
from drivers.vz import builtin_host_caps
from postparse.driver import Feature
from virtxml.errors import PostParseError, ValidationError

from .drvtest import HOSTS, cli_lint_text, cli_smoke, doc, fmt, parse, profile_file_matches

VIDEO = "    <video>\n      <model type='vga'/>\n    </video>"


def vm(devices: str = "", **kw):
    kw.setdefault("arch", "x86_64")
    return doc(devices, virt=kw.pop("virt", "vz"), **kw)


def vz(xml: str, **kw):
    return parse(xml, "vz", **kw)


def disk(body: str = "", dev: str = "sda", bus: str = "scsi", dtype: str = "file", device: str = "disk",
         source: str = "<source file='/vz/a.hdd'/>") -> str:
    return (f"    <disk type='{dtype}' device='{device}'>\n      {body}\n      {source}\n"
            f"      <target dev='{dev}' bus='{bus}'/>\n    </disk>")


def test_parser_config():
    drv = get_driver("vz")
    assert drv.features == Feature.NONE and drv.mac_prefix == "42:1c:00" and drv.def_arch is None


def test_builtin_profile_file():
    assert profile_file_matches(HOSTS / "vz-test.xml", builtin_host_caps())


@pytest.mark.parametrize("virt,ostype,arch", [("vz", "hvm", "i686"), ("parallels", "exe", "x86_64")])
def test_supported_triples(virt, ostype, arch):
    vz(vm(virt=virt, ostype=ostype, arch=arch, os="<init>/sbin/init</init>" if ostype == "exe" else ""))


def test_unsupported_triple():
    with pytest.raises(PostParseError) as ei:
        vz(vm(arch="aarch64"))
    assert ei.value.message == "could not find capabilities for arch=aarch64 domaintype=vz "


def test_inputs_added_with_graphics_only():
    assert not vz(vm()).devices.inputs
    dom = vz(vm("    <graphics type='vnc'/>\n" + VIDEO))
    assert [(i.type, i.bus) for i in dom.devices.inputs] == [("mouse", "ps2"), ("keyboard", "ps2")]


def test_container_inputs_use_parallels_bus():
    dom = vz(vm("    <graphics type='vnc'/>\n" + VIDEO, ostype="exe", os="<init>/sbin/init</init>"))
    assert [(i.type, i.bus) for i in dom.devices.inputs] == [("mouse", "parallels"), ("keyboard", "parallels")]


def test_net_model_e1000_for_hvm_bridge_and_network():
    dom = vz(vm("    <interface type='bridge'>\n      <source bridge='br0'/>\n    </interface>\n"
                "    <interface type='network'>\n      <source network='n'/>\n    </interface>\n"
                "    <interface type='ethernet'/>"))
    assert [i.model.type if i.model else None for i in dom.devices.interfaces] == ["e1000", "e1000", None]
    assert "<mac address='42:1c:00:" in fmt(dom)


def test_net_model_not_set_for_containers():
    dom = vz(vm("    <interface type='bridge'>\n      <source bridge='br0'/>\n    </interface>",
                ostype="exe", os="<init>/sbin/init</init>"))
    assert dom.devices.interfaces[0].model is None


@pytest.mark.parametrize("devices,text", [
    ("    <controller type='usb' index='0'/>", "Unsupported controller type usb"),
    ("    <controller type='scsi' index='0' model='lsilogic'/>", "Unsupported SCSI controller model lsilogic"),
    (disk(device="lun", dtype="block", source="<source dev='/dev/sdb'/>"),
     "Only hard disks and cdroms are supported by vz driver."),
    (disk("<blockio logical_block_size='512'/>"), "Setting disk block sizes is not supported by vz driver."),
    (disk("<iotune><total_bytes_sec>10</total_bytes_sec></iotune>"),
     "Setting disk io limits is not supported by vz driver yet."),
    (disk("<wwn>5000c50015ea71ad</wwn>"), "Setting disk wwn id is not supported by vz driver."),
    (disk("<vendor>V</vendor>"), "Setting disk vendor is not supported by vz driver."),
    (disk("<product>P</product>"), "Setting disk product id is not supported by vz driver."),
    (disk("<driver error_policy='stop'/>"), "Setting disk error policy is not supported by vz driver."),
    (disk("<driver io='threads'/>"), "Only native iomode is supported by vz driver."),
    (disk("<driver copy_on_read='on'/>"), "Disk copy_on_read is not supported by vz driver."),
    (disk(source="<source file='/vz/a.hdd' startupPolicy='optional'/>", device="cdrom"),
     "Setting up disk startup policy is not supported by vz driver."),
    (disk("<transient/>"), "Transient disks are not supported by vz driver."),
    (disk("<driver discard='unmap'/>"), "Setting up disk discard parameter is not supported by vz driver."),
    (disk(dtype="network", source="<source protocol='nbd' name='x'><host name='h'/></source>"),
     "Only disk and block storage types are supported by vz driver."),
    (disk(dev="sdh"), "Invalid drive address of disk sdh, vz driver supports only one controller."),
    (disk("<address type='drive' controller='0' bus='0' target='1' unit='0'/>"),
     "Invalid drive address of disk sda, vz driver supports only target 0."),
    (disk("<address type='drive' controller='0' bus='1' target='0' unit='0'/>"),
     "Invalid drive address of disk sda, vz driver supports only bus 0 for SATA and SCSI bus."),
    (disk("<address type='drive' controller='0' bus='0' target='0' unit='2'/>", dev="hda", bus="ide"),
     "Invalid drive address of disk hda, vz driver supports only units 0-1 for IDE bus."),
    (disk("<address type='drive' controller='0' bus='0' target='0' unit='3'/>"),
     "Invalid drive address of disk sda, vz driver does not support non default name mappings."),
    (disk(dev="vda", bus="virtio"), "Specified disk bus is not supported by vz driver."),
    (disk("<driver type='raw'/>"), "Unsupported format of disk /vz/a.hdd"),
    ("    <graphics type='spice'/>\n" + VIDEO, "vz driver supports only VNC graphics."),
    ("    <graphics type='vnc' websocket='5700'/>\n" + VIDEO,
     "vz driver doesn't support websockets for VNC graphics."),
    ("    <graphics type='vnc' keymap='de'/>\n" + VIDEO,
     "vz driver supports only \"en-us\" keymap for VNC graphics."),
    ("    <graphics type='vnc' sharePolicy='allow-exclusive'/>\n" + VIDEO,
     "vz driver doesn't support exclusive share policy for VNC graphics."),
    ("    <graphics type='vnc' passwd='x' passwdValidTo='2030-01-01T00:00:00'/>\n" + VIDEO,
     "vz driver doesn't support setting password expire time."),
    ("    <graphics type='vnc'>\n      <listen type='address' address='1.2.3.4'/>\n"
     "      <listen type='address' address='1.2.3.5'/>\n    </graphics>\n" + VIDEO,
     "vz driver doesn't support more than one listening VNC server per domain"),
    ("    <graphics type='vnc'>\n      <listen type='network' network='n'/>\n    </graphics>\n" + VIDEO,
     "vz driver supports only address-based VNC listening"),
])
def test_validation_refusals(devices, text):
    with pytest.raises(ValidationError) as ei:
        vz(vm(devices))
    assert ei.value.message == text


def test_vz6_formats_and_scsi_model():
    xml = vm(disk("<driver type='ploop'/>") + "\n    <controller type='scsi' index='0' model='buslogic'/>")
    vz(xml, options={"vz_version": 6})
    with pytest.raises(ValidationError) as ei:
        vz(xml)
    assert ei.value.message == "Unsupported SCSI controller model buslogic"
    with pytest.raises(ValidationError) as ei:
        vz(vm(disk("<driver type='ploop'/>")))
    assert ei.value.message == "Unsupported format of disk /vz/a.hdd"
    with pytest.raises(ValidationError) as ei:
        vz(vm(disk("<driver type='qcow2'/>")), options={"vz_version": 6})
    assert ei.value.message == "Unsupported format of disk /vz/a.hdd"


def test_cdrom_format_is_raw():
    vz(vm(disk("<driver type='raw'/>", device="cdrom", dev="hda", bus="ide", source="<source file='/a.iso'/>")))


def test_cli_convert_and_lint(capsys):
    out = cli_smoke("vz", "vz.xml", capsys)
    assert "<model type='e1000'/>" in out and "<input type='mouse' bus='ps2'/>" in out


def test_cli_lint_reports_libvirt_text(tmp_path, capsys):
    rc, out = cli_lint_text("vz", vm("    <controller type='usb' index='0'/>"), tmp_path, capsys)
    assert rc == 1 and "Unsupported controller type usb" in out
