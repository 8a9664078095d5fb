"""<sysinfo>, lifecycle actions, <pm>, <perf>, <metadata> and the hypervisor
namespace blocks."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.model.test_toplevel_support import bind, fmt, parse_error, roundtrip, section
from virtxml.binding import ParseContext
from virtxml.flags import ParseFlags
from virtxml.model import Domain

SYSINFO = """  <sysinfo type='smbios'>
    <oemStrings><entry>a&amp;b</entry><entry>x</entry></oemStrings>
    <chassis><entry name='sku'>S</entry><entry name='manufacturer'>M</entry></chassis>
    <baseBoard><entry name='product'>P</entry></baseBoard>
    <baseBoard><entry name='bogus'>P</entry></baseBoard>
    <system><entry name='uuid'>C7A5FDBD-EDAF-9455-926A-D65C16DB1809</entry><entry name='family'>F</entry></system>
    <bios><entry name='date'>01/01/2011</entry><entry name='vendor'>V</entry><entry name='vendor'>W</entry>
      <entry name='release'></entry></bios>
  </sysinfo>
  <sysinfo type='fwcfg'>
    <entry name='opt/a'>v</entry>
    <entry name='opt/b' file='/x//y/'/>
  </sysinfo>
"""


def test_sysinfo() -> None:
    out = fmt(bind(SYSINFO))
    assert out.count("<sysinfo") == 2
    assert section(out, "sysinfo") == """  <sysinfo type='smbios'>
    <bios>
      <entry name='vendor'>V</entry>
      <entry name='date'>01/01/2011</entry>
    </bios>
    <system>
      <entry name='uuid'>c7a5fdbd-edaf-9455-926a-d65c16db1809</entry>
      <entry name='family'>F</entry>
    </system>
    <baseBoard>
      <entry name='product'>P</entry>
    </baseBoard>
    <chassis>
      <entry name='manufacturer'>M</entry>
      <entry name='sku'>S</entry>
    </chassis>
    <oemStrings>
      <entry>a&amp;b</entry>
      <entry>x</entry>
    </oemStrings>
  </sysinfo>
  <sysinfo type='fwcfg'>
    <entry name='opt/a'>v</entry>
    <entry name='opt/b' file='/x/y'/>
  </sysinfo>
"""


@pytest.mark.parametrize("body,msg", [
    ("<sysinfo type='smbios'><bios><entry name='date'>13/01/2011</entry></bios></sysinfo>",
     "Invalid BIOS 'date' format"),
    ("<sysinfo type='smbios'><bios><entry name='date'>1/1/150</entry></bios></sysinfo>",
     "Invalid BIOS 'date' format"),
    ("<sysinfo type='smbios'><system><entry name='uuid'>xyz</entry></system></sysinfo>",
     "malformed <sysinfo> uuid element"),
    ("<sysinfo/>", "Missing required attribute 'type' in element 'sysinfo'"),
    ("<sysinfo type='acpi'/>", "Invalid value for attribute 'type' in element 'sysinfo': 'acpi'."),
    ("<sysinfo type='fwcfg'><entry>v</entry></sysinfo>", "Firmware entry is missing 'name' attribute"),
    ("<sysinfo type='fwcfg'><entry name='opt/x'/></sysinfo>",
     "Firmware entry must have either value or 'file' attribute"),
])
def test_sysinfo_errors(body: str, msg: str) -> None:
    assert parse_error("  " + body + "\n") == msg


def test_lifecycle() -> None:
    out = fmt(bind("  <on_lockfailure>pause</on_lockfailure>\n  <on_crash>coredump-restart</on_crash>\n"
                   "  <on_reboot>destroy</on_reboot>\n"))
    assert "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>destroy</on_reboot>\n" \
           "  <on_crash>coredump-restart</on_crash>\n  <on_lockfailure>pause</on_lockfailure>\n" in out
    assert "on_lockfailure" not in fmt(bind("  <on_lockfailure>default</on_lockfailure>\n"))


@pytest.mark.parametrize("body,msg", [
    ("<on_poweroff>explode</on_poweroff>", "unknown on_poweroff action: explode"),
    ("<on_reboot>pause</on_reboot>", "unknown on_reboot action: pause"),
    ("<on_crash>reboot</on_crash>", "unknown on_crash action: reboot"),
    ("<on_lockfailure>destroy</on_lockfailure>", "unknown on_lockfailure action: destroy"),
])
def test_lifecycle_errors(body: str, msg: str) -> None:
    assert parse_error("  " + body + "\n") == msg


def test_pm_and_perf() -> None:
    assert roundtrip("  <pm><suspend-to-disk enabled='yes'/><suspend-to-mem enabled='no'/></pm>\n", "pm") == \
        "  <pm>\n    <suspend-to-mem enabled='no'/>\n    <suspend-to-disk enabled='yes'/>\n  </pm>\n"
    assert roundtrip("  <pm/>\n", "pm") == ""
    assert parse_error("  <pm><suspend-to-mem enabled='on'/></pm>\n") == \
        "Invalid value for attribute 'enabled' in element 'suspend-to-mem': 'on'."
    body = "  <perf>\n    <event name='mbml' enabled='no'/>\n    <event name='cmt' enabled='yes'/>\n  </perf>\n"
    assert roundtrip(body, "perf") == \
        "  <perf>\n    <event name='cmt' enabled='yes'/>\n    <event name='mbml' enabled='no'/>\n  </perf>\n"
    assert parse_error("  <perf><event name='cmt' enabled='yes'/><event name='cmt' enabled='no'/></perf>\n") == \
        "perf event 'cmt' was already specified"
    assert parse_error("  <perf><event name='ipc' enabled='yes'/></perf>\n") == \
        "Invalid value for attribute 'name' in element 'event': 'ipc'."


def test_metadata_sanitised() -> None:
    body = """  <metadata>
    <app1:foo xmlns:app1="http://foo.org/">fooish</app1:foo>
    <nons>dropped</nons>
    <app2:bar xmlns:app2="http://bar.com/" maman="baz"><app2:x>1</app2:x>
         <app2:y/></app2:bar>
    <app1:again xmlns:app1="http://foo.org/">dup ns</app1:again>
  </metadata>
"""
    assert roundtrip(body, "metadata") == """  <metadata>
    <app1:foo xmlns:app1="http://foo.org/">fooish</app1:foo>
    <app2:bar xmlns:app2="http://bar.com/" maman="baz">
      <app2:x>1</app2:x>
      <app2:y/>
    </app2:bar>
  </metadata>
"""


QEMU = """<domain type='kvm' xmlns:q='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>t</name>
  <os><type>hvm</type></os>
  <q:deprecation behavior='crash'/>
  <q:commandline><q:env name='NS' value='ns'/><q:arg value='-unknown'/></q:commandline>
  <q:override><q:device alias='ua-disk'><q:frontend>
    <q:property name='p1' type='string' value='v'/><q:property name='p2' type='remove'/>
  </q:frontend></q:device></q:override>
  <q:capabilities><q:del capability='name'/><q:add capability='vnc-colon'/></q:capabilities>
  <q:commandline><q:arg value='parameter'/><q:env name='BAR'/></q:commandline>
</domain>
"""


def test_qemu_namespace_merged_in_libvirt_order() -> None:
    dom = Domain._xml_parse(etree.fromstring(QEMU), ParseContext(ParseFlags.INACTIVE))
    out = fmt(dom)
    assert out.startswith("<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n")
    assert out.endswith("""  </devices>
  <qemu:commandline>
    <qemu:arg value='-unknown'/>
    <qemu:arg value='parameter'/>
    <qemu:env name='NS' value='ns'/>
    <qemu:env name='BAR'/>
  </qemu:commandline>
  <qemu:capabilities>
    <qemu:add capability='vnc-colon'/>
    <qemu:del capability='name'/>
  </qemu:capabilities>
  <qemu:override>
    <qemu:device alias='ua-disk'>
      <qemu:frontend>
        <qemu:property name='p1' type='string' value='v'/>
        <qemu:property name='p2' type='remove'/>
      </qemu:frontend>
    </qemu:device>
  </qemu:override>
  <qemu:deprecation behavior='crash'/>
</domain>
""")


@pytest.mark.parametrize("block,msg", [
    ("<q:commandline><q:arg/></q:commandline>", "No qemu command-line argument specified"),
    ("<q:commandline><q:env value='x'/></q:commandline>", "No qemu environment name specified"),
    ("<q:commandline><q:env name='1A'/></q:commandline>",
     "Invalid environment name, it must begin with a letter or underscore"),
    ("<q:commandline><q:env name='A-B'/></q:commandline>",
     "Invalid environment name, it must contain only alphanumerics and underscore"),
    ("<q:capabilities><q:add/></q:capabilities>", "missing capability name"),
    ("<q:override><q:device alias='x'><q:frontend><q:property name='p' type='remove' value='v'/></q:frontend>"
     "</q:device></q:override>",
     "setting 'value' attribute of 'qemu:property' doesn't make sense with 'remove' type"),
])
def test_qemu_namespace_errors(block: str, msg: str) -> None:
    from virtxml.errors import ParseError

    text = QEMU.split("  <q:deprecation")[0] + "  " + block + "\n</domain>\n"
    with pytest.raises(ParseError) as ei:
        Domain._xml_parse(etree.fromstring(text), ParseContext(ParseFlags.INACTIVE))
    assert ei.value.message == msg


def test_other_namespaces() -> None:
    text = """<domain type='lxc' xmlns:lxc='http://libvirt.org/schemas/domain/lxc/1.0'>
  <name>c</name>
  <os><type>exe</type><init>/sbin/init</init></os>
  <lxc:namespace>
    <lxc:shareuts type='name' value='container1'/>
    <lxc:sharenet type='netns' value='red'/>
  </lxc:namespace>
</domain>
"""
    out = fmt(Domain._xml_parse(etree.fromstring(text), ParseContext(ParseFlags.INACTIVE)))
    assert out.startswith("<domain type='lxc' xmlns:lxc='http://libvirt.org/schemas/domain/lxc/1.0'>\n")
    assert "  <lxc:namespace>\n    <lxc:sharenet type='netns' value='red'/>\n" \
           "    <lxc:shareuts type='name' value='container1'/>\n  </lxc:namespace>\n" in out
    text = ("<domain type='bhyve' xmlns:bhyve='http://libvirt.org/schemas/domain/bhyve/1.0'><name>b</name>"
            "<os><type>hvm</type></os><bhyve:commandline><bhyve:arg value='-s'/></bhyve:commandline></domain>")
    out = fmt(Domain._xml_parse(etree.fromstring(text), ParseContext(ParseFlags.INACTIVE)))
    assert "  <bhyve:commandline>\n    <bhyve:arg value='-s'/>\n  </bhyve:commandline>\n</domain>\n" in out
