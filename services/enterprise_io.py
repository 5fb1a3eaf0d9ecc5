"""Import and export of the enterprise register as CSV or XLSX.

One column list serves both directions, so an exported file imports again unchanged.
An import validates every row first and saves all of them in one transaction, or
nothing: officers get every bad row back as “第 N 行：…” (N is the spreadsheet row,
the heading being row 1) and fix the file, not the half of it that got in.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.choices import EnterpriseTier
from cms.models import Region
from services.admin_views import restore_formula
from services.models import Enterprise, OfficerGroup
from services.validators import normalise_phone

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024  # a small zip that unpacks to gigabytes is refused

YES, NO = "是", "否"
CONFIRMED, SELF_DECLARED = "已核实", "企业自报"


@dataclass(frozen=True)
class Column:
    key: str  # the model field the import sets
    export: str  # the attribute the export reads (Wagtail's list_export entry)
    heading: str


COLUMNS = [
    Column("name", "name", "企业名称"),
    Column("credit_code", "credit_code", "统一社会信用代码"),
    Column("tier", "get_tier_display", "企业等级"),
    Column("tier_year", "tier_year", "认定年度"),
    Column("tier_confirmed", "tier_status", "等级核实"),
    Column("region", "region", "所在区县"),
    Column("industry", "industry", "所属行业"),
    Column("employees", "employees", "职工人数"),
    Column("contact_name", "contact_name", "联系人"),
    Column("contact_phone", "contact_phone", "联系电话"),
    Column("contact_email", "contact_email", "电子邮箱"),
    Column("funding_year", "funding_year", "资助年度"),
    Column("funding_programme", "funding_programme", "资助项目"),
    Column("funding_amount", "funding_amount", "资助金额（万元）"),
    Column("group", "group", "对接组"),
    Column("notes", "notes", "备注"),
    Column("is_sample", "sample_label", "示例数据"),
]
REQUIRED_HEADINGS = ("企业名称", "统一社会信用代码")
EXPORT_FIELDS = [column.export for column in COLUMNS]
EXPORT_HEADINGS = {column.export: column.heading for column in COLUMNS}
BY_HEADING = {column.heading: column for column in COLUMNS}


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, size, encoding, headings)."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


# ---------------------------------------------------------------------------
# Reading files into (line number, {heading: text}) rows.


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float | Decimal):
        value = format(Decimal(str(value)).normalize(), "f")
    return restore_formula(str(value).strip())


def _read_csv(data):
    if b"\x00" in data:
        raise ImportFileError(_("文件内容不是 CSV 文本，请上传 CSV 或 Excel（.xlsx）文件。"))
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 编码后重试。"))
    try:
        return [[_cell_text(cell) for cell in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as error:
        raise ImportFileError(_("CSV 文件格式有误：%(error)s") % {"error": error}) from None


def _read_xlsx(data):
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
                raise ImportFileError(_("Excel 文件解压后过大，请拆分后分批导入。"))
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on a damaged or fake file
        raise ImportFileError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(cell) for cell in row])
            if len(rows) > MAX_IMPORT_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_rows(uploaded):
    """[(line, {heading: text})] from an uploaded .csv or .xlsx; ImportFileError for an unusable file."""
    name = (uploaded.name or "").lower()
    if uploaded.size > MAX_IMPORT_BYTES:
        raise ImportFileError(
            _("文件过大（%(size).1f MB），导入文件不能超过 %(limit)d MB。")
            % {"size": uploaded.size / 1024 / 1024, "limit": MAX_IMPORT_BYTES // 1024 // 1024}
        )
    data = uploaded.read()
    if not data.strip():
        raise ImportFileError(_("文件是空的。"))
    if name.endswith(".xlsx"):
        if not data.startswith(b"PK"):
            raise ImportFileError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。"))
        table = _read_xlsx(data)
    elif name.endswith(".csv"):
        table = _read_csv(data)
    else:
        raise ImportFileError(_("只能导入 CSV（.csv）或 Excel（.xlsx）文件。"))

    if not table or not any(table[0]):
        raise ImportFileError(_("文件没有标题行。"))
    headings = [heading.strip() for heading in table[0]]
    unknown = [heading for heading in headings if heading and heading not in BY_HEADING]
    if unknown:
        raise ImportFileError(_("无法识别的列：%(columns)s。") % {"columns": "、".join(unknown)})
    duplicated = sorted({heading for heading in headings if heading and headings.count(heading) > 1})
    if duplicated:
        raise ImportFileError(_("列重复：%(columns)s。") % {"columns": "、".join(duplicated)})
    missing = [heading for heading in REQUIRED_HEADINGS if heading not in headings]
    if missing:
        raise ImportFileError(_("缺少必需的列：%(columns)s。") % {"columns": "、".join(missing)})
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        rows.append((line, {heading: (cells[i] if i < len(cells) else "") for i, heading in enumerate(headings)}))
    if not rows:
        raise ImportFileError(_("文件中没有企业数据。"))
    if len(rows) > MAX_IMPORT_ROWS:
        raise ImportFileError(_("一次最多导入 %(limit)d 行，请拆分后分批导入。") % {"limit": MAX_IMPORT_ROWS})
    return rows


# ---------------------------------------------------------------------------
# Validating rows with a form, the same validators as the admin's edit form.


def _choice(value, mapping, message):
    if value == "":
        return ""
    if value in mapping:
        return mapping[value]
    raise forms.ValidationError(message)


TIER_VALUES = {
    **{str(label): key for key, label in EnterpriseTier.choices},
    **{key: key for key in EnterpriseTier.values},
}


class EnterpriseRowForm(forms.ModelForm):
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        to_field_name="name",
        required=False,
        error_messages={"invalid_choice": gettext_lazy("地区库中没有这个区县。")},
    )
    group = forms.ModelChoiceField(
        queryset=OfficerGroup.objects.all(),
        to_field_name="name",
        required=False,
        error_messages={"invalid_choice": gettext_lazy("没有这个对接组，请先在“对接组”中添加。")},
    )
    tier = forms.CharField(required=False)
    tier_confirmed = forms.CharField(required=False)
    is_sample = forms.CharField(required=False)

    class Meta:
        model = Enterprise
        fields = [column.key for column in COLUMNS]

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip()

    def clean_tier(self):
        value = _choice(
            self.cleaned_data["tier"],
            TIER_VALUES,
            _("企业等级应为：%(tiers)s。") % {"tiers": "、".join(str(label) for label in EnterpriseTier.labels)},
        )
        return value or (self.instance.tier if self.instance.pk else EnterpriseTier.OTHER)

    def clean_tier_confirmed(self):
        value = _choice(
            self.cleaned_data["tier_confirmed"],
            {CONFIRMED: True, YES: True, SELF_DECLARED: False, NO: False},
            _("等级核实应填“已核实”或“企业自报”。"),
        )
        return True if value == "" else value

    def clean_is_sample(self):
        value = _choice(self.cleaned_data["is_sample"], {YES: True, NO: False}, _("示例数据应填“是”或“否”。"))
        return value is True

    def clean_contact_phone(self):
        return normalise_phone(self.cleaned_data["contact_phone"])


def _row_form(present_keys):
    return forms.modelform_factory(Enterprise, form=EnterpriseRowForm, fields=present_keys)


def _row_errors(line, form):
    errors = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        heading = next((column.heading for column in COLUMNS if column.key == name), label)
        for message in messages:
            if name == "__all__":
                errors.append(_("第 %(line)d 行：%(message)s") % {"line": line, "message": message})
            else:
                errors.append(
                    _("第 %(line)d 行：%(column)s：%(message)s")
                    % {"line": line, "column": heading, "message": message}
                )
    return errors


def import_enterprises(uploaded):
    """Validate every row, then save all of them or none. Returns an ImportResult."""
    try:
        rows = read_rows(uploaded)
    except ImportFileError as error:
        return ImportResult(errors=[str(error)])
    present = [column for column in COLUMNS if column.heading in rows[0][1]]
    form_class = _row_form([column.key for column in present])
    codes = [data.get("统一社会信用代码", "").strip() for _line, data in rows]
    existing = {enterprise.credit_code: enterprise for enterprise in Enterprise.objects.filter(credit_code__in=codes)}
    result, forms_to_save, seen = ImportResult(), [], {}
    for (line, data), code in zip(rows, codes, strict=True):
        if code and code in seen:
            result.errors.append(
                _("第 %(line)d 行：统一社会信用代码与第 %(first)d 行重复。") % {"line": line, "first": seen[code]}
            )
            continue
        seen[code] = line
        form = form_class(
            data={column.key: data.get(column.heading, "") for column in present}, instance=existing.get(code)
        )
        if form.is_valid():
            forms_to_save.append(form)
        else:
            result.errors.extend(_row_errors(line, form))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for form in forms_to_save:
                if form.instance.pk:
                    result.updated += 1
                else:
                    result.created += 1
                form.save()
    except IntegrityError:
        # Someone added one of these codes between validation and saving: nothing was kept.
        return ImportResult(errors=[_("保存时与他人同时修改了相同的企业，未导入任何数据，请重试。")])
    return result
