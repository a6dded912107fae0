"""Forms of the plan app. Labels and messages in Vietnamese; dates typed as ngày/tháng/năm (25/06/2026)."""

from __future__ import annotations

from django import forms

from piiplan.web.accounts.models import Agency
from piiplan.web.plan.indicators import indicator_codes, indicator_name
from piiplan.web.plan.models import (
    ExemplaryModel,
    Goal,
    Mark,
    PeriodKind,
    Plan,
    Recurrence,
    ReportingPeriod,
    Task,
    TaskStatus,
)
from piiplan.web.plan.uploads import ALLOWED_TEXT


DATE_PLACEHOLDER = "ngày/tháng/năm"


class DateField(forms.DateField):
    widget = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric"})
    default_error_messages = {"invalid": "Ngày không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 25/06/2026."}


class FiniteFloatField(forms.FloatField):
    """A number that must be finite (Django's FloatField already refuses "inf"/"nan"; say so in Vietnamese)."""

    default_error_messages = {"invalid": "Cần nhập một số, ví dụ 12,5.",
                              "max_value": "Số quá lớn (tối đa %(limit_value)s).",
                              "min_value": "Số quá nhỏ (tối thiểu %(limit_value)s)."}


YEAR_MESSAGES = {"min_value": "Năm phải từ %(limit_value)s trở đi.", "max_value": "Năm không được sau %(limit_value)s.",
                 "invalid": "Năm phải là số nguyên, ví dụ 2026."}
MIN_YEAR, MAX_YEAR = 2000, 2100


def year_field(field) -> None:
    """Bound a year field (a stored year of 0 or 99999 would break every date built from it)."""
    field.min_value, field.max_value = MIN_YEAR, MAX_YEAR
    field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
    from django.core.validators import MaxValueValidator, MinValueValidator

    field.validators += [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    field.error_messages.update(YEAR_MESSAGES)
    field.widget.attrs.update({"min": MIN_YEAR, "max": MAX_YEAR})


def versioned(form, instance) -> None:
    """Add the hidden optimistic-locking ``version`` of ``instance`` to ``form`` (piiplan.web.versioning)."""
    form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=True,
                                               initial=instance.version,
                                               error_messages={"invalid": "Phiên bản biểu mẫu không hợp lệ.",
                                                               "required": "Thiếu phiên bản biểu mẫu; hãy tải lại trang."})


def indicator_choices(framework: str = "pii-2025"):
    return [(c, f"{c} — {indicator_name(c, framework)}") for c in indicator_codes(framework)]


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                 error_messages={"required": "Thiếu phiên bản biểu mẫu; hãy tải lại trang.",
                                                 "invalid": "Phiên bản biểu mẫu không hợp lệ; hãy tải lại trang."})


class PlanForm(forms.ModelForm):
    issued_on = DateField(label="Ngày ban hành", required=False)

    class Meta:
        model = Plan
        fields = ["title", "number", "issued_on", "year", "base_year", "base_rank", "rank_gain", "base_score",
                  "score_above_base", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year_field(self.fields["year"])
        year_field(self.fields["base_year"])
        from django.core.validators import MaxValueValidator, MinValueValidator

        # A rank among the provinces (63 before 2025, 34 after): 0 or 99999 is a typing error.
        self.fields["base_rank"].validators += [MinValueValidator(1), MaxValueValidator(63)]
        self.fields["base_rank"].error_messages.update({"min_value": "Hạng phải từ %(limit_value)s trở lên.",
                                                        "max_value": "Hạng không quá %(limit_value)s."})
        self.fields["base_score"] = FiniteFloatField(label="Điểm năm gốc", required=False, localize=True,
                                                     min_value=0, max_value=100)
        if self.instance.pk:
            versioned(self, self.instance)

    def clean(self):
        cleaned = super().clean()
        rank, gain = cleaned.get("base_rank"), cleaned.get("rank_gain")
        if rank is not None and gain is not None and gain >= rank:
            self.add_error("rank_gain", f"Từ hạng {rank} chỉ có thể tăng tối đa {rank - 1} bậc.")
        return cleaned


class TargetForm(forms.Form):
    goal = forms.ChoiceField(label="Chỉ tiêu", choices=Goal.choices)
    target_value = FiniteFloatField(label="Giá trị phấn đấu", required=False, localize=True,
                                    min_value=-1e15, max_value=1e15)
    # 0: the indicator had no target when the page was opened (piiplan.web.versioning).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    mark = forms.ChoiceField(label="Đánh giá", choices=Mark.choices, required=False)
    data_agency = forms.ModelChoiceField(label="Cơ quan cung cấp số liệu", queryset=Agency.objects.all(), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("goal") == Goal.VALUE and cleaned.get("target_value") is None:
            self.add_error("target_value", "Chỉ tiêu «Đạt giá trị» cần ghi giá trị phấn đấu.")
        return cleaned


class TaskForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    indicators = forms.MultipleChoiceField(label="Chỉ số", required=False, choices=indicator_choices,
                                           widget=forms.SelectMultiple(attrs={"size": 8}),
                                           help_text="Để trống nếu là nhiệm vụ chung.")
    deadline = DateField(label="Thời hạn", required=False)

    class Meta:
        model = Task
        fields = ["number", "indicators", "content", "lead_agency", "coordinating_agencies", "all_communes",
                  "coordinating_other", "output", "deadline", "recurrence", "status", "percent", "status_note"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3}), "output": forms.Textarea(attrs={"rows": 2}),
                   "status_note": forms.Textarea(attrs={"rows": 2}),
                   "coordinating_agencies": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["version"].required = False
        else:
            self.fields["version"].initial = self.instance.version
        self.fields["percent"].max_value = 100

    def clean_percent(self):
        value = self.cleaned_data["percent"]
        if value is not None and value > 100:
            raise forms.ValidationError("Tiến độ tính theo phần trăm, từ 0 đến 100.")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deadline") and cleaned.get("recurrence"):
            self.add_error("recurrence", "Chọn thời hạn hoặc định kỳ, không chọn cả hai.")
        lead = cleaned.get("lead_agency")
        if lead and lead in (cleaned.get("coordinating_agencies") or []):
            self.add_error("coordinating_agencies", "Cơ quan chủ trì không đồng thời là cơ quan phối hợp.")
        return cleaned

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["indicators"] = list(data["indicators"])
        data["coordinating_agencies"] = list(data["coordinating_agencies"])
        return data


class TaskStatusForm(VersionMixin):
    status = forms.ChoiceField(label="Trạng thái", choices=TaskStatus.choices)
    percent = forms.IntegerField(label="Tiến độ (%)", min_value=0, max_value=100)
    status_note = forms.CharField(label="Ghi chú tiến độ", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PeriodForm(forms.ModelForm):
    cutoff = DateField(label="Ngày chốt số liệu", required=False, help_text="Để trống: 14/6 (6 tháng) hoặc 14/12 (năm).")
    agency_deadline = DateField(label="Hạn cơ quan gửi báo cáo cho Sở KH&CN", required=False,
                                help_text="Để trống: 3 ngày sau ngày chốt số liệu.")
    ubnd_deadline = DateField(label="Hạn Sở KH&CN báo cáo UBND tỉnh", required=False,
                              help_text="Để trống: 25/6 hoặc 25/12.")

    class Meta:
        model = ReportingPeriod
        fields = ["kind", "year", "title", "cutoff", "agency_deadline", "ubnd_deadline", "request", "agencies", "closed"]
        widgets = {"request": forms.Textarea(attrs={"rows": 3}), "agencies": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        year_field(self.fields["year"])
        if self.instance.pk:
            versioned(self, self.instance)

    def clean(self):
        from piiplan.web.plan.models.reporting import default_dates, default_title

        cleaned = super().clean()
        kind, year = cleaned.get("kind"), cleaned.get("year")
        if not kind or not year:
            return cleaned
        if kind == PeriodKind.AD_HOC:
            for name in ("cutoff", "agency_deadline"):
                if not cleaned.get(name):
                    self.add_error(name, "Báo cáo đột xuất cần ghi ngày này.")
            if not cleaned.get("request"):
                self.add_error("request", "Báo cáo đột xuất cần ghi nội dung yêu cầu.")
        else:
            for name, value in default_dates(kind, year).items():
                if not cleaned.get(name):
                    cleaned[name] = value
        if not cleaned.get("title"):
            cleaned["title"] = default_title(kind, year)
        if cleaned.get("cutoff") and cleaned.get("agency_deadline") and cleaned["agency_deadline"] < cleaned["cutoff"]:
            self.add_error("agency_deadline", "Hạn gửi báo cáo không được trước ngày chốt số liệu.")
        return cleaned


class AppendixUploadForm(forms.Form):
    file = forms.FileField(label="Tệp phụ lục (.xlsx)")

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        limit = settings.PIIPLAN_APPENDIX_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"Tệp quá lớn ({upload.size / 1048576:.1f} MB); giới hạn là "
                                        f"{limit / 1048576:.0f} MB.".replace(".", ","))
        return upload


class ReportForm(VersionMixin):
    summary = forms.CharField(label="Kết quả chung, khó khăn, vướng mắc", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    proposals = forms.CharField(label="Đề xuất, kiến nghị", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document_number = forms.CharField(label="Số văn bản", required=False, max_length=60)
    document_date = DateField(label="Ngày văn bản", required=False)
    signer = forms.CharField(label="Người ký / cơ quan ban hành", required=False, max_length=200)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="Tệp minh chứng", help_text=f"Nhận {ALLOWED_TEXT}.")
    task = forms.ChoiceField(label="Nhiệm vụ", required=False)
    indicator = forms.ChoiceField(label="Chỉ số", required=False)
    document_number = forms.CharField(label="Số văn bản", required=False, max_length=60)
    document_date = DateField(label="Ngày văn bản", required=False)
    issuer = forms.CharField(label="Cơ quan ban hành", required=False, max_length=200)
    description = forms.CharField(label="Trích yếu", required=False, max_length=300)

    def __init__(self, *args, tasks=(), indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = [("", "—")] + [(str(t.pk), str(t)) for t in tasks]
        self.fields["indicator"].choices = [("", "—")] + [(c, f"{c} — {indicator_name(c)}") for c in indicators]


class ReviewForm(VersionMixin):
    # No default: the reviewer chooses, then confirms (views.reports.report_review).
    decision = forms.ChoiceField(label="Quyết định", choices=[("accept", "Chấp nhận và khoá báo cáo"),
                                                              ("return", "Trả lại để cơ quan bổ sung")],
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Chọn chấp nhận hoặc trả lại.",
                                                 "invalid_choice": "Chọn chấp nhận hoặc trả lại."})
    comment = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExemplaryModelForm(forms.ModelForm):
    class Meta:
        model = ExemplaryModel
        fields = ["title", "category", "location", "year", "summary", "results", "replication"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}), "results": forms.Textarea(attrs={"rows": 3}),
                   "replication": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year_field(self.fields["year"])


class ReopenForm(VersionMixin):
    reason = forms.CharField(label="Lý do mở lại", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": "Phải ghi lý do mở lại báo cáo."})

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Phải ghi lý do mở lại báo cáo.")
        return reason


class ModelReviewForm(forms.Form):
    # No default: the reviewer chooses, then confirms.
    decision = forms.ChoiceField(label="Quyết định", choices=[("publish", "Công bố"), ("return", "Trả lại để bổ sung")],
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Chọn công bố hoặc trả lại.",
                                                 "invalid_choice": "Chọn công bố hoặc trả lại."})
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                 error_messages={"required": "Thiếu phiên bản biểu mẫu; hãy tải lại trang.",
                                                 "invalid": "Phiên bản biểu mẫu không hợp lệ."})
    comment = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", "Khi trả lại phải ghi rõ ý kiến.")
        return cleaned
