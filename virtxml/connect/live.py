"""Start-time and status-XML adapters.

The embedded driver needs four things from the live/status machinery
(issue 4, being written elsewhere): preparing the live definition when a
guest starts, writing status XML, reading it back, and the reconnect check
on a loaded status.  Each is one function here.  When a module
``virtxml.live`` exists and provides a function of the same name
(``prepare_live``, ``format_status``, ``parse_status``, ``reconnect_check``)
with the signatures below, it is used; otherwise the small fallbacks here
run (id assignment, a ``<domstatus>`` wrapper with QEMU private data, no
listen/alias/port work).

Signatures (all keyword arguments after the first):

* ``prepare_live(dom, *, driver, options, dom_id, paths) -> Domain`` or
  ``(Domain, post_parse_data)`` — returns the live definition (a new
  object; ``dom`` is the persistent definition and must not change) and,
  optionally, the driver data it used (QEMU: the capabilities, whose flag
  names go into the status XML).  ``paths`` is a dict with ``root``,
  ``lib_dir``, ``state_dir``, ``channel_target_dir``, ``cache_dir``.
* ``format_status(status, *, driver, options, paths) -> str`` — the
  ``<domstatus>`` document; ``status`` is a :class:`StatusInfo`.
* ``parse_status(data, *, file, driver, options) -> StatusInfo`` — parse
  with ``ParseFlags.LOAD_STATUS``.
* ``reconnect_check(status, *, driver) -> str | None`` — libvirt's text of
  a reconnect failure (e.g. ``domain '%s' has no capabilities recorded``),
  or None.
"""

from __future__ import annotations

import copy
import importlib
from typing import Any

import attrs

from .. import api
from ..errors import ParseError
from ..flags import FormatFlags, ParseFlags

#: libvirt's virDomainState names / default reasons used here
STATES = ("nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed",
          "pmsuspended")
RUNNING_REASONS = ("unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
                   "migration canceled", "save canceled", "wakeup", "crashed", "post-copy",
                   "post-copy failed")


@attrs.define
class StatusInfo:
    """One ``<domstatus>``: the live definition plus runtime state."""

    dom: Any
    state: str = "running"
    reason: str = "booted"
    pid: int = 0
    #: QEMU capability flag names recorded in the status (None = none recorded)
    qemu_caps: list[str] | None = None
    #: driver private data the fallback does not interpret (kept verbatim)
    extra: Any = None
    post_parse_data: Any = None


def _hook(name: str) -> Any:
    try:
        mod = importlib.import_module("virtxml.live")
    except ImportError:
        return None
    return getattr(mod, name, None)


def _caps_flags(data: Any) -> list[str] | None:
    flags = getattr(data, "flags", None)
    if not flags:
        return None
    order = list(getattr(data, "flag_order", None) or [])
    return [f for f in order if f in flags] + sorted(f for f in flags if f not in order)


def short_name(dom: Any) -> str:
    """virDomainDefGetShortName: ``<id>-<first 20 chars of name>``."""
    return f"{dom.id}-{(dom.name or '')[:20]}"


def prepare_live(dom: Any, *, driver: Any, options: dict[str, Any], dom_id: int,
                 paths: dict[str, str]) -> tuple[Any, Any]:
    """The live definition of ``dom`` (a copy) and the post-parse data
    (QEMU: the capabilities) it was prepared with."""
    hook = _hook("prepare_live")
    if hook is not None:
        res = hook(dom, driver=driver, options=options, dom_id=dom_id, paths=paths)
        if isinstance(res, tuple):
            return res[0], res[1]
        return res, None
    live = copy.deepcopy(dom)
    live.id = dom_id
    data = None
    try:
        from postparse import engine

        if getattr(driver, "name", "") == "qemu":
            ctx = engine.post_parse(copy.deepcopy(dom), driver, ParseFlags.NONE, options)
            data = ctx.data
    except Exception:  # the fallback only wants the caps flags; ignore failures
        data = None
    return live, data


def format_status(status: StatusInfo, *, driver: Any, options: dict[str, Any],
                  paths: dict[str, str]) -> str:
    hook = _hook("format_status")
    if hook is not None:
        return hook(status, driver=driver, options=options, paths=paths)
    dom = status.dom
    out = [f"<domstatus state='{status.state}' reason='{status.reason}' pid='{status.pid}'>\n"]
    if getattr(driver, "name", "") == "qemu":
        dom_lib = f"{paths['lib_dir']}/domain-{short_name(dom)}"
        out.append(f"  <monitor path='{dom_lib}/monitor.sock' type='unix'/>\n")
        caps = status.qemu_caps
        if caps:
            out.append("  <qemuCaps>\n")
            out.extend(f"    <flag name='{f}'/>\n" for f in caps)
            out.append("  </qemuCaps>\n")
        out.append(f"  <libDir path='{dom_lib}'/>\n")
        out.append(f"  <channelTargetDir path='{paths['channel_target_dir']}/domain-"
                   f"{short_name(dom)}'/>\n")
    body = api.format(dom, FormatFlags.STATUS_FILE)
    out.extend("  " + line + "\n" if line else "\n" for line in body.rstrip("\n").split("\n"))
    out.append("</domstatus>\n")
    return "".join(out)


def parse_status(data: bytes, *, file: str, driver: Any, options: dict[str, Any]) -> StatusInfo:
    hook = _hook("parse_status")
    if hook is not None:
        return hook(data, file=file, driver=driver, options=options)
    from lxml import etree

    from ..safexml import parse_bytes

    root = parse_bytes(data, file)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag != "domstatus":
        raise ParseError(f"expecting root element of 'domstatus', not '{tag}'", file=file,
                         line=root.sourceline)
    state = root.get("state")
    if state is None:
        raise ParseError("missing domain state", file=file, line=root.sourceline)
    if state not in STATES:
        raise ParseError(f"invalid domain state '{state}'", file=file, line=root.sourceline)
    reason = root.get("reason") or "unknown"
    if state == "running" and reason not in RUNNING_REASONS:
        raise ParseError(f"invalid domain state reason '{reason}'", file=file,
                         line=root.sourceline)
    pid_text = root.get("pid")
    try:
        pid = int(pid_text or "")
    except ValueError:
        raise ParseError("invalid pid", file=file, line=root.sourceline) from None
    dom_el = root.find("domain")
    if dom_el is None:
        raise ParseError("no domain config", file=file, line=root.sourceline)
    caps_el = root.find("qemuCaps")
    caps = None
    if caps_el is not None:
        caps = [f.get("name") or "" for f in caps_el.findall("flag")] or None
    dom = api.parse(etree.tostring(dom_el), driver=driver, flags=ParseFlags.LOAD_STATUS,
                    options=options, file=file)
    return StatusInfo(dom=dom, state=state, reason=reason, pid=pid, qemu_caps=caps)


def reconnect_check(status: StatusInfo, *, driver: Any) -> str | None:
    hook = _hook("reconnect_check")
    if hook is not None:
        return hook(status, driver=driver)
    if getattr(driver, "name", "") == "qemu" and not status.qemu_caps:
        return f"domain '{status.dom.name}' has no capabilities recorded"
    return None
