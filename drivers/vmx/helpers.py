"""Small steps several of the other hypervisor drivers share (libxl,
vmware, esx, vbox, vz, openvz): what their libvirt callbacks do with the
same code or the same text.  Kept here (owned with drivers/vmx) rather
than in drivers/common; candidates to move there.

* :func:`check_name_newline` — ``virXMLCheckIllegalChars("name", def->name,
  "\\n")``, which the define APIs of libxl, vmware, esx, openvz, lxc, ... run
  right after parsing: ``invalid char in name: <the char>``.
* :func:`reject_capabilities_hostdev` — libxl/openvz device post-parse:
  ``hostdev mode 'capabilities' is not supported in <virt type>``.
* :func:`default_video_type` — a ``<video>`` whose model type is
  ``default`` gets the driver's type.
* :func:`maybe_add_input` — ``virDomainDefMaybeAddInput``.
* :func:`guest_with_machines` — a capabilities guest with machine names
  (``virCapabilitiesAllocMachines``), for the built-in host profiles.
"""

from __future__ import annotations

from typing import Any, Iterable

from postparse.implicit import device_class, ensure_devices
from postparse.util import devlist, device_kind, get
from virtxml.caps.hostcaps import GuestMachine, HostCaps
from virtxml.errors import PostParseError, ValidationError


def check_name_newline(dom: Any) -> None:
    """virXMLCheckIllegalChars: libvirt prints the offending char itself."""
    name = get(dom, "name") or ""
    if "\n" in name:
        raise ValidationError("invalid char in name: \n")


def reject_capabilities_hostdev(dom: Any, hostdev: Any) -> None:
    if get(hostdev, "mode") == "capabilities":
        raise PostParseError("hostdev mode 'capabilities' is not supported in %s" % get(dom, "type"))


def is_video(dev: Any) -> bool:
    return device_kind(dev) == "video"


def video_type(dev: Any) -> str | None:
    t: str | None = get(get(dev, "model"), "type")
    return t


def default_video_type(dev: Any, vtype: str) -> bool:
    """Set the type of a ``default`` video model; returns whether it did."""
    model = get(dev, "model")
    if model is not None and get(model, "type") == "default":
        model.type = vtype
        return True
    return False


def maybe_add_input(dom: Any, type_: str, bus: str) -> None:
    """virDomainDefMaybeAddInput: append unless one of that type and bus exists."""
    for inp in devlist(dom, "inputs"):
        if get(inp, "type") == type_ and get(inp, "bus") == bus:
            return
    ensure_devices(dom).inputs.append(device_class("inputs")(type=type_, bus=bus))


def guest_with_machines(caps: HostCaps, os_type: str, arch: str, machines: Iterable[str],
                        loader: str | None = None) -> None:
    """Give the (first) guest of ``os_type``/``arch`` its machine list and loader."""
    for g in caps.guests:
        if g.os_type == os_type and g.arch == arch:
            g.machines = [GuestMachine(name=m) for m in machines]
            if loader:
                g.loader = loader
            return
    raise KeyError((os_type, arch))


__all__ = ["check_name_newline", "reject_capabilities_hostdev", "is_video", "video_type",
           "default_video_type", "maybe_add_input", "guest_with_machines"]
