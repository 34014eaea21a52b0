from __future__ import annotations

from django import forms

from cunshe.disclosures.models import Channel, DecisionStep, Kind


class DisclosureForm(forms.Form):
    kind = forms.ChoiceField(label="公开类别", choices=Kind.choices)
    period_day = forms.DateField(
        label="所属期间（财务：该月任一日；一般事项：该季度任一日）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    title = forms.CharField(label="标题", max_length=120)
    content = forms.CharField(label="公开内容", widget=forms.Textarea(attrs={"rows": 6}))
    channels = forms.MultipleChoiceField(
        label="公开渠道", choices=Channel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    decision = forms.TypedChoiceField(
        label="关联四议两公开事项（重大事项）", required=False, coerce=int, empty_value=None
    )
    decision_step = forms.ChoiceField(label="公开步骤", choices=[("", "—"), *DecisionStep.choices], required=False)

    def __init__(self, *args: object, decisions: list[tuple[int, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["decision"].choices = [("", "—"), *decisions]  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    published_on = forms.DateField(label="公开日期", widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class PhotoForm(forms.Form):
    image = forms.FileField(label="公开栏照片")
    caption = forms.CharField(label="说明", max_length=100, required=False)


class ScheduleForm(forms.Form):
    """A county's disclosure rule for one kind from a day on (the period of each kind is fixed by the service)."""

    kind = forms.ChoiceField(label="公开类别", choices=[("", "请选择"), *Kind.choices])
    effective_from = forms.DateField(label="施行日期", widget=forms.DateInput(attrs={"type": "date"}))
    due_day = forms.IntegerField(label="财务、一般事项：期满后次月几日前公开（1-28）", required=False)
    due_working_days = forms.IntegerField(label="重大事项：决定后几个工作日内公开（1-30）", required=False)
