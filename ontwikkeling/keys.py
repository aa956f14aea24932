"""The only link between a person and their answer set, and only while a round is open: an
HMAC-SHA256 of round id and employee id under settings.ZS_SCAN_KEY (or, when that is
empty, a key derived from SECRET_KEY for this purpose only).

Without the key the hash says nothing: it cannot be reversed, and it differs per round, so
one person's answer sets of two rounds do not look alike. With the key, someone who also
reads the database can compute the hash of every member and so find a member's answer set,
but only while the round is open: closing it (services.close_scan_round) clears the hashes.
See docs/decisions/0013-scan-privacy.md.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Separates the derived key from every other use of SECRET_KEY (sessions, signing).
DERIVATION_SALT = b"zelfsturing.ontwikkeling.scan-respondent-key"


def _key() -> bytes:
    explicit = getattr(settings, "ZS_SCAN_KEY", "")
    if explicit:
        return explicit.encode()
    if not settings.SECRET_KEY:
        raise ImproperlyConfigured("ZS_SCAN_KEY or SECRET_KEY is needed for the team scan.")
    return hmac.new(settings.SECRET_KEY.encode(), DERIVATION_SALT, hashlib.sha256).digest()


def respondent_key(*, round_id: int, employee_id: int) -> str:
    """The hash stored on a person's answer set while the round is open (64 hex digits)."""
    message = f"scan-round:{round_id}:employee:{employee_id}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()
