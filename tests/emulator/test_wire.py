"""Error replies parse, with botocore's own parsers, to the codes AWS gives."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.parsers import create_parser

from wellsec.emulator.wire import RequestInfo, access_denied


def _info(service: str, protocol: str, headers: dict[str, str] | None = None) -> RequestInfo:
    return RequestInfo(
        access_key="AKIAEXAMPLE",
        account_id="123456789012",
        region="us-east-1",
        service=service,
        operation="Anything",
        protocol=protocol,  # type: ignore[arg-type]
        headers=headers or {},
    )


@pytest.mark.parametrize(
    ("service", "botocore_name", "protocol", "headers", "code"),
    [
        ("iam", "iam", "query", {}, "AccessDenied"),
        ("ec2", "ec2", "ec2", {}, "UnauthorizedOperation"),
        ("organizations", "organizations", "json", {}, "AccessDeniedException"),
        ("account", "account", "rest-json", {}, "AccessDeniedException"),
        ("s3", "s3", "rest-xml", {}, "AccessDenied"),
        ("monitoring", "cloudwatch", "json", {"x-amzn-query-mode": "true"}, "AccessDenied"),
        ("monitoring", "cloudwatch", "cbor", {"x-amzn-query-mode": "true"}, "AccessDenied"),
        ("logs", "logs", "cbor", {}, "AccessDeniedException"),
    ],
)
def test_access_denied_parses_to_aws_code(
    service: str, botocore_name: str, protocol: str, headers: dict[str, str], code: str
) -> None:
    status, reply_headers, body = access_denied(_info(service, protocol, headers))
    wire_protocol = {"cbor": "smithy-rpc-v2-cbor"}.get(protocol, protocol)
    model = botocore.session.get_session().get_service_model(botocore_name)
    shape = next(
        model.operation_model(name).output_shape
        for name in model.operation_names
        if model.operation_model(name).output_shape is not None
    )
    assert shape is not None
    parsed = create_parser(wire_protocol).parse(
        {
            "status_code": status,
            "headers": {k.lower(): v for k, v in reply_headers},
            "body": body,
        },
        shape,
    )
    assert status >= 400
    assert parsed["Error"]["Code"] == code
    assert "is not authorized to perform: " in parsed["Error"]["Message"]
