"""Benchmark: parse + validate + format over every corpus input, against
lxml's bare ``fromstring`` + ``tostring`` measured in the same run.

    python bench/bench_parse.py [--corpus DIR] [--repeat N] [--driver NAME]

Prints the median ms/doc of each and the ratio (target: <= 6x)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lxml import etree  # noqa: E402


def main() -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.environ.get("VIRTXML_CORPUS", str(here.parent / "shared/corpus/libvirt-9.0.0")))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--driver", default="test")
    ap.add_argument("--no-schema", action="store_true", help="skip the XSD check")
    ap.add_argument("--caps-profile", default=None,
                    help="one capability profile for every document (default with --driver qemu: each "
                    "qemuxml2xml case's own capabilities)")
    a = ap.parse_args()
    import virtxml
    from virtxml import schema
    from virtxml.flags import FormatFlags, ParseFlags

    from drivers import get_driver

    drv = get_driver(a.driver)
    schema.lxml_schema()  # compile once, outside the timing
    # (document, options): with --driver qemu every qemuxml2xml input runs
    # with its own case's capabilities (libvirt's test host, as the
    # conformance runner builds them), unless --caps-profile names one
    # profile for all; other drivers: every corpus input, no options.
    # Options are resolved once per case, outside the timing, as a program
    # parsing many documents does (Driver.prepare_options).
    pairs: list[tuple[bytes, dict]] = []
    manifest = json.loads((Path(a.corpus) / "manifest.json").read_text())
    seen = set()
    if a.driver == "qemu" and not a.caps_profile:
        from drivers.qemu.conformance_suites import case_options
        from virtxml.conformance import load_manifest

        for case in load_manifest(a.corpus):
            if case.suite != "qemuxml2xml" or case.get("input") in seen:
                continue
            seen.add(case.get("input"))
            opts, _extra = case_options(case)
            pairs.append((case.read(case.get("input")), drv.prepare_options(opts)))
    else:
        options = drv.prepare_options({"caps_profile": a.caps_profile} if a.caps_profile else {})
        for case in manifest:
            p = Path(a.corpus) / case["input"]
            if p in seen:
                continue
            seen.add(p)
            pairs.append((p.read_bytes(), options))
    usable = []
    for d, options in pairs:  # warm up; keep the documents the pipeline accepts
        try:
            dom = virtxml.parse(d, driver=drv, flags=ParseFlags.INACTIVE, schema=not a.no_schema,
                                options=options)
            virtxml.format(dom, FormatFlags.INACTIVE | FormatFlags.SECURE)
            usable.append((d, options))
        except Exception:  # noqa: BLE001
            pass

    def lxml_once(d: bytes) -> None:
        etree.tostring(etree.fromstring(d))

    def ours_once(d: bytes, options: dict) -> None:
        dom = virtxml.parse(d, driver=drv, flags=ParseFlags.INACTIVE, schema=not a.no_schema,
                            options=options)
        virtxml.format(dom, FormatFlags.INACTIVE | FormatFlags.SECURE)

    base, ours = [], []
    for d, options in usable:
        t0 = time.perf_counter()
        for _ in range(a.repeat):
            lxml_once(d)
        base.append((time.perf_counter() - t0) / a.repeat)
        t0 = time.perf_counter()
        for _ in range(a.repeat):
            ours_once(d, options)
        ours.append((time.perf_counter() - t0) / a.repeat)
    mb, mo = statistics.median(base) * 1e3, statistics.median(ours) * 1e3
    what = "qemuxml2xml inputs, each with its case's capabilities" if a.driver == "qemu" and not a.caps_profile \
        else "corpus inputs"
    print(f"documents: {len(usable)} of {len(pairs)} {what} (driver {a.driver})")
    print(f"lxml fromstring+tostring: median {mb:.4f} ms/doc")
    print(f"virtxml parse+validate+format: median {mo:.4f} ms/doc")
    target = "10x (QEMU driver)" if a.driver == "qemu" else "6x"
    print(f"ratio: {mo / mb:.1f}x (target <= {target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
