from django import forms

from cunshe.reviews.defaults import DEFAULT_DEADLINE_DAYS
from cunshe.reviews.models import Outcome, Verdict


class RoundForm(forms.Form):
    title = forms.CharField(label="名称（可不填）", max_length=100, required=False)
    opened_on = forms.DateField(label="启动日期", widget=forms.DateInput(attrs={"type": "date"}))


class ImportForm(forms.Form):
    town = forms.ChoiceField(label="报送乡镇(街道)")
    title = forms.CharField(label="批次名称（可不填）", max_length=100, required=False)
    file = forms.FileField(label="人选表（Excel）")

    def __init__(self, *args: object, towns: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["town"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = towns


class ReleaseForm(forms.Form):
    deadline_days = forms.DecimalField(
        label="审查时限（工作日，可为半天）", initial=DEFAULT_DEADLINE_DAYS, max_digits=4, decimal_places=1
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    verdict = forms.ChoiceField(label="审查意见", choices=Verdict.choices)
    rule = forms.IntegerField(label="排除规则", required=False)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SignForm(forms.Form):
    conclusion = forms.CharField(label="本单位书面结论", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReopenForm(forms.Form):
    reason = forms.CharField(label="重新打开的原因", widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="县级研判", choices=[(Outcome.CLEARED, Outcome.CLEARED.label), (Outcome.EXCLUDED, Outcome.EXCLUDED.label)]
    )
    reason = forms.CharField(label="研判理由", widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)
