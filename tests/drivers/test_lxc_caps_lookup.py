"""drivers/common: libvirt's capabilities lookup (virCapabilitiesDomainDataLookup,
virCapabilitiesDomainSupported, virDomainDefGetDefaultEmulator) used by the
LXC, bhyve and other non-QEMU drivers, with its message quirks."""

from __future__ import annotations

import pytest

from drivers.common import (CapsLookupError, caps_lookup, default_emulator, domain_supported,
                            host_caps_for, lookup_error_text, make_host_caps)
from postparse.driver import PostParseContext
from drivers.lxc import driver as lxc_driver
from virtxml.caps.hostcaps import GuestDomain, GuestMachine, parse_host_caps

CAPS_XML = """<capabilities>
  <host><cpu><arch>x86_64</arch></cpu></host>
  <guest>
    <os_type>hvm</os_type>
    <arch name='i686'>
      <emulator>/usr/bin/qemu-system-i386</emulator>
      <machine canonical='pc-i440fx-7.2'>pc</machine>
      <domain type='qemu'/>
    </arch>
  </guest>
  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'>
      <emulator>/usr/bin/qemu-system-x86_64</emulator>
      <machine>pc-q35-7.2</machine>
      <domain type='qemu'/>
      <domain type='kvm'>
        <emulator>/usr/bin/qemu-kvm</emulator>
      </domain>
    </arch>
  </guest>
  <guest>
    <os_type>xen</os_type>
    <arch name='x86_64'>
      <emulator>/usr/lib/xen/bin/qemu-dm</emulator>
    </arch>
  </guest>
</capabilities>
"""


@pytest.fixture()
def caps():
    return parse_host_caps(CAPS_XML.encode())


def test_found(caps):
    d = caps_lookup(caps, os_type="hvm", arch="x86_64", virt_type="kvm")
    assert (d.arch, d.virt_type, d.emulator, d.machine) == ("x86_64", "kvm", "/usr/bin/qemu-kvm", "pc-q35-7.2")
    d = caps_lookup(caps, os_type="hvm", arch="x86_64", virt_type="qemu")
    assert d.emulator == "/usr/bin/qemu-system-x86_64"


def test_hvm_never_named_other_os_types_are(caps):
    with pytest.raises(CapsLookupError) as ei:
        caps_lookup(caps, os_type="hvm", arch="aarch64", virt_type="kvm")
    assert ei.value.message == "could not find capabilities for arch=aarch64 domaintype=kvm "
    with pytest.raises(CapsLookupError) as ei:
        caps_lookup(caps, os_type="exe", arch="x86_64", virt_type="lxc")
    assert ei.value.message == "could not find capabilities for ostype=exe arch=x86_64 domaintype=lxc "


def test_guest_without_domain_never_matches(caps):
    # the xen guest has no <domain>: not even virt type 'none' finds it
    assert not domain_supported(caps, "xen", "x86_64", "xen")
    with pytest.raises(CapsLookupError) as ei:
        caps_lookup(caps, os_type="xen", arch="x86_64", virt_type="none")
    # domain type none is not named either
    assert ei.value.message == "could not find capabilities for ostype=xen arch=x86_64 "


def test_virt_type_none_matches_any_domain(caps):
    assert caps_lookup(caps, os_type="hvm", arch="x86_64", virt_type="none").virt_type == "qemu"


def test_no_arch_prefers_the_host_arch(caps):
    assert caps_lookup(caps, os_type="hvm", arch=None, virt_type="qemu").arch == "x86_64"
    caps.host_arch = "ppc64"
    assert caps_lookup(caps, os_type="hvm", arch=None, virt_type="qemu").arch == "i686"


def test_machine_and_emulator_criteria(caps):
    assert caps_lookup(caps, os_type="hvm", arch="i686", virt_type="qemu",
                       machine="pc-i440fx-7.2").machine == "pc"
    with pytest.raises(CapsLookupError) as ei:
        caps_lookup(caps, os_type="hvm", arch="i686", virt_type="qemu", machine="q35&<x>",
                    emulator="/a'b")
    assert ei.value.message == ("could not find capabilities for arch=i686 domaintype=qemu "
                                "emulator=/a&apos;b machine=q35&amp;&lt;x&gt; ")


def test_empty_criteria_text():
    assert lookup_error_text() == "could not find capabilities for any configuration"


def test_domain_without_machines_matches_any_machine():
    c = make_host_caps("x86_64", [("exe", "x86_64", 64, "/e", ["lxc"])])
    assert caps_lookup(c, os_type="exe", arch="x86_64", virt_type="lxc", machine="whatever").machine is None
    c.guests[0].machines.append(GuestMachine(name="m1"))
    assert caps_lookup(c, os_type="exe", arch="x86_64", virt_type="lxc").machine == "m1"
    with pytest.raises(CapsLookupError):
        caps_lookup(c, os_type="exe", arch="x86_64", virt_type="lxc", machine="other")
    c.guests[0].domains[0] = GuestDomain(type="lxc", machines=[GuestMachine(name="other")])
    assert caps_lookup(c, os_type="exe", arch="x86_64", virt_type="lxc", machine="other").machine == "other"


def test_default_emulator_prefers_the_domains_own(caps):
    class Dom:
        type = "kvm"

        class os:  # noqa: N801 - mimics the model
            class type:  # noqa: N801
                value = "hvm"
                arch = "x86_64"

    assert default_emulator(Dom, caps) == "/usr/bin/qemu-kvm"
    Dom.type = "qemu"
    assert default_emulator(Dom, caps) == "/usr/bin/qemu-system-x86_64"


def test_host_caps_source_forms(tmp_path, caps):
    ctx = PostParseContext(driver=lxc_driver, options={})
    default = make_host_caps("x86_64", [])
    assert host_caps_for(ctx, lambda: default) is default
    f = tmp_path / "caps.xml"
    f.write_text(CAPS_XML)
    for src in (str(f), f, CAPS_XML, CAPS_XML.encode(), caps):
        ctx.options["host_caps"] = src
        got = host_caps_for(ctx, lambda: default)
        assert [g.arch for g in got.guests] == ["i686", "x86_64", "x86_64"]


def test_unreadable_or_bad_host_caps_name_the_file(tmp_path):
    from virtxml.errors import UsageError

    ctx = PostParseContext(driver=lxc_driver, options={"host_caps": str(tmp_path / "missing.xml")})
    with pytest.raises(UsageError) as ei:
        host_caps_for(ctx, lambda: None)
    assert ei.value.message.startswith(f"cannot read host capabilities '{tmp_path / 'missing.xml'}'")
    bad = tmp_path / "bad.xml"
    bad.write_text("<nope/>")
    ctx.options["host_caps"] = str(bad)
    with pytest.raises(UsageError) as ei:
        host_caps_for(ctx, lambda: None)
    assert ei.value.message == f"host capabilities '{bad}': expecting root element of 'capabilities', not 'nope'"
