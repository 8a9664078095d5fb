"""Developer tool: mutated corpus inputs for differential testing beyond
the corpus.  Each variant is a corpus input with one attribute or one
element removed (deterministic random choice), which exercises libvirt's
defaults and error paths the corpus does not reach.

    python -m tests.oracle_cases.mutate OUTDIR [--seed N] [--attrs 4] [--elements 2]
    /usr/bin/python3 /work/shared/tools/oracle/oracle.py --driver test -j 2 --out REC OUTDIR/
    python -m tests.oracle_diff_tool REC --driver test

The variants are written outside the project (never commit them: they are
derived from the corpus)."""

from __future__ import annotations

import argparse
import glob
import os
import random
import sys

from lxml import etree

from tests.corpus_paths import CORPUS

FOLDERS = ("qemuxml2argvdata", "genericxml2xmlindata", "lxcxml2xmldata", "bhyvexml2argvdata")
KEEP = ("name", "memory", "os", "type", "devices")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--attrs", type=int, default=4, help="attribute removals per input")
    ap.add_argument("--elements", type=int, default=2, help="element removals per input")
    args = ap.parse_args(argv)
    rnd = random.Random(args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    n = 0
    for folder in FOLDERS:
        for f in sorted(glob.glob(str(CORPUS / folder / "*.xml"))):
            try:
                tree = etree.parse(f)
            except etree.XMLSyntaxError:
                continue
            root = tree.getroot()
            if root.tag != "domain":
                continue
            stem = os.path.basename(f)[:-4]
            attrs = [(el, a) for el in root.iter() if isinstance(el.tag, str) and el is not root
                     for a in el.attrib]
            els = [el for el in root.iter() if isinstance(el.tag, str) and el is not root
                   and el.tag not in KEEP]
            for i, (el, a) in enumerate(rnd.sample(attrs, min(args.attrs, len(attrs)))):
                v = el.attrib.pop(a)
                tree.write(os.path.join(args.outdir, f"{stem}--a{i}.xml"))
                el.set(a, v)
                n += 1
            for i, el in enumerate(rnd.sample(els, min(args.elements, len(els)))):
                parent = el.getparent()
                idx = parent.index(el)
                parent.remove(el)
                tree.write(os.path.join(args.outdir, f"{stem}--e{i}.xml"))
                parent.insert(idx, el)
                n += 1
    print(f"{n} variants in {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
