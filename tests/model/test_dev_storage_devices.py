"""<controller>, <lease>, <hub>, <filesystem>, <hostdev>, <redirdev>,
<redirfilter>, <smartcard>: parse-time rules and flag-dependent output."""

from __future__ import annotations

import pytest
from lxml import etree

from virtxml.binding import ParseContext, to_xml
from virtxml.errors import ParseError
from virtxml.flags import FormatFlags, ParseFlags
from virtxml.model.devices import (Controller, Filesystem, Hostdev, Hub, Lease, Redirdev, RedirFilter,
                                   Smartcard)
from virtxml.model.devices.hostdev import HostdevSourcePCI, HostdevSourceSCSI, HostdevSourceUSB

F = int(FormatFlags.SECURE | FormatFlags.INACTIVE)


def parse(cls, text: str, flags: int = 0, ctx: ParseContext | None = None):
    return cls._xml_parse(etree.fromstring(text), ctx or ParseContext(flags))


def err(cls, text: str, flags: int = 0) -> str:
    with pytest.raises(ParseError) as ei:
        parse(cls, text, flags)
    return ei.value.message


# ------------------------------------------------------------ controller

def test_controller_pci_layout() -> None:
    c = parse(Controller, "<controller type='pci' index='1' model='pcie-root-port'>"
                          "<address type='pci' domain='0' bus='0' slot='2' function='0' multifunction='on'/>"
                          "<target chassis='1' port='0x10' hotplug='off'><node>0</node></target>"
                          "<model name='pcie-root-port'/><alias name='ua-p'/></controller>")
    assert to_xml(c, F) == (
        "<controller type='pci' index='1' model='pcie-root-port'>\n"
        "  <model name='pcie-root-port'/>\n"
        "  <target chassis='1' port='0x10' hotplug='off'>\n    <node>0</node>\n  </target>\n"
        "  <alias name='ua-p'/>\n"
        "  <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/>\n"
        "</controller>\n")


def test_controller_type_specific_attributes() -> None:
    ctx = ParseContext(0)
    c = parse(Controller, "<controller type='scsi' index='0' ports='4' vectors='2' model='virtio-scsi'>"
                          "<driver queues='4' iothread='2' iommu='on'/><pcihole64>1</pcihole64></controller>",
              ctx=ctx)
    assert c.ports is None and c.vectors is None and c.pcihole64 is None
    assert sorted(w for _l, _p, w in ctx.ignored) == ["@ports", "@vectors", "element"]
    assert to_xml(c, F) == ("<controller type='scsi' index='0' model='virtio-scsi'>\n"
                            "  <driver queues='4' iothread='2' iommu='on'/>\n</controller>\n")
    vs = parse(Controller, "<controller type='virtio-serial' index='0' ports='16' vectors='4'/>")
    assert to_xml(vs, F) == "<controller type='virtio-serial' index='0' ports='16' vectors='4'/>\n"
    root = parse(Controller, "<controller type='pci' index='0' model='pci-root'>"
                             "<pcihole64 unit='MiB'>1</pcihole64></controller>")
    assert "<pcihole64 unit='KiB'>1024</pcihole64>" in to_xml(root, F)
    usb = parse(Controller, "<controller type='usb' index='0' model='ich9-uhci1'><master startport='2'/>"
                            "</controller>")
    assert to_xml(usb, F) == ("<controller type='usb' index='0' model='ich9-uhci1'>\n"
                              "  <master startport='2'/>\n</controller>\n")


def test_controller_errors() -> None:
    assert err(Controller, "<controller type='usb' model='bogus'/>") == "Unknown model type 'bogus'"
    assert err(Controller, "<controller type='pci' index='-1' model='pci-bridge'/>") == \
        "Invalid value for attribute 'index' in element 'controller': '-1'. Expected non-negative value"
    assert err(Controller, "<controller type='usb' index='0' ports='-1'/>") == \
        "Invalid value for attribute 'ports' in element 'controller': '-1'. Expected non-negative value"
    assert err(Controller, "<controller type='foo'/>") == \
        "Invalid value for attribute 'type' in element 'controller': 'foo'."


def test_controller_target_rules() -> None:
    assert err(Controller, "<controller type='pci' index='1' model='pcie-root-port'><target chassis='-2'/>"
                           "</controller>") == \
        "Invalid value for attribute 'chassis' in element 'target': '-2'. Expected non-negative value"
    z = parse(Controller, "<controller type='pci' index='0' model='pci-root'><pcihole64>0</pcihole64></controller>")
    assert to_xml(z, F) == ("<controller type='pci' index='0' model='pci-root'>\n"
                            "  <pcihole64 unit='KiB'>0</pcihole64>\n</controller>\n")


def test_controller_target_node_error() -> None:
    assert err(Controller, "<controller type='pci' index='1' model='pcie-root-port'><target><node>x</node>"
                           "</target></controller>") == "invalid NUMA node in target"


def test_controller_boot_is_ignored() -> None:
    ctx = ParseContext(0)
    c = parse(Controller, "<controller type='ide' index='0'><boot order='1'/></controller>", ctx=ctx)
    assert to_xml(c, F) == "<controller type='ide' index='0'/>\n"
    assert ctx.ignored and ctx.ignored[0][2] == "element"


# --------------------------------------------------------------- lease/hub

def test_lease_and_hub() -> None:
    le = parse(Lease, "<lease><target path='/p' offset='0'/><key>k</key><lockspace>ls</lockspace></lease>")
    assert to_xml(le, F) == "<lease>\n  <lockspace>ls</lockspace>\n  <key>k</key>\n  <target path='/p'/>\n</lease>\n"
    assert err(Lease, "<lease><target path='/p'/></lease>") == "Missing 'key' element for lease"
    # libvirt 9.0 sets no message for these (checked)
    assert err(Lease, "<lease><key>k</key></lease>") == "An error occurred, but the cause is unknown"
    assert err(Lease, "<lease><key>k</key><target path='/p' offset='-1'/></lease>") == \
        "An error occurred, but the cause is unknown"
    # with a lockspace: libvirt's own texts (oracle-checked), key, target, path, then offset
    assert err(Lease, "<lease><lockspace>l</lockspace><key>k</key></lease>") == "Missing 'target' element for lease"
    assert err(Lease, "<lease><lockspace>l</lockspace><key>k</key><target offset='x'/></lease>") == \
        "Missing 'path' attribute to 'target' element for lease"
    assert err(Lease, "<lease><lockspace>l</lockspace><key>k</key><target path='/p' offset='-1'/></lease>") == \
        "Invalid value for attribute 'offset' in element 'target': '-1'. Expected non-negative integer value"
    hub = parse(Hub, "<hub type='usb'><address type='usb' bus='0' port='1.2'/></hub>")
    assert to_xml(hub, F) == "<hub type='usb'>\n  <address type='usb' bus='0' port='1.2'/>\n</hub>\n"
    assert to_xml(parse(Hub, "<hub type='usb'/>"), F) == "<hub type='usb'/>\n"
    assert err(Hub, "<hub/>") == "missing hub device type"


# ------------------------------------------------------------ filesystem

def test_filesystem_virtiofs_layout() -> None:
    fs = parse(Filesystem, "<filesystem type='mount' accessmode='passthrough'>"
                           "<binary path='/usr/libexec/virtiofsd' xattr='on'><lock posix='off' flock='off'/>"
                           "<thread_pool size='16'/><sandbox mode='chroot'/><cache mode='always'/></binary>"
                           "<driver type='virtiofs' queue='1024' iommu='on'/>"
                           "<source dir='/path'/><target dir='mount_tag'/><boot order='2'/></filesystem>")
    assert to_xml(fs, F) == (
        "<filesystem type='mount' accessmode='passthrough'>\n"
        "  <driver type='virtiofs' queue='1024' iommu='on'/>\n"
        "  <binary path='/usr/libexec/virtiofsd' xattr='on'>\n"
        "    <cache mode='always'/>\n    <sandbox mode='chroot'/>\n    <lock posix='off' flock='off'/>\n"
        "    <thread_pool size='16'/>\n  </binary>\n"
        "  <source dir='/path'/>\n  <target dir='mount_tag'/>\n  <boot order='2'/>\n</filesystem>\n")


def test_filesystem_binary_only_for_virtiofs_and_source_per_type() -> None:
    ctx = ParseContext(0)
    fs = parse(Filesystem, "<filesystem type='mount'><driver type='path' queue='4'/><binary path='/x'/>"
                           "<source dir='/a' file='/b'/><target dir='/t'/></filesystem>", ctx=ctx)
    assert fs.binary is None and fs.driver is not None and fs.driver.queue is None
    assert {w for _l, _p, w in ctx.ignored} == {"element", "@queue", "@file"}
    assert to_xml(fs, F) == ("<filesystem type='mount'>\n  <driver type='path'/>\n  <source dir='/a'/>\n"
                             "  <target dir='/t'/>\n</filesystem>\n")


def test_filesystem_ram_and_limits() -> None:
    fs = parse(Filesystem, "<filesystem type='ram'><source usage='1048576' units='bytes'/><target dir='/m'/>"
                           "<space_hard_limit unit='KiB'>2</space_hard_limit>"
                           "<space_soft_limit>100</space_soft_limit></filesystem>")
    assert to_xml(fs, F) == ("<filesystem type='ram'>\n  <source usage='1024' units='KiB'/>\n  <target dir='/m'/>\n"
                             "  <space_hard_limit unit='bytes'>2048</space_hard_limit>\n"
                             "  <space_soft_limit unit='bytes'>100</space_soft_limit>\n</filesystem>\n")
    assert parse(Filesystem, "<filesystem type='ram'><source usage='1'/><target dir='/m'/></filesystem>"
                 ).source.usage == 1024


def test_filesystem_errors_ram() -> None:
    assert err(Filesystem, "<filesystem type='ram'><target dir='/b'/></filesystem>") == \
        "missing 'usage' attribute for RAM filesystem"
    assert err(Filesystem, "<filesystem type='ram'><source usage='x'/><target dir='/b'/></filesystem>") == \
        "cannot parse usage 'x' for RAM filesystem"


def test_usb_hostdev_empty_source_not_written() -> None:
    h = parse(Hostdev, "<hostdev mode='subsystem' type='usb'><source><address bus='0' device='0'/></source></hostdev>")
    assert to_xml(h, F) == "<hostdev mode='subsystem' type='usb' managed='no'>\n</hostdev>\n"


def test_filesystem_errors() -> None:
    assert err(Filesystem, "<filesystem><target dir='/t'/></filesystem>") == \
        "missing source information for device /t"
    assert err(Filesystem, "<filesystem><source dir='/s'/></filesystem>") == \
        "missing target information for device /s"
    assert err(Filesystem, "<filesystem type='nope'/>") == \
        "Invalid value for attribute 'type' in element 'filesystem': 'nope'."
    assert err(Filesystem, "<filesystem model='default'><source dir='/a'/><target dir='/b'/></filesystem>") == \
        "Invalid value for attribute 'model' in element 'filesystem': 'default'."
    assert err(Filesystem, "<filesystem accessmode='default'><source dir='/a'/><target dir='/b'/></filesystem>") \
        == "Invalid value for attribute 'accessmode' in element 'filesystem': 'default'."


# --------------------------------------------------------------- hostdev

def test_hostdev_pci() -> None:
    x = ("<hostdev mode='subsystem' type='pci' managed='yes'><driver name='vfio'/>"
         "<source><address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/>"
         "<origstates><unbind/><reprobe/></origstates></source>"
         "<rom bar='off'/><boot order='1'/><address type='pci' domain='0x0000' bus='0x00' slot='0x05' "
         "function='0x0'/></hostdev>")
    h = parse(Hostdev, x)
    assert isinstance(h.source, HostdevSourcePCI) and h.source.origstates is None
    assert to_xml(h, F) == (
        "<hostdev mode='subsystem' type='pci' managed='yes'>\n  <driver name='vfio'/>\n"
        "  <source>\n    <address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/>\n  </source>\n"
        "  <boot order='1'/>\n  <rom bar='off'/>\n"
        "  <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n</hostdev>\n")
    st = parse(Hostdev, x, ParseFlags.PCI_ORIG_STATES)
    out = to_xml(st, int(FormatFlags.PCI_ORIG_STATES))
    assert "    <origstates>\n      <unbind/>\n      <reprobe/>\n    </origstates>\n" in out
    assert "origstates" not in to_xml(st, F)


def test_hostdev_managed_and_usb() -> None:
    h = parse(Hostdev, "<hostdev type='usb' managed='true'><source startupPolicy='optional' missing='yes' "
                       "autoAddress='yes'><vendor id='0x1234'/><product id='0xbeef'/>"
                       "<address bus='1' device='2'/></source></hostdev>")
    assert isinstance(h.source, HostdevSourceUSB) and h.managed is False
    assert to_xml(h, F) == (
        "<hostdev mode='subsystem' type='usb' managed='no'>\n  <source startupPolicy='optional'>\n"
        "    <vendor id='0x1234'/>\n    <product id='0xbeef'/>\n    <address bus='1' device='2'/>\n"
        "  </source>\n</hostdev>\n")
    live = to_xml(h, int(FormatFlags.SECURE | FormatFlags.MIGRATABLE))
    assert "<source startupPolicy='optional' autoAddress='yes' missing='yes'>" in live


def test_hostdev_scsi_and_iscsi() -> None:
    h = parse(Hostdev, "<hostdev mode='subsystem' type='scsi' sgio='unfiltered' rawio='yes'>"
                       "<source><adapter name='scsi_host0'/><address type='scsi' bus='0' target='0' unit='1'/>"
                       "</source><readonly/><shareable/><address type='drive' controller='0' bus='0' target='0' "
                       "unit='1'/></hostdev>")
    assert isinstance(h.source, HostdevSourceSCSI)
    assert to_xml(h, F) == (
        "<hostdev mode='subsystem' type='scsi' managed='no' sgio='unfiltered' rawio='yes'>\n"
        "  <source>\n    <adapter name='scsi_host0'/>\n    <address bus='0' target='0' unit='1'/>\n  </source>\n"
        "  <readonly/>\n  <shareable/>\n"
        "  <address type='drive' controller='0' bus='0' target='0' unit='1'/>\n</hostdev>\n")
    i = parse(Hostdev, "<hostdev mode='subsystem' type='scsi'><source protocol='iscsi' name='iqn.x/1'>"
                       "<initiator><iqn name='iqn.i'/></initiator><auth username='u'><secret type='iscsi' "
                       "usage='s'/></auth><host name='h' port='3260'/></source></hostdev>")
    assert ("  <source protocol='iscsi' name='iqn.x/1'>\n    <host name='h' port='3260'/>\n"
            "    <auth username='u'>\n      <secret type='iscsi' usage='s'/>\n    </auth>\n"
            "    <initiator>\n      <iqn name='iqn.i'/>\n    </initiator>\n  </source>\n") in to_xml(i, F)
    assert err(Hostdev, "<hostdev mode='subsystem' type='pci' sgio='filtered'><source><address bus='1'/>"
                        "</source></hostdev>") == "sgio is only supported for scsi host device"


def test_hostdev_mdev_scsi_host_caps() -> None:
    m = parse(Hostdev, "<hostdev mode='subsystem' type='mdev' model='vfio-pci' display='on' ramfb='on'>"
                       "<source><address uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'/></source></hostdev>")
    assert to_xml(m, F) == (
        "<hostdev mode='subsystem' type='mdev' managed='no' model='vfio-pci' display='on' ramfb='on'>\n"
        "  <source>\n    <address uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'/>\n  </source>\n</hostdev>\n")
    assert err(Hostdev, "<hostdev mode='subsystem' type='mdev'><source><address uuid='x'/></source></hostdev>") \
        == "Missing required attribute 'model' in element 'hostdev'"
    v = parse(Hostdev, "<hostdev mode='subsystem' type='scsi_host' model='virtio'>"
                       "<source protocol='vhost' wwpn='naa.5123456789abcde0'/></hostdev>")
    assert to_xml(v, F) == ("<hostdev mode='subsystem' type='scsi_host' managed='no' model='virtio'>\n"
                            "  <source protocol='vhost' wwpn='naa.5123456789abcde0'/>\n</hostdev>\n")
    assert err(Hostdev, "<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='x'/>"
                        "</hostdev>") == "malformed 'wwpn' value"
    c = parse(Hostdev, "<hostdev mode='capabilities' type='net'><source><interface>eth0</interface></source>"
                       "<ip address='192.168.122.2' family='ipv4'/><route family='ipv4' address='0.0.0.0' "
                       "gateway='192.168.122.1'/></hostdev>")
    assert to_xml(c, F) == (
        "<hostdev mode='capabilities' type='net'>\n  <source>\n    <interface>eth0</interface>\n  </source>\n"
        "  <ip address='192.168.122.2' family='ipv4'/>\n"
        "  <route family='ipv4' address='0.0.0.0' gateway='192.168.122.1'/>\n</hostdev>\n")


# -------------------------------------------------------------- redirdev

def test_redirdev_and_filter() -> None:
    r = parse(Redirdev, "<redirdev bus='usb' type='tcp'><source mode='connect' host='localhost' service='4000'/>"
                        "<protocol type='raw'/><boot order='1'/><address type='usb' bus='0' port='2'/></redirdev>")
    assert to_xml(r, F) == (
        "<redirdev bus='usb' type='tcp'>\n  <source mode='connect' host='localhost' service='4000'/>\n"
        "  <protocol type='raw'/>\n  <boot order='1'/>\n  <address type='usb' bus='0' port='2'/>\n</redirdev>\n")
    assert err(Redirdev, "<redirdev bus='usb'/>") == "missing type in redirdev"
    assert err(Redirdev, "<redirdev type='spicevmc'><address type='pci'/></redirdev>") == \
        "Invalid address for a USB device"
    f = parse(RedirFilter, "<redirfilter><usbdev class='0x08' vendor='0x15E1' product='0x2007' version='1.10' "
                           "allow='yes'/><usbdev class='-1' vendor='-1' product='-1' version='-1' allow='no'/>"
                           "</redirfilter>")
    assert to_xml(f, F) == ("<redirfilter>\n"
                            "  <usbdev class='0x08' vendor='0x15E1' product='0x2007' version='1.10' allow='yes'/>\n"
                            "  <usbdev allow='no'/>\n</redirfilter>\n")
    assert to_xml(parse(RedirFilter, "<redirfilter/>"), F) == ""
    assert err(RedirFilter, "<redirfilter><usbdev version='1.a' allow='no'/></redirfilter>") == \
        "Cannot parse USB device version 1.a"
    assert err(RedirFilter, "<redirfilter><usbdev class='-2' allow='no'/></redirfilter>") == \
        "Invalid USB Class code 0xfffffffe"
    v = parse(RedirFilter, "<redirfilter><usbdev version='2.0' allow='no'/><usbdev version='10.99' allow='no'/>"
                           "</redirfilter>")
    assert "version='2.00'" in to_xml(v, F) and "version='10.99'" in to_xml(v, F)
    assert err(RedirFilter, "<redirfilter><usbdev vendor='zz' allow='no'/></redirfilter>") == \
        "Invalid value for attribute 'vendor' in element 'usbdev': 'zz'. Expected integer value"
    assert err(RedirFilter, "<redirfilter><usbdev/></redirfilter>") == \
        "Missing required attribute 'allow' in element 'usbdev'"
    assert err(RedirFilter, "<redirfilter><usbdev allow='maybe'/></redirfilter>") == \
        "Invalid value for attribute 'allow' in element 'usbdev': 'maybe'."


# ------------------------------------------------------------- smartcard

def test_smartcard_modes() -> None:
    h = parse(Smartcard, "<smartcard mode='host'/>")
    assert to_xml(h, F) == "<smartcard mode='host'/>\n"
    c = parse(Smartcard, "<smartcard mode='host-certificates'><certificate>a</certificate>"
                         "<certificate>b</certificate><certificate>c</certificate><database>/db</database>"
                         "<address type='ccid' controller='0' slot='0'/></smartcard>")
    assert to_xml(c, F) == (
        "<smartcard mode='host-certificates'>\n  <certificate>a</certificate>\n  <certificate>b</certificate>\n"
        "  <certificate>c</certificate>\n  <database>/db</database>\n"
        "  <address type='ccid' controller='0' slot='0'/>\n</smartcard>\n")
    p = parse(Smartcard, "<smartcard mode='passthrough' type='unix'><source mode='bind' path='/s'/></smartcard>")
    assert to_xml(p, F) == ("<smartcard mode='passthrough' type='unix'>\n  <source mode='bind' path='/s'/>\n"
                            "</smartcard>\n")
    assert err(Smartcard, "<smartcard/>") == "Missing required attribute 'mode' in element 'smartcard'"
    assert err(Smartcard, "<smartcard mode='host-certificates'><certificate>a</certificate></smartcard>") == \
        "host-certificates mode needs exactly three certificates"
    assert err(Smartcard, "<smartcard mode='passthrough'/>") == \
        "passthrough mode requires a character device type attribute"
    assert err(Smartcard, "<smartcard mode='host'><address type='pci'/></smartcard>") == \
        "Controllers must use the 'ccid' address type"


@pytest.mark.parametrize("xml,msg", [
    ("<hostdev mode='subsystem' type='usb'><source><vendor/><product id='1'/></source></hostdev>",
     "Missing required attribute 'id' in element 'vendor'"),
    ("<hostdev mode='subsystem' type='usb'><source><vendor id='zz'/><product id='1'/></source></hostdev>",
     "Invalid value for attribute 'id' in element 'vendor': 'zz'. Expected non-negative integer value"),
    ("<hostdev mode='subsystem' type='usb'><source><vendor id='0x0'/><product id='0x0'/></source></hostdev>",
     "Invalid value for attribute 'id' in element 'vendor': Zero is not permitted"),
    ("<hostdev mode='subsystem' type='usb'><source><address bus='1'/></source></hostdev>",
     "Missing required attribute 'device' in element 'address'"),
    ("<hostdev mode='subsystem' type='usb'><source startupPolicy='bogus'/></hostdev>",
     "Invalid value for attribute 'startupPolicy' in element 'source': 'bogus'."),
    ("<hostdev mode='subsystem' type='scsi'><source><address bus='0' target='0' unit='0'/></source></hostdev>",
     "'adapter' name must be specified for scsi hostdev source"),
    ("<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/></source></hostdev>",
     "'address' must be specified for scsi hostdev source"),
    ("<hostdev mode='subsystem' type='scsi'><source><adapter name='h'/><address target='0' unit='0'/></source>"
     "</hostdev>", "Missing required attribute 'bus' in element 'address'"),
    ("<hostdev mode='subsystem' type='scsi'><source protocol='iscsi'><host name='h'/></source></hostdev>",
     "missing iSCSI hostdev source path name"),
    ("<hostdev mode='subsystem' type='scsi'><source protocol='iscsi' name='n'><host port='1'/></source></hostdev>",
     "missing name for host"),
    ("<hostdev mode='subsystem' type='scsi'><source protocol='iscsi' name='n'/></hostdev>",
     "missing the host address for the iSCSI hostdev"),
    ("<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost'/></hostdev>",
     "missing vhost-scsi hostdev source wwpn"),
    ("<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source/></hostdev>", "Missing <address> element"),
    ("<hostdev mode='capabilities' type='storage'><source/></hostdev>",
     "Missing <block> element in hostdev storage device"),
    ("<hostdev mode='subsystem' type='pci' rawio='yes'><source/></hostdev>",
     "rawio is only supported for scsi host device"),
    ("<hostdev mode='subsystem' type='bogus'/>", "unknown host device source address type 'bogus'"),
    ("<hostdev mode='subsystem'/>", "missing source address type"),
    ("<hostdev mode='subsystem' type='usb'/>", "Missing <source> element in hostdev device"),
])
def test_hostdev_errors(xml: str, msg: str) -> None:
    """Texts checked against libvirt 9.0."""
    assert err(Hostdev, xml) == msg
