"""<os>, <bootloader>, <idmap>."""

from __future__ import annotations

import pytest

from tests.model.test_toplevel_support import bind, fmt, parse_error, roundtrip, section

HVM_OS = """  <os firmware='efi'>
    <type arch='x86_64' machine='q35'>hvm</type>
    <bootmenu enable='yes' timeout='3000'/>
    <boot dev='network'/>
    <boot dev='hd'/>
    <smbios mode='sysinfo'/>
    <bios useserial='yes' rebootTimeout='0'/>
    <acpi><table type='slic'>/path/slic.dat</table></acpi>
    <cmdline>console=ttyS0</cmdline>
    <kernel>/boot/vmlinuz</kernel>
    <initrd>/boot/initrd</initrd>
    <nvram template='/t.fd'>/var/vars.fd</nvram>
    <loader readonly='yes' secure='no' type='pflash'>/code.fd</loader>
    <firmware><feature enabled='no' name='secure-boot'/><feature enabled='yes' name='enrolled-keys'/></firmware>
    <init>/bin/sh</init>
  </os>
"""


def test_hvm_os_order() -> None:
    # <init> is not read for hvm guests; firmware features in libvirt's enum order
    assert roundtrip(HVM_OS, "os") == """  <os firmware='efi'>
    <type arch='x86_64' machine='q35'>hvm</type>
    <firmware>
      <feature enabled='yes' name='enrolled-keys'/>
      <feature enabled='no' name='secure-boot'/>
    </firmware>
    <loader readonly='yes' secure='no' type='pflash'>/code.fd</loader>
    <nvram template='/t.fd'>/var/vars.fd</nvram>
    <kernel>/boot/vmlinuz</kernel>
    <initrd>/boot/initrd</initrd>
    <cmdline>console=ttyS0</cmdline>
    <acpi>
      <table type='slic'>/path/slic.dat</table>
    </acpi>
    <boot dev='network'/>
    <boot dev='hd'/>
    <bootmenu enable='yes' timeout='3000'/>
    <bios useserial='yes' rebootTimeout='0'/>
    <smbios mode='sysinfo'/>
  </os>
"""


def test_exe_os_reads_init_options_only() -> None:
    body = ("  <os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg><initenv name='A'>b&amp;c</initenv>"
            "<initdir>/</initdir><inituser>u</inituser><initgroup>g</initgroup><kernel>/k</kernel>"
            "<boot dev='hd'/></os>\n")
    assert roundtrip(body, "os") == """  <os>
    <type>exe</type>
    <init>/bin/sh</init>
    <initarg>-c</initarg>
    <initenv name='A'>b&c</initenv>
    <initdir>/</initdir>
    <inituser>u</inituser>
    <initgroup>g</initgroup>
  </os>
"""


def test_bootloader_hides_boot_devices_and_xen_linux() -> None:
    dom = bind("  <bootloader>/usr/bin/pygrub</bootloader>\n  <bootloader_args>-q</bootloader_args>\n"
               "  <os><type>linux</type><boot dev='hd'/><kernel>/k</kernel></os>\n")
    out = fmt(dom)
    # 'linux' on kvm: no boot option is read
    assert section(out, "os") == "  <os>\n    <type>linux</type>\n  </os>\n"
    assert "  <bootloader>/usr/bin/pygrub</bootloader>\n  <bootloader_args>-q</bootloader_args>\n  <os>" in out
    hvm = bind("  <bootloader>/b</bootloader>\n  <os><type>hvm</type><boot dev='cdrom'/>"
               "<bootmenu enable='yes'/></os>\n")
    # with a bootloader the boot devices and boot menu are kept but not written
    assert [b.dev for b in hvm.os.boot] == ["cdrom"]
    assert section(fmt(hvm), "os") == "  <os>\n    <type>hvm</type>\n  </os>\n"


def test_xen_paravirt() -> None:
    from lxml import etree

    from virtxml.binding import ParseContext
    from virtxml.flags import ParseFlags
    from virtxml.model import Domain

    text = ("<domain type='xen'><name>x</name><bootloader>/b</bootloader>"
            "<os><type>linux</type><kernel>/k</kernel><boot dev='hd'/></os></domain>")
    dom = Domain._xml_parse(etree.fromstring(text), ParseContext(ParseFlags.INACTIVE))
    assert dom.os.type.type == "xen"
    out = fmt(dom)
    assert "    <type>linux</type>\n    <kernel>/k</kernel>\n  </os>" in out
    assert "<boot dev" not in out


def test_nvram_source() -> None:
    body = ("  <os><type>hvm</type><loader type='pflash'>/c.fd</loader>"
            "<nvram type='network'><source protocol='nbd' name='bar'><host name='example.org' port='6000'/>"
            "</source></nvram></os>\n")
    assert roundtrip(body, "os") == """  <os>
    <type>hvm</type>
    <loader type='pflash'>/c.fd</loader>
    <nvram type='network'>
      <source protocol='nbd' name='bar'>
        <host name='example.org' port='6000'/>
      </source>
    </nvram>
  </os>
"""


def test_bios_lax_useserial_and_bootmenu_timeout() -> None:
    body = "  <os><type>hvm</type><bootmenu enable='no' timeout='x'/><bios useserial='sure'/></os>\n"
    # an unknown useserial becomes 'no'; the timeout is only read with enable='yes'
    assert roundtrip(body, "os") == \
        "  <os>\n    <type>hvm</type>\n    <bootmenu enable='no'/>\n    <bios useserial='no'/>\n  </os>\n"


@pytest.mark.parametrize("body,msg", [
    ("<os><type>hvm</type><boot dev='usb'/></os>", "Invalid value for attribute 'dev' in element 'boot': 'usb'."),
    ("<os><type>hvm</type><boot/></os>", "Missing required attribute 'dev' in element 'boot'"),
    ("<os><type>hvm</type><bootmenu enable='maybe'/></os>",
     "Invalid value for attribute 'enable' in element 'bootmenu': 'maybe'."),
    ("<os firmware='uefi'><type>hvm</type></os>", "unknown firmware value uefi"),
    ("<os><type>hvm</type><smbios mode='fake'/></os>", "unknown smbios mode 'fake'"),
    ("<os><type>hvm</type><bios rebootTimeout='soon'/></os>",
     "Invalid value for attribute 'rebootTimeout' in element 'bios': 'soon'. Expected integer value"),
    ("<os><type>hvm</type><bootmenu enable='yes' timeout='x'/></os>",
     "Invalid value for attribute 'timeout' in element 'bootmenu': 'x'. Expected non-negative integer value"),
    ("<os><type>hvm</type><loader type='flash'>/x</loader></os>",
     "Invalid value for attribute 'type' in element 'loader': 'flash'."),
    ("<os><type>hvm</type><loader readonly='1'>/x</loader></os>",
     "Invalid value for attribute 'readonly' in element 'loader': '1'."),
    ("<os><type>hvm</type><firmware><feature name='secure-boot'/></firmware></os>",
     "Missing required attribute 'enabled' in element 'feature'"),
    ("<os><type>hvm</type><firmware><feature enabled='yes' name='smm'/></firmware></os>",
     "Invalid value for attribute 'name' in element 'feature': 'smm'."),
    ("<os><type>hvm</type><acpi><table type='dsdt'>/x</table></acpi></os>", "Unknown acpi table type: dsdt"),
    ("<os><type>hvm</type><acpi><table type='slic'>/x</table><table type='slic'>/y</table></acpi></os>",
     "Only one acpi table is supported"),
    ("<os><type>exe</type><initenv>x</initenv></os>", "No name supplied for <initenv> element"),
    ("<os><type>exe</type><initenv name='A'/></os>", "No value supplied for <initenv name='A'> element"),
    ("<os><type>exe</type><initarg/></os>", "No data supplied for <initarg> element"),
    ("<os><type arch='z80'>hvm</type></os>", "Unknown architecture z80"),
    ("<os><type>bsd</type></os>", "unknown OS type 'bsd'"),
])
def test_os_errors(body: str, msg: str) -> None:
    assert parse_error("  " + body + "\n") == msg


def test_idmap() -> None:
    body = ("  <idmap>\n    <gid start='0' target='1000' count='10'/>\n"
            "    <uid start='10' target='2000' count='5'/>\n    <uid start='0' target='1000' count='10'/>\n"
            "  </idmap>\n")
    assert roundtrip(body, "idmap") == """  <idmap>
    <uid start='0' target='1000' count='10'/>
    <uid start='10' target='2000' count='5'/>
    <gid start='0' target='1000' count='10'/>
  </idmap>
"""
    # the root-user and uid/gid-pairing rules are validation errors (after
    # the devices': oracle-checked), not parse errors
    from virtxml import api
    from virtxml.errors import ValidationError

    for frag, msg in (("<uid start='1' target='0' count='1'/><gid start='0' target='0' count='1'/>",
                       "You must map the root user of container"),
                      ("<uid start='0' target='0' count='1'/>", "uid and gid should be mapped both")):
        doc = ("<domain type='test'><name>a</name><memory>1024</memory><os><type>hvm</type></os>"
               f"<idmap>{frag}</idmap><devices/></domain>")
        api.bind(api.parse_bytes(doc.encode(), None))  # binds without error
        with pytest.raises(ValidationError) as ei:
            api.parse(doc, driver="test")
        assert ei.value.message == msg
    assert parse_error("  <idmap><uid start='0' target='x' count='1'/></idmap>\n") == \
        "invalid idmap start/target/count settings"
