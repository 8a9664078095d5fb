"""Record libvirt 9.0's results for the hand-written inputs under
testdata/oracle-generic/<driver>/*.xml with the oracle
(/work/shared/tools/oracle/oracle.py, needs /usr/bin/python3 with libvirt).

    python -m tests.oracle_cases.record_golden [--driver test] [NAME ...]

Writes next to each NAME.xml: NAME.inactive.xml, and NAME.migratable.xml /
NAME.secure.xml when they differ from the inactive XML, or NAME.error.txt
(libvirt's full message) when define fails."""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "testdata", "oracle-generic")
ORACLE = "/work/shared/tools/oracle/oracle.py"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", default="test")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args(argv)
    d = os.path.join(ROOT, args.driver)
    inputs = [os.path.join(d, n + ".xml") for n in args.names] if args.names else [
        f for f in sorted(glob.glob(os.path.join(d, "*.xml")))
        if f.count(".") == 1 + os.path.join(d, "").count(".")]
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["/usr/bin/python3", ORACLE, "--driver", args.driver, "-q", "-j", "1",
                        "--out", out, *inputs], check=True, stdout=subprocess.DEVNULL)
        for f in inputs:
            stem = os.path.basename(f)[:-4]
            with open(os.path.join(out, stem + ".json")) as fh:
                rec = json.load(fh)
            base = os.path.join(d, stem)
            for suffix in (".inactive.xml", ".migratable.xml", ".secure.xml", ".error.txt"):
                if os.path.exists(base + suffix):
                    os.unlink(base + suffix)
            if not rec["define_ok"]:
                with open(base + ".error.txt", "w") as fh:
                    fh.write(rec["error"]["message"] + "\n")
                continue
            if not all(rec.get(k) for k in ("inactive", "migratable", "secure_inactive")):
                # libvirt defined it but could not format one of the forms
                # (e.g. a migratable copy it cannot parse back): not a usable case
                print(stem, "skipped: libvirt could not format every form", file=sys.stderr)
                continue
            with open(base + ".inactive.xml", "w") as fh:
                fh.write(rec["inactive"])
            for key, suffix in (("migratable", ".migratable.xml"), ("secure_inactive", ".secure.xml")):
                if rec[key] != rec["inactive"]:
                    with open(base + suffix, "w") as fh:
                        fh.write(rec[key])
            print(stem, "recorded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
