"""Resolve a CloudFormation template's intrinsic functions for one account and region,
as CloudFormation would before creating its resources (the subset wellsec's templates use)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_SUB = re.compile(r"\$\{([^}]+)\}")


@dataclass
class Context:
    account: str
    region: str
    stack: str
    template: dict[str, Any]
    params: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)

    def ref(self, name: str) -> str:
        pseudo = {
            "AWS::AccountId": self.account,
            "AWS::Region": self.region,
            "AWS::Partition": "aws",
            "AWS::StackName": self.stack,
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.params:
            return self.params[name]
        declared = self.template.get("Parameters", {}).get(name)
        if declared is not None:
            return str(declared["Default"])
        return self.physical(name)

    def physical(self, logical: str) -> str:
        resource = self.template["Resources"][logical]
        props = resource.get("Properties", {})
        kind = resource["Type"]
        for key in ("BucketName", "TopicName", "TrailName", "Name", "ConfigRuleName"):
            if key in props:
                name = str(self.resolve(props[key]))
                if kind == "AWS::SNS::Topic":
                    return f"arn:aws:sns:{self.region}:{self.account}:{name}"
                return name
        return f"{self.stack}-{logical}"

    def arn(self, logical: str) -> str:
        kind = self.template["Resources"][logical]["Type"]
        name = self.physical(logical)
        return {
            "AWS::S3::Bucket": f"arn:aws:s3:::{name}",
            "AWS::SNS::Topic": name,
            "AWS::Events::Rule": f"arn:aws:events:{self.region}:{self.account}:rule/{name}",
            "AWS::IAM::Role": f"arn:aws:iam::{self.account}:role/{name}",
        }[kind]

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.template["Conditions"][name]))

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if set(value) == {"Ref"}:
            return self.ref(value["Ref"])
        if set(value) == {"Fn::GetAtt"}:
            logical, attribute = value["Fn::GetAtt"]
            assert attribute == "Arn", attribute
            return self.arn(logical)
        if set(value) == {"Fn::Sub"}:
            return _SUB.sub(lambda m: self._sub(m.group(1)), value["Fn::Sub"])
        if set(value) == {"Fn::If"}:
            name, yes, no = value["Fn::If"]
            return self.resolve(yes if self.condition(name) else no)
        if set(value) == {"Fn::Equals"}:
            left, right = self.resolve(value["Fn::Equals"])
            return left == right
        return {k: self.resolve(v) for k, v in value.items()}

    def _sub(self, name: str) -> str:
        if name.endswith(".Arn"):
            return self.arn(name.removesuffix(".Arn"))
        return self.ref(name)
