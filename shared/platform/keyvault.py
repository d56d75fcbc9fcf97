"""Optional Key Vault lookup: `NAME=@kv:secret-name` values are read from the vault at start.

In Azure the app settings usually hold Key Vault *references* that the platform resolves before
the process starts; this covers hosts where that is not available (containers, local runs
against a real vault). Nothing is contacted unless `KEY_VAULT_URL` is set and a value asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

PREFIX = "@kv:"


class SecretReader(Protocol):
    def read(self, name: str) -> str: ...


class AzureKeyVaultReader:
    """Reads secrets with `DefaultAzureCredential` (managed identity in Azure)."""

    def __init__(self, vault_url: str) -> None:
        from azure.identity import DefaultAzureCredential
        from azure.keyvault.secrets import SecretClient

        self._client = SecretClient(vault_url=vault_url, credential=DefaultAzureCredential())

    def read(self, name: str) -> str:
        value = self._client.get_secret(name).value
        if value is None:
            raise LookupError(f"Key Vault secret {name!r} has no value")
        return value


def resolve_key_vault_references(environ: Mapping[str, str], *, reader: SecretReader | None = None) -> dict[str, str]:
    wanted = {key: value[len(PREFIX) :] for key, value in environ.items() if value.startswith(PREFIX)}
    if not wanted:
        return dict(environ)
    if reader is None:
        vault_url = environ.get("KEY_VAULT_URL")
        if not vault_url:
            names = ", ".join(sorted(wanted))
            raise ValueError(f"{names} refer to Key Vault but KEY_VAULT_URL is not set")
        reader = AzureKeyVaultReader(vault_url)
    resolved = dict(environ)
    for key, secret_name in wanted.items():
        resolved[key] = reader.read(secret_name)
    return resolved
