"""Domain capabilities ``<domainCapabilities>`` (virsh domcapabilities):
what one emulator/machine/arch/virt-type combination supports.  The document
is a tree of ``supported='yes|no'`` items with ``<enum name>`` value lists;
it is read into a generic typed tree plus the few top-level scalars."""

from __future__ import annotations

import os
from typing import Any

import attrs

from ..safexml import parse_bytes, read_source
from .qemucaps import CapsError


@attrs.define(kw_only=True)
class CapsItem:
    """An element of the document: its ``supported`` state, its enums, its
    plain ``<value>`` list, other attributes, text and child items."""

    tag: str
    supported: bool | None = None
    attributes: dict[str, str] = attrs.field(factory=dict)
    text: str | None = None
    enums: dict[str, list[str]] = attrs.field(factory=dict)
    values: list[str] = attrs.field(factory=list)
    children: list["CapsItem"] = attrs.field(factory=list)

    def child(self, tag: str, **match: str) -> "CapsItem | None":
        for c in self.children:
            if c.tag == tag and all(c.attributes.get(k) == v for k, v in match.items()):
                return c
        return None


def _item(el: Any) -> CapsItem:
    sup = el.get("supported")
    item = CapsItem(tag=el.tag, supported=None if sup is None else sup == "yes",
                    attributes={k: v for k, v in el.attrib.items() if k != "supported"})
    text = (el.text or "").strip()
    if text:
        item.text = text
    for c in el:
        if not isinstance(c.tag, str):
            continue
        if c.tag == "enum":
            item.enums[c.get("name") or ""] = [(v.text or "").strip() for v in c.findall("value")]
        elif c.tag == "value":
            item.values.append((c.text or "").strip())
        else:
            item.children.append(_item(c))
    return item


@attrs.define(kw_only=True)
class DomainCaps:
    path: str | None = None
    domain: str | None = None
    machine: str | None = None
    arch: str | None = None
    vcpu_max: int | None = None
    iothreads: bool | None = None
    os: CapsItem | None = None
    cpu: CapsItem | None = None
    memory_backing: CapsItem | None = None
    devices: dict[str, CapsItem] = attrs.field(factory=dict)
    features: dict[str, CapsItem] = attrs.field(factory=dict)
    origin: str | None = None

    def device_enum(self, device: str, enum: str) -> list[str]:
        d = self.devices.get(device)
        if d is None or not d.supported:
            return []
        return d.enums.get(enum, [])

    def cpu_mode(self, name: str) -> CapsItem | None:
        return self.cpu.child("mode", name=name) if self.cpu else None

    def feature_supported(self, name: str) -> bool:
        f = self.features.get(name)
        return bool(f and f.supported)


def parse_domain_caps_tree(root: Any, origin: str | None = None) -> DomainCaps:
    if root.tag != "domainCapabilities":
        raise CapsError(f"expecting root element of 'domainCapabilities', not '{root.tag}'",
                        file=origin, line=root.sourceline)
    dc = DomainCaps(origin=origin)
    for el in root:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag == "path":
            dc.path = (el.text or "").strip()
        elif tag == "domain":
            dc.domain = (el.text or "").strip()
        elif tag == "machine":
            dc.machine = (el.text or "").strip()
        elif tag == "arch":
            dc.arch = (el.text or "").strip()
        elif tag == "vcpu":
            mx = el.get("max")
            dc.vcpu_max = int(mx) if mx and mx.isdigit() else None
        elif tag == "iothreads":
            dc.iothreads = el.get("supported") == "yes"
        elif tag == "os":
            dc.os = _item(el)
        elif tag == "cpu":
            dc.cpu = _item(el)
        elif tag == "memoryBacking":
            dc.memory_backing = _item(el)
        elif tag == "devices":
            for d in el:
                if isinstance(d.tag, str):
                    dc.devices[d.tag] = _item(d)
        elif tag == "features":
            for f in el:
                if isinstance(f.tag, str):
                    dc.features[f.tag] = _item(f)
    return dc


def parse_domain_caps(source: str | bytes | os.PathLike[str]) -> DomainCaps:
    data, fname = read_source(source)
    return parse_domain_caps_tree(parse_bytes(data, fname), fname)
