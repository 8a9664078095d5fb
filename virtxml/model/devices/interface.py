"""``<interface>`` (virDomainNetDefParseXML / virDomainNetDefFormat).

The instance keeps what libvirt's parser keeps: attributes libvirt reads
only for some interface types are dropped for the others, defaults
libvirt applies while parsing are filled in (``direct`` source mode
``vepa``, driver ``queues='1'`` -> none, a generated MAC address when
``<mac>`` has none, generated virtualport ids), and:

* ``<source portid>`` of type network is ignored with ParseFlags.INACTIVE
  and not written with FormatFlags.INACTIVE;
* ``<actual>`` is read only with ParseFlags.ACTUAL_NET and written only with
  FormatFlags.ACTUAL_NET; live output (no INACTIVE/ACTUAL_NET/MIGRATABLE)
  reports the actual network connection in place of the configured one;
* ``<target dev>`` names starting with ``vnet``, ``macvtap``, ``macvlan``
  (or the driver's ``net_prefix``) are dropped with ParseFlags.INACTIVE and
  not written with FormatFlags.INACTIVE, unless ``managed='no'``.
"""

from __future__ import annotations

import ipaddress
import random
import re
import uuid as _uuid
from typing import Any

import attrs

from ...binding import (INT, LONG, ONOFF, UINT, ULONG, YESNO, ConvError, Int, attribute, custom_format, element,
                        elements, escape, text_element, xml)
from ...flags import FormatFlags, ParseFlags
from ..common import checked_later
from .chardev import Reconnect, first_child, invalid_attr, missing_attr, sanitize_path
from .info import ACPI, ROM, Address, Alias, Boot, Master, check_pci_address
from .video import virtio_options_attrs

NET_TYPES = ("user", "ethernet", "vhostuser", "server", "client", "mcast", "network", "bridge", "internal",
             "direct", "hostdev", "udp", "vdpa", "null", "vds")
NET_MODELS = ("unknown", "netfront", "rtl8139", "virtio", "e1000", "e1000e", "virtio-transitional",
              "virtio-non-transitional", "usb-net", "spapr-vlan", "lan9118", "scm91c111", "vlance", "vmxnet",
              "vmxnet2", "vmxnet3", "Am79C970A", "Am79C973", "82540EM", "82545EM", "82543GC")
VIRTIO_MODELS = ("virtio", "virtio-transitional", "virtio-non-transitional")
MACVLAN_MODES = ("vepa", "private", "bridge", "passthrough")
VPORT_TYPES = ("none", "802.1Qbg", "802.1Qbh", "openvswitch", "midonet")
MAC_TYPES = ("generated", "static")
LINK_STATES = ("up", "down")
TEAMING_TYPES = ("none", "persistent", "transient")
NET_DRIVERS = ("default", "qemu", "vhost")
TX_MODES = ("default", "iothread", "timer")
NET_BACKENDS = ("default", "passt")
PROTOS = ("none", "tcp", "udp")
HOSTDEV_PCI_BACKENDS = ("default", "kvm", "vfio", "xen")
MAC_TABLE_MANAGERS = ("default", "kernel", "libvirt")
GENERATED_PREFIXES = ("vnet", "macvtap", "macvlan")
_NET_MODEL_CHARS = re.compile(r"[A-Za-z0-9_-]*\Z")
_VAR_NAME = re.compile(r"[a-zA-Z0-9_]+\Z")
_VAR_VALUE = re.compile(r"[a-zA-Z0-9_.:]+\Z")

# ------------------------------------------------------------- small pieces


def _yn(v: bool) -> str:
    return "yes" if v else "no"


def _onoff(v: bool) -> str:
    return "on" if v else "off"


def _ip(s: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(s.strip())
    except ValueError:
        pass
    # virSocketAddrParse is getaddrinfo(AI_NUMERICHOST): the inet_aton forms
    # ('0', '127.1', '0x7f.1', octal parts) are IPv4 addresses too
    import socket

    t = s.strip()
    if not t or ":" in t or not t.isascii() or not t[0].isalnum() or any(c.isspace() for c in t):
        return None  # (inet_aton would take trailing text after a space; getaddrinfo does not)
    try:
        return ipaddress.IPv4Address(socket.inet_aton(t))
    except (OSError, ValueError):
        return None


def _uuid_parse(s: str) -> str | None:
    """virUUIDParse: 32 hex digits, '-' and spaces allowed between; returns
    the canonical form."""
    t = s.strip()
    digits = []
    for ch in t:
        if ch in "- ":
            continue
        if ch not in "0123456789abcdefABCDEF":
            return None
        digits.append(ch)
    if len(digits) != 32:
        return None
    h = "".join(digits).lower()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def parse_mac(s: str) -> str | None:
    """virMacAddrParse: six hex bytes separated by ':'; canonical lower-case."""
    parts = s.split(":")
    if len(parts) != 6:
        return None
    out = []
    for p in parts:
        if not 1 <= len(p) <= 2 or any(c not in "0123456789abcdefABCDEF" for c in p):
            return None
        out.append(int(p, 16))
    return ":".join("%02x" % b for b in out)


def generate_mac(prefix: str = "52:54:00") -> str:
    return prefix + "".join(":%02x" % random.randrange(256) for _ in range(3))


@xml("mac")
class NetMac:
    address: str | None = attribute("address")
    type: str | None = attribute("type")
    check: bool | None = attribute("check", YESNO)


@xml("ip")
class NetIP:
    address: str | None = attribute("address")
    family: str | None = attribute("family")
    prefix: Any = attribute("prefix")
    peer: str | None = attribute("peer")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        self.format(out, ind)

    def format(self, out: list[str], ind: str) -> None:
        ip = _ip(self.address or "")
        s = ind + "<ip address='%s'" % (str(ip) if ip is not None else self.address)
        if ip is not None:
            s += " family='%s'" % ("ipv6" if ip.version == 6 else "ipv4")
        if self.prefix:
            s += " prefix='%u'" % self.prefix
        if self.peer is not None:
            p = _ip(self.peer)
            s += " peer='%s'" % (str(p) if p is not None else self.peer)
        out.append(s + "/>\n")


@xml("route")
class NetRoute:
    family: str | None = attribute("family")
    address: str | None = attribute("address")
    netmask: str | None = attribute("netmask")
    prefix: int | None = attribute("prefix", UINT)
    gateway: str | None = attribute("gateway")
    metric: int | None = attribute("metric", Int(nonzero=True))

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        self.format(out, ind)

    def format(self, out: list[str], ind: str) -> None:
        s = ind + "<route"
        if self.family is not None:
            s += " family='%s'" % self.family
        s += " address='%s'" % _canon(self.address)
        if self.netmask is not None:
            s += " netmask='%s'" % _canon(self.netmask)
        if self.prefix is not None:
            s += " prefix='%u'" % self.prefix
        s += " gateway='%s'" % _canon(self.gateway)
        if self.metric:
            s += " metric='%u'" % self.metric
        out.append(s + "/>\n")


def _canon(a: str | None) -> str:
    if a is None:
        return ""
    ip = _ip(a)
    return str(ip) if ip is not None else a


def _check_ip(ctx: Any, el: Any, ip: NetIP) -> None:
    """virDomainNetIPParseXML."""
    if ip.address is None:
        raise ctx.error(el, "Missing required address in <ip>")
    a = _ip(ip.address)
    fam = {"ipv4": 4, "ipv6": 6}.get(ip.family or "")
    if a is None or (fam is not None and a.version != fam):
        raise ctx.error(el, f"Invalid address '{ip.address}' in <ip>")
    if fam is None:
        fam = a.version
    if ip.prefix is not None:
        try:
            prefix = UINT.parse(ip.prefix)
        except ConvError:
            raise ctx.error(el, f"Invalid prefix value '{ip.prefix}' in <ip>") from None
        if prefix > (32 if fam == 4 else 128):
            raise ctx.error(el, f"Invalid prefix value '{ip.prefix}' in <ip>")
        ip.prefix = prefix
    if ip.peer is not None:
        p = _ip(ip.peer)
        if p is None or (fam is not None and p.version != fam):
            raise ctx.error(el, f"Invalid peer '{ip.peer}' in <ip>")


def _check_route(ctx: Any, el: Any, r: NetRoute, detail: str) -> None:
    """virNetDevIPRouteCreate's checks."""
    if r.address is None:
        raise ctx.error(el, f"{detail}: Missing required address attribute in route definition")
    if r.gateway is None:
        raise ctx.error(el, f"{detail}: Missing required gateway attribute in route definition")
    addr, gw = _ip(r.address), _ip(r.gateway)
    if addr is None:
        raise ctx.error(el, f"{detail}: Bad network address '{r.address}' in route definition")
    if gw is None:
        raise ctx.error(el, f"{detail}: Bad gateway address '{r.gateway}' in route definition")
    prefix = r.prefix or 0
    if r.family is None or r.family == "ipv4":
        if addr.version != 4:
            raise ctx.error(el, "%s: %s family specified for non-IPv4 address '%s' in route definition"
                            % (detail, "No" if r.family is None else "IPv4", r.address)
                            if r.family is not None else
                            "%s: No family specified for non-IPv4 address '%s' in route definition"
                            % (detail, r.address))
        if gw.version != 4:
            raise ctx.error(el, ("%s: No family specified for non-IPv4 gateway '%s' in route definition"
                                 if r.family is None else
                                 "%s: IPv4 family specified for non-IPv4 gateway '%s' in route definition")
                            % (detail, r.address))
        if r.netmask is not None:
            nm = _ip(r.netmask)
            if nm is None:
                raise ctx.error(el, f"{detail}: Bad netmask address '{r.netmask}' in route definition")
            if nm.version != 4:
                raise ctx.error(el, f"{detail}: Invalid netmask '{r.netmask}' for address '{r.address}' "
                                    "(both must be IPv4)")
            if r.prefix is not None:
                raise ctx.error(el, f"{detail}: Route definition cannot have both a prefix and a netmask")
        if prefix > 32:
            raise ctx.error(el, f"{detail}: Invalid prefix {prefix} specified in route definition, must be 0 - 32")
    elif r.family == "ipv6":
        if addr.version != 6:
            raise ctx.error(el, f"{detail}: ipv6 family specified for non-IPv6 address '{r.address}' in route "
                                "definition")
        if r.netmask is not None:
            raise ctx.error(el, f"{detail}: Specifying netmask invalid for IPv6 address '{r.address}' in route "
                                "definition")
        if gw.version != 6:
            raise ctx.error(el, f"{detail}: ipv6 specified for non-IPv6 gateway address '{r.gateway}' in route "
                                "definition")
        if prefix > 128:
            raise ctx.error(el, f"{detail}: Invalid prefix {prefix} specified in route definition, must be 0 - 128")
    else:
        raise ctx.error(el, f"{detail}: Unrecognized family '{r.family}' in route definition")
    # the address must be a network address
    try:
        if r.netmask is not None:
            nm = ipaddress.ip_address(r.netmask)
            masked = ipaddress.ip_address(int(addr) & int(nm))
        else:
            net = ipaddress.ip_network("%s/%d" % (addr, prefix), strict=False)
            masked = net.network_address
    except ValueError:
        return
    if masked != addr:
        raise ctx.error(el, f"{detail}: Address '{r.address}' in route definition is not a network address")


@xml("local")
class NetSourceLocal:
    address: str | None = attribute("address")
    port: int | None = attribute("port", INT)


@xml("address")
class HostdevSourceAddress:
    """``<address>`` inside a hostdev interface's ``<source>``."""

    type: str | None = attribute("type")
    domain: int | None = attribute("domain", Int(base=0))
    bus: int | None = attribute("bus", Int(base=0))
    slot: int | None = attribute("slot", Int(base=0))
    function: int | None = attribute("function", Int(base=0))
    device: int | None = attribute("device", Int(base=0))

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.type == "usb":
            out.append("%s<address type='usb' bus='%d' device='%d'/>\n" % (ind, self.bus or 0, self.device or 0))
        else:
            out.append("%s<address type='pci' domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>\n"
                       % (ind, self.domain or 0, self.bus or 0, self.slot or 0, self.function or 0))


@xml("vendor")
class HostdevVendor:
    id: int | None = attribute("id", Int(base=0))


@xml("product")
class HostdevProduct:
    id: int | None = attribute("id", Int(base=0))


@xml("source")
class NetSource:
    """``<source>``: the union of every interface type's attributes, in
    libvirt's output order."""

    type: str | None = attribute("type")
    network: str | None = attribute("network")
    portgroup: str | None = attribute("portgroup")
    switchid: str | None = attribute("switchid")
    portid: str | None = attribute("portid")
    portgroupid: str | None = attribute("portgroupid")
    connectionid: str | None = attribute("connectionid")
    bridge: str | None = attribute("bridge")
    mac_table_manager: str | None = attribute("macTableManager")
    address: str | None = attribute("address")
    port: str | None = attribute("port")
    path: str | None = attribute("path")
    name: str | None = attribute("name")
    dev: str | None = attribute("dev")
    mode: str | None = attribute("mode")
    write_filtering: bool | None = attribute("writeFiltering", YESNO)
    ips: list[NetIP] = elements("ip", NetIP)
    routes: list[NetRoute] = elements("route", NetRoute)
    local: NetSourceLocal | None = element("local", NetSourceLocal)
    reconnect: Reconnect | None = element("reconnect", Reconnect)
    hostdev_address: HostdevSourceAddress | None = element("address", HostdevSourceAddress)
    vendor: HostdevVendor | None = element("vendor", HostdevVendor)
    product: HostdevProduct | None = element("product", HostdevProduct)


@xml("parameters")
class VPortParameters:
    managerid: str | None = attribute("managerid")
    typeid: str | None = attribute("typeid")
    typeidversion: str | None = attribute("typeidversion")
    instanceid: str | None = attribute("instanceid")
    interfaceid: str | None = attribute("interfaceid")
    profileid: str | None = attribute("profileid")


@xml("virtualport")
class VirtualPort:
    """virNetDevVPortProfile; parameter values are kept parsed
    (ints / canonical uuids)."""

    type: str | None = attribute("type")
    parameters: VPortParameters | None = element("parameters", VPortParameters)
    managerid: int | None = attrs.field(default=None)
    typeid: int | None = attrs.field(default=None)
    typeidversion: int | None = attrs.field(default=None)
    instanceid: str | None = attrs.field(default=None)
    interfaceid: str | None = attrs.field(default=None)
    profileid: str | None = attrs.field(default=None)

    def parse_into(self, ctx: Any, el: Any, flags: int) -> "VirtualPort":
        t = self.type
        if t is not None and (t not in VPORT_TYPES or t == "none"):
            raise ctx.error(el, f"unknown virtualport type {t}")
        vtype = t or "none"
        if vtype == "none" and flags & _REQUIRE_TYPE:
            raise ctx.error(el, "missing required virtualport type")
        p = self.parameters or VPortParameters()
        new = VirtualPort(type=t)

        def uint(v: str, what: str, mx: int, name: str) -> int:
            # virStrToLong_ui: "-N" wraps to UINT_MAX + 1 - N
            try:
                n = Int(base=0, signed=True, bits=64).parse(v)
            except ConvError:
                raise ctx.error(el, f"cannot parse value of {what} parameter") from None
            if abs(n) > 0xFFFFFFFF:
                raise ctx.error(el, f"cannot parse value of {what} parameter")
            if n < 0:
                n = (1 << 32) + n
            if n > mx:
                raise ctx.error(el, name)
            return int(n)

        if p.managerid is not None:
            new.managerid = uint(p.managerid, "managerid", 0xFF, "value of managerid out of range")
        if p.typeid is not None:
            new.typeid = uint(p.typeid, "typeid", 0xFFFFFF, "value for typeid out of range")
        if p.typeidversion is not None:
            new.typeidversion = uint(p.typeidversion, "typeidversion", 0xFF, "value of typeidversion out of range")
        if p.instanceid is not None:
            u = _uuid_parse(p.instanceid)
            if u is None:
                raise ctx.error(el, "cannot parse instanceid parameter as a uuid")
            new.instanceid = u
        if p.profileid is not None:
            if len(p.profileid) >= 40:
                raise ctx.error(el, "profileid parameter too long")
            new.profileid = p.profileid
        if p.interfaceid is not None:
            u = _uuid_parse(p.interfaceid)
            if u is None:
                raise ctx.error(el, "cannot parse interfaceid parameter as a uuid")
            new.interfaceid = u
        if flags & _GENERATE:
            if new.instanceid is None and vtype in ("802.1Qbg", "none"):
                new.instanceid = str(_uuid.uuid4())
            if new.interfaceid is None and vtype in ("openvswitch", "none"):
                new.interfaceid = str(_uuid.uuid4())
        if flags & _REQUIRE_ALL:
            _vport_check_complete(ctx, el, new, vtype)
        _vport_check_no_extras(ctx, el, new, vtype)
        return new

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        vtype = self.type or "none"
        empty = all(v in (None, "") for v in (self.managerid, self.typeid, self.typeidversion, self.instanceid,
                                             self.profileid, self.interfaceid))
        if vtype == "none":
            if empty:
                return
            out.append(ind + "<virtualport>\n")
        else:
            if empty:
                out.append(ind + "<virtualport type='%s'/>\n" % vtype)
                return
            out.append(ind + "<virtualport type='%s'>\n" % vtype)
        s = ind + "  <parameters"
        qbg = vtype in ("802.1Qbg", "none")
        if self.managerid is not None and qbg:
            s += " managerid='%d'" % self.managerid
        if self.typeid is not None and qbg:
            s += " typeid='%d'" % self.typeid
        if self.typeidversion is not None and qbg:
            s += " typeidversion='%d'" % self.typeidversion
        if self.instanceid is not None and qbg:
            s += " instanceid='%s'" % self.instanceid
        if self.interfaceid is not None and vtype in ("openvswitch", "none", "midonet"):
            s += " interfaceid='%s'" % self.interfaceid
        if self.profileid and vtype in ("openvswitch", "802.1Qbh", "none"):
            s += " profileid='%s'" % self.profileid
        out.append(s + "/>\n")
        out.append(ind + "</virtualport>\n")


_GENERATE = 1
_REQUIRE_ALL = 2
_REQUIRE_TYPE = 4


def _vport_check_complete(ctx: Any, el: Any, v: VirtualPort, vtype: str) -> None:
    """virNetDevVPortProfileCheckComplete(generateMissing=false)."""
    if vtype == "802.1Qbg":
        if v.managerid is None:
            raise ctx.error(el, "missing managerid in <virtualport type='802.1Qbg'>")
        if v.typeid is None:
            raise ctx.error(el, "missing typeid in <virtualport type='802.1Qbg'>")
        if v.typeidversion is None:
            raise ctx.error(el, "missing typeidversion in <virtualport type='802.1Qbg'>")
        if v.instanceid is None:
            raise ctx.error(el, "missing instanceid in <virtualport type='802.1Qbg'>")
    elif vtype == "802.1Qbh":
        if not v.profileid:
            raise ctx.error(el, "missing profileid in <virtualport type='802.1Qbh'>")
    elif vtype in ("openvswitch", "midonet"):
        if v.interfaceid is None:
            raise ctx.error(el, f"missing interfaceid in <virtualport type='{vtype}'>")


def _vport_check_no_extras(ctx: Any, el: Any, v: VirtualPort, vtype: str) -> None:
    """virNetDevVPortProfileCheckNoExtras."""
    if vtype == "802.1Qbg":
        if v.profileid:
            raise ctx.error(el, "extra profileid unsupported in <virtualport type='802.1Qbg'>")
        if v.interfaceid is not None:
            raise ctx.error(el, "extra interfaceid unsupported in <virtualport type='802.1Qbg'>")
    elif vtype == "802.1Qbh":
        for what, val in (("managerid", v.managerid), ("typeid", v.typeid), ("typeidversion", v.typeidversion),
                          ("instanceid", v.instanceid), ("interfaceid", v.interfaceid)):
            if val is not None:
                raise ctx.error(el, f"extra {what} unsupported in <virtualport type='802.1Qbh'>")
    elif vtype in ("openvswitch", "midonet"):
        for what, val in (("managerid", v.managerid), ("typeid", v.typeid), ("typeidversion", v.typeidversion),
                          ("instanceid", v.instanceid)):
            if val is not None:
                raise ctx.error(el, f"extra {what} unsupported in <virtualport type='{vtype}'>")


@xml("inbound")
class BandwidthRate:
    average: Any = attribute("average")
    peak: Any = attribute("peak")
    floor: Any = attribute("floor")
    burst: Any = attribute("burst")

    def format_as(self, out: list[str], ind: str, tag: str) -> None:
        if not (self.average or self.floor):
            return
        s = ind + "<" + tag
        if self.average:
            s += " average='%d'" % self.average
        if self.peak:
            s += " peak='%d'" % self.peak
        if self.floor:
            s += " floor='%d'" % self.floor
        if self.burst:
            s += " burst='%d'" % self.burst
        out.append(s + "/>\n")


@xml("outbound")
class BandwidthRateOut(BandwidthRate):
    pass


@xml("bandwidth")
class Bandwidth:
    class_id: int | None = attribute("classID", UINT)
    inbound: BandwidthRate | None = element("inbound", BandwidthRate)
    outbound: BandwidthRateOut | None = element("outbound", BandwidthRateOut)

    def check(self, ctx: Any, el: Any, allow_floor: bool) -> "Bandwidth | None":
        if el.get("classID") is not None:
            raise ctx.error(el, "classID attribute not supported on <bandwidth> in this usage context")
        seen: set[str] = set()
        for c in el:
            if c.tag in ("inbound", "outbound"):
                if c.tag in seen:
                    raise ctx.error(el, "Only one child <%s> element allowed" % c.tag)
                seen.add(c.tag)
        rates: dict[str, BandwidthRate | None] = {"inbound": None, "outbound": None}
        for tag, rate in (("inbound", self.inbound), ("outbound", self.outbound)):
            if rate is None:
                continue
            rel = first_child(el, tag)
            if rate.average is None and rate.floor is None:
                raise ctx.error(rel, "Missing mandatory average or floor attributes")
            if (rate.peak is not None or rate.burst is not None) and rate.average is None:
                raise ctx.error(rel, "'peak' and 'burst' require 'average' attribute")
            vals = {}
            for what in ("average", "peak", "burst", "floor"):
                v = getattr(rate, what)
                if v is not None:
                    if re.fullmatch(r"\s*\+?\d+", v) is None or int(v) > (1 << 64) - 1:
                        raise ctx.error(rel, f"could not convert bandwidth {what} value '{v}'")
                    v = int(v)
                vals[what] = v
            new = (BandwidthRate if tag == "inbound" else BandwidthRateOut)(**vals)
            if tag == "inbound" and new.floor and not allow_floor:
                raise ctx.error(rel, "floor attribute is not supported for this config")
            if tag == "outbound" and new.floor:
                raise ctx.error(rel, "'floor' attribute allowed only in <inbound> element")
            rates[tag] = new
        if rates["inbound"] is None and rates["outbound"] is None:
            return None
        return Bandwidth(inbound=rates["inbound"], outbound=rates["outbound"])

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<bandwidth"
        if self.class_id:
            s += " classID='%u'" % self.class_id
        out.append(s + ">\n")
        if self.inbound is not None:
            self.inbound.format_as(out, ind + "  ", "inbound")
        if self.outbound is not None:
            self.outbound.format_as(out, ind + "  ", "outbound")
        out.append(ind + "</bandwidth>\n")


@xml("tag")
class VlanTag:
    id: Any = attribute("id")
    native_mode: str | None = attribute("nativeMode")


@xml("vlan")
class Vlan:
    trunk: Any = attribute("trunk")
    tags: list[VlanTag] = elements("tag", VlanTag)

    def check(self, ctx: Any, el: Any) -> "Vlan":
        """virNetDevVlanParse; the result has int tag ids, a bool trunk."""
        if not self.tags:
            raise ctx.error(el, "missing tag id - each <vlan> must have at least one <tag id='n'/> subelement")
        tags = []
        native = None
        for t, tel in zip(self.tags, [c for c in el if c.tag == "tag"]):
            if t.id is None:
                raise missing_attr(ctx, tel, "id")
            try:
                tid = UINT.parse(t.id)
            except ConvError:
                raise ctx.error(tel, "Invalid value for attribute 'id' in element 'tag': '%s'. Expected non-negative "
                                     "integer value" % t.id) from None
            if tid > 4095:
                raise ctx.error(el, "vlan tag id %d too large (maximum 4095)" % tid)
            nm = None
            if t.native_mode is not None:
                if native is not None:
                    raise ctx.error(el, "duplicate native vlan setting")
                if t.native_mode not in ("tagged", "untagged"):
                    raise invalid_attr(ctx, tel, "nativeMode", t.native_mode)
                native = nm = t.native_mode
            tags.append(VlanTag(id=tid, native_mode=nm))
        trunk = len(tags) > 1
        tr = self.trunk or None  # virXPathString: empty is absent
        if tr is not None:
            trunk = tr.lower() == "yes"
            if not trunk:
                if len(tags) > 1:
                    raise ctx.error(el, "invalid \"trunk='%s'\" in <vlan> - trunk='yes' is required for more "
                                        "than one vlan tag" % tr)
                if native is not None:
                    raise ctx.error(el, "invalid configuration in <vlan> - \"trunk='no'\" is not allowed with a "
                                        "native vlan id")
                if tr.lower() != "no":
                    raise ctx.error(el, "invalid \"trunk='%s'\" in <vlan> - must be yes or no" % tr)
        return Vlan(trunk=trunk, tags=tags)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if not self.tags:
            return
        out.append(ind + "<vlan%s>\n" % (" trunk='yes'" if self.trunk else ""))
        for t in self.tags:
            if t.native_mode is not None:
                out.append("%s  <tag id='%d' nativeMode='%s'/>\n" % (ind, t.id, t.native_mode))
            else:
                out.append("%s  <tag id='%d'/>\n" % (ind, t.id))
        out.append(ind + "</vlan>\n")


@xml("port")
class NetPort:
    isolated: bool | None = attribute("isolated", YESNO)


@xml("target")
class NetTarget:
    dev: str | None = attribute("dev")
    managed: bool | None = attribute("managed", YESNO)


@xml("guest")
class NetGuest:
    dev: str | None = attribute("dev")
    actual: str | None = attribute("actual")


@xml("model")
class NetModel:
    type: str | None = attribute("type")


@xml("host")
class NetDriverHost:
    csum: Any = attribute("csum")
    gso: Any = attribute("gso")
    tso4: Any = attribute("tso4")
    tso6: Any = attribute("tso6")
    ecn: Any = attribute("ecn")
    ufo: Any = attribute("ufo")
    mrg_rxbuf: Any = attribute("mrg_rxbuf")


@xml("guest")
class NetDriverGuest:
    csum: Any = attribute("csum")
    tso4: Any = attribute("tso4")
    tso6: Any = attribute("tso6")
    ecn: Any = attribute("ecn")
    ufo: Any = attribute("ufo")


@xml("driver")
class NetDriver:
    """``<driver>``: the virtio-net attributes are only read (and typed)
    for virtio models of non-hostdev interfaces; the virtio options always."""

    name: str | None = attribute("name")
    txmode: str | None = attribute("txmode")
    ioeventfd: Any = attribute("ioeventfd")
    event_idx: Any = attribute("event_idx")
    queues: Any = attribute("queues")
    rx_queue_size: Any = attribute("rx_queue_size")
    tx_queue_size: Any = attribute("tx_queue_size")
    rss: Any = attribute("rss")
    rss_hash_report: Any = attribute("rss_hash_report")
    iommu: bool | None = attribute("iommu", ONOFF)
    ats: bool | None = attribute("ats", ONOFF)
    packed: bool | None = attribute("packed", ONOFF)
    page_per_vq: bool | None = attribute("page_per_vq", ONOFF)
    host: NetDriverHost | None = element("host", NetDriverHost)
    guest: NetDriverGuest | None = element("guest", NetDriverGuest)

    def format_virtio(self, out: list[str], ind: str) -> None:
        a = ""
        if self.name is not None:
            a += " name='%s'" % self.name
        if self.txmode is not None:
            a += " txmode='%s'" % self.txmode
        if self.ioeventfd is not None:
            a += " ioeventfd='%s'" % _onoff(self.ioeventfd)
        if self.event_idx is not None:
            a += " event_idx='%s'" % _onoff(self.event_idx)
        if self.queues:
            a += " queues='%u'" % self.queues
        if self.rx_queue_size:
            a += " rx_queue_size='%u'" % self.rx_queue_size
        if self.tx_queue_size:
            a += " tx_queue_size='%u'" % self.tx_queue_size
        if self.rss is not None:
            a += " rss='%s'" % _onoff(self.rss)
        if self.rss_hash_report is not None:
            a += " rss_hash_report='%s'" % _onoff(self.rss_hash_report)
        a += virtio_options_attrs(self)
        child = []
        for tag, obj, names in (("host", self.host, ("csum", "gso", "tso4", "tso6", "ecn", "ufo", "mrg_rxbuf")),
                                ("guest", self.guest, ("csum", "tso4", "tso6", "ecn", "ufo"))):
            if obj is None:
                continue
            c = "".join(" %s='%s'" % (n, _onoff(getattr(obj, n))) for n in names if getattr(obj, n) is not None)
            if c:
                child.append("%s  <%s%s/>\n" % (ind, tag, c))
        if child:
            out.append(ind + "<driver" + a + ">\n")
            out.extend(child)
            out.append(ind + "</driver>\n")
        elif a:
            out.append(ind + "<driver" + a + "/>\n")


@xml("backend")
class NetBackend:
    type: str | None = attribute("type")
    tap: str | None = attribute("tap")
    vhost: str | None = attribute("vhost")
    log_file: str | None = attribute("logFile")


@xml("parameter")
class FilterParameter:
    name: str | None = attribute("name")
    value: str | None = attribute("value")


@xml("filterref")
class FilterRef:
    filter: str | None = attribute("filter")
    parameters: list[FilterParameter] = elements("parameter", FilterParameter)

    def normalized(self) -> "FilterRef":
        """virNWFilterParseParamAttributes: invalid entries skipped, values
        of one name grouped; written sorted by name."""
        groups: dict[str, list[str]] = {}
        for p in self.parameters:
            if p.name is None or p.value is None:
                continue
            if not _VAR_NAME.match(p.name) or not _VAR_VALUE.match(p.value):
                continue
            groups.setdefault(p.name, []).append(p.value)
        params = [FilterParameter(name=n, value=v) for n in sorted(groups) for v in groups[n]]
        return FilterRef(filter=self.filter, parameters=params)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<filterref filter='%s'" % escape(self.filter or "")
        if self.parameters:
            out.append(s + ">\n")
            for p in self.parameters:
                out.append("%s  <parameter name='%s' value='%s'/>\n" % (ind, p.name, p.value))
            out.append(ind + "</filterref>\n")
        else:
            out.append(s + "/>\n")


@xml("tune")
class NetTune:
    sndbuf: str | None = text_element("sndbuf")


@xml("teaming")
class NetTeaming:
    type: str | None = attribute("type")
    persistent: str | None = attribute("persistent")


@xml("link")
class NetLink:
    state: str | None = attribute("state")


@xml("mtu")
class NetMTU:
    size: str | None = attribute("size")


@xml("frames")
class CoalesceFrames:
    max: str | None = attribute("max")


@xml("rx")
class CoalesceRx:
    frames: CoalesceFrames | None = element("frames", CoalesceFrames)


@xml("coalesce")
class NetCoalesce:
    rx: CoalesceRx | None = element("rx", CoalesceRx)


@xml("script")
class NetScript:
    path: str | None = attribute("path")


@xml("downscript")
class NetDownscript:
    path: str | None = attribute("path")


@xml("backenddomain")
class NetBackendDomain:
    name: str | None = attribute("name")


@xml("range")
class PortForwardRange:
    start: int | None = attribute("start", Int(nonzero=True))
    end: int | None = attribute("end", Int(nonzero=True))
    to: int | None = attribute("to", Int(nonzero=True))
    exclude: bool | None = attribute("exclude", YESNO)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<range"
        if self.start:
            s += " start='%u'" % self.start
            if self.end:
                s += " end='%u'" % self.end
            if self.to:
                s += " to='%u'" % self.to
        if self.exclude is not None:
            s += " exclude='%s'" % _yn(self.exclude)
        if s != ind + "<range":
            out.append(s + "/>\n")


@xml("portForward")
class PortForward:
    proto: str | None = attribute("proto")
    address: str | None = attribute("address")
    dev: str | None = attribute("dev")
    ranges: list[PortForwardRange] = elements("range", PortForwardRange)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        p = kw.get("proto")
        if p is None:
            raise missing_attr(ctx, el, "proto")
        if p not in PROTOS or p == "none":
            raise invalid_attr(ctx, el, "proto", p)
        a = kw.get("address")
        if a is not None:
            ip = _ip(a)
            if ip is None:
                raise ctx.error(el, f"Invalid address '{a}' in <portForward>")
            kw["address"] = str(ip)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<portForward proto='%s'" % self.proto
        if self.address is not None:
            s += " address='%s'" % self.address
        if self.dev is not None:
            s += " dev='%s'" % escape(self.dev)
        child: list[str] = []
        for r in self.ranges:
            r.xml_format(child, ind + "  ", flags)
        if child:
            out.append(s + ">\n")
            out.extend(child)
            out.append(ind + "</portForward>\n")
        else:
            out.append(s + "/>\n")


@xml("class")
class NetActualClass:
    id: Any = attribute("id")


@xml("actual")
class NetActual:
    """``<actual>`` (status XML: the network connection in use)."""

    type: str | None = attribute("type")
    managed: bool | None = attribute("managed", YESNO)
    trust_guest_rx_filters: bool | None = attribute("trustGuestRxFilters", YESNO)
    source: NetSource | None = element("source", NetSource)
    class_id: NetActualClass | None = element("class", NetActualClass)
    vlan: Vlan | None = element("vlan", Vlan)
    virtualport: VirtualPort | None = element("virtualport", VirtualPort)
    bandwidth: Bandwidth | None = element("bandwidth", Bandwidth)
    port: NetPort | None = element("port", NetPort)


# ----------------------------------------------------------------- device


@xml("interface")
class Interface:
    type: str | None = attribute("type")
    #: only type='hostdev' reads it, as "yes" or not (any other value)
    managed: bool | None = attribute("managed", checked_later(YESNO))
    trust_guest_rx_filters: bool | None = attribute("trustGuestRxFilters", YESNO)
    mac: NetMac | None = element("mac", NetMac)
    source: NetSource | None = element("source", NetSource)
    vlan: Vlan | None = element("vlan", Vlan)
    virtualport: VirtualPort | None = element("virtualport", VirtualPort)
    bandwidth: Bandwidth | None = element("bandwidth", Bandwidth)
    port: NetPort | None = element("port", NetPort)
    actual: NetActual | None = element("actual", NetActual)
    ips: list[NetIP] = elements("ip", NetIP)
    routes: list[NetRoute] = elements("route", NetRoute)
    port_forwards: list[PortForward] = elements("portForward", PortForward)
    script: NetScript | None = element("script", NetScript)
    downscript: NetDownscript | None = element("downscript", NetDownscript)
    backenddomain: NetBackendDomain | None = element("backenddomain", NetBackendDomain)
    target: NetTarget | None = element("target", NetTarget)
    guest: NetGuest | None = element("guest", NetGuest)
    model: NetModel | None = element("model", NetModel)
    driver: NetDriver | None = element("driver", NetDriver)
    backend: NetBackend | None = element("backend", NetBackend)
    filterref: FilterRef | None = element("filterref", FilterRef)
    tune: NetTune | None = element("tune", NetTune)
    teaming: NetTeaming | None = element("teaming", NetTeaming)
    link: NetLink | None = element("link", NetLink)
    mtu: NetMTU | None = element("mtu", NetMTU)
    coalesce: NetCoalesce | None = element("coalesce", NetCoalesce)
    boot: Boot | None = element("boot", Boot)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    rom: ROM | None = element("rom", ROM)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    #: hostdev type: the PCI backend of ``<driver name=...>`` (kvm/vfio/xen)
    hostdev_backend_name: str | None = attrs.field(default=None)
    #: the MAC address was generated at parse time (no <mac address>)
    mac_generated: bool = attrs.field(default=False, eq=False)
    #: driver-specific generated tap name prefix (xmlopt netPrefix)
    net_prefix: str | None = attrs.field(default=None, eq=False)

    @property
    def model_name(self) -> str | None:
        return self.model.type if self.model is not None else None

    def is_virtio(self) -> bool:
        return self.model_name in VIRTIO_MODELS

    # ------------------------------------------------------------ parse
    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _parse_interface(kw, el, ctx)

    # ----------------------------------------------------------- format
    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        _format_interface(self, out, ind, flags)


def _net_prefix(ctx: Any) -> str | None:
    cfg = ctx.data.get("parser_config")
    return getattr(cfg, "net_prefix", None) if cfg is not None else None


def _mac_prefix(ctx: Any) -> str:
    cfg = ctx.data.get("parser_config")
    p = getattr(cfg, "mac_prefix", None) if cfg is not None else None
    return p or "52:54:00"


def _parse_interface(kw: dict[str, Any], el: Any, ctx: Any) -> None:
    flags = ctx.flags
    t = el.get("type")
    if t is None:
        t = "user"
    elif t not in NET_TYPES:
        raise invalid_attr(ctx, el, "type", t)
    kw["type"] = t
    mel = first_child(el, "model")
    if mel is not None and mel.get("type"):
        m = mel.get("type")
        canon = next((x for x in NET_MODELS if x.lower() == m.lower()), None)
        if canon is not None:
            kw["model"] = None if canon == "unknown" else NetModel(type=canon)
        elif not _NET_MODEL_CHARS.match(m):
            raise ctx.error(mel, "Model name contains invalid characters")
        else:
            kw["model"] = NetModel(type=m)
    else:
        kw["model"] = None
    virtio = kw["model"] is not None and kw["model"].type in VIRTIO_MODELS

    src: NetSource | None = kw.get("source")
    sel = first_child(el, "source")
    new_src = NetSource()
    if src is not None:
        for ip, iel in zip(src.ips, children_of(sel, "ip")):
            _check_ip(ctx, iel, ip)
        for r, rel in zip(src.routes, children_of(sel, "route")):
            _check_route(ctx, rel, r, "interface host IP")
        new_src.ips, new_src.routes = list(src.ips), list(src.routes)

    def require_source() -> NetSource:
        if src is None:
            raise ctx.error(el, f"interface type='{t}' requires a 'source' element")
        return src

    def req(attr: str) -> str:
        s = require_source()
        v = getattr(s, {"macTableManager": "mac_table_manager"}.get(attr, attr))
        if v is None:
            raise missing_attr(ctx, sel, attr)
        return v  # type: ignore[no-any-return]

    vport_flags = 0
    filterref_ok = False
    if t == "network":
        require_source()
        new_src.network = req("network")
        new_src.portgroup = src.portgroup  # type: ignore[union-attr]
        if not flags & ParseFlags.INACTIVE and src.portid is not None:  # type: ignore[union-attr]
            u = _uuid_parse(src.portid)  # type: ignore[union-attr]
            if u is None:
                raise ctx.error(sel, "Invalid value for attribute 'portid' in element 'source': '%s'. "
                                     "Expected UUID" % src.portid)  # type: ignore[union-attr]
            new_src.portid = u
        act = kw.get("actual")
        if flags & ParseFlags.ACTUAL_NET and act is not None:
            kw["actual"] = _parse_actual(act, first_child(el, "actual"), ctx)
        else:
            kw["actual"] = None
        vport_flags = _GENERATE
        filterref_ok = True
    else:
        kw["actual"] = None
    if t == "vds":
        require_source()
        u = _uuid_parse(req("switchid"))
        if u is None:
            raise ctx.error(sel, "Invalid value for attribute 'switchid' in element 'source': '%s'. Expected UUID"
                            % src.switchid)  # type: ignore[union-attr]
        new_src.switchid = u
        new_src.portid = str(_long(ctx, sel, "portid", req("portid")))
        new_src.portgroupid = req("portgroupid")
        new_src.connectionid = str(_long(ctx, sel, "connectionid", req("connectionid")))
    elif t == "internal":
        new_src.name = req("name")
    elif t == "bridge":
        new_src.bridge = req("bridge")
        vport_flags = _GENERATE | _REQUIRE_ALL | _REQUIRE_TYPE
        filterref_ok = True
    elif t == "direct":
        new_src.dev = req("dev")
        mode = src.mode  # type: ignore[union-attr]
        if mode is not None and mode not in MACVLAN_MODES:
            raise invalid_attr(ctx, sel, "mode", mode)
        new_src.mode = mode or "vepa"
        vport_flags = _GENERATE | _REQUIRE_ALL | _REQUIRE_TYPE
    elif t == "ethernet":
        filterref_ok = True
    elif t == "vhostuser":
        vt = req("type")
        if vt != "unix":
            raise ctx.error(sel, f"Type='{vt}' unsupported for <interface type='vhostuser'>")
        new_src.type = "unix"
        new_src.path = req("path")
        mode = req("mode")
        if mode not in ("client", "server"):
            raise invalid_attr(ctx, sel, "mode", mode)
        new_src.mode = mode
        new_src.reconnect = src.reconnect  # type: ignore[union-attr]
    elif t == "vdpa":
        new_src.dev = req("dev")
    elif t in ("client", "server", "mcast", "udp"):
        require_source()
        if t != "server":
            new_src.address = req("address")
        else:
            new_src.address = src.address  # type: ignore[union-attr]
        p = req("port")
        try:
            new_src.port = str(INT.parse(p))
        except ConvError:
            raise ctx.error(sel, "Invalid value for attribute 'port' in element 'source': '%s'. "
                                 "Expected integer value" % p) from None
        if t == "udp":
            lel = first_child(sel, "local")
            if lel is None:
                raise ctx.error(sel, "'<local>' element missing for 'udp' socket interface")
            la = lel.get("address")
            if la is None:
                raise missing_attr(ctx, lel, "address")
            lp = lel.get("port")
            if lp is None:
                raise missing_attr(ctx, lel, "port")
            try:
                lpv = INT.parse(lp)
            except ConvError:
                raise ctx.error(lel, "Invalid value for attribute 'port' in element 'local': '%s'. "
                                     "Expected integer value" % lp) from None
            new_src.local = NetSourceLocal(address=la, port=lpv)
    elif t == "hostdev":
        _check_hostdev_source(ctx, el, sel, src)
        if src is not None:
            new_src.hostdev_address = src.hostdev_address
            new_src.vendor, new_src.product = src.vendor, src.product
            new_src.write_filtering = src.write_filtering
        vport_flags = _GENERATE | _REQUIRE_ALL | _REQUIRE_TYPE
        drv = kw.get("driver")
        backend = drv.name if drv is not None else None
        if backend is not None and backend not in HOSTDEV_PCI_BACKENDS:
            raise invalid_attr(ctx, first_child(el, "driver"), "name", backend)
        kw["hostdev_backend"] = None if backend in (None, "default") else backend
        kw["managed"] = el.get("managed") == "yes" or None
    elif t == "user":
        if src is not None:
            new_src.dev = src.dev
    kw["source"] = new_src if src is not None or t in ("hostdev",) else None
    if t != "hostdev":
        kw.pop("managed", None)
        hostdev_backend = None
    else:
        hostdev_backend = kw.pop("hostdev_backend")

    vp = kw.get("virtualport")
    if vp is not None:
        vel = first_child(el, "virtualport")
        if vport_flags == 0:
            raise ctx.error(vel, f"<virtualport> element unsupported for <interface type='{t}'>")
        kw["virtualport"] = vp.parse_into(ctx, vel, vport_flags)

    tgt: NetTarget | None = kw.get("target")
    guest: NetGuest | None = kw.get("guest")
    # values libvirt reads with virXPathString: an empty string is "not set"
    if guest is not None:
        guest = NetGuest(dev=guest.dev or None, actual=guest.actual or None)
        kw["guest"] = guest if (guest.dev is not None or guest.actual is not None) else None
    for f, a in (("script", "path"), ("downscript", "path"), ("backenddomain", "name")):
        if kw.get(f) is not None and not getattr(kw[f], a):
            kw[f] = None
    if not filterref_ok:
        kw.pop("filterref", None)
    elif kw.get("filterref") is not None:
        kw["filterref"] = kw["filterref"].normalized()
    bw = kw.get("bandwidth")
    if bw is not None:
        kw["bandwidth"] = bw.check(ctx, first_child(el, "bandwidth"), t == "network")
    vl = kw.get("vlan")
    if vl is not None:
        kw["vlan"] = vl.check(ctx, first_child(el, "vlan"))
        if not kw["vlan"].tags:
            kw["vlan"] = None

    mac: NetMac | None = kw.get("mac")
    mac_el = first_child(el, "mac")
    macaddr = None
    if mac is not None:
        if mac.address is not None:
            macaddr = parse_mac(mac.address)
            if macaddr is None:
                raise ctx.error(mac_el, f"unable to parse mac address '{mac.address}'")
            if int(macaddr[:2], 16) & 1:
                raise ctx.error(mac_el, f"expected unicast mac address, found multicast '{mac.address}'")
        if mac.type is not None and mac.type not in MAC_TYPES:
            raise invalid_attr(ctx, mac_el, "type", mac.type)
    if macaddr is None:
        macaddr = generate_mac(_mac_prefix(ctx))
        kw["mac_generated"] = True
    kw["mac"] = NetMac(address=macaddr, type=mac.type if mac else None, check=mac.check if mac else None)

    for ip, iel in zip(kw.get("ips") or [], children_of(el, "ip")):
        _check_ip(ctx, iel, ip)
    for r, rel in zip(kw.get("routes") or [], children_of(el, "route")):
        _check_route(ctx, rel, r, "guest interface")

    prefix = _net_prefix(ctx)
    kw["net_prefix"] = prefix
    if tgt is not None:
        if tgt.dev is not None and flags & ParseFlags.INACTIVE and tgt.managed is not False and (
                tgt.dev.startswith(GENERATED_PREFIXES) or (prefix and tgt.dev.startswith(prefix))):
            tgt = NetTarget(dev=None, managed=tgt.managed)
        kw["target"] = tgt if (tgt.dev is not None or tgt.managed is not None) else None

    drv: NetDriver | None = kw.get("driver")
    if drv is not None:
        if t != "hostdev" and virtio:
            kw["driver"] = _virtio_net_driver(ctx, first_child(el, "driver"), drv)
        else:
            kw["driver"] = NetDriver(iommu=drv.iommu, ats=drv.ats, packed=drv.packed, page_per_vq=drv.page_per_vq)
    kw["hostdev_backend_name"] = hostdev_backend

    be: NetBackend | None = kw.get("backend")
    if be is not None:
        bel = first_child(el, "backend")
        if be.type is not None and (be.type not in NET_BACKENDS or be.type == "default"):
            raise invalid_attr(ctx, bel, "type", be.type)
        kw["backend"] = NetBackend(
            type=be.type, log_file=be.log_file,
            tap=sanitize_path(be.tap) if be.tap is not None else None,
            vhost=sanitize_path(be.vhost) if be.vhost is not None and t != "hostdev" and virtio else None)

    link = kw.get("link")
    if link is not None:
        st = link.state or None
        if st is not None and st not in LINK_STATES:
            raise ctx.error(first_child(el, "link"), f"unknown interface link state '{st}'")
        kw["link"] = NetLink(state=st) if st is not None else None

    tm = kw.get("teaming")
    if tm is not None:
        tm = NetTeaming(type=tm.type or None, persistent=tm.persistent or None)
        kw["teaming"] = tm
        if tm.type is None and tm.persistent is None:
            kw["teaming"] = None
        elif tm.type not in TEAMING_TYPES or tm.type == "none":
            raise ctx.error(first_child(el, "teaming"), "unknown teaming type '%s'"
                            % ("(null)" if tm.type is None else tm.type))

    tune = kw.get("tune")
    if tune is not None:
        if tune.sndbuf is not None:
            try:
                v = ULONG.parse(tune.sndbuf)
            except ConvError:
                raise ctx.error(first_child(el, "tune"), "sndbuf must be a positive integer") from None
            kw["tune"] = NetTune(sndbuf=str(v))
        else:
            kw["tune"] = None

    mtu = kw.get("mtu")
    if mtu is not None:
        if not mtu.size:
            kw["mtu"] = None
        else:
            try:
                v = UINT.parse(mtu.size)
            except ConvError:
                raise ctx.error(first_child(el, "mtu"), "malformed mtu size") from None
            kw["mtu"] = NetMTU(size=str(v)) if v else None

    co = kw.get("coalesce")
    if co is not None:
        mx = co.rx.frames.max if co.rx is not None and co.rx.frames is not None else None
        if not mx:
            kw["coalesce"] = None
        else:
            if re.fullmatch(r"\s*\+?\d+", mx) is None:
                raise ctx.error(first_child(el, "coalesce"), f"cannot parse value '{mx}' for coalesce parameter")
            v = int(mx)
            if v > 0xFFFFFFFF:
                raise ctx.error(first_child(el, "coalesce"),
                                f"value '{v}' is too big for coalesce parameter, maximum is '{0xFFFFFFFF}'")
            kw["coalesce"] = NetCoalesce(rx=CoalesceRx(frames=CoalesceFrames(max=str(v)))) if v else None


def _conv(ctx: Any, el: Any, attr: str, value: Any, conv: Any) -> Any:
    if value is None:
        return None
    try:
        return conv.parse(value)
    except ConvError as e:
        ctx.bad_value(el, attr, value, e)


def _virtio_net_driver(ctx: Any, del_: Any, drv: NetDriver) -> NetDriver:
    """virDomainNetDefParseXMLDriver for a virtio model."""
    if drv.name is not None and (drv.name not in NET_DRIVERS or drv.name == "default"):
        raise invalid_attr(ctx, del_, "name", drv.name)
    if drv.txmode is not None and (drv.txmode not in TX_MODES or drv.txmode == "default"):
        raise invalid_attr(ctx, del_, "txmode", drv.txmode)
    new = NetDriver(name=drv.name, txmode=drv.txmode, iommu=drv.iommu, ats=drv.ats, packed=drv.packed,
                    page_per_vq=drv.page_per_vq)
    for f, attr in (("ioeventfd", "ioeventfd"), ("event_idx", "event_idx")):
        setattr(new, f, _conv(ctx, del_, attr, getattr(drv, f), ONOFF))
    for f in ("queues", "rx_queue_size", "tx_queue_size"):
        setattr(new, f, _conv(ctx, del_, f, getattr(drv, f), UINT))
    for f in ("rss", "rss_hash_report"):
        setattr(new, f, _conv(ctx, del_, f, getattr(drv, f), ONOFF))
    if new.queues == 1:
        new.queues = None
    for tag, cls in (("host", NetDriverHost), ("guest", NetDriverGuest)):
        sub = getattr(drv, tag)
        if sub is None:
            continue
        sel = first_child(del_, tag)
        vals = {f.name: _conv(ctx, sel, f.name, getattr(sub, f.name), ONOFF) for f in attrs.fields(cls)}
        setattr(new, tag, cls(**vals))
    return new


HOSTDEV_SUBSYS_TYPES = ("usb", "pci", "scsi", "scsi_host", "mdev")


def _check_hostdev_source(ctx: Any, el: Any, sel: Any, src: NetSource | None) -> None:
    """virDomainHostdevDefParseXMLSubsys as called for a hostdev interface
    (PCI and USB sources)."""
    aty = sel.find("address").get("type") if sel is not None and sel.find("address") is not None else None
    if aty is None and sel is not None and sel.find("vendor") is not None:
        aty = "usb"
    if not aty:  # virXPathString: an empty type is no type
        raise ctx.error(el, "missing source address type")
    if aty not in HOSTDEV_SUBSYS_TYPES:
        raise ctx.error(el, f"unknown host device source address type '{aty}'")
    if sel is None or src is None:
        raise ctx.error(el, "Missing <source> element in hostdev device")
    if aty != "usb" and sel.get("startupPolicy") is not None:
        raise ctx.error(el, "Setting startupPolicy is only allowed for USB devices")
    a = src.hostdev_address
    ael = sel.find("address")
    if aty == "pci" and a is not None:
        check_pci_address(ael, ctx, a.domain, a.bus, a.slot, a.function)
    if aty == "usb":
        vel, pel = sel.find("vendor"), sel.find("product")
        if vel is not None:
            if vel.get("id") is None:
                raise missing_attr(ctx, vel, "id")
            if not src.vendor or not src.vendor.id:
                raise ctx.error(vel, "Invalid value for attribute 'id' in element 'vendor': Zero is not permitted")
            if pel is None:
                raise ctx.error(sel, "missing product")
        if pel is not None:
            if pel.get("id") is None:
                raise missing_attr(ctx, pel, "id")
            if vel is None:
                raise ctx.error(sel, "missing vendor")
        if ael is not None:
            for at in ("bus", "device"):
                if ael.get(at) is None:
                    raise missing_attr(ctx, ael, at)


def children_of(el: Any, tag: str) -> list[Any]:
    if el is None:
        return []
    return [c for c in el if c.tag == tag]


def _long(ctx: Any, el: Any, attr: str, v: str) -> int:
    try:
        return int(LONG.parse(v))
    except ConvError:
        raise ctx.error(el, "Invalid value for attribute '%s' in element '%s': '%s'. Expected long long integer "
                            "value" % (attr, el.tag, v)) from None


def _parse_actual(act: NetActual, ael: Any, ctx: Any) -> NetActual:
    """virDomainActualNetDefParseXML (the parts that matter for formatting)."""
    t = act.type
    if t is None:
        raise missing_attr(ctx, ael, "type")
    if t not in NET_TYPES:
        raise invalid_attr(ctx, ael, "type", t)
    if t not in ("bridge", "direct", "hostdev", "network"):
        raise ctx.error(ael, f"unsupported type '{t}' in interface's <actual> element")
    new = NetActual(type=t, trust_guest_rx_filters=act.trust_guest_rx_filters)
    if act.virtualport is not None:
        vel = first_child(ael, "virtualport")
        if t not in ("bridge", "direct", "hostdev"):
            raise ctx.error(vel, f"<virtualport> element unsupported for type='{t}' in interface's <actual> element")
        new.virtualport = act.virtualport.parse_into(ctx, vel, _REQUIRE_ALL | _REQUIRE_TYPE)
    src = act.source
    sel = first_child(ael, "source")
    if t == "direct":
        if src is not None:
            if src.mode is not None and src.mode not in MACVLAN_MODES:
                raise invalid_attr(ctx, sel, "mode", src.mode)
            new.source = NetSource(dev=src.dev, mode=src.mode or "vepa")
        else:
            new.source = NetSource(mode="vepa")
    elif t == "hostdev":
        new.managed = act.managed
        if src is not None:
            new.source = NetSource(hostdev_address=src.hostdev_address, vendor=src.vendor, product=src.product)
    else:
        if act.class_id is not None and act.class_id.id is not None:
            cid = act.class_id.id
            if re.fullmatch(r"\s*[+-]?\d+", cid) is None or not -(1 << 32) < int(cid) < (1 << 32):
                raise ctx.error(first_child(ael, "class"), f"Unable to parse class id '{cid}'")
            new.class_id = NetActualClass(id=int(cid) & 0xFFFFFFFF)
        if src is not None:
            if src.bridge is None and t == "bridge":
                raise ctx.error(sel, "Missing <source> element with bridge name in interface's <actual> element")
            mtm = src.mac_table_manager
            if mtm is not None and (mtm not in MAC_TABLE_MANAGERS or mtm == "default"):
                raise ctx.error(sel, f"Invalid macTableManager setting '{mtm}' in domain interface's <actual> "
                                     "element")
            new.source = NetSource(bridge=src.bridge, mac_table_manager=mtm)
    if act.bandwidth is not None:
        new.bandwidth = act.bandwidth.check(ctx, first_child(ael, "bandwidth"), t == "network")
    if act.vlan is not None:
        new.vlan = act.vlan.check(ctx, first_child(ael, "vlan"))
    new.port = act.port
    return new


# ------------------------------------------------------------------ format


def _is_generated_ifname(iface: Interface, name: str) -> bool:
    return name.startswith(GENERATED_PREFIXES) or bool(iface.net_prefix and name.startswith(iface.net_prefix))


def _format_hostdev_source(out: list[str], ind: str, backend: str | None, src: NetSource | None) -> None:
    """virDomainHostdevDefFormatSubsys(includeTypeInAddr=true) for PCI/USB."""
    addr = src.hostdev_address if src is not None else None
    is_usb = (addr is not None and addr.type == "usb") or (src is not None and src.vendor is not None)
    if is_usb:
        child: list[str] = []
        if src is not None and src.vendor is not None:
            child.append("%s  <vendor id='0x%.4x'/>\n" % (ind, src.vendor.id or 0))
            child.append("%s  <product id='0x%.4x'/>\n" % (ind, src.product.id if src.product and src.product.id else 0))
        if addr is not None and (addr.bus or addr.device):
            addr.xml_format(child, ind + "  ", 0)
        if child:
            out.append(ind + "<source>\n")
            out.extend(child)
            out.append(ind + "</source>\n")
        return
    if backend is not None:
        out.append(ind + "<driver name='%s'/>\n" % backend)
    a = ""
    if src is not None and src.write_filtering is not None:
        a = " writeFiltering='%s'" % _yn(src.write_filtering)
    out.append(ind + "<source" + a + ">\n")
    (addr or HostdevSourceAddress(type="pci")).xml_format(out, ind + "  ", 0)
    out.append(ind + "</source>\n")


def _source_element(out: list[str], ind: str, attrs_s: str, child: list[str]) -> None:
    if child:
        out.append(ind + "<source" + attrs_s + ">\n")
        out.extend(child)
        out.append(ind + "</source>\n")
    elif attrs_s:
        out.append(ind + "<source" + attrs_s + "/>\n")


def _format_actual_contents(iface: Interface, out: list[str], ind: str, in_sub: bool, flags: int) -> None:
    """virDomainActualNetDefContentsFormat."""
    act = iface.actual
    assert act is not None
    atype = act.type
    src = act.source
    if atype == "hostdev":
        _format_hostdev_source(out, ind, None, src)
    else:
        s = ind + "<source"
        isrc = iface.source
        if iface.type == "network" and not in_sub and isrc is not None:
            if isrc.network is not None:
                s += " network='%s'" % escape(isrc.network)
            if isrc.portgroup is not None:
                s += " portgroup='%s'" % escape(isrc.portgroup)
            if isrc.portid is not None:
                s += " portid='%s'" % isrc.portid
        if atype in ("bridge", "network"):
            if src is not None and src.bridge is not None:
                s += " bridge='%s'" % escape(src.bridge)
            if src is not None and src.mac_table_manager is not None:
                s += " macTableManager='%s'" % src.mac_table_manager
        elif atype == "direct":
            if src is not None and src.dev is not None:
                s += " dev='%s'" % escape(src.dev)
            s += " mode='%s'" % ((src.mode if src is not None else None) or "vepa")
        out.append(s + "/>\n")
    if flags & FormatFlags.STATUS and act.class_id is not None and act.class_id.id:
        out.append(ind + "<class id='%u'/>\n" % act.class_id.id)
    # virDomainNetGetActual*(): with an <actual>, its own vlan, virtualport
    # (only for actual types direct/bridge/hostdev), bandwidth and port
    # options are reported, never the configured ones
    if act.vlan is not None and act.vlan.tags:
        act.vlan.xml_format(out, ind, flags)
    if act.virtualport is not None and atype in ("bridge", "direct", "hostdev"):
        act.virtualport.xml_format(out, ind, flags)
    if act.bandwidth is not None:
        act.bandwidth.xml_format(out, ind, flags)
    port = act.port
    if port is not None and port.isolated is not None:
        out.append(ind + "<port isolated='%s'/>\n" % _yn(port.isolated))


def _format_interface(self: Interface, out: list[str], ind: str, flags: int) -> None:
    t = self.type or "user"
    act = self.actual
    public_actual = (t == "network" and act is not None and not flags & (
        FormatFlags.INACTIVE | FormatFlags.ACTUAL_NET | FormatFlags.MIGRATABLE))
    shown_type = act.type if public_actual and act is not None else t
    s = ind + "<interface type='%s'" % shown_type
    if public_actual and act is not None:
        if act.type == "hostdev" and act.managed:
            s += " managed='yes'"
    elif t == "hostdev" and self.managed:
        s += " managed='yes'"
    if self.trust_guest_rx_filters is not None:
        s += " trustGuestRxFilters='%s'" % _yn(self.trust_guest_rx_filters)
    out.append(s + ">\n")
    ci = ind + "  "
    mac = self.mac or NetMac(address="00:00:00:00:00:00")
    m = ci + "<mac address='%s'" % mac.address
    if mac.type is not None:
        m += " type='%s'" % mac.type
    if mac.check is not None:
        m += " check='%s'" % _yn(mac.check)
    out.append(m + "/>\n")
    if public_actual:
        _format_actual_contents(self, out, ci, False, flags)
    else:
        src = self.source
        a = ""
        child: list[str] = []
        if t == "hostdev":
            _format_hostdev_source(out, ci, self.hostdev_backend_name, src)
        elif src is not None:
            if t == "network":
                if src.network is not None:
                    a += " network='%s'" % escape(src.network)
                if src.portgroup is not None:
                    a += " portgroup='%s'" % escape(src.portgroup)
                if src.portid is not None and not flags & FormatFlags.INACTIVE:
                    a += " portid='%s'" % src.portid
            elif t == "vhostuser":
                a += " type='unix'"
                if src.path is not None:
                    a += " path='%s'" % escape(src.path)
                a += " mode='%s'" % ("server" if src.mode == "server" else "client")
                if src.reconnect is not None and src.reconnect.enabled is not None:
                    src.reconnect.xml_format(child, ci + "  ", flags)
            elif t == "bridge":
                if src.bridge is not None:
                    a += " bridge='%s'" % escape(src.bridge)
            elif t in ("server", "client", "mcast", "udp"):
                if src.address is not None:
                    a += " address='%s'" % escape(src.address)
                a += " port='%s'" % (src.port or "0")
            elif t == "internal":
                if src.name is not None:
                    a += " name='%s'" % escape(src.name)
            elif t == "direct":
                if src.dev is not None:
                    a += " dev='%s'" % escape(src.dev)
                a += " mode='%s'" % (src.mode or "vepa")
            elif t == "vdpa":
                if src.dev is not None:
                    a += " dev='%s'" % escape(src.dev)
            elif t == "vds":
                a += " switchid='%s' portid='%s'" % (src.switchid, src.portid)
                if src.portgroupid is not None:
                    a += " portgroupid='%s'" % escape(src.portgroupid)
                a += " connectionid='%s'" % src.connectionid
            elif t == "user":
                if self.backend is not None and self.backend.type == "passt" and src.dev is not None:
                    a += " dev='%s'" % escape(src.dev)
            for ip in src.ips:
                ip.format(child, ci + "  ")
            for r in src.routes:
                r.format(child, ci + "  ")
            if t == "udp" and src.local is not None:
                child.append("%s  <local address='%s' port='%d'/>\n" % (ci, src.local.address,
                                                                       src.local.port or 0))
            _source_element(out, ci, a, child)
        for x in (self.vlan, self.virtualport, self.bandwidth):
            if x is not None:
                x.xml_format(out, ci, flags)
        if self.port is not None and self.port.isolated is not None:
            out.append(ci + "<port isolated='%s'/>\n" % _yn(self.port.isolated))
        if t == "network" and flags & FormatFlags.ACTUAL_NET and act is not None:
            a2 = ci + "<actual type='%s'" % act.type
            if act.type == "hostdev" and act.managed:
                a2 += " managed='yes'"
            if self.trust_guest_rx_filters is not None:
                a2 += " trustGuestRxFilters='%s'" % _yn(self.trust_guest_rx_filters)
            out.append(a2 + ">\n")
            _format_actual_contents(self, out, ci + "  ", True, flags)
            out.append(ci + "</actual>\n")
    for ip in self.ips:
        ip.format(out, ci)
    for r in self.routes:
        r.format(out, ci)
    for pf in self.port_forwards:
        pf.xml_format(out, ci, flags)
    if self.script is not None and self.script.path is not None:
        out.append(ci + "<script path='%s'/>\n" % escape(self.script.path))
    if self.downscript is not None and self.downscript.path is not None:
        out.append(ci + "<downscript path='%s'/>\n" % escape(self.downscript.path))
    if self.backenddomain is not None and self.backenddomain.name is not None:
        out.append(ci + "<backenddomain name='%s'/>\n" % escape(self.backenddomain.name))
    tgt = self.target
    if tgt is not None:
        ta = ""
        if tgt.dev is not None and (tgt.managed is False or not (
                flags & FormatFlags.INACTIVE and _is_generated_ifname(self, tgt.dev))):
            ta += " dev='%s'" % escape(tgt.dev)
        if tgt.managed is not None:
            ta += " managed='%s'" % _yn(tgt.managed)
        if ta:
            out.append(ci + "<target" + ta + "/>\n")
    g = self.guest
    if g is not None and (g.dev is not None or g.actual is not None):
        ga = ""
        if g.dev is not None:
            ga += " dev='%s'" % escape(g.dev)
        if g.actual is not None:
            ga += " actual='%s'" % escape(g.actual)
        out.append(ci + "<guest" + ga + "/>\n")
    if self.model_name is not None:
        out.append(ci + "<model type='%s'/>\n" % escape(self.model_name))
        if self.is_virtio() and self.driver is not None:
            self.driver.format_virtio(out, ci)
    be = self.backend
    if be is not None:
        ba = ""
        if be.type is not None:
            ba += " type='%s'" % be.type
        for n, v in (("tap", be.tap), ("vhost", be.vhost), ("logFile", be.log_file)):
            if v is not None:
                ba += " %s='%s'" % (n, escape(v))
        if ba:
            out.append(ci + "<backend" + ba + "/>\n")
    if self.filterref is not None and self.filterref.filter is not None:
        self.filterref.xml_format(out, ci, flags)
    if self.tune is not None and self.tune.sndbuf is not None:
        out.append(ci + "<tune>\n%s  <sndbuf>%s</sndbuf>\n%s</tune>\n" % (ci, self.tune.sndbuf, ci))
    tm = self.teaming
    if tm is not None and tm.type not in (None, "none"):
        ts = ci + "<teaming type='%s'" % tm.type
        if tm.persistent is not None:
            ts += " persistent='%s'" % escape(tm.persistent)
        out.append(ts + "/>\n")
    if self.link is not None and self.link.state is not None:
        out.append(ci + "<link state='%s'/>\n" % self.link.state)
    if self.mtu is not None and self.mtu.size not in (None, "0"):
        out.append(ci + "<mtu size='%s'/>\n" % self.mtu.size)
    co = self.coalesce
    if co is not None and co.rx is not None and co.rx.frames is not None and co.rx.frames.max not in (None, "0"):
        out.append("%s<coalesce>\n%s  <rx>\n%s    <frames max='%s'/>\n%s  </rx>\n%s</coalesce>\n"
                   % (ci, ci, ci, co.rx.frames.max, ci, ci))
    # libvirt's order (virDomainDeviceInfoFormat): boot alias master rom acpi address
    for f in (self.boot, self.alias, self.master, self.rom, self.acpi, self.address):
        if f is not None:
            f.xml_format(out, ci, flags)
    out.append(ind + "</interface>\n")


__all__ = ["Interface", "NetSource", "NetMac", "NetIP", "NetRoute", "VirtualPort", "Bandwidth", "Vlan",
           "NetDriver", "NetBackend", "FilterRef", "PortForward", "NetActual", "NET_TYPES", "parse_mac",
           "generate_mac"]
