"""``<lease>`` (virDomainLeaseDefParseXML / virDomainLeaseDefFormat)."""

from __future__ import annotations

import re
from typing import Any

from ...binding import Custom, attribute, custom_format, element, escape, text_element, xml

#: libvirt 9.0 reports no message for a lease without a lockspace (checked)
UNKNOWN_ERROR = "An error occurred, but the cause is unknown"


@xml("target")
class LeaseTarget:
    path: str | None = attribute("path")
    #: the text as written until Lease's hook checks it (after key, lockspace, path)
    offset: int | None = attribute("offset", Custom(lambda s: s, str))


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
        # virDomainLeaseDefParseXML: key, lockspace, target, path, offset
        if not kw.get("key"):
            raise ctx.error(el, "Missing 'key' element for lease")
        if not kw.get("lockspace"):
            raise ctx.error(el, UNKNOWN_ERROR)
        t = kw.get("target")
        if t is None:
            raise ctx.error(el, "Missing 'target' element for lease")
        if t.path is None:
            raise ctx.error(el, "Missing 'path' attribute to 'target' element for lease")
        if isinstance(t.offset, str):
            try:
                t.offset = _ull(t.offset)
            except ValueError:
                raise ctx.error(el, f"Invalid value for attribute 'offset' in element 'target': '{t.offset}'. "
                                    "Expected non-negative integer value") from None

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
