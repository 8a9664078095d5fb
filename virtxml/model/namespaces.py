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
from ..binding.conv import escape

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


def _own_rule(check: Any) -> Any:
    """``check(kw, el, ctx)`` as a ``_xml_parse_hook``: libvirt applies a
    namespace's parse rules only when its driver owns that namespace."""

    def hook(cls: Any, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if not foreign(ctx, cls.__xml_ns__):
            check(kw, el, ctx)

    return classmethod(hook)


def _required(name: str, message: str) -> Any:
    """A ``_xml_parse_hook``: attribute ``name`` must be there."""

    def check(kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get(name) is None:
            raise ctx.error(el, message)

    return _own_rule(check)


def _block(*parts: str, merge: bool = True) -> Any:
    """Class decorator (under ``@xml``) of a top-level namespace block:
    libvirt writes it only when one of ``parts`` holds something, and joins
    the ``parts`` lists of repeated blocks (:func:`normalize`); without
    ``merge`` the first block counts."""

    def deco(cls: Any) -> Any:
        @custom_format
        def xml_format(self: Any, out: list[str], ind: str, flags: int) -> None:
            if any(getattr(self, p) for p in parts):
                self._xml_format_generated(out, ind, flags)

        cls.xml_format = xml_format
        cls._ns_merged_parts = parts if merge else ()
        return cls

    return deco


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

    _xml_parse_hook = _required("value", "No qemu command-line argument specified")

@xml("env", ns=QEMU_NS)
class QemuEnv:
    name: str | None = attribute("name")
    value: str | None = attribute("value")

    _xml_parse_hook = _own_rule(_env_hook)

@xml("commandline", ns=QEMU_NS)
@_block("args", "envs")
class QemuCommandline:
    args: list[QemuArg] = elements("arg", QemuArg, ns=QEMU_NS)
    envs: list[QemuEnv] = elements("env", QemuEnv, ns=QEMU_NS)

@xml("add", ns=QEMU_NS)
class QemuCapAdd:
    capability: str | None = attribute("capability")

    _xml_parse_hook = _required("capability", "missing capability name")

@xml("del", ns=QEMU_NS)
class QemuCapDel(QemuCapAdd):
    pass

@xml("capabilities", ns=QEMU_NS)
@_block("adds", "dels")
class QemuCapabilities:
    adds: list[QemuCapAdd] = elements("add", QemuCapAdd, ns=QEMU_NS)
    dels: list[QemuCapDel] = elements("del", QemuCapDel, ns=QEMU_NS)

PROPERTY_TYPES = ("string", "signed", "unsigned", "bool", "remove")

@xml("property", ns=QEMU_NS)
class QemuProperty:
    name: str | None = attribute("name")
    type: str | None = attribute("type")
    value: str | None = attribute("value")

    @_own_rule
    def _xml_parse_hook(kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("name") is None:
            raise ctx.error(el, "missing 'name' attribute for qemu:property")
        if kw["name"] == "id":
            raise ctx.error(el, "property with name 'id' can't be overridden")
        t = kw.get("type")
        if t is None:
            raise ctx.error(el, "Missing required attribute 'type' in element 'property'")
        if t not in PROPERTY_TYPES:
            raise ctx.error(el, f"Invalid value for attribute 'type' in element 'property': '{t}'.")
        v = kw.get("value")
        if t == "remove":
            if v is not None:
                raise ctx.error(el, "setting 'value' attribute of 'qemu:property' doesn't make sense "
                                    "with 'remove' type")
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

    @_own_rule
    def _xml_parse_hook(kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("alias") is None:
            raise ctx.error(el, "missing 'alias' attribute for qemu:device")
        fr = kw.get("frontend") or []
        if len(fr) > 1:
            fr = [QemuFrontend(properties=[p for f in fr for p in f.properties])]
        kw["frontend"] = fr

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        props = [p for f in self.frontend for p in f.properties]
        if not props:  # virXMLFormatElement: nothing inside, self-closing
            out.append(f"{ind}<qemu:device alias='{escape(self.alias or '')}'/>\n")
            return
        out.append(f"{ind}<qemu:device alias='{escape(self.alias or '')}'>\n")
        if props:
            out.append(f"{ind}  <qemu:frontend>\n")
            for p in props:
                s = f"{ind}    <qemu:property name='{escape(p.name or '')}' type='{p.type}'"
                if p.value is not None:
                    s += f" value='{escape(p.value)}'"
                out.append(s + "/>\n")
            out.append(f"{ind}  </qemu:frontend>\n")
        out.append(f"{ind}</qemu:device>\n")

@xml("override", ns=QEMU_NS)
@_block("devices")
class QemuOverride:
    devices: list[QemuOverrideDevice] = elements("device", QemuOverrideDevice, ns=QEMU_NS)

@xml("deprecation", ns=QEMU_NS)
@_block("behavior", merge=False)
class QemuDeprecation:
    behavior: str | None = attribute("behavior")

# -------------------------------------------------------------------- lxc

LXC_SHARE_TYPES = ("netns", "name", "pid")

def _lxc_share(tag: str) -> type:
    def check(kw: dict[str, Any], el: Any, ctx: Any) -> None:
        t = kw.get("type")
        if t is None:
            raise ctx.error(el, "No lxc environment type specified")
        if t not in LXC_SHARE_TYPES:
            raise ctx.error(el, "Unknown LXC namespace source '%s'" % t)
        if kw.get("value") is None:
            raise ctx.error(el, "No lxc environment type specified")

    ns = {"__annotations__": {"type": "str | None", "value": "str | None"},
          "type": attribute("type"), "value": attribute("value"), "_xml_parse_hook": _own_rule(check)}
    return xml(tag, ns=LXC_NS)(type("Lxc_" + tag, (), ns))

LxcShareNet = _lxc_share("sharenet")
LxcShareIPC = _lxc_share("shareipc")
LxcShareUTS = _lxc_share("shareuts")

@xml("namespace", ns=LXC_NS)
@_block("sharenet", "shareipc", "shareuts", merge=False)
class LxcNamespace:

    sharenet: Any = element("sharenet", LxcShareNet, ns=LXC_NS)
    shareipc: Any = element("shareipc", LxcShareIPC, ns=LXC_NS)
    shareuts: Any = element("shareuts", LxcShareUTS, ns=LXC_NS)

    @_own_rule
    def _xml_parse_hook(kw: dict[str, Any], el: Any, ctx: Any) -> None:
        known = {_c(LXC_NS, t) for t in ("sharenet", "shareipc", "shareuts")}
        for ch in el:
            if isinstance(ch.tag, str) and ch.tag not in known:
                raise ctx.error(ch, "unsupported Namespace feature: %s" % ch.tag.rpartition("}")[2])

# ------------------------------------------------------- bhyve / xen / vmware

@xml("arg", ns=BHYVE_NS)
class BhyveArg:
    value: str | None = attribute("value")

    _xml_parse_hook = _required("value", "No bhyve arguments specified")

@xml("env", ns=BHYVE_NS)
class BhyveEnv:
    name: str | None = attribute("name")
    value: str | None = attribute("value")

@xml("commandline", ns=BHYVE_NS)
@_block("args", "envs")
class BhyveCommandline:
    args: list[BhyveArg] = elements("arg", BhyveArg, ns=BHYVE_NS)
    envs: list[BhyveEnv] = elements("env", BhyveEnv, ns=BHYVE_NS)

@xml("arg", ns=XEN_NS)
class XenArg:
    value: str | None = attribute("value")

    _xml_parse_hook = _required("value", "No device model command-line argument specified")

@xml("commandline", ns=XEN_NS)
@_block("args")
class XenCommandline:
    args: list[XenArg] = elements("arg", XenArg, ns=XEN_NS)

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
        parts = getattr(cls, "_ns_merged_parts", ())
        if parts:
            merged[cls] = cls(**{p: getattr(prev, p) + getattr(it, p) for p in parts})
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
