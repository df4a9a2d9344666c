"""URL identity: one spelling per article, whatever link led to it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

#: Query parameters that only track where a click came from; they never change the page.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "zarsrc", "zalo_source", "_ga", "mc_cid", "mc_eid", "ref", "refid"}
)


def host_of(url: str) -> str:
    """The lower-case host of `url`, without port or a leading `www.`."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def canonicalize(url: str, host_aliases: dict[str, str] | None = None, scheme: str = "https") -> str:
    """`scheme` (https: every site archived serves it), lower-case host without `www.` (mapped through
    `host_aliases`), no fragment, no tracking parameters, no trailing slash on a path other than `/`, remaining
    query parameters sorted."""
    parts = urlsplit(url.strip())
    host = host_of(url)
    if host_aliases:
        host = host_aliases.get(host, host)
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    scheme = scheme if parts.scheme in ("http", "https", "") else parts.scheme
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")
    ) if parts.query else []  # (most article URLs have none)
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit((scheme, host, path, urlencode(query) if query else "", ""))


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
