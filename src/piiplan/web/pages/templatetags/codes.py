"""How a framework code is shown in a "Mã" column: the sub-indices' internal codes INPUT/OUTPUT
read "Đầu vào"/"Đầu ra"; indicator and pillar codes ("1.2.1", "2") and PII are shown as they are."""

from django import template

register = template.Library()

SHOWN = {"INPUT": "Đầu vào", "OUTPUT": "Đầu ra"}


@register.filter
def ma(code) -> str:
    return SHOWN.get(str(code), str(code))
