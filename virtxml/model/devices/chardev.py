"""Character devices: ``<serial>``, ``<parallel>``, ``<console>``,
``<channel>`` (libvirt's virDomainChrDefParseXML / virDomainChrDefFormat).

The chardev *source* part (``type`` + ``<source>``/``<log>``/``<protocol>``)
is shared with other devices (smartcard passthrough, redirdev, rng egd,
tpm external, vhostuser interfaces): :class:`ChrSourceEl`,
:func:`normalize_chr_sources` and :func:`format_chr_source` are public for
them.

Parse-time rules implemented here (domain_conf.c):

* ``type`` absent -> ``pty``; unknown -> "unknown type presented to host
  for character device: %s";
* at most one ``<source>`` (two for udp), one ``<log>``, one ``<protocol>``;
* pty ``path`` ignored with ParseFlags.INACTIVE and not written with
  FormatFlags.INACTIVE; console ``tty=`` is never read, it is written (live
  output only) for console port 0 of type pty with a path;
* tcp ``tlsFromConfig`` only read with ParseFlags.STATUS and only written
  with FormatFlags.STATUS; ``tls`` is omitted in MIGRATABLE output when it
  came from the config;
* channel target type is required; virtio channel ``state`` ignored with
  ParseFlags.INACTIVE (and not written with FormatFlags.INACTIVE);
* serial ``<target><model name>`` only for serial devices.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, ClassVar

import attrs

from ...binding import (INT, ONOFF, UINT, YESNO, ConvError, attribute, custom_format, element,
                        elements, escape, text_element, xml)
from ...flags import FormatFlags, ParseFlags
from .info import ACPI, Address, Alias, Master

# ---------------------------------------------------------------- helpers


def _check_reconnect(ctx: Any, src: Any, src_el: Any) -> None:
    rc = getattr(src, "reconnect", None)
    if rc is not None and rc.timeout_missing:
        raise missing_attr(ctx, src_el.find("reconnect"), "timeout")


def missing_attr(ctx: Any, el: Any, attr: str) -> Exception:
    """virXMLPropString*Required's error."""
    tag = el.tag if isinstance(el.tag, str) else ""
    return ctx.error(el, f"Missing required attribute '{attr}' in element '{tag}'")


def invalid_attr(ctx: Any, el: Any, attr: str, value: str) -> Exception:
    tag = el.tag if isinstance(el.tag, str) else ""
    return ctx.error(el, f"Invalid value for attribute '{attr}' in element '{tag}': '{value}'.")


def sanitize_path(path: str) -> str:
    """virFileSanitizePath: collapse repeated slashes and drop a trailing
    one; a leading ``//`` (not ``///``) is kept; URIs are left alone."""
    uri = path.find("://")
    if uri >= 0:
        slash = path.find("/")
        if slash < 0 or slash > uri:
            return path
    out: list[str] = []
    i = 0
    n = len(path)
    if n >= 2 and path[0] == "/" and path[1] == "/" and (n == 2 or path[2] != "/"):
        out.append("//")
        i = 2
    while i < n:
        c = path[i]
        if c != "/":
            out.append(c)
            i += 1
            continue
        while i < n and path[i] == "/":
            i += 1
        if out and i >= n:
            break
        out.append("/")
    return "".join(out)


def first_child(el: Any, tag: str) -> Any:
    for ch in el:
        if ch.tag == tag:
            return ch
    return None


def children(el: Any, tag: str) -> list[Any]:
    return [ch for ch in el if ch.tag == tag]


def _never(obj: Any, flags: int) -> bool:
    return False


def fmt_attrs(pairs: list[tuple[str, Any]]) -> str:
    """`` name='value'`` for every pair whose value is not None (values are
    escaped)."""
    return "".join(" %s='%s'" % (k, escape(str(v))) for k, v in pairs if v is not None)


def onoff(v: bool) -> str:
    return "on" if v else "off"


def yesno(v: bool) -> str:
    return "yes" if v else "no"


# Wrapping unsigned parse (virStrToLong_ui allows "-1" style wrap-around).
def _socket_addr(s: str) -> Any:
    """virSocketAddrParse (getaddrinfo, AI_NUMERICHOST): an IP address, the
    inet_aton IPv4 forms ('65536', '127.1', hex/octal parts) included."""
    try:
        return ipaddress.ip_address(s)
    except ValueError:
        pass
    import socket

    if not s or ":" in s or not s.isascii() or not s[0].isalnum() or any(c.isspace() for c in s):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(s))
    except (OSError, ValueError):
        return None


def parse_ui_wrap(s: str) -> int | None:
    """virStrToLong_ui (base 10, whole string): leading white space and a
    sign allowed, nothing after the digits; "-1" wraps."""
    if re.match(r"\s*[+-]?[0-9]+\Z", s) is None:
        return None
    v = int(s.strip(), 10)
    if v < -(1 << 32) + 1 or v > (1 << 32) - 1:
        return None
    v &= 0xFFFFFFFF
    if v >= 1 << 31:
        v -= 1 << 32
    return v


CHR_TYPES = ("null", "vc", "pty", "dev", "file", "pipe", "stdio", "udp", "tcp", "unix", "spicevmc",
             "spiceport", "nmdm", "qemu-vdagent", "dbus")

TCP_PROTOCOLS = ("raw", "telnet", "telnets", "tls")

# ------------------------------------------------------------ sub-elements


@xml("seclabel")
class DeviceSeclabel:
    """Per-device ``<seclabel model= relabel= labelskip=><label/>``
    (virSecurityDeviceLabelDefParseXML / ...Format)."""

    model: str | None = attribute("model")
    labelskip: Any = attribute("labelskip")
    relabel: Any = attribute("relabel")
    label: str | None = text_element("label")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        rel = el.get("relabel")
        if rel is not None and rel not in ("yes", "no"):
            raise invalid_attr(ctx, el, "relabel", rel)
        kw["relabel"] = rel != "no"
        skip = el.get("labelskip")
        kw.pop("labelskip", None)
        if skip is not None and not ctx.flags & ParseFlags.INACTIVE:
            if skip not in ("yes", "no"):
                raise invalid_attr(ctx, el, "labelskip", skip)
            kw["labelskip"] = skip == "yes"
        if kw.get("label") is not None and not kw["relabel"]:
            raise ctx.error(el, "Cannot specify a label if relabelling is turned off. model=%s"
                            % (kw.get("model") or "<null>"))

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        relabel = True if self.relabel is None else self.relabel
        if flags & FormatFlags.INACTIVE and self.label is None and relabel:
            return
        s = ind + "<seclabel" + fmt_attrs([("model", self.model)])
        if self.labelskip:
            s += " labelskip='yes'"
        else:
            s += " relabel='%s'" % yesno(relabel)
        if self.label is not None:
            out.append(s + ">\n")
            out.append("%s  <label>%s</label>\n" % (ind, escape(self.label)))
            out.append(ind + "</seclabel>\n")
        else:
            out.append(s + "/>\n")


_CHR_TAGS = frozenset(("serial", "parallel", "console", "channel"))


@xml("reconnect")
class Reconnect:
    """``<reconnect enabled='yes|no' timeout='N'/>``."""

    enabled: bool | None = attribute("enabled", YESNO)
    timeout: int | None = attribute("timeout", UINT)
    #: enabled without a timeout, in a character device's <source>: only an
    #: error for the tcp/unix types that read <reconnect> (checked there)
    timeout_missing: bool = attrs.field(default=False, eq=False)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("enabled") is True:
            if el.get("timeout") is None:
                src = el.getparent()
                dev = src.getparent() if src is not None else None
                if dev is not None and dev.tag in _CHR_TAGS:
                    kw["timeout_missing"] = True
                    return
                raise missing_attr(ctx, el, "timeout")
        else:
            kw.pop("timeout", None)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.enabled is None:
            return
        s = ind + "<reconnect enabled='%s'" % yesno(self.enabled)
        if self.enabled:
            s += " timeout='%d'" % (self.timeout or 0)
        out.append(s + "/>\n")


MOUSE_MODES = ("server", "client")


@xml("clipboard")
class Clipboard:
    copypaste: bool | None = attribute("copypaste", YESNO)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("copypaste") is None:
            raise missing_attr(ctx, el, "copypaste")


@xml("mouse")
class Mouse:
    mode: str | None = attribute("mode")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        m = kw.get("mode")
        if m is None:
            raise missing_attr(ctx, el, "mode")
        if m not in MOUSE_MODES:
            raise invalid_attr(ctx, el, "mode", m)


@xml("source")
class ChrSourceEl:
    """One ``<source>`` of a character device: the union of what every
    chardev type reads.  :func:`normalize_chr_sources` keeps only what the
    device's type uses."""

    mode: str | None = attribute("mode")
    host: str | None = attribute("host")
    service: str | None = attribute("service")
    path: str | None = attribute("path")
    append: bool | None = attribute("append", ONOFF)
    tls: bool | None = attribute("tls", YESNO)
    tls_from_config: bool = attribute("tlsFromConfig", INT, default=False,
                                      when=lambda o, f: bool(f & FormatFlags.STATUS))
    channel: str | None = attribute("channel")
    master: str | None = attribute("master")
    slave: str | None = attribute("slave")
    seclabels: list[DeviceSeclabel] = elements("seclabel", DeviceSeclabel)
    reconnect: Reconnect | None = element("reconnect", Reconnect)
    clipboard: Clipboard | None = element("clipboard", Clipboard)
    mouse: Mouse | None = element("mouse", Mouse)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        # tlsFromConfig: STATUS only, an int where non-zero means true
        if "tls_from_config" in kw:
            v = kw.pop("tls_from_config")
            if ctx.flags & ParseFlags.STATUS:
                kw["tls_from_config"] = v != 0


@xml("log")
class ChrLog:
    file: str | None = attribute("file")
    append: bool | None = attribute("append", ONOFF)


@xml("protocol")
class ChrProtocol:
    type: str | None = attribute("type")


_SOURCE_MODES = ("bind", "connect")


def _mode(ctx: Any, src_el: Any) -> str:
    m = src_el.get("mode")
    if m is None:
        return "connect"
    if m not in _SOURCE_MODES:
        raise invalid_attr(ctx, src_el, "mode", m)
    return m


def normalize_chr_sources(ctype: str, el: Any, kw: dict[str, Any], ctx: Any, *,
                          seclabels: bool = True, sources_field: str = "sources",
                          log_field: str = "log", protocol_field: str = "protocol") -> None:
    """virDomainChrSourceDefParseXML on already bound children: checks the
    counts and keeps, per chardev ``ctype``, what libvirt reads."""
    src_els = children(el, "source")
    srcs: list[ChrSourceEl] = kw.get(sources_field) or []
    out: list[ChrSourceEl] = []
    if src_els:
        if len(src_els) > 1 and ctype != "udp":
            raise ctx.error(src_els[1], "only one source element is allowed for character device")
        if len(src_els) > 2:
            raise ctx.error(src_els[2], "only two source elements are allowed for character device")
        s0 = srcs[0]
        e0 = src_els[0]
        new: ChrSourceEl | None = None
        if ctype == "file":
            new = ChrSourceEl(path=s0.path, append=s0.append)
        elif ctype == "pty":
            new = ChrSourceEl(path=None if ctx.flags & ParseFlags.INACTIVE else s0.path)
        elif ctype in ("dev", "pipe"):
            new = ChrSourceEl(path=s0.path)
        elif ctype == "unix":
            _check_reconnect(ctx, s0, e0)
            new = ChrSourceEl(mode=_mode(ctx, e0), path=s0.path, reconnect=s0.reconnect)
        elif ctype == "udp":
            bind = ChrSourceEl(mode="bind")
            conn = ChrSourceEl(mode="connect")
            for s, e in zip(srcs, src_els):
                m = _mode(ctx, e)
                if m == "connect" and conn.host is None and conn.service is None:
                    conn.host, conn.service = s.host, s.service
                elif m == "bind" and bind.host is None and bind.service is None:
                    bind.host, bind.service = s.host, s.service
            out = [bind, conn]
        elif ctype == "tcp":
            _check_reconnect(ctx, s0, e0)
            new = ChrSourceEl(mode=_mode(ctx, e0), host=s0.host, service=s0.service, tls=s0.tls,
                              tls_from_config=s0.tls_from_config, reconnect=s0.reconnect)
        elif ctype in ("spiceport", "dbus"):
            new = ChrSourceEl(channel=s0.channel)
        elif ctype == "nmdm":
            new = ChrSourceEl(master=s0.master, slave=s0.slave)
        elif ctype == "qemu-vdagent":
            new = ChrSourceEl(clipboard=s0.clipboard, mouse=s0.mouse)
        else:
            new = ChrSourceEl()
        if new is not None:
            out = [new]
        if seclabels:
            # virSecurityDeviceLabelDefParseXML (every chardev type; after
            # the target and the source's own attributes)
            models: list[str] = []
            for sl in s0.seclabels:
                if sl.model is not None:
                    if sl.model in models:
                        raise ctx.error(e0, f"seclabel for model {sl.model} is already provided")
                    models.append(sl.model)
        if seclabels and out:
            out[0].seclabels = list(s0.seclabels)
    elif ctype == "tcp":
        out = [ChrSourceEl(mode="connect")]
    elif ctype == "unix":
        out = [ChrSourceEl(mode="connect")]
    elif ctype == "udp":
        out = [ChrSourceEl(mode="bind"), ChrSourceEl(mode="connect")]
    kw[sources_field] = out
    logs = children(el, "log")
    if len(logs) > 1:
        raise ctx.error(logs[1], "only one log element is allowed for character device")
    protos = children(el, "protocol")
    if len(protos) > 1:
        raise ctx.error(protos[1], "only one protocol element is allowed for character device")
    proto = kw.get(protocol_field)
    if ctype == "tcp":
        ptype = proto.type if proto is not None else None
        if ptype is not None and ptype not in TCP_PROTOCOLS:
            raise ctx.error(protos[0], f"Unknown protocol '{ptype}'")
        kw[protocol_field] = ChrProtocol(type=ptype or "raw")
    else:
        kw[protocol_field] = None


def format_chr_source(out: list[str], ind: str, ctype: str, sources: list[ChrSourceEl],
                      log: ChrLog | None, protocol: ChrProtocol | None, flags: int) -> None:
    """virDomainChrSourceDefFormat."""
    ci = ind + "  "
    src = sources[0] if sources else None

    def element_(attrs_s: str, child: list[str]) -> None:
        if not attrs_s and not child:
            return
        if child:
            out.append(ind + "<source" + attrs_s + ">\n")
            out.extend(child)
            out.append(ind + "</source>\n")
        else:
            out.append(ind + "<source" + attrs_s + "/>\n")

    def seclabels_of(s: ChrSourceEl) -> list[str]:
        child: list[str] = []
        for sl in s.seclabels:
            sl.xml_format(child, ci, flags)
        return child

    if ctype == "qemu-vdagent":
        if src is not None and (src.clipboard is not None or src.mouse is not None):
            out.append(ind + "<source>\n")
            if src.clipboard is not None:
                out.append("%s<clipboard copypaste='%s'/>\n" % (ci, yesno(bool(src.clipboard.copypaste))))
            if src.mouse is not None:
                out.append("%s<mouse mode='%s'/>\n" % (ci, escape(src.mouse.mode or "")))
            out.append(ind + "</source>\n")
    elif ctype in ("pty", "dev", "file", "pipe"):
        path = src.path if src is not None else None
        if ctype != "pty" or (path is not None and not flags & FormatFlags.INACTIVE):
            a = fmt_attrs([("path", path)])
            if ctype == "file" and src is not None and src.append is not None:
                a += " append='%s'" % onoff(src.append)
            element_(a, seclabels_of(src) if src is not None else [])
    elif ctype == "nmdm":
        if src is not None:
            s = ""
            if src.master is not None:
                s += "<source master='%s' " % escape(src.master)
            if src.slave is not None:
                s += "slave='%s'/>" % escape(src.slave)
            if s:
                out.append(ind + s + "\n")
    elif ctype == "udp":
        for s in sources:
            if s.host is not None or s.service is not None:
                out.append(ind + "<source mode='%s'" % s.mode + fmt_attrs([("host", s.host), ("service", s.service)])
                           + "/>\n")
    elif ctype == "tcp":
        s = src or ChrSourceEl(mode="connect")
        a = " mode='%s' " % ("bind" if s.mode == "bind" else "connect")
        if s.host is not None:
            a += "host='%s' " % escape(s.host)
        if s.service is not None:
            a += "service='%s'" % escape(s.service)
        if s.tls is not None and not (flags & FormatFlags.MIGRATABLE and s.tls_from_config):
            a += " tls='%s'" % yesno(s.tls)
        if flags & FormatFlags.STATUS:
            a += " tlsFromConfig='%d'" % (1 if s.tls_from_config else 0)
        child: list[str] = []
        if s.reconnect is not None:
            s.reconnect.xml_format(child, ci, flags)
        element_(a, child)
        out.append("%s<protocol type='%s'/>\n" % (ind, escape((protocol.type if protocol else None) or "raw")))
    elif ctype == "unix":
        if src is not None and src.path is not None:
            a = " mode='%s'" % ("bind" if src.mode == "bind" else "connect") + fmt_attrs([("path", src.path)])
            child = seclabels_of(src)
            if src.reconnect is not None:
                src.reconnect.xml_format(child, ci, flags)
            element_(a, child)
    elif ctype in ("spiceport", "dbus"):
        if src is not None and src.channel is not None:
            out.append("%s<source channel='%s'/>\n" % (ind, escape(src.channel)))
    if log is not None and log.file is not None:
        s = "%s<log file='%s'" % (ind, escape(log.file))
        if log.append is not None:
            s += " append='%s'" % onoff(log.append)
        out.append(s + "/>\n")


# ------------------------------------------------------------------ target

CHANNEL_TARGETS = ("none", "guestfwd", "virtio", "xen")
CONSOLE_TARGETS = ("none", "serial", "xen", "uml", "virtio", "lxc", "openvz", "sclp", "sclplm")
SERIAL_TARGETS = ("none", "isa-serial", "usb-serial", "pci-serial", "spapr-vio-serial", "system-serial",
                  "sclp-serial", "isa-debug")
SERIAL_MODELS = ("none", "isa-serial", "usb-serial", "pci-serial", "spapr-vty", "pl011", "sclpconsole",
                 "sclplmconsole", "16550a", "isa-debugcon")
CHR_STATES = ("connected", "disconnected")


@xml("model")
class ChrTargetModel:
    name: str | None = attribute("name")


@xml("target")
class ChrTarget:
    """``<target>``; which attributes count depends on the device (see the
    chardev parse hook)."""

    type: str | None = attribute("type")
    address: str | None = attribute("address")
    port: Any = attribute("port")
    name: str | None = attribute("name")
    state: str | None = attribute("state")
    model: ChrTargetModel | None = element("model", ChrTargetModel)


def _format_guestfwd_addr(a: str) -> str:
    return str(ipaddress.ip_address(a))


def _parse_target(dev: str, el: Any, kw: dict[str, Any], ctx: Any) -> None:
    tel = first_child(el, "target")
    t: ChrTarget | None = kw.get("target")
    ttype_s = t.type if t is not None else None
    targets = {"channel": CHANNEL_TARGETS, "console": CONSOLE_TARGETS, "serial": SERIAL_TARGETS}.get(dev)
    new = ChrTarget()
    if ttype_s is None:
        if dev == "channel":
            # with a <target>, libvirt's second message replaces the first
            if tel is not None:
                raise ctx.error(tel, "unknown target type '(null)' specified for character device")
            raise ctx.error(el, "target type must be specified for channel device")
        ttype = "none" if targets else None
    else:
        if targets is not None and ttype_s not in targets:
            raise ctx.error(tel, f"unknown target type '{ttype_s}' specified for character device")
        ttype = ttype_s if targets is not None else None
    new.type = ttype
    if tel is not None and dev == "serial":
        mname = t.model.name if t is not None and t.model is not None else None
        if mname:  # virXPathString: empty is absent
            if mname not in SERIAL_MODELS:
                raise ctx.error(tel, f"unknown target model '{mname}' specified for character device")
            if mname != "none":
                new.model = ChrTargetModel(name=mname)
    if dev == "channel":
        assert t is not None
        if ttype == "guestfwd":
            if t.address is None:
                raise ctx.error(tel, "guestfwd channel does not define a target address")
            ip = _socket_addr(t.address)
            if ip is None:
                raise ctx.error(tel, f"Cannot parse socket address '{t.address}': Name or service not known")
            if ip.version != 4:
                raise ctx.error(tel, "guestfwd channel only supports IPv4 addresses")
            if t.port is None:
                raise missing_attr(ctx, tel, "port")
            try:
                port = UINT.parse(t.port)
            except ConvError:
                raise ctx.error(tel, "Invalid value for attribute 'port' in element 'target': '%s'. "
                                     "Expected non-negative integer value" % t.port) from None
            new.address = str(ip)
            new.port = port & 0xFFFF
        elif ttype in ("xen", "virtio"):
            new.name = t.name
            if ttype == "virtio" and not ctx.flags & ParseFlags.INACTIVE and t.state is not None:
                if t.state not in CHR_STATES:
                    raise invalid_attr(ctx, tel, "state", t.state)
                new.state = t.state
    else:
        port_s = t.port if t is not None else None
        if port_s is None:
            new.port = -1
        else:
            v = parse_ui_wrap(port_s)
            if v is None:
                raise ctx.error(tel, f"Invalid port number: {port_s}")
            new.port = v
    kw["target"] = new


def _target_index(dev: str, ttype: str | None) -> int:
    tab = {"channel": CHANNEL_TARGETS, "console": CONSOLE_TARGETS, "serial": SERIAL_TARGETS}.get(dev)
    if tab is None or ttype is None:
        return 0
    return tab.index(ttype)


# ----------------------------------------------------------------- devices


@xml("serial")
class Serial:
    """``<serial>``; :class:`Parallel`, :class:`Console`, :class:`Channel`
    are the same structure under other tags."""

    DEVICE: ClassVar[str] = "serial"

    type: str | None = attribute("type")
    tty: str | None = attribute("tty", when=_never)
    sources: list[ChrSourceEl] = elements("source", ChrSourceEl)
    log: ChrLog | None = element("log", ChrLog)
    protocol: ChrProtocol | None = element("protocol", ChrProtocol)
    target: ChrTarget | None = element("target", ChrTarget)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        dev = cls.__xml_tag__
        t = kw.get("type")
        if t is None:
            t = "pty"
        elif t not in CHR_TYPES:
            raise ctx.error(el, f"unknown type presented to host for character device: {t}")
        kw["type"] = t
        kw.pop("tty", None)
        _parse_target(dev, el, kw, ctx)
        normalize_chr_sources(t, el, kw, ctx)
        target: ChrTarget = kw["target"]
        if t == "spicevmc" and _target_index(dev, target.type) != 2:
            raise ctx.error(el, "spicevmc device type only supports virtio")
        addr = kw.get("address")
        if (dev == "serial" and target.type == "usb-serial" and addr is not None
                and getattr(addr, "type", None) not in ("usb",)):
            raise ctx.error(el, "usb-serial requires address of usb type")

    @property
    def source(self) -> ChrSourceEl | None:
        return self.sources[0] if self.sources else None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        dev = type(self).__xml_tag__
        ctype = self.type or "pty"
        src = self.source
        path = src.path if src is not None else None
        tty_compat = (dev == "console" and self.target is not None and self.target.port == 0 and ctype == "pty"
                      and not flags & FormatFlags.INACTIVE and path is not None)
        s = ind + "<%s type='%s'" % (dev, escape(ctype))
        if tty_compat:
            s += " tty='%s'" % escape(path or "")
        out.append(s + ">\n")
        ci = ind + "  "
        format_chr_source(out, ci, ctype, self.sources, self.log, self.protocol, flags)
        self._format_target(out, ci, flags)
        for f in (self.alias, self.master, self.acpi, self.address):
            if f is not None:
                f.xml_format(out, ci, flags)
        out.append(ind + "</%s>\n" % dev)

    def _format_target(self, out: list[str], ind: str, flags: int) -> None:
        dev = type(self).__xml_tag__
        t = self.target or ChrTarget(port=-1, type="none" if dev in ("console", "serial") else None)
        port = t.port if t.port is not None else -1
        if dev == "channel":
            s = ind + "<target type='%s'" % escape(t.type or "none")
            if t.type == "guestfwd":
                s += " address='%s' port='%d'" % (t.address or "", port)
            elif t.type in ("xen", "virtio"):
                if t.name is not None:
                    s += " name='%s'" % escape(t.name)
                if t.type == "virtio" and t.state is not None and not flags & FormatFlags.INACTIVE:
                    s += " state='%s'" % t.state
            out.append(s + "/>\n")
        elif dev == "console":
            out.append(ind + "<target type='%s' port='%d'/>\n" % (escape(t.type or "none"), port))
        elif dev == "serial":
            s = ind + "<target "
            if t.type not in (None, "none"):
                s += "type='%s' " % escape(t.type)
            s += "port='%d'" % port
            if t.model is not None and t.model.name not in (None, "none"):
                out.append(s + ">\n")
                out.append("%s  <model name='%s'/>\n" % (ind, escape(t.model.name or "")))
                out.append(ind + "</target>\n")
            else:
                out.append(s + "/>\n")
        else:
            out.append(ind + "<target port='%d'/>\n" % port)


@xml("parallel")
class Parallel(Serial):
    DEVICE: ClassVar[str] = "parallel"
    xml_format = Serial.xml_format


@xml("console")
class Console(Serial):
    DEVICE: ClassVar[str] = "console"
    xml_format = Serial.xml_format


@xml("channel")
class Channel(Serial):
    DEVICE: ClassVar[str] = "channel"
    xml_format = Serial.xml_format


__all__ = [
    "Serial", "Parallel", "Console", "Channel", "ChrSourceEl", "ChrLog", "ChrProtocol", "ChrTarget",
    "ChrTargetModel", "DeviceSeclabel", "Reconnect", "Clipboard", "Mouse", "normalize_chr_sources",
    "format_chr_source", "sanitize_path", "missing_attr", "invalid_attr", "CHR_TYPES",
]
