"""Which addresses a worker may connect to, and a transport that connects only there.

A submitted URL must not make a worker reach its own network (server-side
request forgery). :class:`AddressPolicy` resolves a host once and refuses any
address that is not plainly public; :class:`PinnedAddressAdapter` then connects
to that very address, so a second DNS answer (rebinding) cannot swap it, while
TLS still checks the certificate against the host name and sends it as SNI.

The ranges follow the IANA special-purpose registries and the OWASP SSRF cheat
sheet. ``ipaddress.is_global`` alone is not enough on CPython 3.11: it calls
multicast, site-local ``fec0::/10``, IPv4-compatible ``::a.b.c.d``, NAT64 and
6to4 addresses global, hence the explicit checks below.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import requests
from requests.adapters import HTTPAdapter

from worker.errors import InvalidURLError, RetryableError, UnsafeAddressError

if TYPE_CHECKING:
    from requests.adapters import _HostParams, _PoolKwargs

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Prefixes whose real destination is chosen by a translator or tunnel we cannot
#: see (NAT64, 6to4, Teredo), plus special ranges ``is_global`` misses.
_REFUSED_NETWORKS: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "100.64.0.0/10",  # carrier-grade NAT (RFC 6598)
        "192.0.0.0/24",  # IETF protocol assignments
        "192.88.99.0/24",  # 6to4 relay anycast
        "64:ff9b::/96",  # NAT64 well-known prefix
        "64:ff9b:1::/48",  # local-use NAT64
        "2001::/32",  # Teredo
        "2002::/16",  # 6to4
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing
        "fec0::/10",  # deprecated site-local
    )
)


def is_refused(address: IPAddress) -> bool:
    """True for any address a fetch must not reach unless the allowlist opens it."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return is_refused(address.ipv4_mapped)
    return (
        not address.is_global
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or any(address in network for network in _REFUSED_NETWORKS)
    )


class AddressPolicy:
    """Resolves hosts once and accepts only public addresses or allowlisted targets.

    ``allow`` holds host names (matched exactly, case-insensitively) and IP
    networks such as ``127.0.0.1`` or ``10.0.0.0/8``.
    """

    def __init__(self, allow: Iterable[str] = ()) -> None:
        entries = [entry.strip().lower() for entry in allow if entry.strip()]
        self._networks = [net for net in map(_as_network, entries) if net is not None]
        self._hosts = frozenset(entry for entry in entries if _as_network(entry) is None)

    def checked_address(self, host: str, port: int) -> str:
        """The one address to connect to for ``host``; raises if any answer is refused.

        A name whose answers mix public and internal addresses is refused whole:
        that mix is what a rebinding attack looks like.
        """
        addresses = resolve(host, port)
        if host.lower() not in self._hosts:
            for address in addresses:
                self._check(host, address)
        return str(addresses[0])

    def _check(self, host: str, address: IPAddress) -> None:
        if any(address in network for network in self._networks):
            return
        if is_refused(address):
            raise UnsafeAddressError(f"{host} resolves to {address}, an internal address")


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every TCP address ``host`` resolves to, in the resolver's order of preference."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError as exc:  # a label the IDNA codec refuses: empty or too long
        raise InvalidURLError(f"{host} is not a valid host name: {exc}") from exc
    except socket.gaierror as exc:
        raise RetryableError(f"cannot resolve {host}: {exc}") from exc
    # An IPv6 answer may carry a zone ("fe80::1%eth0"): the address is what is judged.
    addresses = [ipaddress.ip_address(str(sockaddr[0]).split("%")[0]) for *_, sockaddr in answers]
    if not addresses:
        raise RetryableError(f"{host} has no address")
    return addresses


def _as_network(entry: str) -> IPNetwork | None:
    try:
        return ipaddress.ip_network(entry.strip("[]"), strict=False)
    except ValueError:
        return None


class PinnedAddressAdapter(HTTPAdapter):
    """A requests transport that connects to ``address`` whatever the URL's host says.

    The request keeps its host name for the ``Host`` header, TLS SNI and
    certificate matching; only the TCP connection goes to the checked address.
    The same technique as requests-hardened's ``IPFilterAdapter``, but the
    address comes from :class:`AddressPolicy` rather than from a second lookup.
    """

    def __init__(self, address: str) -> None:
        super().__init__(max_retries=0)
        self._address = f"[{address}]" if ":" in address else address

    def build_connection_pool_key_attributes(
        self,
        request: requests.PreparedRequest,
        verify: bool | str,
        cert: str | tuple[str, str] | None = None,
    ) -> tuple[_HostParams, _PoolKwargs]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        host = host_params["host"]
        if host_params["scheme"] == "https":
            # urllib3 accepts these pool arguments; the requests stubs do not list them.
            tls_kwargs = cast(dict[str, Any], pool_kwargs)
            tls_kwargs["server_hostname"] = host
            tls_kwargs["assert_hostname"] = host
        request.headers["Host"] = _host_header(host, host_params["port"], host_params["scheme"])
        host_params["host"] = self._address
        return host_params, pool_kwargs


def _host_header(host: str, port: int | None, scheme: str) -> str:
    name = f"[{host}]" if ":" in host else host
    default = 443 if scheme == "https" else 80
    return name if port in (None, default) else f"{name}:{port}"
