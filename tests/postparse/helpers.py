"""Shared helpers for the post-parse tests: parse small documents with a
chosen driver."""

from __future__ import annotations

from typing import Any

from virtxml import api
from virtxml.binding import ParseContext
from virtxml.flags import FormatFlags

HEAD = """<domain type='qemu'>
  <name>t</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>219136</memory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    {boot}
  </os>
  {extra}
  <devices>
{devices}
  </devices>
</domain>
"""


def doc(devices: str = "", extra: str = "", boot: str = "<boot dev='hd'/>") -> str:
    return HEAD.format(devices=devices, extra=extra, boot=boot)


def parse(xml: str, driver: Any = "generic", flags: int = 0, host_arch: str = "x86_64") -> Any:
    ctx = ParseContext(flags, None)
    ctx.data["host_arch"] = host_arch
    return api.parse(xml, driver=driver, flags=flags, ctx=ctx)


def fmt(dom: Any, flags: int = FormatFlags.SECURE) -> str:
    return api.format(dom, flags)
