"""The client's address: the one helper used by login throttling and the audit log.

``REMOTE_ADDR`` is the client, unless it is one of the reverse proxies listed in
``PIIPLAN_TRUSTED_PROXIES`` (comma-separated IP addresses or networks, e.g. ``127.0.0.1,10.0.0.0/24``;
empty by default). Then ``X-Forwarded-For`` is read from the right: every trusted proxy appends the
address it received the request from, so the right-most address that is NOT a trusted proxy is the
client. Addresses further left were written by the client itself and are never believed. A malformed
entry stops the walk and the last trusted hop is used (a forged header cannot pick an address).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[tuple[Network, ...], tuple[str, ...]]:
    """The networks of ``entries`` and the entries that are not addresses or networks."""
    networks, bad = [], []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            bad.append(entry)
    return tuple(networks), tuple(bad)


def trusted_networks() -> tuple[Network, ...]:
    return parse_networks(tuple(getattr(settings, "PIIPLAN_TRUSTED_PROXIES", ()) or ()))[0]


def _address(text: str):
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.5:51234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket ("::ffff:203.0.113.5").
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(request) -> str | None:
    """The client's IP address as text, or None when the request has none (management commands)."""
    meta = getattr(request, "META", None) or {}
    remote = _address(meta.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(remote, networks):
        return str(remote)
    forwarded = [part for part in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()]
    client = remote
    for part in reversed(forwarded):
        address = _address(part)
        if address is None:
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
