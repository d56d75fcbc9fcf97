"""azure.yaml and its hooks: the files exist, parse as shell, and agree with the code and Bicep."""

from __future__ import annotations

import os
import re
import subprocess

import azure.functions as func

from functions import blobs, drains
from shared.platform.stream_names import STREAMS
from tests.support.bicep import INFRA, ROOT, parse

AZURE_YAML = ROOT / "azure.yaml"


def _hook_scripts() -> list[str]:
    return re.findall(r"^\s+run: (scripts/azd/\S+)$", AZURE_YAML.read_text(), flags=re.MULTILINE)


def test_azure_yaml_provisions_main_bicep() -> None:
    text = AZURE_YAML.read_text()
    assert re.search(r"^  path: infra-bicep$", text, flags=re.MULTILINE)
    assert re.search(r"^  module: main$", text, flags=re.MULTILINE)
    assert re.search(r"^    host: function$", text, flags=re.MULTILINE)
    tagged = parse(INFRA / "modules" / "function-app.bicep")["resources"]["site"]["config"]["tags"]
    assert "azd-service-name" in str(tagged) and "api" in str(tagged)


def test_every_hook_exists_is_executable_and_parses() -> None:
    scripts = _hook_scripts()
    assert [path.rsplit("/", 1)[1] for path in scripts] == ["preprovision.sh", "predeploy.sh", "postdeploy.sh"]
    for script in scripts:
        path = ROOT / script
        assert os.access(path, os.X_OK), f"{script} is not executable"
        subprocess.run(["sh", "-n", str(path)], check=True, timeout=10)


def test_deploy_scripts_parse_and_read_outputs_main_bicep_declares() -> None:
    outputs = set(parse(INFRA / "main.bicep")["outputs"])
    for script in sorted((ROOT / "scripts" / "azd").glob("*.sh")):
        subprocess.run(["sh", "-n", str(script)], check=True, timeout=10)
        used = set(re.findall(r"\$\{?(AZURE_[A-Z_]+)", script.read_text()))
        assert used <= outputs, f"{script.name} reads {sorted(used - outputs)}, which main.bicep does not output"


def test_blob_events_target_the_registered_blob_trigger() -> None:
    app = func.FunctionApp()
    app.register_functions(blobs.bp)
    triggers = [(f, f.get_trigger()) for f in app.get_functions()]
    [(function, trigger)] = [(f, t) for f, t in triggers if t is not None and t.get_binding_name() == "blobTrigger"]
    assert trigger is not None
    settings = trigger.get_dict_repr()
    params = parse(INFRA / "blob-events.bicep")["parameters"]
    assert function.get_function_name() == params["functionName"]["default"]
    assert settings["path"].split("/", 1)[0] == params["containerName"]["default"]
    assert settings["source"] == "EventGrid"


def test_the_worker_command_takes_every_stream_the_app_drains() -> None:
    worker_cli = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "studyaid"), "worker", "--help"], capture_output=True, text=True, timeout=60
    )
    assert all(stream in worker_cli.stdout for stream in STREAMS)


def test_drains_moved_to_workers_name_registered_functions() -> None:
    """main.bicep switches off `drain_<first word of the stream>` for streams the workers take over."""
    loop = parse(INFRA / "main.bicep")["variables"]["drainsMovedToWorkers"]["value"]
    assert loop["config"] == "drain_${split(stream, '.')[0]}"
    app = func.FunctionApp()
    app.register_functions(drains.bp)
    registered = {function.get_function_name() for function in app.get_functions()}
    assert {f"drain_{stream.split('.')[0]}" for stream in STREAMS} == registered
    defaults = parse(INFRA / "main.bicep")["parameters"]["workerStreams"]["default"]
    assert set(defaults) <= set(STREAMS)
