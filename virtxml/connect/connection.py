"""Connections and the per-process registry of driver instances.

libvirt initialises a driver once per process; every connection to it
shares its state.  An embedded driver is tied to one root for as long as it
is open: a second root gives libvirt's ``Cannot open embedded driver at
path '%s', already open with path '%s'``.  When the last connection to a
driver closes, its lock is released (and a new root may be opened)."""

from __future__ import annotations

import os
import threading
import uuid as _uuid_mod
from typing import Any, Iterator

from ..errors import VirtXMLError
from ..flags import XMLDescFlags
from . import uri as _uri
from .domains import DomainDriver, DomainObj, QemuEmbedDriver, TestDomainDriver, no_domain_uuid, uuid_key
from .errors import ConnectError, OperationError
from .secrets import SecretDriver, SecretObj

_registry: dict[str, Any] = {}
_registry_lock = threading.Lock()


def open(name: str, *, options: dict[str, Any] | None = None,  # noqa: A001 - libvirt's verb
         parse_driver: Any = None) -> "Connection | SecretConnection":
    """Open a connection: ``qemu:///embed?root=PATH``, ``secret:///embed?root=PATH``
    or ``test:///default``.

    ``options`` are handed to the post-parse pipeline (capability sources,
    qemu.conf, ...).  ``parse_driver`` overrides the post-parse driver used
    for definitions (default: the URI's driver); it applies when the
    driver instance is created, i.e. on the first open in a process."""
    target = _uri.resolve(name)
    options = dict(options or {})
    with _registry_lock:
        _forget_inherited()
        if target.driver in ("qemu", "secret"):
            state = _registry.get(target.driver)
            if not target.embed:
                # qemuConnectOpen / secretConnectOpen on an embedded driver
                if state is not None:
                    target.uri.get_param("root")
                    raise ConnectError(f"URI must be {target.driver}:///embed")
                raise _uri.no_connect(f"{name} (virtxml has no libvirt daemon to talk to; use "
                                      f"{target.driver}:///embed?root=PATH)")
            if state is not None:
                if state.root != target.root:
                    raise ConnectError(f"Cannot open embedded driver at path '{target.root}', "
                                       f"already open with path '{state.root}'")
            elif target.driver == "qemu":
                state = QemuEmbedDriver(target.root or "", parse_driver or "qemu", options)
                _registry["qemu"] = state
            else:
                state = SecretDriver(target.root or "")
                _registry["secret"] = state
        else:
            state = _registry.get("test")
            if state is None:
                state = TestDomainDriver(parse_driver or "test", options)
                _registry["test"] = state
        state.refs += 1
        state.owner_pid = os.getpid()
    if target.driver == "secret":
        return SecretConnection(name, state)
    return Connection(name, state)


def _forget_inherited() -> None:
    """After fork() the child inherits the registry but not the POSIX locks:
    drop those entries without closing them (closing would unlink the pid
    file the parent still holds)."""
    pid = os.getpid()
    for key, state in list(_registry.items()):
        if getattr(state, "owner_pid", pid) != pid:
            del _registry[key]


def _release(key: str, state: Any) -> None:
    with _registry_lock:
        if getattr(state, "owner_pid", os.getpid()) != os.getpid():
            return  # inherited through fork(): the parent owns it
        state.refs -= 1
        if state.refs <= 0 and _registry.get(key) is state:
            del _registry[key]
            state.close()


class _Base:
    def __init__(self, uri: str, state: Any) -> None:
        self.uri = uri
        self._state = state
        self._closed = False

    def _live(self) -> Any:
        if self._closed:
            raise ConnectError("invalid connection pointer in this connection (closed)",
                               code="VIR_ERR_INVALID_CONN")
        if getattr(self._state, "owner_pid", os.getpid()) != os.getpid():
            raise ConnectError("this connection was opened by another process (before fork); "
                               "open the root again in this process", code="VIR_ERR_INVALID_CONN")
        return self._state

    @property
    def load_errors(self) -> list[VirtXMLError]:
        """Files found under the root at open that could not be loaded
        (each error names its file); they were skipped."""
        return list(self._state.load_errors)

    @property
    def root(self) -> str | None:
        return getattr(self._state, "root", None)

    def is_alive(self) -> bool:
        return not self._closed

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _release(self._state.name, self._state)

    def __enter__(self) -> "_Base":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Connection(_Base):
    """A domain connection (qemu embedded driver or test driver)."""

    _state: DomainDriver

    @property
    def driver_name(self) -> str:
        return self._state.name

    def define_xml(self, xml: Any) -> "DomainHandle":
        """virDomainDefineXML: ``xml`` is a string, bytes or a path."""
        st = self._live()
        with st.lock:
            obj = st.define(xml)
            return DomainHandle(self, obj.uuid, obj.name)

    def lookup(self, key: str | int) -> "DomainHandle":
        """By name, UUID or (running guests) id; libvirt's texts when absent."""
        st = self._live()
        with st.lock:
            obj = None
            if isinstance(key, int):
                obj = next((o for o in st.domains if o.active and o.def_.id == key), None)
                if obj is None:
                    raise _no_domain("id", key)
            else:
                obj = st.domains.find_name(key)
                if obj is None and _looks_uuid(key):
                    obj = st.domains.find_uuid(key)
                if obj is None:
                    raise _no_domain("uuid" if _looks_uuid(key) else "name", key)
            return DomainHandle(self, obj.uuid, obj.name)

    def lookup_by_name(self, name: str) -> "DomainHandle":
        st = self._live()
        with st.lock:
            obj = st.domains.find_name(name)
            if obj is None:
                raise _no_domain("name", name)
            return DomainHandle(self, obj.uuid, obj.name)

    def lookup_by_uuid(self, uuid: str) -> "DomainHandle":
        st = self._live()
        with st.lock:
            obj = st.domains.find_uuid(uuid)
            if obj is None:
                raise _no_domain("uuid", uuid)
            return DomainHandle(self, obj.uuid, obj.name)

    def list_domains(self) -> list["DomainHandle"]:
        """All domains: running ones by id, then the others by name."""
        st = self._live()
        with st.lock:
            objs = sorted(st.domains, key=lambda o: (not o.active,
                                                     o.def_.id if o.active and o.def_.id else 0,
                                                     o.name))
            return [DomainHandle(self, o.uuid, o.name) for o in objs]

    def list_domain_names(self) -> list[str]:
        return [d.name for d in self.list_domains()]

    def undefine(self, name: str) -> None:
        self.lookup(name).undefine()

    def xml_desc(self, name: str, flags: int = 0) -> str:
        return self.lookup(name).xml_desc(flags)

    def start(self, name: str) -> None:
        self.lookup(name).start()

    def destroy(self, name: str) -> None:
        self.lookup(name).destroy()


def _no_domain(by: str, key: str | int) -> OperationError:
    """libvirt's VIR_ERR_NO_DOMAIN of a lookup by id, name or uuid."""
    if by == "uuid":
        key = f"'{uuid_key(str(key))}'"
    elif by == "name":
        key = f"'{key}'"
    return OperationError(f"no domain with matching {by} {key}", code="VIR_ERR_NO_DOMAIN")


def _looks_uuid(text: str) -> bool:
    try:
        _uuid_mod.UUID(text.strip())
    except ValueError:
        return False
    return True


class DomainHandle:
    """virDomainPtr: a reference by UUID; every call finds the object again."""

    def __init__(self, conn: Connection, uuid: str, name: str) -> None:
        self.conn = conn
        self.uuid = uuid
        self._name = name

    def __repr__(self) -> str:
        return f"<DomainHandle {self._name} {self.uuid}>"

    def _obj(self) -> tuple[Any, DomainObj]:
        st = self.conn._live()
        obj = st.domains.find_uuid(self.uuid)
        if obj is None:
            raise no_domain_uuid(self.uuid, self._name)
        return st, obj

    @property
    def name(self) -> str:
        return self._name

    @property
    def id(self) -> int:
        """-1 when not running (virDomainGetID)."""
        st, obj = self._obj()
        with st.lock:
            return obj.def_.id if obj.active and obj.def_.id is not None else -1

    @property
    def state(self) -> str:
        st, obj = self._obj()
        with st.lock:
            return obj.state

    def is_active(self) -> bool:
        st, obj = self._obj()
        with st.lock:
            return obj.active

    def is_persistent(self) -> bool:
        st, obj = self._obj()
        with st.lock:
            return obj.persistent

    @property
    def post_parse_failed(self) -> bool:
        """The persistent definition's post-parse failed non-fatally at load."""
        st, obj = self._obj()
        with st.lock:
            return bool(getattr(obj.config, "post_parse_failed", False))

    @property
    def post_parse_error(self) -> Any:
        st, obj = self._obj()
        with st.lock:
            return getattr(obj.config, "post_parse_error", None)

    @property
    def autostart(self) -> bool:
        st, obj = self._obj()
        with st.lock:
            return obj.autostart

    def set_autostart(self, flag: bool) -> None:
        """virDomainSetAutostart: start the guest when the root is opened
        (once per root until ``run/qemu/autostarted`` is removed)."""
        st, obj = self._obj()
        with st.lock:
            st.set_autostart(obj, flag)

    def definition(self, inactive: bool = False) -> Any:
        """The model object (live, or the persistent one with ``inactive``)."""
        st, obj = self._obj()
        with st.lock:
            return obj.config if inactive else obj.def_

    def xml_desc(self, flags: int = 0) -> str:
        """virDomainGetXMLDesc with :class:`virtxml.flags.XMLDescFlags`."""
        st, obj = self._obj()
        with st.lock:
            return st.xml_desc(obj, int(flags))

    def start(self) -> None:
        st, obj = self._obj()
        with st.lock:
            st.start(obj)

    create = start

    def destroy(self) -> None:
        st, obj = self._obj()
        with st.lock:
            st.destroy(obj)

    def undefine(self) -> None:
        st, obj = self._obj()
        with st.lock:
            st.undefine(obj)


class SecretConnection(_Base):
    """A connection to the embedded secret driver."""

    _state: SecretDriver

    def define_xml(self, xml: Any) -> "SecretHandle":
        st = self._live()
        with st.lock:
            obj = st.define(xml)
            return SecretHandle(self, obj.def_.uuid)

    def list_secrets(self) -> list[str]:
        """UUIDs of all secrets, sorted."""
        st = self._live()
        with st.lock:
            return sorted(st.secrets)

    def lookup_by_uuid(self, uuid: str) -> "SecretHandle":
        st = self._live()
        with st.lock:
            return SecretHandle(self, st.lookup_uuid(uuid).def_.uuid)

    def lookup_by_usage(self, usage_type: str, usage_id: str) -> "SecretHandle":
        st = self._live()
        with st.lock:
            return SecretHandle(self, st.lookup_usage(usage_type, usage_id).def_.uuid)

    def undefine(self, uuid: str) -> None:
        self.lookup_by_uuid(uuid).undefine()

    def resolve(self, *, uuid: str | None = None, usage_type: str | None = None,
                usage: str | None = None) -> "SecretHandle":
        """The secret a domain's ``<secret uuid=.../>`` or ``<secret
        type=... usage=.../>`` reference points at (virSecretLookupDefToSecret:
        by UUID when given, else by usage)."""
        if uuid is not None:
            return self.lookup_by_uuid(uuid)
        if usage_type is None or usage is None:
            raise ConnectError("a secret reference needs a uuid or a usage type and id",
                               code="VIR_ERR_INVALID_ARG")
        return self.lookup_by_usage(usage_type, usage)


class SecretHandle:
    def __init__(self, conn: SecretConnection, uuid: str) -> None:
        self.conn = conn
        self.uuid = uuid

    def __repr__(self) -> str:
        return f"<SecretHandle {self.uuid}>"

    def _obj(self) -> tuple[SecretDriver, SecretObj]:
        st = self.conn._live()
        obj = st.secrets.get(self.uuid)
        if obj is None:
            raise OperationError(f"no secret with matching uuid '{self.uuid}'",
                                 code="VIR_ERR_NO_SECRET")
        return st, obj

    @property
    def usage_type(self) -> str:
        return self._obj()[1].def_.usage_type

    @property
    def usage_id(self) -> str | None:
        return self._obj()[1].def_.usage_id

    def xml_desc(self) -> str:
        st, obj = self._obj()
        with st.lock:
            return obj.def_.format()

    def set_value(self, value: bytes | str) -> None:
        st, obj = self._obj()
        with st.lock:
            st.set_value(obj, value.encode() if isinstance(value, str) else value)

    def get_value(self, *, internal: bool = False) -> bytes:
        st, obj = self._obj()
        with st.lock:
            return st.get_value(obj, internal=internal)

    def undefine(self) -> None:
        st, obj = self._obj()
        with st.lock:
            st.undefine(obj)


def iter_open_drivers() -> Iterator[tuple[str, Any]]:
    with _registry_lock:
        return iter(list(_registry.items()))


__all__ = ["open", "Connection", "DomainHandle", "SecretConnection", "SecretHandle",
           "XMLDescFlags"]
