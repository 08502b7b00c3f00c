"""Copied cookies of a signed-out browser open nothing: "keep me signed in" can be taken back."""

from playwright.sync_api import expect

from contest.models import Role

from ..factories import PASSWORD

NEW_PASSWORD = "a much longer secret"


def _sign_in_kept(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(password)
    page.get_by_label("Не выходить на этом устройстве").check()
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Конкурсы")).to_be_visible()


def _opens_staff_page(browser, base: str, cookies: list[dict]) -> bool:
    """Whether another browser holding only ``cookies`` gets the organizer's dashboard."""
    context = browser.new_context(locale="ru-RU")
    try:
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto(f"{base}/organizer/")
        return "/auth/login" not in page.url
    finally:
        context.close()


def _copies(page) -> dict[str, list[dict]]:
    cookies = page.context.cookies()
    names = {c["name"] for c in cookies}
    assert {"session", "remember_token"} <= names, names
    return {"both": cookies,
            "remember_token": [c for c in cookies if c["name"] == "remember_token"],
            "session": [c for c in cookies if c["name"] == "session"]}


def test_copied_cookies_die_at_sign_out_and_at_a_password_change(live, page, browser):
    live.make.user(Role.ORGANIZER, email="org@example.org", name="Ольга Организатор")
    _sign_in_kept(page, live.url, "org@example.org", PASSWORD)
    copies = _copies(page)
    for name, cookies in copies.items():  # each copy works while its owner is signed in
        assert _opens_staff_page(browser, live.url, cookies), name

    page.get_by_role("button", name="Выйти", exact=True).click()
    for name, cookies in copies.items():
        assert not _opens_staff_page(browser, live.url, cookies), f"{name} after sign-out"

    _sign_in_kept(page, live.url, "org@example.org", PASSWORD)
    copies = _copies(page)
    assert _opens_staff_page(browser, live.url, copies["both"])
    page.goto(f"{live.url}/auth/account")
    page.get_by_role("link", name="Смена пароля").click()
    page.get_by_label("Текущий пароль").fill(PASSWORD)
    page.get_by_label("Новый пароль", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Повторите новый пароль").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Пароль изменён")).to_be_visible()
    for name, cookies in copies.items():
        assert not _opens_staff_page(browser, live.url, cookies), f"{name} after new password"
    # the browser that changed the password stays signed in, and its new cookies work
    assert _opens_staff_page(browser, live.url, _copies(page)["remember_token"])
