"""Delivery channels, each a small adapter behind one interface: `check(config)` names what is wrong with a county's
settings (shown on the settings page), `send(message, config=, address=)` delivers or raises DeliveryError with the
reason that goes into the outbox row. Nothing here reads the database."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import string
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from cunshe.notifications.models import Channel

TIMEOUT_SECONDS = 10
# The SMS gateway's request body when the county gives none: $phone and $text are replaced (JSON-escaped).
DEFAULT_SMS_TEMPLATE = '{"mobile": "$phone", "content": "$text"}'


class DeliveryError(Exception):
    """The channel refused or could not be reached; the message is the reason kept in the outbox."""


@dataclass(frozen=True)
class Message:
    """All that leaves the system: a title (no names, ID numbers or phones) and a link into the app."""

    title: str
    link: str

    @property
    def text(self) -> str:
        return f"【村社】{self.title}\n{self.link}"


class Adapter(Protocol):
    channel: str
    needs_address: bool

    def check(self, config: dict[str, Any]) -> dict[str, list[str]]: ...

    def send(self, message: Message, *, config: dict[str, Any], address: str) -> None: ...


def _url_errors(config: dict[str, Any], key: str, label: str) -> dict[str, list[str]]:
    url = str(config.get(key) or "")
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return {key: [f"{label}须为 http:// 或 https:// 开头的完整地址。"]}
    return {}


def _post_json(url: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}：{exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"无法连接：{getattr(exc, 'reason', exc)}") from exc


def _robot_answer(raw: bytes) -> None:
    """Both robots answer {"errcode": 0, "errmsg": "ok"} on success, another errcode with the reason otherwise."""
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise DeliveryError("机器人返回的不是 JSON。") from exc
    if not isinstance(answer, dict) or answer.get("errcode", 0) != 0:
        code = answer.get("errcode") if isinstance(answer, dict) else "?"
        message = answer.get("errmsg") if isinstance(answer, dict) else ""
        raise DeliveryError(f"机器人拒收：errcode {code} {message}".strip())


class EmailAdapter:
    """Through Django's configured mail backend (EMAIL_HOST and friends: docs/deploy.md)."""

    channel: str = Channel.EMAIL
    needs_address: bool = True

    def check(self, config: dict[str, Any]) -> dict[str, list[str]]:
        sender = str(config.get("from_email") or "")
        if sender and "@" not in sender:
            return {"from_email": ["发件人须为电子邮件地址。"]}
        return {}

    def send(self, message: Message, *, config: dict[str, Any], address: str) -> None:
        if not address:
            raise DeliveryError("该账号没有电子邮件地址。")
        email = EmailMessage(
            subject=f"【村社】{message.title}",
            body=f"{message.title}\n\n请登录查看：{message.link}\n",
            from_email=config.get("from_email") or settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
        try:
            email.send(fail_silently=False)
        except Exception as exc:  # smtplib and socket errors differ by backend; each is a failed attempt
            raise DeliveryError(f"邮件发送失败：{exc}") from exc


class SmsAdapter:
    """An SMS gateway over HTTP: POST of the county's body template to its URL; any 2xx is accepted."""

    channel: str = Channel.SMS
    needs_address: bool = True

    def check(self, config: dict[str, Any]) -> dict[str, list[str]]:
        errors = _url_errors(config, "url", "短信网关地址")
        template = str(config.get("template") or DEFAULT_SMS_TEMPLATE)
        try:
            json.loads(string.Template(template).substitute(phone="13800000000", text="测试"))
        except (KeyError, ValueError):
            errors["template"] = ["报文模板须为 JSON，只能使用 $phone 和 $text 两个占位符。"]
        return errors

    def send(self, message: Message, *, config: dict[str, Any], address: str) -> None:
        if not address:
            raise DeliveryError("该账号没有填写短信手机号。")
        template = str(config.get("template") or DEFAULT_SMS_TEMPLATE)
        escape = lambda value: json.dumps(value, ensure_ascii=False)[1:-1]  # noqa: E731
        body = string.Template(template).substitute(phone=escape(address), text=escape(message.text))
        headers = {"Authorization": str(config["authorization"])} if config.get("authorization") else {}
        _post_json(str(config["url"]), body.encode(), headers)


class WeComAdapter:
    """企业微信群机器人: POST {"msgtype": "text", "text": {"content": ...}} to the group's webhook."""

    channel: str = Channel.WECOM
    needs_address: bool = False

    def check(self, config: dict[str, Any]) -> dict[str, list[str]]:
        return _url_errors(config, "webhook", "机器人 Webhook 地址")

    def send(self, message: Message, *, config: dict[str, Any], address: str) -> None:
        body = {"msgtype": "text", "text": {"content": message.text}}
        _robot_answer(_post_json(str(config["webhook"]), json.dumps(body, ensure_ascii=False).encode()))


class DingTalkAdapter:
    """钉钉群机器人: the same JSON shape; with 加签 the URL carries timestamp and sign (HMAC-SHA256 of
    "timestamp\\nsecret", base64, URL-encoded), as DingTalk documents."""

    channel: str = Channel.DINGTALK
    needs_address: bool = False

    def check(self, config: dict[str, Any]) -> dict[str, list[str]]:
        return _url_errors(config, "webhook", "机器人 Webhook 地址")

    def send(self, message: Message, *, config: dict[str, Any], address: str) -> None:
        url = str(config["webhook"])
        secret = str(config.get("secret") or "")
        if secret:
            timestamp = str(round(time.time() * 1000))
            digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
            sign = urllib.parse.quote_plus(base64.b64encode(digest))
            url += ("&" if "?" in url else "?") + f"timestamp={timestamp}&sign={sign}"
        body = {"msgtype": "text", "text": {"content": message.text}}
        _robot_answer(_post_json(url, json.dumps(body, ensure_ascii=False).encode()))


ADAPTERS: dict[str, Adapter] = {a.channel: a for a in (EmailAdapter(), SmsAdapter(), WeComAdapter(), DingTalkAdapter())}
