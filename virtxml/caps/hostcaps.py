"""Host capabilities ``<capabilities>`` (virsh capabilities): the guests a
host can run, per OS type and arch, with emulators, machines and domain
types.  Only the parts that shape domain XML are typed; ``<host>`` keeps its
arch and a few well-known values."""

from __future__ import annotations

import os
from typing import Any

import attrs

from ..safexml import parse_bytes, read_source
from .qemucaps import CapsError


@attrs.define(kw_only=True)
class GuestMachine:
    name: str
    canonical: str | None = None
    max_cpus: int | None = None


@attrs.define(kw_only=True)
class GuestDomain:
    type: str
    emulator: str | None = None
    machines: list[GuestMachine] = attrs.field(factory=list)


@attrs.define(kw_only=True)
class GuestFeature:
    name: str
    default: str | None = None
    toggle: str | None = None


@attrs.define(kw_only=True)
class Guest:
    os_type: str
    arch: str
    wordsize: int | None = None
    emulator: str | None = None
    loader: str | None = None
    machines: list[GuestMachine] = attrs.field(factory=list)
    domains: list[GuestDomain] = attrs.field(factory=list)
    features: list[GuestFeature] = attrs.field(factory=list)

    def domain(self, virt_type: str) -> GuestDomain | None:
        for d in self.domains:
            if d.type == virt_type:
                return d
        return None

    def emulator_for(self, virt_type: str | None) -> str | None:
        d = self.domain(virt_type) if virt_type else None
        if d is not None and d.emulator:
            return d.emulator
        return self.emulator

    def machines_for(self, virt_type: str | None) -> list[GuestMachine]:
        d = self.domain(virt_type) if virt_type else None
        if d is not None and d.machines:
            return d.machines
        return self.machines


@attrs.define(kw_only=True)
class HostCaps:
    host_arch: str | None = None
    host_uuid: str | None = None
    secmodels: list[tuple[str, str | None]] = attrs.field(factory=list)
    guests: list[Guest] = attrs.field(factory=list)
    origin: str | None = None

    def lookup(self, *, os_type: str | None = None, arch: str | None = None,
               virt_type: str | None = None, emulator: str | None = None,
               machine: str | None = None) -> Guest | None:
        """virCapabilitiesDomainDataLookupInternal: the first guest matching
        every given criterion (arch None: host arch first, then any)."""
        arches = [arch] if arch else ([self.host_arch, None] if self.host_arch else [None])
        for want_arch in arches:
            for g in self.guests:
                if os_type and g.os_type != os_type:
                    continue
                if want_arch and g.arch != want_arch:
                    continue
                if virt_type and g.domain(virt_type) is None:
                    continue
                if emulator and g.emulator_for(virt_type) != emulator:
                    continue
                if machine and not any(m.name == machine or m.canonical == machine
                                       for m in g.machines_for(virt_type)):
                    continue
                return g
        return None

    @staticmethod
    def lookup_error(*, os_type: str | None = None, arch: str | None = None,
                     virt_type: str | None = None, emulator: str | None = None,
                     machine: str | None = None) -> str:
        """libvirt's "could not find capabilities for ..." text
        (virCapabilitiesDomainDataLookupInternal): ``hvm`` and virt type
        ``none`` are never printed, emulator and machine are XML-escaped."""
        from ..binding.conv import escape

        parts = ""
        if os_type and os_type != "hvm":
            parts += f"ostype={os_type} "
        if arch:
            parts += f"arch={arch} "
        if virt_type and virt_type != "none":
            parts += f"domaintype={virt_type} "
        if emulator:
            parts += f"emulator={escape(emulator)} "
        if machine:
            parts += f"machine={escape(machine)} "
        return f"could not find capabilities for {parts or 'any configuration'}"

    def emulators(self) -> list[str]:
        seen: list[str] = []
        for g in self.guests:
            for e in [g.emulator] + [d.emulator for d in g.domains]:
                if e and e not in seen:
                    seen.append(e)
        return seen


def _int_or_none(v: str | None) -> int | None:
    if v is None:
        return None
    try:
        return int(v)
    except ValueError:
        raise CapsError(f"malformed integer '{v}' in capabilities") from None


def _machines(parent: Any) -> list[GuestMachine]:
    return [GuestMachine(name=(m.text or "").strip(), canonical=m.get("canonical"),
                         max_cpus=_int_or_none(m.get("maxCpus")))
            for m in parent.findall("machine")]


def parse_host_caps_tree(root: Any, origin: str | None = None) -> HostCaps:
    if root.tag != "capabilities":
        raise CapsError(f"expecting root element of 'capabilities', not '{root.tag}'",
                        file=origin, line=root.sourceline)
    caps = HostCaps(origin=origin)
    host = root.find("host")
    if host is not None:
        caps.host_arch = host.findtext("cpu/arch")
        caps.host_uuid = host.findtext("uuid")
        for sm in host.findall("secmodel"):
            caps.secmodels.append((sm.findtext("model") or "", sm.findtext("doi")))
    for g in root.findall("guest"):
        arch_el = g.find("arch")
        if arch_el is None:
            raise CapsError("guest without <arch> in capabilities", file=origin, line=g.sourceline)
        guest = Guest(os_type=(g.findtext("os_type") or "").strip(),
                      arch=arch_el.get("name") or "",
                      wordsize=_int_or_none(arch_el.findtext("wordsize")),
                      emulator=arch_el.findtext("emulator"),
                      loader=arch_el.findtext("loader"),
                      machines=_machines(arch_el))
        for d in arch_el.findall("domain"):
            guest.domains.append(GuestDomain(type=d.get("type") or "", emulator=d.findtext("emulator"),
                                             machines=_machines(d)))
        feats = g.find("features")
        if feats is not None:
            for f in feats:
                if isinstance(f.tag, str):
                    guest.features.append(GuestFeature(name=f.tag, default=f.get("default"),
                                                       toggle=f.get("toggle")))
        caps.guests.append(guest)
    return caps


def parse_host_caps(source: str | bytes | os.PathLike[str]) -> HostCaps:
    data, fname = read_source(source)
    return parse_host_caps_tree(parse_bytes(data, fname), fname)
