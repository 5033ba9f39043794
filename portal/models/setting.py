"""Settings an admin can change, such as the analysis thresholds."""

from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class Setting(db.Model):
    """One named setting with a JSON value."""

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<Setting {self.key}={self.value!r}>"
