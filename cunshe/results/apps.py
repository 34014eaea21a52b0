from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "cunshe.results"
    verbose_name = "选举结果"

    def ready(self) -> None:
        from cunshe.elections.sections import Section, register_section
        from cunshe.results.views import election_section, public_section
        from cunshe.web.public import register_public_section

        register_section(Section(key="result", title="选举结果", order=60, render=election_section))
        register_public_section("results", public_section)

        from cunshe.deadlines.work_items import register_source
        from cunshe.results.work_items import result_counts, result_items

        register_source("results.results", result_items, module="results", counter=result_counts)
