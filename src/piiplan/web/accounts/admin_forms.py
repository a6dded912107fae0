"""Forms of the administrator's users and agencies pages (Vietnamese messages throughout)."""

from __future__ import annotations

from django import forms

from piiplan.web.accounts.models import Agency, AgencyKind, Role, User

CHOICE_MESSAGES = {
    "invalid_choice": "Lựa chọn không hợp lệ (không có trong danh sách): hãy chọn lại.",
    "required": "Trường này là bắt buộc.",
}


def active_agencies():
    return Agency.objects.filter(active=True).order_by("kind", "name")


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, error_messages={"invalid": "Phiên bản biểu mẫu không hợp lệ.",
                                                      "required": "Thiếu phiên bản biểu mẫu: hãy tải lại trang."}, **kwargs)


class UserEditForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=150,
                                error_messages={"required": "Hãy nhập họ và tên."})
    email = forms.EmailField(label="Thư điện tử", required=False, max_length=254,
                             error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."})
    role = forms.ChoiceField(label="Vai trò", choices=Role.choices, error_messages=CHOICE_MESSAGES)
    agency = forms.ModelChoiceField(label="Cơ quan, đơn vị", queryset=Agency.objects.none(), required=False,
                                    empty_label="— Không thuộc cơ quan nào —",
                                    error_messages=CHOICE_MESSAGES,
                                    help_text="Bắt buộc với vai trò đầu mối cơ quan, đơn vị; để trống với vai trò khác.")
    version = VersionField()

    def __init__(self, *args, instance: User, editor=None, **kwargs):
        self.instance, self.editor = instance, editor
        if not args and "initial" not in kwargs:
            kwargs["initial"] = {"full_name": instance.full_name, "email": instance.email, "role": instance.role,
                                 "agency": instance.agency_id, "version": instance.version}
        super().__init__(*args, **kwargs)
        queryset = active_agencies()
        if instance.agency_id:  # a retired agency stays selectable for the user who is still in it
            queryset = Agency.all_objects.filter(pk=instance.agency_id) | queryset
        self.fields["agency"].queryset = queryset.distinct()

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError("Hãy nhập họ và tên.")
        return name

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Thư điện tử này đã được dùng cho một tài khoản khác.")
        return email

    def clean(self):
        cleaned = super().clean()
        role, agency = cleaned.get("role"), cleaned.get("agency")
        if role == Role.AGENCY and agency is None and "agency" not in self.errors:
            self.add_error("agency", "Đầu mối phải thuộc đúng một cơ quan, đơn vị.")
        if role and role != Role.AGENCY and agency is not None:
            self.add_error("agency", "Chỉ vai trò đầu mối cơ quan, đơn vị mới gắn với một cơ quan.")
        if (self.editor is not None and self.instance.pk == self.editor.pk and role
                and role != Role.DOST_ADMIN):
            self.add_error("role", "Không thể tự bỏ vai trò quản trị của chính mình.")
        return cleaned

    def changes(self) -> dict:
        data = self.cleaned_data
        return {"full_name": data["full_name"], "email": data["email"], "role": data["role"],
                "agency": data["agency"] if data["role"] == Role.AGENCY else None}


class AgencyForm(forms.Form):
    code = forms.CharField(label="Mã", max_length=32, error_messages={"required": "Hãy nhập mã cơ quan."},
                           help_text="Mã ngắn, không trùng (ví dụ STC, LS-XA-001).")
    name = forms.CharField(label="Tên cơ quan, đơn vị", max_length=255,
                           error_messages={"required": "Hãy nhập tên cơ quan, đơn vị."})
    kind = forms.ChoiceField(label="Loại", choices=AgencyKind.choices, error_messages=CHOICE_MESSAGES)
    email = forms.EmailField(label="Thư điện tử", required=False, max_length=254,
                             error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."},
                             help_text="Dùng để gửi nhắc việc, thông báo cho cơ quan.")
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField(required=False)

    def __init__(self, *args, instance: Agency | None = None, **kwargs):
        self.instance = instance
        if instance is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {"code": instance.code, "name": instance.name, "kind": instance.kind,
                                 "email": instance.email, "note": instance.note, "version": instance.version}
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["version"].required = True

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code:
            raise forms.ValidationError("Hãy nhập mã cơ quan.")
        clash = Agency.all_objects.filter(code__iexact=code)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Mã này đã có cơ quan khác dùng.")
        return code

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Hãy nhập tên cơ quan, đơn vị.")
        clash = Agency.objects.filter(name__iexact=name, active=True)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Đã có một cơ quan đang hoạt động mang tên này.")
        return name

    def data_for_save(self) -> dict:
        data = {key: self.cleaned_data[key] for key in ("code", "name", "kind", "email", "note")}
        data["email"] = (data["email"] or "").strip()
        return data


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(label="Gộp vào cơ quan", queryset=Agency.objects.none(), empty_label="— Chọn cơ quan —",
                                    error_messages={**CHOICE_MESSAGES, "required": "Hãy chọn cơ quan để gộp vào."})
    version = VersionField()
    confirm = forms.BooleanField(label="Tôi hiểu: nhiệm vụ, báo cáo và tài khoản sẽ chuyển sang cơ quan được chọn.",
                                 error_messages={"required": "Hãy đánh dấu xác nhận trước khi gộp."})

    def __init__(self, *args, source: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["target"].queryset = active_agencies()

    def clean_target(self):
        target = self.cleaned_data["target"]
        if target.pk == self.source.pk:
            raise forms.ValidationError("Không thể gộp một cơ quan vào chính nó: hãy chọn cơ quan khác.")
        return target
