"""Conformance suite ``lxcxml2xml`` (libvirt's tests/lxcxml2xmltest.c): the
LXC driver's post-parse on libvirt's LXC test host (the built-in
``lxc-test`` profile), inactive and active outputs compared byte for byte."""

from __future__ import annotations

from virtxml import conformance as conf
from virtxml.conformance import Case, Result, register_suite


@register_suite("lxcxml2xml")
def lxcxml2xml(case: Case) -> Result:
    from drivers import get_driver

    parse = conf.make_parse(get_driver("lxc"), ctx_data={"host_arch": "x86_64"})
    return conf.run_xml2xml(case, parse)
