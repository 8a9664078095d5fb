"""Device info pieces (virtxml.model.devices.info): addresses, alias, boot, rom."""

from __future__ import annotations

import pytest
from lxml import etree

from virtxml.binding import ParseContext, to_xml
from virtxml.errors import ParseError
from virtxml.flags import ParseFlags
from virtxml.model.devices.info import (ROM, Address, AddressCCW, AddressPCI, AddressUSB, Alias,
                                        Boot)


def parse(cls, text, flags=0):
    return cls._xml_parse(etree.fromstring(text), ParseContext(flags))


@pytest.mark.parametrize("src,out", [
    ("<address type='pci' domain='0' bus='1' slot='0x1f' function='7' multifunction='on'/>",
     "<address type='pci' domain='0x0000' bus='0x01' slot='0x1f' function='0x7' multifunction='on'/>"),
    ("<address type='pci'/>", "<address type='pci'/>"),
    ("<address type='pci' domain='0' bus='0' slot='0' function='0' multifunction='on'/>",
     "<address type='pci' multifunction='on'/>"),
    ("<address type='drive' unit='1'/>", "<address type='drive' controller='0' bus='0' target='0' unit='1'/>"),
    ("<address type='virtio-serial' port='2'/>", "<address type='virtio-serial' controller='0' bus='0' port='2'/>"),
    ("<address type='ccid' controller='0' slot='0'/>", "<address type='ccid' controller='0' slot='0'/>"),
    ("<address type='usb' bus='0' port='1.2.3'/>", "<address type='usb' bus='0' port='1.2.3'/>"),
    ("<address type='usb' bus='1' port='0'/>", "<address type='usb' bus='1'/>"),
    ("<address type='spapr-vio' reg='0x2000'/>", "<address type='spapr-vio' reg='0x00002000'/>"),
    ("<address type='ccw' cssid='0xfe' ssid='0' devno='0x1'/>",
     "<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0001'/>"),
    ("<address type='isa' iobase='0x505' irq='4'/>", "<address type='isa' iobase='0x505' irq='0x4'/>"),
    ("<address type='dimm' slot='1' base='0x100000000'/>", "<address type='dimm' slot='1' base='0x100000000'/>"),
    ("<address type='virtio-mmio'/>", "<address type='virtio-mmio'/>"),
    ("<address type='unassigned'/>", "<address type='unassigned'/>"),
])
def test_address_roundtrip(src, out):
    a = parse(Address, src)
    assert isinstance(a, Address)
    assert to_xml(a).strip() == out


def test_zpci():
    a = parse(Address, "<address type='pci' domain='0' bus='0' slot='1' function='0'><zpci uid='0x3' fid='9'/></address>")
    assert isinstance(a, AddressPCI)
    assert to_xml(a) == ("<address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'>\n"
                         "  <zpci uid='0x0003' fid='0x00000009'/>\n</address>\n")


@pytest.mark.parametrize("src,msg", [
    ("<address/>", "No type specified for device address"),
    ("<address type='bogus'/>", "unknown address type 'bogus'"),
    ("<address type='pci' slot='0x20'/>", "Invalid PCI address slot='0x20', must be <= 0x1F"),
    ("<address type='ccw' cssid='0xfe'/>", "Invalid partial specification for virtio ccw address"),
    ("<address type='usb' port='1.x'/>", "Cannot parse <address> 'port' attribute"),
    ("<address type='virtio-s390'/>", "virtio-s390 bus doesn't have an address"),
])
def test_address_errors(src, msg):
    with pytest.raises(ParseError) as ei:
        parse(Address, src)
    assert ei.value.message == msg


def test_usb_port_tuple():
    a = parse(Address, "<address type='usb' bus='0' port='2.1'/>")
    assert isinstance(a, AddressUSB) and a.port == (2, 1) and a.ports == (2, 1)
    assert AddressUSB(port=[1, 2]).port == (1, 2)
    assert isinstance(parse(Address, "<address type='ccw' cssid='1' ssid='0' devno='2'/>"), AddressCCW)


def test_alias_inactive_rule():
    assert parse(Alias, "<alias name='net0'/>", ParseFlags.INACTIVE) is None
    assert parse(Alias, "<alias name='ua-bad.char'/>", ParseFlags.INACTIVE) is None
    ua = parse(Alias, "<alias name='ua-disk1'/>", ParseFlags.INACTIVE)
    assert ua is not None and ua.user and to_xml(ua) == "<alias name='ua-disk1'/>\n"
    live = parse(Alias, "<alias name='net0'/>")
    assert live is not None and not live.user and to_xml(live) == "<alias name='net0'/>\n"
    assert parse(Alias, "<alias/>") is None


def test_boot_and_rom():
    b = parse(Boot, "<boot order='2' loadparm='abc.1'/>")
    assert (b.order, b.loadparm) == (2, "ABC.1")
    assert to_xml(b) == "<boot order='2' loadparm='ABC.1'/>\n"
    for src, msg in [("<boot/>", "Missing required attribute 'order' in element 'boot'"),
                     ("<boot order='0'/>", "Invalid value for attribute 'order' in element 'boot': Zero is not permitted"),
                     ("<boot order='x'/>",
                      "Invalid value for attribute 'order' in element 'boot': 'x'. Expected non-negative integer value"),
                     ("<boot order='1' loadparm='loadparm1'/>",
                      "loadparm value 'LOADPARM1' must be between 1 and 8 characters"),
                     ("<boot order='1' loadparm='sys1?'/>",
                      "invalid loadparm value 'SYS1?', expecting chars in set of [a-zA-Z0-9.] and blank spaces")]:
        with pytest.raises(ParseError) as ei:
            parse(Boot, src)
        assert ei.value.message == msg
    r = parse(ROM, "<rom bar='on' file='/x' enabled='yes'/>")
    assert to_xml(r) == "<rom enabled='yes' bar='on' file='/x'/>\n"
    with pytest.raises(ParseError) as ei:
        parse(ROM, "<rom enabled='no' bar='off'/>")
    assert ei.value.message == "ROM tuning is not supported when ROM is disabled"
