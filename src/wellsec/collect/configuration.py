"""Collectors: AWS Config recording, rules, conformance packs, aggregators; SSM coverage;
CloudFormation drift; ECR scanning; pipelines (BP06).
"""

from __future__ import annotations
