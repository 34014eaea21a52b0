"""Input formats for Chinese pages: ISO first. A form renders a field's value with the first input format, and the
browser's date and datetime-local inputs show only ISO values (Django's zh_Hans puts 2026/10/01 first, which an edit
form would show as empty and send back blank). Display formats stay Django's zh_Hans ones."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-10-01', what <input type="date"> sends and shows
    "%Y/%m/%d",  # '2026/10/01', as officials type it
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # '2026-10-01T09:30', what <input type="datetime-local"> sends and shows
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
]
