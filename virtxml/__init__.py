"""virtxml: libvirt domain XML without libvirt.

    >>> import virtxml
    >>> dom = virtxml.parse("guest.xml", driver="test")
    >>> print(virtxml.format(dom, virtxml.FormatFlags.INACTIVE))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api import bind, format, load_tree, parse
from .errors import (ParseError, PostParseError, PostParseTolerableError, SchemaError,
                     ValidationError, VirtXMLError, XMLSecurityError, XMLSyntaxError)
from .flags import FormatFlags, ParseFlags, XMLDescFlags
from .model import Domain

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .connect import Connection, SecretConnection


def open(name: str, *, options: dict[str, Any] | None = None,  # noqa: A001 - libvirt's verb
         parse_driver: Any = None) -> "Connection | SecretConnection":
    """``virtxml.connect.open``: an embedded connection (``qemu:///embed?root=PATH``,
    ``secret:///embed?root=PATH``, ``test:///default``).  The connection
    code is imported on first use: parsing and linting do not need it."""
    from .connect import open as _open

    return _open(name, options=options, parse_driver=parse_driver)

__all__ = [
    "parse", "format", "bind", "open", "load_tree", "Domain", "ParseFlags", "FormatFlags", "XMLDescFlags",
    "VirtXMLError", "XMLSyntaxError", "XMLSecurityError", "SchemaError", "ParseError",
    "PostParseError", "PostParseTolerableError", "ValidationError",
]
