"""Every tpm/watchdog/memballoon/rng/nvram/panic/shmem/memory/iommu/vsock
element of libvirt's formatted corpus outputs is a fixpoint of bind +
format (byte-identical, nothing ignored), and every such element of the
corpus inputs binds with nothing ignored (or fails with libvirt's error)."""

from __future__ import annotations

import json
import os
import re

import pytest
from lxml import etree

import virtxml.model.devices as D
from tests.corpus_paths import CORPUS, corpus_available
from virtxml.binding import ParseContext
from virtxml.errors import ParseError
from virtxml.flags import FormatFlags, ParseFlags

TAGS = {"tpm": D.TPM, "watchdog": D.Watchdog, "memballoon": D.Memballoon, "rng": D.RNG, "nvram": D.NVRAM,
        "panic": D.Panic, "shmem": D.Shmem, "memory": D.MemoryDevice, "iommu": D.IOMMU, "vsock": D.Vsock,
        "crypto": D.Crypto}

pytestmark = pytest.mark.skipif(not corpus_available() and os.environ.get("CI") != "true",
                                reason="corpus not available")


def _flags(path: str, root) -> tuple[int, int]:
    if "qemustatusxml2xml" in path:
        return int(ParseFlags.STATUS), int(FormatFlags.STATUS_FILE)
    if root.get("id") is not None:
        return int(ParseFlags.NONE), int(FormatFlags.SECURE)
    return int(ParseFlags.INACTIVE), int(FormatFlags.SECURE | FormatFlags.INACTIVE)


def _domain(path: str):
    root = etree.parse(path).getroot()
    if root.tag != "domain":
        root = root.find("domain")
    return root


def _cases() -> tuple[list[str], list[str]]:
    if not corpus_available():
        return [], []
    m = json.load(open(CORPUS / "manifest.json"))
    outs: set[str] = set()
    ins: set[str] = set()
    for c in m:
        ins.add(c["input"])
        for v in (c.get("expected") or {}).values():
            if isinstance(v, str) and v.endswith(".xml"):
                outs.add(v)
    return sorted(outs), sorted(ins)


OUTS, INS = _cases()


def test_corpus_has_my_elements():
    n = 0
    for rel in OUTS:
        root = _domain(str(CORPUS / rel))
        dev = root.find("devices") if root is not None else None
        n += sum(1 for el in (dev if dev is not None else []) if el.tag in TAGS)
    assert n > 500


def test_outputs_are_fixpoints():
    bad: list[str] = []
    for rel in OUTS:
        path = str(CORPUS / rel)
        root = _domain(path)
        if root is None or root.find("devices") is None:
            continue
        lines = open(path, encoding="utf-8").read().splitlines()
        pf, ff = _flags(path, root)
        for el in root.find("devices"):
            if el.tag not in TAGS:
                continue
            start = el.sourceline - 1
            end = start
            if not lines[start].rstrip().endswith("/>"):
                while lines[end].strip() != "</%s>" % el.tag:
                    end += 1
            expected = "\n".join(lines[start:end + 1]) + "\n"
            ind = re.match(r"\s*", lines[start]).group(0)
            ctx = ParseContext(pf, path)
            obj = TAGS[el.tag]._xml_parse(el, ctx)
            out: list[str] = []
            obj.xml_format(out, ind, ff)
            if "".join(out) != expected or ctx.ignored:
                bad.append(f"{rel}:{el.sourceline} {el.tag} ignored={ctx.ignored}")
    assert not bad, "\n".join(bad[:20])


def test_inputs_bind_without_ignoring():
    bad: list[str] = []
    for rel in INS:
        path = str(CORPUS / rel)
        root = _domain(path)
        if root is None or root.find("devices") is None:
            continue
        pf, _ff = _flags(path, root)
        for el in root.find("devices"):
            if el.tag not in TAGS:
                continue
            ctx = ParseContext(pf, path)
            try:
                TAGS[el.tag]._xml_parse(el, ctx)
            except ParseError as e:
                alt = [f for f in os.listdir(os.path.dirname(path))
                       if f.startswith(os.path.basename(path)[:-4]) and f.endswith(".err")]
                texts = [open(os.path.join(os.path.dirname(path), f)).read() for f in alt]
                if not any(e.message in t for t in texts):
                    bad.append(f"{rel}: unexpected error {e.message}")
                continue
            if ctx.ignored:
                bad.append(f"{rel}:{el.sourceline} {el.tag} ignored={ctx.ignored}")
    assert not bad, "\n".join(bad[:20])
