"""The SSRF address policy, range by range, and the transport pinned to a checked address."""

from __future__ import annotations

import ipaddress
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.httpserver import html, serve
from worker.errors import InvalidURLError, RetryableError, UnsafeAddressError
from worker.safety import AddressPolicy, PinnedAddressAdapter, is_refused

REFUSED = {
    "0.0.0.0": "unspecified",  # noqa: S104 - an address under test, not a bind
    "0.1.2.3": "this network 0.0.0.0/8",
    "10.0.0.1": "private 10/8",
    "100.64.0.1": "carrier-grade NAT 100.64/10 (start)",
    "100.127.255.254": "carrier-grade NAT 100.64/10 (end)",
    "127.0.0.1": "loopback",
    "127.255.255.254": "loopback, end of 127/8",
    "169.254.169.254": "link-local, cloud metadata",
    "172.16.0.1": "private 172.16/12 (start)",
    "172.31.255.254": "private 172.16/12 (end)",
    "192.0.0.8": "IETF protocol assignments 192.0.0/24",
    "192.0.2.1": "documentation TEST-NET-1",
    "192.88.99.1": "6to4 relay anycast",
    "192.168.1.1": "private 192.168/16",
    "198.18.0.1": "benchmarking 198.18/15",
    "198.51.100.1": "documentation TEST-NET-2",
    "203.0.113.1": "documentation TEST-NET-3",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast (SSDP)",
    "240.0.0.1": "reserved 240/4",
    "255.255.255.255": "broadcast",
    "::": "IPv6 unspecified",
    "::1": "IPv6 loopback",
    "::ffff:127.0.0.1": "IPv4-mapped loopback",
    "::ffff:10.0.0.1": "IPv4-mapped private",
    "::ffff:169.254.169.254": "IPv4-mapped metadata",
    "::127.0.0.1": "IPv4-compatible (deprecated)",
    "64:ff9b::a00:1": "NAT64 of 10.0.0.1",
    "64:ff9b::808:808": "NAT64 of a public address: the translator decides",
    "64:ff9b:1::1": "local-use NAT64",
    "100::1": "discard-only",
    "2001::1": "Teredo",
    "2001:db8::1": "IPv6 documentation",
    "2002:a00:1::1": "6to4 of 10.0.0.1",
    "3fff::1": "IPv6 documentation 3fff::/20",
    "5f00::1": "segment routing",
    "fc00::1": "unique local fc00::/7",
    "fd00:ec2::254": "unique local (cloud metadata over IPv6)",
    "fe80::1": "IPv6 link-local",
    "fec0::1": "deprecated site-local",
    "ff02::1": "IPv6 multicast",
}

ALLOWED = [
    "8.8.8.8",
    "1.1.1.1",
    "100.63.255.255",  # just below carrier-grade NAT
    "100.128.0.1",  # just above it
    "172.32.0.1",  # just above 172.16/12
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
]


@pytest.mark.parametrize("address", sorted(REFUSED), ids=lambda a: f"{a} {REFUSED[a]}")
def test_refuses_every_internal_or_special_range(address: str) -> None:
    assert is_refused(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_accepts_public_addresses(address: str) -> None:
    assert not is_refused(ipaddress.ip_address(address))


@pytest.mark.parametrize("host", ["127.0.0.1", "169.254.169.254", "::1", "10.0.0.1", "localhost"])
def test_policy_refuses_internal_targets_without_an_allowlist(host: str) -> None:
    with pytest.raises(UnsafeAddressError, match="internal address"):
        AddressPolicy().checked_address(host, 80)


@pytest.mark.parametrize("spelling", ["0x7f.1", "2130706433", "0177.0.0.1", "127.1"])
def test_other_spellings_of_loopback_are_judged_by_what_they_resolve_to(spelling: str) -> None:
    with pytest.raises(UnsafeAddressError, match=r"resolves to 127\.0\.0\.1"):
        AddressPolicy().checked_address(spelling, 80)


def test_a_host_name_dns_cannot_even_encode_is_invalid() -> None:
    with pytest.raises(InvalidURLError):
        AddressPolicy().checked_address("a" * 64 + ".example", 80)


def test_allowlisted_network_opens_only_itself() -> None:
    policy = AddressPolicy(["127.0.0.0/8", "10.1.0.0/16"])
    assert policy.checked_address("127.0.0.2", 80) == "127.0.0.2"
    assert policy.checked_address("10.1.2.3", 80) == "10.1.2.3"
    with pytest.raises(UnsafeAddressError):
        policy.checked_address("10.2.0.1", 80)
    with pytest.raises(UnsafeAddressError):
        policy.checked_address("::1", 80)


def test_allowlisted_host_name_is_resolved_and_opened() -> None:
    assert AddressPolicy(["LocalHost"]).checked_address("localhost", 80) in {"127.0.0.1", "::1"}
    assert AddressPolicy(["::1"]).checked_address("::1", 80) == "::1"


def test_a_name_that_does_not_resolve_is_retryable() -> None:
    with pytest.raises(RetryableError, match="cannot resolve"):
        AddressPolicy().checked_address("no-such-host.invalid", 80)


def test_pinned_adapter_connects_to_the_checked_address_whatever_the_name_says() -> None:
    # The name cannot resolve (.invalid), so reaching the server proves no second lookup.
    with serve({"/page": html("<p>pinned</p>")}) as server:
        request = requests.Request("GET", f"http://rebind.invalid:{server.port}/page").prepare()
        adapter = PinnedAddressAdapter("127.0.0.1")
        response = adapter.send(request, timeout=5, proxies={})
        adapter.close()
    assert response.status_code == 200
    assert server.log[0].headers["Host"] == f"rebind.invalid:{server.port}"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A self-signed certificate for the name ``pinned.test`` only."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1",
         "-subj", "/CN=pinned.test", "-addext", "subjectAltName=DNS:pinned.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    yield cert, key


def test_pinned_https_keeps_the_name_for_sni_and_certificate_checks(
    certificate: tuple[Path, Path],
) -> None:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []

    def record_sni(_socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        names.append(name)

    context.sni_callback = record_sni
    with serve({"/": html("<p>tls</p>")}, tls=context) as server:
        request = requests.Request("GET", f"https://pinned.test:{server.port}/").prepare()
        adapter = PinnedAddressAdapter("127.0.0.1")
        response = adapter.send(request, timeout=5, verify=str(cert), proxies={})
        adapter.close()
    assert response.status_code == 200
    assert names == ["pinned.test"]
    assert server.log[0].headers["Host"] == f"pinned.test:{server.port}"


def test_pinned_https_still_refuses_a_certificate_for_another_name(
    certificate: tuple[Path, Path],
) -> None:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    with serve({"/": html("<p>tls</p>")}, tls=context) as server:
        request = requests.Request("GET", f"https://other.test:{server.port}/").prepare()
        adapter = PinnedAddressAdapter("127.0.0.1")
        with pytest.raises(requests.exceptions.SSLError):
            adapter.send(request, timeout=5, verify=str(cert), proxies={})
        adapter.close()
