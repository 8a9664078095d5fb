"""Developer tool: differential check of schemas/domain.xsd against libvirt's
own RelaxNG grammar, where a libvirt installation provides it (the oracle's
setup installs /usr/share/libvirt/schemas).  Nothing of the grammar is
copied: it is only run, as a reference verdict.

    python -m tests.schema_rng_diff_tool [--seed N] [--count N] [--rng PATH]

Takes the schema-valid corpus inputs, applies random small mutations
(attribute values, added/removed attributes and elements, duplicates,
elements moved in from other documents) and compares the two verdicts.
"over-strict" (RelaxNG accepts, XSD refuses) must stay at zero;
"under-strict" lists what XSD 1.0 cannot express (mostly rules that depend
on another attribute's value) and at-most-once rules not enforced.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from pathlib import Path

from lxml import etree

from schemas import DOMAIN_XSD
from tests.corpus_paths import CORPUS

DEFAULT_RNG = Path("/usr/share/libvirt/schemas/domain.rng")
GENERIC = ["x", "", "-1", "0", "1", "0x100", "4294967296", "99999999999999999999", "yes", "no",
           "on", "off", "/abs/path", "rel/path", "a b", "0x1f", "1.5", "-"]
OPS = ["attrval", "attrdel", "eldel", "eldup", "text", "transplant", "attrval_other",
       "attrval_other", "attradd", "attradd"]


def mutate(docs, pools, rnd: random.Random):
    attrvals, textvals, bytag = pools
    root = etree.fromstring(etree.tostring(rnd.choice(docs)))
    el = rnd.choice([e for e in root.iter() if isinstance(e.tag, str)])
    parent = el.getparent()
    op = rnd.choice(OPS)
    if op in ("attrval", "attrval_other") and el.attrib:
        k = rnd.choice(list(el.attrib))
        v = rnd.choice(GENERIC) if op == "attrval" else rnd.choice(sorted(attrvals[k]))
        el.set(k, v)
        return root, f"{el.tag}@{k}", repr(v)
    if op == "attradd":
        pool = sorted({(k, v) for other in bytag.get((parent.tag if parent is not None else None, el.tag), [])[:50]
                       for k, v in other.attrib.items() if k not in el.attrib})
        if pool:
            k, v = rnd.choice(pool)
            el.set(k, v)
            return root, f"{el.tag} +@{k}", repr(v)
    if op == "attrdel" and el.attrib:
        k = rnd.choice(list(el.attrib))
        del el.attrib[k]
        return root, f"{el.tag} -@{k}", ""
    if op == "eldel" and parent is not None:
        parent.remove(el)
        return root, f"{parent.tag} -<{el.tag}>", ""
    if op == "eldup" and parent is not None:
        parent.append(etree.fromstring(etree.tostring(el)))
        return root, f"{parent.tag} +dup<{el.tag}>", ""
    if op == "text" and len(el) == 0:
        v = rnd.choice(GENERIC + sorted(textvals.get(el.tag, []))[:5])
        el.text = v
        return root, f"<{el.tag}> text", repr(v)
    if op == "transplant":
        keys = sorted(k for k in bytag if k[0] == el.tag)
        if keys:
            k = rnd.choice(keys)
            el.append(etree.fromstring(etree.tostring(rnd.choice(bytag[k]))))
            return root, f"{el.tag} +<{k[1]}>", ""
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--rng", type=Path, default=DEFAULT_RNG)
    args = ap.parse_args(argv)
    if not args.rng.is_file():
        print(f"no RelaxNG grammar at {args.rng} (run the oracle's setup.sh)")
        return 2
    rng = etree.RelaxNG(etree.parse(str(args.rng)))
    xsd = etree.XMLSchema(etree.parse(str(DOMAIN_XSD)))
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    files = sorted({c["input"] for c in manifest if c.get("libvirt_rng_valid")})
    docs = [etree.parse(str(CORPUS / f)).getroot() for f in files]
    attrvals: dict[str, set[str]] = collections.defaultdict(set)
    textvals: dict[str, set[str]] = collections.defaultdict(set)
    bytag: dict[tuple, list] = collections.defaultdict(list)
    for r in docs:
        for e in r.iter():
            if not isinstance(e.tag, str):
                continue
            for k, v in e.attrib.items():
                attrvals[k].add(v)
            if len(e) == 0 and e.text and e.text.strip():
                textvals[e.tag].add(e.text)
            p = e.getparent()
            if p is not None:
                bytag[(p.tag, e.tag)].append(e)
    rnd = random.Random(args.seed)
    over: collections.Counter = collections.Counter()
    under: collections.Counter = collections.Counter()
    example: dict[str, str] = {}
    n = 0
    for _ in range(args.count):
        got = mutate(docs, (attrvals, textvals, bytag), rnd)
        if got is None:
            continue
        root, key, value = got
        n += 1
        a, b = bool(rng.validate(root)), bool(xsd.validate(root))
        if a and not b:
            over[key] += 1
            example.setdefault("O" + key, f"{value} -> {xsd.error_log[0].message[:150]}")
        elif b and not a:
            under[key] += 1
            example.setdefault("U" + key, value)
    print(f"mutations {n}  over-strict {sum(over.values())}  under-strict {sum(under.values())}")
    for k, c in over.most_common():
        print(f"OVER  {c:4d} {k} {example['O' + k]}")
    for k, c in under.most_common(40):
        print(f"UNDER {c:4d} {k} {example['U' + k]}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
