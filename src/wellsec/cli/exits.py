"""Exit codes, and the one table that turns a library error into a line and a code.

Exit codes: 0 done; 1 ``--fail-on`` reached; 2 bad usage or input; 3 nothing collected;
4 done, but incomplete (some evidence unavailable or some account not scanned); 70 an
internal error, a bug (``EX_SOFTWARE`` in sysexits.h), so that CI can tell it from 1.
Commands that read or write the store exit 3 when the store cannot be used at all and 2
when it lacks the review asked for; a review whose recording fails is still reported,
with a warning, and exits by the review.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer

from wellsec.errors import CollectionError, InputError
from wellsec.render.safe import inert, inert_lines
from wellsec.store.records import StoreError, StoreUnavailable
from wellsec.wa.client import WaToolError

EXIT_OK, EXIT_RISK, EXIT_INPUT, EXIT_NOTHING, EXIT_INCOMPLETE = 0, 1, 2, 3, 4
EXIT_BUG = 70

# Error class -> exit code (or a function of the error), first match wins: subclasses first.
EXIT_CODES: tuple[tuple[type[Exception], int | Callable[[Exception], int]], ...] = (
    (StoreUnavailable, EXIT_NOTHING),  # the store cannot be used at all
    (StoreError, EXIT_INPUT),  # it lacks the review or milestone asked for
    (
        WaToolError,
        lambda exc: EXIT_INPUT if isinstance(exc, WaToolError) and exc.bad_input else EXIT_NOTHING,
    ),
    (InputError, EXIT_INPUT),
    (CollectionError, EXIT_NOTHING),
)
HANDLED = tuple(cls for cls, _ in EXIT_CODES)


def exit_code(exc: Exception) -> int:
    """The exit code of a library error (``EXIT_BUG`` for one the table does not know)."""
    for cls, code in EXIT_CODES:
        if isinstance(exc, cls):
            return code(exc) if callable(code) else code
    return EXIT_BUG


def die(message: str, code: int) -> NoReturn:
    # Messages may quote AWS text (names, reasons): one line, no control characters.
    sys.stderr.write(f"wellsec: error: {inert(message)}\n")
    raise typer.Exit(code)


@contextmanager
def errors() -> Iterator[None]:
    """Translate library errors into one line and the exit code of ``EXIT_CODES``."""
    try:
        yield
    except HANDLED as exc:
        die(str(exc), exit_code(exc))


def crash(exc: Exception, debug: bool) -> NoReturn:
    """An uncaught error is a bug: one line saying so and where the traceback went."""
    trace = "".join(traceback.format_exception(exc))  # no local variables: no secrets
    try:
        fd, name = tempfile.mkstemp(prefix="wellsec-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(trace)
        where = f"traceback in {name}"
    except OSError:
        where = "traceback not saved"
    if debug:
        sys.stderr.write(inert_lines(trace))
    sys.stderr.write(
        f"wellsec: internal error (a bug in wellsec, please report it): "
        f"{type(exc).__name__}; {where}"
        + ("" if debug else "; --debug or WELLSEC_DEBUG=1 prints it")
        + "\n"
    )
    raise typer.Exit(EXIT_BUG)
