"""Pages: my notifications (the bell's list), my notification settings, a county's channels and its outbox, 催办."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.access.policy import region_prefixes
from cunshe.accounts.models import User
from cunshe.accounts.selectors import acting_user
from cunshe.notifications.forms import ChannelForm, PreferenceForm, ReminderForm
from cunshe.notifications.models import Channel, Preference
from cunshe.notifications.selectors import (
    channel_settings_of,
    county_or_404,
    deliveries_of_county,
    notification_or_404,
    notifications_of,
)
from cunshe.notifications.services import (
    channel_setting_save,
    notification_read,
    notifications_read_all,
    overdue_item,
    preference_save,
    remind_candidates,
    reminder_send,
)
from cunshe.web.forms import button_action, form_action

PER_PAGE = 30


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notifications_of(request.user, unread_only=unread_only), PER_PAGE).get_page(
        request.GET.get("page")
    )
    # A county organizer reaches the county's channels from here.
    counties = [c[:6] for c in region_prefixes(request.user, "notifications.configure") if len(c) >= 6]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only, "counties": sorted(set(counties))},
    )


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_or_404(request.user, pk)
    button_action(
        request, lambda: notification_read(actor=acting_user(request), notification=notification), done="已标记为已读。"
    )
    # Only a path of this site (the modules write reversed URLs; "//host" would leave it).
    if request.POST.get("go") and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    button_action(request, lambda: notifications_read_all(actor=acting_user(request)), done="全部标记为已读。")
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preference_edit(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    pref = Preference.objects.filter(user_id=user.pk).first()
    initial = (
        {
            "channels": pref.channels,
            "phone": pref.phone,
            "quiet_start": pref.quiet_start,
            "quiet_end": pref.quiet_end,
            "digest": pref.digest,
            "version": pref.version,
        }
        if pref
        else {}
    )
    form = PreferenceForm(request.POST or None, initial=initial)
    saved = form_action(
        request,
        form,
        lambda d: preference_save(
            actor=acting_user(request),
            channels=list(d["channels"]),
            phone=d["phone"],
            quiet_start=d["quiet_start"],
            quiet_end=d["quiet_end"],
            digest=d["digest"],
            expected_version=d["version"],
        ),
    )
    if saved is not None:
        messages.success(request, "通知设置已保存。")
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form, "email": user.email})


@login_required
@require_http_methods(["GET", "POST"])
def channel_list(request: HttpRequest, code: str) -> HttpResponse:
    county = county_or_404(request.user, code)
    current = {s.channel: s for s in channel_settings_of(request.user, code)}
    posted = ChannelForm(request.POST) if request.method == "POST" else None
    if posted is not None:
        saved = form_action(
            request,
            posted,
            lambda d: channel_setting_save(
                actor=acting_user(request),
                county_code=code,
                channel=d["channel"],
                enabled=d["enabled"],
                config=posted.config(),
                expected_version=d["version"],
            ),
        )
        if saved is not None:
            messages.success(request, f"“{saved.get_channel_display()}”已保存。")
            return redirect("notifications:channels", code=code)
    forms = []
    for channel in Channel:
        if posted is not None and posted.data.get("channel") == channel.value:
            form = posted
        else:
            s = current.get(channel.value)
            form = ChannelForm(
                initial={
                    "channel": channel.value,
                    "enabled": bool(s and s.enabled),
                    **(s.config if s else {}),
                    "version": s.version if s else None,
                }
            )
        forms.append((channel, [form[f] for f in ChannelForm.FIELDS[channel]], form))
    return render(
        request,
        "notifications/channels.html",
        {"county": county, "forms": forms, "deliveries": deliveries_of_county(request.user, code)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def remind(request: HttpRequest) -> HttpResponse:
    """催办 an overdue item of my list: choose the person responsible among the accounts under my regions whose own
    list holds it overdue."""
    actor = acting_user(request)
    if not _may_remind(actor):
        raise PermissionDenied("只有县委组织部和乡镇(街道)干部可以催办。")
    url = request.POST.get("item_url") or request.GET.get("url", "")
    item = overdue_item(actor, url)
    if item is None:
        raise Http404("未找到该记录。")
    candidates = remind_candidates(actor, item)
    form = ReminderForm(
        request.POST or None,
        initial={"item_url": item.url},
        candidates=[(u.pk, u.display_name or u.username) for u in candidates],
    )
    sent = form_action(
        request,
        form,
        lambda d: reminder_send(
            actor=actor, recipient=User.objects.get(pk=d["recipient"]), item_url=d["item_url"], note=d["note"]
        ),
    )
    if sent is not None:
        messages.success(request, f"已向{sent.recipient.display_name}发出催办。")
        return redirect("deadlines:overdue")
    return render(request, "notifications/remind.html", {"form": form, "item": item})


def _may_remind(user: User) -> bool:
    return bool(region_prefixes(user, "notifications.remind"))
