"""SEC01-BP02 root-user checks: MFA, hardware MFA, access keys, recent use."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.checks.builders import (
    MEMBER,
    MGMT,
    NOW,
    call,
    credential_row,
    iso,
    only,
    run,
    set_evidence,
    set_unavailable,
    standalone_snapshot,
    workload,
)
from wellsec.checks.root_user import NO_CREDENTIALS_NOT_CENTRAL
from wellsec.findings import Status
from wellsec.snapshot import Snapshot

ROOT_ARN = f"arn:aws:iam::{MEMBER}:root"


def _summary(snapshot: Snapshot, account_id: str, mfa: int, keys: int) -> None:
    value = {"AccountMFAEnabled": mfa, "AccountAccessKeysPresent": keys}
    set_evidence(snapshot, "iam.account_summary", value, account_id=account_id)


def _central_root(snapshot: Snapshot, on: bool) -> None:
    enabled = ["RootCredentialsManagement", "RootSessions"] if on else []
    set_evidence(snapshot, "organizations_features", {"enabled": enabled})


# --- root_mfa_enabled and root_hardware_mfa -------------------------------------------------


def _password(snapshot: Snapshot, account_id: str, value: str) -> None:
    row = credential_row(password_enabled=value)
    set_evidence(snapshot, "iam.root_credentials", row, account_id=account_id)


@pytest.mark.parametrize(
    ("account_id", "mfa", "keys", "password", "central", "expected"),
    [
        pytest.param(MEMBER, 1, 0, "true", False, Status.PASS, id="mfa-on"),
        pytest.param(MEMBER, 0, 0, "true", False, Status.FAIL, id="no-mfa"),
        # Enabling the feature deletes nothing: a member root keeping its password fails.
        pytest.param(MEMBER, 0, 0, "true", True, Status.FAIL, id="central-but-password"),
        pytest.param(MEMBER, 0, 0, "false", True, Status.NOT_APPLICABLE, id="central-no-creds"),
        # Without the feature a root with no password can get one by password recovery.
        pytest.param(MEMBER, 0, 0, "false", False, Status.FAIL, id="no-creds-not-central"),
        pytest.param(MEMBER, 0, 1, "false", True, Status.FAIL, id="central-but-root-keys"),
        pytest.param(MGMT, 0, 0, "false", True, Status.FAIL, id="management-never-central"),
        # GovCloud-style report: cannot tell, so no NOT_APPLICABLE without proof.
        pytest.param(MEMBER, 0, 0, "not_supported", True, Status.UNKNOWN, id="central-govcloud"),
        pytest.param(MEMBER, 0, 0, "not_supported", False, Status.FAIL, id="govcloud-no-central"),
    ],
)
def test_root_mfa_enabled(
    account_id: str,
    mfa: int,
    keys: int,
    password: str,
    central: bool,
    expected: Status,
    snapshot_with_management: Snapshot,
) -> None:
    _summary(snapshot_with_management, account_id, mfa, keys)
    _password(snapshot_with_management, account_id, password)
    _central_root(snapshot_with_management, central)
    finding = only(run(snapshot_with_management), "root_mfa_enabled", account_id)
    assert finding.status is expected, finding.message
    assert finding.resource == f"arn:aws:iam::{account_id}:root"


def test_root_without_credentials_under_central_management_says_so(snapshot: Snapshot) -> None:
    _summary(snapshot, MEMBER, 0, 0)
    _password(snapshot, MEMBER, "false")
    _central_root(snapshot, True)
    (verdict,) = call("root_mfa_enabled", snapshot, MEMBER)
    assert verdict.status is Status.NOT_APPLICABLE
    assert "no credentials (no password, no access keys)" in verdict.message


def test_central_management_with_unreadable_report_is_unknown(snapshot: Snapshot) -> None:
    _summary(snapshot, MEMBER, 0, 0)
    _central_root(snapshot, True)
    missing = set_unavailable(snapshot, "iam.root_credentials", account_id=MEMBER)
    (verdict,) = call("root_mfa_enabled", snapshot, MEMBER)
    assert verdict.status is Status.UNKNOWN
    assert missing.reason in verdict.message


def test_a_root_password_fails_even_if_the_features_are_unreadable(snapshot: Snapshot) -> None:
    _summary(snapshot, MEMBER, 0, 0)
    _password(snapshot, MEMBER, "TRUE")  # the User Guide's spelling
    set_unavailable(snapshot, "organizations_features", reason="ListOrgFeatures denied")
    (verdict,) = call("root_mfa_enabled", snapshot, MEMBER)
    assert verdict.status is Status.FAIL
    assert verdict.message == "root user has no MFA and has a password"


def test_features_off_by_iam_answer_fail_a_root_without_mfa(snapshot: Snapshot) -> None:
    _summary(snapshot, MEMBER, 0, 0)
    _password(snapshot, MEMBER, "false")
    off = {"enabled": [], "off": "trusted access for IAM is not enabled"}
    set_evidence(snapshot, "organizations_features", off)
    (verdict,) = call("root_mfa_enabled", snapshot, MEMBER)
    assert verdict.status is Status.FAIL
    assert verdict.message.startswith(NO_CREDENTIALS_NOT_CENTRAL)
    assert "password recovery" in verdict.message


def test_standalone_account_without_mfa_fails() -> None:
    snap = standalone_snapshot(MEMBER)
    _summary(snap, MEMBER, 0, 0)
    (verdict,) = call("root_mfa_enabled", snap, MEMBER)
    assert verdict.status is Status.FAIL


@pytest.mark.parametrize(
    ("mfa", "virtual", "password", "central", "expected", "says"),
    [
        pytest.param(1, False, "true", False, Status.PASS, "hardware device", id="hardware"),
        pytest.param(1, True, "true", False, Status.FAIL, "virtual device", id="virtual"),
        pytest.param(0, False, "true", False, Status.FAIL, "no MFA at all", id="no-mfa"),
        pytest.param(0, False, "true", True, Status.FAIL, "no MFA at all", id="central-password"),
        pytest.param(0, False, "false", True, Status.NOT_APPLICABLE, "centrally", id="central"),
    ],
)
def test_root_hardware_mfa(
    mfa: int,
    virtual: bool,
    password: str,
    central: bool,
    expected: Status,
    says: str,
    snapshot: Snapshot,
) -> None:
    _summary(snapshot, MEMBER, mfa, 0)
    _password(snapshot, MEMBER, password)
    _central_root(snapshot, central)
    set_evidence(
        snapshot, "iam.root_virtual_mfa", {"assigned": virtual, "serials": []}, account_id=MEMBER
    )
    finding = only(run(snapshot), "root_hardware_mfa", MEMBER)
    assert finding.status is expected
    assert says in finding.message


def test_root_hardware_mfa_unknown_when_the_summary_is_unreadable(snapshot: Snapshot) -> None:
    missing = set_unavailable(snapshot, "iam.account_summary", account_id=MEMBER)
    (verdict,) = call("root_hardware_mfa", snapshot, MEMBER)
    assert verdict.status is Status.UNKNOWN
    assert missing.reason in verdict.message


def test_unreadable_virtual_devices_do_not_matter_without_mfa(snapshot: Snapshot) -> None:
    _summary(snapshot, MEMBER, 0, 0)
    _central_root(snapshot, False)
    set_unavailable(snapshot, "iam.root_virtual_mfa", account_id=MEMBER)
    (verdict,) = call("root_hardware_mfa", snapshot, MEMBER)
    assert verdict.status is Status.FAIL


@pytest.mark.parametrize("check_id", ["root_mfa_enabled", "root_hardware_mfa"])
def test_root_mfa_unknown_when_central_root_management_is_unreadable(
    check_id: str, snapshot: Snapshot
) -> None:
    _summary(snapshot, MEMBER, 0, 0)
    _password(snapshot, MEMBER, "false")
    missing = set_unavailable(snapshot, "organizations_features", reason="ListOrgFeatures denied")
    (verdict,) = call(check_id, snapshot, MEMBER)
    assert verdict.status is Status.UNKNOWN
    assert missing.reason in verdict.message


# --- root_no_access_keys --------------------------------------------------------------------


def test_account_summary_decides_root_access_keys_first(snapshot: Snapshot) -> None:
    set_evidence(
        snapshot, "iam.root_credentials", credential_row(key1_active="true"), account_id=MEMBER
    )
    (verdict,) = call("root_no_access_keys", snapshot, MEMBER)
    assert verdict.status is Status.PASS
    assert verdict.message == "root user has no access keys"


@pytest.mark.parametrize(
    ("row", "expected", "says"),
    [
        pytest.param(credential_row(), Status.PASS, "(credential report)", id="none-active"),
        pytest.param(
            credential_row(key2_active="true"), Status.FAIL, "root access key 2 is active", id="k2"
        ),
        pytest.param(
            credential_row(key1_active="true", key2_active="true"),
            Status.FAIL,
            "root access key 1 is active",
            id="both",
        ),
    ],
)
def test_credential_report_decides_root_access_keys_when_the_summary_is_missing(
    row: dict[str, str], expected: Status, says: str, snapshot: Snapshot
) -> None:
    set_unavailable(snapshot, "iam.account_summary", account_id=MEMBER)
    set_evidence(snapshot, "iam.root_credentials", row, account_id=MEMBER)
    finding = only(run(snapshot), "root_no_access_keys", MEMBER)
    assert finding.status is expected
    assert says in finding.message


# --- root_not_recently_used -----------------------------------------------------------------


def _last_used(snapshot: Snapshot, **dates: str) -> None:
    set_evidence(snapshot, "iam.root_credentials", credential_row(**dates), account_id=MEMBER)


@pytest.mark.parametrize(
    "dates",
    [
        pytest.param({}, id="no_information-and-N/A"),
        pytest.param({"password_last_used": "N/A"}, id="N/A"),
        pytest.param({"key1_last_used": "no_information"}, id="key-no_information"),
        pytest.param({"password_last_used": "not_supported"}, id="not_supported"),
        pytest.param({"password_last_used": "yesterday"}, id="unparseable"),
        pytest.param({"password_last_used": ""}, id="empty"),
    ],
)
def test_no_recorded_root_use_passes(dates: dict[str, str], snapshot: Snapshot) -> None:
    _last_used(snapshot, **dates)
    (verdict,) = call("root_not_recently_used", snapshot, MEMBER)
    assert verdict.status is Status.PASS
    assert verdict.message == "no recorded root use"


def test_root_used_exactly_at_the_limit_passes(snapshot: Snapshot) -> None:
    _last_used(snapshot, password_last_used=iso(NOW - dt.timedelta(days=90)))
    (verdict,) = call("root_not_recently_used", snapshot, MEMBER)
    assert verdict.status is Status.PASS
    assert "90 days ago" in verdict.message


def test_root_used_a_second_inside_the_limit_fails(snapshot: Snapshot) -> None:
    _last_used(
        snapshot, password_last_used=iso(NOW - dt.timedelta(days=90) + dt.timedelta(seconds=1))
    )
    (verdict,) = call("root_not_recently_used", snapshot, MEMBER)
    assert verdict.status is Status.FAIL
    assert "used 89 days ago" in verdict.message
    assert "limit 90" in verdict.message


def test_limit_comes_from_the_workload(snapshot: Snapshot) -> None:
    _last_used(snapshot, password_last_used=iso(NOW - dt.timedelta(days=45)))
    short = call("root_not_recently_used", snapshot, MEMBER, wl=workload(root_unused_days=30))
    long = call("root_not_recently_used", snapshot, MEMBER, wl=workload(root_unused_days=60))
    assert [v.status for v in short + long] == [Status.PASS, Status.FAIL]


def test_the_most_recent_use_decides_and_is_named(snapshot: Snapshot) -> None:
    _last_used(
        snapshot,
        password_last_used=iso(NOW - dt.timedelta(days=200)),
        key1_last_used="N/A",
        key2_last_used=iso(NOW - dt.timedelta(days=2)),
    )
    (verdict,) = call("root_not_recently_used", snapshot, MEMBER)
    assert verdict.status is Status.FAIL
    assert verdict.message.startswith("root access key 2 used 2 days ago")


@pytest.mark.parametrize(
    "stamp",
    [
        pytest.param("2026-11-28T12:00:00Z", id="Z-suffix"),
        pytest.param("2026-11-28T12:00:00+00:00", id="offset"),
        pytest.param("2026-11-28T12:00:00", id="naive-is-utc"),
        pytest.param("2026-11-28T14:00:00+02:00", id="other-offset"),
    ],
)
def test_credential_report_timestamps_in_any_iso_form(stamp: str, snapshot: Snapshot) -> None:
    _last_used(snapshot, password_last_used=stamp)
    (verdict,) = call("root_not_recently_used", snapshot, MEMBER)
    assert verdict.status is Status.FAIL
    assert "used 1 days ago (2026-11-28)" in verdict.message
