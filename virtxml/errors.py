"""Error objects.  Every error carries where it happened (file, line, element
path) and, where libvirt has one, libvirt's exact message text."""

from __future__ import annotations

from typing import Any


class VirtXMLError(Exception):
    """Base class of every error virtxml raises on purpose.

    ``message`` is the bare text (libvirt's text where libvirt has one);
    ``str(err)`` adds the location when known.
    """

    rule = "error"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        rule: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        if rule is not None:
            self.rule = rule
        self.hint = hint

    #: the model object the error is about (a device, ``dom.os``, ...), when
    #: the raising code knows it better than the pipeline does; see
    #: virtxml.locations
    subject: Any = None

    def about(self, obj: Any) -> "VirtXMLError":
        """Name the model object this error concerns; returns self."""
        self.subject = obj
        return self

    def located(self, **kw: Any) -> "VirtXMLError":
        """Fill in location fields that are still unknown; returns self."""
        for key, value in kw.items():
            if value is not None and getattr(self, key, None) is None:
                setattr(self, key, value)
        return self

    def __str__(self) -> str:
        loc = ""
        if self.file is not None:
            loc = f"{self.file}:{self.line or 0}:{self.column or 0}: "
        elif self.line is not None:
            loc = f"line {self.line}: "
        return loc + self.message


class XMLSyntaxError(VirtXMLError):
    """The bytes are not a well-formed (or not an acceptable) XML document."""

    rule = "xml-syntax"


class InputError(VirtXMLError):
    """A file or stream could not be read (I/O, not content)."""

    rule = "io"


class XMLSecurityError(XMLSyntaxError):
    """Entities, DTDs, external references or size limits."""

    rule = "xml-security"


class SchemaError(VirtXMLError):
    """The document does not match schemas/domain.xsd."""

    rule = "schema"


class ParseError(VirtXMLError):
    """A parse-time rule of libvirt's domain parser (libvirt's own text)."""

    rule = "parse"


class PostParseError(VirtXMLError):
    """A post-parse callback refused the definition."""

    rule = "post-parse"


class PostParseTolerableError(PostParseError):
    """A post-parse failure libvirt tolerates under ALLOW_POST_PARSE_FAIL
    (its callbacks return 1)."""

    rule = "post-parse-tolerable"


class ValidationError(VirtXMLError):
    """Define-time semantic validation (libvirt's virDomainDefValidate)."""

    rule = "validate"


class UsageError(VirtXMLError):
    """Bad command line or API usage."""

    rule = "usage"
