"""The XML kinds of one guest (behaviour §1.3, §1.4, §5, §6, §7) as one
public API.

* :func:`format_inactive` — the offline config (``--inactive``).
* :func:`format_live` — the running guest's XML (``dumpxml``, no flags).
* :func:`format_migratable` — what migration sends (``--migratable``):
  formatted SECURE|INACTIVE|MIGRATABLE, re-parsed inactive, the driver's
  rewrites (QEMU: §6), formatted SECURE|MIGRATABLE(|INACTIVE).
* :func:`prepare_live` — what starting the guest changes in its XML (QEMU:
  :mod:`drivers.qemu.live`); returns a new live definition.
* :func:`parse_status` / :func:`format_status` — the ``<domstatus>``
  document the driver keeps while the guest runs (§7).

``driver`` is a driver name or object; ``options`` are the driver options
(``caps_source``/``qemu_caps``/..., ``qemu_conf``: see
:mod:`drivers.qemu.options`).
"""

from __future__ import annotations

from typing import Any

from .flags import FormatFlags, ParseFlags
from .status import DomainStatus, format_status as _format_status_doc, parse_status_tree

Options = dict[str, Any]


def _driver(driver: Any) -> Any:
    from drivers import get_driver

    return get_driver(driver) if isinstance(driver, str) else driver


def status_handler(driver: Any) -> Any:
    """The private-data handler of ``driver`` for status XML (None if the
    driver keeps none)."""
    drv = _driver(driver)
    if getattr(drv, "name", None) == "qemu":
        from drivers.qemu.status import handler

        return handler
    return None


# --------------------------------------------------------------------------
# formatting


def format_inactive(dom: Any, *, secure: bool = False) -> str:
    """``virsh dumpxml --inactive`` of ``dom`` (INACTIVE, + SECURE)."""
    from . import api

    flags = FormatFlags.INACTIVE | (FormatFlags.SECURE if secure else 0)
    return api.format(dom, flags)


def format_live(dom: Any, *, secure: bool = False) -> str:
    """``virsh dumpxml`` of a running guest (flags 0, + SECURE).  A
    definition without an id is written inactive, as libvirt does."""
    from . import api

    return api.format(dom, FormatFlags.SECURE if secure else FormatFlags.NONE)


def copy_for_migration(dom: Any, driver: Any, options: Options | None = None) -> Any:
    """virDomainDefCopy(migratable=True): format SECURE|INACTIVE|MIGRATABLE
    and re-parse with PARSE_INACTIVE|PARSE_SKIP_VALIDATE (full post-parse)."""
    from . import api

    drv = _driver(driver)
    xml = api.format(dom, FormatFlags.SECURE | FormatFlags.INACTIVE | FormatFlags.MIGRATABLE)
    return api.parse(xml.encode(), driver=drv,
                     flags=ParseFlags.INACTIVE | ParseFlags.SKIP_VALIDATE,
                     options=options)


def migratable_def(dom: Any, driver: Any, options: Options | None = None) -> Any:
    """The re-parsed inactive copy with the driver's migratable rewrites."""
    from postparse.driver import PostParseContext

    drv = _driver(driver)
    copy = copy_for_migration(dom, drv, options)
    if getattr(drv, "name", None) == "qemu":
        from drivers.qemu.migratable import get_orig_cpu, migratable

        return migratable(copy, options, get_orig_cpu(dom))
    ctx = PostParseContext(flags=0, driver=drv, options=dict(options or {}))
    return drv.migratable(copy, ctx)


def format_migratable(dom: Any, driver: Any = "qemu", options: Options | None = None, *,
                      inactive: bool = True) -> str:
    """``virsh dumpxml --migratable`` (QEMU forces SECURE).  libvirt's copy has
    no id, so the output is inactive-style either way."""
    from . import api

    mdef = migratable_def(dom, driver, options)
    flags = FormatFlags.SECURE | FormatFlags.MIGRATABLE
    if inactive:
        flags |= FormatFlags.INACTIVE
    return api.format(mdef, flags)


# --------------------------------------------------------------------------
# start


def prepare_live(dom: Any, driver: Any = "qemu", options: Options | None = None, *,
                 domain_id: int = 1, **kw: Any) -> Any:
    """What starting ``dom`` changes in its XML; returns the live definition
    (``dom`` itself is not changed).  Runs ``rerun_post_parse`` first when the
    definition's post-parse failed (a tolerable failure is then fatal).
    Extra keywords go to the driver's prepare function (QEMU:
    :func:`drivers.qemu.live.prepare_live`)."""
    drv = _driver(driver)
    if getattr(drv, "name", None) == "qemu":
        from drivers.qemu import live

        return live.prepare_live(dom, drv, options, domain_id=domain_id, **kw)
    import attrs

    from postparse import engine

    if getattr(dom, "post_parse_failed", False):
        engine.rerun_post_parse(dom, drv, options)
    new = _deep_copy(dom)
    new.id = domain_id
    return new


def _deep_copy(dom: Any) -> Any:
    import copy

    return copy.deepcopy(dom)


# --------------------------------------------------------------------------
# status XML


def parse_status(source: Any, driver: Any = "qemu", options: Options | None = None, *,
                 flags: int = ParseFlags.LOAD_STATUS, file: str | None = None) -> DomainStatus:
    """Read a ``<domstatus>`` document (path, string or bytes) the way libvirt
    loads status files (default flags STATUS|ACTUAL_NET|PCI_ORIG_STATES|
    SKIP_VALIDATE|ALLOW_POST_PARSE_FAIL)."""
    from .api import load_tree

    drv = _driver(driver)
    root, fname = load_tree(source, file=file)
    return parse_status_tree(root, drv, flags=flags, options=options, file=fname,
                             handler=status_handler(drv))


def format_status(st: DomainStatus, driver: Any = "qemu", *,
                  flags: int = FormatFlags.STATUS_FILE) -> str:
    """The ``<domstatus>`` document of ``st`` (virDomainObjFormat)."""
    return _format_status_doc(st, flags, status_handler(driver))


def make_status(live: Any, driver: Any = "qemu", *, state: str = "running", reason: str = "booted",
                pid: int = 0, private: Any = None, taints: list[str] | None = None,
                **kw: Any) -> DomainStatus:
    """A :class:`DomainStatus` for a live definition (from
    :func:`prepare_live`).  For QEMU, ``private`` defaults to what
    :func:`drivers.qemu.live.make_private` records at start (monitor path,
    capability flags, aliases, libDir, channelTargetDir)."""
    drv = _driver(driver)
    if private is None and getattr(drv, "name", None) == "qemu":
        from drivers.qemu import live as qlive

        private = qlive.make_private(live_def=live, **kw)
    return DomainStatus(state=state, reason=reason, pid=pid, private=private, dom=live,
                        taints=list(taints or []))


def check_reconnect(st: DomainStatus, driver: Any = "qemu") -> None:
    """What libvirt checks when it reconnects to a running guest from its
    status XML: for QEMU, the capabilities must have been recorded
    (``"domain '%s' has no capabilities recorded"``)."""
    drv = _driver(driver)
    if getattr(drv, "name", None) == "qemu":
        from drivers.qemu.status import check_caps_recorded

        check_caps_recorded(st.dom, st.private)


__all__ = ["format_inactive", "format_live", "format_migratable", "migratable_def",
           "copy_for_migration", "prepare_live", "parse_status", "format_status", "make_status",
           "check_reconnect", "status_handler", "DomainStatus"]
