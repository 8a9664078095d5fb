"""Drivers are found through the ``virtxml.drivers`` entry-point group: a
third-party distribution (a dist-info folder with entry_points.txt on a
temporary PYTHONPATH) adds a driver that ``virtxml lint --driver`` and
``virtxml convert --driver`` then use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from drivers import BUILTIN, get_driver, list_drivers
from virtxml.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]

DRIVER_SRC = '''
from postparse.driver import Driver, Feature
from virtxml.errors import PostParseError


class ThirdPartyDriver(Driver):
    name = "thirdparty"
    features = Feature.INDIVIDUAL_VCPUS
    def_arch = "i686"
    description = "a driver from another distribution"

    def domain(self, dom, ctx):
        if dom.name == "refuse-me":
            raise PostParseError("refused by the third-party driver")
        dom.title = "completed by thirdparty"


driver = ThirdPartyDriver()
'''

DOC = """<domain type='test'>
  <name>{name}</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>219136</memory>
  <os>
    <type>hvm</type>
  </os>
</domain>
"""


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """A temporary 'installed' distribution registering driver ``thirdparty``."""
    site = tmp_path / "site"
    pkg = site / "thirdparty_virtxml_driver"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(DRIVER_SRC)
    dist = site / "thirdparty_virtxml_driver-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: thirdparty-virtxml-driver\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[virtxml.drivers]\nthirdparty = thirdparty_virtxml_driver:driver\n")
    return site


def _run(args: list[str], pythonpath: list[Path]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in [*pythonpath, ROOT])
    return subprocess.run([sys.executable, "-m", "virtxml", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)


def test_third_party_driver_used_by_convert_and_lint(site: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.xml"
    good.write_text(DOC.format(name="ok"))
    r = _run(["convert", "--driver", "thirdparty", str(good)], [site])
    assert r.returncode == 0, r.stderr
    assert "<title>completed by thirdparty</title>" in r.stdout
    assert "<type arch='i686'>hvm</type>" in r.stdout  # the driver's default arch

    bad = tmp_path / "bad.xml"
    bad.write_text(DOC.format(name="refuse-me"))
    r = _run(["lint", "--driver", "thirdparty", str(bad)], [site])
    assert r.returncode == 1, r.stdout + r.stderr
    assert "refused by the third-party driver" in r.stdout

    r = _run(["lint", "--quiet", "--driver", "thirdparty", str(good)], [site])
    assert r.returncode == 0, r.stdout + r.stderr


def test_unknown_driver_lists_known_ones_including_third_party(site: Path, tmp_path: Path) -> None:
    f = tmp_path / "a.xml"
    f.write_text(DOC.format(name="a"))
    for cmd in ("lint", "convert"):
        r = _run([cmd, "--driver", "no-such-driver", str(f)], [site])
        assert r.returncode == 2
        assert "unknown driver 'no-such-driver'" in r.stderr
        listed = r.stderr.split("known drivers:", 1)[1]
        for name in ("thirdparty", "lxc", "bhyve", "qemu", "test", "generic"):
            assert name in listed


def test_without_the_distribution_the_driver_is_unknown(tmp_path: Path) -> None:
    f = tmp_path / "a.xml"
    f.write_text(DOC.format(name="a"))
    r = _run(["convert", "--driver", "thirdparty", str(f)], [])
    assert r.returncode == 2
    assert "unknown driver 'thirdparty'" in r.stderr


def test_builtin_drivers_registered() -> None:
    for name in ("lxc", "bhyve"):
        assert name in BUILTIN and name in list_drivers()
        assert get_driver(name).name == name
    with pytest.raises(UsageError) as ei:
        get_driver("no-such-driver")
    assert "lxc" in ei.value.message and "bhyve" in ei.value.message
