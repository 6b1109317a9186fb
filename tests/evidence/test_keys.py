"""The evidence keys: declared once, typed, and read through the snapshot's accessors."""

from __future__ import annotations

import datetime as dt
import types
import typing

from wellsec.evidence import Key, Level, Unavailable, keys
from wellsec.snapshot import AccountRole, AccountSnapshot, Snapshot


def test_every_key_is_declared_once_with_a_description() -> None:
    names = [k.name for k in keys.ALL]
    assert len(names) == len(set(names))
    assert all(k.description for k in keys.ALL)
    assert set(keys.BY_NAME) == set(names)


def _plain(shape: object) -> object:
    """``shape`` with ``InstanceOf[X]`` (``Annotated[X, ...]``) read as ``X``, unions as sets."""
    origin, args = typing.get_origin(shape), typing.get_args(shape)
    if origin is typing.Annotated:
        return _plain(args[0])
    if origin in (typing.Union, types.UnionType):
        return frozenset(_plain(a) for a in args)
    if origin is not None:
        return (origin, tuple(_plain(a) for a in args))
    return shape


def test_each_annotation_names_the_keys_shape() -> None:
    hints = typing.get_type_hints(keys)
    for attr, value in vars(keys).items():
        if isinstance(value, Key):
            (declared,) = typing.get_args(hints[attr])
            assert _plain(declared) == _plain(value.shape), attr


def test_accessors_take_key_objects_and_strings() -> None:
    account = AccountSnapshot(
        "111111111111",
        "prod",
        AccountRole.MEMBER,
        evidence={"iam.account_summary": {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0}},
        regions={"us-east-1": {"lambda.functions": ["f"]}},
    )
    assert account.get(keys.IAM_ACCOUNT_SUMMARY) == account.get("iam.account_summary")
    assert account.region_get("us-east-1", keys.LAMBDA_FUNCTIONS) == ["f"]
    missing = account.region_get("us-east-1", keys.CONFIG_RULES)
    assert isinstance(missing, Unavailable) and "config.rules" in missing.reason
    snapshot = Snapshot(dt.datetime.now(dt.UTC), "111111111111", ["us-east-1"])
    unread = snapshot.org_get(keys.ORGANIZATION)
    assert isinstance(unread, Unavailable) and unread.operation == "organization"


def test_levels() -> None:
    assert keys.ORGANIZATION.level is Level.ORGANIZATION
    assert keys.IAM_ACCOUNT_SUMMARY.level is Level.ACCOUNT
    assert keys.CONFIG_RECORDERS.level is Level.REGION
