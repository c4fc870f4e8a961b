"""Helpers shared by the command modules: error reporting, output, the default actor."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from sopdesigner.errors import SopError

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


def run_handler(handler: Callable[[], int]) -> int:
    """Run a command: a SopError (or an OS error) becomes one sentence on stderr and exit 2."""
    try:
        return handler()
    except SopError as err:
        fail(str(err))
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (``sopdesigner gate x.sop | head``): stop quietly, as Unix tools do,
        # and point stdout at devnull so the interpreter's final flush does not complain.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as err:
        where = f" ({err.filename})" if getattr(err, "filename", None) else ""
        fail(f"{err.strerror or err}{where}.")
        return EXIT_ERROR
    except KeyboardInterrupt:
        fail("Interrupted.")
        return 130


def fail(message: str) -> None:
    print(f"sopdesigner: {message}", file=sys.stderr)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def actor_from(args: Any) -> str:
    """``--actor``, else the user name in settings, else the OS login."""
    given = getattr(args, "actor", None)
    if given and given.strip():
        return str(given.strip())
    try:
        from sopdesigner.storage.settings import load_settings

        name = load_settings().user_name.strip()
        if name:
            return name
    except (ImportError, SopError, OSError):
        pass
    from sopdesigner.editing.session import default_actor

    return default_actor()
