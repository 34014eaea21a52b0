from __future__ import annotations

from typing import Any

from django import forms

from cunshe.firstyear.models import DueUnit, Source

DATE = forms.DateInput(attrs={"type": "date"})


class DoneForm(forms.Form):
    done_on = forms.DateField(label="完成日期", widget=DATE)
    evidence = forms.CharField(
        label="完成佐证",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="做了什么、材料存放在哪里。",
        required=False,  # the service says what is missing, in its words
    )
    attachment = forms.FileField(label="附件（照片或 PDF，可不传）", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class UndoForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ItemForm(forms.Form):
    name = forms.CharField(label="事项", max_length=60)
    description = forms.CharField(label="内容", max_length=300, required=False)
    due_amount = forms.IntegerField(label="完成时限（选举日后）", min_value=1, max_value=730)
    due_unit = forms.ChoiceField(label="时限单位", choices=DueUnit.choices)
    source = forms.ChoiceField(label="完成依据", choices=Source.choices)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class LedgerImportForm(forms.Form):
    file = forms.FileField(label="进度台账（Excel）")
