"""Why a generation failed, with a stage error code the pipeline records."""

from __future__ import annotations


class GenerationFailed(Exception):
    """The generator could not produce valid study aids; retrying the same input will not help."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ProviderUnavailable(Exception):
    """The provider kept failing transiently (429, 5xx, timeouts) past the retry budget."""
