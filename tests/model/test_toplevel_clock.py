"""<clock> and its timers."""

from __future__ import annotations

import pytest

from tests.model.test_toplevel_support import bind, fmt, parse_error, roundtrip, section
from virtxml.flags import FormatFlags


@pytest.mark.parametrize("src,out", [
    ("<clock/>", "<clock offset='utc'/>"),
    ("<clock offset='localtime' adjustment='reset'/>", "<clock offset='localtime' adjustment='reset'/>"),
    ("<clock offset='utc' adjustment='-3600'/>", "<clock offset='variable' adjustment='-3600' basis='utc'/>"),
    ("<clock offset='localtime' adjustment='+10'/>", "<clock offset='variable' adjustment='10' basis='localtime'/>"),
    ("<clock offset='variable'/>", "<clock offset='variable' adjustment='0' basis='utc'/>"),
    ("<clock offset='variable' adjustment='12.5' basis='localtime'/>",
     "<clock offset='variable' adjustment='0' basis='localtime'/>"),
    ("<clock offset='timezone' timezone='Europe/Paris'/>", "<clock offset='timezone' timezone='Europe/Paris'/>"),
    ("<clock offset='absolute' start='1234'/>", "<clock offset='absolute' start='1234'/>"),
    ("<clock offset='utc' timezone='x' start='5' basis='localtime'/>", "<clock offset='utc'/>"),
])
def test_offsets(src: str, out: str) -> None:
    assert roundtrip("  " + src + "\n", "clock") == "  " + out + "\n"


def test_adjustment0_only_with_clock_adjust() -> None:
    dom = bind("  <clock offset='variable' adjustment='5' adjustment0='7'/>\n")
    assert section(fmt(dom), "clock") == "  <clock offset='variable' adjustment='5' basis='utc'/>\n"
    out = fmt(dom, FormatFlags.SECURE | FormatFlags.INACTIVE | FormatFlags.CLOCK_ADJUST)
    assert section(out, "clock") == "  <clock offset='variable' adjustment='5' basis='utc' adjustment0='7'/>\n"


def test_timers() -> None:
    body = """  <clock offset='utc'>
    <timer name='tsc' frequency='1000' mode='native' present='yes' track='guest'/>
    <timer name='rtc' tickpolicy='catchup' track='guest'>
      <catchup limit='10000' threshold='123' slew='120'/>
    </timer>
    <timer name='pit' tickpolicy='delay' mode='auto'><catchup/></timer>
    <timer name='hpet' present='no'/>
  </clock>
"""
    # track only for platform/rtc, frequency and mode only for tsc
    assert roundtrip(body, "clock") == """  <clock offset='utc'>
    <timer name='tsc' present='yes' frequency='1000' mode='native'/>
    <timer name='rtc' tickpolicy='catchup' track='guest'>
      <catchup threshold='123' slew='120' limit='10000'/>
    </timer>
    <timer name='pit' tickpolicy='delay'/>
    <timer name='hpet' present='no'/>
  </clock>
"""


@pytest.mark.parametrize("src,msg", [
    ("<clock offset='gmt'/>", "unknown clock offset 'gmt'"),
    ("<clock offset='utc' adjustment='soon'/>", "unknown clock adjustment 'soon'"),
    ("<clock offset='variable' basis='gmt'/>", "unknown clock basis 'gmt'"),
    ("<clock offset='timezone'/>", "missing 'timezone' attribute for clock with offset='timezone'"),
    ("<clock offset='absolute'/>", "missing 'start' attribute for clock with offset='absolute'"),
    ("<clock offset='absolute' start='x'/>", "missing 'start' attribute for clock with offset='absolute'"),
    ("<clock><timer/></clock>", "Missing required attribute 'name' in element 'timer'"),
    ("<clock><timer name='apic'/></clock>", "Invalid value for attribute 'name' in element 'timer': 'apic'."),
    ("<clock><timer name='rtc' tickpolicy='none'/></clock>",
     "Invalid value for attribute 'tickpolicy' in element 'timer': 'none'."),
    ("<clock><timer name='rtc' present='on'/></clock>",
     "Invalid value for attribute 'present' in element 'timer': 'on'."),
    ("<clock><timer name='tsc' frequency='-1'/></clock>",
     "Invalid value for attribute 'frequency' in element 'timer': '-1'. Expected non-negative integer value"),
    ("<clock><timer name='rtc'><catchup slew='x'/></timer></clock>",
     "Invalid value for attribute 'slew' in element 'catchup': 'x'. Expected non-negative integer value"),
])
def test_clock_errors(src: str, msg: str) -> None:
    assert parse_error("  " + src + "\n") == msg
