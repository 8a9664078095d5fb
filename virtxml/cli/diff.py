"""``virtxml diff A B``: do two definitions mean the same guest?"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import VirtXMLError
from ..flags import ParseFlags
from .hostopts import add_host_options, check_driver


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "diff", help="semantic diff of two domain definitions",
        description="Run both files through the same pipeline (driver, capabilities, flags) and "
        "compare the results: device order within a kind, generated UUIDs, aliases and "
        "assigned addresses are ignored unless --include-generated. Exit 0 same, 1 different.")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--include-generated", action="store_true",
                   help="also compare what libvirt generates (uuid, aliases, addresses)")
    add_host_options(p, default_driver="test")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..diff import diff
    from .convert import load_input
    from .lint import _read

    check_driver(args.driver)
    doms = []
    for name in (args.a, args.b):
        try:
            doms.append(load_input(_read(name), name, args, ParseFlags.INACTIVE))
        except VirtXMLError as e:
            e.located(file=name)
            print(f"{e.file}:{e.line or 0}:{e.column or 0}: error: {e.message}", file=sys.stderr)
            return 2
    changes = diff(doms[0], doms[1], include_generated=args.include_generated)
    if args.format == "json":
        import orjson

        sys.stdout.buffer.write(orjson.dumps({"same": not changes, "changes": [c.as_dict() for c in changes]},
                                             option=orjson.OPT_INDENT_2) + b"\n")
    else:
        for c in changes:
            print(c.text())
    return 1 if changes else 0
