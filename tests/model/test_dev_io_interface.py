"""<interface>: per-type parse rules, INACTIVE/ACTUAL_NET handling, format."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from virtxml.binding import ParseContext, to_xml
from virtxml.errors import ParseError
from virtxml.flags import FormatFlags, ParseFlags
from virtxml.model.devices.interface import Interface, parse_mac

MAC = "<mac address='52:54:00:11:22:33'/>"


def parse(xml: str, flags: int = 0, config: object = None) -> Interface:
    ctx = ParseContext(flags)
    if config is not None:
        ctx.data["parser_config"] = config
    return Interface._xml_parse(etree.fromstring(xml), ctx)


def fmt(xml: str, pflags: int = 0, fflags: int = 0) -> str:
    return to_xml(parse(xml, pflags), int(fflags))


def test_default_type_user_and_generated_mac() -> None:
    i = parse("<interface/>")
    assert i.type == "user" and i.mac_generated
    assert re.fullmatch(r"52:54:00(:[0-9a-f]{2}){3}", i.mac.address)


def test_mac_prefix_from_driver() -> None:
    class Cfg:
        mac_prefix = "00:16:3e"
        net_prefix = None

    assert parse("<interface type='user'/>", config=Cfg()).mac.address.startswith("00:16:3e:")


def test_mac_canonical_and_attrs() -> None:
    out = fmt("<interface type='user'><mac address='52:54:0:A:b:c' type='static' check='no'/></interface>")
    assert "<mac address='52:54:00:0a:0b:0c' type='static' check='no'/>" in out


@pytest.mark.parametrize("raw", ["52:54:00:11:22", "52:54:00:11:22:333", "zz:54:00:11:22:33", ""])
def test_bad_mac(raw: str) -> None:
    assert parse_mac(raw) is None
    with pytest.raises(ParseError, match="unable to parse mac address"):
        parse("<interface type='user'><mac address='%s'/></interface>" % raw)


def test_multicast_mac() -> None:
    with pytest.raises(ParseError) as ei:
        parse("<interface type='user'><mac address='01:00:5e:00:00:01'/></interface>")
    assert ei.value.message == "expected unicast mac address, found multicast '01:00:5e:00:00:01'"


def test_network_portid_inactive() -> None:
    xml = ("<interface type='network'>" + MAC + "<source network='default' portgroup='pg' "
           "portid='1AA8B6B4-7A6E-4E6E-A1D2-000000000001'/></interface>")
    assert parse(xml, ParseFlags.INACTIVE).source.portid is None
    live = parse(xml)
    assert live.source.portid == "1aa8b6b4-7a6e-4e6e-a1d2-000000000001"
    assert "portid='1aa8b6b4" in to_xml(live, 0)
    assert "portid" not in to_xml(live, int(FormatFlags.INACTIVE))


ACTUAL = ("<interface type='network'>" + MAC + "<source network='default'/>"
          "<actual type='bridge'><source bridge='virbr0'/></actual><target dev='vnet0'/>"
          "<model type='virtio'/></interface>")


def test_actual_only_with_actual_net() -> None:
    assert parse(ACTUAL).actual is None
    i = parse(ACTUAL, ParseFlags.STATUS | ParseFlags.ACTUAL_NET)
    assert i.actual is not None and i.actual.source.bridge == "virbr0"
    status = to_xml(i, int(FormatFlags.STATUS | FormatFlags.ACTUAL_NET))
    assert ("<source network='default'/>\n  <actual type='bridge'>\n    <source bridge='virbr0'/>\n"
            "  </actual>\n  <target dev='vnet0'/>") in status
    # live output reports the actual connection in place of the config
    live = to_xml(i, 0)
    assert live.startswith("<interface type='bridge'>")
    assert "<source network='default' bridge='virbr0'/>" in live and "<actual" not in live
    inactive = to_xml(i, int(FormatFlags.INACTIVE))
    assert inactive.startswith("<interface type='network'>") and "<actual" not in inactive


@pytest.mark.parametrize("dev,managed,kept", [("vnet0", None, False), ("macvtap3", None, False),
                                              ("macvlan1", None, False), ("vnet0", "no", True),
                                              ("mytap", None, True)])
def test_generated_target_names(dev: str, managed: str | None, kept: bool) -> None:
    m = "" if managed is None else " managed='%s'" % managed
    xml = "<interface type='ethernet'>" + MAC + "<target dev='%s'%s/></interface>" % (dev, m)
    i = parse(xml, ParseFlags.INACTIVE)
    assert (i.target is not None and i.target.dev == dev) is kept
    live = parse(xml)
    assert ("dev='%s'" % dev in to_xml(live, int(FormatFlags.INACTIVE))) is kept
    assert "dev='%s'" % dev in to_xml(live, 0)


def test_driver_net_prefix() -> None:
    class Cfg:
        mac_prefix = None
        net_prefix = "fwln"

    i = parse("<interface type='ethernet'>" + MAC + "<target dev='fwln3'/></interface>", ParseFlags.INACTIVE, Cfg())
    assert i.target is None


def test_virtio_driver() -> None:
    out = fmt("<interface type='user'>" + MAC + "<model type='VIRTIO'/><driver name='vhost' queues='1' "
              "iommu='on'><host csum='off'/><guest tso4='off'/></driver></interface>")
    assert ("<model type='virtio'/>\n  <driver name='vhost' iommu='on'>\n    <host csum='off'/>\n"
            "    <guest tso4='off'/>\n  </driver>") in out


def test_driver_ignored_for_non_virtio() -> None:
    assert "<driver" not in fmt("<interface type='user'>" + MAC + "<model type='e1000'/><driver name='qemu'/>"
                                "</interface>")


def test_hostdev_interface() -> None:
    out = fmt("<interface type='hostdev' managed='yes'>" + MAC + "<driver name='vfio'/><source>"
              "<address type='pci' domain='0' bus='6' slot='0x12' function='1'/></source></interface>")
    assert out == ("<interface type='hostdev' managed='yes'>\n  <mac address='52:54:00:11:22:33'/>\n"
                   "  <driver name='vfio'/>\n  <source>\n"
                   "    <address type='pci' domain='0x0000' bus='0x06' slot='0x12' function='0x1'/>\n"
                   "  </source>\n</interface>\n")


def test_direct_default_mode() -> None:
    assert "<source dev='eth0' mode='vepa'/>" in fmt("<interface type='direct'>" + MAC + "<source dev='eth0'/>"
                                                     "</interface>")


def test_virtualport_generated_ids() -> None:
    i = parse("<interface type='bridge'>" + MAC + "<source bridge='br0'/><virtualport type='openvswitch'/>"
              "</interface>")
    assert i.virtualport.interfaceid is not None
    assert "<virtualport type='openvswitch'>\n    <parameters interfaceid=" in to_xml(i, 0)


def test_vlan_and_bandwidth() -> None:
    out = fmt("<interface type='network'>" + MAC + "<source network='n'/><vlan><tag id='42'/><tag id='48' "
              "nativeMode='tagged'/></vlan><bandwidth><inbound average='10' floor='5' burst='1'/></bandwidth>"
              "</interface>")
    assert ("<vlan trunk='yes'>\n    <tag id='42'/>\n    <tag id='48' nativeMode='tagged'/>\n  </vlan>\n"
            "  <bandwidth>\n    <inbound average='10' floor='5' burst='1'/>\n  </bandwidth>") in out


def test_filterref_sorted() -> None:
    out = fmt("<interface type='bridge'>" + MAC + "<source bridge='br0'/><filterref filter='clean'>"
              "<parameter name='IP' value='10.0.0.2'/><parameter name='CTRL' value='x'/>"
              "<parameter name='IP' value='10.0.0.1'/><parameter name='bad-name' value='1'/></filterref>"
              "</interface>")
    assert ("<filterref filter='clean'>\n    <parameter name='CTRL' value='x'/>\n"
            "    <parameter name='IP' value='10.0.0.2'/>\n    <parameter name='IP' value='10.0.0.1'/>\n"
            "  </filterref>") in out


def test_filterref_not_for_user() -> None:
    assert "filterref" not in fmt("<interface type='user'>" + MAC + "<filterref filter='x'/></interface>")


def test_ips_and_routes() -> None:
    out = fmt("<interface type='ethernet'>" + MAC + "<ip address='2001:DB8::1' prefix='64'/>"
              "<route family='ipv4' address='192.168.0.0' prefix='16' gateway='192.168.1.1' metric='2'/>"
              "</interface>")
    assert "<ip address='2001:db8::1' family='ipv6' prefix='64'/>" in out
    assert "<route family='ipv4' address='192.168.0.0' prefix='16' gateway='192.168.1.1' metric='2'/>" in out


def test_misc_children_order() -> None:
    out = fmt("<interface type='user'>" + MAC + "<mtu size='1500'/><link state='down'/>"
              "<teaming type='transient' persistent='ua-x'/><tune><sndbuf>1600</sndbuf></tune>"
              "<coalesce><rx><frames max='7'/></rx></coalesce><backend type='passt' logFile='/l'/>"
              "<source dev='eth0'/><model type='virtio'/><boot order='1'/><rom bar='off'/></interface>")
    order = [m.group(1) for m in re.finditer(r"^  <(\w+)", out, re.M)]
    assert order == ["mac", "source", "model", "backend", "tune", "teaming", "link", "mtu", "coalesce", "boot",
                     "rom"]
    assert "<source dev='eth0'/>" in out  # user + passt


def test_device_info_order() -> None:
    out = fmt("<interface type='user'>" + MAC + "<address type='pci' domain='0' bus='0' slot='5' function='0'/>"
              "<acpi index='3'/><rom bar='off'/><alias name='ua-net0'/><boot order='2'/></interface>")
    order = [m.group(1) for m in re.finditer(r"^  <(\w+)", out, re.M)]
    assert order == ["mac", "boot", "alias", "rom", "acpi", "address"]


def test_user_source_dev_only_with_passt() -> None:
    assert "<source" not in fmt("<interface type='user'>" + MAC + "<source dev='eth0'/></interface>")


def test_port_forward() -> None:
    out = fmt("<interface type='user'>" + MAC + "<portForward proto='tcp' address='2001:db8:0::1' dev='eth0'>"
              "<range start='22' to='2022'/><range start='80' exclude='yes'/></portForward></interface>")
    assert ("<portForward proto='tcp' address='2001:db8::1' dev='eth0'>\n    <range start='22' to='2022'/>\n"
            "    <range start='80' exclude='yes'/>\n  </portForward>") in out


ERRORS = [
    ("<interface type='bogus'/>", "Invalid value for attribute 'type' in element 'interface': 'bogus'."),
    ("<interface type='network'/>", "interface type='network' requires a 'source' element"),
    ("<interface type='network'><source/></interface>", "Missing required attribute 'network' in element 'source'"),
    ("<interface type='bridge'><source/></interface>", "Missing required attribute 'bridge' in element 'source'"),
    ("<interface type='direct'><source dev='e' mode='x'/></interface>",
     "Invalid value for attribute 'mode' in element 'source': 'x'."),
    ("<interface type='vhostuser'><source type='tcp' path='/p' mode='client'/></interface>",
     "Type='tcp' unsupported for <interface type='vhostuser'>"),
    ("<interface type='vhostuser'><source type='unix' path='/p'/></interface>",
     "Missing required attribute 'mode' in element 'source'"),
    ("<interface type='udp'><source address='1.2.3.4' port='5'/></interface>",
     "'<local>' element missing for 'udp' socket interface"),
    ("<interface type='client'><source port='5'/></interface>",
     "Missing required attribute 'address' in element 'source'"),
    ("<interface type='mcast'><source address='1.2.3.4' port='x'/></interface>",
     "Invalid value for attribute 'port' in element 'source': 'x'. Expected integer value"),
    ("<interface type='user'><virtualport type='openvswitch'/></interface>",
     "<virtualport> element unsupported for <interface type='user'>"),
    ("<interface type='bridge'><source bridge='b'/><virtualport/></interface>", "missing required virtualport type"),
    ("<interface type='bridge'><source bridge='b'/><virtualport type='x'/></interface>",
     "unknown virtualport type x"),
    ("<interface type='network'><source network='n'/><virtualport><parameters managerid='300'/></virtualport>"
     "</interface>", "value of managerid out of range"),
    ("<interface type='network'><source network='n'/><vlan><tag id='x'/></vlan></interface>",
     "Invalid value for attribute 'id' in element 'tag': 'x'. Expected non-negative integer value"),
    ("<interface type='network'><source network='n'/><vlan><tag/></vlan></interface>",
     "Missing required attribute 'id' in element 'tag'"),
    ("<interface type='network'><source network='n'/><vlan><tag id='1' nativeMode='x'/></vlan></interface>",
     "Invalid value for attribute 'nativeMode' in element 'tag': 'x'."),
    ("<interface type='network'><source network='n'/><bandwidth><inbound average='1' peak='x'/></bandwidth>"
     "</interface>", "could not convert bandwidth peak value 'x'"),
    ("<interface type='network'><source network='n'/><bandwidth><outbound average='1' floor='1'/></bandwidth>"
     "</interface>", "'floor' attribute allowed only in <inbound> element"),
    ("<interface type='bridge'><source bridge='b'/><virtualport type='midonet'/></interface>",
     "missing interfaceid in <virtualport type='midonet'>"),
    ("<interface type='bridge'><source bridge='b'/><virtualport type='openvswitch'><parameters typeid='1'/>"
     "</virtualport></interface>", "extra typeid unsupported in <virtualport type='openvswitch'>"),
    ("<interface type='user'><ip address='1.2.3.4' prefix='x'/></interface>", "Invalid prefix value 'x' in <ip>"),
    ("<interface type='user'><ip address='1.2.3.4' peer='::1'/></interface>", "Invalid peer '::1' in <ip>"),
    ("<interface type='network'><source network='n'/><vlan/></interface>",
     "missing tag id - each <vlan> must have at least one <tag id='n'/> subelement"),
    ("<interface type='network'><source network='n'/><vlan><tag id='5000'/></vlan></interface>",
     "vlan tag id 5000 too large (maximum 4095)"),
    ("<interface type='network'><source network='n'/><vlan trunk='no'><tag id='1'/><tag id='2'/></vlan>"
     "</interface>", "invalid \"trunk='no'\" in <vlan> - trunk='yes' is required for more than one vlan tag"),
    ("<interface type='bridge'><source bridge='b'/><bandwidth><inbound floor='1'/></bandwidth></interface>",
     "floor attribute is not supported for this config"),
    ("<interface type='network'><source network='n'/><bandwidth><inbound peak='1'/></bandwidth></interface>",
     "Missing mandatory average or floor attributes"),
    ("<interface type='user'><model type='e1000 x'/></interface>", "Model name contains invalid characters"),
    ("<interface type='user'><link state='sideways'/></interface>", "unknown interface link state 'sideways'"),
    ("<interface type='user'><teaming persistent='x'/></interface>", "unknown teaming type '(null)'"),
    ("<interface type='user'><tune><sndbuf>x</sndbuf></tune></interface>", "sndbuf must be a positive integer"),
    ("<interface type='user'><mtu size='x'/></interface>", "malformed mtu size"),
    ("<interface type='user'><coalesce><rx><frames max='x'/></rx></coalesce></interface>",
     "cannot parse value 'x' for coalesce parameter"),
    ("<interface type='user'><model type='virtio'/><driver name='default'/></interface>",
     "Invalid value for attribute 'name' in element 'driver': 'default'."),
    ("<interface type='user'><model type='virtio'/><driver queues='-5'/></interface>",
     "Invalid value for attribute 'queues' in element 'driver': '-5'. Expected non-negative integer value"),
    ("<interface type='user'><backend type='default'/></interface>",
     "Invalid value for attribute 'type' in element 'backend': 'default'."),
    ("<interface type='user'><ip family='ipv4'/></interface>", "Missing required address in <ip>"),
    ("<interface type='user'><ip address='::1' family='ipv4'/></interface>", "Invalid address '::1' in <ip>"),
    ("<interface type='ethernet'><route address='192.168.1.0' prefix='24'/></interface>",
     "guest interface: Missing required gateway attribute in route definition"),
    ("<interface type='ethernet'><source><route address='192.168.1.1' prefix='24' gateway='192.168.1.254'/>"
     "</source></interface>", "interface host IP: Address '192.168.1.1' in route definition is not a network address"),
    ("<interface type='user'><portForward/></interface>",
     "Missing required attribute 'proto' in element 'portForward'"),
    ("<interface type='user'><portForward proto='tcp' address='x'/></interface>",
     "Invalid address 'x' in <portForward>"),
    ("<interface type='user'><portForward proto='tcp'><range start='0'/></portForward></interface>",
     "Invalid value for attribute 'start' in element 'range': Zero is not permitted"),
    ("<interface type='hostdev'><driver name='bogus'/><source><address type='pci' bus='1'/></source></interface>",
     "Invalid value for attribute 'name' in element 'driver': 'bogus'."),
    ("<interface type='hostdev'><source/></interface>", "missing source address type"),
    ("<interface type='hostdev'><source><address type='pci' slot='0x20'/></source></interface>",
     "Invalid PCI address slot='0x20', must be <= 0x1F"),
    ("<interface type='hostdev'><source><vendor id='0x1234'/></source></interface>", "missing product"),
]


@pytest.mark.parametrize("xml,message", ERRORS)
def test_errors(xml: str, message: str) -> None:
    with pytest.raises(ParseError) as ei:
        parse(xml)
    assert ei.value.message == message


def test_actual_class_id_and_contents() -> None:
    xml = ("<interface type='network'>" + MAC + "<source network='default'/><vlan><tag id='1'/></vlan>"
           "<actual type='direct'><source dev='eth0' mode='bridge'/><class id='5'/>"
           "<virtualport type='802.1Qbh'><parameters profileid='p'/></virtualport></actual></interface>")
    i = parse(xml, ParseFlags.STATUS | ParseFlags.ACTUAL_NET)
    status = to_xml(i, int(FormatFlags.STATUS_FILE))
    assert ("<actual type='direct'>\n    <source dev='eth0' mode='bridge'/>\n"
            "    <virtualport type='802.1Qbh'>") in status
    # the configured vlan is not reported inside <actual>
    assert status.count("<vlan>") == 1
    live = to_xml(i, 0)
    assert live.startswith("<interface type='direct'>")
    assert "<source network='default' dev='eth0' mode='bridge'/>" in live and "<vlan>" not in live
    bridge = parse(xml.replace("type='direct'><source dev='eth0' mode='bridge'/>",
                               "type='bridge'><source bridge='br0'/>").replace(
        "<virtualport type='802.1Qbh'><parameters profileid='p'/></virtualport>", ""),
        ParseFlags.STATUS | ParseFlags.ACTUAL_NET)
    assert "<class id='5'/>" in to_xml(bridge, int(FormatFlags.STATUS_FILE))
    assert "<class" not in to_xml(bridge, int(FormatFlags.ACTUAL_NET))
    with pytest.raises(ParseError, match="Unable to parse class id 'x'"):
        parse(xml.replace("<class id='5'/>", "").replace("type='direct'><source dev='eth0' mode='bridge'/>",
                                                          "type='bridge'><source bridge='b'/><class id='x'/>"),
              ParseFlags.STATUS | ParseFlags.ACTUAL_NET)
