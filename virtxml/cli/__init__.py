"""The ``virtxml`` command line.

    virtxml lint [--schema-only] [--driver NAME] FILE...
    virtxml convert [--driver NAME] [--to inactive|live] FILE
    virtxml conformance CORPUS_DIR [--suite NAME]... [--json]

Exit status: 0 clean, 1 findings (or a refused document), 2 usage or I/O
error.  Errors are printed as ``FILE:LINE:COL: error: MESSAGE``, never as a
traceback."""

from __future__ import annotations

import argparse
import sys
from typing import Callable

from ..errors import VirtXMLError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from . import convert, lint

    p = _Parser(
        prog="virtxml",
        description="Read, check, complete and write libvirt domain XML exactly as libvirt "
        "9.0.0 does — without libvirt.",
        epilog="Exit status: 0 clean, 1 findings, 2 usage or I/O error. "
        "Run 'virtxml COMMAND --help' for a command's options.",
    )
    p.add_argument("--version", action="version", version="virtxml " + _version())
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    lint.add_parser(sub)
    convert.add_parser(sub)
    cp = sub.add_parser("conformance", help="run libvirt's test corpus through virtxml",
                        description="Run the conformance runner (same as python -m virtxml.conformance).")
    cp.add_argument("args", nargs=argparse.REMAINDER)
    cp.set_defaults(func=_conformance)
    return p


def _version() -> str:
    from .. import __version__

    return __version__


def _conformance(args: argparse.Namespace) -> int:
    from .. import conformance

    return int(conformance.main(args.args) or 0)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return func(args)
    except VirtXMLError as e:
        print(f"virtxml: error: {e}", file=sys.stderr)
        return EXIT_USAGE if e.rule in ("usage", "io") else EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - never a traceback on the command line
        print(f"virtxml: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return 3
