"""QEMU private data of status XML (behaviour §7): libvirt's
qemuDomainObjPrivateXMLParse / qemuDomainObjPrivateXMLFormat.

Typed parts: ``<monitor>`` (``"no monitor path"``), ``<vcpus>``,
``<qemuCaps>`` (flag names checked, ``"Unknown qemu capabilities flag
%s"``, written in libvirt's enum order), ``<devices>``, ``<libDir>``,
``<channelTargetDir>``, ``<job>`` attributes, and the always-written
``<nodename>``, ``<fdset>``, ``<blockjobs>`` and ``<agentTimeout>``.  The
runtime-only parts libvirt keeps about jobs (migration parameters, block
jobs, backups, ...) are kept as element trees and written back in
libvirt's layout; the pre-7.x ``<migrationSource>`` with inline source
attributes is rewritten to the nested ``<source>`` form libvirt writes.

The recorded capability flags become the post-parse data of the status
definition (``parse_opaque``); a status document without any flag has no
capabilities: :func:`check_caps_recorded` is libvirt's refusal at
reconnect/start time (``"domain '%s' has no capabilities recorded"``).
"""

from __future__ import annotations

import copy
from typing import Any

import attrs

from virtxml.binding import escape
from virtxml.errors import ParseError, VirtXMLError

from .capsnames import FLAG_INDEX

#: libvirt's order of the private children (qemuDomainObjPrivateXMLFormat)
ORDER: tuple[str, ...] = (
    "monitor", "dbusDaemon", "dbusVMState", "namespaces", "vcpus", "qemuCaps", "lockstate", "job",
    "fakereboot", "devices", "numad", "libDir", "channelTargetDir", "cpu", "chardevStdioLogd",
    "rememberOwner", "allowReboot", "prDaemon", "nodename", "fdset", "memPrealloc", "blockjobs",
    "slirp", "agentTimeout", "backups", "originalMemlock", "preMigrationMemlock",
)
_KNOWN = set(ORDER)

#: written even when the document lacked them (defaults of a fresh priv)
_ALWAYS = {"nodename": "<nodename index='0'/>", "fdset": "<fdset index='0'/>",
           "blockjobs": "<blockjobs active='no'/>", "agentTimeout": "<agentTimeout>-2</agentTimeout>"}


class NoCapsRecorded(VirtXMLError):
    rule = "status-no-caps"


@attrs.define(kw_only=True)
class QemuPrivate:
    monitor_path: str | None = None
    monitor_type: str = "unix"
    vcpu_pids: list[tuple[int, int]] = attrs.field(factory=list)
    #: recorded capability flags (None: no <qemuCaps> or no flag in it)
    caps_flags: set[str] | None = None
    aliases: list[str] = attrs.field(factory=list)
    lib_dir: str | None = None
    channel_target_dir: str | None = None
    #: other private children, as element trees, by tag
    elements: dict[str, Any] = attrs.field(factory=dict)
    #: empty disks read without a format (kept so by the status post-parse)
    unformatted_empty: list[Any] = attrs.field(factory=list, eq=False, repr=False)

    def caps(self) -> Any:
        """A capabilities object with only the recorded flags (libvirt's
        priv->qemuCaps after reading a status file), or None."""
        if not self.caps_flags:
            return None
        from virtxml.caps.qemucaps import QemuCaps

        caps = QemuCaps(origin="status XML")
        for name in sorted(self.caps_flags, key=FLAG_INDEX.__getitem__):
            caps.set_flag(name)
        return caps


def _perr(msg: str, file: str | None, el: Any) -> ParseError:
    return ParseError(msg, file=file, line=getattr(el, "sourceline", None), rule="qemu-status")


def _fix_migration_source(job: Any) -> None:
    """Old status files put the source attributes and children directly on
    <migrationSource>; libvirt re-reads them into a storage source and
    writes the nested form."""
    for ms in job.iter("migrationSource"):
        if ms.find("source") is not None:
            continue
        src = ms.makeelement("source", {})
        for k in list(ms.attrib):
            if k not in ("type", "format"):
                src.set(k, ms.attrib.pop(k))
        for child in list(ms):
            ms.remove(child)
            src.append(child)
        ms.append(src)


def _fix_job(job: Any) -> Any:
    job = copy.deepcopy(job)
    attrs_in = dict(job.attrib)
    job.attrib.clear()
    for k in ("type", "async", "phase"):
        if k in attrs_in:
            job.set(k, attrs_in.pop(k))
    if job.get("async", "none") != "none":
        job.set("flags", attrs_in.pop("flags", "0x0"))
        job.set("asyncStarted", attrs_in.pop("asyncStarted", "0"))
    for k, v in attrs_in.items():
        job.set(k, v)
    _fix_migration_source(job)
    return job


class QemuStatusHandler:
    """The :class:`virtxml.status.PrivateHandler` of the QEMU driver."""

    def parse(self, root: Any, status: Any, file: str | None) -> QemuPrivate:
        priv = QemuPrivate()
        # empty drives of a running guest have no format; reloading the status
        # keeps it so (checked on libvirt 9.0 by a daemon reconnect,
        # testdata/oracle/reconnect.sh): remember them for post_parse
        from .live import _disk_is_empty

        priv.unformatted_empty = [d for d in (getattr(getattr(status.dom, "devices", None), "disks", None) or [])
                                  if _disk_is_empty(d) and (d.driver is None or d.driver.type is None)]
        mon = root.find("monitor")
        path = mon.get("path") if mon is not None else None
        if not path:
            raise _perr("no monitor path", file, mon if mon is not None else root)
        priv.monitor_path = path
        priv.monitor_type = mon.get("type") or "pty"
        vcpus = root.find("vcpus")
        if vcpus is not None:
            for v in vcpus.findall("vcpu"):
                priv.vcpu_pids.append((int(v.get("id", "0")), int(v.get("pid", "0"))))
        qc = root.find("qemuCaps")
        if qc is not None:
            flags: set[str] = set()
            for f in qc.findall("flag"):
                name = f.get("name")
                if name not in FLAG_INDEX:
                    raise _perr(f"Unknown qemu capabilities flag {name}", file, f)
                flags.add(name)
            priv.caps_flags = flags or None
        devs = root.find("devices")
        if devs is not None:
            priv.aliases = [d.get("alias") for d in devs.findall("device") if d.get("alias")]
        ld = root.find("libDir")
        if ld is not None:
            priv.lib_dir = ld.get("path")
        ct = root.find("channelTargetDir")
        if ct is not None:
            priv.channel_target_dir = ct.get("path")
        for child in root:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag in _KNOWN and tag not in ("monitor", "vcpus", "qemuCaps", "devices", "libDir",
                                             "channelTargetDir"):
                priv.elements[tag] = _fix_job(child) if tag == "job" else copy.deepcopy(child)
        return priv

    def post_parse(self, dom: Any, flags: int, priv: "QemuPrivate | None" = None) -> None:
        """The status-only QEMU post-parse rules (drivers.qemu.status_postparse);
        the recorded origCPU (``<cpu>`` of the private data) becomes the
        configured CPU of the live definition (used by migratable XML)."""
        from .status_postparse import restore_status_aliases

        restore_status_aliases(dom, flags)
        for d in getattr(priv, "unformatted_empty", None) or []:
            if d.driver is not None:
                d.driver.type = None
        cpu_el = priv.elements.get("cpu") if priv is not None else None
        if cpu_el is not None:
            from virtxml.binding import ParseContext
            from virtxml.model.cpu import CPU

            from .migratable import set_orig_cpu

            set_orig_cpu(dom, CPU._xml_parse(cpu_el, ParseContext(0, None)))

    def parse_opaque(self, private: QemuPrivate) -> Any:
        return private.caps() if private is not None else None

    def format(self, priv: QemuPrivate, out: list[str], ind: str) -> None:
        for tag in ORDER:
            if tag == "monitor":
                out.append(f"{ind}<monitor path='{escape(priv.monitor_path or '')}' "
                           f"type='{priv.monitor_type}'/>\n")
            elif tag == "vcpus":
                if priv.vcpu_pids:
                    out.append(f"{ind}<vcpus>\n")
                    for vid, pid in priv.vcpu_pids:
                        out.append(f"{ind}  <vcpu id='{vid}' pid='{pid}'/>\n")
                    out.append(f"{ind}</vcpus>\n")
            elif tag == "qemuCaps":
                if priv.caps_flags is None:
                    continue  # libvirt writes <qemuCaps> only when priv->qemuCaps is set
                out.append(f"{ind}<qemuCaps>\n")
                for name in sorted(priv.caps_flags or (), key=FLAG_INDEX.__getitem__):
                    out.append(f"{ind}  <flag name='{name}'/>\n")
                out.append(f"{ind}</qemuCaps>\n")
            elif tag == "devices":
                if priv.aliases:
                    out.append(f"{ind}<devices>\n")
                    for a in priv.aliases:
                        out.append(f"{ind}  <device alias='{escape(a)}'/>\n")
                    out.append(f"{ind}</devices>\n")
            elif tag == "libDir":
                if priv.lib_dir:
                    out.append(f"{ind}<libDir path='{escape(priv.lib_dir)}'/>\n")
            elif tag == "channelTargetDir":
                if priv.channel_target_dir:
                    out.append(f"{ind}<channelTargetDir path='{escape(priv.channel_target_dir)}'/>\n")
            elif tag in priv.elements:
                write_element(priv.elements[tag], out, ind)
            elif tag in _ALWAYS:
                out.append(ind + _ALWAYS[tag] + "\n")


def write_element(el: Any, out: list[str], ind: str) -> None:
    """An element tree in libvirt's layout: single-quoted attributes, two
    spaces of indentation, empty elements self-closed, text kept inline."""
    s = ind + "<" + el.tag
    for k, v in el.attrib.items():
        s += f" {k}='{escape(v)}'"
    children = [c for c in el if isinstance(c.tag, str)]
    text = (el.text or "").strip()
    if not children and not text:
        out.append(s + "/>\n")
    elif not children:
        out.append(f"{s}>{escape(el.text or '')}</{el.tag}>\n")
    else:
        out.append(s + ">\n")
        for c in children:
            write_element(c, out, ind + "  ")
        out.append(f"{ind}</{el.tag}>\n")


def check_caps_recorded(dom: Any, priv: QemuPrivate | None) -> None:
    """qemuProcessReconnect: a running guest whose status XML recorded no
    capabilities is refused (never re-detected)."""
    if priv is None or not priv.caps_flags:
        raise NoCapsRecorded(f"domain '{dom.name}' has no capabilities recorded")


handler = QemuStatusHandler()

__all__ = ["QemuPrivate", "QemuStatusHandler", "handler", "check_caps_recorded", "NoCapsRecorded",
           "write_element", "ORDER"]
