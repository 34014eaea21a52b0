from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cunshe.access.roles import Role
from cunshe.demo.county import DEMO_PASSWORD, build_demo
from cunshe.regions.models import Region


def demo_url(addrport: str) -> str:
    """The address a browser opens for runserver's `addrport` ("8080", "0.0.0.0:8080", "[::1]:8080", "host:port")."""
    host, _, port = addrport.rpartition(":")
    if not host:
        host, port = "127.0.0.1", addrport or "8000"
    if host in ("0.0.0.0", "[::]", "0"):
        host = "127.0.0.1"  # every address of the machine: this one works on it, the others from the office
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = "建立演示县：邹平市（371681）的全部村(社区)、每个角色一个账号、数百名样例人员。可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="演示服务的地址和端口（run.py demo 把它交给 runserver）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = build_demo()
        names = Region.objects.in_bulk([a.region for a in accounts])
        self.stdout.write(self.style.SUCCESS("演示县已就绪：邹平市（371681）。"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for a in accounts:
            extra = f"，{a.department}" if a.department else ""
            self.stdout.write(
                f"  {a.username:<10} {Role(a.role).label}（{names[a.region].name}{extra}） {a.display_name}"
            )
        self.stdout.write(f"浏览器打开 {demo_url(options['addrport'])} 登录。")
