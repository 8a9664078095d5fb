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
                    help="capability profile for the qemu driver (default with --driver qemu: libvirt-test)")
    a = ap.parse_args()
    import virtxml
    from virtxml import schema
    from virtxml.flags import FormatFlags, ParseFlags

    options = {}
    if a.driver == "qemu":
        options["caps_profile"] = a.caps_profile or "libvirt-test"
    elif a.caps_profile:
        options["caps_profile"] = a.caps_profile
    from drivers import get_driver

    options = get_driver(a.driver).prepare_options(options)  # once for the run, as documented
    manifest = json.loads((Path(a.corpus) / "manifest.json").read_text())
    docs = []
    seen = set()
    for case in manifest:
        p = Path(a.corpus) / case["input"]
        if p in seen:
            continue
        seen.add(p)
        docs.append(p.read_bytes())
    schema.lxml_schema()  # compile once, outside the timing
    usable = []
    for d in docs:  # warm up; keep the documents the pipeline accepts
        try:
            dom = virtxml.parse(d, driver=a.driver, flags=ParseFlags.INACTIVE, schema=not a.no_schema,
                                options=options)
            virtxml.format(dom, FormatFlags.INACTIVE | FormatFlags.SECURE)
            usable.append(d)
        except Exception:  # noqa: BLE001
            pass

    def lxml_once(d: bytes) -> None:
        etree.tostring(etree.fromstring(d))

    def ours_once(d: bytes) -> None:
        dom = virtxml.parse(d, driver=a.driver, flags=ParseFlags.INACTIVE, schema=not a.no_schema,
                            options=options)
        virtxml.format(dom, FormatFlags.INACTIVE | FormatFlags.SECURE)

    base, ours = [], []
    for d in usable:
        for fn, acc in ((lxml_once, base), (ours_once, ours)):
            t0 = time.perf_counter()
            for _ in range(a.repeat):
                fn(d)
            acc.append((time.perf_counter() - t0) / a.repeat)
    mb, mo = statistics.median(base) * 1e3, statistics.median(ours) * 1e3
    print(f"documents: {len(usable)} of {len(docs)} corpus inputs (driver {a.driver})")
    print(f"lxml fromstring+tostring: median {mb:.4f} ms/doc")
    print(f"virtxml parse+validate+format: median {mo:.4f} ms/doc")
    target = "10x (QEMU driver)" if a.driver == "qemu" else "6x"
    print(f"ratio: {mo / mb:.1f}x (target <= {target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
