"""Driver namespaces (only the driver's own is parsed) and ICH9 UHCI
companions (implicit <master startport>), as libvirt 9.0's test driver."""

from __future__ import annotations

from virtxml import api
from virtxml.flags import FormatFlags, ParseFlags

from .helpers import assert_error, domain, inactive

QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"
NS_DOC = (f"<domain type='qemu' xmlns:qemu='{QEMU_NS}'><name>a</name><memory>1024</memory>"
          "<os><type>hvm</type></os><qemu:commandline><qemu:arg/></qemu:commandline></domain>")


def test_test_driver_ignores_qemu_namespace() -> None:
    # libvirt's test driver has no namespace parser: the block (even an
    # invalid one) is ignored and not written back
    out = inactive(NS_DOC)
    assert "qemu:" not in out and "xmlns" not in out


def test_qemu_namespace_is_read_without_a_driver() -> None:
    # plain binding (no driver) still reads every namespace
    from virtxml.safexml import parse_bytes

    ok = NS_DOC.replace("<qemu:arg/>", "<qemu:arg value='-x'/>")
    dom = api.bind(parse_bytes(ok.encode(), None), flags=ParseFlags.INACTIVE)
    assert "<qemu:arg value='-x'/>" in api.format(dom, FormatFlags.INACTIVE)


def test_uhci_companion_gets_its_start_port() -> None:
    xml = domain("", devices="<controller type='usb' model='ich9-ehci1'/>"
                             "<controller type='usb' model='ich9-uhci3'/>")
    assert "<controller type='usb' index='0' model='ich9-uhci3'>\n      <master startport='4'/>" \
        in inactive(xml)


def test_lone_uhci_companion_has_no_master() -> None:
    assert_error(domain("", devices="<controller type='usb' model='ich9-uhci2'/>"),
                 "No master USB controller specified")
