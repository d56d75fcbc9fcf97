"""Dev tooling stays out of the deployment: `.funcignore` drops devtools/, and the app never imports it."""

from __future__ import annotations

import ast
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _shipped_files() -> list[str]:
    """Tracked files the Functions deployment keeps: git's own matcher applied to `.funcignore`."""
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    ignored = subprocess.run(
        ["git", "ls-files", "-c", "-i", "--exclude-from=.funcignore"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted(set(listed.split()) - set(ignored.split()))


def test_the_deployment_package_leaves_devtools_out() -> None:
    shipped = _shipped_files()
    assert any(path.startswith("shared/") for path in shipped)
    assert not [path for path in shipped if path.startswith("devtools/")]


def test_no_shipped_module_imports_devtools() -> None:
    for path in (p for p in _shipped_files() if p.endswith(".py")):
        tree = ast.parse((ROOT / path).read_text(), filename=path)
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not [n for n in names if n == "devtools" or n.startswith("devtools.")], path


def test_the_dev_install_packages_devtools_with_its_own_command() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["studyaid-dev"] == "devtools.cli:main"
    assert "devtools*" in project["tool"]["setuptools"]["packages"]["find"]["include"]
