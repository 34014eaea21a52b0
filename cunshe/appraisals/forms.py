from __future__ import annotations

from django import forms

from cunshe.appraisals.models import Grade, InquiryGrade, Post, QuestionKind, RatingLevel

DATE = forms.DateInput(attrs={"type": "date"})


class OpenForm(forms.Form):
    person = forms.IntegerField(label="人员编号", min_value=1)
    post = forms.ChoiceField(label="考察对象类别", choices=Post.choices)
    opened_on = forms.DateField(label="启动日期", widget=DATE)


class SelfForm(forms.Form):
    grade = forms.ChoiceField(label="自评等次", choices=Grade.choices)
    summary = forms.CharField(label="自评情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    written_on = forms.DateField(label="自评日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RatingsForm(forms.Form):
    satisfied = forms.IntegerField(label="满意", min_value=0)
    basic = forms.IntegerField(label="基本满意", min_value=0)
    unsatisfied = forms.IntegerField(label="不满意", min_value=0)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RatingForm(forms.Form):
    level = forms.ChoiceField(label="评价", choices=RatingLevel.choices)


class InquiryForm(forms.Form):
    held_on = forms.DateField(label="问询日期", widget=DATE)
    inquirer = forms.CharField(label="问询人", max_length=50)
    questions = forms.CharField(label="问询内容", widget=forms.Textarea(attrs={"rows": 3}))
    assessment = forms.CharField(label="评价意见", widget=forms.Textarea(attrs={"rows": 3}))
    grade = forms.ChoiceField(label="评价等次", choices=InquiryGrade.choices)


class DrawForm(forms.Form):
    drawn_on = forms.DateField(label="考试日期", widget=DATE)


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label="考察日期", widget=DATE)
    inspectors = forms.CharField(label="考察组成员", max_length=200)
    findings = forms.CharField(label="考察情况", widget=forms.Textarea(attrs={"rows": 4}))
    conclusion = forms.CharField(label="考察结论", widget=forms.Textarea(attrs={"rows": 2}))


class ProblemForm(forms.Form):
    kind = forms.ChoiceField(label="类别")
    description = forms.CharField(label="具体问题", max_length=300)
    found_on = forms.DateField(label="发现日期", widget=DATE)
    serious = forms.BooleanField(label="严重问题", required=False)

    def __init__(self, *args: object, kinds: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = kinds


class ReferForm(forms.Form):
    rule = forms.IntegerField(label="对应“十不选”情形编号", min_value=1)


class QuestionForm(forms.Form):
    region = forms.ChoiceField(label="题库")
    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    text = forms.CharField(label="题目", max_length=300)
    options = forms.CharField(label="选项（每行一项）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label="答案（字母或对/错）", max_length=10)

    def __init__(self, *args: object, regions: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = regions


class ImportForm(forms.Form):
    region = forms.ChoiceField(label="题库")
    file = forms.FileField(label="题库（Excel）")

    def __init__(self, *args: object, regions: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = regions
