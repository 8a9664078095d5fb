"""virtxml: libvirt domain XML without libvirt.

    >>> import virtxml
    >>> dom = virtxml.parse("guest.xml", driver="test")
    >>> print(virtxml.format(dom, virtxml.FormatFlags.INACTIVE))
"""

from __future__ import annotations

from .api import bind, format, load_tree, parse
from .connect import open  # noqa: A004 - libvirt's name: virtxml.open("qemu:///embed?root=...")
from .errors import (ParseError, PostParseError, PostParseTolerableError, SchemaError,
                     ValidationError, VirtXMLError, XMLSecurityError, XMLSyntaxError)
from .flags import FormatFlags, ParseFlags, XMLDescFlags
from .model import Domain

__version__ = "0.1.0"

__all__ = [
    "parse", "format", "bind", "open", "load_tree", "Domain", "ParseFlags", "FormatFlags", "XMLDescFlags",
    "VirtXMLError", "XMLSyntaxError", "XMLSecurityError", "SchemaError", "ParseError",
    "PostParseError", "PostParseTolerableError", "ValidationError",
]
