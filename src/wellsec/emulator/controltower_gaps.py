"""AWS Control Tower, which moto does not emulate: a landing zone of the management account.

Operations and shapes follow botocore/data/controltower/2018-05-10/service-2.json
(rest-json). A landing zone is a resource of its home region, the region of its ARN:
ListLandingZones, GetLandingZone and ListEnabledBaselines answer it there only. Its
manifest names the governed regions (``governedRegions``). Registering an OU enables the
``AWSControlTowerBaseline`` on it, so ListEnabledBaselines lists one enabled baseline per
registered OU, its target the OU's ARN
(https://docs.aws.amazon.com/controltower/latest/userguide/baseline-api-examples.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wellsec.emulator.models import ServiceModels
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import Answerer, Reply, RequestInfo, Rewriter, error_reply, json_reply

NAMESPACE = "controltower"
# The AWSControlTowerBaseline's ARN in the documentation's examples (us-west-2).
CONTROL_TOWER_BASELINE = "arn:aws:controltower:{region}::baseline/17BSJV3IGJ2QSGA2"


@dataclass(frozen=True)
class LandingZone:
    """A landing zone: home region, governed regions and registered (enrolled) OU ids."""

    home_region: str
    governed_regions: tuple[str, ...]
    enrolled_ous: tuple[str, ...] = ()
    status: str = "ACTIVE"
    identifier: str = "1A2B3C4D5E6F7G8H"

    def arn(self, account_id: str) -> str:
        return f"arn:aws:controltower:{self.home_region}:{account_id}:landingzone/{self.identifier}"


def set_landing_zone(state: GapState, management_account_id: str, zone: LandingZone | None) -> None:
    """Give the management account a landing zone (None: none)."""
    state.put(NAMESPACE, management_account_id, zone)


def _zone(info: RequestInfo, state: GapState) -> LandingZone | None:
    """The caller's landing zone when the request is sent to its home region."""
    zone = state.get(NAMESPACE, info.account_id)
    if not isinstance(zone, LandingZone) or zone.home_region != info.region:
        return None
    return zone


def list_landing_zones(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    """ListLandingZones: the scenario's landing zone (older scenarios give plain ARNs)."""
    # catalogue: controltower:ListLandingZones
    zone = _zone(info, state)
    arns = [zone.arn(info.account_id)] if zone else list(state.landing_zones(info.account_id))
    return json_reply({"landingZones": [{"arn": arn} for arn in arns]})


def get_landing_zone(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    """GetLandingZone: version, status and manifest (governed regions, OU structure)."""
    # catalogue: controltower:GetLandingZone
    zone = _zone(info, state)
    wanted = info.json_body().get("landingZoneIdentifier")
    if zone is None or wanted != zone.arn(info.account_id):
        return error_reply(info, "ResourceNotFoundException", "Landing zone not found.", 404)
    manifest: dict[str, Any] = {
        "governedRegions": list(zone.governed_regions),
        "organizationStructure": {"security": {"name": "Security"}},
    }
    detail = {
        "arn": zone.arn(info.account_id),
        "version": "3.3",
        "latestAvailableVersion": "3.3",
        "status": zone.status,
        "driftStatus": {"status": "IN_SYNC"},
        "manifest": manifest,
    }
    return json_reply({"landingZone": detail})


def _org_id(account_id: str) -> str:
    from moto.organizations.models import organizations_backends

    owner = organizations_backends.master_accounts.get(account_id)
    if owner is None:
        return "o-unknown"
    org = organizations_backends[owner[0]][owner[1]].org
    return str(org.id) if org is not None else "o-unknown"


def list_enabled_baselines(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    """ListEnabledBaselines: the AWSControlTowerBaseline on each registered OU."""
    # catalogue: controltower:ListEnabledBaselines
    zone = _zone(info, state)
    ous = zone.enrolled_ous if zone else ()
    org_id = _org_id(info.account_id)
    baseline = CONTROL_TOWER_BASELINE.format(region=info.region)
    prefix = f"arn:aws:controltower:{info.region}:{info.account_id}:enabledbaseline"
    enabled = [
        {
            "arn": f"{prefix}/EB{n:014d}",
            "baselineIdentifier": baseline,
            "baselineVersion": "4.0",
            "targetIdentifier": f"arn:aws:organizations::{info.account_id}:ou/{org_id}/{ou}",
            "statusSummary": {"status": "SUCCEEDED"},
        }
        for n, ou in enumerate(ous)
    ]
    return json_reply({"enabledBaselines": enabled})


ANSWERERS: dict[str, Answerer] = {
    "controltower:ListLandingZones": list_landing_zones,
    "controltower:GetLandingZone": get_landing_zone,
    "controltower:ListEnabledBaselines": list_enabled_baselines,
}
REWRITERS: dict[str, Rewriter] = {}
