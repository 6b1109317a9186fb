"""The AWS Well-Architected Tool: push a review's SEC 1 answer, pull people's answers back.

``client`` wraps the service (pagination, errors); ``notes`` writes the question's and
choices' notes; ``push`` plans an answer and ``push_run`` sends it; ``lens_sync`` imports
and publishes a custom lens; ``pull`` turns an answer into attestations and disagreements;
``attest_file`` writes them into ``wellsec.yaml``.
"""

from wellsec.wa.client import WaTool, WaToolError

__all__ = ["WaTool", "WaToolError"]
