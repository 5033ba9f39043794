"""The analysis core's messages come from the portal's gettext catalogues (one translation
system for the web and the command line)."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.analysis import messages

ROOT = Path(__file__).resolve().parents[2]


def core_message_ids():
    """Every message id the core translates: templates, plurals, statuses and small words."""
    words = ["“%(name)s”", "%(items)s or %(last)s", "%(items)s and %(last)s", "%(value)s%%"]
    return [*messages.TEMPLATES.values(), *messages.STATUSES.values(), *words,
            *(pair[0] for pair in messages.PLURALS.values())]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_core_message_is_in_the_catalogue(lang):
    """Each message id of the core has an entry (Swedish: translated, plurals as plurals)."""
    path = ROOT / "portal" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    for message_id in core_message_ids():
        entry = catalogue.get(message_id)
        assert entry is not None, message_id
        if lang == "sv":
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            assert all(strings), message_id
    for singular, plural in messages.PLURALS.values():
        assert catalogue.get(singular).id == (singular, plural)
    if lang == "sv":  # the Swedish is Swedish, not the English message id left in place
        assert catalogue.get(messages.TEMPLATES["dormant_forum"]).string.startswith(
            "%(forum)s har inte haft något möte")


def test_a_stale_compiled_catalogue_is_not_used(tmp_path, monkeypatch):
    """Without a current .mo (a checkout before `pybabel compile`) the .po is read directly."""
    folder = tmp_path / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = ROOT / "portal" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
    (folder / "messages.po").write_bytes(source.read_bytes())
    monkeypatch.setattr(messages, "TRANSLATIONS", tmp_path)
    monkeypatch.setattr(messages, "_catalogues", {})
    words = messages.Words("sv")
    assert words.days(2) == "2 dagar" and words.quote("LSG") == "”LSG”"
