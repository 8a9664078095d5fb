"""``<hostdev>`` (virDomainHostdevDefParseXML / virDomainHostdevDefFormat).

The ``<source>`` is typed by the hostdev's mode and type:
:class:`HostdevSourceUSB`, :class:`HostdevSourcePCI`,
:class:`HostdevSourceSCSI` (adapter or iSCSI), :class:`HostdevSourceSCSIHost`,
:class:`HostdevSourceMdev` for ``mode='subsystem'`` and
:class:`HostdevSourceCaps` for ``mode='capabilities'`` (storage/misc/net).

Parse-time rules: ``mode`` defaults to subsystem; ``managed`` is true only
for the literal ``yes`` and is always written for subsystem devices;
``sgio``/``rawio`` only for scsi, ``model``/``display``/``ramfb`` only for
mdev (model required) and ``model`` for scsi_host; ``<origstates>`` only
with ParseFlags.PCI_ORIG_STATES (written with FormatFlags.PCI_ORIG_STATES);
USB ``missing='yes'`` not written with FormatFlags.INACTIVE, ``autoAddress``
only written with FormatFlags.MIGRATABLE; source ``<privateData>`` only with
STATUS.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar


from ...binding import (ONOFF, YESNO, Custom, Enum, Int, attribute, custom_format, element, elements, escape,
                        flag, text_element, xml)
from ...flags import FormatFlags, ParseFlags
from .disk import Auth, Initiator, PrivateData, _parse_port
from .info import ACPI, ROM, Address, Alias, Boot, check_pci_address
from .rng import first_child
from .interface import NetIP, NetRoute, NetTeaming

HOSTDEV_MODES = ("subsystem", "capabilities")
SUBSYS_TYPES = ("usb", "pci", "scsi", "scsi_host", "mdev")
CAPS_TYPES = ("storage", "misc", "net")
PCI_BACKENDS = ("default", "kvm", "vfio", "xen")
MDEV_MODELS = ("vfio-pci", "vfio-ccw", "vfio-ap")
SCSI_HOST_MODELS = ("default", "virtio", "virtio-transitional", "virtio-non-transitional")
SGIO = ("default", "filtered", "unfiltered")
STARTUP_POLICIES = ("default", "mandatory", "requisite", "optional")
USB_GUEST_RESET = ("default", "off", "uninitialized", "on")
ORIGSTATES = ("unbind", "removeslot", "reprobe")


def _status(o: Any, f: int) -> bool:
    return bool(f & FormatFlags.STATUS)


def _base0(what: str) -> Custom:
    def p(s: str) -> int:
        m = re.fullmatch(r"\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)", s)
        if m is None:
            raise ValueError(s)
        b = m.group(1)
        v = int(b, 16) if b[:2].lower() == "0x" else (int(b, 8) if b.startswith("0") and len(b) > 1 else int(b))
        if v > 0xFFFFFFFF:
            raise ValueError(s)
        return v

    return Custom(p, str, message="cannot parse %s {value}" % what, name="uint")


# ------------------------------------------------------------------- usb

UINT0 = Int(base=0)


def _required(kw: dict[str, Any], el: Any, ctx: Any, *names: tuple[str, str]) -> None:
    for field, attr in names:
        if kw.get(field) is None:
            raise ctx.error(el, f"Missing required attribute '{attr}' in element '{el.tag}'")


@xml("vendor")
class USBVendor:
    id: int | None = attribute("id", Int(base=0, nonzero=True))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _required(kw, el, ctx, ("id", "id"))


@xml("product")
class USBProduct:
    id: int | None = attribute("id", UINT0)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _required(kw, el, ctx, ("id", "id"))


@xml("address")
class USBHostAddress:
    bus: int | None = attribute("bus", UINT0)
    device: int | None = attribute("device", UINT0)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _required(kw, el, ctx, ("bus", "bus"), ("device", "device"))


class HostdevSource:
    """Base of the typed hostdev sources; ``HostdevSource._xml_parse`` picks
    the class from the parent ``<hostdev>``'s mode and type."""

    __slots__ = ()
    KIND: ClassVar[str] = ""

    @staticmethod
    def _xml_parse(el: Any, ctx: Any) -> "HostdevSource":
        parent = el.getparent()
        mode = parent.get("mode", "subsystem") if parent is not None else "subsystem"
        t = parent.get("type") if parent is not None else None
        if mode == "capabilities":
            cls: Any = HostdevSourceCaps
        else:
            cls = SOURCE_CLASSES.get(t or "", HostdevSourceUSB)
        return cls._xml_parse(el, ctx)  # type: ignore[no-any-return]


@xml("source")
class HostdevSourceUSB(HostdevSource):
    KIND: ClassVar[str] = "usb"
    startup_policy: str | None = attribute("startupPolicy", Enum(STARTUP_POLICIES, zero="default"))
    auto_address: bool | None = attribute("autoAddress")
    missing: bool | None = attribute("missing")
    guest_reset: str | None = attribute("guestReset", Enum(USB_GUEST_RESET, zero="default"))
    vendor: USBVendor | None = element("vendor", USBVendor)
    product: USBProduct | None = element("product", USBProduct)
    address: USBHostAddress | None = element("address", USBHostAddress)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for k in ("auto_address", "missing"):
            if k in kw:
                kw[k] = kw[k] == "yes"
        v, p = kw.get("vendor"), kw.get("product")
        if p is not None and v is None:
            raise ctx.error(el, "missing vendor")
        if v is not None and p is None:
            raise ctx.error(el, "missing product")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<source"
        if self.startup_policy is not None:
            s += " startupPolicy='%s'" % self.startup_policy
        if self.auto_address and flags & FormatFlags.MIGRATABLE:
            s += " autoAddress='yes'"
        if self.missing and not flags & FormatFlags.INACTIVE:
            s += " missing='yes'"
        if self.guest_reset is not None:
            s += " guestReset='%s'" % self.guest_reset
        child = []
        ci = ind + "  "
        if self.vendor is not None and self.vendor.id:
            child.append("%s<vendor id='0x%04x'/>\n" % (ci, self.vendor.id))
            child.append("%s<product id='0x%04x'/>\n" % (ci, (self.product.id if self.product else 0) or 0))
        a = self.address
        if a is not None and (a.bus or a.device):
            child.append("%s<address bus='%d' device='%d'/>\n" % (ci, a.bus or 0, a.device or 0))
        _element(out, ind, s, child, "source")


def _element(out: list[str], ind: str, head: str, child: list[str], tag: str) -> None:
    """virXMLFormatElement: nothing when empty."""
    if child:
        out.append(head + ">\n")
        out.extend(child)
        out.append("%s</%s>\n" % (ind, tag))
    elif head.strip() != "<" + tag:
        out.append(head + "/>\n")


# ------------------------------------------------------------------- pci

@xml("address")
class PCIHostAddress:
    """A host PCI address (no ``type``): domain/bus/slot/function."""

    domain: int = attribute("domain", Int(base=0), default=0)
    bus: int = attribute("bus", Int(base=0), default=0)
    slot: int = attribute("slot", Int(base=0), default=0)
    function: int = attribute("function", Int(base=0), default=0)
    type: str | None = attribute("type", when=lambda o, f: False)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        check_pci_address(el, ctx, *(kw.get(k) for k in ("domain", "bus", "slot", "function")))

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        out.append("%s<address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%d'/>\n"
                   % (ind, self.domain, self.bus, self.slot, self.function))


@xml("origstates")
class OrigStates:
    unbind: bool = flag("unbind")
    removeslot: bool = flag("removeslot")
    reprobe: bool = flag("reprobe")


@xml("source")
class HostdevSourcePCI(HostdevSource):
    KIND: ClassVar[str] = "pci"
    write_filtering: bool | None = attribute("writeFiltering", YESNO)
    address: PCIHostAddress | None = element("address", PCIHostAddress)
    origstates: OrigStates | None = element("origstates", OrigStates)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if "origstates" in kw and not ctx.flags & ParseFlags.PCI_ORIG_STATES:
            del kw["origstates"]

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<source"
        if self.write_filtering is not None:
            s += " writeFiltering='%s'" % ("yes" if self.write_filtering else "no")
        child: list[str] = []
        ci = ind + "  "
        (self.address or PCIHostAddress()).xml_format(child, ci, flags)
        o = self.origstates
        if o is not None and flags & FormatFlags.PCI_ORIG_STATES:
            names = [n for n in ORIGSTATES if getattr(o, n)]
            if names:
                child.append(ci + "<origstates>\n")
                child.extend("%s  <%s/>\n" % (ci, n) for n in names)
                child.append(ci + "</origstates>\n")
        _element(out, ind, s, child, "source")


# ------------------------------------------------------------------ scsi

@xml("adapter")
class SCSIAdapter:
    name: str | None = attribute("name")


@xml("address")
class SCSIHostAddress:
    # virXMLPropUInt/ULongLong with base 0 (hex and octal too)
    bus: int | None = attribute("bus", Int(base=0))
    target: int | None = attribute("target", Int(base=0))
    unit: int | None = attribute("unit", Int(bits=64, base=0))
    type: str | None = attribute("type", when=lambda o, f: False)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _required(kw, el, ctx, ("bus", "bus"), ("target", "target"), ("unit", "unit"))


@xml("host")
class ISCSIHost:
    """The iSCSI host (parsed like a disk's ``<host>``; only name and port
    are written)."""

    name: str | None = attribute("name")
    port: int | None = attribute("port", Custom(lambda v: _parse_port(v), str,
                                                message="failed to parse port number '{value}'"))
    transport: str | None = attribute("transport", when=lambda o, f: False)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("transport", "tcp") != "unix" and kw.get("name") is None:
            raise ctx.error(el, "missing name for host")


@xml("source")
class HostdevSourceSCSI(HostdevSource):
    """SCSI: host adapter (``<adapter>`` + ``<address>``) or iSCSI
    (``protocol='iscsi' name=`` + host, auth, initiator)."""

    KIND: ClassVar[str] = "scsi"
    protocol: str | None = attribute("protocol", Enum(("adapter", "iscsi"),
                                                      message="Unknown SCSI subsystem protocol '{value}'"))
    name: str | None = attribute("name")
    adapter: SCSIAdapter | None = element("adapter", SCSIAdapter)
    address: SCSIHostAddress | None = element("address", SCSIHostAddress)
    hosts: list[ISCSIHost] = elements("host", ISCSIHost)
    private_data: PrivateData | None = element("privateData", PrivateData)
    auth: Auth | None = element("auth", Auth)
    initiator: Initiator | None = element("initiator", Initiator)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if "private_data" in kw and not ctx.flags & ParseFlags.STATUS:
            del kw["private_data"]
        if kw.get("protocol") == "iscsi":
            if kw.get("name") is None:
                raise ctx.error(el, "missing iSCSI hostdev source path name")
            if not kw.get("hosts"):
                raise ctx.error(el, "missing the host address for the iSCSI hostdev")
            if len(kw["hosts"]) > 1:
                raise ctx.error(el, "only one source host address may be specified for the iSCSI hostdev")
            auth = kw.get("auth")
            if auth is not None:
                stype = auth.secret.type if auth.secret is not None else None
                if stype not in ("none", "volume", "ceph", "iscsi", "tls", "vtpm"):
                    raise ctx.error(el, "invalid secret type %s" % ("(null)" if stype is None else stype))
                if stype != "iscsi":
                    raise ctx.error(el, f"hostdev invalid secret type '{stype}'")
            for f, tag in (("adapter", "adapter"), ("address", "address")):
                if kw.get(f) is not None:
                    kw[f] = None
                    ctx.ignored.append((el.sourceline, ctx.path(el) + "/" + tag, "element"))
        else:
            kw["protocol"] = None
            ad = kw.get("adapter")
            if ad is None or not ad.name:  # an empty name too (virXPathString)
                raise ctx.error(el, "'adapter' name must be specified for scsi hostdev source")
            if kw.get("address") is None:
                raise ctx.error(el, "'address' must be specified for scsi hostdev source")
            for f, tag in (("hosts", "host"), ("auth", "auth"), ("initiator", "initiator")):
                if kw.get(f):
                    kw[f] = [] if f == "hosts" else None
                    ctx.ignored.append((el.sourceline, ctx.path(el) + "/" + tag, "element"))
            if kw.get("name") is not None:
                kw["name"] = None
                ctx.ignored.append((el.sourceline, ctx.path(el), "@name"))

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        ci = ind + "  "
        child: list[str] = []
        if self.protocol == "iscsi":
            s = "%s<source protocol='iscsi' name='%s'" % (ind, self.name or "")
            h = self.hosts[0] if self.hosts else ISCSIHost()
            hs = ci + "<host"
            if h.name is not None:
                hs += " name='%s'" % escape(h.name)
            if h.port:
                hs += " port='%d'" % h.port
            child.append(hs + "/>\n")
            if self.private_data is not None and flags & FormatFlags.STATUS:
                self.private_data.xml_format(child, ci, flags)
            if self.auth is not None:
                self.auth.xml_format(child, ci, flags)
            if self.initiator is not None:
                self.initiator.xml_format(child, ci, flags)
        else:
            s = ind + "<source"
            child.append("%s<adapter name='%s'/>\n" % (ci, (self.adapter.name if self.adapter else None) or ""))
            a = self.address or SCSIHostAddress()
            child.append("%s<address bus='%d' target='%d' unit='%d'/>\n" % (ci, a.bus or 0, a.target or 0, a.unit or 0))
            if self.private_data is not None and flags & FormatFlags.STATUS:
                self.private_data.xml_format(child, ci, flags)
        _element(out, ind, s, child, "source")


_WWPN = re.compile(r"naa\.[0-9a-fA-F]{16}\Z")


@xml("source")
class HostdevSourceSCSIHost(HostdevSource):
    KIND: ClassVar[str] = "scsi_host"
    protocol: str | None = attribute("protocol", Enum(("none", "vhost"),
                                                      message="Unknown scsi_host subsystem protocol '{value}'",
                                                      zero="none"))
    wwpn: str | None = attribute("wwpn")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("protocol") is None:
            raise ctx.error(el, "Missing scsi_host subsystem protocol")
        w = kw.get("wwpn")
        if w is None:
            raise ctx.error(el, "missing vhost-scsi hostdev source wwpn")
        if _WWPN.match(w) is None:
            raise ctx.error(el, "malformed 'wwpn' value")


@xml("address")
class MdevAddress:
    uuid: str | None = attribute("uuid")


@xml("source")
class HostdevSourceMdev(HostdevSource):
    KIND: ClassVar[str] = "mdev"
    address: MdevAddress | None = element("address", MdevAddress)

    def check(self, el: Any, ctx: Any) -> None:
        """Run by :class:`Hostdev` after its own checks (libvirt's order)."""
        import uuid as _uuid

        a = self.address
        if a is None:
            raise ctx.error(el, "Missing <address> element")
        if a.uuid is None:
            raise ctx.error(el, "Missing 'uuid' attribute for element <address>")
        try:
            a.uuid = str(_uuid.UUID(a.uuid.replace("-", "").replace(" ", "")))
        except ValueError:
            raise ctx.error(el, "Cannot parse uuid attribute of element <address>") from None


@xml("source")
class HostdevSourceCaps(HostdevSource):
    """Capabilities mode: ``<block>``, ``<char>`` or ``<interface>``."""

    KIND: ClassVar[str] = "caps"
    block: str | None = text_element("block")
    char: str | None = text_element("char")
    interface: str | None = text_element("interface")


SOURCE_CLASSES: dict[str, Any] = {c.KIND: c for c in (HostdevSourceUSB, HostdevSourcePCI, HostdevSourceSCSI,
                                                       HostdevSourceSCSIHost, HostdevSourceMdev)}
#: discriminated union (virtxml.jsonio): variant name -> class
HostdevSource.__xml_union__ = {**SOURCE_CLASSES, "caps": HostdevSourceCaps}  # type: ignore[attr-defined]


@xml("driver")
class HostdevDriver:
    name: str | None = attribute("name", Enum(PCI_BACKENDS, zero="default"))


MANAGED = Custom(lambda s: s == "yes", lambda v: "yes" if v else "no", name="managed")


@xml("hostdev")
class Hostdev:
    """``<hostdev>``; the written layout is virDomainHostdevDefFormat's."""

    mode: str = attribute("mode", Enum(HOSTDEV_MODES, message="unknown hostdev mode '{value}'"), default="subsystem")
    type: str | None = attribute("type")
    managed: bool = attribute("managed", MANAGED, default=False)
    sgio: str | None = attribute("sgio", Enum(SGIO, zero="default"))
    rawio: bool | None = attribute("rawio", Enum(("yes", "no")))
    model: str | None = attribute("model")
    display: bool | None = attribute("display", ONOFF)
    ramfb: bool | None = attribute("ramfb", ONOFF)
    driver: HostdevDriver | None = element("driver", HostdevDriver)
    source: HostdevSource | None = element("source", HostdevSource)
    ips: list[NetIP] = elements("ip", NetIP)
    routes: list[NetRoute] = elements("route", NetRoute)
    teaming: NetTeaming | None = element("teaming", NetTeaming)
    readonly: bool = flag("readonly")
    shareable: bool = flag("shareable")
    boot: Boot | None = element("boot", Boot)
    alias: Alias | None = element("alias", Alias)
    acpi: ACPI | None = element("acpi", ACPI)
    rom: ROM | None = element("rom", ROM)
    address: Address | None = element("address", Address)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        mode = kw.get("mode", "subsystem")
        t = kw.get("type")

        def ignore_attr(field: str, name: str) -> None:
            if kw.get(field) is not None:
                kw[field] = None
                ctx.ignored.append((el.sourceline, ctx.path(el), "@" + name))

        if mode == "subsystem":
            if t is None:
                raise ctx.error(el, "missing source address type")
            if t not in SUBSYS_TYPES:
                raise ctx.error(el, f"unknown host device source address type '{t}'")
            # virDomainHostdevDefParseXMLSubsys's order: <source>, then
            # startupPolicy, sgio, rawio and model
            src_el = first_child(el, "source")
            if src_el is None:
                raise ctx.error(el, "Missing <source> element in hostdev device")
            if t != "usb" and src_el.get("startupPolicy") is not None:
                raise ctx.error(el, "Setting startupPolicy is only allowed for USB devices")
            if t != "scsi":
                if kw.get("sgio") is not None:
                    raise ctx.error(el, "sgio is only supported for scsi host device")
                if kw.get("rawio") is not None:
                    raise ctx.error(el, "rawio is only supported for scsi host device")
            elif kw.get("rawio") is not None:
                kw["rawio"] = kw["rawio"] == "yes"
            m = kw.get("model")
            if t == "mdev":
                if m is None:
                    raise ctx.error(el, "Missing required attribute 'model' in element 'hostdev'")
                if m not in MDEV_MODELS:
                    raise ctx.error(el, f"Invalid value for attribute 'model' in element 'hostdev': '{m}'.")
            elif t == "scsi_host":
                if m is not None:
                    if m not in SCSI_HOST_MODELS:
                        raise ctx.error(el, f"Invalid value for attribute 'model' in element 'hostdev': '{m}'.")
                    if m == "default":
                        kw["model"] = None
            elif m is not None:
                raise ctx.error(el, f"'model' attribute in <hostdev> is only supported when type='{t}'")
            if t != "mdev":
                ignore_attr("display", "display")
                ignore_attr("ramfb", "ramfb")
            if t != "pci" and kw.get("driver") is not None:
                kw["driver"] = None
                ctx.ignored.append((el.sourceline, ctx.path(el) + "/driver", "element"))
            drv = kw.get("driver")
            if drv is not None and drv.name in (None, "default"):
                kw["driver"] = None
            if kw.get("source") is None and t in ("usb", "pci", "scsi", "scsi_host", "mdev"):
                raise ctx.error(el, "Missing <source> element in hostdev device")
            if t == "mdev":
                kw["source"].check(el, ctx)
            if t != "scsi":
                for f in ("readonly", "shareable"):
                    if kw.get(f):
                        kw[f] = False
                        ctx.ignored.append((el.sourceline, ctx.path(el) + "/" + f, "element"))
        else:
            if t is None:
                raise ctx.error(el, "missing source address type")
            if t not in CAPS_TYPES:
                raise ctx.error(el, f"unknown host device source address type '{t}'")
            for f, n in (("sgio", "sgio"), ("rawio", "rawio"), ("model", "model"), ("display", "display"),
                         ("ramfb", "ramfb")):
                ignore_attr(f, n)
            if el.get("managed") is not None:
                ctx.ignored.append((el.sourceline, ctx.path(el), "@managed"))
            kw["managed"] = False
            src = kw.get("source")
            if src is None:
                raise ctx.error(el, "Missing <source> element in hostdev device")
            want = {"storage": "block", "misc": "char", "net": "interface"}[t]
            val = getattr(src, want)
            if val is None:
                raise ctx.error(el, {"storage": "Missing <block> element in hostdev storage device",
                                     "misc": "Missing <char> element in hostdev character device",
                                     "net": "Missing <interface> element in hostdev net device"}[t])
            kw["source"] = HostdevSourceCaps(**{want: val})
            if t != "net":
                for f, tag in (("ips", "ip"), ("routes", "route")):
                    if kw.get(f):
                        kw[f] = []
                        ctx.ignored.append((el.sourceline, ctx.path(el) + "/" + tag, "element"))
            else:
                # virDomainNetIPInfoParseXML, shared with <interface>
                from .interface import _check_ip, _check_route

                for ip, iel in zip(kw.get("ips") or [], [c for c in el if c.tag == "ip"]):
                    _check_ip(ctx, iel, ip)
                for r, rel in zip(kw.get("routes") or [], [c for c in el if c.tag == "route"]):
                    _check_route(ctx, rel, r, "Domain hostdev device")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        ci = ind + "  "
        s = "%s<hostdev mode='%s' type='%s'" % (ind, self.mode, escape(self.type or ""))
        if self.mode == "subsystem":
            s += " managed='%s'" % ("yes" if self.managed else "no")
            if self.type == "scsi":
                if self.sgio is not None:
                    s += " sgio='%s'" % self.sgio
                if self.rawio is not None:
                    s += " rawio='%s'" % ("yes" if self.rawio else "no")
            if self.type == "scsi_host" and self.model not in (None, "default"):
                s += " model='%s'" % self.model
            if self.type == "mdev":
                s += " model='%s'" % escape(self.model or "")
                if self.display is not None:
                    s += " display='%s'" % ("on" if self.display else "off")
                if self.ramfb is not None:
                    s += " ramfb='%s'" % ("on" if self.ramfb else "off")
        out.append(s + ">\n")
        if self.mode == "subsystem":
            if self.type == "pci" and self.driver is not None and self.driver.name not in (None, "default"):
                out.append("%s<driver name='%s'/>\n" % (ci, self.driver.name))
            if self.source is not None:
                self.source.xml_format(out, ci, flags)
        else:
            src = self.source
            out.append(ci + "<source>\n")
            cci = ci + "  "
            if src is not None:
                tag, val = {"storage": ("block", src.block), "misc": ("char", src.char),
                            "net": ("interface", src.interface)}.get(self.type or "", ("", None))
                if val is not None:
                    out.append("%s<%s>%s</%s>\n" % (cci, tag, escape(val), tag))
            out.append(ci + "</source>\n")
            if self.type == "net":
                for ip in self.ips:
                    ip.format(out, ci)
                for r in self.routes:
                    r.format(out, ci)
        tm = self.teaming
        if tm is not None and tm.type not in (None, "none"):
            ts = ci + "<teaming type='%s'" % escape(tm.type)
            if tm.persistent is not None:
                ts += " persistent='%s'" % escape(tm.persistent)
            out.append(ts + "/>\n")
        if self.readonly:
            out.append(ci + "<readonly/>\n")
        if self.shareable:
            out.append(ci + "<shareable/>\n")
        for f in (self.boot, self.alias, self.acpi, self.rom, self.address):
            if f is not None:
                f.xml_format(out, ci, flags)
        out.append(ind + "</hostdev>\n")


__all__ = ["Hostdev", "HostdevSource", "HostdevSourceUSB", "HostdevSourcePCI", "HostdevSourceSCSI",
           "HostdevSourceSCSIHost", "HostdevSourceMdev", "HostdevSourceCaps", "HostdevDriver", "PCIHostAddress",
           "SCSIHostAddress", "SCSIAdapter", "ISCSIHost", "USBVendor", "USBProduct", "USBHostAddress", "MdevAddress",
           "OrigStates", "SOURCE_CLASSES"]
