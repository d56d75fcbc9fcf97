"""Each hosting choice has what the code needs: Flex Consumption for HTTP, the blob trigger and the
light timers; the stage image on Container Apps for the heavy streams. Every stream has exactly
one runtime by default, the streams that call native tools run where the tools are, and the
stage apps get the same settings, secrets, identity, telemetry and image wiring the code reads.
"""

from __future__ import annotations

import json
import re
from typing import Any

import azure.functions as func

from functions import drains
from shared.platform.stream_names import GROUPS, STREAMS
from tests.support.bicep import INFRA, ROOT, parse, variable

MAIN = INFRA / "main.bicep"
WORKERS = INFRA / "modules" / "workers-aca.bicep"
DOCKERFILE = INFRA / "workers" / "Dockerfile"
FUNCTION_APP = INFRA / "modules" / "function-app.bicep"

# Streams whose handlers call native programs, with the Debian packages that bring them.
NATIVE_TOOLS = {
    "ingest.request": {"libreoffice-writer-nogui", "libreoffice-impress-nogui", "tesseract-ocr", "tesseract-ocr-eng"},
    "media.request": {"ffmpeg", "espeak-ng", "fonts-dejavu-core"},
}
# Platform values every process needs beside the code's settings (see test_infra_settings.PLATFORM).
PROCESS_PLATFORM = {
    "AZURE_CLIENT_ID",
    "APPLICATIONINSIGHTS_CONNECTION_STRING",
    "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
}


def _unquote(value: Any) -> str:
    return str(value).strip("'")


def _default(path: Any, name: str) -> Any:
    return parse(path)["parameters"][name]["default"]


def worker_streams() -> list[str]:
    return [_unquote(stream) for stream in _default(MAIN, "workerStreams")]


def _worker_app() -> dict[str, Any]:
    config: dict[str, Any] = parse(WORKERS)["resources"]["workers"]["config"]
    return config


def _workers_module_params() -> dict[str, Any]:
    params: dict[str, Any] = parse(MAIN)["modules"]["workers"]["config"]["config"]["params"]
    return params


def azure_yaml_services() -> dict[str, dict[str, str]]:
    """`services:` of azure.yaml as {name: {key: value}} for its flat and `docker:` keys."""
    text = (ROOT / "azure.yaml").read_text()
    block = text.split("\nservices:\n", 1)[1].split("\nhooks:\n", 1)[0]
    services: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in block.splitlines():
        if match := re.match(r"^  ([a-z][a-z0-9-]*):$", line):
            current = services.setdefault(match[1], {})
        elif match := re.match(r"^ {4,6}([A-Za-z]+): (.+)$", line):
            current[match[1]] = match[2].strip()
    return services


def test_deployed_by_default_and_every_stream_has_exactly_one_runtime() -> None:
    assert _default(MAIN, "deployWorkers") is True
    for name in ("dev", "prod"):
        given = json.loads((INFRA / "parameters" / f"{name}.parameters.json").read_text())["parameters"]
        assert given.get("deployWorkers", {"value": True})["value"] is True, f"{name} turns the stage apps off"
    on_workers = worker_streams()
    assert set(on_workers) <= set(STREAMS) and len(on_workers) == len(set(on_workers))
    # The function app switches off exactly the drains of those streams (AzureWebJobs.<fn>.Disabled).
    disabled = parse(MAIN)["modules"]["functionApp"]["config"]["params"]["disabledFunctions"]["operator"]
    assert disabled["operands"] == {
        "condition": "deployWorkers",
        "true_value": "drainsMovedToWorkers",
        "false_value": [],
    }
    app = func.FunctionApp()
    app.register_functions(drains.bp)
    drained = {function.get_function_name() for function in app.get_functions()}
    on_flex = {stream for stream in STREAMS if f"drain_{stream.split('.')[0]}" in drained} - set(on_workers)
    assert on_flex | set(on_workers) == set(STREAMS)
    assert _worker_app()["loop_type"]["detail"]["array_name"] == "streams"
    assert _workers_module_params()["streams"] == "workerStreams"


def test_streams_that_call_native_tools_run_in_the_image_that_has_them() -> None:
    assert set(NATIVE_TOOLS) <= set(worker_streams()), "Flex Consumption has no LibreOffice, Tesseract or ffmpeg"
    installed = set(re.findall(r"[a-z0-9][a-z0-9.+-]+", _apt_install_line()))
    for stream, packages in NATIVE_TOOLS.items():
        assert packages <= installed, f"{stream} needs {sorted(packages - installed)} in {DOCKERFILE.name}"
    bootstrap = (ROOT / "scripts" / "bootstrap.sh").read_text()
    assert all(package in bootstrap for packages in NATIVE_TOOLS.values() for package in packages), (
        "the image and the development machine install the same tools"
    )
    text = DOCKERFILE.read_text()
    assert 'ENTRYPOINT ["studyaid", "worker"]' in text
    assert "ENV" in text and "TESSDATA_PREFIX=/usr/share/tesseract-ocr/5/tessdata" in text


def _apt_install_line() -> str:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    [line] = [line for line in text.splitlines() if "apt-get install" in line]
    return line


def test_stage_apps_get_every_setting_secret_and_platform_value_the_function_app_gets() -> None:
    params = _workers_module_params()
    function_params = parse(MAIN)["modules"]["functionApp"]["config"]["params"]
    assert (params["appSettings"], params["secretSettings"]) == (
        function_params["appSettings"],
        function_params["secretSettings"],
    )
    [container] = _worker_app()["config"]["properties"]["template"]["containers"]
    env = container["env"]["function"]
    assert env["type"] == "concat"
    assert list(env["parameters"].values())[:3] == ["appSettings", "secretEnv", "platformEnv"]
    assert {_unquote(item["name"]) for item in variable(WORKERS, "platformEnv")} == PROCESS_PLATFORM
    function_platform = {_unquote(item["name"]) for item in variable(FUNCTION_APP, "platformSettings")}
    assert PROCESS_PLATFORM <= function_platform, "both hosting choices get the same identity and telemetry"
    # Every secret is a Key Vault reference resolved with the app's identity.
    secrets = variable(WORKERS, "keyVaultSecrets")["config"]
    assert secrets["keyVaultUrl"] == "${keyVaultUri}secrets/${setting.secret}" and secrets["identity"] == "identityId"


def test_the_image_is_built_by_azd_and_pulled_from_the_registry_with_the_identity() -> None:
    services = azure_yaml_services()
    assert services["api"]["host"] == "function"
    expected = {stream.split(".")[0] for stream in worker_streams()}
    stage_services = {name for name, keys in services.items() if keys.get("host") == "containerapp"}
    assert stage_services == expected
    parameters = json.loads((INFRA / "main.parameters.json").read_text())["parameters"]
    images = _workers_module_params()["images"]
    for name in sorted(stage_services):
        keys = services[name]
        assert (
            (ROOT / keys["path"]).resolve() == DOCKERFILE and keys["context"] == "." and keys["remoteBuild"] == "true"
        )
        # azd records the image it built as SERVICE_<NAME>_IMAGE_NAME; the next provision keeps it.
        param = images[f"'{name}.request'"]
        assert parameters[param]["value"] == f"${{SERVICE_{name.upper()}_IMAGE_NAME=}}"
    tags = _worker_app()["config"]["tags"]["function"]["parameters"]["arg_2"]["'azd-service-name'"]
    assert tags["function"] == {"type": "split", "parameters": {"input_string": "stream", "delimiter": "."}, "index": 0}
    [registry] = _worker_app()["config"]["properties"]["configuration"]["registries"]
    assert registry == {"server": "registryServer", "identity": "identityId"}
    assert "AZURE_CONTAINER_REGISTRY_ENDPOINT" in parse(MAIN)["outputs"], "azd pushes to the registry it names"
    assert (ROOT / ".dockerignore").read_text().startswith("#"), "the remote build uploads only what the image needs"


def test_scale_follows_the_backlog_of_the_codes_consumer_group_between_floor_and_ceiling() -> None:
    rules = _worker_app()["config"]["properties"]["template"]["scale"]["rules"]
    assert [rule["custom"]["type"] for rule in rules] == ["redis-streams", "redis-streams"]
    metadata = [rule["custom"]["metadata"] for rule in rules]
    by_stream = {
        "operator": {"type": "index_accessor", "operands": {"operand_1": "consumerGroups", "operand_2": "stream"}}
    }
    assert all(m["stream"] == "${streamPrefix}${stream}" and m["consumerGroup"] == by_stream for m in metadata)
    assert {"lagCount", "pendingEntriesCount"} <= {key for m in metadata for key in m}
    groups = {_unquote(stream): group for stream, group in variable(WORKERS, "consumerGroups").items()}
    assert groups == GROUPS, "KEDA must watch the group the workers read with"
    scale = _default(MAIN, "workerScale")
    assert {_unquote(stream) for stream in scale} == set(worker_streams())
    assert all(0 <= bounds["min"] <= bounds["max"] for bounds in scale.values())


def _identity_roles(path: Any) -> set[str]:
    """Keys of `roles` (the module's role-id map) granted to the app's identity (`principalId`)."""
    found: set[str] = set()
    for resource in parse(path)["resources"].values():
        if not resource["type"].startswith("Microsoft.Authorization/roleAssignments"):
            continue
        config = resource["config"]
        properties = config.get("config", config)["properties"]  # a conditional resource nests its body
        if properties["principalId"] != "principalId":
            continue
        accessor = properties["roleDefinitionId"]["function"]["parameters"]["resource_name_1"]["operator"]
        assert accessor["operands"]["operand_1"] == "roles"
        found.add(accessor["operands"]["operand_2"])
    return found


def test_the_identity_holds_a_role_for_every_azure_service_the_code_calls() -> None:
    granted = _identity_roles(INFRA / "modules" / "rbac.bicep") | _identity_roles(INFRA / "modules" / "registry.bicep")
    needed = {
        "storageBlobDataOwner": "blobs, user-delegation SAS, host storage",
        "storageQueueDataContributor": "the host's blob-trigger queues",
        "storageTableDataContributor": "the host's tables",
        "monitoringMetricsPublisher": "Application Insights with Entra auth",
        "keyVaultSecretsUser": "Key Vault references (both hosting choices)",
        "cognitiveServicesOpenAiUser": "the AI stage",
        "cognitiveServicesSpeechUser": "the media stage's narration",
        "communicationEmailServiceOwner": "reminder email",
        "acrPull": "the stage apps pull their image",
    }
    missing = {role: why for role, why in needed.items() if role not in granted}
    assert missing == {}
    redis = parse(INFRA / "modules" / "redis.bicep")["resources"]["appAccess"]["config"]["properties"]
    assert redis["user"]["objectId"] == "principalId", "Redis data access for the identity"
    assert _default(INFRA / "modules" / "registry.bicep", "operatorPrincipalId") == ""
