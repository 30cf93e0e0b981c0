"""Hypothesis strategies for hostile input: pages, URLs, hosts, manifest lines, news texts.

Each strategy mixes plain noise (any bytes, any text) with structured input that
reaches deeper into a stage: HTML documents with nested and unclosed tags, huge
attributes, deep nesting, JSON-LD and charsets declared in ``<meta>``; URLs with
odd hosts and percent-escapes; texts that share passages the way wire copies do.
"""

from __future__ import annotations

import codecs
import json

from hypothesis import strategies as st

from worker.models import RawPage

#: Labels a page may declare: real ones, aliases, codecs that are no text
#: encoding at all, and nonsense.
CHARSET_LABELS = (
    "utf-8", "UTF8", "utf-16", "utf-16be", "utf-32", "iso-8859-1", "latin1", "windows-1252",
    "cp1251", "koi8-r", "shift_jis", "euc-jp", "iso-2022-jp", "gb2312", "gbk", "gb18030",
    "big5", "euc-kr", "tis-620", "utf-7", "x-user-defined", "ascii", "mac-roman",
    "undefined", "punycode", "idna", "unicode_escape", "raw_unicode_escape", "rot13",
    "base64", "zlib", "hex", "utf-8-sig", "utf_16_le", "charmap", "no-such-charset", "",
)  # fmt: skip
#: Codecs that can really encode a generated document (what the bytes are).
TEXT_CODECS = (
    "utf-8", "utf-16", "utf-16-be", "utf-32", "cp1252", "latin-1", "cp1251", "koi8-r",
    "shift_jis", "euc-jp", "iso-2022-jp", "gb18030", "big5", "euc-kr", "utf-7", "mac-roman",
)  # fmt: skip
TAGS = (
    "html", "head", "body", "title", "meta", "link", "script", "style", "article", "main",
    "section", "div", "p", "span", "a", "b", "i", "h1", "h2", "time", "figure", "figcaption",
    "ul", "li", "table", "tr", "td", "nav", "header", "footer", "aside", "form", "noscript",
    "template", "svg", "math", "iframe", "br", "img", "blockquote", "pre", "address", "x-custom",
)  # fmt: skip
ATTRIBUTES = (
    "class", "id", "itemprop", "itemtype", "property", "name", "content", "href", "rel",
    "datetime", "charset", "http-equiv", "lang", "type", "role", "style", "hidden", "src",
)  # fmt: skip
META_PROPERTIES = (
    "og:title", "og:site_name", "og:url", "og:image", "og:description", "og:locale",
    "article:published_time", "article:modified_time", "article:author", "article:section",
    "article:tag", "author", "description", "keywords", "date", "pubdate", "twitter:title",
)  # fmt: skip
_MARKUP_NOISE = ("<", ">", "&", "&amp;", "&#x0;", "&#xD800;", "&nbsp;", "<!--", "-->", "]]>", '"')
_JSON_LD_KEYS = (
    "@context", "@type", "@id", "@graph", "headline", "name", "author", "publisher",
    "datePublished", "dateModified", "url", "image", "inLanguage", "articleSection",
    "keywords", "description", "sourceOrganization",
)  # fmt: skip
_JSON_LD_TYPES = (
    "NewsArticle", "Article", "Person", "Organization", "WebPage", "ReportageNewsArticle",
)  # fmt: skip

# --- plain values -------------------------------------------------------------

#: Text with the characters that trouble markup and codecs: controls, surrogates, NUL.
nasty_text = st.text(max_size=80) | st.lists(
    st.sampled_from([*_MARKUP_NOISE, "\x00", "\x0c", "\ufeff", "\ud800", "\u202e", " ", "é", "字"]),
    max_size=30,
).map("".join)
#: Words drawn from a small vocabulary, so generated texts share shingles by chance
#: as news copy does, and drawing them stays cheap.
VOCABULARY = (
    "the", "a", "of", "to", "in", "said", "on", "Monday", "March", "police", "minister",
    "flood", "river", "levee", "council", "vote", "people", "were", "killed", "injured",
    "Reuters", "AP", "AFP", "By", "Staff", "Reporter", "Updated", "Copyright", "rights",
    "reserved", "déclaré", "ministre", "Москва", "东京", "Ankara'da", "colour", "organise",
    "centre", "per", "cent", "percent", "km", "mph", "$", "—", "«", "»", "’", "...",
)  # fmt: skip
words = st.one_of(st.sampled_from(VOCABULARY), st.integers(0, 10**6).map(str))
sentences = st.lists(words, min_size=1, max_size=30).map(" ".join)
charset_labels = st.sampled_from(CHARSET_LABELS) | st.from_regex(r"[\w.:-]{1,16}", fullmatch=True)
content_types = st.one_of(
    st.none(),
    st.sampled_from(["text/html", "application/xhtml+xml", "text/plain", "", ";"]),
    charset_labels.map(lambda label: f"text/html; charset={label}"),
    st.text(max_size=60),
)
dates = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.dates().map(str),
    st.sampled_from(["2024-02-30", "0000-00-00", "9999-12-31T23:59:60Z", "-1", "yesterday"]),
    st.text(max_size=30),
)

# --- HTML documents -----------------------------------------------------------


def _attribute_values(longest: int) -> st.SearchStrategy[str]:
    huge = st.integers(1_000, longest).map(lambda length: "x" * length)
    return st.one_of(nasty_text, sentences, dates, huge)


attributes = st.lists(
    st.tuples(
        st.sampled_from(ATTRIBUTES) | st.from_regex(r"[a-z:@-]{1,10}", fullmatch=True),
        _attribute_values(50_000),
    ),
    max_size=4,
).map(lambda pairs: "".join(f' {name}="{value}"' for name, value in pairs))


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A tag around children, closed, left open or closed by the wrong name."""
    return st.builds(
        lambda tag, attrs, inner, end: f"<{tag}{attrs}>{''.join(inner)}{end.format(tag=tag)}",
        st.sampled_from(TAGS),
        attributes,
        st.lists(children, max_size=5),
        st.sampled_from(["</{tag}>", "</{tag}>", "", "</div>", "</p", "<{tag}/>"]),
    )


fragments = st.recursive(
    st.one_of(sentences, nasty_text, st.sampled_from(["<br>", "<hr/>", "<p>", "</p>", "<!--x"])),
    _element,
    max_leaves=15,
)
deep_nesting = st.builds(
    lambda tag, depth, text: f"<{tag}>" * depth + text + f"</{tag}>" * depth,
    st.sampled_from(["div", "p", "span", "b", "li", "table", "article", "section"]),
    st.integers(100, 3_000),
    sentences,
)
json_ld_scalars = st.one_of(
    st.none(), st.booleans(), st.floats(), st.integers(), sentences, dates, nasty_text,
    st.sampled_from(_JSON_LD_TYPES),
)  # fmt: skip
json_ld_values = st.recursive(
    json_ld_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(_JSON_LD_KEYS) | words, inner, max_size=6),
    ),
    max_leaves=25,
)
json_ld = st.one_of(
    json_ld_values.map(lambda value: json.dumps(value, allow_nan=True)),
    st.text(max_size=60),
).map(lambda payload: f'<script type="application/ld+json">{payload}</script>')
meta_tags = st.builds(
    lambda kind, name, value: f'<meta {kind}="{name}" content="{value}">',
    st.sampled_from(["property", "name", "itemprop"]),
    st.sampled_from(META_PROPERTIES),
    st.one_of(sentences, dates, nasty_text),
)
links = st.builds(
    lambda rel, href: f'<link rel="{rel}" href="{href}">',
    st.sampled_from(["canonical", "amphtml", "author", "alternate"]),
    st.text(max_size=40) | st.sampled_from(["http://[", "https://[::1", "//host:99999/", ""]),
)
charset_declarations = charset_labels.flatmap(
    lambda label: st.sampled_from(
        [
            f'<meta charset="{label}">',
            f'<meta http-equiv="Content-Type" content="text/html; charset={label}">',
            f'<?xml version="1.0" encoding="{label}"?>',
            "",
        ]
    )
)


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    """An HTML-ish document: a head of metadata, a body of generated markup."""
    head = draw(st.lists(st.one_of(meta_tags, links, json_ld, fragments), max_size=4))
    body = draw(st.lists(st.one_of(fragments, deep_nesting, sentences), max_size=4))
    declaration = draw(charset_declarations)
    document = f"<html><head>{declaration}<title>{draw(sentences)}</title>{''.join(head)}</head>"
    return document + f"<body>{''.join(body)}</body></html>"


@st.composite
def encoded_documents(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """A generated document as bytes in one codec, possibly declaring another."""
    text = draw(html_documents())
    codec = draw(st.sampled_from(TEXT_CODECS))
    body = text.encode(codec, errors="xmlcharrefreplace")
    bom = draw(st.sampled_from([b"", b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE]))
    return bom + body, draw(content_types)


@st.composite
def page_bodies(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """Any bytes as a page, or a generated document as bytes, with a Content-Type."""
    noise = st.tuples(st.binary(max_size=2_000), content_types)
    return draw(st.one_of(noise, encoded_documents()))


# --- URLs and hosts ------------------------------------------------------------


def ipv4_spellings_of(octets: tuple[int, int, int, int]) -> st.SearchStrategy[str]:
    """The ways one IPv4 address can be written that C resolvers still read as it."""
    packed = bytes(octets)
    return st.sampled_from(
        [
            ".".join(map(str, octets)),
            str(int.from_bytes(packed, "big")),  # 2130706433
            "0x" + packed.hex(),  # 0x7f000001
            ".".join(f"0{octet:o}" for octet in octets),  # 0177.00.00.01
            f"{octets[0]}.{int.from_bytes(packed[1:], 'big')}",  # 127.1
            ".".join(map(str, octets)) + ".",
            f"[::ffff:{'.'.join(map(str, octets))}]",
            f"[::ffff:{packed[:2].hex()}:{packed[2:].hex()}]",
        ]
    )


ipv4_spellings = st.tuples(*[st.integers(0, 255)] * 4).flatmap(ipv4_spellings_of)
ipv6_literals = st.ip_addresses(v=6).map(str)
# "0.0.0.0" below is an address under test, not one to bind to.
special_addresses = st.sampled_from(
    [
        "127.0.0.1", "0.0.0.0", "169.254.169.254", "::1", "fe80::1%25eth0",  # noqa: S104
        "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1", "100.64.0.1", "[::]",
        "localhost", "0", "::ffff:7f00:1",
    ]
)  # fmt: skip
host_literals = st.one_of(
    ipv4_spellings, ipv6_literals, special_addresses, st.ip_addresses().map(str)
)
host_names = st.one_of(
    st.from_regex(r"[a-z0-9-]{1,20}(\.[a-z0-9-]{1,20}){0,3}", fullmatch=True),
    st.text(max_size=30),
).map(lambda name: f"{name}.invalid")
url_hosts = st.one_of(
    host_literals, ipv6_literals.map(lambda v6: f"[{v6}]"), host_names,
    st.text(max_size=20),
)  # fmt: skip
_URL_CHARS = st.sampled_from(
    [*"aZ09-._~!$&'()*+,;=:@/?#[]% \\\t", "%2e", "%2E", "%41", "%7e", "%3A", "%25", "%%", "..",
     "é", "中", "\u0301", "\x00", "%%32%65", "%2%65"]
)  # fmt: skip
url_parts = st.lists(_URL_CHARS, max_size=25).map("".join)
structured_urls = st.builds(
    lambda scheme, auth, host, port, path, query: f"{scheme}{auth}{host}{port}/{path}{query}",
    st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "http:", "http:///", "//", ""]),
    st.sampled_from(["", "user:pw@", "@", "a@b@", "8.8.8.8@"]),
    url_hosts,
    st.sampled_from(["", ":80", ":443", ":0", ":65535", ":65536", ":-1", ":x", ":"]),
    url_parts,
    st.sampled_from(["", "?a=1&utm_source=x", "?fbclid=1", "?&&", "#frag", "?q=%%34%31"]),
)
urls = st.one_of(st.text(max_size=80), structured_urls)

# --- manifest lines -------------------------------------------------------------

manifest_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)


def manifest_lines(page_names: list[str]) -> st.SearchStrategy[str]:
    """Lines a manifest may hold: any text, any JSON, and entries naming ``page_names``."""
    paths = st.one_of(st.sampled_from(page_names), st.text(max_size=20), manifest_values)
    entries = st.fixed_dictionaries(
        {},
        optional={
            "url": st.one_of(urls, manifest_values),
            "html": st.one_of(nasty_text, st.text(max_size=200), manifest_values),
            "path": paths,
        },
    )
    as_json = st.one_of(entries, manifest_values).map(json.dumps)
    nesting = st.integers(1, 100_000).map(lambda depth: "[" * depth + "]" * depth)
    return st.one_of(st.text(max_size=200), as_json, nesting)


# --- pages ---------------------------------------------------------------------

page_urls = st.one_of(st.none(), urls, st.sampled_from(["https://example.org/2024/05/01/story"]))


@st.composite
def raw_pages(draw: st.DrawFn) -> RawPage:
    body, content_type = draw(page_bodies())
    return RawPage(url=draw(page_urls), body=body, content_type=content_type)


# --- news texts for dedup ------------------------------------------------------------


@st.composite
def story_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two texts that may share passages, as wire copies do: one trimmed, renumbered,
    or either given its own lead (which makes the later one an update)."""
    paragraphs = st.lists(words, min_size=8, max_size=40).map(" ".join)
    shared = draw(st.lists(paragraphs, max_size=8))
    numbers = st.integers(0, 10**6).map(str)
    leads = st.lists(paragraphs, max_size=2)
    first = draw(leads) + shared + draw(st.lists(sentences | numbers, max_size=6))
    keep = draw(st.integers(0, len(shared)))
    second = draw(leads) + shared[:keep]
    if draw(st.booleans()):
        second = [" ".join(draw(numbers) if w.isdigit() else w for w in s.split()) for s in second]
    return " ".join(first), " ".join(second)
