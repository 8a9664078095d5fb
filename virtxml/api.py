"""The public pipeline: bytes -> Domain -> bytes.

``parse`` runs libvirt's whole define-time pipeline (safe parse, optional
schema check, binding with parse-time rules, post-parse, validation) with a
driver; ``format`` writes libvirt's bytes under FormatFlags."""

from __future__ import annotations

import os
from typing import Any

from .binding import ParseContext, from_xml_element
from .binding.compiler import flag_bits
from .errors import ParseError
from .locations import SourceMap
from .flags import FormatFlags, ParseFlags
from .model import Domain
from . import parserules
from . import schema as _schema
from .safexml import parse_bytes, read_source

Source = str | bytes | os.PathLike[str]

_FMT_INACTIVE = int(FormatFlags.INACTIVE)
_VALIDATE_SCHEMA = int(ParseFlags.VALIDATE_SCHEMA)
_SKIP_VALIDATE = int(ParseFlags.SKIP_VALIDATE)


def load_tree(source: Source, *, file: str | None = None) -> tuple[Any, str | None]:
    data, fname = read_source(source)
    fname = file or fname
    return parse_bytes(data, fname), fname


def bind(root: Any, *, flags: int = 0, file: str | None = None, parser_config: Any = None,
         ctx: ParseContext | None = None) -> Domain:
    """Element tree -> Domain with libvirt's parse-time rules; no post-parse."""
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag != "domain":
        local = tag.rpartition("}")[2] if tag else str(root.tag)
        raise ParseError(f"expecting root element of 'domain', not '{local}'", file=file,
                         line=root.sourceline, path="/" + local, rule="root-element")
    ctx = ctx or ParseContext(flags, file)
    ctx.flags = flags
    ctx.file = file
    ctx.located = SourceMap()
    if parser_config is not None:
        ctx.data["parser_config"] = parser_config
    try:
        dom = from_xml_element(Domain, root, ctx)
    except ParseError as err:
        pruned = parserules.without_unread_resctrl(root, err)
        if pruned is not None:
            return bind(pruned, flags=flags, file=file, parser_config=parser_config, ctx=ctx)
        raise parserules.seclabels_first(root, ctx, err) from None
    dom.source_file = file
    ctx.located[id(dom)] = (dom, root)
    dom.source_elements = ctx.located

    parserules.apply(dom, root, ctx)
    return dom


def parse(source: Source, *, driver: Any = "test", flags: int = ParseFlags.NONE,
          options: dict[str, Any] | None = None, schema: bool = False, file: str | None = None,
          ctx: ParseContext | None = None) -> Domain:
    """Parse domain XML the way libvirt's define does with ``driver``.

    ``source`` is a path, an XML string or bytes.  ``schema=True`` (or
    ``ParseFlags.VALIDATE_SCHEMA``) checks schemas/domain.xsd first."""
    get_driver, engine = _pipeline()
    drv = get_driver(driver) if isinstance(driver, str) else driver
    root, fname = load_tree(source, file=file)
    bits = int(flags)
    if schema or bits & _VALIDATE_SCHEMA:
        _schema.check(root, fname)
    dom = bind(root, flags=flags, file=fname, parser_config=drv, ctx=ctx)
    pctx = engine.post_parse(dom, drv, flags, options)
    if not bits & _SKIP_VALIDATE:
        engine.validate(dom, drv, pctx)
    return dom


_deps: list[Any] = []


def _pipeline() -> Any:
    """(get_driver, post-parse engine), imported on first use: drivers and
    postparse import virtxml, so not at module level."""
    if not _deps:
        from drivers import get_driver
        from postparse import engine

        _deps[:] = [(get_driver, engine)]
    return _deps[0]


def format(dom: Domain, flags: int = FormatFlags.NONE) -> str:  # noqa: A001 - public name
    """libvirt's virDomainDefFormat: INACTIVE is forced when ``dom.id`` is unset."""
    bits = int(flags)
    if dom.id is None or dom.id == -1:
        bits |= _FMT_INACTIVE
    out: list[str] = []
    dom.xml_format(out, "", flag_bits(bits))
    return "".join(out)
