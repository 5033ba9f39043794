"""Validation errors are worded from their code in Swedish and English, located as the spec says."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.exchange.codes import TEMPLATES, all_templates, template
from portal.exchange.messages import error_message, error_text, translator
from portal.exchange.validator import ExchangeError, check_document

CATALOGUES = Path(__file__).resolve().parents[2] / "portal" / "translations"


def _catalogue(lang: str):
    with (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_error_code_has_a_text_in_both_languages(lang):
    """Each template (and each value a message describes in words) is in the catalogue, filled."""
    catalogue = _catalogue(lang)
    missing = [t for t in all_templates() if t not in catalogue or not catalogue[t].string]
    assert missing == []


def test_swedish_texts_keep_the_params_of_the_english_template():
    """A translation that dropped or renamed a %(param)s would fail when an error is shown."""
    import re

    catalogue = _catalogue("sv")
    for text in all_templates():
        params = sorted(re.findall(r"%\((\w+)\)s", text))
        assert sorted(re.findall(r"%\((\w+)\)s", catalogue[text].string)) == params, text
        assert catalogue[text].string != text or not re.search("[a-z]{4}", text), text


def test_every_code_is_worded_in_both_languages_without_an_untranslated_template():
    """Each code renders in sv and en; in Swedish no English template text is left."""
    for code, entry in TEMPLATES.items():
        values = [None] if isinstance(entry, str) else list(entry[1])
        for value in values:
            params = {"target": value, "status": value} if value else {}
            error = ExchangeError("forums", "lsg", "reports_to", code, _params(code, params))
            english, swedish = error_message(error, "en"), error_message(error, "sv")
            assert english == error.message
            assert swedish != english, code
            assert template(code, error.params) not in swedish


def _params(code: str, chosen: dict) -> dict:
    """Params for any template: every name a template may use, plus the chosen variant."""
    names = ("got", "key", "line", "column", "detail", "digits", "token", "expected", "limit",
             "count", "length", "low", "high", "date", "first", "last", "choices", "chain",
             "end", "start", "meeting", "meeting_date", "forum", "other_forum", "number")
    return {**{name: "x" for name in names}, **chosen}


def test_the_location_stays_as_the_spec_writes_it():
    """`forums[lsg].reports_to: unknown forum "xyz"` in English, the same place in Swedish."""
    doc = {"format": "samverkan/1",
           "forums": [{"key": "lsg", "name": "LSG", "kind": "collaboration", "level": "county",
                       "reports_to": "xyz"}],
           "areas": [{"key": "ok", "name": "A"}, {"key": "a b", "name": "B"}]}
    _, errors = check_document(doc)
    english = [error_text(e, "en") for e in errors]
    swedish = [error_text(e, "sv") for e in errors]
    assert 'forums[lsg].reports_to: unknown forum "xyz"' in english
    assert 'areas[#1].key: invalid key "a b"' in english
    assert 'forums[lsg].reports_to: okänt forum "xyz"' in swedish
    assert 'areas[#1].key: ogiltig nyckel "a b"' in swedish


def test_values_described_in_words_are_translated_too():
    """`expected an object, got an array` becomes wholly Swedish, not half."""
    doc = {"format": "samverkan/1", "forums": [[1]]}
    _, errors = check_document(doc)
    assert error_text(errors[0], "sv") == "forums[#0]: väntade ett objekt, fick en lista"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang"):
        translator("de")


def test_forms_explain_errors_by_code_in_the_users_language(app):
    """A form words the error from its code (no matching of English text), in sv and en."""
    from flask_babel import force_locale

    from portal.entries import explain

    unknown = ExchangeError("forums", "lsg", "reports_to", "unknown",
                            {"target": "forums", "key": "xyz"})
    twice = ExchangeError("indicators", "i", "values[1]", "duplicate_date_organisation",
                          {"date": "2025-01-01", "key": "umea"})
    planned = ExchangeError("meetings", "m", "present", "held_only", {"status": "planned"})
    with app.test_request_context():
        assert explain(unknown) == 'Portalen hittar inte forumet med nyckeln "xyz".'
        assert "2025-01-01" in explain(twice) and "organisationen" in explain(twice)
        assert explain(planned) == "inte tillåtet för ett planerat möte"
        with force_locale("en"):
            assert explain(unknown) == 'There is no forum with the key "xyz".'
            assert explain(planned) == "not allowed on a planned meeting"
