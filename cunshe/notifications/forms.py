from __future__ import annotations

from typing import Any

from django import forms

from cunshe.notifications.channels import DEFAULT_SMS_TEMPLATE
from cunshe.notifications.models import Channel


class PreferenceForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label="接收渠道（站内通知始终可见）",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label="短信手机号", max_length=11, required=False)
    quiet_start = forms.TimeField(label="免打扰开始（如 22:00）", required=False)
    quiet_end = forms.TimeField(label="免打扰结束（如 07:30）", required=False)
    digest = forms.BooleanField(label="每日汇总（邮件、短信每天早上 8 点汇总发送一次）", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices, widget=forms.HiddenInput)
    enabled = forms.BooleanField(label="启用", required=False)
    from_email = forms.CharField(label="发件人地址（电子邮件）", required=False, max_length=200)
    url = forms.CharField(label="短信网关地址", required=False, max_length=500)
    template = forms.CharField(
        label=f"短信报文模板（JSON，$phone 与 $text 为占位符；空则为 {DEFAULT_SMS_TEMPLATE}）",
        required=False,
        max_length=1000,
    )
    authorization = forms.CharField(label="短信网关 Authorization 请求头", required=False, max_length=500)
    webhook = forms.CharField(label="群机器人 Webhook 地址", required=False, max_length=500)
    secret = forms.CharField(label="钉钉加签密钥（可不填）", required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Which of the fields each channel keeps.
    FIELDS = {
        Channel.EMAIL: ("from_email",),
        Channel.SMS: ("url", "template", "authorization"),
        Channel.WECOM: ("webhook",),
        Channel.DINGTALK: ("webhook", "secret"),
    }

    def config(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data.get(k, "") for k in self.FIELDS[Channel(data["channel"])]}


class ReminderForm(forms.Form):
    item_url = forms.CharField(widget=forms.HiddenInput)
    recipient = forms.TypedChoiceField(label="责任人", coerce=int, choices=())
    note = forms.CharField(label="附言（可不填，不超过 200 字）", required=False, max_length=200)

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = candidates  # type: ignore[attr-defined]
