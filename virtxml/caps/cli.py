"""Command-line pieces for capabilities, for the CLI owner to wire:

* :func:`add_arguments` adds ``--qemu-caps FILE|DIR|BINARY=FILE``
  (repeatable), ``--host-caps FILE``, ``--caps-profile NAME``,
  ``--caps-cache-dir DIR``, ``--no-probe`` and ``--allow-post-parse-fail``
  to an argparse parser (``virtxml convert/lint --driver qemu``);
* :func:`driver_options` turns the parsed namespace into the ``options``
  dict of :func:`virtxml.api.parse` (see :mod:`drivers.qemu.options`);
* :func:`caps_main` is ``virtxml caps probe|show ...``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from .probe import caps_probe_main
from .qemucaps import CapsError, parse_qemu_caps
from .source import source_from_options


def add_arguments(ap: argparse.ArgumentParser) -> None:
    g = ap.add_argument_group("QEMU capabilities")
    g.add_argument("--qemu-caps", action="append", default=[], metavar="FILE|DIR|BINARY=FILE",
                   help="QEMU capability cache file (<qemuCaps>, serves its <emulator>), a folder of "
                        "libvirt cache files (sha256 of the binary path + .xml), or BINARY=FILE; "
                        "repeatable")
    g.add_argument("--host-caps", metavar="FILE", help="host <capabilities> document")
    g.add_argument("--caps-profile", metavar="NAME",
                   help="built-in capability profile (libvirt-test: libvirt's fake test host)")
    g.add_argument("--caps-cache-dir", metavar="DIR", help="where probed capabilities are cached")
    g.add_argument("--no-probe", action="store_true",
                   help="never run QEMU binaries to learn their capabilities")
    g.add_argument("--allow-post-parse-fail", action="store_true",
                   help="keep a definition whose post-parse fails tolerably (missing emulator or "
                        "capabilities), as libvirt does when loading stored configs")


def driver_options(ns: argparse.Namespace) -> dict[str, Any]:
    """``options`` for :func:`virtxml.api.parse` from :func:`add_arguments`."""
    src = source_from_options(qemu_caps=ns.qemu_caps or (), host_caps=ns.host_caps,
                              profile=ns.caps_profile, allow_probe=not ns.no_probe,
                              cache_dir=ns.caps_cache_dir)
    return {"caps_source": src}


def parse_flags(ns: argparse.Namespace) -> int:
    from ..flags import ParseFlags

    return int(ParseFlags.ALLOW_POST_PARSE_FAIL) if getattr(ns, "allow_post_parse_fail", False) else 0


def _show(argv: Sequence[str]) -> int:
    ap = argparse.ArgumentParser(prog="virtxml caps show",
                                 description="summarise a <qemuCaps> document")
    ap.add_argument("file")
    ns = ap.parse_args(list(argv))
    try:
        caps = parse_qemu_caps(ns.file)
    except (CapsError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    v = caps.version
    print(f"emulator: {caps.emulator}")
    print(f"version: {v // 1000000}.{v // 1000 % 1000}.{v % 1000}")
    print(f"arch: {caps.arch}")
    print(f"flags: {len(caps.flags)}")
    for accel, acc in caps.accels.items():
        if not acc.machines:
            continue
        print(f"machines ({accel}):")
        for i, m in enumerate(acc.machines):
            tags = []
            if i == 0:
                tags.append("preferred")
            if m.default:
                tags.append("qemu-default")
            if m.alias:
                tags.append(f"alias {m.alias}")
            if m.deprecated:
                tags.append("deprecated")
            print(f"  {m.name}" + (f"  ({', '.join(tags)})" if tags else ""))
    return 0


def caps_main(argv: Sequence[str] | None = None) -> int:
    """``virtxml caps probe BINARY [...]`` / ``virtxml caps show FILE``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: virtxml caps {probe BINARY [-o FILE] [--cache-dir DIR] [--no-cache] | show FILE}")
        return 0 if args else 2
    cmd, rest = args[0], args[1:]
    if cmd == "probe":
        return caps_probe_main(rest)
    if cmd == "show":
        return _show(rest)
    print(f"error: unknown caps command '{cmd}'", file=sys.stderr)
    return 2
