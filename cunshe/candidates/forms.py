from __future__ import annotations

from datetime import date

from django import forms

from cunshe.teams.models import Post


class NominationsForm(forms.Form):
    """The tally sheet as typed from the paper: per post one line per nominee, "姓名 票数" (or "#人员编号 票数" where two
    villagers share a name)."""

    ballots = forms.IntegerField(label="收回提名票数", min_value=1)
    on = forms.DateField(label="提名日期", initial=date.today)

    def __init__(self, *args: object, posts: list[tuple[str, int]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for post, seats in posts:
            self.fields[f"post_{post}"] = forms.CharField(
                label=f"{Post(post).label}（应选 {seats} 名）", widget=forms.Textarea(attrs={"rows": 4}), required=False
            )


class WithdrawForm(forms.Form):
    on = forms.DateField(label="退出日期")
    reason = forms.CharField(label="退出原因", max_length=200)
    letter = forms.FileField(label="书面退出申请（照片或扫描件）")
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApproveForm(forms.Form):
    approved_on = forms.DateField(label="批复日期")
    document = forms.CharField(label="批复文号", max_length=100)


class PublishForm(forms.Form):
    on = forms.DateField(label="公布日期")
    version = forms.IntegerField(widget=forms.HiddenInput)


class VoterMeetingForm(forms.Form):
    held_on = forms.DateField(label="见面日期")
    place = forms.CharField(label="地点", max_length=200)
    candidates = forms.TypedMultipleChoiceField(
        label="到场候选人", coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="情况记录", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, candidates: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["candidates"].choices = candidates  # type: ignore[attr-defined]
