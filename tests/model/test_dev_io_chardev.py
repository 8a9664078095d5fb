"""Character devices: parse-time rules and flag-dependent output."""

from __future__ import annotations

import pytest
from lxml import etree

from virtxml.binding import ParseContext, to_xml
from virtxml.errors import ParseError
from virtxml.flags import FormatFlags, ParseFlags
from virtxml.model.devices.chardev import Channel, Console, Parallel, Serial, sanitize_path

CLS = {"serial": Serial, "parallel": Parallel, "console": Console, "channel": Channel}


def parse(xml: str, flags: int = 0):  # type: ignore[no-untyped-def]
    el = etree.fromstring(xml)
    return CLS[el.tag]._xml_parse(el, ParseContext(flags))


def fmt(xml: str, pflags: int = 0, fflags: int = 0) -> str:
    return to_xml(parse(xml, pflags), int(fflags))


def test_default_type_is_pty_and_target_port_unset() -> None:
    assert fmt("<serial/>") == "<serial type='pty'>\n  <target port='-1'/>\n</serial>\n"
    assert fmt("<console/>") == "<console type='pty'>\n  <target type='none' port='-1'/>\n</console>\n"


def test_pty_path_inactive() -> None:
    xml = "<serial type='pty'><source path='/dev/pts/3'/><target port='0'/></serial>"
    assert parse(xml, ParseFlags.INACTIVE).source.path is None
    live = parse(xml)
    assert "<source path='/dev/pts/3'/>" in to_xml(live, 0)
    assert "source" not in to_xml(live, int(FormatFlags.INACTIVE))


def test_console_tty_compat() -> None:
    xml = "<console type='pty' tty='/dev/pts/9'><source path='/dev/pts/3'/><target type='serial' port='0'/></console>"
    c = parse(xml)
    assert c.tty is None  # never read
    assert to_xml(c, 0).startswith("<console type='pty' tty='/dev/pts/3'>")
    assert to_xml(c, int(FormatFlags.INACTIVE)).startswith("<console type='pty'>")
    c1 = parse(xml.replace("port='0'", "port='1'"))
    assert "tty=" not in to_xml(c1, 0)


def test_virtio_channel_state() -> None:
    xml = "<channel type='unix'><target type='virtio' name='org.x' state='connected'/></channel>"
    assert parse(xml, ParseFlags.INACTIVE).target.state is None
    ch = parse(xml)
    assert "state='connected'" in to_xml(ch, 0)
    assert "state=" not in to_xml(ch, int(FormatFlags.INACTIVE))


def test_unix_without_path() -> None:
    assert fmt("<channel type='unix'><source mode='bind'/><target type='virtio' name='a'/></channel>") == (
        "<channel type='unix'>\n  <target type='virtio' name='a'/>\n</channel>\n")


def test_tcp_source_and_protocol() -> None:
    out = fmt("<serial type='tcp'><source host='h' service='1' tls='yes'/><target port='0'/></serial>")
    assert "<source mode='connect' host='h' service='1' tls='yes'/>\n  <protocol type='raw'/>" in out


def test_tcp_tls_from_config() -> None:
    xml = "<serial type='tcp'><source mode='bind' host='h' service='1' tls='yes' tlsFromConfig='1'/></serial>"
    s = parse(xml, ParseFlags.STATUS)
    assert s.source.tls_from_config is True
    assert "tlsFromConfig='1'" in to_xml(s, int(FormatFlags.STATUS))
    assert "tls=" not in to_xml(s, int(FormatFlags.MIGRATABLE))
    s2 = parse(xml)
    assert s2.source.tls_from_config is False
    assert "tls='yes'" in to_xml(s2, int(FormatFlags.MIGRATABLE))
    assert "tlsFromConfig" not in to_xml(s2, 0)


def test_udp_sources_bind_first() -> None:
    out = fmt("<serial type='udp'><source mode='connect' host='a' service='1'/>"
              "<source mode='bind' host='b' service='2'/><target port='0'/></serial>")
    assert out.index("mode='bind'") < out.index("mode='connect'")


def test_file_append_and_log() -> None:
    out = fmt("<serial type='file'><source path='/tmp/a' append='on'/><log file='/tmp/l' append='off'/>"
              "<target port='0'/></serial>")
    assert "<source path='/tmp/a' append='on'/>\n  <log file='/tmp/l' append='off'/>" in out


def test_seclabel_inactive_skip() -> None:
    xml = ("<serial type='file'><source path='/tmp/a'><seclabel model='dac' relabel='yes'/>"
           "<seclabel model='selinux' relabel='no'/></source><target port='0'/></serial>")
    s = parse(xml)
    assert "<seclabel model='dac' relabel='yes'/>" in to_xml(s, 0)
    inactive = to_xml(s, int(FormatFlags.INACTIVE))
    assert "model='dac'" not in inactive and "<seclabel model='selinux' relabel='no'/>" in inactive


def test_serial_target_model() -> None:
    assert "<target type='isa-serial' port='0'>\n    <model name='isa-serial'/>\n  </target>" in fmt(
        "<serial type='pty'><target type='isa-serial' port='0'><model name='isa-serial'/></target></serial>")
    # the model child is only read for serial devices
    assert "model" not in fmt("<console type='pty'><target type='serial' port='0'><model name='pl011'/></target>"
                              "</console>")


def test_parallel_ignores_target_type() -> None:
    assert "<target port='0'/>" in fmt("<parallel type='pty'><target type='whatever' port='0'/></parallel>")


def test_port_wraps_like_strtoul() -> None:
    assert parse("<serial><target port='-1'/></serial>").target.port == -1


def test_guestfwd() -> None:
    out = fmt("<channel type='pipe'><source path='/tmp/p'/><target type='guestfwd' address='10.0.2.1' "
              "port='4600'/></channel>")
    assert "<target type='guestfwd' address='10.0.2.1' port='4600'/>" in out


ERRORS = [
    ("<serial type='bogus'/>", "unknown type presented to host for character device: bogus"),
    ("<channel type='pty'/>", "target type must be specified for channel device"),
    ("<channel type='pty'><target name='x'/></channel>", "unknown target type '(null)' specified for character device"),
    ("<channel type='pty'><target type='guestfwd' address='x' port='1'/></channel>",
     "Cannot parse socket address 'x': Name or service not known"),
    ("<serial><target type='bogus'/></serial>", "unknown target type 'bogus' specified for character device"),
    ("<serial><target><model name='bogus'/></target></serial>",
     "unknown target model 'bogus' specified for character device"),
    ("<serial><target port='x'/></serial>", "Invalid port number: x"),
    ("<channel type='pty'><target type='guestfwd' port='1'/></channel>",
     "guestfwd channel does not define a target address"),
    ("<channel type='pty'><target type='guestfwd' address='::1' port='1'/></channel>",
     "guestfwd channel only supports IPv4 addresses"),
    ("<channel type='pty'><target type='guestfwd' address='1.2.3.4'/></channel>",
     "Missing required attribute 'port' in element 'target'"),
    ("<serial type='spicevmc'/>", "spicevmc device type only supports virtio"),
    ("<serial type='pty'><target type='usb-serial'/><address type='pci'/></serial>",
     "usb-serial requires address of usb type"),
    ("<serial type='tcp'><source host='a' service='1'/><protocol type='bogus'/></serial>",
     "Unknown protocol 'bogus'"),
    ("<serial type='tcp'><source host='a'/><source host='b'/></serial>",
     "only one source element is allowed for character device"),
    ("<serial type='udp'><source/><source/><source/></serial>",
     "only two source elements are allowed for character device"),
    ("<serial type='file'><log file='a'/><log file='b'/></serial>",
     "only one log element is allowed for character device"),
    ("<serial type='tcp'><protocol type='raw'/><protocol type='raw'/></serial>",
     "only one protocol element is allowed for character device"),
    ("<serial type='tcp'><source mode='listen'/></serial>",
     "Invalid value for attribute 'mode' in element 'source': 'listen'."),
    ("<serial type='unix'><source path='/a'><reconnect enabled='yes'/></source></serial>",
     "Missing required attribute 'timeout' in element 'reconnect'"),
    ("<serial type='file'><source path='/a' append='yes'/></serial>",
     "Invalid value for attribute 'append' in element 'source': 'yes'."),
    ("<serial type='file'><source path='/a'><seclabel relabel='maybe'/></source></serial>",
     "Invalid value for attribute 'relabel' in element 'seclabel': 'maybe'."),
    ("<serial type='file'><source path='/a'><seclabel relabel='no'><label>x</label></seclabel></source></serial>",
     "Cannot specify a label if relabelling is turned off. model=<null>"),
]


@pytest.mark.parametrize("xml,message", ERRORS)
def test_errors(xml: str, message: str) -> None:
    with pytest.raises(ParseError) as ei:
        parse(xml)
    assert ei.value.message == message


@pytest.mark.parametrize("raw,clean", [("//a//b/", "//a/b"), ("///a", "/a"), ("/a/./b", "/a/./b"),
                                       ("a///b//", "a/b"), ("/", "/"), ("http://x//y", "http://x//y")])
def test_sanitize_path(raw: str, clean: str) -> None:
    assert sanitize_path(raw) == clean
