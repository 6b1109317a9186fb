"""The AWS behaviour catalogue against the installed botocore models and the code.

A new operation, a new modelled error, or a new enum value compared in the code fails
here until the catalogue (src/wellsec/aws/catalogue.yaml) says what it means and why.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from tests.meta.catalogue_support import declared_actions
from wellsec.aws.catalogue import (
    EnumValue,
    Meaning,
    client_name,
    enum_of,
    load,
    model_errors,
    service_model,
)
from wellsec.aws.catalogue_doc import render
from wellsec.emulator import gaps

CATALOGUE = load()
ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "wellsec"

# Gap answers in modules other engineers are changing right now; each cites its entry
# once that work merges (issue 13). Named here, never skipped silently.
GAPS_PENDING_CITATION: dict[str, str] = {}


def test_every_declared_operation_has_an_entry_and_no_entry_is_stale() -> None:
    declared = declared_actions()
    assert sorted(declared - set(CATALOGUE.operations)) == []  # add them to catalogue.yaml
    assert sorted(set(CATALOGUE.operations) - declared) == []  # no longer sent: remove


@pytest.mark.parametrize("action", sorted(CATALOGUE.operations))
def test_entry_names_a_real_operation(action: str) -> None:
    operation = action.split(":", 1)[1]
    assert operation in service_model(client_name(action)).operation_names, action


@pytest.mark.parametrize("action", sorted(CATALOGUE.operations))
def test_every_modelled_error_is_handled_deliberately(action: str) -> None:
    entry = CATALOGUE.operations[action]
    missing = sorted(set(model_errors(action)) - set(entry.errors))
    assert missing == [], f"{action}: say whether each is a fact or unavailable"
    for code, error in entry.errors.items():
        if code not in model_errors(action):
            # Documented but not modelled: only with a documentation page saying so.
            assert error.source.startswith("https://docs.aws.amazon.com/"), (action, code)
        if error.meaning is not Meaning.UNAVAILABLE:
            assert error.value and error.source.startswith("https://"), (action, code)


def test_every_entry_cites_a_source_and_names_its_callers() -> None:
    for entry in CATALOGUE.operations.values():
        assert entry.source.startswith("https://docs.aws.amazon.com/"), entry.action
        assert entry.callers, entry.action
    for group in CATALOGUE.generic_errors:
        assert group.source.startswith("https://docs.aws.amazon.com/"), group.codes


ENUM_IDS = [f"{e.service}.{e.shape or '-'}={e.value}" for e in CATALOGUE.enums]


@pytest.mark.parametrize("enum", CATALOGUE.enums, ids=ENUM_IDS)
def test_enum_values_exist_in_the_model(enum: EnumValue) -> None:
    if enum.shape:
        assert enum.value in enum_of(enum.service, enum.shape)
    else:  # the model has no enum there: the documentation is the source
        assert enum.source.startswith("https://docs.aws.amazon.com/"), enum.value
    # The value is really compared in the file named first (alone or in a "A/B" key).
    first = SRC / enum.used_in.split()[0].rstrip(",")
    literal = re.compile(rf"[\"'/]{re.escape(enum.value)}[\"'/]")
    assert literal.search(first.read_text()), (enum.value, first)


def test_gap_answers_cite_the_catalogue_entry_they_implement() -> None:
    answers = {**gaps.ANSWERERS, **gaps.REWRITERS}
    uncited = []
    for action, fn in sorted(answers.items()):
        if action not in CATALOGUE.operations or action in GAPS_PENDING_CITATION:
            continue  # not sent by the scan (fixes, exports, scenario set-up) or pending
        if f"catalogue: {action}" not in inspect.getsource(fn):
            uncited.append(action)
    assert uncited == []


def test_pending_citations_are_still_pending() -> None:
    answers = {**gaps.ANSWERERS, **gaps.REWRITERS}
    done = [a for a in GAPS_PENDING_CITATION if f"catalogue: {a}" in inspect.getsource(answers[a])]
    assert done == [], "cited now: remove them from GAPS_PENDING_CITATION"


def test_the_document_is_rendered_from_the_catalogue() -> None:
    doc = ROOT / "docs" / "aws-behaviour.md"
    assert doc.read_text() == render(CATALOGUE), (
        "run: python -m wellsec.aws.catalogue_doc > docs/aws-behaviour.md"
    )
