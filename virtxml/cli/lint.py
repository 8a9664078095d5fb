"""``virtxml lint``: check files the way libvirt's define would."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import InputError, UsageError
from ..lint import LintOptions, lint_bytes


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "lint", help="check domain XML files (schema, parse rules, post-parse, validation)",
        description="Check libvirt domain XML files and report every finding as "
        "FILE:LINE:COL: error: MESSAGE. Exit 0 when clean, 1 with findings, 2 on usage "
        "or I/O errors.")
    p.add_argument("files", nargs="+", metavar="FILE", help="domain XML file ('-' reads standard input)")
    p.add_argument("--schema-only", action="store_true", help="report only what the schema says")
    p.add_argument("--driver", default=None, metavar="NAME",
                   help="check with this hypervisor driver's post-parse and validation (default: test)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.driver is not None:
        from drivers import get_driver

        get_driver(args.driver)  # UsageError listing the known drivers
    opts = LintOptions(driver=args.driver, schema_only=args.schema_only)
    found = 0
    io_error = False
    for name in args.files:
        try:
            data = _read(name)
        except InputError as e:
            print(f"{name}:0:0: error: {e.message}", file=sys.stderr)
            io_error = True
            continue
        for f in lint_bytes(data, name, opts):
            found += 1
            print(f.text())
    if io_error:
        return 2
    return 1 if found else 0


def _read(name: str) -> bytes:
    from ..safexml import MAX_DOCUMENT_BYTES, read_source

    if name == "-":
        return sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
    if name.lstrip().startswith("<"):
        raise UsageError(f"'{name[:20]}...' is not a file name")
    data, _ = read_source(name)
    return data
