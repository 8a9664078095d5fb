"""``virtxml --connect URI <verb> ...``: virsh-like verbs on a connection.

``connect_main(uri, argv)`` is what the CLI owner wires behind
``--connect``; exit status 0 = done, 1 = the operation (or the connection)
failed, 2 = usage.  Messages follow virsh's wording; errors are printed as
``error: <libvirt's message>`` without tracebacks."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from ..errors import VirtXMLError
from ..flags import XMLDescFlags
from .errors import ConnectError

STATE_NAMES = {"nostate": "no state", "running": "running", "blocked": "idle",
               "paused": "paused", "shutdown": "in shutdown", "shutoff": "shut off",
               "crashed": "crashed", "pmsuspended": "pmsuspended"}


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would exit; we return 2
        raise _UsageError(f"{self.prog}: {message}")


#: verb, help, positional arguments (in the order the help lists them)
_VERBS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("define", "define a domain from an XML file", ("file",)),
    ("undefine", "remove a persistent domain definition", ("domain",)),
    ("list", "list all domains (running and defined)", ()),
    ("dumpxml", "print a domain's XML", ("domain",)),
    ("start", "start a defined domain (no process is run)", ("domain",)),
    ("destroy", "stop a running domain", ("domain",)),
    # secret:///embed?root=PATH
    ("secret-define", "define a secret from an XML file", ("file",)),
    ("secret-list", "list secrets", ()),
    ("secret-dumpxml", "print a secret's XML", ("secret",)),
    ("secret-undefine", "remove a secret", ("secret",)),
    ("secret-set-value", "set a secret's value (base64)", ("secret", "base64")),
    ("secret-get-value", "print a secret's value (base64)", ("secret",)),
)


def _parser() -> _Parser:
    p = _Parser(prog="virtxml --connect URI", add_help=True,
                description="Operate on an embedded driver (qemu:///embed?root=PATH, "
                            "test:///default).")
    sub = p.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    sub.required = True
    verbs = {}
    for verb, help_text, positionals in _VERBS:
        verbs[verb] = sub.add_parser(verb, help=help_text)
        for name in positionals:
            verbs[verb].add_argument(name)
    ls = verbs["list"]
    ls.add_argument("--all", action="store_true", help="accepted for virsh compatibility")
    ls.add_argument("--name", action="store_true", help="print names only")
    x = verbs["dumpxml"]
    x.add_argument("--inactive", action="store_true", help="the persistent (next boot) XML")
    x.add_argument("--migratable", action="store_true", help="XML suitable for migration")
    x.add_argument("--security-info", action="store_true", help="include passwords")
    return p


def _message(err: BaseException) -> str:
    if isinstance(err, ConnectError):
        return err.libvirt_message
    if isinstance(err, VirtXMLError):
        return str(err)
    if isinstance(err, OSError):
        return f"{err.strerror or err}" + (f": {err.filename}" if err.filename else "")
    return str(err)


def _report(out: TextIO, message: str) -> None:
    """A virsh success message and the blank line virsh prints after it."""
    print(message, file=out)
    print(file=out)


def _fail(err: TextIO, what: str, exc: BaseException) -> None:
    """virsh's two error lines: what failed, then libvirt's message."""
    print(f"error: {what}", file=err)
    print(f"error: {_message(exc)}", file=err)


def _table(rows: list[list[str]]) -> str:
    """virsh's vshTable: one leading space, 3 spaces between columns, a dash
    line under the header."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            cells.append(cell if i == len(row) - 1 else cell.ljust(widths[i] + 3))
        lines.append(" " + "".join(cells))
        if n == 0:
            lines.append("-" * sum(w + 3 for w in widths))
    return "\n".join(lines) + "\n"


def connect_main(uri: str, argv: list[str], *, stdout: TextIO | None = None,
                 stderr: TextIO | None = None, options: dict[str, Any] | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except _UsageError as exc:
        print(f"error: {exc}", file=err)
        return 2
    except SystemExit as exc:  # --help
        return 0 if not exc.code else 2

    from . import open as _open

    try:
        conn = _open(uri, options=options)
    except Exception as exc:  # noqa: BLE001 - every failure is reported, never a traceback
        _fail(err, "failed to connect to the hypervisor", exc)
        return 1
    try:
        return _run(conn, args, out, err)
    finally:
        conn.close()


def _lookup(conn: Any, key: str, err: TextIO) -> Any:
    """vshLookupDomainBy: id, then UUID, then name."""
    from .errors import OperationError

    if key.isdigit():
        try:
            return conn.lookup(int(key))
        except OperationError:
            pass
    try:
        return conn.lookup(key)
    except OperationError:
        print(f"error: failed to get domain '{key}'", file=err)
        return None


def _define_from_file(conn: Any, path: str, err: TextIO, read_failed: str,
                      define_failed: str) -> Any:
    """virsh's define verbs: read ``path`` and define it on ``conn``; the
    defined object, or None once both error lines are printed."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        print(f"error: {read_failed}", file=err)
        print(f"error: {exc.strerror}", file=err)
        return None
    try:
        return conn.define_xml(data)
    except Exception as exc:  # noqa: BLE001
        _fail(err, define_failed, exc)
        return None


def _run(conn: Any, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .connection import SecretConnection

    verb = args.verb
    is_secret = isinstance(conn, SecretConnection)
    if verb.startswith("secret-") != is_secret:
        kind = "secret" if is_secret else "domain"
        print(f"error: '{verb}' is not available on a {kind} connection ({conn.uri})", file=err)
        return 2
    if is_secret:
        return _run_secret(conn, args, out, err)
    if verb == "define":
        dom = _define_from_file(conn, args.file, err,
                                f"Failed to read file '{args.file}' to define domain",
                                f"Failed to define domain from {args.file}")
        if dom is None:
            return 1
        _report(out, f"Domain '{dom.name}' defined from {args.file}")
        return 0
    if verb == "list":
        try:
            doms = conn.list_domains()
            if args.name:
                for d in doms:
                    print(d.name, file=out)
                print(file=out)
                return 0
            rows = [["Id", "Name", "State"]]
            for d in doms:
                rows.append([str(d.id) if d.is_active() else "-", d.name,
                             STATE_NAMES.get(d.state, d.state)])
        except Exception as exc:  # noqa: BLE001
            _fail(err, "Failed to list domains", exc)
            return 1
        out.write(_table(rows))
        print(file=out)
        return 0
    dom = _lookup(conn, args.domain, err)
    if dom is None:
        return 1
    name = dom.name
    try:
        if verb == "undefine":
            dom.undefine()
            _report(out, f"Domain '{name}' has been undefined")
        elif verb == "dumpxml":
            flags = 0
            if args.inactive:
                flags |= XMLDescFlags.INACTIVE
            if args.migratable:
                flags |= XMLDescFlags.MIGRATABLE
            if args.security_info:
                flags |= XMLDescFlags.SECURE
            out.write(dom.xml_desc(flags))
        elif verb == "start":
            dom.start()
            _report(out, f"Domain '{name}' started")
        elif verb == "destroy":
            dom.destroy()
            _report(out, f"Domain '{name}' destroyed")
    except Exception as exc:  # noqa: BLE001
        what = {"undefine": "undefine", "dumpxml": "get XML of", "start": "start",
                "destroy": "destroy"}[verb]
        if verb == "dumpxml":
            print(f"error: {_message(exc)}", file=err)
        else:
            _fail(err, f"Failed to {what} domain '{name}'", exc)
        return 1
    return 0


def _run_secret(conn: Any, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """virsh's secret-* verbs and messages."""
    import base64
    import binascii

    verb = args.verb
    try:
        if verb == "secret-define":
            sec = _define_from_file(conn, args.file, err, f"Failed to read file '{args.file}'",
                                    f"Failed to set attributes from {args.file}")
            if sec is None:
                return 1
            _report(out, f"Secret {sec.uuid} created")
            return 0
        if verb == "secret-list":
            rows = [["UUID", "Usage"]]
            for uuid in conn.list_secrets():
                sec = conn.lookup_by_uuid(uuid)
                usage = sec.usage_type
                rows.append([uuid, "Unused" if usage == "none" else f"{usage} {sec.usage_id}"])
            out.write(_table(rows))
            print(file=out)
            return 0
        try:
            sec = conn.lookup_by_uuid(args.secret)
        except Exception:  # noqa: BLE001
            print(f"error: failed to get secret '{args.secret}'", file=err)
            return 1
        if verb == "secret-dumpxml":
            out.write(sec.xml_desc())
        elif verb == "secret-undefine":
            sec.undefine()
            _report(out, f"Secret {sec.uuid} deleted")
        elif verb == "secret-set-value":
            try:
                value = base64.b64decode(args.base64, validate=True)
            except (binascii.Error, ValueError):
                print("error: Invalid base64 data", file=err)
                return 1
            sec.set_value(value)
            _report(out, "Secret value set")
        elif verb == "secret-get-value":
            print(base64.b64encode(sec.get_value()).decode(), file=out)
    except Exception as exc:  # noqa: BLE001
        print(f"error: {_message(exc)}", file=err)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry: ``python -m virtxml.connect.cli URI VERB ...``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print("usage: python -m virtxml.connect.cli URI VERB [ARGS]", file=sys.stderr)
        return 2
    return connect_main(argv[0], argv[1:])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
