"""The layer rules of docs/architecture.md hold: import contracts, no cycles, thin services."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

from portal import ROOT


def test_import_linter_contracts_are_kept():
    """The pure cores stay pure and the models import no views (pyproject.toml contracts)."""
    result = subprocess.run(  # noqa: S603 - the project's own linter
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                               "lint_imports_command()"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_no_module_of_the_portal_imports_itself_in_a_circle():
    """No import cycles anywhere in portal/ (imports inside functions count too)."""
    graph = grimp.build_graph("portal", include_external_packages=False,
                              exclude_type_checking_imports=True)
    edges = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    cycles = sorted(sorted(c) for c in nx.strongly_connected_components(edges) if len(c) > 1)
    assert cycles == []


def _services() -> list[Path]:
    return sorted(p for p in (ROOT / "portal").rglob("services*.py"))


def test_services_never_read_the_request_or_the_session():
    """Services take the acting user and their input as arguments (STYLE.md, habit 4)."""
    offenders = []
    for path in _services():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "flask":
                names = {alias.name for alias in node.names}
                if names & {"request", "session", "g"}:
                    offenders.append(f"{path.relative_to(ROOT)}: {sorted(names)}")
    assert offenders == []


def test_each_url_family_is_served_by_one_area(app):
    """/analys/* is the findings area's and /api/v1/* the api's, as docs/architecture.md says."""
    owners = {"/analys": "findings", "/api/": "api"}
    for prefix, area in owners.items():
        endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                     if rule.rule.startswith(prefix)}
        assert endpoints and {e.split(".")[0] for e in endpoints} == {area}, prefix
