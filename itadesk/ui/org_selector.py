"""The organization selector's list as one Qt model, so a district's 8,000 offices fill the
combo box in one reset instead of 8,000 ``addItem`` calls on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt

from itadesk.ita.model import Organization


def org_label(org: Organization) -> str:
    return org.name + (f" ({org.place})" if org.place else "")


class OrganizationList(QAbstractListModel):
    """Name (and place) shown and as tooltip; the organization's UUID as item data."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._labels: list[str] = []
        self._uuids: list[str] = []
        self._rows: dict[str, int] = {}

    def set_organizations(self, orgs: list[Organization]) -> None:
        """List ``orgs``; no reset when they are the ones listed (a score typed in a new year
        re-reads the organizations, and the views reload nothing for it)."""
        labels, uuids = [org_label(o) for o in orgs], [o.uuid for o in orgs]
        if labels == self._labels and uuids == self._uuids:
            return
        self.beginResetModel()
        self._labels, self._uuids = labels, uuids
        self._rows = {u: i for i, u in enumerate(self._uuids)}
        self.endResetModel()

    def row_of(self, uuid: str | None) -> int:
        """The row of ``uuid``, -1 when it is not listed (no dictionary walk over the model)."""
        return self._rows.get(uuid, -1)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._labels)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = index.row()
        if role in (Qt.DisplayRole, Qt.EditRole, Qt.ToolTipRole):
            return self._labels[row]
        if role == Qt.UserRole:
            return self._uuids[row]
        return None
