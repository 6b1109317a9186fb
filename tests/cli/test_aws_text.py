"""Text that AWS supplies (a WA Tool workload's name, Security Hub's reasons) is printed
inert: a control character or a bidi override shows as an escape, never acts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.wa.test_cli_wa import ENV
from tests.wa.wa import WORKLOAD_ID, answer_reply, choices, stubbed, workload_reply
from wellsec.cli import app
from wellsec.cli.export import _report_import
from wellsec.lens import load_lens
from wellsec.securityhub.importer import Failure, ImportResult

CLEAR = "\x1b[2J"  # clears a terminal
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # writes the clipboard
RLO = "\u202e"  # reverses what follows


def _raw(text: str) -> bool:
    return any(ch in text for ch in ("\x1b", "\x07", RLO))


@pytest.mark.parametrize("as_json", [False, True])
def test_pull_prints_the_wa_tools_text_inert(
    as_json: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    lens = load_lens("sec01@2022")
    reply = workload_reply(owner=f"owner{RLO}@example.com", name=f"pay{CLEAR}ments{OSC52}")
    with stubbed() as (client, stub):
        stub.add_response("get_workload", reply, {"WorkloadId": WORKLOAD_ID})
        stub.add_response("get_answer", answer_reply(choices(lens)))
        args = ["pull", "--workload-id", WORKLOAD_ID, "--no-compare"]
        result = CliRunner().invoke(
            app,
            [*args, "--json"] if as_json else args,
            env={**ENV, "WELLSEC_STORE": f"sqlite:///{tmp_path / 's.db'}"},
            obj={"wellarchitected": client},
        )
    assert result.exit_code == 0, result.output
    assert not _raw(result.stdout + result.stderr)
    if as_json:
        data = json.loads(result.stdout)  # still the same values, escaped as JSON
        assert data["workload"]["name"] == f"pay{CLEAR}ments{OSC52}"
        assert data["workload"]["review_owner"] == f"owner{RLO}@example.com"
    else:
        assert "pay\\x1b[2Jments\\x1b]52;c;cm0gLXJmIH4=\\x07" in result.stdout
        assert "owner\\u202e@example.com" in result.stdout


def test_security_hubs_reasons_are_printed_inert(capsys: pytest.CaptureFixture[str]) -> None:
    failure = Failure(id=f"finding{RLO}1", code=f"Invalid{CLEAR}", message=f"refused {OSC52}")
    results = [
        ImportResult(
            account="111122223333",
            region="us-east-1",
            sent=2,
            imported=1,
            failures=(failure,),
            warning=f"archive failed: {CLEAR}",
        )
    ]
    with pytest.raises(typer.Exit):
        _report_import(results)
    err = capsys.readouterr().err
    assert not _raw(err)
    assert (
        "1 x Invalid\\x1b[2J: refused \\x1b]52;c;cm0gLXJmIH4=\\x07 (first: finding\\u202e1)" in err
    )
    assert "warning: archive failed: \\x1b[2J" in err
