"""Where the QEMU driver finds its inputs in ``ctx.options``.

Keys (all optional):

* ``caps_source`` — a :class:`virtxml.caps.CapsSource` (or anything with
  ``for_binary(path)`` and ``default_emulator(arch)``);
* ``qemu_caps`` — list of ``--qemu-caps`` specs (FILE, DIR, BINARY=FILE);
* ``host_caps`` — path of a host ``<capabilities>`` file;
* ``caps_profile`` — name of a built-in profile (``libvirt-test``);
* ``qemu_conf`` — a :class:`virtxml.qemuconf.QemuConf` or a path;
* ``allow_probe`` — probe QEMU binaries on this machine (default True when
  no other source is given);
* ``host_arch`` — the host arch (default: this machine's);
* ``caps_cache_dir`` — where probed capabilities are cached;
* ``swtpm_versions`` — TPM versions the host's swtpm supports (None: do not
  check; detected on this machine when absent and ``detect_host`` is not
  False);
* ``detect_host`` — False: never look at this machine (swtpm);
* ``environ`` — the daemon's environment for QEMU_AUDIO_DRV /
  SDL_AUDIODRIVER (default: this process's environment).
"""

from __future__ import annotations

from typing import Any

from virtxml.caps import CapsSource, source_from_options
from virtxml.qemuconf import QemuConf, load_qemu_conf


# A source built from a built-in profile alone has no folders and never
# probes: the driver only reads it, so one per (profile, host arch) serves
# every document (building one costs more than a small document's checks).
_PROFILE_SOURCES: dict[tuple[str, Any], CapsSource] = {}


def caps_source(ctx: Any) -> Any:
    opts = ctx.options
    src = opts.get("caps_source")
    if src is not None:
        return src
    profile = opts.get("caps_profile")
    if profile and not opts.get("qemu_caps") and not opts.get("host_caps"):
        key = (profile, opts.get("host_arch") or None)
        src = _PROFILE_SOURCES.get(key)
        if src is None:
            src = _PROFILE_SOURCES[key] = _new_source(opts)
        opts["caps_source"] = src
        return src
    src = _new_source(opts)
    opts["caps_source"] = src
    return src


def _new_source(opts: dict[str, Any]) -> CapsSource:
    src = source_from_options(qemu_caps=opts.get("qemu_caps") or (), host_caps=opts.get("host_caps"),
                              profile=opts.get("caps_profile"),
                              allow_probe=opts.get("allow_probe", True),
                              cache_dir=opts.get("caps_cache_dir"))
    if opts.get("host_arch"):
        src.host_arch = opts["host_arch"]
    return src


def qemu_conf(ctx: Any) -> QemuConf:
    cfg = ctx.options.get("qemu_conf")
    if cfg is None:
        cfg = QemuConf()
        ctx.options["qemu_conf"] = cfg
    elif not isinstance(cfg, QemuConf):
        cfg = load_qemu_conf(cfg)
        ctx.options["qemu_conf"] = cfg
    return cfg


def _detect_swtpm_versions() -> frozenset[str]:
    """The TPM versions swtpm_setup on this host supports (libvirt's
    virTPMSwtpmSetupCapsGet); none when swtpm_setup is not installed."""
    import json
    import shutil
    import subprocess

    exe = shutil.which("swtpm_setup")
    if not exe:
        return frozenset()
    try:
        out = subprocess.run([exe, "--print-capabilities"], capture_output=True, timeout=10,
                             check=False).stdout
        feats = json.loads(out or b"{}").get("features", [])
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(v for v, f in (("1.2", "tpm-1.2"), ("2.0", "tpm-2.0")) if f in feats)


def swtpm_versions(ctx: Any) -> frozenset[str] | None:
    """``swtpm_versions`` option: the TPM versions the host's swtpm supports
    (None: do not check); detected on this host when the option is absent
    and ``detect_host`` is not False."""
    opts = ctx.options
    if "swtpm_versions" in opts:
        v = opts["swtpm_versions"]
        return None if v is None else frozenset(v)
    if opts.get("detect_host", True) is False or opts.get("caps_profile") or \
            getattr(opts.get("caps_source"), "existing_binaries", None) is not None:
        return None
    v = _detect_swtpm_versions()
    opts["swtpm_versions"] = v
    return v


__all__ = ["caps_source", "qemu_conf", "swtpm_versions", "CapsSource"]
