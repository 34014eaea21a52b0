from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cunshe.access.roles import Role
from cunshe.accounts.models import Department
from cunshe.accounts.services import account_create, department_create, initial_password, role_assign
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError


class Command(BaseCommand):
    help = "账号：create 在命令行建立账号并分配角色（部署后建立第一个县委组织部账号）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="建立账号并分配一个角色；打印初始密码")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="姓名")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--region", required=True, help="区划代码：县 6 位、乡镇 9 位、村 12 位")
        create.add_argument("--department", default="", help="联审单位名称（仅 reviewer）")

    def handle(self, *args: Any, **options: Any) -> None:
        password = initial_password()
        try:
            with transaction.atomic():
                user = account_create(
                    actor=SYSTEM,
                    username=options["username"],
                    display_name=options["name"],
                    password=password,
                    region_code=options["region"],
                )
                department: Department | None = None
                if options["department"]:
                    department = department_create(
                        actor=SYSTEM, county_code=options["region"][:6], name=options["department"]
                    )
                role_assign(
                    actor=SYSTEM, user=user, role=options["role"], region_code=options["region"], department=department
                )
        except DomainError as exc:
            details = "；".join(f"{k}: {'，'.join(v)}" for k, v in exc.field_errors.items())
            raise CommandError(f"{exc.message}{(' ' + details) if details else ''}") from exc
        self.stdout.write(f"已建立账号 {user.username}（{user.display_name}），初始密码：{password}")
        self.stdout.write("首次登录后须修改密码。")
