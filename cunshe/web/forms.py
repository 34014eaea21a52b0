"""What every page form does with a refused service call."""

from __future__ import annotations

from django import forms

from cunshe.core.errors import DomainError


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's Chinese messages on the form: by field where the field is on the form, else at the top."""
    for field, messages in error.field_errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.field_errors:
        form.add_error(None, error.message)
