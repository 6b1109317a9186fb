"""The command line. Only this package parses arguments, touches stdout/files and exits.

This module builds the app from the command modules (one per command group, each a leaf:
they import ``options``, ``exits`` and the support modules, never this module nor each
other). Exit codes and the error table: ``exits``.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from wellsec import __version__
from wellsec.cli.exits import crash
from wellsec.cli.export import app as export_app
from wellsec.cli.fix import app as fix_app
from wellsec.cli.lens import lens_app
from wellsec.cli.local import app as local_app
from wellsec.cli.milestone import milestone_app
from wellsec.cli.review import app as review_app
from wellsec.cli.store import app as store_app
from wellsec.cli.wa import app as wa_app
from wellsec.cli.wa_pull import app as wa_pull_app

__all__ = ["app", "lens_app", "main", "milestone_app"]


class _Group(TyperGroup):
    """The command group, which turns an uncaught error into exit 70, not Python's 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        # Exits, aborts, usage errors (exit 2) and ^C keep their own handling.
        except (typer.Exit, typer.Abort, TyperException, EOFError):
            raise
        except Exception as exc:
            debug = bool(ctx.params.get("debug")) or os.environ.get("WELLSEC_DEBUG") == "1"
            crash(exc, debug)


# Tracebacks never print local variables: they hold store URLs with passwords.
app = typer.Typer(
    cls=_Group,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    add_completion=False,
    help="Evidence-backed review of AWS Well-Architected SEC 1: "
    "How do you securely operate your workload?",
)
# The order here is the order of ``wellsec --help``: commands, then the command groups.
for commands in (review_app, local_app, fix_app, store_app, wa_app, export_app, wa_pull_app):
    app.add_typer(commands)
del commands
app.add_typer(lens_app, name="lens")
app.add_typer(milestone_app, name="milestone")


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"wellsec {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True)
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="On an internal error, print the traceback.")
    ] = False,
) -> None:
    """wellsec."""


def main() -> None:
    app()
