"""Which PostgreSQL text-search configuration indexes a document, from its language tag."""

from __future__ import annotations

SIMPLE = "simple"

# ISO 639-1 code -> a configuration PostgreSQL ships (snowball stemmers); unknown -> simple.
_CONFIGS: dict[str, str] = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
_BY_NAME: dict[str, str] = {name: name for name in _CONFIGS.values()}


def config_for(language: str | None) -> str:
    """`en`, `en-GB`, `en_US` or `english` -> `english`; anything unknown or missing -> `simple`."""
    if not language:
        return SIMPLE
    tag = language.strip().lower().replace("_", "-")
    return _CONFIGS.get(tag.split("-", 1)[0]) or _BY_NAME.get(tag, SIMPLE)
