"""URL identity: one spelling per article, whatever link led to it."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

#: Query parameters that only track where a click came from; they never change the page.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "zarsrc", "zalo_source", "_ga", "mc_cid", "mc_eid", "ref", "refid"}
)

_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_of(url: str) -> str:
    """The lower-case host of `url`, without port or a leading `www.`."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def canonicalize(url: str, host_aliases: dict[str, str] | None = None, scheme: str | None = None) -> str:
    """`scheme` for http(s) URLs (a declared site's own; by default the URL's own, in lower case: an undeclared
    site served over plain http stays http), lower-case host without `www.` (mapped through `host_aliases`), no
    fragment, no tracking parameters, no trailing slash on a path other than `/`, remaining query parameters
    sorted."""
    parts = urlsplit(url.strip())
    host = host_of(url)
    if host_aliases:
        host = host_aliases.get(host, host)
    own = parts.scheme.lower()
    declared = scheme
    scheme = (scheme or own or "https") if own in ("http", "https", "") else own
    # A declared scheme makes either default port say nothing; otherwise only the URL's own scheme's default does.
    if parts.port and parts.port not in ((80, 443) if declared else (_DEFAULT_PORTS.get(scheme),)):
        host = f"{host}:{parts.port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")
    ) if parts.query else []  # (most article URLs have none)
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit((scheme, host, path, urlencode(query) if query else "", ""))


#: A host name (letters of any script, digits, hyphens, underscores; dot-separated labels), or an IPv4 address.
_HOST_NAME = re.compile(r"[\w-]+(?:\.[\w-]+)*\.?")


#: The crawl stat that counts the links (and meta refreshes, redirects) skipped because they cannot be requested.
UNREQUESTABLE_STAT = "newsarchive/unrequestable_urls"


class UnrequestableUrl(ValueError):
    """A URL the crawl cannot ask for; the message says why, in one line."""


def requestable_url(url: str) -> str:
    """`url` with its scheme in lower case, if a crawl can request it: http or https, a well-formed host, a port in
    1-65535 and no credentials (`user:password@`, which would be sent to the site and end up in the archive).
    Raises UnrequestableUrl otherwise (javascript:, mailto:, `https://exa mple.vn/`, port 99999...)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:  # a bad port, a broken IPv6 literal
        raise UnrequestableUrl(f"not a requestable URL ({e}): {url!r}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise UnrequestableUrl(f"not an http(s) URL: {url!r}")
    if parts.username is not None or parts.password is not None:
        raise UnrequestableUrl(f"a URL with credentials (user:password@) is not crawled: {url!r}")
    host = parts.hostname or ""
    if parts.netloc.rpartition("@")[2].startswith("["):
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise UnrequestableUrl(f"not a valid IPv6 address {host!r}: {url!r}") from None
    elif not _HOST_NAME.fullmatch(host):
        raise UnrequestableUrl(f"not a valid host name {host!r}: {url!r}")
    if port == 0:
        raise UnrequestableUrl(f"port 0 cannot be requested: {url!r}")
    return parts.scheme.lower() + url[len(parts.scheme):]


def link_target(base: str, href: str) -> str | None:
    """The URL a link on page `base` leads to, if a crawl can request it (see requestable_url); else None."""
    try:
        return requestable_url(urljoin(base, href.strip()))
    except ValueError:
        return None


class UrlJoiner:
    """`urljoin` against one page's URL, each reference joined once. A page's photo URLs are joined by the content
    walk, the lead-photo reader and the sanitizer alike, and a join costs 5-20 µs (two urlparse and an urlunparse)."""

    def __init__(self, base: str):
        self.base = base
        self._joined: dict[str, str] = {}

    def __call__(self, reference: str) -> str:
        url = self._joined.get(reference)
        if url is None:
            url = self._joined[reference] = urljoin(self.base, reference)
        return url


def joiner(base: str | UrlJoiner) -> UrlJoiner:
    """`base` as a UrlJoiner: the caller's own (shared by everything that reads one page), or a new one."""
    return base if isinstance(base, UrlJoiner) else UrlJoiner(base)
