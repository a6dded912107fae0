"""The `piiplan` command line.

Each command family lives in its own module exposing ``register(subparsers)``; the module adds its
sub-commands with ``set_defaults(func=...)``. A command function returns an exit code.
Errors the user can fix exit with code 2 and one Vietnamese message per problem.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# argparse's own words, in Vietnamese (it looks them up through gettext at call time).
_ARGPARSE_VI = {
    "usage: ": "Cách dùng: ",
    "options": "tuỳ chọn",
    "positional arguments": "tham số vị trí",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "tuỳ chọn mơ hồ: %(option)s có thể là %(matches)s",
    "not allowed with argument %s": "không dùng được cùng tham số %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
}


def _vi(message: str) -> str:
    return _ARGPARSE_VI.get(message, message)


def _vi_n(singular: str, plural: str, n: int) -> str:
    return _vi(singular if n == 1 else plural)


argparse._ = _vi              # type: ignore[attr-defined]
argparse.ngettext = _vi_n     # type: ignore[attr-defined]


class ViArgumentParser(argparse.ArgumentParser):
    """An argument parser whose errors are one Vietnamese line, exit code 2."""

    def error(self, message: str):
        self.exit(2, f"Lỗi: {message}\nXem «{self.prog} --help».\n")

# Command families, in the order they appear in `piiplan --help`.
COMMAND_MODULES = ("engine", "demo", "analysis", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = ViArgumentParser(
        prog="piiplan",
        description="piiplan — tính toán Chỉ số đổi mới sáng tạo cấp địa phương (PII) và hỗ trợ thực hiện kế hoạch.",
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=ViArgumentParser, title="các lệnh")
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
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:      # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
