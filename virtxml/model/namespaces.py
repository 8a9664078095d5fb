"""Hypervisor namespace blocks at the end of ``<domain>``: qemu:commandline,
qemu:capabilities, qemu:override, qemu:deprecation, lxc:namespace,
bhyve:commandline, xen:commandline, vmware:datacenterpath.

libvirt keeps one structure per driver namespace and writes it in a fixed
order; :func:`normalize` merges repeated blocks the same way (Domain calls
it at parse time)."""

from __future__ import annotations

import re
from typing import Any

from ..binding import attribute, custom_format, element, elements, text, xml

QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"
LXC_NS = "http://libvirt.org/schemas/domain/lxc/1.0"
BHYVE_NS = "http://libvirt.org/schemas/domain/bhyve/1.0"
XEN_NS = "http://libvirt.org/schemas/domain/xen/1.0"
VMWARE_NS = "http://libvirt.org/schemas/domain/vmware/1.0"

#: the namespace of each driver's own XML extension (libvirt's xmlopt->ns);
#: a driver object may say so itself with an ``xml_namespace`` attribute
DRIVER_NAMESPACES: dict[str, str] = {
    "qemu": QEMU_NS, "lxc": LXC_NS, "bhyve": BHYVE_NS, "libxl": XEN_NS,
    "vmware": VMWARE_NS, "esx": VMWARE_NS, "vmx": VMWARE_NS,
}
_UNSET = object()


def driver_namespace(drv: Any) -> str | None:
    ns = getattr(drv, "xml_namespace", _UNSET)
    if ns is _UNSET:
        return DRIVER_NAMESPACES.get(getattr(drv, "name", None) or "")
    return ns  # type: ignore[no-any-return]


def foreign(ctx: Any, ns: str | None) -> bool:
    """Is ``ns`` another driver's namespace?  libvirt parses only the
    namespace of the driver it runs (xmlopt->ns.parse) and ignores the
    rest; without a driver (plain binding) every namespace is read."""
    data = getattr(ctx, "data", None)
    drv = data.get("parser_config") if data else None
    if drv is None:
        return False
    return driver_namespace(drv) != ns


def _c(ns: str, tag: str) -> str:
    return "{%s}%s" % (ns, tag)

def _env_hook(kw: dict[str, Any], el: Any, ctx: Any) -> None:
    name = kw.get("name")
    if not name:
        raise ctx.error(el, "No qemu environment name specified")
    if not (name[0].isascii() and (name[0].isalpha() or name[0] == "_")):
        raise ctx.error(el, "Invalid environment name, it must begin with a letter or underscore")
    if re.fullmatch(r"[A-Za-z0-9_]+", name) is None:
        raise ctx.error(el, "Invalid environment name, it must contain only alphanumerics and underscore")

# ------------------------------------------------------------------- qemu

@xml("arg", ns=QEMU_NS)
class QemuArg:
    value: str | None = attribute("value")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if foreign(ctx, cls.__xml_ns__):
            return
        if kw.get("value") is None:
            raise ctx.error(el, "No qemu command-line argument specified")

@xml("env", ns=QEMU_NS)
class QemuEnv:
    name: str | None = attribute("name")
    value: str | None = attribute("value")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if foreign(ctx, cls.__xml_ns__):
            return
        _env_hook(kw, el, ctx)

@xml("commandline", ns=QEMU_NS)
class QemuCommandline:
    args: list[QemuArg] = elements("arg", QemuArg, ns=QEMU_NS)
    envs: list[QemuEnv] = elements("env", QemuEnv, ns=QEMU_NS)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.args or self.envs:
            self._xml_format_generated(out, ind, flags)

@xml("add", ns=QEMU_NS)
class QemuCapAdd:
    capability: str | None = attribute("capability")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if foreign(ctx, cls.__xml_ns__):
            return
        if kw.get("capability") is None:
            raise ctx.error(el, "missing capability name")

@xml("del", ns=QEMU_NS)
class QemuCapDel(QemuCapAdd):
    pass

@xml("capabilities", ns=QEMU_NS)
class QemuCapabilities:
    adds: list[QemuCapAdd] = elements("add", QemuCapAdd, ns=QEMU_NS)
    dels: list[QemuCapDel] = elements("del", QemuCapDel, ns=QEMU_NS)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.adds or self.dels:
            self._xml_format_generated(out, ind, flags)

PROPERTY_TYPES = ("string", "signed", "unsigned", "bool", "remove")

@xml("property", ns=QEMU_NS)
class QemuProperty:
    name: str | None = attribute("name")
    type: str | None = attribute("type")
    value: str | None = attribute("value")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if foreign(ctx, cls.__xml_ns__):
            return
        if kw.get("name") is None:
            raise ctx.error(el, "missing 'name' attribute for qemu:property")
        t = kw.get("type")
        if t is None:
            raise ctx.error(el, "Missing required attribute 'type' in element 'property'")
        if t not in PROPERTY_TYPES:
            raise ctx.error(el, f"Invalid value for attribute 'type' in element 'property': '{t}'.")
        v = kw.get("value")
        if t == "remove":
            kw["value"] = None
            return
        if v is None:
            raise ctx.error(el, "missing 'value' attribute for 'qemu:property'")
        bad = ((t == "signed" and re.fullmatch(r"\s*[+-]?\d+", v) is None)
               or (t == "unsigned" and re.fullmatch(r"\s*[+-]?\d+", v) is None)
               or (t == "bool" and v not in ("true", "false")))
        if bad:
            raise ctx.error(el, f"invalid value '{v}' of 'value' attribute of 'qemu:property'")

@xml("frontend", ns=QEMU_NS)
class QemuFrontend:
    properties: list[QemuProperty] = elements("property", QemuProperty, ns=QEMU_NS)

@xml("device", ns=QEMU_NS)
class QemuOverrideDevice:
    alias: str | None = attribute("alias")
    frontend: list[QemuFrontend] = elements("frontend", QemuFrontend, ns=QEMU_NS)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if foreign(ctx, cls.__xml_ns__):
            return
        if kw.get("alias") is None:
            raise ctx.error(el, "missing 'alias' attribute for qemu:device")
        fr = kw.get("frontend") or []
        if len(fr) > 1:
            fr = [QemuFrontend(properties=[p for f in fr for p in f.properties])]
        kw["frontend"] = fr

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        out.append(f"{ind}<qemu:device alias='{self.alias}'>\n")
        props = [p for f in self.frontend for p in f.properties]
        if props:
            out.append(f"{ind}  <qemu:frontend>\n")
            for p in props:
                s = f"{ind}    <qemu:property name='{p.name}' type='{p.type}'"
                if p.value is not None:
                    from ..binding.conv import escape

                    s += f" value='{escape(p.value)}'"
                out.append(s + "/>\n")
            out.append(f"{ind}  </qemu:frontend>\n")
        out.append(f"{ind}</qemu:device>\n")

@xml("override", ns=QEMU_NS)
class QemuOverride:
    devices: list[QemuOverrideDevice] = elements("device", QemuOverrideDevice, ns=QEMU_NS)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.devices:
            self._xml_format_generated(out, ind, flags)

@xml("deprecation", ns=QEMU_NS)
class QemuDeprecation:
    behavior: str | None = attribute("behavior")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.behavior:
            self._xml_format_generated(out, ind, flags)

# -------------------------------------------------------------------- lxc

LXC_SHARE_TYPES = ("netns", "name", "pid")

def _lxc_share(tag: str) -> type:
    def hook(cls: Any, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if foreign(ctx, cls.__xml_ns__):
            return
        t = kw.get("type")
        if t is None:
            raise ctx.error(el, "No lxc environment type specified")
        if t not in LXC_SHARE_TYPES:
            raise ctx.error(el, "Unknown LXC namespace source '%s'" % t)
        if kw.get("value") is None:
            raise ctx.error(el, "No lxc environment type specified")

    ns = {"__annotations__": {"type": "str | None", "value": "str | None"},
          "type": attribute("type"), "value": attribute("value"), "_xml_parse_hook": classmethod(hook)}
    return xml(tag, ns=LXC_NS)(type("Lxc_" + tag, (), ns))

LxcShareNet = _lxc_share("sharenet")
LxcShareIPC = _lxc_share("shareipc")
LxcShareUTS = _lxc_share("shareuts")

@xml("namespace", ns=LXC_NS)
class LxcNamespace:

    sharenet: Any = element("sharenet", LxcShareNet, ns=LXC_NS)
    shareipc: Any = element("shareipc", LxcShareIPC, ns=LXC_NS)
    shareuts: Any = element("shareuts", LxcShareUTS, ns=LXC_NS)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if foreign(ctx, cls.__xml_ns__):
            return
        known = {"{%s}%s" % (LXC_NS, t) for t in ("sharenet", "shareipc", "shareuts")}
        for ch in el:
            if isinstance(ch.tag, str) and ch.tag not in known:
                raise ctx.error(ch, "unsupported Namespace feature: %s" % ch.tag.rpartition("}")[2])

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.sharenet or self.shareipc or self.shareuts:
            self._xml_format_generated(out, ind, flags)

# ------------------------------------------------------- bhyve / xen / vmware

@xml("arg", ns=BHYVE_NS)
class BhyveArg:
    value: str | None = attribute("value")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if foreign(ctx, cls.__xml_ns__):
            return
        if kw.get("value") is None:
            raise ctx.error(el, "No bhyve arguments specified")

@xml("env", ns=BHYVE_NS)
class BhyveEnv:
    name: str | None = attribute("name")
    value: str | None = attribute("value")

@xml("commandline", ns=BHYVE_NS)
class BhyveCommandline:
    args: list[BhyveArg] = elements("arg", BhyveArg, ns=BHYVE_NS)
    envs: list[BhyveEnv] = elements("env", BhyveEnv, ns=BHYVE_NS)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.args or self.envs:
            self._xml_format_generated(out, ind, flags)

@xml("arg", ns=XEN_NS)
class XenArg:
    value: str | None = attribute("value")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if foreign(ctx, cls.__xml_ns__):
            return
        if kw.get("value") is None:
            raise ctx.error(el, "No device model command-line argument specified")

@xml("commandline", ns=XEN_NS)
class XenCommandline:
    args: list[XenArg] = elements("arg", XenArg, ns=XEN_NS)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.args:
            self._xml_format_generated(out, ind, flags)

@xml("datacenterpath", ns=VMWARE_NS)
class VmwareDatacenterPath:
    value: str | None = text()

#: Clark tag -> model class of every top-level namespace element
NAMESPACE_ELEMENTS: dict[str, type] = {
    _c(QEMU_NS, "commandline"): QemuCommandline,
    _c(QEMU_NS, "capabilities"): QemuCapabilities,
    _c(QEMU_NS, "override"): QemuOverride,
    _c(QEMU_NS, "deprecation"): QemuDeprecation,
    _c(LXC_NS, "namespace"): LxcNamespace,
    _c(BHYVE_NS, "commandline"): BhyveCommandline,
    _c(XEN_NS, "commandline"): XenCommandline,
    _c(VMWARE_NS, "datacenterpath"): VmwareDatacenterPath,
}

_QEMU_ORDER = (QemuCommandline, QemuCapabilities, QemuOverride, QemuDeprecation)

def normalize(items: list[Any]) -> list[Any]:
    """Merge repeated blocks as libvirt's per-driver namespace parsers do
    (all ``qemu:arg`` of every ``qemu:commandline``, ...), in libvirt's
    output order; the namespace of the first block leads."""
    if len(items) <= 1:
        return [it for it in items if _nonempty(it)]
    merged: dict[type, Any] = {}
    for it in items:
        cls = type(it)
        prev = merged.get(cls)
        if prev is None:
            merged[cls] = it
            continue
        if cls in (QemuCommandline, BhyveCommandline):
            merged[cls] = cls(args=prev.args + it.args, envs=prev.envs + it.envs)
        elif cls is XenCommandline:
            merged[cls] = cls(args=prev.args + it.args)
        elif cls is QemuCapabilities:
            merged[cls] = cls(adds=prev.adds + it.adds, dels=prev.dels + it.dels)
        elif cls is QemuOverride:
            merged[cls] = cls(devices=prev.devices + it.devices)
        # deprecation, lxc:namespace, datacenterpath: the first one counts
    order: list[type] = []
    for it in items:
        c = type(it)
        if c not in order:
            order.append(c)
    qemu = [c for c in _QEMU_ORDER if c in merged]
    rest = [c for c in order if c not in _QEMU_ORDER]
    out = [merged[c] for c in qemu + rest] if order and order[0] in _QEMU_ORDER else \
        [merged[c] for c in rest + qemu]
    return [it for it in out if _nonempty(it)]


def _nonempty(item: Any) -> bool:
    """A block that writes nothing gives libvirt no namespace data (and so
    no xmlns declaration)."""
    tmp: list[str] = []
    item.xml_format(tmp, "", 0)
    return bool(tmp)
