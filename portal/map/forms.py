"""Forms of the map: saving a snapshot, and the filters every map view shares."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal.map.graph import Filters
from portal.models.forum import FORUM_KINDS, FORUM_LEVELS

# The map's network switch in the address (`natverk`): formal, observed or the difference.
NETWORKS = {"formell": "", "observerad": "observed", "skillnad": "difference"}
NETWORK_NAMES = {mode: name for name, mode in NETWORKS.items()}


class SnapshotForm(FlaskForm):
    """The name of a new snapshot of the structure."""

    name = StringField(
        _l("Name of the snapshot"),
        validators=[DataRequired(message=_l("Give the snapshot a name.")), Length(max=200)],
    )


def parse_filters(args: MultiDict, area_keys: set[str]) -> Filters:
    """The map filters of a request; unknown values are ignored rather than refused."""
    def pick(name: str, allowed) -> str:
        value = (args.get(name) or "").strip()
        return value if value in allowed else ""

    return Filters(
        area=pick("area", area_keys),
        level=pick("level", FORUM_LEVELS),
        kind=pick("kind", FORUM_KINDS),
        organisation=(args.get("organisation") or "").strip()[:64],
        people=args.get("people") == "1",
        organisations=args.get("organisations") == "1",
        focus=(args.get("focus") or "").strip()[:2000],
        network=NETWORKS.get((args.get("natverk") or "").strip(), ""),
    )
