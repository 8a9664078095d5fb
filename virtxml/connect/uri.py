"""Connection URI parsing and validation, as libvirt's
virConnectOpenInternal (libvirt.c) and virURIParse (viruri.c) do it."""

from __future__ import annotations

import re
from urllib.parse import unquote

import attrs

from .errors import ConnectError

# RFC 3986 characters xmlParseURI accepts (anything else makes it fail)
_URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")

#: drivers that may be opened as $scheme:///embed?root=... (libvirt 9.0)
EMBEDDABLE = ("qemu", "secret")


@attrs.define
class URI:
    text: str
    scheme: str | None = None
    server: str | None = None
    user: str | None = None
    port: int = 0
    path: str = ""
    query: str | None = None
    fragment: str | None = None
    params: list[tuple[str, str]] = attrs.field(factory=list)

    def get_param(self, name: str) -> str:
        """virURIGetParam: the first ``name=`` query parameter, or libvirt's
        ``Missing URI parameter '%s'``."""
        for key, value in self.params:
            if key == name:
                return value
        raise ConnectError(f"Missing URI parameter '{name}'", code="VIR_ERR_INVALID_ARG")

    def has_param(self, name: str) -> bool:
        return any(key == name for key, _ in self.params)


def _parse_params(query: str | None) -> list[tuple[str, str]]:
    """virURIParseParams: pieces end at the next ``&`` (or, when there is
    none left, the next ``;``); ``name=value`` and ``name`` (value "") are
    kept, ``=value`` and empty pieces skipped; both parts %-unescaped."""
    out: list[tuple[str, str]] = []
    q = query or ""
    while q:
        end = q.find("&")
        if end < 0:
            end = q.find(";")
        if end < 0:
            end = len(q)
        piece = q[:end]
        if piece and not piece.startswith("="):
            name, eq, value = piece.partition("=")
            out.append((unquote(name), unquote(value) if eq else ""))
        q = q[end + 1:] if end < len(q) else ""
    return out


def parse_uri(text: str) -> URI:
    """virURIParse: RFC 3986 split; 'Unable to parse URI %s' when libxml2's
    parser would refuse it."""
    bad = ConnectError(f"Unable to parse URI {text}", code="VIR_ERR_INTERNAL_ERROR")
    if not _URI_CHARS.match(text):
        raise bad
    uri = URI(text=text)
    rest = text
    m = _SCHEME.match(rest)
    if m:
        uri.scheme = m.group(1)
        rest = rest[m.end():]
    elif ":" in rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        # a relative reference may not have ':' in its first segment
        raise bad
    if "#" in rest:
        rest, uri.fragment = rest.split("#", 1)
    if "?" in rest:
        rest, uri.query = rest.split("?", 1)
    if rest.startswith("//"):
        authority, slash, path = rest[2:].partition("/")
        uri.path = slash + path
        if "@" in authority:
            user, authority = authority.rsplit("@", 1)
            uri.user = unquote(user) or None
        host, port = authority, ""
        if authority.startswith("["):
            end = authority.find("]")
            if end < 0:
                raise bad
            host, port = authority[1:end], authority[end + 1:]
            if port and not port.startswith(":"):
                raise bad
            port = port[1:]
        elif ":" in authority:
            host, port = authority.rsplit(":", 1)
        if port:
            if not port.isdigit():
                raise bad
            uri.port = int(port)
        uri.server = unquote(host) or None
    else:
        uri.path = rest
    uri.path = unquote(uri.path)
    uri.params = _parse_params(uri.query)
    return uri


@attrs.define
class Target:
    """What an URI asks for."""

    uri: URI
    driver: str               # "qemu", "secret", "test"
    embed: bool = False
    root: str | None = None


def no_connect(what: str) -> ConnectError:
    return ConnectError(what, code="VIR_ERR_NO_CONNECT")


def resolve(name: str) -> Target:
    """Validate ``name`` the way virConnectOpenInternal does and say which
    driver serves it.  Errors carry libvirt's texts."""
    if name is None or name == "":
        raise no_connect("(null)")
    uri = parse_uri(name)
    if uri.scheme is None:
        raise no_connect(f"URI '{name}' does not include a driver name")
    # virConnectCheckURIMissingSlash
    if uri.server is not None and uri.scheme in ("qemu", "vbox", "vz") \
            and uri.server in ("session", "system"):
        raise ConnectError(f"invalid URI {name} (maybe you want {uri.scheme}:///{uri.server})")
    if uri.path == "/embed":
        if not re.fullmatch(r"[a-z]*", uri.scheme):
            raise no_connect(f"URI scheme '{uri.scheme}' for embedded driver is not valid")
        root = uri.get_param("root")
        if not root.startswith("/"):
            raise ConnectError("root path must be absolute", code="VIR_ERR_CONFIG_UNSUPPORTED")
        # driver selection: non-embeddable drivers are skipped, the remote
        # (wildcard) driver is skipped, local-only drivers skip a server part
        if uri.scheme in EMBEDDABLE and uri.server is None:
            return Target(uri=uri, driver=uri.scheme, embed=True, root=root)
        raise no_connect(name)
    if uri.scheme == "test" and uri.server is None:
        if uri.path in ("", "/"):
            raise ConnectError("testOpen: supply a path or use test:///default",
                               code="VIR_ERR_INVALID_ARG")
        if uri.path == "/default":
            return Target(uri=uri, driver="test")
        raise no_connect(f"{name} (virtxml serves test:///default only, not test driver "
                         "config files)")
    if uri.scheme in ("qemu", "secret") and uri.server is None:
        return Target(uri=uri, driver=uri.scheme, embed=False)
    raise no_connect(name)
