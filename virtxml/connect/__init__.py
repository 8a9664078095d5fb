"""Embedded drivers: ``virtxml.connect.open(uri)``.

* ``qemu:///embed?root=PATH`` — guest definitions kept under PATH in
  libvirt's layout, locked against a second process, crash-safe writes;
* ``secret:///embed?root=PATH`` — a small secret store beside it;
* ``test:///default`` — libvirt's test driver, in memory.

See docs/embedded.md."""

from __future__ import annotations

from .connection import Connection, DomainHandle, SecretConnection, SecretHandle, open
from .errors import ConnectError, OperationError

__all__ = ["open", "Connection", "DomainHandle", "SecretConnection", "SecretHandle",
           "ConnectError", "OperationError"]
