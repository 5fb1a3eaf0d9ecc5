"""Importing the register: every bad row reported by line, nothing half-saved; exports import again."""

import csv
import io

import openpyxl
import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from services import enterprise_io
from services.factories import EnterpriseFactory, OfficerGroupFactory, make_credit_code
from services.models import Enterprise

pytestmark = pytest.mark.django_db

HEADINGS = [
    "企业名称",
    "统一社会信用代码",
    "企业等级",
    "认定年度",
    "所在区县",
    "所属行业",
    "职工人数",
    "对接组",
    "联系电话",
]
IMPORT_URL = "/admin/enterprise/import/"


def csv_upload(rows, headings=HEADINGS, name="enterprises.csv", encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, headings=HEADINGS, name="enterprises.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def good_row(number, name=None, **overrides):
    row = {
        "企业名称": name or f"示例导入企业{number}",
        "统一社会信用代码": make_credit_code(70000 + number),
        "企业等级": "市级专精特新",
        "认定年度": "2022",
        "所在区县": "江北区",
        "所属行业": "汽车制造业",
        "职工人数": "120",
        "对接组": "示例对接一组",
        "联系电话": "023-63897000",
    }
    row.update(overrides)
    return [row[heading] for heading in HEADINGS]


@pytest.fixture
def group(db):
    return OfficerGroupFactory(name="示例对接一组")


@pytest.fixture
def ready(district, group):
    return district, group


def test_good_csv_imports_every_row(ready):
    result = enterprise_io.import_enterprises(csv_upload([good_row(1), good_row(2)]))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    enterprise = Enterprise.objects.get(name="示例导入企业1")
    assert enterprise.tier == "municipal" and enterprise.tier_year == 2022
    assert enterprise.region.name == "江北区" and enterprise.group.name == "示例对接一组"
    assert enterprise.employees == 120 and enterprise.tier_confirmed


def test_mixed_csv_reports_every_bad_row_and_saves_nothing(ready):
    bad_code = make_credit_code(70003)[:-1] + ("0" if make_credit_code(70003)[-1] != "0" else "1")
    rows = [
        good_row(1),
        good_row(2, 统一社会信用代码=bad_code),  # line 3: checksum
        good_row(3, 企业等级="省级"),  # line 4: unknown tier
        good_row(4),
        good_row(5, 所在区县="火星区", 对接组="不存在的组"),  # line 6: two errors
        good_row(6, 职工人数="很多"),  # line 7
        good_row(7, 统一社会信用代码=make_credit_code(70001)),  # line 8: duplicate of line 2
        good_row(8, 企业名称=""),  # line 9: required
    ]
    result = enterprise_io.import_enterprises(csv_upload(rows))
    assert not result.ok
    text = "\n".join(result.errors)
    assert "第 3 行：统一社会信用代码：统一社会信用代码校验位不正确" in text
    assert "第 4 行：企业等级：" in text
    assert "第 6 行：所在区县：地区库中没有这个区县。" in text
    assert "第 6 行：对接组：" in text
    assert "第 7 行：职工人数：" in text
    assert "第 8 行：统一社会信用代码与第 2 行重复。" in text
    assert "第 9 行：企业名称：" in text
    assert not any(error.startswith(("第 2 行", "第 5 行")) for error in result.errors)
    assert Enterprise.objects.count() == 0


def test_bad_xlsx_reports_lines_and_saves_nothing(ready):
    rows = [good_row(1), good_row(2, 联系电话="12345"), good_row(3, 认定年度=1990)]
    result = enterprise_io.import_enterprises(xlsx_upload(rows))
    assert [error.split("：")[0] for error in result.errors] == ["第 3 行", "第 4 行"]
    assert "联系电话" in result.errors[0] and "认定年度" in result.errors[1]
    assert Enterprise.objects.count() == 0


def test_good_xlsx_with_numbers_imports(ready):
    rows = [good_row(1, 认定年度=2021, 职工人数=35), good_row(2, 企业等级="national")]
    result = enterprise_io.import_enterprises(xlsx_upload(rows))
    assert result.ok, result.errors
    assert Enterprise.objects.get(name="示例导入企业1").tier_year == 2021
    assert Enterprise.objects.get(name="示例导入企业2").tier == "national"


def test_import_updates_by_code_and_keeps_columns_not_in_the_file(ready):
    existing = EnterpriseFactory(credit_code=make_credit_code(70001), name="旧名称", notes="保留的备注")
    result = enterprise_io.import_enterprises(csv_upload([good_row(1, 企业名称="新名称")]))
    assert (result.created, result.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.name == "新名称" and existing.notes == "保留的备注"


def test_gbk_csv_from_excel_is_read(ready):
    result = enterprise_io.import_enterprises(csv_upload([good_row(1)], encoding="gb18030"))
    assert result.ok, result.errors
    assert Enterprise.objects.filter(name="示例导入企业1").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("list.txt", b"a,b\n"), "只能导入 CSV"),
        (SimpleUploadedFile("list.xlsx", b"not a zip at all"), "无法读取该 Excel 文件"),
        (SimpleUploadedFile("list.xlsx", b"PK\x03\x04broken"), "无法读取该 Excel 文件"),
        (SimpleUploadedFile("list.csv", b""), "文件是空的"),
        (SimpleUploadedFile("list.csv", b"\xff\xfe\x00\x00"), "不是 CSV 文本"),
        (SimpleUploadedFile("list.csv", "企业名称,电话号码\n甲,1\n".encode()), "无法识别的列：电话号码"),
        (SimpleUploadedFile("list.csv", "企业名称\n甲\n".encode()), "缺少必需的列：统一社会信用代码"),
        (SimpleUploadedFile("list.csv", "企业名称,统一社会信用代码\n".encode()), "没有企业数据"),
    ],
)
def test_unusable_files_get_a_chinese_message(ready, upload, message):
    result = enterprise_io.import_enterprises(upload)
    assert len(result.errors) == 1 and message in result.errors[0]


def test_too_large_file_is_refused(ready, monkeypatch):
    monkeypatch.setattr(enterprise_io, "MAX_IMPORT_BYTES", 100)
    result = enterprise_io.import_enterprises(csv_upload([good_row(n) for n in range(1, 5)]))
    assert "文件过大" in result.errors[0]
    assert Enterprise.objects.count() == 0


def test_import_view_shows_every_error_and_keeps_nothing(client, officer, ready):
    client.force_login(officer)
    upload = csv_upload([good_row(1), good_row(2, 企业等级="省级"), good_row(3, 职工人数="-5")])
    response = client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "文件未导入" in html and "第 3 行：企业等级" in html and "第 4 行：职工人数" in html
    assert Enterprise.objects.count() == 0


def test_import_view_saves_a_good_file(client, officer, ready):
    client.force_login(officer)
    response = client.post(IMPORT_URL, {"file": csv_upload([good_row(1), good_row(2)])}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/enterprise/"
    assert "导入完成：新增 2 家，更新 0 家。" in response.content.decode()
    assert Enterprise.objects.count() == 2


def test_import_view_without_a_file(client, officer, ready):
    client.force_login(officer)
    response = client.post(IMPORT_URL, {})
    assert response.status_code == 400
    assert "请选择要导入的 CSV 或 Excel（.xlsx）文件。" in response.content.decode()


def _full_enterprises(district, group):
    EnterpriseFactory(
        name='=HYPERLINK("x")示例',
        tier="national",
        tier_year=2021,
        tier_confirmed=False,
        region=district,
        industry="-负号开头行业",
        employees=300,
        contact_name="张三",
        contact_phone="13812345678",
        contact_email="a@example.org",
        funding_year=2021,
        funding_programme="中央财政资金奖补",
        funding_amount="150.50",
        group=group,
        notes="第一行\n第二行",
        is_sample=True,
    )
    EnterpriseFactory(name="示例简单企业", tier="other")


def _snapshot():
    fields = [column.key for column in enterprise_io.COLUMNS]
    return sorted(tuple(str(value) for value in row) for row in Enterprise.objects.values_list(*fields))


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_round_trips(client, officer, ready, export_format):
    district, group = ready
    _full_enterprises(district, group)
    before = _snapshot()
    client.force_login(officer)
    response = client.get(f"/admin/enterprise/?export={export_format}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.getvalue()
    if export_format == "csv":
        first_line = body.decode().splitlines()[0]
        assert first_line.split(",")[:3] == ["企业名称", "统一社会信用代码", "企业等级"]
        assert "'=HYPERLINK" in body.decode()  # neutralised by the shared export code
    Enterprise.objects.all().delete()
    result = enterprise_io.import_enterprises(SimpleUploadedFile(f"export.{export_format}", body))
    assert result.ok, result.errors
    assert result.created == 2
    assert _snapshot() == before
