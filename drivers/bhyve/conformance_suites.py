"""Conformance suite ``bhyvexml2xml`` (libvirt's tests/bhyvexml2xmltest.c).

The manifest does not list these cases: they are discovered from the
folder layout.  Every ``bhyvexml2argvdata/bhyvexml2argv-NAME.xml`` whose
``bhyvexml2xmloutdata/bhyvexml2xmlout-NAME.xml`` exists is a case ``NAME``:
parse the input with PARSE_INACTIVE under the bhyve driver, format with
FORMAT_SECURE|FORMAT_INACTIVE, compare bytes (libvirt's
testCompareDomXML2XMLFiles with live=false).

The test host is libvirt's: the ``bhyve-test`` host capabilities
(virBhyveCapsBuild on an x86_64 host) and the bhyve capability flags the
test program sets by default, AHCI32SLOT included.  libvirt's test program
also runs a few cases with AHCI32SLOT cleared; which ones is said only in
its C source, and the runner never decides anything from a case's name, so
those cases run with the default flags (and the one whose output differs
fails, as it should until the corpus says which flags a case uses).

libvirt runs the test with a mock library (tests/bhyvexml2argvmock.c) whose
``virMacAddrGenerate`` gives the prefix followed by zeros; the suite
replaces virtxml's MAC generator the same way while parsing
(:func:`mocked_mac_generation`)."""

from __future__ import annotations

import contextlib
import os
from typing import Iterator

from virtxml import conformance as conf
from virtxml.conformance import Case, Result, register_case_source, register_suite

SUITE = "bhyvexml2xml"
IN_DIR, IN_PREFIX = "bhyvexml2argvdata", "bhyvexml2argv-"
OUT_DIR, OUT_PREFIX = "bhyvexml2xmloutdata", "bhyvexml2xmlout-"


def discover(root: str) -> list[Case]:
    """Pairs (input, output) by file name."""
    indir, outdir = os.path.join(root, IN_DIR), os.path.join(root, OUT_DIR)
    if not (os.path.isdir(indir) and os.path.isdir(outdir)):
        return []
    cases = []
    for fname in sorted(os.listdir(indir)):
        if not (fname.startswith(IN_PREFIX) and fname.endswith(".xml")):
            continue
        name = fname[len(IN_PREFIX):-len(".xml")]
        out = OUT_PREFIX + name + ".xml"
        if not os.path.isfile(os.path.join(outdir, out)):
            continue
        cases.append(Case(root, {"suite": SUITE, "name": name, "input": f"{IN_DIR}/{fname}",
                                 "expected": {"inactive": f"{OUT_DIR}/{out}"},
                                 "bhyve_caps": "bhyve-test"}))
    return cases


register_case_source(discover)


@contextlib.contextmanager
def mocked_mac_generation() -> Iterator[None]:
    """bhyvexml2argvmock's virMacAddrGenerate: prefix + 00:00:00."""
    from virtxml.model.devices import interface

    saved = interface.generate_mac
    interface.generate_mac = lambda prefix="52:54:00": prefix + ":00:00:00"
    try:
        yield
    finally:
        interface.generate_mac = saved


@register_suite(SUITE)
def bhyvexml2xml(case: Case) -> Result:
    from drivers import get_driver

    caps = case.get("bhyve_caps")
    opts = {"bhyve_caps": caps} if caps is not None else None
    parse = conf.make_parse(get_driver("bhyve"), options=opts, ctx_data={"host_arch": "x86_64"})
    with mocked_mac_generation():
        return conf.run_xml2xml(case, parse)
