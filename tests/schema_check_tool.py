"""Developer tool: measure schemas/domain.xsd against the corpus.

    python -m tests.schema_check_tool [--all-outputs] [--timing] [--xmlschema]

Prints every verdict mismatch (with libxml2's first error) for the
manifest inputs that carry ``libvirt_rng_valid`` and for domainschemadata/,
then the totals.  ``--all-outputs`` also checks every libvirt-formatted
output file (they must all be valid).  ``--timing`` measures the lxml
validation time per document.  ``--xmlschema`` cross-checks the verdicts
with the xmlschema package.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from lxml import etree

from schemas import DOMAIN_XSD
from tests.corpus_paths import CORPUS


def load_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DOMAIN_XSD)))


def cases() -> list[tuple[str, bool]]:
    """(relative path, expected validity) of every checked document."""
    out: dict[str, bool] = {}
    for case in json.loads((CORPUS / "manifest.json").read_text()):
        verdict = case.get("libvirt_rng_valid")
        if verdict is None:
            continue
        out[case["input"]] = bool(verdict) and out.get(case["input"], True)
    for p in sorted((CORPUS / "domainschemadata").glob("*.xml")):
        out[str(p.relative_to(CORPUS))] = True
    return sorted(out.items())


def output_files() -> list[str]:
    seen: set[str] = set()
    for case in json.loads((CORPUS / "manifest.json").read_text()):
        if case["suite"] == "qemustatusxml2xml":
            continue
        for rel in (case.get("expected") or {}).values():
            if rel and rel.endswith(".xml"):
                seen.add(rel)
    return sorted(seen)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--all-outputs", action="store_true")
    ap.add_argument("--timing", action="store_true")
    ap.add_argument("--xmlschema", action="store_true")
    args = ap.parse_args(argv)

    schema = load_schema()
    xs = None
    if args.xmlschema:
        import xmlschema

        xs = xmlschema.XMLSchema10(str(DOMAIN_XSD))
    counts = {"valid_ok": 0, "valid_refused": 0, "invalid_refused": 0, "invalid_accepted": 0}
    docs = []
    for rel, expected in cases():
        doc = etree.parse(str(CORPUS / rel))
        docs.append(doc)
        ok = schema.validate(doc)
        if xs is not None and xs.is_valid(doc) != ok:
            print(f"LOADERS DISAGREE {rel}: lxml={ok}")
        if expected and ok:
            counts["valid_ok"] += 1
        elif expected:
            counts["valid_refused"] += 1
            print(f"REFUSED valid {rel}: {schema.error_log[0].line}: {schema.error_log[0].message}")
        elif not ok:
            counts["invalid_refused"] += 1
        else:
            counts["invalid_accepted"] += 1
            print(f"ACCEPTED invalid {rel}")
    print(json.dumps(counts))
    if args.all_outputs:
        bad = 0
        outs = output_files()
        for rel in outs:
            doc = etree.parse(str(CORPUS / rel))
            if not schema.validate(doc):
                bad += 1
                print(f"REFUSED output {rel}: {schema.error_log[0].line}: {schema.error_log[0].message}")
        print(f"outputs: {len(outs) - bad}/{len(outs)} valid")
    if args.timing:
        n = 0
        t0 = time.process_time()
        for _ in range(5):
            for d in docs:
                schema.validate(d)
                n += 1
        dt = (time.process_time() - t0) / n
        print(f"lxml validation: {dt * 1e3:.4f} ms/document (CPU time) over {n} validations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
