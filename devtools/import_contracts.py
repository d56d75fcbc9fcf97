"""Import-linter contract types the built-in ones cannot express (pyproject.toml, [tool.importlinter]).

`public_interface`: a module of one context may import another context only through that
context's public modules (`contracts`, `service`, and the few listed beside them), never its
store, adapters or stage. A context's own modules, and anything outside the listed contexts
(the root modules, `shared.platform`), are not limited.

`leaf_modules`: each context's named module (its `contracts`) depends, directly or not, on
nothing in `within` but its own context, the `allowed` packages and the other contexts' named
modules, and no two of those depend on each other. This is what lets the acyclic contract
ignore imports of `contracts`: they cannot close a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils


@dataclass(frozen=True)
class IllegalImport:
    importer: str
    imported: str
    line_numbers: tuple[int, ...]


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class PublicInterfaceContract(Contract):
    """Options: `contexts` (packages), `public` (submodule names every context exposes), `ignore_imports`."""

    type_name = "public_interface"

    contexts = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:  # noqa: ARG002 - the interface's
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]  # fields are descriptors
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        contexts: list[str] = list(self.contexts)  # type: ignore[call-overload]
        illegal = [found for context in contexts for found in self._illegal_imports_of(graph, context, contexts)]
        return ContractCheck(
            kept=not illegal,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"illegal": illegal},
        )

    def _illegal_imports_of(self, graph: ImportGraph, context: str, contexts: list[str]) -> list[IllegalImport]:
        """Imports of `context`'s non-public modules by modules of the other contexts."""
        public_names: list[str] = list(self.public)  # type: ignore[call-overload]
        public = [f"{context}.{name}" for name in public_names]
        others = [other for other in contexts if other != context]
        found: list[IllegalImport] = []
        for imported in sorted({context, *graph.find_descendants(context)}):
            if any(_within(imported, allowed) for allowed in public):
                continue
            for importer in sorted(graph.find_modules_that_directly_import(imported)):
                if any(_within(importer, other) for other in others):
                    details = graph.get_import_details(importer=importer, imported=imported)
                    lines = tuple(detail["line_number"] for detail in details)
                    found.append(IllegalImport(importer=importer, imported=imported, line_numbers=lines))
        return found

    def render_broken_contract(self, check: ContractCheck) -> None:
        for found in check.metadata["illegal"]:
            lines = ", ".join(str(number) for number in found.line_numbers)
            output.print_error(f"- {found.importer} -> {found.imported} (l.{lines})", bold=False)
        output.new_line()


@dataclass(frozen=True)
class ReachedModule:
    leaf: str
    reached: str
    chain: tuple[str, ...]


class LeafModulesContract(Contract):
    """Options: `contexts` (packages), `module` (the submodule name), `within` (the root package checked),
    `allowed` (packages a leaf may reach besides its own context and the other leaves)."""

    type_name = "leaf_modules"

    contexts = fields.ListField(subfield=fields.StringField())
    module = fields.StringField()
    within = fields.StringField()
    allowed = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:  # noqa: ARG002 - the interface's
        contexts: list[str] = list(self.contexts)  # type: ignore[call-overload]
        name = str(self.module)
        leaves = [f"{context}.{name}" for context in contexts if graph.find_matching_modules(f"{context}.{name}")]
        found = [
            reached
            for context in contexts
            if f"{context}.{name}" in leaves
            for reached in self._reached_by(graph, context, f"{context}.{name}", leaves)
        ]
        cycles = self._cycles_between(graph, leaves)
        return ContractCheck(kept=not found and not cycles, warnings=[], metadata={"reached": found, "cycles": cycles})

    @staticmethod
    def _cycles_between(graph: ImportGraph, leaves: list[str]) -> list[tuple[str, str]]:
        """Pairs of leaves that depend on each other, directly or not."""
        reach = {leaf: graph.find_upstream_modules(leaf, as_package=True) for leaf in leaves}
        return [
            (one, other)
            for one in leaves
            for other in leaves
            if one < other and any(_within(m, other) for m in reach[one]) and any(_within(m, one) for m in reach[other])
        ]

    def _reached_by(self, graph: ImportGraph, context: str, leaf: str, leaves: list[str]) -> list[ReachedModule]:
        """What `leaf` (and its submodules) depends on that it may not."""
        packages: list[str] = list(self.allowed)  # type: ignore[call-overload]
        allowed = [context, *leaves, *packages]
        within = str(self.within)
        upstream = graph.find_upstream_modules(leaf, as_package=True)
        # What another leaf reaches is that leaf's own check (its own context's modules, say).
        covered = {
            module
            for other in leaves
            if other != leaf and any(_within(m, other) for m in upstream)
            for module in graph.find_upstream_modules(other, as_package=True)
        }
        found: list[ReachedModule] = []
        for reached in sorted(upstream - covered):
            if not _within(reached, within) or any(_within(reached, ok) for ok in allowed):
                continue
            chain = graph.find_shortest_chain(importer=leaf, imported=reached, as_packages=True)
            found.append(ReachedModule(leaf=leaf, reached=reached, chain=tuple(chain or ())))
        return found

    def render_broken_contract(self, check: ContractCheck) -> None:
        for found in check.metadata["reached"]:
            output.print_error(f"- {found.leaf} reaches {found.reached}: {' -> '.join(found.chain)}", bold=False)
        for one, other in check.metadata["cycles"]:
            output.print_error(f"- {one} and {other} depend on each other", bold=False)
        output.new_line()
