"""Helpers for the tests of the libxl, vmware, esx, hyperv, vbox, vz,
openvz and phyp drivers: parse a small document with a driver, format it,
run the CLI on a sample guest of testdata/guests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drivers.common import format_host_caps
from virtxml import api
from virtxml.binding import ParseContext
from virtxml.caps.hostcaps import parse_host_caps
from virtxml.cli import main
from virtxml.flags import FormatFlags, ParseFlags

ROOT = Path(__file__).resolve().parents[2]
GUESTS = ROOT / "testdata" / "guests"
HOSTS = ROOT / "testdata" / "hosts"

DOC = """<domain type='{virt}'>
  <name>{name}</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>524288</memory>
  <vcpu placement='static'>1</vcpu>
  {pre}
  <os>
    <type{arch}>{ostype}</type>
    {os}
  </os>
  {extra}
  <devices>
{devices}
  </devices>
</domain>
"""


def doc(devices: str = "", *, virt: str, ostype: str = "hvm", arch: str | None = None, name: str = "g",
        os: str = "", extra: str = "", pre: str = "") -> str:
    return DOC.format(virt=virt, ostype=ostype, arch=f" arch='{arch}'" if arch else "", name=name,
                      os=os, extra=extra, pre=pre, devices=devices)


def parse(xml: str, driver: str, *, flags: int = ParseFlags.INACTIVE, host_arch: str = "x86_64",
          options: dict[str, Any] | None = None) -> Any:
    ctx = ParseContext(flags, None)
    ctx.data["host_arch"] = host_arch
    return api.parse(xml, driver=driver, flags=flags, ctx=ctx, options=options)


def fmt(dom: Any) -> str:
    return api.format(dom, FormatFlags.SECURE | FormatFlags.INACTIVE)


def profile_file_matches(path: Path, caps: Any) -> bool:
    """testdata/hosts/<profile>.xml is the built-in profile."""
    return (path.read_text() == format_host_caps(caps)
            and format_host_caps(parse_host_caps(str(path))) == format_host_caps(caps))


def cli_smoke(driver: str, guest: str, capsys: Any) -> str:
    """lint is clean and convert succeeds on a sample guest; the converted
    output is a fixpoint of convert (libvirt's output parses back to itself)."""
    path = GUESTS / guest
    assert main(["lint", "--quiet", "--driver", driver, str(path)]) == 0, capsys.readouterr()
    capsys.readouterr()
    assert main(["convert", "--driver", driver, str(path)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert out.startswith("<domain ")
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        again = Path(d) / "again.xml"
        again.write_text(out)
        assert main(["convert", "--driver", driver, str(again)]) == 0
        assert capsys.readouterr().out == out
    return out


def cli_convert_text(driver: str, xml: str, tmp_path: Path, capsys: Any, *extra: str) -> tuple[int, str, str]:
    f = tmp_path / "in.xml"
    f.write_text(xml)
    rc = main(["convert", "--driver", driver, *extra, str(f)])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def cli_lint_text(driver: str, xml: str, tmp_path: Path, capsys: Any, *extra: str) -> tuple[int, str]:
    f = tmp_path / "in.xml"
    f.write_text(xml)
    rc = main(["lint", "--no-schema", "--driver", driver, *extra, str(f)])
    return rc, capsys.readouterr().out
