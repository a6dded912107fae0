"""One test over every URL of the project × every role (table in access_matrix.py)."""

from __future__ import annotations

from tests.web import access_matrix as am
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse


def walk(patterns, namespace: str = ""):
    """Yield (url name with namespaces, view callback) for every named URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def outcome_of(response) -> object:
    if response.status_code in (301, 302, 303, 307, 308):
        login = reverse(settings.LOGIN_URL)
        return am.LOGIN if response["Location"].split("?")[0] == login else am.REDIRECT
    return response.status_code


def test_every_view_is_in_the_matrix_and_behaves_as_listed(personas, client_for):
    urls = dict(walk(get_resolver().url_patterns))
    missing = sorted(set(urls) - set(am.MATRIX))
    stale = sorted(set(am.MATRIX) - set(urls))
    assert not missing, f"URL names missing from tests/web/access_matrix.py: {missing}"
    assert not stale, f"rows in access_matrix.py for URL names that no longer exist: {stale}"

    undecorated = sorted(name for name, view in urls.items() if not hasattr(view, "access_policies"))
    assert not undecorated, f"views not wrapped in accounts.access.access(): {undecorated}"

    failures = []
    for name, row in sorted(am.MATRIX.items()):
        assert set(row.expect) == set(am.ROLES), f"{name}: expected outcomes for {am.ROLES}"
        url = reverse(name, kwargs=row.kwargs(personas) if row.kwargs else None)
        for role in am.ROLES:
            with transaction.atomic():
                client = client_for(role)
                data = row.data(personas) if row.data else {}
                response = getattr(client, row.method)(url, data)
                got = outcome_of(response)
                transaction.set_rollback(True)
            if got != row.expect[role]:
                failures.append(f"{name} [{row.method.upper()} {url}] as {role}: expected {row.expect[role]}, got {got}")
    assert not failures, "access matrix mismatches:\n" + "\n".join(failures)


def test_matrix_catches_a_wrong_expectation(personas, client_for):
    # The checker itself must be able to fail: an admin page seen by an agency is a 403, not 200.
    url = reverse("accounts:users")
    assert outcome_of(client_for("agency").get(url)) == am.FORBIDDEN
    assert outcome_of(client_for("anonymous").get(url)) == am.LOGIN
    assert outcome_of(client_for("dost_admin").get(url)) == am.OK
