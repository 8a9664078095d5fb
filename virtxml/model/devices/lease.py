"""``<lease>`` (virDomainLeaseDefParseXML / virDomainLeaseDefFormat)."""

from __future__ import annotations

import re
from typing import Any

from ...binding import Custom, attribute, custom_format, element, escape, text_element, xml

#: libvirt 9.0 reports no message for a bad lease target (checked)
UNKNOWN_ERROR = "An error occurred, but the cause is unknown"


@xml("target")
class LeaseTarget:
    path: str | None = attribute("path")
    offset: int | None = attribute("offset", Custom(lambda s: _ull(s), str, message=UNKNOWN_ERROR))


def _ull(s: str) -> int:
    if re.fullmatch(r"\s*\+?\d+", s) is None or int(s) > (1 << 64) - 1:
        raise ValueError(s)
    return int(s)


@xml("lease")
class Lease:
    lockspace: str | None = text_element("lockspace")
    key: str | None = text_element("key")
    target: LeaseTarget | None = element("target", LeaseTarget)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("key") is None:
            raise ctx.error(el, "Missing 'key' element for lease")
        t = kw.get("target")
        if t is None or t.path is None:
            raise ctx.error(el, UNKNOWN_ERROR)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        ci = ind + "  "
        out.append(ind + "<lease>\n")
        if self.lockspace is not None:
            out.append("%s<lockspace>%s</lockspace>\n" % (ci, escape(self.lockspace)))
        if self.key is not None:
            out.append("%s<key>%s</key>\n" % (ci, escape(self.key)))
        t = self.target
        s = ci + "<target"
        if t is not None and t.path is not None:
            s += " path='%s'" % escape(t.path)
        if t is not None and t.offset:
            s += " offset='%d'" % t.offset
        out.append(s + "/>\n")
        out.append(ind + "</lease>\n")


__all__ = ["Lease", "LeaseTarget"]
