"""``<controller>`` (virDomainControllerDefParseXML / virDomainControllerDefFormat).

Which attributes are read depends on the controller type: ``ports`` for usb
and virtio-serial, ``vectors`` for virtio-serial, ``maxGrantFrames`` /
``maxEventChannels`` for xenbus, ``<model name>``/``<target>`` for pci and
``<pcihole64>`` for pci-root / pcie-root only; the others are ignored (and
reported), as libvirt ignores them.  ``model`` is checked against the
model list of the type ("Unknown model type '%s'").
"""

from __future__ import annotations

from typing import Any

from ...binding import INT, ONOFF, UINT, ConvError, Custom, Enum, Int, attribute, custom_format, element, text, text_element, xml
from ...binding.conv import ScaleError, parse_scaled
from ...flags import FormatFlags
from .info import ACPI, Address, Alias, Master, omit_if_empty

CONTROLLER_TYPES = ("ide", "fdc", "scsi", "sata", "virtio-serial", "ccid", "usb", "pci", "xenbus", "isa")

CONTROLLER_MODELS: dict[str, tuple[str, ...]] = {
    "scsi": ("auto", "buslogic", "lsilogic", "lsisas1068", "vmpvscsi", "ibmvscsi", "virtio-scsi", "lsisas1078",
             "virtio-transitional", "virtio-non-transitional", "ncr53c90", "am53c974", "dc390"),
    "usb": ("piix3-uhci", "piix4-uhci", "ehci", "ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3",
            "vt82c686b-uhci", "pci-ohci", "nec-xhci", "qusb1", "qusb2", "qemu-xhci", "none"),
    "pci": ("pci-root", "pcie-root", "pci-bridge", "dmi-to-pci-bridge", "pcie-root-port",
            "pcie-switch-upstream-port", "pcie-switch-downstream-port", "pci-expander-bus", "pcie-expander-bus",
            "pcie-to-pci-bridge"),
    "ide": ("piix3", "piix4", "ich6"),
    "virtio-serial": ("virtio", "virtio-transitional", "virtio-non-transitional"),
    "isa": (),
    "fdc": (),
    "sata": (),
    "ccid": (),
    "xenbus": (),
}

_MIGRATABLE = int(FormatFlags.MIGRATABLE)
PCI_MODEL_NAMES = ("none", "pci-bridge", "i82801b11-bridge", "ioh3420", "x3130-upstream", "xio3130-downstream",
                   "pxb", "pxb-pcie", "pcie-root-port", "spapr-pci-host-bridge", "pcie-pci-bridge")


def _migratable_spapr(obj: Any, flags: int) -> bool:
    """The model name of a pSeries PHB pci-root is left out of migratable
    XML (older libvirt cannot read it back)."""
    if not flags & _MIGRATABLE:
        return True
    mn = obj.model_name
    return not (obj.model == "pci-root" and mn is not None and mn.name == "spapr-pci-host-bridge")


@xml("model")
class ControllerModelName:
    """``<model name='...'/>`` of a PCI controller."""

    #: checked by Controller's hook: libvirt reads it for PCI controllers only
    name: str | None = attribute("name")


def _node(v: str) -> int:
    try:
        return int(INT.parse(v))
    except ConvError:
        raise ValueError(v) from None


@omit_if_empty
@xml("target")
class ControllerTarget:
    """``<target chassisNr chassis port busNr index hotplug><node/></target>``
    of a PCI controller (port written as 0x%x)."""

    # virXMLPropInt with base 0 (hex and octal too)
    chassis_nr: int | None = attribute("chassisNr", Int(signed=True, base=0))
    chassis: int | None = attribute("chassis", Int(signed=True, base=0))
    port: int | None = attribute("port", Int(signed=True, base=0, fmt=lambda v: "0x%x" % v))
    bus_nr: int | None = attribute("busNr", Int(signed=True, base=0))
    index: int | None = attribute("index", Int(signed=True, base=0))
    hotplug: bool | None = attribute("hotplug", ONOFF)
    node: int | None = text_element("node", Custom(_node, str, message="invalid NUMA node in target"))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for k, name in (("chassis_nr", "chassisNr"), ("chassis", "chassis"), ("port", "port"), ("bus_nr", "busNr"),
                        ("index", "index")):
            if kw.get(k) is not None and kw[k] < 0:
                raise ctx.error(el, "Invalid value for attribute '%s' in element 'target': '%s'. "
                                    "Expected non-negative value" % (name, el.get(name)))
        if kw.get("node") is not None and kw["node"] < 0:
            raise ctx.error(el, "invalid NUMA node in target")


@omit_if_empty
@xml("driver")
class ControllerDriver:
    queues: int | None = attribute("queues", UINT, when=lambda o, f: bool(o.queues))
    cmd_per_lun: int | None = attribute("cmd_per_lun", UINT, when=lambda o, f: bool(o.cmd_per_lun))
    max_sectors: int | None = attribute("max_sectors", UINT, when=lambda o, f: bool(o.max_sectors))
    ioeventfd: bool | None = attribute("ioeventfd", ONOFF)
    iothread: int | None = attribute("iothread", UINT, when=lambda o, f: bool(o.iothread))
    iommu: bool | None = attribute("iommu", ONOFF)
    ats: bool | None = attribute("ats", ONOFF)
    packed: bool | None = attribute("packed", ONOFF)
    page_per_vq: bool | None = attribute("page_per_vq", ONOFF)


@xml("pcihole64")
class PCIHole64:
    """``<pcihole64 unit='KiB'>N</pcihole64>``; ``value`` in KiB."""

    unit: str | None = attribute("unit", when=lambda o, f: False)
    value: Any = text()

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        v = kw.get("value")
        if v is None:
            kw["value"] = None
            return
        try:
            b = parse_scaled(v, kw.get("unit"), "./pcihole64", default=1024, max_bytes=1024 * ((1 << 64) - 1))
        except ScaleError as e:
            raise ctx.error(el, e.message) from None
        kw["value"] = -(-b // 1024)
        kw["unit"] = "KiB"

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        # present (even 0) means set: libvirt keeps a flag next to the size
        if self.value is not None:
            out.append("%s<pcihole64 unit='KiB'>%d</pcihole64>\n" % (ind, self.value))


def _nonneg(name: str) -> Any:
    return lambda o, f: getattr(o, name) is not None and getattr(o, name) != -1


#: the fields the parse hook checks or drops by controller type
_NUMERIC_OR_TYPED = frozenset({"ports", "vectors", "max_grant_frames", "max_event_channels", "model_name", "pcihole64",
                               "target"})

#: start port of each ICH9 UHCI companion without an explicit <master>
USB_COMPANION_STARTPORT = {"ich9-uhci1": 0, "ich9-uhci2": 2, "ich9-uhci3": 4}


@xml("controller")
class Controller:
    """``<controller>``; field order is virDomainControllerDefFormat's."""

    type: str = attribute("type", Enum(CONTROLLER_TYPES), default="ide")
    index: int | None = attribute("index", INT)
    model: str | None = attribute("model")
    ports: int | None = attribute("ports", Int(signed=True), when=_nonneg("ports"))
    vectors: int | None = attribute("vectors", Int(signed=True), when=_nonneg("vectors"))
    max_grant_frames: int | None = attribute("maxGrantFrames", Int(signed=True), when=_nonneg("max_grant_frames"))
    max_event_channels: int | None = attribute("maxEventChannels", Int(signed=True),
                                               when=_nonneg("max_event_channels"))
    model_name: ControllerModelName | None = element("model", ControllerModelName, when=_migratable_spapr)
    target: ControllerTarget | None = element("target", ControllerTarget)
    driver: ControllerDriver | None = element("driver", ControllerDriver)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)
    pcihole64: PCIHole64 | None = element("pcihole64", PCIHole64)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        t = kw.get("type", "ide")
        idx = kw.get("index")
        m = kw.get("model")
        # virDomainControllerDefParseXML: type, model, then index
        if m is not None and m not in CONTROLLER_MODELS.get(t, ()):
            raise ctx.error(el, f"Unknown model type '{m}'")
        if idx is not None and idx < 0:
            raise ctx.error(el, "Invalid value for attribute 'index' in element 'controller': '%s'. "
                                "Expected non-negative value" % el.get("index"))
        if m is not None:
            if t == "usb" and kw.get("master") is None and m in USB_COMPANION_STARTPORT:
                # an ICH9 UHCI companion is a USB2 companion at its fixed
                # start port even when the XML has no <master>
                kw["master"] = Master(startport=USB_COMPANION_STARTPORT[m])

        if "model_name" in kw or "target" in kw:
            nmodel = ntarget = 0
            for c in el:
                if c.tag == "model":
                    nmodel += 1
                elif c.tag == "target":
                    ntarget += 1
            if nmodel > 1:
                raise ctx.error(el, "Multiple <model> elements in controller definition not allowed")
            if ntarget > 1:
                raise ctx.error(el, "Multiple <target> elements in controller definition not allowed")
        if not (_NUMERIC_OR_TYPED & kw.keys()):
            return  # none of the per-type parts below (the common case)

        def drop(field: str, what: str) -> None:
            if kw.get(field) is not None:
                kw[field] = None
                ctx.ignored.append((el.sourceline, ctx.path(el), what))

        for f, name in (("ports", "ports"), ("vectors", "vectors"), ("max_grant_frames", "maxGrantFrames"),
                        ("max_event_channels", "maxEventChannels")):
            if kw.get(f) is not None and kw[f] < 0:
                raise ctx.error(el, "Invalid value for attribute '%s' in element 'controller': '%s'. "
                                    "Expected non-negative value" % (name, el.get(name)))
        if t != "virtio-serial":
            drop("vectors", "@vectors")
            if t != "usb":
                drop("ports", "@ports")
        if t != "xenbus":
            drop("max_grant_frames", "@maxGrantFrames")
            drop("max_event_channels", "@maxEventChannels")
        if t == "pci":
            mn = kw.get("model_name")
            if mn is not None and mn.name is not None and mn.name not in PCI_MODEL_NAMES:
                raise ctx.error(el, "Invalid value for attribute 'name' in element 'model': '%s'." % mn.name)
            if mn is not None and mn.name in (None, "none"):
                kw["model_name"] = None  # (libvirt's 0: not written)
        else:
            for f, tag in (("model_name", "model"), ("target", "target")):
                if kw.get(f) is not None:
                    kw[f] = None
                    ctx.ignored.append((el.sourceline, ctx.path(el) + "/" + tag, "element"))
        if not (t == "pci" and m in ("pci-root", "pcie-root")) and kw.get("pcihole64") is not None:
            kw["pcihole64"] = None
            ctx.ignored.append((el.sourceline, ctx.path(el) + "/pcihole64", "element"))

    @property
    def idx(self) -> int:
        return -1 if self.index is None else self.index


__all__ = ["Controller", "ControllerDriver", "ControllerTarget", "ControllerModelName", "PCIHole64",
           "CONTROLLER_TYPES", "CONTROLLER_MODELS", "PCI_MODEL_NAMES"]
