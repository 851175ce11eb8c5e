"""Keyboard-only helpers for the browser tests."""


def tab_to(page, selector: str, limit: int = 80) -> int:
    """Press Tab until the element matching ``selector`` has the focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return presses
    raise AssertionError(f"{selector} never received the focus")


def tab_and_press_enter(page, selector: str) -> None:
    """Tab on to ``selector`` and press Enter, waiting for the page it leads to."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
