"""The LXC driver: its post-parse defaults, capability check and CLI use,
with libvirt's texts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from drivers import get_driver
from drivers.common import format_host_caps
from drivers.lxc import LXC_EMULATOR, builtin_host_caps
from virtxml import api
from virtxml.binding import ParseContext
from virtxml.caps.hostcaps import parse_host_caps
from virtxml.cli import main
from virtxml.errors import PostParseError
from virtxml.flags import FormatFlags, ParseFlags

ROOT = Path(__file__).resolve().parents[2]
LXC_TEST_XML = ROOT / "testdata" / "hosts" / "lxc-test.xml"

DOC = """<domain type='{virt}'>
  <name>c</name>
  <uuid>8369f1ac-7e46-e869-4ca5-759d51478066</uuid>
  <memory unit='KiB'>500000</memory>
  <os>
    <type{arch}>{ostype}</type>
    {init}
  </os>
  <devices>
{devices}
  </devices>
</domain>
"""


def doc(devices: str = "", *, virt: str = "lxc", ostype: str = "exe", arch: str | None = None,
        init: str = "<init>/bin/sh</init>") -> str:
    return DOC.format(virt=virt, ostype=ostype, arch=f" arch='{arch}'" if arch else "", init=init,
                      devices=devices)


def parse(xml: str, *, flags: int = ParseFlags.INACTIVE, host_arch: str = "x86_64",
          options: dict[str, Any] | None = None) -> Any:
    ctx = ParseContext(flags, None)
    ctx.data["host_arch"] = host_arch
    return api.parse(xml, driver="lxc", flags=flags, ctx=ctx, options=options)


def fmt(dom: Any) -> str:
    return api.format(dom, FormatFlags.SECURE | FormatFlags.INACTIVE)


def test_parser_config():
    drv = get_driver("lxc")
    assert drv.name == "lxc"
    assert not drv.features  # libvirt's LXC parser config has no features
    assert drv.def_arch is None and drv.mac_prefix == "52:54:00"


# ------------------------------------------------------------ capability check
def test_supported_triple_passes_for_both_test_arches():
    for arch in ("x86_64", "i686"):
        dom = parse(doc(arch=arch))
        assert dom.os.type.arch == arch


def test_default_arch_is_the_host_arch():
    assert parse(doc()).os.type.arch == "x86_64"


@pytest.mark.parametrize("virt,ostype,arch,text", [
    # hvm is libvirt's os type 0 and is never named in the message
    ("lxc", "hvm", "x86_64", "could not find capabilities for arch=x86_64 domaintype=lxc "),
    ("kvm", "exe", "x86_64", "could not find capabilities for ostype=exe arch=x86_64 domaintype=kvm "),
    ("lxc", "exe", "aarch64", "could not find capabilities for ostype=exe arch=aarch64 domaintype=lxc "),
])
def test_unsupported_triple_is_refused_with_libvirts_text(virt, ostype, arch, text):
    with pytest.raises(PostParseError) as ei:
        parse(doc(virt=virt, ostype=ostype, arch=arch, init="<init>/bin/sh</init>" if ostype == "exe" else ""))
    assert ei.value.message == text


def test_capability_failure_is_fatal_even_with_allow_post_parse_fail():
    with pytest.raises(PostParseError):
        parse(doc(virt="kvm"), flags=ParseFlags.INACTIVE | ParseFlags.ALLOW_POST_PARSE_FAIL)


# ------------------------------------------------------------ default emulator
def test_default_emulator_from_caps():
    dom = parse(doc())
    assert dom.devices.emulator == LXC_EMULATOR
    assert f"<emulator>{LXC_EMULATOR}</emulator>" in fmt(dom)


def test_explicit_emulator_is_kept():
    dom = parse(doc("    <emulator>/opt/my_lxc</emulator>"))
    assert dom.devices.emulator == "/opt/my_lxc"


def test_host_caps_option_replaces_the_builtin_profile(tmp_path):
    caps = tmp_path / "host.xml"
    caps.write_text(LXC_TEST_XML.read_text().replace(LXC_EMULATOR, "/usr/lib/libvirt/libvirt_lxc", 1))
    # i686 guest: the first <guest> of the file, whose emulator was changed
    dom = parse(doc(arch="i686"), options={"host_caps": str(caps)})
    assert dom.devices.emulator == "/usr/lib/libvirt/libvirt_lxc"
    dom = parse(doc(arch="x86_64"), options={"host_caps": str(caps)})
    assert dom.devices.emulator == LXC_EMULATOR
    with pytest.raises(PostParseError) as ei:
        parse(doc(arch="aarch64"), options={"host_caps": str(caps)})
    assert ei.value.message.startswith("could not find capabilities for ostype=exe arch=aarch64")


def test_testdata_profile_is_the_builtin_one():
    assert format_host_caps(parse_host_caps(str(LXC_TEST_XML))) == format_host_caps(builtin_host_caps())
    assert LXC_TEST_XML.read_text() == format_host_caps(builtin_host_caps())


# ------------------------------------------------------------ device defaults
def test_console_target_none_becomes_lxc():
    dom = parse(doc("    <console type='pty'>\n      <target type='none'/>\n    </console>"))
    assert dom.devices.consoles[0].target.type == "lxc"


def test_console_without_target_becomes_lxc():
    dom = parse(doc("    <console type='pty'/>"))
    assert dom.devices.consoles[0].target.type == "lxc"
    assert "<console type='pty'>\n      <target type='lxc' port='0'/>\n    </console>" in fmt(dom)


def test_console_target_given_is_kept():
    dom = parse(doc("    <console type='pty'>\n      <target type='serial'/>\n    </console>"))
    assert dom.devices.consoles[0].target.type == "serial"


def test_generic_driver_would_pick_serial():
    """The same console under the generic profile: the LXC callback is what
    makes it lxc."""
    ctx = ParseContext(ParseFlags.INACTIVE, None)
    ctx.data["host_arch"] = "x86_64"
    dom = api.parse(doc("    <console type='pty'/>"), driver="generic", flags=ParseFlags.INACTIVE, ctx=ctx)
    assert dom.devices.consoles[0].target.type == "serial"


def test_exe_without_init_is_refused():
    with pytest.raises(PostParseError) as ei:
        parse(doc(init=""))
    assert ei.value.message == "init binary must be specified"


# ------------------------------------------------------------ CLI
def test_cli_convert_and_lint(tmp_path, capsys):
    good = tmp_path / "good.xml"
    good.write_text(doc(arch="x86_64"))
    assert main(["convert", "--driver", "lxc", str(good)]) == 0
    out = capsys.readouterr().out
    assert f"<emulator>{LXC_EMULATOR}</emulator>" in out
    assert main(["lint", "--quiet", "--driver", "lxc", str(good)]) == 0
    bad = tmp_path / "bad.xml"
    bad.write_text(doc(virt="kvm", arch="x86_64"))
    assert main(["lint", "--driver", "lxc", str(bad)]) == 1
    assert "could not find capabilities for ostype=exe arch=x86_64 domaintype=kvm" in capsys.readouterr().out


def test_cli_host_caps_file(tmp_path, capsys):
    caps = tmp_path / "host.xml"
    caps.write_text(LXC_TEST_XML.read_text().replace("'i686'", "'aarch64'"))
    f = tmp_path / "a.xml"
    f.write_text(doc(arch="aarch64"))
    assert main(["convert", "--driver", "lxc", "--host-caps", str(caps), str(f)]) == 0
    assert "<type arch='aarch64'>exe</type>" in capsys.readouterr().out
    assert main(["convert", "--driver", "lxc", str(f)]) != 0


def test_cli_in_subprocess(tmp_path):
    f = tmp_path / "a.xml"
    f.write_text(doc(arch="x86_64"))
    r = subprocess.run([sys.executable, "-m", "virtxml", "convert", "--driver", "lxc", str(f)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "<domain type='lxc'>" in r.stdout


# ------------------------------------------------------------ no features in the parser config
@pytest.mark.parametrize("extra,text", [
    ("<maxMemory slots='16' unit='KiB'>1524288</maxMemory>",
     "memory hotplug tunables <maxMemory> are not supported by this hypervisor driver"),
    ("<vcpu current='1'>2</vcpu><vcpus><vcpu id='0' enabled='yes'/><vcpu id='1' enabled='no'/></vcpus>",
     "individual CPU state configuration is not supported"),
])
def test_features_lxc_lacks(extra, text):
    xml = doc().replace("<memory unit='KiB'>500000</memory>", "<memory unit='KiB'>500000</memory>\n  " + extra)
    with pytest.raises(Exception) as ei:
        parse(xml)
    assert getattr(ei.value, "message", str(ei.value)) == text
    # the test driver has those features
    ctx = ParseContext(ParseFlags.INACTIVE, None)
    ctx.data["host_arch"] = "x86_64"
    api.parse(xml.replace("type='lxc'", "type='test'"), driver="test", flags=ParseFlags.INACTIVE, ctx=ctx)

