"""``<shmem>`` (libvirt 9.0's virDomainShmemDefParseXML /
virDomainShmemDefFormat).

Output: ``<shmem name= role=>`` then ``<model type>`` (always, default
``ivshmem``), ``<size unit='M'>`` (the size in bytes shifted right by 20,
written when non-zero), ``<server path>``, ``<msi vectors ioeventfd>``,
``<alias>``, ``<acpi>``, ``<address>``; the element is always closed with
``</shmem>``.

Parse-time rules: ``name`` required ("shmem element must contain 'name'
attribute"); ``role`` is only read for the models ``ivshmem-plain`` and
``ivshmem-doorbell`` (``default`` refused); ``<size>`` is a scaled value
whose default unit is *bytes*; the server ``path`` is sanitised
(virFileSanitizePath); ``<msi>`` without ``<server>`` -> "msi option is only
supported with a server".  :attr:`Shmem.size` is in bytes.
"""

from __future__ import annotations

from typing import Any

import attrs

from ...binding import ONOFF, Enum, Int, attribute, custom_format, element, escape, xml
from ...binding.conv import ConvError, Scaled, parse_scaled
from ...binding.spec import SCALED, XSpec, _field
from .chardev import sanitize_path
from .info import ACPI, Address, Alias, Master
from .rng import check_attr, check_info, first_child, prechecked, scratch

SHMEM_MODELS = ("ivshmem", "ivshmem-plain", "ivshmem-doorbell")
SHMEM_ROLES = ("master", "peer")
_ULLONG_MAX = (1 << 64) - 1


class BytesScaled(Scaled):
    """A scaled size kept in bytes (virParseScaledValue with scale 1)."""

    def __init__(self, xpath: str, out_unit: str = "M") -> None:
        super().__init__(out_unit)
        self.xpath = xpath

    def parse_with_unit(self, value: str, unit: str | None, what: str) -> int:
        return parse_scaled(value, unit, self.xpath, default=1, max_bytes=_ULLONG_MAX)


_MODEL = Enum(SHMEM_MODELS)
_ROLE = Enum(("default",) + SHMEM_ROLES, zero="default")
_VECTORS = Int(base=0)


@xml("model")
class ShmemModel:
    type: str | None = attribute("type", _MODEL)


@xml("server")
class ShmemServer:
    path: str | None = attribute("path")


@xml("msi")
class ShmemMSI:
    vectors: int | None = attribute("vectors", _VECTORS)
    ioeventfd: bool | None = attribute("ioeventfd", ONOFF)


@xml("shmem")
class ShmemSizeProbe:
    """Checks ``./size[1]`` alone (the precheck of :class:`Shmem`)."""

    size: int | None = _field(XSpec(SCALED, "size", BytesScaled("./size[1]")))


@prechecked
@xml("shmem")
class Shmem:
    name: str | None = attribute("name")
    role: str | None = attribute("role")
    model: ShmemModel | None = element("model", ShmemModel)
    #: bytes
    size: int | None = _field(XSpec(SCALED, "size", BytesScaled("./size[1]")))
    server: ShmemServer | None = element("server", ShmemServer)
    msi: ShmemMSI | None = element("msi", ShmemMSI)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @staticmethod
    def _xml_precheck(el: Any, ctx: Any) -> None:
        m = first_child(el, "model")
        mtype = (check_attr(m, ctx, "type", _MODEL) if m is not None else None) or "ivshmem"
        if el.get("name") is None:
            raise ctx.error(el, "shmem element must contain 'name' attribute")
        if mtype != "ivshmem":
            check_attr(el, ctx, "role", _ROLE)
        sz = first_child(el, "size")
        if sz is not None:
            ShmemSizeProbe._xml_parse(el, scratch(ctx))
        msi = first_child(el, "msi")
        if msi is not None:
            check_attr(msi, ctx, "vectors", _VECTORS)
            check_attr(msi, ctx, "ioeventfd", ONOFF)
            if first_child(el, "server") is None:
                raise ctx.error(el, "msi option is only supported with a server")
        check_info(el, ctx)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        model = kw.get("model")
        mtype = model.type if model is not None and model.type is not None else "ivshmem"
        kw["model"] = ShmemModel(type=mtype)
        role = kw.pop("role", None)
        if mtype != "ivshmem" and role is not None:
            kw["role"] = role
        if not kw.get("size"):
            kw["size"] = None
        srv = kw.get("server")
        if srv is not None and srv.path is not None:
            kw["server"] = ShmemServer(path=sanitize_path(srv.path))
        msi = kw.get("msi")
        if msi is not None:
            if msi.vectors == 0:
                kw["msi"] = attrs.evolve(msi, vectors=None)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<shmem name='%s'" % escape(self.name or "")
        if self.role is not None:
            s += " role='%s'" % escape(self.role)
        out.append(s + ">\n")
        ci = ind + "  "
        mtype = self.model.type if self.model is not None and self.model.type else "ivshmem"
        out.append("%s<model type='%s'/>\n" % (ci, mtype))
        if self.size:
            out.append("%s<size unit='M'>%d</size>\n" % (ci, self.size >> 20))
        for f in (self.server, self.msi, self.alias, self.master, self.acpi, self.address):
            if f is not None:
                f.xml_format(out, ci, flags)
        out.append(ind + "</shmem>\n")


__all__ = ["Shmem", "ShmemModel", "ShmemServer", "ShmemMSI", "BytesScaled", "SHMEM_MODELS", "SHMEM_ROLES"]
