"""Choosing in a type-ahead picker (static/js/chips.js) as a person does: type, then tap a suggestion."""

from playwright.sync_api import expect


def pick(page, field_id: str, typed: str, option: str | None = None, *, touch: bool = False) -> None:
    """Type ``typed`` into the picker made from the select ``#field_id`` and choose ``option`` (or the first)."""
    combobox = page.locator(f"#{field_id}-input")
    combobox.fill(typed)
    listbox = page.locator(f"#{field_id}-listbox")
    choice = listbox.get_by_role("option", name=option) if option else listbox.get_by_role("option").first
    expect(choice.first).to_be_visible()
    if touch:
        choice.first.tap()
    else:
        choice.first.click()
    expect(combobox).to_have_value("")
