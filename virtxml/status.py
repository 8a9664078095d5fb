"""The generic ``<domstatus>`` document (behaviour §7): libvirt's
virDomainObjParseXML / virDomainObjFormat.

Layout::

    <domstatus state='running' reason='booted' pid='N'>
      <taint flag='...'/>*
      <deprecation>text</deprecation>*
      ...driver private data...
      <domain ...>...</domain>
    </domstatus>

The driver's private data is handled by a *private-data handler* (see
:class:`PrivateHandler`); :mod:`drivers.qemu.status` is the QEMU one.
Parsing order is libvirt's: inner ``<domain>`` (bind only), state, reason,
pid, taints, deprecations, private data, then post-parse with the parse
opaque the handler derives from the private data (QEMU: the recorded
capability flags), then validation (skipped under SKIP_VALIDATE).
"""

from __future__ import annotations

from typing import Any, Protocol

import attrs

from .binding import escape
from .errors import ParseError
from .flags import FormatFlags, ParseFlags

#: virDomainState names, in enum order
STATES: tuple[str, ...] = ("nostate", "running", "blocked", "paused", "shutdown", "shutoff",
                           "crashed", "pmsuspended")

#: virDomain*Reason names per state (virDomainStateReasonFromString)
REASONS: dict[str, tuple[str, ...]] = {
    "nostate": ("unknown",),
    "running": ("unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
                "migration canceled", "save canceled", "wakeup", "crashed", "post-copy",
                "post-copy failed"),
    "blocked": ("unknown",),
    "paused": ("unknown", "user", "migration", "save", "dump", "ioerror", "watchdog",
               "from snapshot", "shutdown", "snapshot", "panicked", "starting up", "post-copy",
               "post-copy failed", "api error"),
    "shutdown": ("unknown", "user"),
    "shutoff": ("unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
                "from snapshot", "daemon"),
    "crashed": ("unknown", "panicked"),
    "pmsuspended": ("unknown",),
}

#: virDomainTaintFlags names
TAINT_FLAGS: tuple[str, ...] = (
    "custom-argv", "custom-monitor", "high-privileges", "shell-scripts", "disk-probing",
    "external-launch", "host-cpu", "hook-script", "cdrom-passthrough", "custom-dtb",
    "custom-ga-command", "custom-hypervisor-feature", "deprecated-config", "custom-device",
)


class PrivateHandler(Protocol):
    """What a driver supplies for its status private data."""

    def parse(self, root: Any, status: "DomainStatus", file: str | None) -> Any:
        """Read the private children of ``<domstatus>``; returns the private data."""

    def parse_opaque(self, private: Any) -> Any:
        """libvirt's getParseOpaque: the post-parse data (QEMU: the caps), or None."""

    def format(self, private: Any, out: list[str], ind: str) -> None:
        """Write the private children (with indent ``ind``)."""


@attrs.define(kw_only=True)
class DomainStatus:
    """A parsed ``<domstatus>``: the runtime state and the live definition."""

    state: str = "running"
    reason: str = "unknown"
    pid: int = 0
    taints: list[str] = attrs.field(factory=list)
    deprecations: list[str] = attrs.field(factory=list)
    private: Any = None
    dom: Any = None
    #: the post-parse context of the inner definition (failures etc.)
    post_parse: Any = None


def _err(msg: str, file: str | None, el: Any = None, rule: str = "domstatus") -> ParseError:
    return ParseError(msg, file=file, line=getattr(el, "sourceline", None), rule=rule)


def parse_status_tree(root: Any, driver: Any, *, flags: int = ParseFlags.LOAD_STATUS,
                      options: dict[str, Any] | None = None, file: str | None = None,
                      handler: PrivateHandler | None = None) -> DomainStatus:
    """virDomainObjParseNode + virDomainObjParseXML on an element tree."""
    from . import api
    from .binding import ParseContext

    tag = root.tag if isinstance(root.tag, str) else ""
    if tag != "domstatus":
        raise _err(f"unexpected root element <{tag.rpartition('}')[2]}>, expecting <domstatus>",
                   file, root)
    dom_el = root.find("domain")
    if dom_el is None:
        raise _err("no domain config", file, root)
    flags = int(flags) | ParseFlags.STATUS
    ctx = ParseContext(flags, file)
    dom = api.bind(dom_el, flags=flags, file=file, parser_config=driver, ctx=ctx)

    st = DomainStatus(dom=dom)
    state = root.get("state")
    if state is None:
        raise _err("missing domain state", file, root)
    if state not in STATES:
        raise _err(f"invalid domain state '{state}'", file, root)
    st.state = state
    reason = root.get("reason")
    if reason is not None:
        if reason not in REASONS[state]:
            raise _err(f"invalid domain state reason '{reason}'", file, root)
        st.reason = reason
    else:
        st.reason = "unknown"
    pid = root.get("pid")
    try:
        st.pid = int(pid.strip()) if pid is not None else None  # type: ignore[assignment]
    except ValueError:
        st.pid = None  # type: ignore[assignment]
    if st.pid is None:
        raise _err("invalid pid", file, root)
    for t in root.findall("taint"):
        name = t.get("flag")
        if name not in TAINT_FLAGS:
            raise _err(f"Unknown taint flag {name}", file, t)
        st.taints.append(name)
    for d in root.findall("deprecation"):
        st.deprecations.append(d.text or "")

    data = None
    if handler is not None:
        st.private = handler.parse(root, st, file)
        data = handler.parse_opaque(st.private)

    from postparse import engine

    pctx = engine.post_parse(dom, driver, flags, options, data=data)
    st.post_parse = pctx
    hook = getattr(handler, "post_parse", None)
    if hook is not None:
        hook(dom, flags, st.private)
    if not flags & ParseFlags.SKIP_VALIDATE:
        engine.validate(dom, driver, pctx)
    return st


def format_status(st: DomainStatus, flags: int = FormatFlags.STATUS_FILE,
                  handler: PrivateHandler | None = None) -> str:
    """virDomainObjFormat: ``<domstatus>`` with the definition formatted with
    ``flags`` (default libvirt's virDomainObjSave flags)."""
    out = ["<domstatus state='%s' reason='%s' pid='%d'>\n" % (st.state, st.reason, st.pid)]
    for t in st.taints:
        out.append("  <taint flag='%s'/>\n" % t)
    for d in st.deprecations:
        out.append("  <deprecation>%s</deprecation>\n" % escape(d))
    if handler is not None and st.private is not None:
        handler.format(st.private, out, "  ")
    dflags = int(flags)
    if st.dom.id is None or st.dom.id == -1:
        dflags |= FormatFlags.INACTIVE
    st.dom.xml_format(out, "  ", dflags)
    out.append("</domstatus>\n")
    return "".join(out)


__all__ = ["DomainStatus", "PrivateHandler", "parse_status_tree", "format_status", "STATES",
           "REASONS", "TAINT_FLAGS"]
