"""Merging two offices' copies of the same document (work in progress: see issue 3)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Conflict:
    table: str
    row_uuid: str
    kind: str  # both_changed | deleted_here | deleted_there
    description: str  # Thai, for the officer


@dataclass
class MergeReport:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    kept_ours: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted or self.conflicts)


def merge_connections(store, source, source_name: str = "") -> MergeReport:
    raise NotImplementedError("merge is being built")
