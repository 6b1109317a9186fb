"""Two workloads whose names share a prefix (``shop`` and ``shop/eu``) import into the same
Security Hub: archiving one workload's stale findings never touches the other's."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import Demo
from tests.e2e.test_securityhub_export import export, hub, review_file

US = "us-east-1"


def _as_workload(source: Path, name: str, target: Path) -> Path:
    report = json.loads(source.read_text())
    report["workload"]["name"] = name
    target.write_text(json.dumps(report))
    return target


def _active(demo: Demo, account: str, workload: str) -> list[dict[str, object]]:
    found = hub(demo, account, US).get_findings(
        Filters={
            "Id": [{"Value": f"wellsec/{workload}/", "Comparison": "PREFIX"}],
            "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
        },
        MaxResults=100,
    )["Findings"]
    return [f for f in found if f["ProductFields"]["wellsec/Workload"] == workload]


def test_exporting_one_workload_never_archives_another_workloads_findings(demo: Demo) -> None:
    review = review_file(demo, "shared-prefix.json")
    shop_eu = _as_workload(review, "shop/eu", demo.tmp / "shop-eu.json")
    shop = _as_workload(review, "shop", demo.tmp / "shop.json")
    prod = demo.account("prod")

    export(demo, "--review", str(shop_eu), "--to-securityhub")
    before = _active(demo, prod, "shop/eu")
    assert before

    # shop's review has one finding fewer than it will have had: a real stale one to archive.
    export(demo, "--review", str(shop), "--to-securityhub")
    trimmed = json.loads(shop.read_text())
    dropped = next(f for f in trimmed["findings"] if f["account"] == prod and f["region"] == US)
    trimmed["findings"].remove(dropped)
    shop.write_text(json.dumps(trimmed))
    result = export(demo, "--review", str(shop), "--to-securityhub")
    assert f"Security Hub {prod} {US}:" in result.stderr
    assert "1 earlier finding archived" in result.stderr

    after = _active(demo, prod, "shop/eu")
    assert sorted(f["Id"] for f in after) == sorted(f["Id"] for f in before)
