"""Helpers shared by the non-QEMU drivers (lxc, bhyve, libxl, vmware, esx,
...): the host ``<capabilities>`` lookups libvirt does for them
(behaviour §4.1) and the choice of the host capabilities document.

Stable interface (other drivers import these names; keep them):

``caps_lookup(caps, *, os_type, arch, virt_type, emulator=None, machine=None) -> CapsDomainData``
    libvirt's ``virCapabilitiesDomainDataLookup``: the first ``<guest>``
    matching every given criterion.  ``arch=None`` tries the host arch
    first, then any arch.  Raises :class:`CapsLookupError` (a
    :class:`~virtxml.errors.PostParseError`) with libvirt's exact text
    ``could not find capabilities for ...`` (see :func:`lookup_error_text`).

``domain_supported(caps, os_type, arch, virt_type) -> bool``
    ``virCapabilitiesDomainSupported`` without raising.

``check_domain_supported(dom, caps) -> None``
    What LXC/bhyve/vmware/vmx post-parse (and libxl validate) do:
    ``virCapabilitiesDomainSupported(caps, def->os.type, def->os.arch,
    def->virtType)``; raises :class:`CapsLookupError` (fatal: the callers
    return -1).

``default_emulator(dom, caps) -> str``
    ``virDomainDefGetDefaultEmulator``: the emulator of the matching guest
    (the ``<domain>``'s own ``<emulator>`` first, else the guest's).

``set_default_emulator(dom, caps) -> None``
    fills ``<devices><emulator>`` when it is absent (LXC).

``host_caps_for(ctx, default) -> HostCaps``
    The host capabilities a driver judges with: ``ctx.options["host_caps"]``
    (a file path, XML bytes/str, or a parsed
    :class:`virtxml.caps.hostcaps.HostCaps`; what ``--host-caps FILE`` gives)
    or else ``default()`` (the driver's built-in test host profile).
    Parsed files are cached by path and modification time.

``make_host_caps(host_arch, guests) -> HostCaps``
    Build a capabilities object from Python facts, the way libvirt's tests
    build theirs (``virCapabilitiesNew`` + ``virCapabilitiesAddGuest`` +
    ``virCapabilitiesAddGuestDomain``): ``guests`` is a list of
    ``(os_type, arch, wordsize, emulator, [domain types])``.

``format_host_caps(caps) -> str``
    A small ``<capabilities>`` document of such an object (host arch and
    guests), as libvirt formats those parts.

Lookup quirks reproduced (capabilities.c ``virCapabilitiesDomainDataLookupInternal``):

* a ``<guest>`` with no ``<domain>`` never matches;
* the os type is only named in the message when it is not ``hvm``
  (``hvm`` is 0 in libvirt's enum), the domain type only when it is not
  ``none``; the arch only when given;
* emulator and machine are XML-escaped in the message
  (``virBufferEscapeString``);
* with no arch, the failure reported is the one of the second (any-arch)
  lookup;
* a domain (or guest) without machines matches any machine.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable

import attrs

from virtxml.binding.conv import escape as _escape
from virtxml.caps.hostcaps import Guest, GuestDomain, GuestMachine, HostCaps
from virtxml.errors import PostParseError, UsageError, VirtXMLError

__all__ = [
    "CapsDomainData", "CapsLookupError", "caps_lookup", "domain_supported",
    "check_domain_supported", "default_emulator", "set_default_emulator", "host_caps_for",
    "lookup_error_text", "make_host_caps", "format_host_caps", "dom_os_type", "dom_arch",
    "dom_virt_type", "dom_emulator",
]


class CapsLookupError(PostParseError):
    """libvirt's VIR_ERR_INVALID_ARG "could not find capabilities for %s"."""

    rule = "caps-lookup"


@attrs.define(kw_only=True)
class CapsDomainData:
    """virCapsDomainData: what a successful lookup found."""

    os_type: str
    arch: str
    virt_type: str | None = None
    emulator: str | None = None
    machine: str | None = None


def lookup_error_text(*, os_type: str | None = None, arch: str | None = None,
                      virt_type: str | None = None, emulator: str | None = None,
                      machine: str | None = None) -> str:
    """libvirt's message for a failed lookup (see the quirks above)."""
    return HostCaps.lookup_error(os_type=os_type, arch=arch, virt_type=virt_type,
                                 emulator=emulator, machine=machine)


def _machines(dom: GuestDomain, guest: Guest) -> list[GuestMachine]:
    return dom.machines if dom.machines else guest.machines


def _lookup_internal(caps: HostCaps, os_type: str | None, arch: str | None, virt_type: str | None,
                     emulator: str | None, machine: str | None) -> CapsDomainData | None:
    for guest in caps.guests:
        if os_type is not None and guest.os_type != os_type:
            continue
        if arch and guest.arch != arch:
            continue
        for dom in guest.domains:
            if virt_type and virt_type != "none" and dom.type != virt_type:
                continue
            check_emulator = dom.emulator or guest.emulator
            if emulator and check_emulator != emulator:
                continue
            machines = _machines(dom, guest)
            found_machine = None
            for m in machines:
                if machine and m.name != machine and m.canonical != machine:
                    continue
                found_machine = m
                break
            if found_machine is None and machines:
                continue
            return CapsDomainData(os_type=guest.os_type, arch=guest.arch, virt_type=dom.type,
                                  emulator=dom.emulator or guest.emulator,
                                  machine=found_machine.name if found_machine else None)
    return None


def caps_lookup(caps: HostCaps, *, os_type: str | None, arch: str | None, virt_type: str | None,
                emulator: str | None = None, machine: str | None = None) -> CapsDomainData:
    """virCapabilitiesDomainDataLookup; raises :class:`CapsLookupError`."""
    if not arch and caps.host_arch:
        found = _lookup_internal(caps, os_type, caps.host_arch, virt_type, emulator, machine)
        if found is not None:
            return found
    found = _lookup_internal(caps, os_type, arch, virt_type, emulator, machine)
    if found is None:
        raise CapsLookupError(lookup_error_text(os_type=os_type, arch=arch, virt_type=virt_type,
                                                emulator=emulator, machine=machine))
    return found


def domain_supported(caps: HostCaps, os_type: str | None, arch: str | None,
                     virt_type: str | None) -> bool:
    try:
        caps_lookup(caps, os_type=os_type, arch=arch, virt_type=virt_type)
    except CapsLookupError:
        return False
    return True


# ---------------------------------------------------------------- domain access
def dom_os_type(dom: Any) -> str | None:
    from postparse.util import os_type

    return os_type(dom)


def dom_arch(dom: Any) -> str | None:
    from postparse.util import os_arch

    return os_arch(dom)


def dom_virt_type(dom: Any) -> str | None:
    return getattr(dom, "type", None)


def dom_emulator(dom: Any) -> str | None:
    return getattr(getattr(dom, "devices", None), "emulator", None)


def check_domain_supported(dom: Any, caps: HostCaps) -> None:
    """virCapabilitiesDomainSupported(caps, os.type, os.arch, virtType) as a
    post-parse/validate step: raises :class:`CapsLookupError`."""
    caps_lookup(caps, os_type=dom_os_type(dom), arch=dom_arch(dom), virt_type=dom_virt_type(dom))


def default_emulator(dom: Any, caps: HostCaps) -> str:
    """virDomainDefGetDefaultEmulator."""
    data = caps_lookup(caps, os_type=dom_os_type(dom), arch=dom_arch(dom),
                       virt_type=dom_virt_type(dom))
    if not data.emulator:
        # libvirt returns NULL without reporting anything
        raise PostParseError("An error occurred, but the cause is unknown")
    return data.emulator


def set_default_emulator(dom: Any, caps: HostCaps) -> None:
    """Fill ``<devices><emulator>`` from the capabilities when absent."""
    if dom_emulator(dom):
        return
    emu = default_emulator(dom, caps)
    devices = getattr(dom, "devices", None)
    if devices is None:
        from virtxml.model.devices import Devices

        devices = Devices()
        dom.devices = devices
    devices.emulator = emu


# ---------------------------------------------------------------- host caps source
_file_cache: dict[tuple[str, float], HostCaps] = {}


def host_caps_for(ctx: Any, default: Callable[[], HostCaps]) -> HostCaps:
    """The host capabilities for this run (``--host-caps`` or ``default()``).

    A file that cannot be read or is no capabilities document is a
    :class:`~virtxml.errors.UsageError` naming that file."""
    options = getattr(ctx, "options", None) or {}
    src = options.get("host_caps")
    if src is None:
        return default()
    if isinstance(src, HostCaps):
        return src
    if isinstance(src, (str, os.PathLike)) and not (isinstance(src, str) and src.lstrip().startswith("<")):
        path = os.fspath(src)
        try:
            key = (os.path.abspath(path), os.stat(path).st_mtime)
        except OSError as exc:
            raise UsageError(f"cannot read host capabilities '{path}': {exc.strerror}") from None
        if key in _file_cache:
            return _file_cache[key]
        caps = _load(path, path)
        _file_cache[key] = caps
        return caps
    return _load(src.encode() if isinstance(src, str) else src, "<host_caps>")


def _load(src: Any, name: str) -> HostCaps:
    from virtxml.caps.hostcaps import parse_host_caps

    try:
        return parse_host_caps(src)
    except OSError as exc:
        raise UsageError(f"cannot read host capabilities '{name}': {exc.strerror}") from None
    except VirtXMLError as exc:
        raise UsageError(f"host capabilities '{name}': {getattr(exc, 'message', exc)}") from None
    except Exception as exc:  # noqa: BLE001 - CapsError and friends
        raise UsageError(f"host capabilities '{name}': {exc}") from None


def make_host_caps(host_arch: str,
                   guests: Iterable[tuple[str, str, int | None, str | None, list[str]]]) -> HostCaps:
    caps = HostCaps(host_arch=host_arch, origin="<built-in>")
    for os_type, arch, wordsize, emulator, domains in guests:
        caps.guests.append(Guest(os_type=os_type, arch=arch, wordsize=wordsize, emulator=emulator,
                                 domains=[GuestDomain(type=d) for d in domains]))
    return caps


def format_host_caps(caps: HostCaps) -> str:
    """The ``<host>`` arch and ``<guest>`` parts of a capabilities document,
    in libvirt's layout (virCapabilitiesFormatXML)."""
    out = ["<capabilities>\n\n"]
    if caps.host_arch:
        out.append("  <host>\n    <cpu>\n")
        out.append(f"      <arch>{caps.host_arch}</arch>\n")
        out.append("    </cpu>\n  </host>\n\n")
    for g in caps.guests:
        out.append("  <guest>\n")
        out.append(f"    <os_type>{g.os_type}</os_type>\n")
        out.append(f"    <arch name='{g.arch}'>\n")
        if g.wordsize is not None:
            out.append(f"      <wordsize>{g.wordsize}</wordsize>\n")
        if g.emulator:
            out.append(f"      <emulator>{_escape(g.emulator)}</emulator>\n")
        for m in g.machines:
            out.append(f"      <machine>{_escape(m.name)}</machine>\n")
        for d in g.domains:
            if d.emulator or d.machines:
                out.append(f"      <domain type='{d.type}'>\n")
                if d.emulator:
                    out.append(f"        <emulator>{_escape(d.emulator)}</emulator>\n")
                for m in d.machines:
                    out.append(f"        <machine>{_escape(m.name)}</machine>\n")
                out.append("      </domain>\n")
            else:
                out.append(f"      <domain type='{d.type}'/>\n")
        out.append("    </arch>\n  </guest>\n\n")
    out.append("</capabilities>\n")
    return "".join(out)
