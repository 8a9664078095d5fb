"""The openvz driver: parser config, post-parse defaults, capability check."""

from __future__ import annotations

import pytest

from drivers import get_driver
from drivers.openvz import OPENVZ_INIT, builtin_host_caps
from postparse.driver import Feature
from virtxml.errors import PostParseError, ValidationError

from .drvtest import HOSTS, cli_lint_text, cli_smoke, doc, fmt, parse, profile_file_matches


def ct(devices: str = "", **kw):
    kw.setdefault("ostype", "exe")
    return doc(devices, virt=kw.pop("virt", "openvz"), **kw)


def ovz(xml: str, **kw):
    return parse(xml, "openvz", **kw)


def test_parser_config():
    drv = get_driver("openvz")
    assert drv.features == Feature.NAME_SLASH and drv.def_arch is None and drv.mac_prefix == "52:54:00"


def test_builtin_profile_file():
    assert profile_file_matches(HOSTS / "openvz-test.xml", builtin_host_caps())


def test_init_defaults_to_sbin_init():
    dom = ovz(ct())
    assert dom.os.init == OPENVZ_INIT and "<init>/sbin/init</init>" in fmt(dom)


def test_explicit_init_kept():
    assert ovz(ct(os="<init>/bin/sh</init>")).os.init == "/bin/sh"


def test_console_target_becomes_openvz():
    dom = ovz(ct("    <console type='pty'/>"))
    assert dom.devices.consoles[0].target.type == "openvz"


def test_capabilities_hostdev_refused():
    with pytest.raises(PostParseError) as ei:
        ovz(ct("    <hostdev mode='capabilities' type='storage'>\n      <source>\n"
               "        <block>/dev/sdf1</block>\n      </source>\n    </hostdev>"))
    assert ei.value.message == "hostdev mode 'capabilities' is not supported in openvz"


def test_default_video_parallels_for_containers():
    dom = ovz(ct("    <graphics type='vnc'/>"))
    assert dom.devices.videos[0].model.type == "parallels"


def test_default_video_vga_for_hvm(tmp_path):
    f = tmp_path / "h.xml"
    f.write_text((HOSTS / "openvz-test.xml").read_text().replace("<os_type>exe</os_type>", "<os_type>hvm</os_type>"))
    dom = ovz(ct("    <graphics type='vnc'/>", ostype="hvm"), options={"host_caps": str(f)})
    assert dom.devices.videos[0].model.type == "vga"


def test_name_with_slash_accepted():
    assert ovz(ct(name="a/b")).name == "a/b"


@pytest.mark.parametrize("virt,ostype,arch,text", [
    ("openvz", "hvm", None, "could not find capabilities for arch=x86_64 domaintype=openvz "),
    ("openvz", "exe", "i686", "could not find capabilities for ostype=exe arch=i686 domaintype=openvz "),
    ("lxc", "exe", None, "could not find capabilities for ostype=exe arch=x86_64 domaintype=lxc "),
])
def test_capabilities_triple(virt, ostype, arch, text):
    with pytest.raises(PostParseError) as ei:
        ovz(ct(virt=virt, ostype=ostype, arch=arch))
    assert ei.value.message == text


def test_name_with_newline_refused():
    with pytest.raises(ValidationError) as ei:
        ovz(ct(name="a&#10;b"))
    assert ei.value.message == "invalid char in name: \n"


def test_cli_convert_and_lint(capsys):
    out = cli_smoke("openvz", "openvz.xml", capsys)
    assert "<init>/sbin/init</init>" in out and "<target type='openvz' port='0'/>" in out


def test_cli_lint_reports_libvirt_text(tmp_path, capsys):
    rc, out = cli_lint_text("openvz", ct(virt="lxc", arch="x86_64"), tmp_path, capsys)
    assert rc == 1 and "could not find capabilities for ostype=exe arch=x86_64 domaintype=lxc" in out
