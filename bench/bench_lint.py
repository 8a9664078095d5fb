"""Benchmark ``virtxml lint`` against a virt-xml-validate-style loop.

1. Whole command: ``virtxml lint`` over all corpus inputs (one process)
   vs one ``xmllint --noout --relaxng domain.rng FILE`` process per file
   (what virt-xml-validate does), when xmllint and libvirt's domain.rng are
   installed (skipped otherwise).  Target: >= 50x faster.
2. Per document, in one process: lint with the chosen driver vs lxml's bare
   ``fromstring`` + ``tostring`` of the same bytes.  Target: <= 8x.

    python bench/bench_lint.py [--corpus DIR] [--driver qemu] [--caps-profile NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RNG_CANDIDATES = ["/usr/share/libvirt/schemas/domain.rng"]
PACKAGES = ("virtxml", "postparse", "drivers", "schemas")


def main() -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.environ.get("VIRTXML_CORPUS", str(here.parent / "shared/corpus/libvirt-9.0.0")))
    ap.add_argument("--driver", default="qemu")
    ap.add_argument("--caps-profile", default="libvirt-test")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--loop-sample", type=int, default=0,
                    help="time the xmllint loop on this many files and extrapolate (0 = all)")
    a = ap.parse_args()
    from drivers import list_drivers

    driver = a.driver if a.driver in list_drivers() else "test"
    manifest = json.loads((Path(a.corpus) / "manifest.json").read_text())
    files = sorted({str(Path(a.corpus) / c["input"]) for c in manifest})
    print(f"corpus inputs: {len(files)}; driver: {driver}")

    # 1. whole command, as installed: pip byte-compiles a package it installs
    # (an editable install or PYTHONDONTWRITEBYTECODE, set on some machines,
    # would otherwise make every process compile ~200 modules first)
    subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(here / d) for d in PACKAGES)],
                   check=True, capture_output=True)
    cmd = [sys.executable, "-m", "virtxml", "lint", "--quiet", "--format", "json", "--driver", driver]
    if driver == "qemu":
        cmd += ["--caps-profile", a.caps_profile]
    t0 = time.perf_counter()
    p = subprocess.run(cmd + files, capture_output=True)
    ours = time.perf_counter() - t0
    print(f"virtxml lint (one command, default jobs): {ours:.2f} s, exit {p.returncode}")
    xmllint = shutil.which("xmllint")
    rng = next((r for r in RNG_CANDIDATES if os.path.exists(r)), None)
    if xmllint and rng:
        sample = files if not a.loop_sample else files[: a.loop_sample]
        t0 = time.perf_counter()
        for f in sample:
            subprocess.run([xmllint, "--noout", "--relaxng", rng, f], capture_output=True)
        loop = (time.perf_counter() - t0) * len(files) / len(sample)
        print(f"xmllint --relaxng, one process per file: {loop:.2f} s")
        print(f"whole-command speed-up: {loop / ours:.1f}x (target >= 50x)")
    else:
        print("xmllint loop: skipped (xmllint or libvirt's domain.rng not installed)")

    # 2. per document
    from lxml import etree

    from virtxml.lint import LintOptions, lint_bytes

    # every corpus input with one LintOptions (the --caps-profile host for
    # qemu), and, for qemu, every qemuxml2xml input with its own case's
    # capabilities (the documents libvirt accepts, checked all the way)
    jobs: list[tuple[str, list[tuple[bytes, LintOptions]]]] = []
    one = LintOptions(driver=driver, options={"caps_profile": a.caps_profile} if driver == "qemu" else {})
    jobs.append((f"all {len(files)} corpus inputs, one host", [(Path(f).read_bytes(), one) for f in files]))
    if driver == "qemu":
        from drivers.qemu.conformance_suites import case_options
        from virtxml.conformance import load_manifest

        per_case, seen = [], set()
        for case in load_manifest(a.corpus):
            if case.suite == "qemuxml2xml" and case.get("input") not in seen:
                seen.add(case.get("input"))
                per_case.append((case.read(case.get("input")), LintOptions(driver=driver, options=case_options(case)[0])))
        jobs.append((f"{len(per_case)} qemuxml2xml inputs, each with its case's capabilities", per_case))
    for label, docs in jobs:
        for d, o in docs:  # warm up (and resolve each LintOptions once)
            lint_bytes(d, "warm", o)
        base, mine = [], []
        for d, o in docs:
            t0 = time.perf_counter()
            for _ in range(a.repeat):
                etree.tostring(etree.fromstring(d))
            base.append((time.perf_counter() - t0) / a.repeat)
            t0 = time.perf_counter()
            for _ in range(a.repeat):
                lint_bytes(d, "doc.xml", o)
            mine.append((time.perf_counter() - t0) / a.repeat)
        mb, mm = statistics.median(base) * 1e3, statistics.median(mine) * 1e3
        print(f"per document, {label}:")
        print(f"  lxml fromstring+tostring: median {mb:.4f} ms/doc")
        print(f"  virtxml lint ({driver}): median {mm:.4f} ms/doc")
        print(f"  ratio: {mm / mb:.1f}x (target <= 8x)")
    return 0

if __name__ == "__main__":
    sys.exit(main())
