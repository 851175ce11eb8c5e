from django import template

register = template.Library()

_SELECT_WIDGETS = {"select", "selectmultiple", "nullbooleanselect"}
_PLAIN_WIDGETS = {"radioselect", "checkboxselectmultiple"}


@register.simple_tag
def field_widget(field):
    """Render a form field's widget with Bootstrap classes and the ARIA attributes screen readers need."""
    widget_type = field.widget_type
    attrs = {}
    if widget_type in _SELECT_WIDGETS:
        css = "form-select"
    elif widget_type == "checkbox":
        css = "form-check-input"
    elif widget_type in _PLAIN_WIDGETS:
        css = ""
    else:
        css = "form-control"
    existing = field.field.widget.attrs.get("class", "")
    classes = " ".join(c for c in (existing, css, "is-invalid" if field.errors else "") if c)
    if classes:
        attrs["class"] = classes
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-help")
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.id_for_label}-errors")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
