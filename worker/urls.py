"""URL validation and normalisation: one spelling per page, so one fetch per page.

urllib3's parser already lower-cases scheme and host, IDNA-encodes the host,
removes dot segments and upper-cases percent-escapes; on top of it this module
drops default ports, fragments and tracking parameters, and decodes escaped
unreserved characters (RFC 3986 section 6.2.2).
"""

from __future__ import annotations

import re

from urllib3.exceptions import LocationParseError
from urllib3.util import Url, parse_url

from worker.errors import InvalidURLError

_DEFAULT_PORTS = {"http": 80, "https": 443}
#: Query parameters that only tell an analytics tool where a reader came from.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING_NAMES = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "vero_id", "wickedid", "ttclid", "li_fat_id", "s_cid", "ncid", "cmpid",
    }
)  # fmt: skip
_ESCAPED_UNRESERVED = re.compile(r"%(2[DE]|3[0-9]|[46][1-9A-F]|[57][0-9A]|5F|7E)", re.IGNORECASE)
_MAX_URL_CHARS = 8192


def normalize_url(url: str) -> str:
    """The canonical spelling of an http(s) URL; idempotent.

    Raises :class:`InvalidURLError` for anything that is not an absolute http or
    https URL with a host and a valid port.
    """
    parsed = _parse(url)
    port = None if parsed.port == _DEFAULT_PORTS[str(parsed.scheme)] else parsed.port
    return Url(
        scheme=parsed.scheme,
        auth=parsed.auth,
        host=str(parsed.host).rstrip("."),
        port=port,
        path=parsed.path or "/",
        query=_clean_query(parsed.query),
    ).url


def host_of(url: str) -> str:
    """The host of a normalised URL, without brackets around an IPv6 address."""
    return str(parse_url(url).host).strip("[]")


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a normalised URL: the scope of robots.txt."""
    parsed = parse_url(url)
    return Url(scheme=parsed.scheme, host=parsed.host, port=parsed.port).url


def port_of(url: str) -> int:
    """The TCP port a normalised URL connects to."""
    parsed = parse_url(url)
    return parsed.port or _DEFAULT_PORTS[str(parsed.scheme)]


def without_credentials(url: str) -> str:
    """``url`` with any ``user:password@`` removed."""
    return parse_url(url)._replace(auth=None).url


def _parse(url: str) -> Url:
    text = url.strip()
    if len(text) > _MAX_URL_CHARS:
        raise InvalidURLError(f"URL longer than {_MAX_URL_CHARS} characters")
    try:
        # The first parse leaves only valid escapes (a stray "%" becomes "%25"), so
        # decoding cannot forge new ones; the second removes the dot segments that
        # decoding reveals ("%2E%2E" is "..", RFC 3986 6.2.2.2).
        parsed = parse_url(_decode_unreserved(parse_url(text).url))
    except (LocationParseError, ValueError) as exc:
        raise InvalidURLError(f"malformed URL {text[:200]!r}: {exc}") from exc
    if parsed.scheme not in _DEFAULT_PORTS:
        raise InvalidURLError(f"only http and https URLs are fetched, not {text[:200]!r}")
    if not parsed.host or not parsed.host.rstrip("."):
        raise InvalidURLError(f"URL has no host: {text[:200]!r}")
    return parsed


def _clean_query(query: str | None) -> str | None:
    if not query:
        return None
    kept = [pair for pair in query.split("&") if pair and not _is_tracking(pair)]
    return "&".join(kept) or None


def _is_tracking(pair: str) -> bool:
    name = pair.split("=", 1)[0].lower()
    return name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)


def _decode_unreserved(text: str) -> str:
    return _ESCAPED_UNRESERVED.sub(lambda match: chr(int(match.group(1), 16)), text)
