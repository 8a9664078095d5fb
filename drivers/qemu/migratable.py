"""QEMU migratable rewrites (behaviour §6, qemuDomainDefFormatBufInternal),
applied in libvirt's order on the re-parsed inactive copy that
:func:`virtxml.forms.copy_for_migration` makes.  The generic MIGRATABLE
rules (§1.2, §5.6: PS/2 keyboards, implicit seclabels, config-derived
listens ...) are the formatter's.

What libvirt drops *by design* (the destination re-creates it, so a
migratable XML parsed back and formatted inactive gives it again, or it is
runtime state): :data:`DROPPED_BY_DESIGN` lists each with the reason; the
round-trip test reads that list.
"""

from __future__ import annotations

import weakref
from typing import Any

from .device_defaults import is_default_channel_path
from .util import devlist

#: One place for everything the migratable XML leaves out on purpose,
#: with libvirt's reason.  Keys are used by tests/forms/test_migratable_roundtrip.py.
DROPPED_BY_DESIGN: dict[str, str] = {
    "usb-default-controller": "§6.1: the implicit piix3-uhci USB controller of an i440fx guest is not "
                              "sent, for old destinations; the destination adds it again by default.",
    "pci-root": "§6.2: the lone pci-root controller is implicit; the destination adds it again.",
    "panic-s390-pseries": "§6.3: the first s390/pseries panic device is implicit on those machines.",
    "channel-default-path": "§6.4: virtio channel socket paths generated under channelTargetDir are "
                            "runtime paths; the destination generates its own.",
    "serial-target-spapr-system": "§6.5: spapr-vio/system serial target type and model are left for "
                                  "the destination to default (old libvirt did not know them).",
    "cpu-orig": "§6.6: the CPU as QEMU expanded it at start is replaced by the CPU as configured; "
                "Icelake-Server gets pconfig disabled (QEMU dropped it).",
    "default-audio": "§6.7: the audio backend libvirt added by default is not sent; the destination "
                     "adds its own default (it may differ with its qemu.conf).",
    "ps2-keyboard": "§1.2/§6.8: PS/2 and Xen keyboards are implicit with the machine type and are "
                    "never printed in migratable XML.",
    "graphics-from-config": "§5.6: listens filled from qemu.conf at start are not sent; SPICE listen "
                            "'none' is written as autoport='no'.",
    "controller-order": "not a drop: libvirt's parser inserts every <controller> with "
                        "virDomainControllerInsertPreAlloced (after the last one of its type), so "
                        "controllers that post-parse had inserted elsewhere (pcie-root-ports after "
                        "pcie-root, implicit USB/IDE) come back re-sorted at the destination.",
    "console-port": "not a drop: libvirt's parser numbers <console> target ports by position; a "
                    "console the serial compat console was put in front of by post-parse comes "
                    "back with the next port number.",
}

#: the CPU a running guest was configured with before QEMU expanded it
#: (libvirt's priv->origCPU), keyed by the live definition
_ORIG_CPU: dict[int, tuple[Any, Any]] = {}


def set_orig_cpu(live: Any, cpu: Any) -> None:
    """Remember ``cpu`` as the configured CPU of the live definition ``live``."""
    key = id(live)
    _ORIG_CPU[key] = (weakref.ref(live), cpu)
    weakref.finalize(live, _ORIG_CPU.pop, key, None)


def get_orig_cpu(live: Any) -> Any:
    ent = _ORIG_CPU.get(id(live))
    if ent is None or ent[0]() is not live:
        return None
    return ent[1]


def is_i440fx(dom: Any) -> bool:
    """qemuDomainIsI440FX."""
    m = getattr(getattr(getattr(dom, "os", None), "type", None), "machine", None) or ""
    return m == "pc" or m.startswith(("pc-0.", "pc-1.", "pc-i440fx-", "rhel"))


def _user_alias(dev: Any) -> bool:
    a = getattr(dev, "alias", None)
    return bool(a is not None and getattr(a, "user", None))


def _remove(dom: Any, listname: str, dev: Any) -> None:
    lst = getattr(dom.devices, listname)
    for i, d in enumerate(lst):
        if d is dev:
            del lst[i]
            return


def _controllers(dom: Any, ctype: str) -> list[Any]:
    return [c for c in devlist(dom, "controllers") if getattr(c, "type", None) == ctype]


def migratable(dom: Any, options: dict[str, Any] | None = None, orig_cpu: Any = None) -> Any:
    """Apply §6 steps 1-7 to ``dom`` (the re-parsed inactive copy) in place;
    returns it."""
    from .defaults_devices import default_audio
    from .options import qemu_conf

    class _Ctx:
        pass

    ctx = _Ctx()
    ctx.options = dict(options or {})  # type: ignore[attr-defined]
    cfg = qemu_conf(ctx)
    if getattr(dom, "devices", None) is None:
        return dom

    # 1. default USB controller
    usb = _controllers(dom, "usb")
    if (len(usb) == 1 and is_i440fx(dom) and getattr(usb[0], "index", None) == 0
            and getattr(usb[0], "model", None) in (None, "piix3-uhci") and not _user_alias(usb[0])):
        _remove(dom, "controllers", usb[0])

    # 2. lone pci-root
    pci = _controllers(dom, "pci")
    if (len(pci) == 1 and getattr(pci[0], "index", None) == 0 and getattr(pci[0], "model", None) == "pci-root"
            and not _user_alias(pci[0]) and getattr(pci[0], "pcihole64", None) is None):
        _remove(dom, "controllers", pci[0])

    # 3. first s390/pseries panic
    for p in devlist(dom, "panics"):
        if getattr(p, "model", None) in ("s390", "pseries"):
            _remove(dom, "panics", p)
            break

    # 4. virtio channel default socket paths
    for ch in devlist(dom, "channels"):
        tgt = getattr(ch, "target", None)
        if getattr(ch, "type", None) == "unix" and getattr(tgt, "type", None) == "virtio":
            for src in getattr(ch, "sources", None) or []:
                if is_default_channel_path(getattr(src, "path", None), cfg.channel_target_dir,
                                           getattr(tgt, "name", None)):
                    src.path = None

    # 5. serial target spapr-vio / system
    for s in devlist(dom, "serials"):
        tgt = getattr(s, "target", None)
        if tgt is not None and getattr(tgt, "type", None) in ("spapr-vio-serial", "system-serial"):
            tgt.type = None
            tgt.model = None

    # 6. CPU
    if orig_cpu is not None:
        import copy

        dom.cpu = copy.deepcopy(orig_cpu)
    cpu = getattr(dom, "cpu", None)
    if cpu is not None and getattr(cpu, "mode", None) == "custom" and getattr(getattr(cpu, "model", None), "name", None) == "Icelake-Server":
        from virtxml.model.cpu import CPUFeature

        # virCPUDefUpdateFeature: an existing pconfig is disabled, else added
        pconfig = [f for f in cpu.features if getattr(f, "name", None) == "pconfig"]
        if pconfig:
            for f in pconfig:
                f.policy = "disable"
        else:
            cpu.features.append(CPUFeature(policy="disable", name="pconfig"))

    # 7. default audio
    audios = devlist(dom, "audios")
    if len(audios) == 1:
        want = default_audio(dom, cfg)
        if want is not None and want == audios[0]:
            _remove(dom, "audios", audios[0])
    return dom


__all__ = ["migratable", "DROPPED_BY_DESIGN", "set_orig_cpu", "get_orig_cpu", "is_i440fx"]
