"""``virtxml convert``: parse with a driver's full pipeline, write libvirt's bytes."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import VirtXMLError
from ..flags import FormatFlags, ParseFlags


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "convert", help="parse, complete and re-format domain XML as libvirt would",
        description="Parse FILE with the driver's full pipeline (parse-time defaults, post-parse, "
        "validation) and write the XML libvirt would produce on standard output.")
    p.add_argument("file", metavar="FILE", help="domain XML file ('-' reads standard input)")
    p.add_argument("--driver", default="test", metavar="NAME", help="hypervisor driver (default: test)")
    p.add_argument("--to", choices=("inactive", "live"), default="inactive",
                   help="inactive: the persistent config (virsh dumpxml --inactive); live: parsed "
                   "as a running guest's XML (default: inactive)")
    p.add_argument("--secure", action="store_true", help="include passwords and other secure data")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically) instead of stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import api
    from .lint import _read

    data = _read(args.file)
    pflags = ParseFlags.INACTIVE if args.to == "inactive" else ParseFlags.NONE
    fflags = FormatFlags.INACTIVE if args.to == "inactive" else FormatFlags.NONE
    if args.secure:
        fflags |= FormatFlags.SECURE
    try:
        dom = api.parse(data, driver=args.driver, flags=pflags, file=args.file)
    except VirtXMLError as e:
        e.located(file=args.file)
        print(f"{e.file}:{e.line or 0}:{e.column or 0}: error: {e.message}", file=sys.stderr)
        return 1
    text = api.format(dom, fflags)
    if args.output:
        from ..fileutil import atomic_write

        atomic_write(args.output, text.encode())
    else:
        sys.stdout.write(text)
    return 0
