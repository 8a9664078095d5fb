"""Adapter for the embedded driver (virtxml.connect.live looks for this
module): its hook signatures on top of :mod:`virtxml.forms` and the QEMU
start/status code (issue 4).

* ``prepare_live(dom, *, driver, options, dom_id, paths)`` ->
  ``(live definition, QEMU capabilities used)``
* ``format_status(status, *, driver, options, paths)`` -> ``<domstatus>``
* ``parse_status(data, *, file, driver, options)`` -> ``StatusInfo``
* ``reconnect_check(status, *, driver)`` -> libvirt's refusal text or None

``paths`` (``lib_dir``, ``channel_target_dir``, ...) override the
qemu.conf paths, so generated sockets and the private dirs live under the
embed root.
"""

from __future__ import annotations

from typing import Any

import attrs


def _is_qemu(driver: Any) -> bool:
    return getattr(driver, "name", driver) == "qemu"


def _options(options: dict[str, Any] | None, paths: dict[str, str] | None) -> dict[str, Any]:
    from drivers.qemu.live import _cfg

    opts = dict(options or {})
    if paths:
        cfg = _cfg(opts)
        over = {k: paths[k] for k in ("lib_dir", "channel_target_dir") if paths.get(k)}
        if over:
            opts["qemu_conf"] = attrs.evolve(cfg, **over)
    return opts


def _caps_for(dom: Any, opts: dict[str, Any]) -> Any:
    from drivers.qemu import options as qopts
    from drivers.qemu.util import get
    from virtxml.errors import VirtXMLError

    class _C:
        pass

    c = _C()
    c.options = opts  # type: ignore[attr-defined]
    emu = get(get(dom, "devices"), "emulator")
    try:
        return qopts.caps_source(c).for_binary(emu) if emu else None
    except VirtXMLError:
        return None


def prepare_live(dom: Any, *, driver: Any, options: dict[str, Any], dom_id: int,
                 paths: dict[str, str] | None = None) -> tuple[Any, Any]:
    from . import forms

    opts = _options(options, paths)
    live = forms.prepare_live(dom, driver, opts, domain_id=dom_id)
    return live, (_caps_for(live, opts) if _is_qemu(driver) else None)


def format_status(status: Any, *, driver: Any, options: dict[str, Any],
                  paths: dict[str, str] | None = None) -> str:
    from . import forms
    from .status import DomainStatus

    opts = _options(options, paths)
    prev = status.extra if isinstance(status.extra, DomainStatus) else None
    private = prev.private if prev is not None and prev.dom is status.dom else None
    if private is None and _is_qemu(driver):
        from types import SimpleNamespace

        from drivers.qemu.live import make_private

        caps = SimpleNamespace(flags=set(status.qemu_caps or ()))
        private = make_private(live_def=status.dom, options=opts, caps=caps)
    st = DomainStatus(state=status.state, reason=status.reason, pid=status.pid, private=private,
                      dom=status.dom, taints=list(prev.taints) if prev else [],
                      deprecations=list(prev.deprecations) if prev else [])
    return forms.format_status(st, driver)


def parse_status(data: bytes, *, file: str | None, driver: Any, options: dict[str, Any]) -> Any:
    from . import forms
    from .connect.live import StatusInfo

    st = forms.parse_status(data, driver, options, file=file)
    flags = None
    if st.private is not None and getattr(st.private, "caps_flags", None):
        from drivers.qemu.capsnames import FLAG_INDEX

        flags = sorted(st.private.caps_flags, key=FLAG_INDEX.__getitem__)
    return StatusInfo(dom=st.dom, state=st.state, reason=st.reason, pid=st.pid, qemu_caps=flags,
                      extra=st, post_parse_data=getattr(st.post_parse, "data", None))


def reconnect_check(status: Any, *, driver: Any) -> str | None:
    if _is_qemu(driver) and not status.qemu_caps:
        return f"domain '{status.dom.name}' has no capabilities recorded"
    return None
