"""The same hostile values in every GET query parameter of every view of the access matrix and
in every numeric field of every form those views show: never a 500.

Which query parameters a view reads is found by watching it: the first request records every key
the view (or anything it calls) asks ``request.GET`` for; each key then gets each hostile value.
Forms are read from the pages themselves (``<form method="post">`` with their inputs); every
numeric input (``type=number``, ``inputmode=decimal|numeric``) gets each hostile value with the
other fields as the page filled them. Every request runs in a rolled-back transaction.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse

from tests.web import access_matrix as am

HOSTILE = ["abc", "1e308", "inf", "nan", "-1", "0", "99999", "x" * 10_000, "%00", "\x00", "<script>alert(1)</script>"]
DOCUMENT_VALUES = ["abc", "1e308", "\x00"]
ROLES = ("dost_admin", "agency", "anonymous")
NUMERIC_INPUTMODES = {"decimal", "numeric"}


@contextmanager
def watching_get_keys():
    """Record the keys any code asks request.GET for (QueryDict reads) while the block runs."""
    seen: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def wrap(name):
        original = originals[name]

        def method(self, key, *args, **kwargs):
            seen.add(key)
            return original(self, key, *args, **kwargs)

        return method

    for name in originals:
        setattr(QueryDict, name, wrap(name))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


class FormParser(HTMLParser):
    """``<form method=post>`` elements with their named inputs, selects and textareas."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.form = {"action": a.get("action", ""), "fields": {}, "numeric": [], "files": False}
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind == "file":
                self.form["files"] = True
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form["fields"].setdefault(a["name"], a.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset"):
                self.form["fields"][a["name"]] = a.get("value", "")
                if kind == "number" or a.get("inputmode") in NUMERIC_INPUTMODES:
                    self.form["numeric"].append(a["name"])
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self.form["fields"].setdefault(self.select, "")
        elif tag == "option" and self.select:
            if "selected" in a or not self.form["fields"][self.select]:
                self.form["fields"][self.select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.form["fields"][self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form["fields"][self.textarea] += data


def request(client, method, url, data):
    """(status or the exception's name) of one request in a rolled-back transaction."""
    with transaction.atomic():
        try:
            response = getattr(client, method)(url, data)
            outcome = response.status_code
        except Exception as exc:  # the test client re-raises a view's exception: that is a 500
            outcome = f"500 ({type(exc).__name__}: {str(exc)[:120]})"
        transaction.set_rollback(True)
    return outcome, (response if not isinstance(outcome, str) else None)


def representative(keys) -> list[str]:
    """The keys, at most two per family of keys that differ only by an indicator code (``v_1.2.1``…)."""
    families: dict[str, list[str]] = {}
    for key in sorted(keys):
        families.setdefault(re.sub(r"[0-9.]+", "#", key), []).append(key)
    return [key for family in families.values() for key in family[:2]]


def short(value: str) -> str:
    return repr(value if len(value) < 30 else value[:10] + f"…({len(value)} chars)")


@pytest.mark.slow
def test_hostile_values_in_every_query_parameter_and_numeric_form_field_never_give_a_500(personas, client_for):
    failures: list[str] = []
    forms: dict[tuple[str, str], dict] = {}
    checked_params = 0
    clients = {role: client_for(role) for role in ROLES}
    for name, row in sorted(am.MATRIX.items()):
        if row.method != "get":
            continue
        url = reverse(name, kwargs=row.kwargs(personas) if row.kwargs else None)
        for role in ROLES:
            client = clients[role]
            # A GET request has an empty POST: every QueryDict key read is a query parameter.
            with watching_get_keys() as keys:
                outcome, response = request(client, "get", url, {})
            if outcome != 200:
                continue
            content_type = response.get("Content-Type", "")
            if "text/html" in content_type:
                parser = FormParser()
                parser.feed(response.content.decode("utf-8", "replace"))
                for form in parser.forms:
                    if form["numeric"]:
                        action = urljoin(url, form["action"]) if form["action"] else url
                        forms.setdefault((role, urlsplit(action).path), form)
            # Documents (DOCX, PDF, XLSX) read their parameters through the same helpers as their page and
            # take seconds each: the three worst values are enough there.
            values = HOSTILE if content_type.startswith(("text/", "application/json")) else DOCUMENT_VALUES
            for key in representative(keys):
                for value in values:
                    checked_params += 1
                    outcome, _ = request(client, "get", url, {key: value})
                    if not isinstance(outcome, int) or outcome >= 500:
                        failures.append(f"GET {url}?{key}={short(value)} as {role}: {outcome}")
            break  # one role per view: the first that may open it (the staff administrator sees the most)
    checked_fields = 0
    for (role, action), form in sorted(forms.items()):
        for field in representative(form["numeric"]):
            for value in HOSTILE:
                checked_fields += 1
                data = {**form["fields"], field: value}
                outcome, _ = request(clients[role], "post", action, data)
                if not isinstance(outcome, int) or outcome >= 500:
                    failures.append(f"POST {action} {field}={short(value)} as {role}: {outcome}")
    assert checked_params > 200 and checked_fields > 20, (checked_params, checked_fields)
    assert not failures, f"{len(failures)} requests gave a 500:\n" + "\n".join(failures)

