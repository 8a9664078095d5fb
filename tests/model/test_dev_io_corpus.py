"""Corpus checks for the interface/chardev/graphics/video/input/sound/audio
model: every libvirt-formatted device element of the corpus outputs is a
fixpoint of bind+format, and every corpus input binds with nothing
ignored in these elements (the devices are bound one by one, so other
areas of the model do not interfere)."""

from __future__ import annotations

import glob
import json
import os
import re

import pytest
from lxml import etree

from tests.corpus_paths import CORPUS, corpus_available
from virtxml.binding import ParseContext
from virtxml.errors import ParseError
from virtxml.flags import FormatFlags, ParseFlags
from virtxml.model.devices.audio import Audio
from virtxml.model.devices.chardev import Channel, Console, Parallel, Serial
from virtxml.model.devices.graphics import Graphics
from virtxml.model.devices.input import Input
from virtxml.model.devices.interface import Interface
from virtxml.model.devices.sound import Sound
from virtxml.model.devices.video import Video

CLASSES = {"interface": Interface, "serial": Serial, "parallel": Parallel, "console": Console,
           "channel": Channel, "graphics": Graphics, "video": Video, "input": Input, "sound": Sound,
           "audio": Audio}

pytestmark = pytest.mark.skipif(not corpus_available() and os.environ.get("CI") != "true",
                                reason="corpus not available")

OUTPUT_DIRS = ["qemuxml2xmloutdata", "genericxml2xmloutdata", "lxcxml2xmloutdata", "bhyvexml2xmloutdata",
               "lxcxml2xmldata"]
INPUT_DIRS = ["qemuxml2argvdata", "genericxml2xmlindata", "lxcxml2xmldata", "bhyvexml2argvdata",
              "domainschemadata"]


def _files(dirs: list[str]) -> list[str]:
    out: list[str] = []
    for d in dirs:
        out += sorted(glob.glob(str(CORPUS / d / "*.xml")))
    return out


def _block(lines: list[str], el: etree._Element) -> str:
    s = el.sourceline - 1
    if lines[s].rstrip().endswith("/>"):
        return lines[s] + "\n"
    ind = re.match(r"\s*", lines[s]).group(0)  # type: ignore[union-attr]
    e = s
    while not lines[e].startswith(ind + "</%s>" % el.tag):
        e += 1
    return "\n".join(lines[s:e + 1]) + "\n"


def _domains(root: etree._Element) -> tuple[etree._Element | None, bool]:
    if root.tag == "domstatus":
        return root.find("domain"), True
    return (root if root.tag == "domain" else None), False


def _check_outputs(files: list[str]) -> tuple[int, list[str]]:
    ok = 0
    bad: list[str] = []
    for f in files:
        data = open(f, "rb").read()
        try:
            root = etree.fromstring(data)
        except etree.XMLSyntaxError:
            continue
        dom, status = _domains(root)
        if dom is None:
            continue
        if status:
            pflags = ParseFlags.STATUS | ParseFlags.ACTUAL_NET | ParseFlags.PCI_ORIG_STATES
            fflags = FormatFlags.STATUS_FILE
        else:
            active = "-active" in f or dom.get("id") is not None
            pflags = ParseFlags.NONE if active else ParseFlags.INACTIVE
            fflags = FormatFlags.SECURE | (FormatFlags.NONE if dom.get("id") is not None else FormatFlags.INACTIVE)
        lines = data.decode().split("\n")
        devs = dom.find("devices")
        if devs is None:
            continue
        for el in devs:
            cls = CLASSES.get(el.tag) if isinstance(el.tag, str) else None
            if cls is None:
                continue
            want = _block(lines, el)
            ctx = ParseContext(pflags, f)
            out: list[str] = []
            cls._xml_parse(el, ctx).xml_format(out, re.match(r"\s*", want).group(0), int(fflags))
            if "".join(out) == want:
                ok += 1
            else:
                bad.append("%s:%d" % (os.path.basename(f), el.sourceline))
    return ok, bad


def test_outputs_are_fixpoints() -> None:
    ok, bad = _check_outputs(_files(OUTPUT_DIRS))
    assert bad == []
    assert ok > 2000


def test_status_outputs_are_fixpoints() -> None:
    ok, bad = _check_outputs(sorted(glob.glob(str(CORPUS / "qemustatusxml2xmldata" / "*-out.xml"))))
    assert bad == []
    assert ok > 50


def _refused_inputs() -> set[str]:
    out = set()
    for c in json.loads((CORPUS / "manifest.json").read_text()):
        if c.get("expect") == "parse-error":
            out.add(os.path.basename(c["input"]))
    return out


def test_inputs_bind_with_nothing_ignored() -> None:
    refused = _refused_inputs()
    files = _files(INPUT_DIRS) + sorted(glob.glob(str(CORPUS / "qemustatusxml2xmldata" / "*-in.xml")))
    ignored: list[str] = []
    unexpected_errors: list[str] = []
    n = 0
    for f in files:
        try:
            root = etree.parse(f).getroot()
        except etree.XMLSyntaxError:
            continue
        dom, status = _domains(root)
        if dom is None or dom.find("devices") is None:
            continue
        pflags = (ParseFlags.STATUS | ParseFlags.ACTUAL_NET | ParseFlags.PCI_ORIG_STATES) if status else 0
        for el in dom.find("devices"):
            cls = CLASSES.get(el.tag) if isinstance(el.tag, str) else None
            if cls is None:
                continue
            for flags in (pflags, pflags | ParseFlags.INACTIVE):
                ctx = ParseContext(flags, f)
                try:
                    cls._xml_parse(el, ctx)
                except ParseError as e:
                    if os.path.basename(f) not in refused:
                        unexpected_errors.append("%s: %s" % (os.path.basename(f), e))
                    break
                n += 1
                ignored += ["%s:%s %s %s" % (os.path.basename(f), line, path, what)
                            for line, path, what in ctx.ignored]
    assert ignored == []
    assert unexpected_errors == []
    assert n > 3500
