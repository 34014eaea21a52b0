"""What the commitments services share: the photo limits, the editable fields and their labels, text cleaning and
the village an actor may act in."""

from __future__ import annotations

from cunshe.commitments.models import Commitment
from cunshe.core.schema import plain_text

PHOTO_TYPES = {"jpg", "jpeg", "png", "webp", "heic"}
PHOTO_MAX_BYTES = 10 * 2**20

# The ledger fields an edit may change (status, evidence and showcase have their own services).
EDITABLE = ("kind", "year", "category", "title", "content", "target", "deadline", "responsible_post", "source")
LABELS: dict[str, str] = {f.name: str(f.verbose_name) for f in Commitment._meta.fields}


def clean(text: str) -> str:
    """What a person typed, as the public page and the ledger show it: no control characters or direction
    overrides (cunshe.core.schema), no surrounding blanks."""
    return plain_text(text).strip()
