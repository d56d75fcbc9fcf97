"""`structure.json` media as the specification types them: `image|audio|video`, `url` the blob URL."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.documents.contracts import Media


@pytest.mark.parametrize("kind", ["image", "audio", "video"])
def test_the_specifications_media_types_are_accepted(kind: str) -> None:
    url = f"https://account.blob.core.windows.net/media/u/d/clip.{kind}"
    assert Media.model_validate({"type": kind, "url": url}).type == kind


def test_a_table_is_not_a_medium() -> None:
    with pytest.raises(ValidationError):
        Media.model_validate({"type": "table", "url": "https://account.blob.core.windows.net/media/u/d/t"})
