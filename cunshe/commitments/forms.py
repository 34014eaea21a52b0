from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from cunshe.commitments.models import DrawMode, Kind, SendLevel, Source, Status

DATE = forms.DateInput(attrs={"type": "date"})


class CommitmentForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    category = forms.ChoiceField(label="类别")
    title = forms.CharField(label="事项", max_length=100)
    content = forms.CharField(label="内容举措", widget=forms.Textarea(attrs={"rows": 3}))
    target = forms.CharField(label="目标成效", widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label="完成时限", widget=DATE)
    responsible_post = forms.CharField(
        label="责任岗位", max_length=50, help_text="例如：村党组织书记。只写岗位，不写姓名。"
    )
    source = forms.ChoiceField(label="来源", choices=Source.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(c, c) for c in categories]

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(label="变更为", choices=Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="放弃原因", max_length=200, required=False)
    completed_on = forms.DateField(label="完成日期", required=False, widget=DATE)
    evidence = forms.CharField(label="完成佐证", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    written_on = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="进展", widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label="照片（可选）", required=False, widget=forms.FileInput(attrs={"accept": "image/*"}))
    # The commitment's version when the page was opened: a progress sent later from the phone's queue against a
    # commitment changed meanwhile is a conflict shown to the person (cunshe/offline), not a silent add.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ShowcaseForm(forms.Form):
    writeup = forms.CharField(label="案例材料", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class LedgerImportForm(forms.Form):
    file = forms.FileField(label="台账文件（.xlsx）")
    import_good_rows = forms.BooleanField(label="只导入无误的行", required=False)


class LetterSignForm(forms.Form):
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    village_signatory_post = forms.CharField(label="村方签字岗位", max_length=50, initial="村党组织书记")
    town_signatory_post = forms.CharField(label="乡镇方签字岗位", max_length=50, initial="乡镇(街道)党(工)委书记")


class RulesForm(forms.Form):
    min_per_village = forms.IntegerField(label="每村最少件数", min_value=1, max_value=50)
    max_per_village = forms.IntegerField(label="每村最多件数", min_value=1, max_value=50)
    categories = forms.CharField(label="类别（每行一个）", widget=forms.Textarea(attrs={"rows": 7}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InspectionForm(forms.Form):
    title = forms.CharField(label="名称", max_length=100)
    mode = forms.ChoiceField(label="抽取方式", choices=DrawMode.choices)
    amount = forms.IntegerField(label="村数或百分比", min_value=1)
    seed = forms.IntegerField(label="随机种子（留空则随机生成）", required=False, min_value=0)
    drawn_on = forms.DateField(label="抽取日期", widget=DATE)


class FindingForm(forms.Form):
    description = forms.CharField(label="问题", widget=forms.Textarea(attrs={"rows": 2}))
    found_on = forms.DateField(label="发现日期", widget=DATE)
    rectify_by = forms.DateField(label="整改时限", widget=DATE)


class RectifyForm(forms.Form):
    rectified_on = forms.DateField(label="整改完成日期", widget=DATE)
    evidence = forms.CharField(label="整改佐证", widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class SelfCheckForm(forms.Form):
    checked_on = forms.DateField(label="自查日期", widget=DATE, initial=timezone.localdate)
    progress = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 2}))
    problems = forms.CharField(label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TownVisitForm(forms.Form):
    town = forms.ChoiceField(label="乡镇(街道)")
    visited_on = forms.DateField(label="督导日期", widget=DATE, initial=timezone.localdate)
    villages = forms.CharField(
        label="督导村(社区)代码", help_text="每行一个 12 位代码。", widget=forms.Textarea(attrs={"rows": 3})
    )
    findings = forms.CharField(label="发现问题", widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label="跟进措施", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, towns: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["town"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = towns

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "town_code": data["town"],
            "visited_on": data["visited_on"],
            "village_codes": data["villages"].split(),
            "findings": data["findings"],
            "follow_up": data["follow_up"],
        }


class FollowUpForm(forms.Form):
    followed_up_on = forms.DateField(label="跟进日期", widget=DATE, initial=timezone.localdate)
    follow_up = forms.CharField(label="跟进措施", widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseSendForm(forms.Form):
    level = forms.ChoiceField(label="报送层级", choices=SendLevel.choices)
    outlet = forms.CharField(label="报送单位或平台", max_length=100)
    sent_on = forms.DateField(label="报送日期", widget=DATE, initial=timezone.localdate)
    sender = forms.CharField(label="报送人", max_length=50)
    note = forms.CharField(label="备注", max_length=200, required=False)
