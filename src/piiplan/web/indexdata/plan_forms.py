"""Forms of the realistic target plan, the lever model and the data calendar (issue 10).

The target form checks its options with the analysis layer's own rule (:meth:`PlanOptions.check`), so the
web form and ``piiplan target`` refuse the same input with the same Vietnamese message."""

from __future__ import annotations

from django import forms

from piiplan.analysis.levers import CLASSES, KINDS
from piiplan.numbers import parse_number


def _number(text, label: str) -> float:
    try:
        return parse_number(text)
    except ValueError:
        raise forms.ValidationError(f"{label}: «{str(text)[:30]}» không phải là số.") from None


class RealisticTargetForm(forms.Form):
    unit = forms.ChoiceField(label="Tỉnh")
    target_rank = forms.IntegerField(label="Hạng mục tiêu", min_value=1, error_messages={
        "min_value": "Hạng mục tiêu phải từ 1 trở lên.", "required": "Hãy nhập hạng mục tiêu.",
        "invalid": "Hạng mục tiêu phải là số nguyên."})
    probability = forms.CharField(label="Xác suất giữ hạng tối thiểu (0–1)", initial="0,8",
                                  help_text="Khi các tỉnh khác đi theo xu hướng và biến động như đã thấy; 0 = không kiểm tra.")
    competitors = forms.ChoiceField(label="Các tỉnh khác", initial="trend", choices=[
        ("trend", "Đi theo xu hướng riêng"), ("still", "Đứng yên như năm gốc")])
    percentile = forms.CharField(label="Tầm cải thiện một năm (phân vị, 100 = tốt nhất từng thấy)", initial="100",
                                 help_text="Chỉ số cơ cấu và khảo sát bên ngoài luôn dùng mức điển hình (trung vị).")
    margin = forms.CharField(label="Khoảng cách an toàn tối thiểu (điểm)", initial="0", required=False)
    fixed = forms.CharField(label="Chỉ số giữ nguyên", required=False,
                            help_text="Mã chỉ số, cách nhau bởi dấu phẩy, ví dụ: 4.1.4, 7.2.4")
    bounds = forms.CharField(label="Giới hạn đặt tay (mỗi dòng MÃ=MỨC TĂNG)", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Thay tầm mặc định của chỉ số; được ghi rõ trên phương án.")
    time_budget = forms.CharField(label="Thời gian tìm kiếm tối đa (giây)", initial="10")

    def __init__(self, *args, units: list[str], framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.units = units
        self.fields["unit"].choices = [(u, u) for u in units]

    def clean(self):
        from piiplan.analysis.realistic import PlanOptionError, PlanOptions

        data = super().clean()
        if self.errors:
            return data
        bounds = {}
        for line in (data.get("bounds") or "").replace(";", "\n").splitlines():
            if not line.strip():
                continue
            if "=" not in line:
                raise forms.ValidationError(f"«{line.strip()[:40]}» phải có dạng MÃ=MỨC_TĂNG.")
            code, value = line.split("=", 1)
            bounds[code.strip()] = _number(value, f"Giới hạn của {code.strip()}")
        fixed = tuple(c.strip() for c in (data.get("fixed") or "").replace(";", ",").split(",") if c.strip())
        opts = PlanOptions(percentile=_number(data["percentile"], "Phân vị"), bounds=bounds, fixed=fixed,
                           margin=_number(data.get("margin") or "0", "Khoảng cách an toàn"),
                           competitors=data["competitors"], probability=_number(data["probability"], "Xác suất"),
                           time_budget=_number(data["time_budget"], "Thời gian tìm kiếm"))
        try:
            opts.check(self.framework, len(self.units), data["target_rank"])
        except PlanOptionError as exc:
            raise forms.ValidationError(str(exc)) from None
        data["params"] = {"percentile": opts.percentile, "bounds": bounds, "fixed": list(fixed), "margin": opts.margin,
                          "competitors": opts.competitors, "probability": opts.probability,
                          "time_budget": opts.time_budget}
        return data


class LeverRowForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Loại số liệu", choices=list(KINDS.items()))
    lever_class = forms.ChoiceField(label="Nhóm đòn bẩy", choices=list(CLASSES.items()))
    data_lag = forms.IntegerField(label="Độ trễ số liệu (năm)", min_value=0, max_value=3, error_messages={
        "min_value": "Độ trễ từ 0 đến 3 năm.", "max_value": "Độ trễ từ 0 đến 3 năm.", "invalid": "Độ trễ phải là số nguyên."})
    basis = forms.CharField(label="Căn cứ", required=False, max_length=300)


class EditionForm(forms.Form):
    edition = forms.IntegerField(label="Kỳ công bố (năm)", min_value=2000, max_value=2100, error_messages={
        "min_value": "Năm kỳ công bố không hợp lệ.", "max_value": "Năm kỳ công bố không hợp lệ.",
        "invalid": "Năm kỳ công bố phải là số nguyên."})
    collection_closes = forms.DateField(label="Ngày đóng thu thập số liệu", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                        error_messages={"invalid": "Ngày phải có dạng ngày/tháng/năm, ví dụ 30/08/2025."})
    source = forms.CharField(label="Nguồn", required=False, max_length=300)


class LeverUploadForm(forms.Form):
    file = forms.FileField(label="Tệp CSV mô hình đòn bẩy", error_messages={"required": "Hãy chọn tệp CSV."})
