"""Forms of the data and scenario pages (Vietnamese labels and messages)."""

from __future__ import annotations


from django import forms

from piiplan.web.indexdata.models import ImportBatch

# The long-table columns the reader accepts (piiplan.engine.data.LONG_ALIASES), Vietnamese name first.
LONG_COLUMNS_VI = [("tỉnh", "unit"), ("mã chỉ số", "indicator"), ("năm", "year"), ("giá trị", "value")]
LONG_TABLE_HELP = (
    "Bảng tính mỗi năm một trang (như tệp xuất ra), hoặc bảng dạng dài với các cột "
    + ", ".join(f"«{vi}» (hoặc {en})" for vi, en in LONG_COLUMNS_VI)
    + ", hoặc biểu mẫu thu thập số liệu cơ quan đã điền. Khung chỉ số: cột code, parent, level…"
)

KIND_CHOICES = [("", "Tự nhận biết"), *ImportBatch.Kind.choices]


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp số liệu hoặc khung chỉ số (.xlsx, .csv)",
                           help_text=LONG_TABLE_HELP,
                           error_messages={"required": "Hãy chọn một tệp.", "empty": "Tệp rỗng."})
    kind = forms.ChoiceField(label="Loại tệp", choices=KIND_CHOICES, required=False)


class PublishForm(forms.Form):
    """The explicit step before a version becomes the one public version."""

    confirm = forms.BooleanField(
        label="Tôi đã xem nguồn gốc của phiên bản này và đồng ý công bố nó thay cho phiên bản đang công bố",
        error_messages={"required": "Hãy đánh dấu ô xác nhận để công bố."})
    acknowledge_synthetic = forms.BooleanField(
        label="Tôi biết đây là dữ liệu mô phỏng, không phải số liệu chính thức; các trang công khai vẫn ghi nhãn "
              "«Dữ liệu mô phỏng»", required=False)

    def __init__(self, *args, synthetic: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not synthetic:
            del self.fields["acknowledge_synthetic"]
        else:
            self.fields["acknowledge_synthetic"].required = True
            self.fields["acknowledge_synthetic"].error_messages["required"] = (
                "Phiên bản này là dữ liệu mô phỏng: hãy đánh dấu ô xác nhận rằng bạn biết đây không phải số liệu "
                "chính thức.")


class ScenarioMetaForm(forms.Form):
    name = forms.CharField(label="Tên kịch bản", max_length=200,
                           error_messages={"required": "Hãy đặt tên cho kịch bản."})
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TargetForm(forms.Form):
    unit = forms.ChoiceField(label="Tỉnh")
    year = forms.TypedChoiceField(label="Năm", coerce=int)
    target_rank = forms.IntegerField(label="Hạng mục tiêu", min_value=1,
                                     error_messages={"min_value": "Hạng mục tiêu phải từ 1 trở lên.",
                                                     "required": "Hãy nhập hạng mục tiêu.",
                                                     "invalid": "Hạng mục tiêu phải là số nguyên."})

    def __init__(self, *args, units: list[str], years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u, u) for u in units]
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["target_rank"].max_value = len(units)
        self.n_units = len(units)

    def clean_target_rank(self):
        rank = self.cleaned_data["target_rank"]
        if rank > self.n_units:
            raise forms.ValidationError(f"Hạng mục tiêu không quá {self.n_units}.")
        return rank
