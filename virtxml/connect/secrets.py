"""The embedded secret driver (``secret:///embed?root=ROOT``).

``<secret>`` documents live in ``ROOT/etc/secrets/<uuid>.xml`` (no warning
comment, mode 0600) and their values base64-encoded beside them in
``<uuid>.base64``; the driver lock is ``ROOT/run/secrets/driver.pid``.
Parsing, formatting and the define rules follow libvirt's secret_conf.c,
virsecretobj.c and secret_driver.c, with their error texts."""

from __future__ import annotations

import base64
import binascii
import os
import threading
import uuid as _uuid
from typing import Any
from xml.sax.saxutils import escape

import attrs

from ..errors import VirtXMLError
from ..safexml import parse_bytes, read_source
from . import fsutil
from .errors import ConnectError, OperationError, system_error

USAGE_TYPES = ("none", "volume", "ceph", "iscsi", "tls", "vtpm")
#: element holding the usage id, and libvirt's text when it is missing
_USAGE_ID = {
    "volume": ("volume", "volume usage specified, but volume path is missing"),
    "ceph": ("name", "Ceph usage specified, but name is missing"),
    "iscsi": ("target", "iSCSI usage specified, but target is missing"),
    "tls": ("name", "TLS usage specified, but name is missing"),
    "vtpm": ("name", "vTPM usage specified, but name is missing"),
}


def _xml_error(text: str, file: str | None = None, code: str = "VIR_ERR_XML_ERROR") -> ConnectError:
    return ConnectError(text, code=code, file=file)


def _yes_no(value: str, what: str, file: str | None) -> bool:
    if value == "yes":
        return True
    if value == "no":
        return False
    raise _xml_error(f"invalid value of '{what}'", file)


@attrs.define
class SecretDef:
    uuid: str
    ephemeral: bool = False
    private: bool = False
    description: str | None = None
    usage_type: str = "none"
    usage_id: str | None = None

    @classmethod
    def parse(cls, source: Any, file: str | None = None) -> "SecretDef":
        """virSecretDefParse + secretXMLParseNode."""
        data, fname = read_source(source)
        file = file or fname
        root = parse_bytes(data, file)
        tag = root.tag if isinstance(root.tag, str) else ""
        if tag != "secret":
            # virXMLParse's root check (libvirt 9.0)
            local = tag.rpartition("}")[2] if tag else str(root.tag)
            raise _xml_error(f"expecting root element of 'secret', not '{local}'", file)
        ephemeral = private = False
        if root.get("ephemeral") is not None:
            ephemeral = _yes_no(root.get("ephemeral"), "ephemeral", file)
        if root.get("private") is not None:
            private = _yes_no(root.get("private"), "private", file)
        uuid_el = root.find("uuid")
        if uuid_el is None:
            uuid = str(_uuid.uuid4())
        else:
            try:
                uuid = str(_uuid.UUID((uuid_el.text or "").strip()))
            except ValueError:
                raise _xml_error("malformed uuid element", file, "VIR_ERR_INTERNAL_ERROR") from None
        desc_el = root.find("description")
        description = None if desc_el is None else "".join(desc_el.itertext())
        usage_type, usage_id = "none", None
        usage_el = root.find("usage")
        if usage_el is not None:
            type_str = usage_el.get("type")
            if type_str is None:
                raise _xml_error("unknown secret usage type", file)
            if type_str not in USAGE_TYPES:
                raise _xml_error(f"unknown secret usage type {type_str}", file,
                                 "VIR_ERR_CONFIG_UNSUPPORTED")
            usage_type = type_str
            if usage_type in _USAGE_ID:
                child, missing = _USAGE_ID[usage_type]
                el = usage_el.find(child)
                if el is None:
                    raise _xml_error(missing, file, "VIR_ERR_INTERNAL_ERROR")
                usage_id = "".join(el.itertext())
        return cls(uuid=uuid, ephemeral=ephemeral, private=private, description=description,
                   usage_type=usage_type, usage_id=usage_id)

    def format(self) -> str:
        """virSecretDefFormat."""
        esc = {"'": "&apos;", '"': "&quot;"}
        out = [f"<secret ephemeral='{'yes' if self.ephemeral else 'no'}' "
               f"private='{'yes' if self.private else 'no'}'>\n",
               f"  <uuid>{self.uuid}</uuid>\n"]
        if self.description is not None:
            out.append(f"  <description>{escape(self.description, esc)}</description>\n")
        if self.usage_type != "none":
            out.append(f"  <usage type='{self.usage_type}'>\n")
            child = _USAGE_ID[self.usage_type][0] if self.usage_type in _USAGE_ID else None
            if child is not None and self.usage_id is not None:
                out.append(f"    <{child}>{escape(self.usage_id, esc)}</{child}>\n")
            out.append("  </usage>\n")
        else:
            pass
        out.append("</secret>\n")
        return "".join(out)


@attrs.define(eq=False)
class SecretObj:
    def_: SecretDef
    value: bytes | None = None


class SecretDriver:
    """Shared per-process state of the embedded secret driver."""

    name = "secret"

    def __init__(self, root: str) -> None:
        from .pidlock import PidFile

        self.root = root
        self.config_dir = os.path.join(root, "etc", "secrets")
        self.state_dir = os.path.join(root, "run", "secrets")
        self.lock = threading.RLock()
        self.secrets: dict[str, SecretObj] = {}
        self.load_errors: list[VirtXMLError] = []
        self.refs = 0
        try:
            fsutil.makedirs(self.config_dir, 0o700)
        except OSError as err:
            raise system_error(err, f"cannot create config directory '{self.config_dir}'") \
                from None
        try:
            fsutil.makedirs(self.state_dir, 0o700)
        except OSError as err:
            raise system_error(err, f"cannot create state directory '{self.state_dir}'") \
                from None
        self.pidfile: Any = PidFile.acquire(self.state_dir, "driver")
        try:
            self._load()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.pidfile is not None:
            self.pidfile.release()
            self.pidfile = None

    def _paths(self, uuid: str) -> tuple[str, str]:
        base = os.path.join(self.config_dir, uuid)
        return base + ".xml", base + ".base64"

    # virSecretLoadAllConfigs
    def _load(self) -> None:
        fsutil.clean_stale_temps(self.config_dir)
        try:
            names = sorted(os.listdir(self.config_dir))
        except OSError as err:
            self.load_errors.append(system_error(err, f"cannot open directory "
                                                      f"'{self.config_dir}'"))
            return
        for fname in names:
            if not fname.endswith(".xml"):
                continue
            path = os.path.join(self.config_dir, fname)
            try:
                sdef = SecretDef.parse(path)
                if fname != sdef.uuid + ".xml":
                    raise ConnectError(f"<uuid> does not match secret file name '{path}'",
                                       file=path)
                obj = self._add(sdef)
                b64 = self._paths(sdef.uuid)[1]
                try:
                    raw = fsutil.read_file(b64)
                except FileNotFoundError:
                    raw = None
                if raw is not None:
                    try:
                        obj.value = base64.b64decode(raw, validate=True)
                    except (binascii.Error, ValueError):
                        self.secrets.pop(sdef.uuid, None)
                        raise ConnectError(f"invalid base64 in '{b64}'", file=b64) from None
            except Exception as err:  # noqa: BLE001 - one bad file must not stop the rest
                if isinstance(err, VirtXMLError):
                    if err.file is None:
                        err.file = path
                    self.load_errors.append(err)
                elif isinstance(err, OSError):
                    self.load_errors.append(system_error(err, f"cannot read '{path}'")
                                            .located(file=path))
                else:
                    self.load_errors.append(ConnectError(f"cannot load secret '{path}': {err}",
                                                         file=path))

    def _find_usage(self, usage_type: str, usage_id: str | None) -> SecretObj | None:
        if usage_type == "none":
            return None
        for obj in self.secrets.values():
            if obj.def_.usage_type == usage_type and obj.def_.usage_id == usage_id:
                return obj
        return None

    def _add(self, new: SecretDef) -> SecretObj:
        """virSecretObjListAdd (returns the object; its old def is replaced)."""
        obj = self.secrets.get(new.uuid)
        if obj is not None:
            if obj.def_.usage_id != new.usage_id:
                raise OperationError(f"a secret with UUID {new.uuid} is already defined for use "
                                     f"with {obj.def_.usage_id}")
            if obj.def_.private and not new.private:
                raise OperationError("cannot change private flag on existing secret")
            obj.def_ = new
            return obj
        other = self._find_usage(new.usage_type, new.usage_id)
        if other is not None:
            raise OperationError(f"a secret with UUID {other.def_.uuid} already defined for use "
                                 f"with {new.usage_id}")
        obj = SecretObj(def_=new)
        self.secrets[new.uuid] = obj
        return obj

    # -- operations (callers hold self.lock) --------------------------------------
    def define(self, xml: Any) -> SecretObj:
        new = SecretDef.parse(xml)
        old_obj = self.secrets.get(new.uuid)
        backup = old_obj.def_ if old_obj is not None else None
        obj = self._add(new)
        cfg, b64 = self._paths(new.uuid)
        try:
            if not new.ephemeral:
                if backup is not None and backup.ephemeral and obj.value is not None:
                    self._write(b64, base64.b64encode(obj.value))
                self._write(cfg, new.format().encode())
            elif backup is not None and not backup.ephemeral:
                fsutil.remove(cfg)
                fsutil.remove(b64)
        except BaseException:
            if backup is not None:
                obj.def_ = backup
            else:
                self.secrets.pop(new.uuid, None)
            raise
        return obj

    def _write(self, path: str, data: bytes) -> None:
        try:
            fsutil.atomic_write(path, data, 0o600)
        except OSError as err:
            raise system_error(err, f"cannot write data to file '{path}'") from None

    def lookup_uuid(self, uuid: str) -> SecretObj:
        try:
            key = str(_uuid.UUID(uuid))
        except ValueError:
            raise OperationError("Invalid UUID", code="VIR_ERR_INVALID_ARG") from None
        obj = self.secrets.get(key)
        if obj is None:
            raise OperationError(f"no secret with matching uuid '{key}'", code="VIR_ERR_NO_SECRET")
        return obj

    def lookup_usage(self, usage_type: str, usage_id: str) -> SecretObj:
        obj = self._find_usage(usage_type, usage_id)
        if obj is None:
            raise OperationError(f"no secret with matching usage '{usage_id}'",
                                 code="VIR_ERR_NO_SECRET")
        return obj

    def set_value(self, obj: SecretObj, value: bytes) -> None:
        old = obj.value
        obj.value = bytes(value)
        if not obj.def_.ephemeral:
            try:
                self._write(self._paths(obj.def_.uuid)[1], base64.b64encode(obj.value))
            except BaseException:
                obj.value = old
                raise

    def get_value(self, obj: SecretObj, *, internal: bool = False) -> bytes:
        if not internal and obj.def_.private:
            raise OperationError("secret is private", code="VIR_ERR_INVALID_SECRET")
        if obj.value is None:
            raise OperationError(f"secret '{obj.def_.uuid}' does not have a value",
                                 code="VIR_ERR_NO_SECRET")
        return obj.value

    def undefine(self, obj: SecretObj) -> None:
        cfg, b64 = self._paths(obj.def_.uuid)
        if not obj.def_.ephemeral:
            try:
                fsutil.remove(cfg)
            except OSError as err:
                raise system_error(err, f"cannot unlink '{cfg}'") from None
        try:
            fsutil.remove(b64)
        except OSError:
            pass
        self.secrets.pop(obj.def_.uuid, None)
