"""Security Hub: a review's findings in the AWS Security Finding Format, and their import.

``asff`` turns a review report into findings; ``asff_check`` checks them against the
botocore model of ``BatchImportFindings``; ``importer`` sends them (the one write wellsec
makes to AWS, and only when asked to) and ``stale`` archives those a later review dropped.
"""

# What --to-securityhub needs, in each account the findings go to (not in the scan policy).
IMPORT_ACTIONS = (
    "sts:GetCallerIdentity",
    "sts:AssumeRole",
    "securityhub:BatchImportFindings",
    "securityhub:GetFindings",
)

__all__ = ["IMPORT_ACTIONS"]
