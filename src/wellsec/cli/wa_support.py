"""What push, pull and export share: the review they read, the WA Tool client, its lens.

They read the review from ``--review`` (a JSON report file, or a review id, milestone name
or ``latest`` in the store) and talk to AWS with the standard AWS credentials.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from wellsec.cli.exits import EXIT_INPUT, die
from wellsec.errors import InputError
from wellsec.lens import Lens, load_lens
from wellsec.saved_review import ReviewReport, load_report, parse_report
from wellsec.wa.client import WaTool


def wa_tool(ctx: typer.Context, profile: str | None, region: str | None, url: str | None) -> WaTool:
    """The WA Tool client: one handed in by the caller (``obj``), else from AWS config."""
    given = (ctx.obj or {}).get("wellarchitected") if isinstance(ctx.obj, dict) else None
    if given is not None:
        return WaTool(given)
    import botocore.session
    from botocore.config import Config
    from botocore.exceptions import ProfileNotFound

    try:
        session = botocore.session.Session(profile=profile)
        where = region or session.get_config_variable("region") or "us-east-1"
        client = session.create_client(
            "wellarchitected",
            region_name=where,
            endpoint_url=url,
            config=Config(
                retries={"mode": "adaptive", "max_attempts": 6}, user_agent_extra="wellsec"
            ),
        )
    except ProfileNotFound as exc:
        die(str(exc), EXIT_INPUT)
    return WaTool(client)


def review_report(
    ref: str | None,
    workload: str | None,
    store_url: str | None,
    verify_key: Path | None = None,
    require_signed: bool = False,
) -> ReviewReport:
    """The review to use: a report file, or a review in the store (default the latest).

    With ``require_signed``, a report file must carry a signature made with
    ``verify_key`` and any review's provenance must say its evidence is verified."""
    if ref and (Path(ref).exists() or ref.endswith(".json") or "/" in ref):
        report = _checked_file(Path(ref), verify_key, require_signed)
    else:
        from wellsec.store.store import Store

        store = Store(store_url)
        try:
            stored = store.get(ref or "latest", workload)
            data = store.report(stored.id)
        finally:
            store.close()
        report = parse_report(data, f"review {stored.id} in the store", stored.id)
    if require_signed:
        from wellsec.provenance import describe, trusted

        if not trusted(report.provenance):
            raise InputError(report.source, f"evidence not verified: {describe(report.provenance)}")
    return report


def _checked_file(path: Path, verify_key: Path | None, required: bool) -> ReviewReport:
    """A report file read once, its signature checked over exactly the bytes parsed."""
    if verify_key is None and not required:
        return load_report(path)
    from wellsec.signing import check_file, load_key

    key = load_key(verify_key) if verify_key is not None else None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    check_file(path, data, key, required)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(path, "not a JSON review report") from None
    return parse_report(parsed, str(path))


def review_lens(report: ReviewReport, lens: str | None) -> Lens:
    if lens:
        return load_lens(lens)
    try:
        return load_lens(report.lens_key)
    except InputError:
        raise InputError(
            report.source, f"its lens {report.lens_key} is not built in: pass --lens FILE"
        ) from None


def resolve_workload(tool: WaTool, name: str | None) -> str:
    """The id of the one WA Tool workload called ``name``."""
    if not name:
        raise InputError(None, "which workload? pass --workload-id (or a wellsec.yaml)")
    found = tool.workloads_named(name)
    if len(found) != 1:
        what = "no" if not found else f"{len(found)}"
        raise InputError(
            None,
            f"{what} WA Tool workloads named {name!r}: pass --workload-id"
            + (" or --create-workload" if not found else ""),
        )
    return found[0].id
