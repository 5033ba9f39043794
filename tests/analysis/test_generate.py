import json

import pytest

from bench import bench_analysis
from bench.generate import generate, main, normalize
from portal.analysis.core import KINDS, analyze, parallel_pairs_pairwise
from tests.analysis.helpers import AS_OF


def test_generated_map_is_valid_and_normalizes_like_the_validator():
    """The exchange validator accepts a generated map and normalizes it as ``normalize`` does."""
    validator = pytest.importorskip("portal.exchange.validator")
    raw = generate(0.1, seed=5)
    assert validator.validate_document(raw) == normalize(raw)


def test_generator_is_deterministic_per_seed():
    """The same scale and seed give the same document; another seed gives another."""
    assert generate(0.05, seed=3) == generate(0.05, seed=3)
    assert generate(0.05, seed=3) != generate(0.05, seed=4)


def test_generated_map_has_the_national_shape_scaled():
    """A quarter scale has about a quarter of the forums, people and memberships."""
    doc = generate(0.25)
    memberships = sum(len(f.get("members", ())) for f in doc["forums"])
    assert 950 <= len(doc["forums"]) <= 1100
    assert 5800 <= len(doc["people"]) <= 6600
    assert 1.8 <= memberships / len(doc["people"]) <= 2.4
    assert len(doc["areas"]) == 8
    assert sum(o["kind"] == "region" for o in doc["organisations"]) == 5


def test_generated_map_plants_the_problems_the_analysis_looks_for():
    """A small generated map contains structural findings of the main kinds."""
    kinds = {f["kind"] for f in analyze(normalize(generate(0.1)), AS_OF)["findings"]}
    expected = set(KINDS) - {"uncovered_area", "missing_principal"}
    assert expected <= kinds


def test_fast_path_matches_the_reference_on_a_generated_map():
    """On a generated map the analysis and the all-pairs reference find the same pairs."""
    doc = normalize(generate(0.1, seed=2))
    found = [f for f in analyze(doc, AS_OF)["findings"] if f["kind"] == "parallel_structure"]
    expected = parallel_pairs_pairwise(doc, 0.5)
    assert [f["forums"] for f in found] == [p["forums"] for p in expected]
    assert expected


def test_cli_writes_the_document(tmp_path, capsys):
    """``python -m bench.generate --scale S -o FILE`` writes the JSON document."""
    target = tmp_path / "map.json"
    main(["--scale", "0.05", "-o", str(target)])
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written == generate(0.05)
    assert "forums" in capsys.readouterr().err


def test_benchmark_runs_and_checks_the_pairs(capsys):
    """The benchmark prints its table and exits 0 when both paths agree."""
    assert bench_analysis.main(["--scales", "0.05", "0.1", "--repeats", "1", "--no-metrics"]) == 0
    out = capsys.readouterr().out
    assert "speed-up, fast vs all pairs" in out
    assert "analyze (all kinds)" in out
