from __future__ import annotations

from django import forms

from cunshe.partywork.models import MeetingKind

DATE = forms.DateInput(attrs={"type": "date"})


class BranchForm(forms.Form):
    village = forms.ChoiceField(label="村(社区)")
    name = forms.CharField(label="党组织名称", max_length=100)
    formed_on = forms.DateField(label="本届支部委员会产生日期", widget=DATE)

    def __init__(self, *args: object, villages: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["village"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = villages


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    held_at = forms.DateTimeField(label="时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label="地点", max_length=100)
    topic = forms.CharField(label="主题", max_length=200, required=False)
    chair = forms.TypedChoiceField(label="主持人", coerce=int)
    recorder = forms.TypedChoiceField(label="记录人", coerce=int)
    agenda = forms.CharField(label="议程", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    discussion = forms.CharField(
        label="发言情况（含不同意见）", max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    votes = forms.CharField(label="表决情况", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("chair", "recorder"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = members


class SignForm(forms.Form):
    role = forms.ChoiceField(label="身份", choices=[("recorder", "记录人"), ("chair", "主持人")])
    version = forms.IntegerField(widget=forms.HiddenInput)


class AddendumForm(forms.Form):
    text = forms.CharField(label="补充更正内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
