"""Demo data for ``manage.py load_demo``: a list of loader steps, one module per app.

Each installed app may have a ``demo.py`` with ``STEPS = [DemoStep(...), ...]``. The command
runs the steps of every app in ``INSTALLED_APPS`` order (accounts first: agencies and users,
then indexdata: datasets, then plan: the plan), each in its own transaction.

Steps only ever ADD what is missing: a row that exists is never changed or deleted (no
``update_or_create``), whatever people did with it since (a changed password, a locked account,
a renamed plan, an edited or added task). Running the command twice changes nothing the second
time. The demo password (``ctx.password``) is set only on accounts created in this run.

A step receives a :class:`DemoContext`: shared objects (``ctx.users["agency"]``,
``ctx.agencies``), a ``ctx.data`` dict for passing things to later steps, and ``ctx.say()``
to print a line. Add a step by appending to your app's ``STEPS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any, Callable


@dataclass
class DemoContext:
    province: str
    password: str
    write: Callable[[str], None] = print
    users: dict[str, Any] = field(default_factory=dict)  # role → User
    agencies: list[Any] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # created now: (role label, username, password)
    kept: list[str] = field(default_factory=list)  # demo usernames that already existed (left untouched)

    def say(self, message: str) -> None:
        self.write(message)


@dataclass(frozen=True)
class DemoStep:
    name: str  # short identifier, e.g. "accounts.agencies"
    label_vi: str  # what is printed while it runs
    run: Callable[[DemoContext], None]


def discover_steps(app_names: list[str]) -> list[DemoStep]:
    steps: list[DemoStep] = []
    for app in app_names:
        module_name = f"{app}.demo"
        if not app.startswith("piiplan.") or find_spec(module_name) is None:
            continue
        steps.extend(getattr(import_module(module_name), "STEPS", []))
    return steps
