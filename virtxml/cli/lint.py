"""``virtxml lint``: the verdict libvirt would give at define time.

Paths may be files, folders (searched recursively for ``*.xml``) or ``-``
for standard input.  Findings are reported in the input order, whatever
``--jobs`` is, so a parallel run prints exactly what a single job prints."""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from ..errors import InputError, UsageError, VirtXMLError
from ..findings import SEVERITIES, Finding
from ..lint import LintOptions, lint_bytes, prepare
from ..lint import read_input as _read
from .hostopts import add_host_options, check_driver, define_flags, host_options

HOST_CHECKS = ("capabilities of the emulator binary (arch, machine type, virt type)",
               "driver default devices, models and addresses",
               "driver-specific validation")


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "lint", help="check domain XML files (schema, parse rules, post-parse, validation)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Check libvirt domain XML the way 'virsh define' would on the target host: "
        "XML safety and well-formedness, the domain schema, libvirt's parse-time rules, "
        "post-parse and validation of the chosen driver. Every finding has a rule id, file, "
        "line, column, element path and libvirt's message text.",
        epilog="exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O error\n\n"
        "examples:\n  virtxml lint guests/\n  virtxml lint --driver qemu --caps-profile libvirt-test vm.xml\n"
        "  virtxml lint --format sarif --output lint.sarif configs/")
    p.add_argument("paths", nargs="+", metavar="PATH", help="file, folder (recursive *.xml) or '-' for stdin")
    p.add_argument("--schema-only", action="store_true", help="report only what the schema says")
    p.add_argument("--no-schema", action="store_true", help="skip the schema (as libvirt's define does by default)")
    p.add_argument("--validate", action="store_true",
                   help="schema findings are errors, as with 'virsh define --validate' (default: "
                   "warnings, since libvirt's define accepts what its schema refuses unless asked)")
    p.add_argument("--schema-messages", choices=("libxml2", "xmlschema"), default="libxml2",
                   help="who words schema findings: libxml2 (default, as xmllint/virt-xml-validate) or "
                   "xmlschema (other wording; loads a second schema engine, about a second more)")
    add_host_options(p, default_driver=None)
    p.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text",
                   help="output format (default: text)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--fail-on", choices=SEVERITIES, default="error", metavar="LEVEL",
                   help="lowest severity that makes the exit status 1: note, warning, error (default: error)")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="parallel worker processes (default: CPU count)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or notes on stderr")
    p.set_defaults(func=run)


def _collect(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
        elif os.path.isdir(p):
            found = []
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames.sort()
                for fn in filenames:
                    if fn.endswith(".xml"):
                        found.append(os.path.join(dirpath, fn))
            out.extend(sorted(found))
        else:
            out.append(p)
    return out


_OPTS: LintOptions | None = None


def _init_worker(opts: LintOptions) -> None:
    global _OPTS
    _OPTS = opts


def _lint_one(item: tuple[str, bytes | None]) -> tuple[list[Finding], str | None]:
    name, data = item
    assert _OPTS is not None
    try:
        if data is None:
            data = _read(name)
        return lint_bytes(data, name, _OPTS), None
    except InputError as e:
        return [], e.message
    except VirtXMLError as e:
        return [Finding(file=name, line=e.line or 0, column=e.column or 0, rule=e.rule,
                        severity="error", message=e.message, path=e.path or "")], None
    except Exception as e:  # noqa: BLE001 - one document never stops the run
        return [Finding(file=name, line=0, column=0, rule="internal", severity="error",
                        message=f"internal error: {type(e).__name__}: {e}")], None


def build_options(args: argparse.Namespace) -> LintOptions:
    return LintOptions(driver=args.driver, schema=not args.no_schema, schema_only=args.schema_only,
                       schema_errors=args.validate, options=host_options(args),
                       flags=define_flags(args), schema_messages=args.schema_messages)


def run(args: argparse.Namespace) -> int:
    check_driver(args.driver)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.schema_only and args.no_schema:
        raise UsageError("--schema-only and --no-schema contradict each other")
    opts = build_options(args)
    names = _collect(args.paths)
    if names.count("-") > 1:
        raise UsageError("standard input ('-') can be given only once")
    items: list[tuple[str, bytes | None]] = []
    for n in names:
        items.append((n, sys.stdin.buffer.read() if n == "-" else None))
    jobs = args.jobs or os.cpu_count() or 1
    jobs = max(1, min(jobs, len(items)))
    show_progress = (not args.quiet) and sys.stderr.isatty() and len(items) >= 20
    results: list[tuple[list[Finding], str | None]] = []
    t0 = time.monotonic()
    prepare(opts)  # before the workers fork: they share it
    if jobs == 1:
        _init_worker(opts)
        for i, it in enumerate(items):
            results.append(_lint_one(it))
            if show_progress:
                _progress(i + 1, len(items))
    else:
        chunk = max(1, min(64, len(items) // (jobs * 4) or 1))
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(opts,)) as ex:
            for i, r in enumerate(ex.map(_lint_one, items, chunksize=chunk)):
                results.append(r)
                if show_progress and (i % 10 == 0 or i + 1 == len(items)):
                    _progress(i + 1, len(items))
    if show_progress:
        sys.stderr.write("\n")
    findings: list[Finding] = []
    io_errors = []
    for (name, _), (fs, ioerr) in zip(items, results):
        if ioerr is not None:
            io_errors.append((name, ioerr))
        findings.extend(fs)
    skipped = [] if (args.driver or args.schema_only) else list(HOST_CHECKS)
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    summary = {
        "files": len(items), "files_with_findings": len({f.file for f in findings}),
        "findings": len(findings), **counts, "io_errors": len(io_errors),
        "driver": args.driver, "skipped_checks": skipped,
        "seconds": round(time.monotonic() - t0, 3),
    }
    from ..reporters import REPORTERS

    report = REPORTERS[args.format](findings, summary)
    from ..fileutil import write_output

    try:
        write_output(args.output, report)
    except OSError as e:
        raise InputError(f"cannot write {args.output or 'standard output'}: {e.strerror}") from None
    for name, msg in io_errors:
        print(f"{name}:0:0: error: {msg}", file=sys.stderr)
    if skipped and not args.quiet and args.format == "text":
        print("virtxml: note: no --driver given; skipped host-specific checks: " + "; ".join(skipped),
              file=sys.stderr)
    if io_errors:
        return 2
    threshold = SEVERITIES.index(args.fail_on)
    return 1 if any(SEVERITIES.index(f.severity) >= threshold for f in findings) else 0


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // total
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
    sys.stderr.flush()
