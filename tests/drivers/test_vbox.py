"""The vbox driver: MAC prefix, NAME_SLASH, the vbox video default; no
capability check (libvirt's VirtualBox parser config has no domain callback)."""

from __future__ import annotations

from drivers import get_driver
from postparse.driver import Feature

from .drvtest import cli_smoke, doc, fmt, parse


def vm(devices: str = "", **kw):
    return doc(devices, virt=kw.pop("virt", "vbox"), **kw)


def test_parser_config():
    drv = get_driver("vbox")
    assert drv.features == Feature.NAME_SLASH and drv.mac_prefix == "08:00:27" and drv.def_arch is None


def test_generated_mac_prefix():
    out = fmt(parse(vm("    <interface type='network'>\n      <source network='n'/>\n    </interface>"), "vbox"))
    assert "<mac address='08:00:27:" in out


def test_default_video_is_vbox_without_vram():
    dom = parse(vm("    <graphics type='vnc'/>"), "vbox")
    assert (dom.devices.videos[0].model.type, dom.devices.videos[0].model.vram) == ("vbox", None)


def test_explicit_video_kept():
    dom = parse(vm("    <video>\n      <model type='vga'/>\n    </video>"), "vbox")
    assert (dom.devices.videos[0].model.type, dom.devices.videos[0].model.vram) == ("vga", 8192)


def test_name_with_slash_accepted():
    assert parse(vm(name="a/b"), "vbox").name == "a/b"


def test_no_capability_check():
    """Any arch/virt type passes: vbox has no domain post-parse callback."""
    dom = parse(vm(arch="aarch64", virt="kvm"), "vbox")
    assert dom.os.type.arch == "aarch64"


def test_default_arch_is_the_host_arch():
    assert parse(vm(), "vbox", host_arch="aarch64").os.type.arch == "aarch64"


def test_cli_convert_and_lint(capsys):
    out = cli_smoke("vbox", "vbox.xml", capsys)
    assert "<model type='vbox' heads='1' primary='yes'/>" in out and "<name>vbox/guest</name>" in out
