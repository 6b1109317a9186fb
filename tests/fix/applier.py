"""Deploy ``wellsec fix`` output into the emulator.

moto's CloudFormation creates the resource types it models (buckets, topics, rules,
roles) and skips the rest. For each skipped resource of a generated template this module
makes the API call that CloudFormation would make, in the same account and region, with
the template's own properties: a template that lacks a property the service needs, or
carries a wrong one, fails here as it would in AWS.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import yaml

from tests.fix.awscli import ApiCall, plan_steps, script_calls
from tests.fix.cfn_context import Context

# Resource types moto's CloudFormation creates itself.
MOTO_CREATES = frozenset(
    {"AWS::S3::Bucket", "AWS::SNS::Topic", "AWS::Events::Rule", "AWS::IAM::Role"}
)
# Access policies: no evidence wellsec reads depends on them.
NO_EVIDENCE = frozenset({"AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy"})
Handler = Callable[[Any, dict[str, Any]], None]


def _client(session: boto3.Session, url: str, service: str, region: str) -> Any:
    factory: Any = session.client
    return factory(service, endpoint_url=url, region_name=region)


class Deployer:
    """Runs PLAN.md and the commands script against the emulator, applying what moto's
    CloudFormation skips."""

    def __init__(
        self, url: str, management: str, session_for: Callable[[str | None], boto3.Session]
    ) -> None:
        self.url = url
        self.management = management
        self.session_for = session_for
        self.applied: set[tuple[str, str, str]] = set()  # (stack set, account, region)
        self.calls: list[ApiCall] = []

    def client(self, account: str | None, service: str, region: str) -> Any:
        who = None if account in (None, self.management) else account
        return _client(self.session_for(who), self.url, service, region)

    def call(self, call: ApiCall) -> Any:
        self.calls.append(call)
        return getattr(self.client(call.account, call.service, call.region), call.method)(
            **call.params
        )

    def run_plan(self, plan: Path) -> None:
        for step in plan_steps(plan):
            if step.script is not None:
                for call in script_calls(plan.parent / step.script, plan.parent):
                    self.call(call)
                continue
            assert step.call is not None
            self.call(step.call)
            if step.call.operation == "CreateStack":
                self._after_stack(step.call)
            elif step.call.operation == "CreateStackInstances":
                self._after_instances(step.call)

    def _after_stack(self, call: ApiCall) -> None:
        params = {p["ParameterKey"]: p["ParameterValue"] for p in call.params.get("Parameters", [])}
        account = call.account or self.management
        self.apply(
            yaml.safe_load(call.params["TemplateBody"]),
            account,
            call.region,
            call.params["StackName"],
            params,
        )

    def _after_instances(self, call: ApiCall) -> None:
        cfn = self.client(call.account, "cloudformation", call.region)
        name = call.params["StackSetName"]
        stack_set = cfn.describe_stack_set(StackSetName=name)["StackSet"]
        params = {p["ParameterKey"]: p["ParameterValue"] for p in stack_set.get("Parameters", [])}
        template = yaml.safe_load(stack_set["TemplateBody"])
        for summary in cfn.list_stack_instances(StackSetName=name)["Summaries"]:
            key = (name, summary["Account"], summary["Region"])
            if key not in self.applied:
                self.applied.add(key)
                self.apply(template, summary["Account"], summary["Region"], name, params)

    def apply(
        self,
        template: dict[str, Any],
        account: str,
        region: str,
        stack: str,
        params: dict[str, str],
    ) -> None:
        ctx = Context(account, region, stack, template, params)
        later: list[Callable[[], None]] = []
        for logical in _in_order(template["Resources"]):
            resource = template["Resources"][logical]
            kind = resource["Type"]
            if kind in MOTO_CREATES or kind in NO_EVIDENCE:
                continue
            props = ctx.resolve(resource.get("Properties", {}))
            service, handler = HANDLERS[kind]
            client = self.client(account, service, region)
            if kind == "AWS::Config::ConfigurationRecorder":
                later.append(
                    lambda c=client, p=props: c.start_configuration_recorder(
                        ConfigurationRecorderName=p["Name"]
                    )
                )
            handler(client, props)
        for action in later:
            action()


def _needs(resource: dict[str, Any], names: set[str]) -> set[str]:
    """The resources this one waits for: DependsOn, Ref, GetAtt and ${...} in Fn::Sub."""
    depends = resource.get("DependsOn", [])
    found = {depends} if isinstance(depends, str) else set(depends)
    text = json.dumps(resource.get("Properties", {}))
    found |= {
        n
        for n in names
        if f'"Ref": "{n}"' in text
        or f'["{n}", "Arn"]' in text
        or "${" + n + "." in text
        or "${" + n + "}" in text
    }
    return found


def _in_order(resources: dict[str, Any]) -> list[str]:
    """Logical ids, each after what it needs (as CloudFormation creates them)."""
    names = set(resources)
    done: list[str] = []
    while len(done) < len(names):
        ready = sorted(n for n in names - set(done) if _needs(resources[n], names) <= set(done))
        assert ready, f"dependency cycle among {sorted(names - set(done))}"
        done.append(ready[0])
    return done


def _policy(client: Any, props: dict[str, Any]) -> None:
    policy = client.create_policy(
        Content=json.dumps(props["Content"]),
        Description=props["Description"],
        Name=props["Name"],
        Type=props["Type"],
    )["Policy"]["PolicySummary"]["Id"]
    for target in props["TargetIds"]:
        client.attach_policy(PolicyId=policy, TargetId=target)


def _trail(client: Any, props: dict[str, Any]) -> None:
    client.create_trail(
        Name=props["TrailName"],
        S3BucketName=props["S3BucketName"],
        IsMultiRegionTrail=props["IsMultiRegionTrail"],
        IncludeGlobalServiceEvents=props["IncludeGlobalServiceEvents"],
        EnableLogFileValidation=props["EnableLogFileValidation"],
    )
    if props["IsLogging"]:
        client.start_logging(Name=props["TrailName"])


def _recorder(client: Any, props: dict[str, Any]) -> None:
    group = props["RecordingGroup"]
    client.put_configuration_recorder(
        ConfigurationRecorder={
            "name": props["Name"],
            "roleARN": props["RoleARN"],
            "recordingGroup": {
                "allSupported": group["AllSupported"],
                "includeGlobalResourceTypes": group["IncludeGlobalResourceTypes"],
            },
        }
    )


def _channel(client: Any, props: dict[str, Any]) -> None:
    client.put_delivery_channel(
        DeliveryChannel={
            "name": props["Name"],
            "s3BucketName": props["S3BucketName"],
            "configSnapshotDeliveryProperties": {
                "deliveryFrequency": props["ConfigSnapshotDeliveryProperties"]["DeliveryFrequency"]
            },
        }
    )


def _rule(client: Any, props: dict[str, Any]) -> None:
    client.put_config_rule(ConfigRule=props)


def _hub(client: Any, props: dict[str, Any]) -> None:
    client.enable_security_hub(
        EnableDefaultStandards=props["EnableDefaultStandards"],
        ControlFindingGenerator=props["ControlFindingGenerator"],
    )
    client.update_security_hub_configuration(AutoEnableControls=props["AutoEnableControls"])


HANDLERS: dict[str, tuple[str, Handler]] = {
    "AWS::Organizations::Policy": ("organizations", _policy),
    "AWS::CloudTrail::Trail": ("cloudtrail", _trail),
    "AWS::Config::ConfigurationRecorder": ("config", _recorder),
    "AWS::Config::DeliveryChannel": ("config", _channel),
    "AWS::Config::ConfigRule": ("config", _rule),
    "AWS::Config::ConformancePack": (
        "config",
        lambda c, p: c.put_conformance_pack(
            ConformancePackName=p["ConformancePackName"], TemplateS3Uri=p["TemplateS3Uri"]
        ),
    ),
    "AWS::GuardDuty::Detector": (
        "guardduty",
        lambda c, p: c.create_detector(
            Enable=p["Enable"],
            FindingPublishingFrequency=p["FindingPublishingFrequency"],
            Features=p["Features"],
        ),
    ),
    "AWS::SecurityHub::Hub": ("securityhub", _hub),
    "AWS::SecurityHub::Standard": (
        "securityhub",
        lambda c, p: c.batch_enable_standards(
            StandardsSubscriptionRequests=[{"StandardsArn": p["StandardsArn"]}]
        ),
    ),
    "AWS::SecurityHub::DelegatedAdmin": (
        "securityhub",
        lambda c, p: c.enable_organization_admin_account(AdminAccountId=p["AdminAccountId"]),
    ),
    "AWS::SecurityHub::OrganizationConfiguration": (
        "securityhub",
        lambda c, p: c.update_organization_configuration(
            AutoEnable=p["AutoEnable"], AutoEnableStandards=p["AutoEnableStandards"]
        ),
    ),
    "AWS::SecurityHub::FindingAggregator": (
        "securityhub",
        lambda c, p: c.create_finding_aggregator(RegionLinkingMode=p["RegionLinkingMode"]),
    ),
}
