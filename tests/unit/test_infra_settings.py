"""The function app's settings in Bicep match what the code reads, in both directions.

Fields are read from `Settings.model_fields` at test time, so a context that adds a setting
without adding it to infra-bicep/main.bicep (or to LOCAL_ONLY, with a reason) fails here.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from pydantic import SecretStr

from shared.settings import Settings, load_settings
from tests.support.bicep import INFRA, parse, setting_names, variable

MAIN = INFRA / "main.bicep"
FUNCTION_APP = INFRA / "modules" / "function-app.bicep"

# Settings that are not set in Azure, each with the reason: local/test providers and key-based
# alternatives to the managed identity the deployment uses.
LOCAL_ONLY: dict[str, str] = {
    "AZURE_STORAGE_CONNECTION_STRING": "shared-key connection (Azurite); Azure has shared keys off and uses "
    "AZURE_STORAGE_ACCOUNT_URL with the managed identity",
    "OUTBOX_DIR": "EMAIL_PROVIDER=outbox writes mail to a local folder; Azure sends with ACS",
    "SMTP_HOST": "EMAIL_PROVIDER=smtp (local mail server, tests' loopback SMTP); Azure sends with ACS",
    "SMTP_PORT": "EMAIL_PROVIDER=smtp only",
    "SMTP_USER": "EMAIL_PROVIDER=smtp only",
    "SMTP_PASSWORD": "EMAIL_PROVIDER=smtp only",
    "SMTP_STARTTLS": "EMAIL_PROVIDER=smtp only",
    "SMTP_TIMEOUT_SECONDS": "EMAIL_PROVIDER=smtp only",
    "FFMPEG_PATH": "the worker image has ffmpeg on PATH; set it only where ffmpeg lives elsewhere",
    "SMTP_CA_FILE": "EMAIL_PROVIDER=smtp only (a test CA for the loopback server)",
    "ACS_CONNECTION_STRING": "key-based ACS access; Azure uses ACS_ENDPOINT with the managed identity",
    "ESPEAK_VOICE": "TTS_PROVIDER=espeak (the local default); Azure uses Azure AI Speech",
    "ESPEAK_WPM": "TTS_PROVIDER=espeak only",
    "AZURE_SPEECH_KEY": "key-based Speech access; Azure uses AZURE_SPEECH_RESOURCE_ID with the managed identity",
    "AZURE_SPEECH_ENDPOINT": "the endpoint form goes with a Speech key; Entra auth uses the region",
    "OPENAI_API_KEY": "key-based OpenAI access; Azure uses Azure OpenAI with the managed identity",
    "OPENAI_BASE_URL": "a non-Azure OpenAI-compatible server (the tests' stub); Azure uses AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_EMBEDDING_DEPLOYMENT": "optional: the Bicep provisions no embeddings deployment; set it beside one "
    "to rerank /v1/ask passages by meaning",
    "OIDC_CA_BUNDLE": "trusts the tests' loopback OIDC provider; Azure uses the public CAs",
    "CANVAS_ALLOW_PRIVATE_HOSTS": "for a stub Canvas on loopback only; the settings refuse it outside local",
    "TESSDATA_PREFIX": "Tesseract's data folder: Flex has no Tesseract; the worker image sets it (Dockerfile ENV)",
}

# Settings the platform reads, not our code: documented in docs/operations.md.
PLATFORM: dict[str, str] = {
    "AzureFunctionsJobHost__logging__logLevel__Function": "the host's filter on function logs, from LOG_LEVEL",
    "AzureWebJobsStorage__credential": "the Functions host's own storage, by managed identity",
    "AzureWebJobsStorage__clientId": "which user-assigned identity the host uses for its storage",
    "AzureWebJobsStorage__blobServiceUri": "host storage: blobs (deployment, timer locks, blob receipts)",
    "AzureWebJobsStorage__queueServiceUri": "host storage: queues (the blob trigger's poison queue)",
    "AzureWebJobsStorage__tableServiceUri": "host storage: tables (host state)",
    "APPLICATIONINSIGHTS_CONNECTION_STRING": "where the host and the worker send telemetry",
    "APPLICATIONINSIGHTS_AUTHENTICATION_STRING": "telemetry ingestion with Entra (local auth is off)",
    "AZURE_CLIENT_ID": "tells azure-identity's DefaultAzureCredential which user-assigned identity to use",
}


def code_settings() -> dict[str, bool]:
    """Every environment name the Settings class reads, mapped to whether it is a secret."""
    settings: dict[str, bool] = {}
    for name, field in Settings.model_fields.items():
        alias = field.alias if isinstance(field.alias, str) else name.upper()
        settings[alias] = SecretStr in _types_in(field.annotation)
    return settings


def _types_in(annotation: Any) -> set[Any]:
    found = {annotation}
    for argument in getattr(annotation, "__args__", ()):
        found |= _types_in(argument)
    return found


def tuned_settings() -> dict[str, str]:
    document = json.loads((INFRA / "app-settings.json").read_text())
    return {item["name"]: item["value"] for item in document["settings"]}


def app_settings() -> list[str]:
    return setting_names(variable(MAIN, "wiredSettings")) + list(tuned_settings())


def secret_settings() -> dict[str, str]:
    return {str(item["name"]): str(item["secret"]) for item in variable(MAIN, "secretSettings")}


def platform_settings() -> list[str]:
    return setting_names(variable(FUNCTION_APP, "platformSettings"))


def _named_dicts(value: Any) -> list[dict[str, Any]]:
    """Every `{name: ..., value: ...}` object anywhere inside a parsed Bicep value."""
    if isinstance(value, dict):
        found = [value] if "name" in value and "value" in value else []
        return found + [item for child in value.values() for item in _named_dicts(child)]
    if isinstance(value, list):
        return [item for child in value for item in _named_dicts(child)]
    return []


def test_every_production_setting_is_in_the_function_app() -> None:
    provided = set(app_settings()) | set(secret_settings())
    missing = set(code_settings()) - set(LOCAL_ONLY) - provided
    assert missing == set(), "add these to appSettings/secretSettings in infra-bicep/main.bicep, or to LOCAL_ONLY"


def test_every_bicep_setting_is_read_by_the_code() -> None:
    provided = app_settings() + list(secret_settings())
    assert len(provided) == len(set(provided)), "a setting is given twice"
    assert set(provided) - set(code_settings()) == set(), "no code reads these; remove them from main.bicep"


def test_platform_settings_are_the_documented_ones() -> None:
    assert sorted(platform_settings()) == sorted(PLATFORM)
    assert set(PLATFORM) & set(code_settings()) == set()


def test_local_only_settings_exist_and_stay_out_of_azure() -> None:
    assert set(LOCAL_ONLY) <= set(code_settings()), "LOCAL_ONLY names a setting the code no longer has"
    assert set(LOCAL_ONLY) & (set(app_settings()) | set(secret_settings())) == set()


def test_secrets_come_from_key_vault_and_only_secrets_do() -> None:
    secrets = {name for name, secret in code_settings().items() if secret} - set(LOCAL_ONLY)
    assert set(secret_settings()) == secrets


def test_key_vault_references_name_secrets_the_deployment_writes() -> None:
    written = {str(item["name"]) for item in variable(INFRA / "modules" / "keyvault.bicep", "secretList")}
    written |= {str(item["name"]) for item in _named_dicts(variable(INFRA / "modules" / "redis.bicep", "redisSecrets"))}
    assert set(secret_settings().values()) <= written


def test_main_combines_wired_and_tuned_settings() -> None:
    combined = variable(MAIN, "appSettings")["function"]
    assert (combined["type"], list(combined["parameters"].values())) == ("concat", ["wiredSettings", "tunedSettings"])
    loaded = variable(MAIN, "tunedSettings")["function"]
    assert (loaded["type"], loaded["parameters"]["file_path"]) == ("load_json_content", "app-settings.json")


def test_the_function_app_gets_all_three_lists() -> None:
    site = parse(FUNCTION_APP)["resources"]["site"]["config"]
    combined = site["properties"]["siteConfig"]["appSettings"]["function"]
    assert combined["type"] == "concat"
    assert list(combined["parameters"].values()) == [
        "platformSettings",
        "appSettings",
        "keyVaultSettings",
        "disabledSettings",
    ]
    params = parse(MAIN)["modules"]["functionApp"]["config"]["params"]
    assert (params["appSettings"], params["secretSettings"]) == ("appSettings", "secretSettings")


# What parameters and Bicep expressions resolve to in a typical deployment.
DEPLOYED_SAMPLES = {
    "LOG_LEVEL": "INFO",
    "STREAM_PREFIX": "",
    "OAUTH_SUCCESS_REDIRECT": "https://app.example.edu/",
    "APP_URL": "https://app.example.edu",
    "GOOGLE_CLIENT_ID": "1234.apps.googleusercontent.com",
    "MICROSOFT_CLIENT_ID": "00000000-0000-0000-0000-000000000001",
    "MICROSOFT_AUTHORITY": "https://login.microsoftonline.com/organizations",
    "CANVAS_CLIENT_ID": "170000000000001",
    "TOKEN_ENCRYPTION_ACTIVE_KEY": "k1",
    "AZURE_OPENAI_DEPLOYMENT": "studyaid-chat",
    "AI_MODEL": "gpt-4o-mini",
    "AZURE_SPEECH_REGION": "eastus2",
    "PUBLIC_BASE_URL": "https://func-studyaid-abc.azurewebsites.net",
    "CORS_ORIGINS": '["https://app.example.edu"]',
    "AZURE_STORAGE_ACCOUNT_URL": "https://stabc.blob.core.windows.net/",
    "KEY_VAULT_URL": "https://kv-abc.vault.azure.net/",
    "OAUTH_REDIRECT_BASE": "https://func-studyaid-abc.azurewebsites.net",
    "CANVAS_BASE_URL": "https://school.instructure.com",
    "CANVAS_REDIRECT_URI": "https://func-studyaid-abc.azurewebsites.net/v1/canvas/callback",
    "CANVAS_FILE_HOSTS": '["https://*.instructure-uploads.com"]',
    "AZURE_OPENAI_ENDPOINT": "https://oai-studyaid-abc.openai.azure.com/",
    "AZURE_SPEECH_RESOURCE_ID": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/s",
    "ACS_ENDPOINT": "https://acs-studyaid-abc.unitedstates.communication.azure.com/",
    "EMAIL_FROM": "Study Aid <DoNotReply@abc.azurecomm.net>",
}


def test_the_deployed_settings_validate_as_production() -> None:
    wired = {str(item["name"]): item["value"] for item in variable(MAIN, "wiredSettings")}
    literal = {name: value for name, value in wired.items() if name not in DEPLOYED_SAMPLES}
    assert all(isinstance(value, str) and "${" not in value for value in literal.values()), literal
    environ = {name: str(value) for name, value in literal.items()} | tuned_settings() | DEPLOYED_SAMPLES
    environ |= {name: f"sample-{name.lower()}-value-0123456789abcdef" for name in secret_settings()}
    environ |= {
        "POSTGRES_URL": "postgresql://app:pw@ep-x-pooler.neon.tech/app?sslmode=verify-full&sslrootcert=system",
        "REDIS_URL": "rediss://:key@amr.eastus2.redis.azure.net:10000/0",
        "TOKEN_ENCRYPTION_KEYS": "k1:" + base64.b64encode(bytes(range(32))).decode(),
    }
    settings = load_settings(environ)
    assert settings.environment == "production"
    assert not settings.is_local
