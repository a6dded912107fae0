"""The `piiplan` command line.

Each command family lives in its own module exposing ``register(subparsers)``; the module adds its
sub-commands with ``set_defaults(func=...)``. A command function returns an exit code.
Errors the user can fix exit with code 2 and one Vietnamese message per problem.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Command families, in the order they appear in `piiplan --help`.
COMMAND_MODULES = ("engine", "demo", "analysis", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="piiplan",
        description="piiplan — tính toán Chỉ số đổi mới sáng tạo cấp địa phương (PII) và hỗ trợ thực hiện kế hoạch.",
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"piiplan.cli.{name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
