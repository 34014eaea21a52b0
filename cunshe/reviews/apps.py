from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "cunshe.reviews"
    verbose_name = "云联审"

    def ready(self) -> None:
        from cunshe.deadlines.work_items import register_source
        from cunshe.reviews.work_items import county_items, reviewer_items

        register_source("reviews.reviewer", reviewer_items)
        register_source("reviews.county", county_items)
