import re

from docx import Document
from docx.enum.section import WD_ORIENT

from piiplan.reports.half_year import counts_sentence, key_indicator_sentence, write_half_year_report
from piiplan.reports.model import IndicatorRow, TaskCounts, count_tasks

from .docx_checks import all_text, order_violations, paragraph_texts, run_fonts


def test_counts_sentence():
    assert counts_sentence(TaskCounts(34, 15, 8, 4)) == (
        "Đến hết kỳ báo cáo, 34/61 (55,7%) nhiệm vụ đã hoàn thành; 15 nhiệm vụ đang thực hiện; "
        "8 nhiệm vụ chưa thực hiện; 4 nhiệm vụ quá hạn.")
    assert counts_sentence(TaskCounts(2, 0, 0, 0)) == "Đến hết kỳ báo cáo, 2/2 (100,0%) nhiệm vụ đã hoàn thành."


def test_key_indicator_sentence_respects_direction():
    rows = [IndicatorRow("1.1.1", "a", base_value=10, current_value=12, target=11),
            IndicatorRow("1.1.2", "b", base_value=10, current_value=8, target=9, direction=-1),
            IndicatorRow("1.1.3", "c", base_value=10, current_value=9, target="Đạt trung bình")]
    assert key_indicator_sentence(rows, 2025) == (
        "Trong 3 chỉ số chủ yếu, 2/2 chỉ số đã đạt mục tiêu của Kế hoạch (1 chỉ số chưa đánh giá được); "
        "2/3 chỉ số có số liệu được cải thiện so với năm 2025.")


def test_key_indicator_sentence_judges_average_and_improvement_goals_and_never_says_0_of_0():
    rows = [IndicatorRow("1.1.1", "a", base_value=10, current_value=12, target="Đạt mức trung bình cả nước",
                         national_average=11, goal="reach_average"),
            IndicatorRow("1.1.2", "b", base_value=10, current_value=9, target="Cao hơn năm trước", goal="improve")]
    assert [r.meets_target() for r in rows] == [True, False]
    assert key_indicator_sentence(rows, 2025).startswith("Trong 2 chỉ số chủ yếu, 1/2 chỉ số đã đạt mục tiêu")
    blank = [IndicatorRow("1.1.3", "c", target="Đạt mức trung bình cả nước", goal="reach_average")]
    text = key_indicator_sentence(blank, 2025)
    assert "0/0" not in text and "chưa chỉ số nào đủ số liệu" in text


def test_half_year_structure_and_content(half_year, tmp_path):
    doc = Document(write_half_year_report(half_year, tmp_path / "bc.docx"))
    text = all_text(doc)
    lines = paragraph_texts(doc)
    # sections I–V in order, then the appendices
    heads = ["I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN", "II. KẾT QUẢ THỰC HIỆN THEO TỪNG TRỤ CỘT", "III. ĐÁNH GIÁ",
             "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", "V. ĐỀ XUẤT, KIẾN NGHỊ", "Phụ lục I", "Phụ lục II", "Phụ lục III"]
    positions = [lines.index(h) for h in heads]
    assert positions == sorted(positions)
    assert "BÁO CÁO" in text and "6 tháng đầu năm 2026" in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn." in text
    assert "Nơi nhận:" in text and "Số:" in text and "/BC-SKHCN" in text
    assert "Lạng Sơn, ngày 20 tháng 6 năm 2026" in text
    assert "Dữ liệu mô phỏng — không phải số liệu chính thức" in text
    # computed from the tasks of the fixture
    c = count_tasks(half_year.tasks)
    assert (c.done, c.total) == (34, 61)
    assert "Đến hết kỳ báo cáo, 34/61 (55,7%) nhiệm vụ đã hoàn thành" in text
    assert f"Còn {c.overdue} nhiệm vụ quá hạn" in text
    assert "(số liệu tính đến ngày 14/06/2026)" in text
    # numbers in vi-VN form, no English decimal points in the pillar sentences
    assert re.search(r"Điểm trụ cột đạt \d+,\d\d", text)
    assert not re.search(r"Điểm trụ cột đạt \d+\.\d", text)


def test_half_year_tables_match_the_data(half_year, tmp_path):
    doc = Document(write_half_year_report(half_year, tmp_path / "bc.docx"))
    tables = doc.tables

    def table(col, title):
        return next(t for t in tables if len(t.columns) > abs(col) and t.rows[0].cells[col].text == title)

    pillar_table = table(1, "Trụ cột")
    assert len(pillar_table.rows) == 1 + len(half_year.pillars) + 1
    total = pillar_table.rows[-1].cells
    assert [c.text for c in total[2:]] == ["61", "34", "15", "8", "4"]
    for row, p in zip(pillar_table.rows[1:], half_year.pillars):
        assert row.cells[1].text == p.name and int(row.cells[2].text) == p.tasks.total
    key = table(-1, "Đánh giá")
    assert len(key.rows) - 1 == sum(r.key for r in half_year.indicators)
    tasks = table(2, "Nhiệm vụ, giải pháp")
    task_rows = [r for r in tasks.rows[1:] if r.cells[0].text.isdigit()]
    assert len(task_rows) == len(half_year.tasks)
    evidence = table(1, "Số, ký hiệu")
    assert len(evidence.rows) - 1 == len(half_year.evidence)
    assert evidence.rows[1].cells[2].text == "01/01/2026"


def test_half_year_styles(half_year, tmp_path):
    doc = Document(write_half_year_report(half_year, tmp_path / "bc.docx"))
    assert run_fonts(doc) == {("Times New Roman",) * 4}
    portrait, appendix = doc.sections
    assert portrait.orientation == WD_ORIENT.PORTRAIT and appendix.orientation == WD_ORIENT.LANDSCAPE
    assert round(portrait.left_margin.mm) == 30 and round(portrait.right_margin.mm) == 15
    assert portrait.different_first_page_header_footer
    sizes = {r.font.size.pt for p in doc.paragraphs for r in p.runs if r.text.strip() and r.font.size}
    assert 14 in sizes and sizes <= {12, 13, 14}
    heading = next(p for p in doc.paragraphs if p.text.startswith("III. ĐÁNH GIÁ"))
    assert heading.runs[0].bold
    assert order_violations(doc) == []


def test_annual_report_wording(half_year, tmp_path):
    half_year.kind = "annual"
    half_year.data_collection = []  # the fixture's own text names the half-year period
    text = all_text(Document(write_half_year_report(half_year, tmp_path / "bc.docx")))
    assert "Chỉ số Đổi mới sáng tạo cấp địa phương (PII) năm 2026" in text
    assert "kết quả thực hiện năm 2026" in text and "6 tháng đầu năm" not in text


def test_empty_sections_say_so(half_year, tmp_path):
    half_year.proposals = []
    half_year.synthetic = False
    text = all_text(Document(write_half_year_report(half_year, tmp_path / "bc.docx")))
    after = text[text.index("V. ĐỀ XUẤT, KIẾN NGHỊ"):]
    assert "Chưa có nội dung báo cáo trong kỳ." in after.splitlines()[1]
    assert "Dữ liệu mô phỏng" not in text


def _pillar_table(doc):
    return next(t for t in doc.tables if len(t.columns) > 1 and t.rows[0].cells[1].text == "Trụ cột")


def test_pillar_rows_add_up_to_the_total_with_a_row_for_plan_wide_tasks(half_year, tmp_path):
    from piiplan.reports.model import TaskProgress

    # Three plan-wide tasks (no indicator: "Chung"), one done, one in progress, one overdue.
    half_year.tasks += [TaskProgress("Sở Khoa học và Công nghệ", [], "Ban hành kế hoạch", "done", 100),
                        TaskProgress("Sở Khoa học và Công nghệ", [], "Tập huấn", "in_progress", 50),
                        TaskProgress("Sở Khoa học và Công nghệ", [], "Báo cáo", "overdue", 0)]
    doc = Document(write_half_year_report(half_year, tmp_path / "bc.docx"))
    rows = [[c.text for c in r.cells] for r in _pillar_table(doc).rows[1:]]
    assert rows[-2][1] == "Nhiệm vụ chung" and rows[-2][2:] == ["3", "1", "1", "0", "1"]
    assert rows[-1][1] == "Tổng cộng"
    for col in range(2, 7):
        assert sum(int(r[col]) for r in rows[:-1]) == int(rows[-1][col])


def test_no_plan_wide_row_when_every_task_has_an_indicator(half_year, tmp_path):
    half_year.tasks = [t for t in half_year.tasks if t.indicator_codes]
    doc = Document(write_half_year_report(half_year, tmp_path / "bc.docx"))
    assert "Nhiệm vụ chung" not in [r.cells[1].text for r in _pillar_table(doc).rows]


def test_numbers_in_the_indicator_appendix_never_wrap(half_year, tmp_path):
    from docx.oxml.ns import qn

    from piiplan.reports.cell_fit import number_width_cm

    big = half_year.indicators[0]
    big.current_value, big.base_value, big.national_average = 1297800.4, 1254321.75, 987654.3
    doc = Document(write_half_year_report(half_year, tmp_path / "bc.docx"))
    table = next(t for t in doc.tables if "TB cả nước" in [c.text for c in t.rows[0].cells])
    row = next(r for r in table.rows if r.cells[0].text == big.code)
    grid = [int(c.get(qn("w:w"))) / 567 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(grid) - 25.2) < 0.05                                       # still the page's text width
    for j, text in ((3, "1.254.321,75"), (4, "1.297.800,4"), (6, "987.654,3")):
        cell = row.cells[j]
        assert cell.text == text
        assert cell._tc.tcPr.find(qn("w:noWrap")) is not None              # Word/LibreOffice keep it whole
        assert grid[j] >= number_width_cm(text, 10) - 0.01                  # and the column has room for it
    assert row.cells[1]._tc.tcPr.find(qn("w:noWrap")) is None              # the name still wraps


def test_no_table_header_word_is_wider_than_its_column_and_no_row_splits(half_year, tmp_path):
    from docx.oxml.ns import qn
    from docx.shared import Twips

    from piiplan.reports.cell_fit import word_width_cm

    doc = Document(write_half_year_report(half_year, tmp_path / "bc.docx"))
    checked = 0
    for table in doc.tables:
        trpr = table.rows[0]._tr.trPr
        if trpr is None or trpr.find(qn("w:tblHeader")) is None:
            continue
        grid = [Twips(int(c.get(qn("w:w")))).cm for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        for cell, width in zip(table.rows[0].cells, grid):
            size = cell.paragraphs[0].runs[0].font.size.pt
            for word in cell.text.split():
                assert word_width_cm(word, size) <= width + 0.01, (cell.text, word, width)
                checked += 1
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    assert checked > 20
    appendix2 = next(t for t in doc.tables if "Hạng" in [c.text for c in t.rows[0].cells])
    assert appendix2 is not None
