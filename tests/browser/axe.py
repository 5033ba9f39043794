"""Run axe-core on a page and fail on serious or critical accessibility violations.

axe-core is vendored for the browser tests only (tests/browser/vendor/axe-core, MPL-2.0), so
production never serves it. Injecting it is an inline script as far as the portal's CSP is
concerned, so the page must come from a browser context opened with ``bypass_csp=True`` (the
``axe_page`` fixture of test_map.py does).
"""

from __future__ import annotations

import json
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")


def axe_on_every_page(context) -> None:
    """Load axe-core into every page the browser context opens, before the page's own scripts.

    A crawl that injects it after each navigation sends the 500 kB script over the wire and
    compiles it again every time (half of the 360 px crawl's time went there).
    """
    context.add_init_script(path=str(AXE))


def axe_violations(page, impacts=FAILING_IMPACTS) -> list[dict]:
    """The axe-core violations of the current page with one of the given impacts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    return [v for v in result["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict]) -> str:
    """A readable summary: rule, impact, help and the first few offending elements."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page) -> None:
    """Fail with a readable list when axe-core finds a serious or critical violation."""
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"
