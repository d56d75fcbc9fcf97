"""The `leaf_modules` contract type: contracts reach only their own context, platform and other contracts."""

from __future__ import annotations

from grimp import ImportGraph

from devtools.import_contracts import LeafModulesContract

CONTEXTS = ["app.docs", "app.search"]


def contract() -> LeafModulesContract:
    options = {"contexts": CONTEXTS, "module": "contracts", "within": "app", "allowed": ["app.platform"]}
    return LeafModulesContract(name="leaves", session_options={}, contract_options=options)


def graph(*imports: tuple[str, str]) -> ImportGraph:
    built = ImportGraph()
    modules = ["app", "app.platform", "app.docs", "app.search", "app.docs.contracts", "app.docs.paths"]
    for module in [*modules, "app.docs.service", "app.search.contracts", "app.search.service"]:
        built.add_module(module)
    for importer, imported in imports:
        built.add_import(importer=importer, imported=imported)
    return built


def test_contracts_may_import_platform_their_own_context_and_other_contracts() -> None:
    kept = graph(
        ("app.search.contracts", "app.docs.contracts"),
        ("app.docs.contracts", "app.docs.paths"),
        ("app.docs.contracts", "app.platform"),
        ("app.search.service", "app.docs.service"),
    )
    assert contract().check(kept, verbose=False).kept


def test_contracts_may_not_reach_another_contexts_service_even_through_their_own() -> None:
    broken = graph(("app.docs.contracts", "app.docs.paths"), ("app.docs.paths", "app.search.service"))
    check = contract().check(broken, verbose=False)
    assert not check.kept
    assert [found.reached for found in check.metadata["reached"]] == ["app.search.service"]


def test_two_contracts_may_not_depend_on_each_other() -> None:
    broken = graph(("app.docs.contracts", "app.search.contracts"), ("app.search.contracts", "app.docs.contracts"))
    check = contract().check(broken, verbose=False)
    assert not check.kept
    assert check.metadata["cycles"] == [("app.docs.contracts", "app.search.contracts")]
