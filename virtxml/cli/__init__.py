"""The ``virtxml`` command line.

    virtxml lint [OPTIONS] PATH...
    virtxml convert [OPTIONS] [--to inactive|live|json] FILE
    virtxml diff [OPTIONS] A B
    virtxml caps probe BINARY [-o FILE] [--cache-dir DIR]
    virtxml conformance CORPUS_DIR [--suite NAME]... [--json]
    virtxml --connect URI define FILE | undefine NAME | list | dumpxml NAME | start NAME | destroy NAME

Exit status: 0 clean, 1 findings (or a refused document), 2 usage or I/O
error.  Errors are printed as ``FILE:LINE:COL: error: MESSAGE``, never as a
traceback."""

from __future__ import annotations

import argparse
import sys
from typing import Callable

from ..errors import UsageError, VirtXMLError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from . import convert, diff, lint

    p = _Parser(
        prog="virtxml",
        description="Read, check, complete and write libvirt domain XML exactly as libvirt "
        "9.0.0 does — without libvirt.",
        epilog="Exit status: 0 clean, 1 findings, 2 usage or I/O error. "
        "Run 'virtxml COMMAND --help' for a command's options.",
    )
    p.add_argument("--version", action="version", version="virtxml " + _version())
    p.add_argument("--connect", "-c", metavar="URI",
                   help="work on a connection: qemu:///embed?root=PATH, test:///default, "
                   "secret:///embed?root=PATH; then a verb: define FILE, undefine NAME, list, "
                   "dumpxml NAME [--inactive|--migratable|--security-info], start NAME, destroy NAME")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    lint.add_parser(sub)
    convert.add_parser(sub)
    diff.add_parser(sub)
    kp = sub.add_parser("caps", help="QEMU capabilities: probe a binary on this machine",
                        description="virtxml caps probe BINARY [-o FILE] [--cache-dir DIR]: run the "
                        "QEMU binary, record its version and machine types per accelerator as a "
                        "libvirt <qemuCaps> document (cached on disk by binary path).")
    kp.add_argument("args", nargs=argparse.REMAINDER, metavar="probe BINARY ...")
    kp.set_defaults(func=_caps)
    cp = sub.add_parser("conformance", help="run libvirt's test corpus through virtxml",
                        description="Run the conformance runner (same as python -m virtxml.conformance).")
    cp.add_argument("args", nargs=argparse.REMAINDER)
    cp.set_defaults(func=_conformance)
    return p


def _version() -> str:
    from .. import __version__

    return __version__


def _caps(args: argparse.Namespace) -> int:
    rest = list(args.args)
    if not rest or rest[0] != "probe":
        raise UsageError("usage: virtxml caps probe BINARY [-o FILE] [--cache-dir DIR]")
    from ..caps.probe import caps_probe_main

    return int(caps_probe_main(rest[1:]) or 0)


def _conformance(args: argparse.Namespace) -> int:
    from .. import conformance

    return int(conformance.main(args.args) or 0)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    uri, argv = _split_connect(argv)
    if uri is not None:
        from ..connect.cli import connect_main

        try:
            return int(connect_main(uri, argv))
        except Exception as e:  # noqa: BLE001 - never a traceback on the command line
            print(f"virtxml: internal error: {type(e).__name__}: {e}", file=sys.stderr)
            return 3
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


def _split_connect(argv: list[str]) -> tuple[str | None, list[str]]:
    """``virtxml --connect URI VERB ...`` / ``-c URI`` / ``--connect=URI``."""
    if not argv:
        return None, argv
    first = argv[0]
    if first in ("--connect", "-c"):
        if len(argv) < 2:
            return None, argv  # argparse reports the missing value
        return argv[1], argv[2:]
    if first.startswith("--connect="):
        return first.split("=", 1)[1], argv[1:]
    return None, argv
