"""Organization evidence, read once from the management (or delegated admin) account."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from wellsec.aws.calls import Reader
from wellsec.collect.registry import collectors
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.evidence import shapes as s
from wellsec.snapshot import Evidence

ORGS = "organizations"


@collectors.register(
    keys=(keys.ORGANIZATION, keys.ROOTS, keys.ACCOUNTS, keys.TREE),
    actions=(
        "organizations:DescribeOrganization",
        "organizations:ListRoots",
        "organizations:ListAccounts",
        "organizations:ListOrganizationalUnitsForParent",
        "organizations:ListAccountsForParent",
    ),
    priority=10,
)
def organization_structure(reader: Reader, region: str) -> Evidence:
    reply = reader.call(
        ORGS, region, "DescribeOrganization", expected={"AWSOrganizationsNotInUseException": None}
    )
    if reply is None:
        return keys.ORGANIZATION.of({"in_organization": False})
    if is_unavailable(reply):
        return keys.ORGANIZATION.of(reply)
    org = reply["Organization"]
    evidence = keys.ORGANIZATION.of(
        {
            "in_organization": True,
            "id": org.get("Id"),
            "arn": org.get("Arn"),
            "feature_set": org.get("FeatureSet"),
            "management_account_id": org.get("MasterAccountId"),
        }
    )
    roots = reader.paginate(ORGS, region, "ListRoots", "Roots")
    listed_roots: list[s.Root] | Unavailable = (
        roots
        if is_unavailable(roots)
        else [
            {
                "id": r["Id"],
                "policy_types": [
                    {"type": p.get("Type"), "status": p.get("Status")}
                    for p in r.get("PolicyTypes", [])
                ],
            }
            for r in roots
        ]
    )
    evidence |= keys.ROOTS.of(listed_roots)
    accounts = reader.paginate(ORGS, region, "ListAccounts", "Accounts")
    listed_accounts: list[s.OrgAccount] | Unavailable = (
        accounts
        if is_unavailable(accounts)
        else [
            {
                "id": a["Id"],
                "name": a.get("Name", ""),
                "status": a.get("State") or a.get("Status", "ACTIVE"),
            }
            for a in accounts
        ]
    )
    evidence |= keys.ACCOUNTS.of(listed_accounts)
    tree = roots if is_unavailable(roots) else _walk_tree(reader, region, roots)
    return evidence | keys.TREE.of(tree)


def _walk_tree(reader: Reader, region: str, roots: list[dict[str, Any]]) -> s.Tree:
    """Map every OU and account to its parent, from the roots down, a level at a time
    (the nodes of a level, and each node's two lists, are read in parallel).

    A parent whose children could not be read stays in the tree with what was read;
    ``unread`` maps it to why (the accounts and OUs below it may be missing)."""
    ous: dict[str, s.OrgUnit] = {}
    parents: dict[str, str] = {}
    unread: dict[str, Unavailable] = {}
    level = [r["Id"] for r in roots]
    with ThreadPoolExecutor(max_workers=8, thread_name_prefix="wellsec-tree") as pool:
        while level:
            children = {
                parent: pool.submit(
                    reader.paginate,
                    ORGS,
                    region,
                    "ListOrganizationalUnitsForParent",
                    "OrganizationalUnits",
                    ParentId=parent,
                )
                for parent in level
            }
            accounts = {
                parent: pool.submit(
                    reader.paginate,
                    ORGS,
                    region,
                    "ListAccountsForParent",
                    "Accounts",
                    ParentId=parent,
                )
                for parent in level
            }
            reader.connector.waited(1)  # one level: its requests ran side by side
            level = []
            for parent in children:
                found, members = children[parent].result(), accounts[parent].result()
                if is_unavailable(found):
                    unread[parent] = found
                else:
                    for ou in found:
                        ous[ou["Id"]] = {"name": ou.get("Name", ""), "parent_id": parent}
                        level.append(ou["Id"])
                if is_unavailable(members):
                    unread.setdefault(parent, members)
                else:
                    for account in members:
                        parents[account["Id"]] = parent
    tree: s.Tree = {"ous": ous, "parents": parents, "roots": [r["Id"] for r in roots]}
    if unread:
        tree["unread"] = unread
    return tree


@collectors.register(
    keys=(keys.SCPS,),
    actions=(
        "organizations:ListPolicies",
        "organizations:DescribePolicy",
        "organizations:ListTargetsForPolicy",
    ),
)
def service_control_policies(reader: Reader, region: str) -> Evidence:
    policies = reader.paginate(
        ORGS,
        region,
        "ListPolicies",
        "Policies",
        expected={"AWSOrganizationsNotInUseException": []},
        Filter="SERVICE_CONTROL_POLICY",
    )
    if is_unavailable(policies):
        return keys.SCPS.of(policies)
    result: list[s.Scp] = []
    for summary in policies:
        pid = summary["Id"]
        detail = reader.call(ORGS, region, "DescribePolicy", PolicyId=pid)
        targets = reader.paginate(ORGS, region, "ListTargetsForPolicy", "Targets", PolicyId=pid)
        if is_unavailable(detail):
            return keys.SCPS.of(detail)
        if is_unavailable(targets):
            return keys.SCPS.of(targets)
        result.append(
            {
                "id": pid,
                "name": summary.get("Name", ""),
                "aws_managed": bool(summary.get("AwsManaged")),
                "content": _parse_policy(detail["Policy"].get("Content", "")),
                "targets": [{"id": t["TargetId"], "type": t.get("Type")} for t in targets],
            }
        )
    return keys.SCPS.of(result)


def _parse_policy(content: str) -> Any:
    try:
        return json.loads(content)
    except json.JSONDecodeError:
        return {"unparsed": content}


@collectors.register(
    keys=(keys.DELEGATED_ADMINISTRATORS,),
    actions=(
        "organizations:ListDelegatedAdministrators",
        "organizations:ListDelegatedServicesForAccount",
    ),
)
def delegated_administrators(reader: Reader, region: str) -> Evidence:
    admins = reader.paginate(
        ORGS,
        region,
        "ListDelegatedAdministrators",
        "DelegatedAdministrators",
        expected={"AWSOrganizationsNotInUseException": []},
    )
    if is_unavailable(admins):
        return keys.DELEGATED_ADMINISTRATORS.of(admins)
    out: list[s.DelegatedAdministrator] = []
    for admin in admins:
        services = reader.paginate(
            ORGS,
            region,
            "ListDelegatedServicesForAccount",
            "DelegatedServices",
            AccountId=admin["Id"],
        )
        if is_unavailable(services):
            return keys.DELEGATED_ADMINISTRATORS.of(services)
        out.append(
            {
                "account_id": admin["Id"],
                "name": admin.get("Name", ""),
                "services": sorted(s["ServicePrincipal"] for s in services),
            }
        )
    return keys.DELEGATED_ADMINISTRATORS.of(out)
