"""``virtxml convert``: parse with a driver's full pipeline, write libvirt's
bytes (or the model's JSON)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import VirtXMLError
from ..flags import FormatFlags, ParseFlags
from .hostopts import add_host_options, check_driver, extra_parse_flags, host_options

TARGETS = ("inactive", "live", "json", "migratable", "status")


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "convert", help="parse, complete and re-format domain XML as libvirt would",
        description="Parse FILE (domain XML, or virtxml JSON) with the driver's full pipeline "
        "(parse-time defaults, post-parse, validation) and write what libvirt would produce.",
        epilog="--to inactive: the persistent config, as 'virsh dumpxml --inactive'; "
        "--to live: parsed and formatted as a running guest's XML (flags 0); "
        "--to json: the typed model as JSON (virtxml convert --to inactive reads it back); "
        "--to migratable: what migration sends; --to status: the <domstatus> document of a running "
        "guest (with --start, live or status input).  Input may be inactive, live or status XML.")
    p.add_argument("file", metavar="FILE", help="input file ('-' reads standard input)")
    p.add_argument("--to", choices=TARGETS, default="inactive", help="output kind (default: inactive)")
    p.add_argument("--secure", action="store_true", help="include passwords and other secure data")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically) instead of stdout")
    add_host_options(p, default_driver="test")
    from . import convert_forms

    convert_forms.add_arguments(p)
    p.set_defaults(func=run)


def load_input(data: bytes, name: str, args: argparse.Namespace, pflags: int) -> Any:
    """Domain from XML or virtxml JSON bytes, through the driver's pipeline."""
    from .. import api

    if data.lstrip()[:1] in (b"{", b"["):
        from .. import jsonio
        from ..model import Domain

        try:
            dom = jsonio.from_json(Domain, data)
        except (ValueError, TypeError, KeyError) as e:
            raise VirtXMLError(f"invalid virtxml JSON: {e}", file=name, line=1, rule="parse") from None
        data = api.format(dom, FormatFlags.SECURE | FormatFlags.INACTIVE).encode()
    return api.parse(data, driver=args.driver, flags=pflags | extra_parse_flags(args),
                     options=host_options(args), file=name)


def run(args: argparse.Namespace) -> int:
    from .. import api
    from .lint import _read

    check_driver(args.driver)
    data = _read(args.file)
    from . import convert_forms

    if convert_forms.wants(args, data):
        return convert_forms.run(args, data)
    pflags = ParseFlags.NONE if args.to == "live" else ParseFlags.INACTIVE
    fflags = FormatFlags.NONE if args.to == "live" else FormatFlags.INACTIVE
    if args.secure:
        fflags |= FormatFlags.SECURE
    try:
        dom = load_input(data, args.file, args, pflags)
    except VirtXMLError as e:
        e.located(file=args.file)
        print(f"{e.file}:{e.line or 0}:{e.column or 0}: error: {e.message}", file=sys.stderr)
        return 1
    if args.to == "json":
        from .. import jsonio

        out = jsonio.to_json(dom, indent=True) + b"\n"
    else:
        out = api.format(dom, fflags).encode()
    from ..fileutil import write_output

    write_output(args.output, out)
    return 0
