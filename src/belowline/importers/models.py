"""Where each imported thread, author and comment came from, so a second run adds nothing."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base


class ImportRecord(Base):
    """One source object (kind: story, user or comment) and the row it became."""

    __tablename__ = "import_records"
    __table_args__ = (
        UniqueConstraint("site_id", "source", "kind", "source_id"),
        Index("ix_import_records_pending", "site_id", "source", "kind", "parent_source_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[str] = mapped_column(String(200))
    target_id: Mapped[int] = mapped_column(Integer)
    # A reply whose parent had not been read yet; cleared once the parent is linked.
    parent_source_id: Mapped[str | None] = mapped_column(String(200), default=None)
