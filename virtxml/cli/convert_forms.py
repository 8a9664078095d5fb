"""``virtxml convert --to live|inactive|migratable|status [--secure] [--start]
[--qemu-conf FILE]``: the XML kinds of one guest (virtxml.forms).

Input may be inactive XML (``<domain>`` without ``id``), live XML
(``<domain id='N'>``, parsed as libvirt parses a running guest's XML) or
status XML (``<domstatus>``, parsed as libvirt loads status files).

* ``--start``: prepare the (inactive) definition for start as libvirt does
  (listens from qemu.conf, ports, aliases, ids; ``--domain-id``), and
  convert the resulting live definition.
* ``--to live``: the running guest's XML (needs ``--start``, live or
  status input; without them the definition is parsed and formatted with
  flags 0, as before).
* ``--to inactive``: the definition formatted INACTIVE.
* ``--to migratable``: what migration sends (QEMU rewrites, SECURE forced).
* ``--to status``: the ``<domstatus>`` document (needs ``--start``, live or
  status input).

A status document without recorded QEMU capabilities is refused for every
target but ``status`` (libvirt refuses such a guest when it reconnects:
"domain '%s' has no capabilities recorded"); ``--to status`` re-formats it
as libvirt's status-file round trip does.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import VirtXMLError
from ..flags import ParseFlags

NEW_TARGETS = ("migratable", "status")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--start", action="store_true",
                   help="convert the guest as libvirt starts it (listens, ports, aliases, id)")
    p.add_argument("--domain-id", type=int, default=1, metavar="N",
                   help="domain id of the started guest (with --start; default 1)")


def _root_tag(data: bytes) -> tuple[str, bool]:
    from ..safexml import parse_bytes

    try:
        root = parse_bytes(data, None)
    except Exception:  # noqa: BLE001 - let the normal path report it
        return "", False
    return str(root.tag), root.get("id") not in (None, "-1")


def wants(args: argparse.Namespace, data: bytes) -> bool:
    """Does this invocation need the forms path (else: convert's own)?"""
    if args.to in NEW_TARGETS or getattr(args, "start", False):
        return True
    if args.to == "json" or data.lstrip()[:1] in (b"{", b"["):
        return False
    tag, _ = _root_tag(data)
    return tag == "domstatus"


def _error(e: VirtXMLError, name: str) -> int:
    e.located(file=name)
    print(f"{e.file}:{e.line or 0}:{e.column or 0}: error: {e.message}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace, data: bytes) -> int:
    from .. import api, forms
    from .hostopts import extra_parse_flags, host_options

    options = host_options(args)
    driver = args.driver
    tag, live_input = _root_tag(data)
    status = None
    try:
        if data.lstrip()[:1] in (b"{", b"["):
            from .convert import load_input

            dom = load_input(data, args.file, args, ParseFlags.INACTIVE | ParseFlags.ABI_UPDATE)
            running = False
        elif tag == "domstatus":
            status = forms.parse_status(data, driver, options, file=args.file)
            dom = status.dom
            running = True
            if args.to != "status":
                # what libvirt shows of it is what it reconnects to
                forms.check_reconnect(status, driver)
        else:
            flags = (ParseFlags.NONE if live_input else ParseFlags.INACTIVE) | extra_parse_flags(args)
            if not live_input:
                flags |= ParseFlags.ABI_UPDATE
            dom = api.parse(data, driver=driver, flags=flags, options=options, file=args.file)
            running = live_input
        if args.start:
            if running:
                raise VirtXMLError("--start needs an inactive definition; the input is a running guest's",
                                   rule="usage")
            dom = forms.prepare_live(dom, driver, options, domain_id=args.domain_id)
            running = True
        if args.to == "inactive":
            out = forms.format_inactive(dom, secure=args.secure)
        elif args.to == "live":
            out = forms.format_live(dom, secure=args.secure)
        elif args.to == "migratable":
            out = forms.format_migratable(dom, driver, options)
        elif args.to == "status":
            if not running:
                raise VirtXMLError("status XML is kept for a running guest: give --start, live or status XML",
                                   rule="usage")
            if status is None:
                status = forms.make_status(dom, driver, options=options)
            out = forms.format_status(status, driver)
        else:
            raise VirtXMLError(f"--to {args.to} is not available with --start or status input", rule="usage")
    except VirtXMLError as e:
        return _error(e, args.file)
    from ..fileutil import write_output

    write_output(args.output, out.encode())
    return 0
