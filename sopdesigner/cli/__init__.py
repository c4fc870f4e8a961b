"""The command line front door: ``sopdesigner [FILE]`` opens the editor, subcommands script it.

Each group of commands lives in its own module exposing ``register(subparsers)``; a command
handler takes the parsed ``args`` and returns the exit code. Errors a user can cause are
``SopError``s: printed as one sentence on stderr, exit 2. Commands that need no window never
load Qt (the GUI and image exports import ``sopdesigner.ui`` lazily).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sopdesigner import __version__
from sopdesigner.cli.common import run_handler

#: Modules that contribute subcommands; each has ``register(subparsers)``.
COMMAND_MODULES = (
    "sopdesigner.cli.documents",
    "sopdesigner.cli.records",
    "sopdesigner.cli.checks",
    "sopdesigner.cli.exports",
)


def build_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    """The parser and the names of its commands."""
    import importlib

    parser = argparse.ArgumentParser(
        prog="sopdesigner",
        description="Design, review and audit AI model deployment approval SOPs. "
        "Run without a command (optionally with a .sop file) to open the editor.",
    )
    parser.add_argument("--version", action="version", version=f"sopdesigner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser, set(sub.choices)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser, commands = build_parser()
    if not args_list or (args_list[0] not in commands and not args_list[0].startswith("-")):
        # ``sopdesigner`` or ``sopdesigner FILE``: the editor.
        if len(args_list) > 1:
            parser.error("give at most one file to open")
        from sopdesigner.cli.gui import open_editor

        return run_handler(lambda: open_editor(args_list[0] if args_list else None))
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 0
    return run_handler(lambda: args.handler(args))
