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
* :func:`after_generic_validation` — run define-time steps (name check,
  .vmx conversion) where libvirt runs them: after the whole of
  ``virDomainDefValidate``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from postparse.implicit import device_class, ensure_devices
from postparse.util import devlist, device_kind, get
from virtxml.caps.hostcaps import GuestMachine, HostCaps
from virtxml.errors import PostParseError, ValidationError


def after_generic_validation(dom: Any, ctx: Any, step: Callable[[], None]) -> None:
    """For a driver's ``validate`` callback: first the generic device and
    domain checks of ``virDomainDefValidate`` (the engine runs them after
    the driver callback and will run them again — they only read), then
    ``step``, which libvirt's define runs once the definition is valid."""
    from postparse import validation
    from postparse.util import iter_postparse_devices

    for dev in list(iter_postparse_devices(dom, all_consoles=True, missing_info=True)):
        validation.validate_device(dom, dev, ctx)
        ctx.driver.device_validate(dom, dev, ctx)
    validation.validate_domain(dom, ctx)
    step()


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


__all__ = ["after_generic_validation", "check_name_newline", "reject_capabilities_hostdev", "is_video", "video_type",
           "default_video_type", "maybe_add_input", "guest_with_machines"]
