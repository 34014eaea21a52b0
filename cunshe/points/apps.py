from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "cunshe.points"
    verbose_name = "信用+积分"

    def ready(self) -> None:
        from cunshe.points.services import points_for_solved_request
        from cunshe.requests.hooks import register_solved_hook

        # 信用+积分: a registered resident whose request is confirmed solved earns the "requests" rule's points.
        register_solved_hook(points_for_solved_request, name="points")
        from cunshe.points.public import register_sections

        register_sections()
