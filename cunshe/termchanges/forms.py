from django import forms


class TermChangeForm(forms.Form):
    county = forms.ChoiceField(label="县(市、区)")
    year = forms.IntegerField(label="换届年份", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称（可不填）", max_length=100, required=False)
    opened_on = forms.DateField(label="启动日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, counties: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["county"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = counties


class MilestoneForm(forms.Form):
    due_on = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    done_on = forms.DateField(label="完成日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
