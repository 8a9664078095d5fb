"""Errors of the embedded drivers.

``message`` is libvirt's bare text (what ``virReportError`` formats);
``code`` is libvirt's error code name; :attr:`ConnectError.libvirt_message`
is the whole line libvirt prints (``virErrorMsg`` prefix + text), e.g.
``invalid argument: Missing URI parameter 'root'``."""

from __future__ import annotations

import errno as _errno
import os
from typing import Any

from ..errors import VirtXMLError

#: virErrorMsg (virerror.c): how libvirt prefixes a message of each code
_PREFIX = {
    "VIR_ERR_NO_CONNECT": "no connection driver available for {}",
    "VIR_ERR_INVALID_ARG": "invalid argument: {}",
    "VIR_ERR_CONFIG_UNSUPPORTED": "unsupported configuration: {}",
    "VIR_ERR_INTERNAL_ERROR": "internal error: {}",
    "VIR_ERR_OPERATION_FAILED": "operation failed: {}",
    "VIR_ERR_OPERATION_INVALID": "Requested operation is not valid: {}",
    "VIR_ERR_NO_DOMAIN": "Domain not found: {}",
    "VIR_ERR_NO_SECRET": "Secret not found: {}",
    "VIR_ERR_INVALID_SECRET": "Invalid secret: {}",
    "VIR_ERR_XML_ERROR": "XML error: {}",
    "VIR_ERR_XML_DETAIL": "{}",
    "VIR_ERR_NO_NAME": "missing name information in {}",
    "VIR_ERR_INVALID_CONN": "invalid connection pointer in {}",
    "VIR_ERR_SYSTEM_ERROR": "{}",
}


class ConnectError(VirtXMLError):
    """A connection-level or driver-level failure (open, define, start, ...)."""

    rule = "connect"

    def __init__(self, message: str, *, code: str = "VIR_ERR_INTERNAL_ERROR", **kw: Any) -> None:
        super().__init__(message, **kw)
        self.code = code

    @property
    def libvirt_message(self) -> str:
        return _PREFIX.get(self.code, "{}").format(self.message)


class OperationError(ConnectError):
    """A domain or secret operation refused (lookup, define, start, ...)."""

    rule = "operation"


def system_error(err: OSError | int, text: str) -> ConnectError:
    """libvirt's virReportSystemError: ``text + ": " + strerror(errno)``."""
    num = err if isinstance(err, int) else (err.errno or 0)
    return ConnectError(f"{text}: {os.strerror(num)}", code="VIR_ERR_SYSTEM_ERROR")


def is_lock_busy(err: OSError) -> bool:
    return err.errno in (_errno.EAGAIN, _errno.EACCES)
