"""Indicators and their dated values."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import SHORT_TEXT, KeyedMixin, key_column
from portal.models.directory import Area, Organisation

indicator_area = Table(
    "indicator_area",
    db.metadata,
    Column("indicator_id", ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Indicator(KeyedMixin, db.Model):
    """A follow-up measure, such as the share of residents with a named GP."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    name: Mapped[str] = mapped_column(String(SHORT_TEXT))
    unit: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    target: Mapped[float | None]
    definition: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    target_source: Mapped[str | None] = mapped_column(Text)
    higher_is_better: Mapped[bool] = mapped_column(default=True, server_default=true())

    areas: Mapped[list[Area]] = relationship(secondary=indicator_area, order_by=Area.name)
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator",
        cascade="all, delete-orphan",
        order_by="IndicatorValue.measured_on",
    )


class IndicatorValue(db.Model):
    """One measured value of an indicator on a date, for the region or for one organisation."""

    __table_args__ = (
        UniqueConstraint("indicator_id", "measured_on", "organisation_id"),
        # NULLs are distinct in a unique constraint: one region-wide value per date needs its own.
        Index(
            "uq_indicator_value_region_date",
            "indicator_id",
            "measured_on",
            unique=True,
            sqlite_where=text("organisation_id IS NULL"),
            postgresql_where=text("organisation_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    measured_on: Mapped[date]
    value: Mapped[float]
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )

    indicator: Mapped[Indicator] = relationship(back_populates="values")
    organisation: Mapped[Organisation | None] = relationship()

    def __repr__(self) -> str:
        return f"<IndicatorValue {self.measured_on} {self.value}>"
