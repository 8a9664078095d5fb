"""Device info: the children every device may carry (libvirt's
virDomainDeviceInfo, parsed by virDomainDeviceInfoParseXML and written by
virDomainDeviceInfoFormat).

libvirt writes them, inside each device, as one block in this order::

    <boot order='N' loadparm='X'/>      only devices parsed with ALLOW_BOOT
    <alias name='...'/>
    <master startport='N'/>             USB companion controllers
    <acpi index='N'/>
    <rom enabled='..' bar='..' file='..'/>   only devices parsed with ALLOW_ROM
    <address type='...' .../>

The block sits at a different place in every device (after ``<target>`` in
a disk, before ``<pcihole64>`` in a controller, ...), so a device class
declares the fields it has itself, in its own field order::

    from .info import ACPI, ROM, Address, Alias, Boot, Master

    @xml("disk")
    class Disk:
        ...
        boot: Boot | None = element("boot", Boot)
        alias: Alias | None = element("alias", Alias)
        acpi: ACPI | None = element("acpi", ACPI)
        address: Address | None = element("address", Address)

``Address`` is a dispatcher: ``element("address", Address)`` binds one of
the per-type classes (``AddressPCI``, ``AddressDrive``, ...) chosen by the
``type`` attribute; every one of them is an ``Address`` (isinstance) and has
a ``type`` string.  ``Address.for_type("pci", slot=3)`` builds one.  A
device that does not declare ``boot``/``rom`` ignores them, as libvirt does
without ALLOW_BOOT / ALLOW_ROM.  ``omit_if_empty`` (class decorator) gives
a class libvirt's virXMLFormatElement behaviour (nothing written when it has
no attribute and no child); ``VIRTIO_OPTIONS`` documents the order of the
virtio ``<driver>`` attributes.

Discriminated unions (``Address`` here, the typed disk and hostdev
``<source>`` classes) declare ``__xml_union__`` (variant name -> class) for
:mod:`virtxml.jsonio`.

Alias, INACTIVE parse (behaviour reference §1.1): libvirt keeps the alias
only when the driver has VIR_DOMAIN_DEF_FEATURE_USER_ALIAS and the name is a
user alias (``ua-`` prefix, chars ``[A-Za-z0-9_-]``).  Driver features are
unknown at bind time, so with ParseFlags.INACTIVE the binding keeps user
aliases and drops every other one; a driver without USER_ALIAS must drop
the remaining ``ua-`` aliases in its post-parse (``alias.user`` is True on
them).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from ...binding import ONOFF, UINT, YESNO, ConvError, Custom, Int, attribute, custom_format, element, escape, xml
from ...binding.compiler import compile_class
from ...flags import ParseFlags

# ------------------------------------------------------------------ <boot>

_LOADPARM_OK = re.compile(r"[A-Za-z0-9. ]*\Z")


def check_pci_address(el: Any, ctx: Any, domain: int | None, bus: int | None, slot: int | None,
                      function: int | None) -> None:
    """virPCIDeviceAddressParseXML's range check, made only when the address
    is not empty (virPCIDeviceAddressIsEmpty: domain, bus and slot zero;
    the function does not count); libvirt 9.0 has no upper bound for the
    PCI domain."""
    if not (domain or bus or slot):
        return
    if (bus or 0) > 0xFF:
        raise ctx.error(el, "Invalid PCI address bus='0x%x', must be <= 0xFF" % bus)
    if (slot or 0) > 0x1F:
        raise ctx.error(el, "Invalid PCI address slot='0x%x', must be <= 0x1F" % slot)
    if (function or 0) > 7:
        raise ctx.error(el, "Invalid PCI address function=0x%x, must be <= 7" % function)



@xml("boot")
class Boot:
    """``<boot order='N' loadparm='X'/>`` (virDomainDeviceBootParseXML).
    ``loadparm`` is stored upper-cased, as libvirt does."""

    order: int | None = attribute("order", Int(nonzero=True))
    loadparm: str | None = attribute("loadparm")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if el.get("order") is None:
            raise ctx.error(el, "Missing required attribute 'order' in element 'boot'")
        lp = kw.get("loadparm")
        if lp is not None:
            # virDomainDeviceBootParseXML upper-cases first, then checks
            lp = "".join(c.upper() if c.isascii() else c for c in lp)
            if not 1 <= len(lp.encode()) <= 8:
                raise ctx.error(el, f"loadparm value '{lp}' must be between 1 and 8 characters")
            for ch in lp:
                if not (ch.isascii() and (ch.isalnum() or ch in ". ")):
                    raise ctx.error(el, f"invalid loadparm value '{lp}', expecting chars in set of "
                                        "[a-zA-Z0-9.] and blank spaces")
            kw["loadparm"] = lp


# ------------------------------------------------------------------ <alias>

USER_ALIAS_PREFIX = "ua-"
_USER_ALIAS_CHARS = re.compile(r"[A-Za-z0-9_-]*\Z")


def is_user_alias(name: str) -> bool:
    """virDomainDeviceAliasIsUserAlias plus the USER_ALIAS_CHARS check."""
    return name.startswith(USER_ALIAS_PREFIX) and _USER_ALIAS_CHARS.match(name) is not None


@xml("alias")
class Alias:
    """``<alias name='...'/>``.  Parsing yields ``None`` (no alias) when the
    name is missing, or under ParseFlags.INACTIVE when it is not a user
    alias (see module docstring)."""

    name: str | None = attribute("name")

    @property
    def user(self) -> bool:
        return self.name is not None and is_user_alias(self.name)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.name is not None:
            out.append("%s<alias name='%s'/>\n" % (ind, escape(self.name)))


def _alias_parse(el: Any, ctx: Any) -> "Alias | None":
    obj = _alias_generated_parse(el, ctx)
    if obj.name is None:
        return None
    if ctx.flags & ParseFlags.INACTIVE and not is_user_alias(obj.name):
        return None
    return obj  # type: ignore[no-any-return]


# compile now, then put the INACTIVE rule in front of the generated parser
compile_class(Alias)
_alias_generated_parse = Alias._xml_parse
Alias._xml_parse = staticmethod(_alias_parse)  # type: ignore[method-assign,assignment]


# ------------------------------------------------------------------ <master>

@xml("master")
class Master:
    """``<master startport='N'/>`` of a USB companion controller."""

    startport: int = attribute("startport", UINT, default=0)


# ------------------------------------------------------------------ <acpi>

@xml("acpi")
class ACPI:
    """``<acpi index='N'/>`` (non-zero)."""

    index: int | None = attribute("index", Int(nonzero=True))


# ------------------------------------------------------------------ <rom>

@xml("rom")
class ROM:
    """``<rom enabled='yes|no' bar='on|off' file='...'/>`` (ALLOW_ROM devices)."""

    enabled: bool | None = attribute("enabled", YESNO)
    bar: bool | None = attribute("bar", ONOFF)
    file: str | None = attribute("file")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("enabled") is False and (kw.get("bar") is not None or kw.get("file") is not None):
            raise ctx.error(el, "ROM tuning is not supported when ROM is disabled")


# --------------------------------------------------------------- <address>

ADDRESS_TYPES = ("none", "pci", "drive", "virtio-serial", "ccid", "usb", "spapr-vio", "virtio-s390",
                 "ccw", "virtio-mmio", "isa", "dimm", "unassigned")


def _hex(width: int) -> Any:
    return lambda v: "0x%0*x" % (width, v)


UINT_B0 = Int(base=0)  # virXMLPropUInt(..., 0, ...): 0x.., 0.. octal, decimal
UINT_B16 = Int(base=16)
ULONG_B16 = Int(base=16, bits=64)
ULONG_B0 = Int(base=0, bits=64)


class Address:
    """Base of every ``<address>`` class; ``Address._xml_parse`` picks the
    class for the ``type`` attribute (virDomainDeviceAddressParseXML)."""

    __slots__ = ()
    TYPE: ClassVar[str] = ""
    type: str

    @staticmethod
    def _xml_parse(el: Any, ctx: Any) -> "Address | None":
        t = el.get("type")
        if t is None:
            raise ctx.error(el, "No type specified for device address")
        cls = ADDRESS_CLASSES.get(t)
        if cls is None:
            raise ctx.error(el, f"unknown address type '{t}'")
        return cls._xml_parse(el, ctx)  # type: ignore[no-any-return]

    @classmethod
    def for_type(cls, type_: str, **kw: Any) -> "Address":
        return ADDRESS_CLASSES[type_](**kw)  # type: ignore[no-any-return]


def _type_attr(t: str) -> Any:
    return attribute("type", default=t)


@xml("zpci")
class ZPCI:
    """``<zpci uid='0x%04x' fid='0x%08x'/>`` under a PCI address."""

    uid: int | None = attribute("uid", Int(base=0, fmt=_hex(4)))
    fid: int | None = attribute("fid", Int(base=0, fmt=_hex(8)))

    def xml_format_always(self, out: list[str], ind: str) -> None:  # both printed once present
        out.append("%s<zpci uid='0x%04x' fid='0x%08x'/>\n" % (ind, self.uid or 0, self.fid or 0))


@xml("address")
class AddressPCI(Address):
    """PCI: domain 0x%04x, bus 0x%02x, slot 0x%02x, function 0x%x; all four
    omitted when domain, bus and slot are zero (virPCIDeviceAddressIsEmpty
    ignores the function); multifunction written
    either way."""

    TYPE: ClassVar[str] = "pci"
    type: str = _type_attr("pci")
    domain: int | None = attribute("domain", UINT_B0)
    bus: int | None = attribute("bus", UINT_B0)
    slot: int | None = attribute("slot", UINT_B0)
    function: int | None = attribute("function", UINT_B0)
    multifunction: bool | None = attribute("multifunction", ONOFF)
    zpci: ZPCI | None = element("zpci", ZPCI)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        check_pci_address(el, ctx, *(kw.get(k) for k in ("domain", "bus", "slot", "function")))
        # zPCI uid/fid ranges are checked at validation time (libvirt 9.0
        # accepts uid='0x0' when parsing: checked with the test driver)

    def is_empty(self) -> bool:
        """virPCIDeviceAddressIsEmpty: the function does not count."""
        return not (self.domain or self.bus or self.slot)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<address type='pci'"
        if not self.is_empty():
            s += " domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%d'" % (
                self.domain or 0, self.bus or 0, self.slot or 0, self.function or 0)
        if self.multifunction is not None:
            s += " multifunction='%s'" % ("on" if self.multifunction else "off")
        z = self.zpci
        if z is not None and (z.uid is not None or z.fid is not None):
            out.append(s + ">\n")
            z.xml_format_always(out, ind + "  ")
            out.append(ind + "</address>\n")
        else:
            out.append(s + "/>\n")


@xml("address")
class AddressDrive(Address):
    TYPE: ClassVar[str] = "drive"
    type: str = _type_attr("drive")
    controller: int = attribute("controller", UINT, default=0)
    bus: int = attribute("bus", UINT, default=0)
    target: int = attribute("target", UINT, default=0)
    unit: int = attribute("unit", UINT, default=0)


@xml("address")
class AddressVirtioSerial(Address):
    TYPE: ClassVar[str] = "virtio-serial"
    type: str = _type_attr("virtio-serial")
    controller: int = attribute("controller", UINT, default=0)
    bus: int = attribute("bus", UINT, default=0)
    port: int = attribute("port", UINT, default=0)


@xml("address")
class AddressCCID(Address):
    TYPE: ClassVar[str] = "ccid"
    type: str = _type_attr("ccid")
    controller: int = attribute("controller", UINT, default=0)
    slot: int = attribute("slot", UINT, default=0)


_USB_PORT_MSG = "Cannot parse <address> 'port' attribute"
_USB_PORT_RE = re.compile(r"\s*\+?\d+")


def _usb_port_parse(s: str) -> tuple[int, ...]:
    """virDomainDeviceUSBAddressParsePort: up to 4 dot-separated numbers."""
    ports: list[int] = []
    rest = s
    for _ in range(4):
        m = _USB_PORT_RE.match(rest)
        if m is None:
            break
        v = int(m.group(0))
        if v > 0xFFFFFFFF:
            break
        ports.append(v)
        rest = rest[m.end():]
        if rest == "":
            return tuple(ports)
        if rest.startswith("."):
            rest = rest[1:]
    raise ConvError(_USB_PORT_MSG)


def _usb_port_fmt(v: tuple[int, ...]) -> str:
    parts = []
    for p in v:
        if p == 0:
            break
        parts.append(str(p))
    return ".".join(parts)


USB_PORT = Custom(_usb_port_parse, _usb_port_fmt, message=_USB_PORT_MSG, name="usbport")


@xml("address")
class AddressUSB(Address):
    """USB: ``bus`` then ``port`` (a dotted path, stored as a tuple of ints;
    written up to the first zero, and only when its first element is
    non-zero)."""

    TYPE: ClassVar[str] = "usb"
    type: str = _type_attr("usb")
    bus: int = attribute("bus", UINT, default=0)
    port: tuple[int, ...] | None = attribute("port", USB_PORT, when=lambda o, f: bool(o.port and o.port[0]))

    def __attrs_post_init__(self) -> None:
        if self.port is not None and not isinstance(self.port, tuple):
            self.port = tuple(self.port)  # e.g. a list from JSON

    @property
    def ports(self) -> tuple[int, ...]:
        return self.port or ()


@xml("address")
class AddressSpaprVio(Address):
    TYPE: ClassVar[str] = "spapr-vio"
    type: str = _type_attr("spapr-vio")
    reg: int | None = attribute("reg", Int(base=16, bits=64, fmt=_hex(8)))


@xml("address")
class AddressVirtioS390(Address):
    """libvirt 9.0 refuses it while parsing the device (XML error)."""

    TYPE: ClassVar[str] = "virtio-s390"
    type: str = _type_attr("virtio-s390")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        raise ctx.error(el, "virtio-s390 bus doesn't have an address")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        return


@xml("address")
class AddressCCW(Address):
    """CCW: cssid 0x%x, ssid 0x%x, devno 0x%04x; all three or none."""

    TYPE: ClassVar[str] = "ccw"
    type: str = _type_attr("ccw")
    cssid: int | None = attribute("cssid", Int(base=0, fmt=_hex(0)))
    ssid: int | None = attribute("ssid", Int(base=0, fmt=_hex(0)))
    devno: int | None = attribute("devno", Int(base=0, fmt=_hex(4)))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        have = [kw.get(k) is not None for k in ("cssid", "ssid", "devno")]
        if any(have) and not all(have):
            raise ctx.error(el, "Invalid partial specification for virtio ccw address")
        if all(have):
            c, s, d = kw["cssid"], kw["ssid"], kw["devno"]
            if c > 0xFE or s > 0x3 or d > 0xFFFF:
                raise ctx.error(el, "Invalid specification for virtio ccw address: cssid='0x%x' ssid='0x%x' "
                                    "devno='0x%04x'" % (c, s, d))

    @property
    def assigned(self) -> bool:
        return self.cssid is not None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        out.append("%s<address type='ccw' cssid='0x%x' ssid='0x%x' devno='0x%04x'/>\n"
                   % (ind, self.cssid or 0, self.ssid or 0, self.devno or 0))


@xml("address")
class AddressVirtioMMIO(Address):
    TYPE: ClassVar[str] = "virtio-mmio"
    type: str = _type_attr("virtio-mmio")


@xml("address")
class AddressISA(Address):
    """ISA: iobase / irq in hex, each only when non-zero."""

    TYPE: ClassVar[str] = "isa"
    type: str = _type_attr("isa")
    iobase: int | None = attribute("iobase", Int(base=0, fmt=_hex(0)), when=lambda o, f: bool(o.iobase))
    irq: int | None = attribute("irq", Int(base=0, fmt=_hex(0)), when=lambda o, f: bool(o.irq))


@xml("address")
class AddressDIMM(Address):
    """DIMM: slot decimal, base 0x%llx when non-zero."""

    TYPE: ClassVar[str] = "dimm"
    type: str = _type_attr("dimm")
    slot: int = attribute("slot", UINT, default=0)
    base: int | None = attribute("base", Int(base=16, bits=64, fmt=_hex(0)), when=lambda o, f: bool(o.base))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if el.get("slot") is None:
            raise ctx.error(el, "Missing required attribute 'slot' in element 'address'")


@xml("address")
class AddressUnassigned(Address):
    TYPE: ClassVar[str] = "unassigned"
    type: str = _type_attr("unassigned")


ADDRESS_CLASSES: dict[str, type] = {
    c.TYPE: c for c in (AddressPCI, AddressDrive, AddressVirtioSerial, AddressCCID, AddressUSB,
                        AddressSpaprVio, AddressVirtioS390, AddressCCW, AddressVirtioMMIO, AddressISA,
                        AddressDIMM, AddressUnassigned)
}
#: discriminated union (virtxml.jsonio): variant name -> class
Address.__xml_union__ = ADDRESS_CLASSES  # type: ignore[attr-defined]

__all__ = [
    "ACPI", "ROM", "Address", "Alias", "Boot", "Master", "ZPCI", "ADDRESS_TYPES", "ADDRESS_CLASSES",
    "AddressPCI", "AddressDrive", "AddressVirtioSerial", "AddressCCID", "AddressUSB", "AddressSpaprVio",
    "AddressVirtioS390", "AddressCCW", "AddressVirtioMMIO", "AddressISA", "AddressDIMM",
    "AddressUnassigned", "is_user_alias", "USER_ALIAS_PREFIX",
]


# ----------------------------------------------------------------- helpers

def omit_if_empty(cls: Any) -> Any:
    """Class decorator (put it above ``@xml``): give the class libvirt's
    virXMLFormatElement behaviour -- the element is not written at all when
    it would have no attribute and no child.  The class must not define its
    own ``xml_format``."""
    from ...binding.compiler import compile_class

    empty_tail = "<%s/>\n" % cls.__xml_tag__

    def xml_format(self: Any, out: list[str], ind: str, flags: int) -> None:
        n = len(out)
        self._xml_format_generated(out, ind, flags)
        if len(out) == n + 1 and out[n] == ind + empty_tail:
            del out[n]

    xml_format._virtxml_custom = True  # type: ignore[attr-defined]
    cls.xml_format = xml_format
    compile_class(cls)
    cls.xml_format = xml_format
    return cls


# an empty <rom/> or <acpi/> is not written (virXMLFormatElement)
omit_if_empty(ROM)
omit_if_empty(ACPI)


#: virtio options (virDomainVirtioOptionsFormat) are written at the end of a
#: device's ``<driver>`` attributes in this order; declare them last::
#:
#:     iommu: bool | None = attribute("iommu", ONOFF)
#:     ats: bool | None = attribute("ats", ONOFF)
#:     packed: bool | None = attribute("packed", ONOFF)
#:     page_per_vq: bool | None = attribute("page_per_vq", ONOFF)
VIRTIO_OPTIONS = ("iommu", "ats", "packed", "page_per_vq")

__all__ += ["omit_if_empty", "VIRTIO_OPTIONS"]
