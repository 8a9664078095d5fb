"""The phyp driver: not in libvirt 9.0 (removed earlier); the last parser
config libvirt shipped (NAME_SLASH, callbacks that do nothing)."""

from __future__ import annotations

from drivers import get_driver, list_drivers
from postparse.driver import Feature

from .drvtest import cli_smoke, doc, parse


def test_registered_with_last_parser_config():
    assert "phyp" in list_drivers()
    drv = get_driver("phyp")
    assert drv.features == Feature.NAME_SLASH and drv.def_arch is None and drv.mac_prefix == "52:54:00"


def test_only_generic_steps():
    dom = parse(doc(virt="phyp", ostype="linux", arch="ppc64", name="lpar/1"), "phyp")
    assert dom.name == "lpar/1" and dom.os.type.arch == "ppc64"
    # no capability check: any triple goes through
    parse(doc(virt="kvm", arch="aarch64"), "phyp")


def test_cli_convert_and_lint(capsys):
    out = cli_smoke("phyp", "phyp.xml", capsys)
    assert "<type arch='ppc64'>linux</type>" in out
