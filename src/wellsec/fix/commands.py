"""AWS CLI command lines for :class:`~wellsec.fix.model.AwsCommand`, quoted for the shell.

Names come from botocore's service models, the way the AWS CLI derives them (operation
``CreateStackSet`` -> ``create-stack-set``, member ``StackSetName`` -> ``--stack-set-name``),
so every generated command names a real operation and real parameters. Every value is
quoted with :func:`shlex.quote`; a value with a control character is refused, since no
AWS identifier needs one and a newline would end the command, and so is one with an
invisible or bidirectional formatting character, which makes a reviewed line read
differently from what runs.
"""

from __future__ import annotations

import json
import shlex
import unicodedata
from functools import cache
from typing import Any

import botocore.session
from botocore import xform_name
from botocore.model import OperationModel, ServiceModel

from wellsec.fix.model import AwsCommand, FixError

CLI_SERVICE = {"config": "configservice"}  # boto3 name -> AWS CLI name, where they differ
# Unicode categories no command value may hold: controls (C0 and C1), line and paragraph
# separators, formatting (bidirectional overrides, zero-width), surrogates, private use
# and unassigned code points. The zero-width joiner alone is kept: emoji need it.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
ZERO_WIDTH_JOINER = "\u200d"


def unsafe_character(text: str) -> bool:
    """Does ``text`` hold a character no reviewed command may carry?"""
    return any(
        unicodedata.category(c) in UNSAFE_CATEGORIES and c != ZERO_WIDTH_JOINER for c in text
    )


@cache
def _service(name: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(name)


def operation_model(command: AwsCommand) -> OperationModel:
    """The botocore model of the command's operation (an unknown one is a bug here)."""
    service = _service(command.service)
    if command.operation not in service.operation_names:
        raise ValueError(f"{command.service} has no operation {command.operation}")
    return service.operation_model(command.operation)


def _text(value: Any) -> str:
    text = str(value)
    if unsafe_character(text):
        raise FixError(None, f"refusing a command value with a control character: {text!r}")
    return text


def _argument(member: str, value: Any, shape_type: str) -> list[str]:
    flag = "--" + xform_name(member, "-")
    if shape_type == "boolean":
        return [flag if value else "--no-" + flag[2:]]
    if shape_type == "list" and all(isinstance(v, str) for v in value):
        return [flag, *(_text(v) for v in value)]
    if isinstance(value, (dict, list)):
        return [flag, _text(json.dumps(value, sort_keys=True, separators=(",", ":")))]
    return [flag, _text(value)]


def cli_tokens(command: AwsCommand) -> list[str]:
    """``aws <service> <operation> --member value ... --region R``, unquoted."""
    model = operation_model(command)
    members = model.input_shape.members if model.input_shape is not None else {}
    tokens = ["aws", CLI_SERVICE.get(command.service, command.service)]
    tokens.append(xform_name(command.operation, "-"))
    for member, value in command.params:
        if member not in members:
            raise ValueError(f"{command.operation} has no parameter {member}")
        tokens += _argument(member, value, members[member].type_name)
    return [*tokens, "--region", _text(command.region)]


def shell_line(tokens: list[str]) -> str:
    """Tokens joined for a POSIX shell, each quoted when it needs to be."""
    return " ".join(shlex.quote(t) for t in tokens)


def cli_line(command: AwsCommand) -> str:
    """The command as one shell line."""
    return shell_line(cli_tokens(command))


def script_line(command: AwsCommand) -> str:
    """The command for the reviewed script: ``run_in ACCOUNT aws ...``."""
    return shell_line(["run_in", _text(command.account), *cli_tokens(command)])
