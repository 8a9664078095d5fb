"""Document-level parse-time rules (virtxml.parserules) with libvirt's
texts."""

from __future__ import annotations

import re

import pytest

from virtxml import api
from virtxml.binding import ParseContext
from virtxml.errors import ParseError, VirtXMLError
from virtxml.flags import ParseFlags
from virtxml.parserules import generate_mac, map_host_arch, parse_uuid

BASE = """<domain type='{type}'{id}>
  {name}
  {uuid}
  <memory unit='KiB'>219136</memory>
  <vcpu>1</vcpu>
  {extra}
  <os>
    {ostype}
  </os>
  {lifecycle}
  <devices>
{devices}
  </devices>
</domain>"""


def mk(type: str = "qemu", id: str = "", name: str = "<name>vm</name>",
       uuid: str = "<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>", extra: str = "",
       ostype: str = "<type arch='x86_64'>hvm</type>", lifecycle: str = "", devices: str = "") -> str:
    return BASE.format(type=type, id=id, name=name, uuid=uuid, extra=extra, ostype=ostype,
                       lifecycle=lifecycle, devices=devices)


def bind(xml: str, flags: int = 0, driver: str = "generic", host_arch: str | None = "x86_64") -> object:
    from drivers import get_driver

    ctx = ParseContext(flags, None)
    if host_arch:
        ctx.data["host_arch"] = host_arch
    root, _ = api.load_tree(xml)
    return api.bind(root, flags=flags, parser_config=get_driver(driver), ctx=ctx)


def refused(xml: str, flags: int = 0, driver: str = "generic") -> str:
    with pytest.raises(VirtXMLError) as ei:
        bind(xml, flags, driver)
    return ei.value.message


# ------------------------------------------------------------------ id/name

def test_id_kept_live_dropped_inactive() -> None:
    assert bind(mk(id=" id='5'")).id == 5  # type: ignore[attr-defined]
    assert bind(mk(id=" id='5'"), ParseFlags.INACTIVE).id is None  # type: ignore[attr-defined]


def test_missing_name() -> None:
    assert refused(mk(name="")) == "missing name information"


# ---------------------------------------------------------------- uuid/genid

def test_uuid_generated_when_missing() -> None:
    dom = bind(mk(uuid=""))
    assert dom.uuid_generated  # type: ignore[attr-defined]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", dom.uuid)  # type: ignore[attr-defined]


def test_uuid_canonicalised_and_malformed() -> None:
    dom = bind(mk(uuid="<uuid>C7A5FDBDEDAF9455926AD65C16DB1809</uuid>"))
    assert dom.uuid == "c7a5fdbd-edaf-9455-926a-d65c16db1809"  # type: ignore[attr-defined]
    assert refused(mk(uuid="<uuid>c7a5fdbd-zzzz</uuid>")) == "malformed uuid element"


def test_parse_uuid() -> None:
    assert parse_uuid(" c7a5fdbd-edaf-9455-926a-d65c16db1809 ") == "c7a5fdbd-edaf-9455-926a-d65c16db1809"
    assert parse_uuid("c7a5fdbd-edaf-9455-926a-d65c16db180") is None
    assert parse_uuid("c7 a5 fd bd-ed af 94--55 926ad65c16db1809\n") == "c7a5fdbd-edaf-9455-926a-d65c16db1809"
    assert parse_uuid("c-7a5fdbdedaf9455926ad65c16db1809") is None
    assert parse_uuid("c7a5fdbd-edaf-9455-926a-d65c16db18099") is None


SYSINFO = """<sysinfo type='smbios'><system><entry name='uuid'>{}</entry></system></sysinfo>"""


def test_sysinfo_uuid_replaces_generated() -> None:
    dom = bind(mk(uuid="", extra=SYSINFO.format("11111111-2222-3333-4444-555555555555")))
    assert dom.uuid == "11111111-2222-3333-4444-555555555555"  # type: ignore[attr-defined]


def test_sysinfo_uuid_mismatch_and_malformed() -> None:
    assert refused(mk(extra=SYSINFO.format("11111111-2222-3333-4444-555555555555"))) == \
        "UUID mismatch between <uuid> and <sysinfo>"
    assert refused(mk(extra=SYSINFO.format("nope"))) == "malformed <sysinfo> uuid element"
    # equal: accepted
    bind(mk(extra=SYSINFO.format("c7a5fdbd-edaf-9455-926a-d65c16db1809")))


def test_genid() -> None:
    dom = bind(mk(extra="<genid/>"))
    assert dom.genid_generated and dom.genid  # type: ignore[attr-defined]
    dom = bind(mk(extra="<genid>c7a5fdbd-edaf-9455-926a-d65c16db1809</genid>"))
    assert not dom.genid_generated  # type: ignore[attr-defined]
    assert refused(mk(extra="<genid/><genid/>")) == "element 'genid' can only appear once"


# ------------------------------------------------------------ type/os/arch

def test_missing_domain_type() -> None:
    assert refused(mk().replace(" type='qemu'", "", 1)) == "missing domain type attribute"


def test_os_type_rules() -> None:
    assert refused(mk(ostype="")) == "an os <type> must be specified"
    dom = bind(mk(ostype="", extra="<bootloader>/usr/bin/pygrub</bootloader>"))
    assert dom.os.type.type == "xen"  # type: ignore[attr-defined]
    dom = bind(mk(type="xen", ostype="<type>linux</type>"))
    assert dom.os.type.type == "xen"  # type: ignore[attr-defined]
    dom = bind(mk(type="qemu", ostype="<type>linux</type>"))
    assert dom.os.type.type == "linux"  # type: ignore[attr-defined]
    assert refused(mk(ostype="<type>dos</type>")) == "unknown OS type 'dos'"


def test_arch_defaults() -> None:
    # driver defArch first (test driver: i686) ...
    assert bind(mk(ostype="<type>hvm</type>"), driver="test").os.type.arch == "i686"  # type: ignore[attr-defined]
    # ... else the host's arch
    assert bind(mk(ostype="<type>hvm</type>"), host_arch="aarch64").os.type.arch == "aarch64"  # type: ignore[attr-defined]
    assert refused(mk(ostype="<type arch='z80'>hvm</type>")) == "Unknown architecture z80"


def test_map_host_arch() -> None:
    assert map_host_arch("i586") == "i686"
    assert map_host_arch("amd64") == "x86_64"
    assert map_host_arch("arm64") == "aarch64"
    assert map_host_arch("ppc64le") == "ppc64le"


# ---------------------------------------------------------------- misc

def test_title_newline() -> None:
    assert refused(mk(extra="<title>a\nb</title>")) == "Domain title can't contain newlines"


def test_resource_once() -> None:
    r = "<resource><partition>/a</partition></resource>"
    assert refused(mk(extra=r + r)) == "only one resource element is supported"


def test_lifecycle_defaults_and_errors() -> None:
    dom = bind(mk())
    assert (dom.on_poweroff, dom.on_reboot, dom.on_crash) == ("destroy", "restart", "destroy")  # type: ignore[attr-defined]
    assert refused(mk(lifecycle="<on_reboot>explode</on_reboot>")) == "unknown on_reboot action: explode"


USB = "<controller type='usb' index='0' model='{}'/>"


def test_usb_controller_rules() -> None:
    msg = "Can't add another USB controller: USB is disabled for this domain"
    assert refused(mk(devices=USB.format("none") + USB.format("none"))) == msg
    assert refused(mk(devices=USB.format("piix3-uhci") + USB.format("none"))) == msg
    assert refused(mk(devices=USB.format("none") + USB.format("piix3-uhci"))) == msg
    companion = "<controller type='usb' index='0' model='ich9-uhci1'><master startport='0'/></controller>"
    assert refused(mk(devices=companion)) == "No master USB controller specified"
    bind(mk(devices=USB.format("ich9-ehci1") + companion))


def test_generated_mac_uses_driver_prefix() -> None:
    iface = "<interface type='user'/>"
    dom = bind(mk(devices=iface))
    mac = dom.devices.interfaces[0].mac  # type: ignore[attr-defined]
    addr = mac if isinstance(mac, str) else mac.address
    assert addr.startswith("52:54:00:")
    assert re.fullmatch(r"(?:[0-9a-f]{2}:){5}[0-9a-f]{2}", generate_mac("00:16:3e"))
    assert generate_mac("00:16:3e").startswith("00:16:3e:")


def test_user_alias_inactive_depends_on_driver() -> None:
    dev = "<memballoon model='virtio'><alias name='ua-balloon'/></memballoon>"
    # test driver has USER_ALIAS: kept
    dom = bind(mk(devices=dev), ParseFlags.INACTIVE, driver="test")
    assert dom.devices.memballoon.alias.name == "ua-balloon"  # type: ignore[attr-defined]
    # the generic parser config has not: dropped
    dom = bind(mk(devices=dev), ParseFlags.INACTIVE, driver="generic")
    assert dom.devices.memballoon.alias is None  # type: ignore[attr-defined]
    # live parse: kept
    dom = bind(mk(devices=dev), 0, driver="generic")
    assert dom.devices.memballoon.alias.name == "ua-balloon"  # type: ignore[attr-defined]


def test_primary_video_first_and_unique() -> None:
    v1 = "<video><model type='vga'/></video>"
    v2 = "<video><model type='qxl' primary='yes'/></video>"
    dom = bind(mk(devices=v1 + v2))
    assert [v.model.type for v in dom.devices.videos] == ["qxl", "vga"]  # type: ignore[attr-defined]
    # a second primary one is inserted at index 0 too: refused by validation, not the parser
    v3 = "<video><model type='vga' primary='yes'/></video>"
    dom = bind(mk(devices=v2 + v1 + v3))
    assert [v.model.type for v in dom.devices.videos] == ["vga", "qxl", "vga"]  # type: ignore[attr-defined]


def test_input_bus_default() -> None:
    dom = bind(mk(devices="<input type='mouse'/><input type='tablet'/>"))
    assert [i.bus for i in dom.devices.inputs] == ["ps2", "usb"]  # type: ignore[attr-defined]
    dom = bind(mk(type="xen", ostype="<type>xen</type>", devices="<input type='mouse'/>"))
    assert [i.bus for i in dom.devices.inputs] == ["xen"]  # type: ignore[attr-defined]


def test_errors_are_parse_errors() -> None:
    with pytest.raises(ParseError):
        bind(mk(name=""))


def test_clock_and_devices_always_present() -> None:
    xml = mk().replace("<devices>\n\n  </devices>", "")
    dom = bind(xml)
    out = api.format(dom, 1)
    assert "<clock offset='utc'/>" in out
    assert "  <devices>\n  </devices>\n" in out


def test_resctrl_vcpus_cut_to_max_vcpus() -> None:
    ct = ("<cputune><cachetune vcpus='0-3'><cache id='0' level='3' type='both' size='3' unit='MiB'/>"
          "</cachetune><cachetune vcpus='100'><cache id='1' level='3' type='both' size='3' unit='MiB'/>"
          "</cachetune></cputune>")
    dom = bind(mk(extra=ct).replace("<vcpu>1</vcpu>", "<vcpu>2</vcpu>"))
    assert [c.vcpus for c in dom.cputune.cachetunes] == [(0, 1)]  # type: ignore[attr-defined]


def test_controllers_inserted_in_index_order() -> None:
    devs = ("<controller type='usb' index='0' model='ich9-uhci1'/>"
            "<controller type='pci' index='0' model='pci-root'/>"
            "<controller type='usb' index='1' model='ich9-ehci1'/>"
            "<controller type='usb' index='0' model='ich9-ehci1'/>"
            "<controller type='pci' index='1' model='pci-bridge'/>")
    dom = bind(mk(devices=devs))
    got = [(c.type, c.index, c.model) for c in dom.devices.controllers]  # type: ignore[attr-defined]
    # each goes after the last of its type with a lower index; an EHCI
    # master before its UHCI companions of the same index
    assert got == [("usb", 0, "ich9-ehci1"), ("usb", 0, "ich9-uhci1"), ("usb", 1, "ich9-ehci1"),
                   ("pci", 0, "pci-root"), ("pci", 1, "pci-bridge")]


def test_usb_disabled_rules() -> None:
    none = "<controller type='usb' index='0' model='none'/>"
    assert refused(mk(devices=none + "<input type='tablet' bus='usb'/>")) == \
        "Can't add USB input device. USB bus is disabled"
    assert refused(mk(devices=none + "<hub type='usb'/>")) == "Can't add USB hub: USB is disabled for this domain"
    bind(mk(devices=none + "<input type='mouse' bus='ps2'/>"))
