from __future__ import annotations

from django import forms


class CertifyForm(forms.Form):
    on = forms.DateField(label="确认日期")
    version = forms.IntegerField(widget=forms.HiddenInput)


class VoidForm(forms.Form):
    on = forms.DateField(label="确认无效日期")
    rerun_day = forms.DateField(label="重新选举日")
    version = forms.IntegerField(widget=forms.HiddenInput)


class PartyVoteForm(forms.Form):
    post = forms.ChoiceField(label="职务", choices=[("secretary", "书记"), ("deputy_secretary", "副书记")])
    held_on = forms.DateField(label="委员会选举日期")

    def __init__(self, *args: object, committee: list[tuple[int, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for pk, name in committee:
            self.fields[f"votes_{pk}"] = forms.IntegerField(label=f"{name} 得票", min_value=0, required=False)

    def votes(self) -> dict[int, int]:
        return {int(k[6:]): v for k, v in self.cleaned_data.items() if k.startswith("votes_") and v}


class PartyApproveForm(forms.Form):
    on = forms.DateField(label="乡镇党委批复日期")
    approval_ref = forms.CharField(label="批复文号", max_length=100)


class HandoverForm(forms.Form):
    meeting_at = forms.DateTimeField(label="交接会时间")
    meeting_place = forms.CharField(label="交接会地点", max_length=100)
