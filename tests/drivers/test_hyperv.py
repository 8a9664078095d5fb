"""The hyperv driver: libvirt's Hyper-V parser config is empty (no
features, no callbacks): only the generic steps, with every optional
feature refused."""

from __future__ import annotations

import pytest

from drivers import get_driver
from postparse.driver import Feature
from virtxml.errors import PostParseError, ValidationError

from .drvtest import cli_lint_text, cli_smoke, doc, fmt, parse


def vm(devices: str = "", **kw):
    return doc(devices, virt=kw.pop("virt", "hyperv"), **kw)


def test_parser_config():
    drv = get_driver("hyperv")
    assert drv.features == Feature.NONE and drv.def_arch is None and drv.mac_prefix == "52:54:00"


def test_no_capability_check_and_host_arch_default():
    assert parse(vm(), "hyperv", host_arch="i686").os.type.arch == "i686"
    parse(vm(arch="aarch64", virt="kvm"), "hyperv")


def test_generic_boot_order_default():
    assert [b.dev for b in parse(vm(), "hyperv").os.boot] == ["hd"]


def test_name_with_slash_refused():
    with pytest.raises(PostParseError) as ei:
        parse(vm(name="a/b"), "hyperv")
    assert ei.value.message == "name a/b cannot contain '/'"


def test_individual_vcpus_refused():
    xml = vm().replace("<vcpu placement='static'>1</vcpu>",
                       "<vcpu placement='static'>1</vcpu>\n  <vcpus>\n    <vcpu id='0' enabled='yes'/>\n  </vcpus>")
    with pytest.raises(PostParseError) as ei:
        parse(xml, "hyperv")
    assert ei.value.message == "individual CPU state configuration is not supported"


def test_memory_hotplug_refused():
    xml = vm(pre="<maxMemory slots='2' unit='KiB'>1048576</maxMemory>")
    with pytest.raises(PostParseError) as ei:
        parse(xml, "hyperv")
    assert ei.value.message == "memory hotplug tunables <maxMemory> are not supported by this hypervisor driver"


def test_video_default_is_left_to_the_generic_check():
    """No device callback: a video of type 'default' stays so and the generic
    validation refuses it."""
    with pytest.raises(ValidationError) as ei:
        parse(vm("    <graphics type='vnc'/>"), "hyperv")
    assert ei.value.message == "missing video model and cannot determine default"


def test_interface_keeps_given_mac():
    out = fmt(parse(vm("    <interface type='bridge'>\n      <mac address='00:15:5d:00:00:01'/>\n"
                       "      <source bridge='b'/>\n    </interface>"), "hyperv"))
    assert "<mac address='00:15:5d:00:00:01'/>" in out


def test_cli_convert_and_lint(capsys):
    out = cli_smoke("hyperv", "hyperv.xml", capsys)
    assert "<domain type='hyperv'>" in out


def test_cli_lint_reports_libvirt_text(tmp_path, capsys):
    rc, out = cli_lint_text("hyperv", vm(name="a/b"), tmp_path, capsys)
    assert rc == 1 and "name a/b cannot contain '/'" in out
