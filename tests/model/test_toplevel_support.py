"""Helpers for the top-level (non-device) model tests: wrap a snippet in a
minimal <domain>, bind it with libvirt's parse-time rules and format it."""

from __future__ import annotations

import pytest
from lxml import etree

from virtxml.binding import ParseContext
from virtxml.errors import ParseError
from virtxml.flags import FormatFlags, ParseFlags
from virtxml.model import Domain

HEAD = "<domain type='kvm'>\n  <name>t</name>\n"
OS = "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n  </os>\n"


def bind(body: str, *, flags: int = ParseFlags.INACTIVE, os: bool = True, attrs: str = "") -> Domain:
    text = HEAD.replace("type='kvm'", "type='kvm'" + attrs) + body + (OS if os and "<os" not in body else "") + "</domain>\n"
    return Domain._xml_parse(etree.fromstring(text), ParseContext(flags))


def fmt(dom: Domain, flags: int = FormatFlags.SECURE | FormatFlags.INACTIVE) -> str:
    out: list[str] = []
    dom.xml_format(out, "", int(flags))
    return "".join(out)


def section(text: str, tag: str) -> str:
    """The lines of top-level element ``tag`` (2-space indented) in ``text``."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    inside = False
    for ln in lines:
        if ln.startswith(f"  <{tag}") and (ln[len(tag) + 3] in " />"):
            inside = True
            out.append(ln)
            if ln.rstrip().endswith("/>") or f"</{tag}>" in ln:
                inside = False
            continue
        if inside:
            out.append(ln)
            if ln.startswith(f"  </{tag}>"):
                inside = False
    return "".join(out)


def roundtrip(body: str, tag: str, **kw: object) -> str:
    return section(fmt(bind(body, **kw)), tag)  # type: ignore[arg-type]


def parse_error(body: str, **kw: object) -> str:
    with pytest.raises(ParseError) as ei:
        bind(body, **kw)  # type: ignore[arg-type]
    return ei.value.message


def test_minimal_domain_defaults() -> None:
    out = fmt(bind(""))
    # libvirt always writes <vcpu>, <clock>, the lifecycle actions and <devices>
    assert "  <vcpu placement='static'>1</vcpu>\n" in out
    assert "  <clock offset='utc'/>\n" in out
    assert "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n" \
           "  <on_crash>destroy</on_crash>\n" in out
    assert "  <devices>\n  </devices>\n" in out


def test_top_level_order() -> None:
    body = ("  <on_crash>restart</on_crash>\n  <clock offset='localtime'/>\n"
            "  <features><acpi/></features>\n  <vcpu>2</vcpu>\n  <memory>1024</memory>\n"
            "  <cpu mode='host-passthrough'/>\n  <pm><suspend-to-mem enabled='no'/></pm>\n"
            "  <seclabel type='none'/>\n  <currentMemory>512</currentMemory>\n")
    out = fmt(bind(body))
    order = ["<name>", "<memory ", "<currentMemory ", "<vcpu ", "<os>", "<features>", "<cpu ",
             "<clock ", "<on_poweroff>", "<on_reboot>", "<on_crash>", "<pm>", "<devices>", "<seclabel "]
    pos = [out.index(x) for x in order]
    assert pos == sorted(pos)


def test_domain_id_only_when_active() -> None:
    dom = bind("", attrs=" id='5'", flags=ParseFlags.NONE)
    assert dom.id == 5
    assert fmt(dom, FormatFlags.SECURE).startswith("<domain type='kvm' id='5'>")
    assert fmt(dom).startswith("<domain type='kvm'>")
    assert bind("", attrs=" id='5'", flags=ParseFlags.INACTIVE).id is None
    assert bind("", attrs=" id='-1'", flags=ParseFlags.INACTIVE).id is None
    assert parse_error("", attrs=" id='-1'", flags=ParseFlags.NONE) == \
        "Invalid value for attribute 'id' in element 'domain': '-1'. Expected non-negative value"
