"""argparse that speaks Thai: headings, usage line, help and its own error messages.

argparse writes "usage:", "positional arguments", "options", "show this help message and
exit" and its error sentences in English; an officer reading ``itadesk --help`` should see
none of them. The words come from here only, so the command line and its tests agree.
"""

from __future__ import annotations

import argparse
import difflib
import sys

USAGE_PREFIX = "วิธีใช้: "
POSITIONALS_TITLE = "ข้อมูลที่ต้องระบุ"
OPTIONALS_TITLE = "ตัวเลือก"
HELP_HELP = "แสดงวิธีใช้นี้แล้วจบ"
VERSION_HELP = "แสดงรุ่นของโปรแกรมแล้วจบ"

# argparse's own error sentences (Python 3.11-3.14) and their Thai; longest first.
ERROR_WORDS = (
    ("the following arguments are required: ", "ขาดข้อมูลที่ต้องระบุ: "),
    ("unrecognized arguments: ", "ไม่รู้จักตัวเลือก: "),
    ("expected at least one argument", "ต้องระบุอย่างน้อยหนึ่งค่า"),
    ("expected one argument", "ต้องระบุค่า"),
    ("ignored explicit argument ", "ตัวเลือกนี้ไม่รับค่า: "),
    ("not allowed with argument ", "ใช้ร่วมกับตัวเลือกนี้ไม่ได้: "),
    ("ambiguous option: ", "ตัวเลือกกำกวม: "),
    ("could match ", "อาจหมายถึง "),
    ("invalid choice: ", "ไม่มีตัวเลือก "),
    ("choose from ", "เลือกจาก "),
    ("invalid int value: ", "ต้องเป็นตัวเลข: "),
    ("argument ", "ตัวเลือก "),
)


def translate_error(message: str) -> str:
    for english, thai in ERROR_WORDS:
        message = message.replace(english, thai)
    return message


def unknown_command_message(word: str, commands: list[str]) -> str:
    """One Thai line for a mistyped command: the closest command, then every command."""
    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.6)
    guess = f" หมายถึง {close[0]} หรือไม่?" if close else ""
    return f"ไม่มีคำสั่ง \"{word}\"{guess} คำสั่งที่มี: {', '.join(commands)} (ดูวิธีใช้: itadesk --help)"


class ThaiHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class ThaiArgumentParser(argparse.ArgumentParser):
    """Thai headings and help; argument mistakes end in the usage and one Thai line (exit 1)."""

    def __init__(self, *args, add_help: bool = True, **kwargs):
        kwargs.setdefault("formatter_class", ThaiHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = POSITIONALS_TITLE
        self._optionals.title = OPTIONALS_TITLE
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_HELP)

    def error(self, message: str):  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        command = self.prog.split()[-1] + " " if " " in self.prog else ""
        self.exit(1, f"itadesk: {translate_error(message)} (ดูวิธีใช้: itadesk {command}--help)\n")
