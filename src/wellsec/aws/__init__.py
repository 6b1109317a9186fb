"""AWS access: sessions, role assumption, client cache, read calls."""

from wellsec.aws.calls import Reader, action_name
from wellsec.aws.session import AccountEntryError, Connector, Credentials

__all__ = ["AccountEntryError", "Connector", "Credentials", "Reader", "action_name"]
