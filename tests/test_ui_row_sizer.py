"""make_table's row sizer: rows on screen fit their word-wrapped text (up to a maximum), again
after the table is resized or scrolled, without ever wrapping the viewport in Python before
the first paint (see RowSizer)."""

from __future__ import annotations

from dataclasses import dataclass

from cds_desktop.ui.common.table_model import Column, RowTableModel
from cds_desktop.ui.common.widgets import make_table

LONG = "Triển khai nền tảng số cấp xã, kết nối dữ liệu dân cư và cung cấp dịch vụ công trực tuyến toàn trình " * 2


@dataclass
class _Row:
    uuid: str
    text: str


class _Model(RowTableModel):
    columns = (Column("uuid", "STT", 60), Column("text", "Nội dung", 200))

    def display(self, row, column):
        return getattr(row, column.key)


def _table(qtbot, rows: int):
    model = _Model()
    model.set_rows([_Row(str(i), LONG if i % 2 else "Ngắn") for i in range(rows)])
    view = make_table(model, max_row_height=200)
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_rows_on_screen_fit_their_wrapped_text(qtbot):
    view = _table(qtbot, 200)
    header = view.verticalHeader()
    qtbot.waitUntil(lambda: header.sectionSize(1) > header.sectionSize(0))
    wide = header.sectionSize(1)
    assert wide <= 200 and header.sectionSize(0) < wide
    assert 199 not in view.row_sizer.sized  # far below the screen: left as it is

    view.resize(450, 400)  # narrower: the long texts wrap onto more lines
    qtbot.waitUntil(lambda: header.sectionSize(1) > wide)

    view.scrollToBottom()
    qtbot.waitUntil(lambda: 199 in view.row_sizer.sized)
    assert header.sectionSize(199) > header.sectionSize(198)
