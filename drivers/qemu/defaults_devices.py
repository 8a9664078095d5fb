"""qemuDomainDefAddDefaultDevices and the default audio backend
(behaviour §2.4): implicit inputs, root PCI controllers, default USB
controller, implicit SATA, memballoon, panic, USB keyboard/mouse, audio."""

from __future__ import annotations

import os
from typing import Any

from virtxml.errors import PostParseError
from virtxml.model.devices import Devices
from virtxml.model.devices.info import Master

from . import capsflags as F
from . import options
from .util import (add_controller, arch, arch_is_ppc64, arch_is_s390, arch_is_x86, devlist,
                   ensure_devices, feature_state, field_class, find_controller, is_arm_virt,
                   is_i440fx, is_mips_malta, is_pseries, is_q35, is_riscv_virt, is_xenfv, machine,
                   maybe_add_controller, new_device, new_obj, set_field)


def _maybe_add_input(dom: Any, type_: str, bus: str) -> None:
    """virDomainDefMaybeAddInput."""
    for inp in devlist(dom, "inputs"):
        if getattr(inp, "type", None) == type_ and getattr(inp, "bus", None) == bus:
            return
    ensure_devices(dom).inputs.append(new_device("inputs", type=type_, bus=bus))


def _supports_i8042(dom: Any) -> bool:
    m = machine(dom)
    return is_i440fx(dom) or is_q35(dom) or is_xenfv(dom) or m == "isapc"


def _ps2_off(dom: Any) -> bool:
    v = feature_state(dom, "ps2")
    state = getattr(v, "state", v)
    return state is False or state == "off"


def add_implicit_inputs(dom: Any) -> None:
    if arch_is_x86(arch(dom)) and not _ps2_off(dom):
        _maybe_add_input(dom, "mouse", "ps2")
        _maybe_add_input(dom, "keyboard", "ps2")


def default_panic_model(dom: Any) -> str:
    if is_pseries(dom):
        return "pseries"
    if arch_is_s390(arch(dom)):
        return "s390"
    return "isa"


def add_default_devices(dom: Any, caps: Any, ctx: Any) -> None:
    add_implicit_inputs(dom)
    a = arch(dom)
    m = machine(dom) or ""
    # libvirt 9.0's qemuDomainDefAddDefaultDevices: a USB controller and a
    # balloon unless the arch/machine says otherwise
    add_usb = add_balloon = True
    add_sata = add_pci_root = add_pcie_root = False
    add_usb_kbd = add_usb_mouse = add_panic = False
    usb_model: str | None = None

    if a in ("i686", "x86_64"):
        if m == "isapc":
            add_usb = False
        elif is_q35(dom):
            add_pcie_root = True
            add_sata = True
            if caps.has(F.QEMU_XHCI):
                usb_model = "qemu-xhci"
            elif caps.has(F.NEC_USB_XHCI):
                usb_model = "nec-xhci"
            elif caps.has(F.ICH9_USB_EHCI1):
                usb_model = "ich9-ehci1"
            else:
                add_usb = False
        elif is_i440fx(dom):
            add_pci_root = True
    elif a == "armv6l":
        add_usb = add_balloon = False
        if m == "versatilepb":
            add_pci_root = True
    elif a in ("armv7l", "aarch64"):
        add_usb = add_balloon = False
        if is_arm_virt(dom):
            add_pcie_root = caps.has(F.GPEX)
    elif arch_is_ppc64(a):
        add_pci_root = add_usb_kbd = add_usb_mouse = True
        if is_pseries(dom):
            add_panic = True
    elif a in ("alpha", "ppc", "ppcemb", "sh4", "sh4eb"):
        add_pci_root = True
    elif a in ("riscv32", "riscv64"):
        add_usb = False
        if is_riscv_virt(dom):
            add_pcie_root = caps.has(F.GPEX)
    elif arch_is_s390(a):
        add_usb = False
        add_panic = True
        add_pci_root = caps.has(F.ZPCI)
    elif a == "sparc":
        add_usb = add_balloon = False
    elif a == "sparc64":
        add_pci_root = True
    elif a in ("mips", "mipsel", "mips64", "mips64el"):
        if is_mips_malta(dom):
            add_pci_root = True

    if add_usb and find_controller(dom, "usb", 0) is None:
        add_usb_controller(dom, 0, usb_model)
    if add_sata:
        maybe_add_controller(dom, "sata", 0)

    root = find_controller(dom, "pci", 0)

    def _model_text(ctrl):
        # libvirt prints the NULL model string as '(null)'
        m = getattr(ctrl, "model", None)
        return "(null)" if m is None else m
    if add_pci_root:
        if root is not None:
            if getattr(root, "model", None) != "pci-root":
                raise PostParseError(
                    "The PCI controller with index='0' must be model='pci-root' for this machine "
                    f"type, but model='{_model_text(root)}' was found instead")
        else:
            add_controller(dom, "pci", 0, "pci-root")
    if add_pcie_root:
        if root is not None:
            if getattr(root, "model", None) != "pcie-root":
                raise PostParseError(
                    "The PCI controller with index='0' must be model='pcie-root' for this machine "
                    f"type, but model='{_model_text(root)}' was found instead")
        else:
            add_controller(dom, "pci", 0, "pcie-root")

    devs = ensure_devices(dom)
    if add_balloon and getattr(devs, "memballoon", None) is None:
        devs.memballoon = new_device_single("memballoon", model="virtio")

    if add_usb_mouse:
        for inp in devlist(dom, "inputs"):
            if getattr(inp, "type", None) == "tablet" and getattr(inp, "bus", None) == "usb":
                add_usb_mouse = False
                break
    if add_usb_kbd and devlist(dom, "graphics"):
        _maybe_add_input(dom, "keyboard", "usb")
    if add_usb_mouse and devlist(dom, "graphics"):
        _maybe_add_input(dom, "mouse", "usb")

    if add_panic:
        dflt = default_panic_model(dom)
        if not any(getattr(p, "model", None) in (None, "default", dflt) for p in devlist(dom, "panics")):
            devs.panics.append(new_device("panics"))

    add_default_audio(dom, ctx)


def add_usb_controller(dom: Any, idx: int, model: str | None) -> None:
    """virDomainDefAddUSBController: ich9-ehci1 brings its three companions."""
    add_controller(dom, "usb", idx, model)
    if model != "ich9-ehci1":
        return
    for comp, port in (("ich9-uhci1", 0), ("ich9-uhci2", 2), ("ich9-uhci3", 4)):
        c = add_controller(dom, "usb", idx, comp)
        set_field(c, "master", Master(startport=port))


def new_device_single(field: str, **kw: Any) -> Any:
    return new_obj(field_class(Devices, field), **kw)


# ------------------------------------------------------------------ audio

AUDIO_TYPES = ("none", "alsa", "coreaudio", "jack", "oss", "pulseaudio", "sdl", "spice", "file",
               "dbus", "pipewire")
#: qemuAudioDriver names (QEMU_AUDIO_DRV) -> libvirt audio type
_QEMU_AUDIO_DRV = {"none": "none", "alsa": "alsa", "coreaudio": "coreaudio", "jack": "jack",
                   "oss": "oss", "pa": "pulseaudio", "sdl": "sdl", "spice": "spice", "wav": "file",
                   "dbus": "dbus", "pipewire": "pipewire"}


def suggest_default_audio(dom: Any, cfg: Any) -> tuple[bool, str]:
    """qemuDomainDefSuggestDefaultAudioBackend: (add?, type)."""
    add, backend, _drv = suggest_default_audio_full(dom, cfg)
    return add, backend


SDL_DRIVERS = ("esd", "alsa", "arts", "pulseaudio")


def suggest_default_audio_full(dom: Any, cfg: Any,
                               environ: Any = None) -> tuple[bool, str, str | None]:
    """(add?, type, SDL driver) as libvirt decides them.  ``environ``: the
    daemon's environment (QEMU_AUDIO_DRV, SDL_AUDIODRIVER); this process's
    environment when None."""
    if environ is None:
        environ = os.environ
    add = False
    passthrough = False
    backend = "none"
    graphics = devlist(dom, "graphics")
    for g in graphics:
        t = getattr(g, "type", None)
        if t == "vnc":
            if cfg.vnc_allow_host_audio:
                passthrough = True
            else:
                passthrough = False
                backend = "none"
            add = True
        elif t == "spice":
            passthrough = False
            backend = "spice"
            add = True
        elif t == "sdl":
            passthrough = True
            add = True
    if not graphics:
        if cfg.nogfx_allow_host_audio:
            passthrough = True
        else:
            passthrough = False
            backend = "none"
        add = True
    sdl_driver = None
    if add and passthrough:
        env = environ.get("QEMU_AUDIO_DRV")
        if env is None:
            add = False
        else:
            t = _QEMU_AUDIO_DRV.get(env)
            if t is None:
                raise PostParseError(f"unknown QEMU_AUDIO_DRV setting {env}")
            backend = t
            if backend == "sdl":
                sd = environ.get("SDL_AUDIODRIVER")
                if sd is not None:
                    if sd not in SDL_DRIVERS:
                        raise PostParseError(f"unknown SDL_AUDIODRIVER setting {sd}")
                    sdl_driver = sd
    return add, backend, sdl_driver


def default_audio(dom: Any, cfg: Any, environ: Any = None) -> Any:
    """The <audio> libvirt would add for this definition, or None."""
    add, backend, sdl_driver = suggest_default_audio_full(dom, cfg, environ)
    if not add:
        return None
    return new_device("audios", id=1, type=backend, driver=sdl_driver)


def add_default_audio(dom: Any, ctx: Any) -> None:
    if devlist(dom, "audios"):
        return
    audio = default_audio(dom, options.qemu_conf(ctx), ctx.options.get("environ"))
    if audio is not None:
        ensure_devices(dom).audios.append(audio)
