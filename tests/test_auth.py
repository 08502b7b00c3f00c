from contest.models import Role

from .factories import PASSWORD


def test_login_page(client):
    assert client.get("/auth/login").status_code == 200


def test_login_logout(client, make):
    user = make.user(Role.ORGANIZER, email="org@example.org")
    response = client.post("/auth/login", data={"email": "ORG@example.org ", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organizer/")
    assert client.get("/organizer/").status_code == 200
    client.post("/auth/logout")
    assert client.get("/organizer/").status_code == 302
    assert user.last_login_at is not None


def test_wrong_password_says_so_in_russian(client, make):
    make.user(Role.ORGANIZER, email="org@example.org")
    response = client.post("/auth/login", data={"email": "org@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "Неверный адрес почты или пароль".encode() in response.data


def test_deactivated_user_cannot_sign_in(client, make):
    make.user(Role.ORGANIZER, email="gone@example.org", active=False)
    response = client.post("/auth/login", data={"email": "gone@example.org", "password": PASSWORD})
    assert response.status_code == 200


def test_login_is_throttled(other_app):
    client = other_app(RATELIMIT_ENABLED=True).test_client()
    codes = [client.post("/auth/login", data={"email": "x@example.org", "password": "x"}).status_code
             for _ in range(12)]
    assert codes[:10] == [200] * 10
    assert codes[-1] == 429
    again = client.post("/auth/login", data={"email": "X@example.org ", "password": "x"})
    assert "Слишком много попыток".encode() in again.data
    # a colleague in the same office is not locked out by someone else's typos
    colleague = client.post("/auth/login", data={"email": "y@example.org", "password": "x"})
    assert colleague.status_code == 200


def test_generated_password_must_be_changed(client, make):
    user = make.user(Role.COORDINATOR, email="c@example.org", must_change_password=True)
    response = client.post("/auth/login", data={"email": "c@example.org", "password": PASSWORD})
    assert response.headers["Location"].endswith("/auth/password")
    response = client.post("/auth/password", data={"current": PASSWORD, "new": "short",
                                                    "confirm": "short"})
    assert "Не короче 10 символов".encode() in response.data
    for elsewhere in ("/coordinator/", "/jury/", "/"):  # nothing else until it is changed
        assert client.get(elsewhere).headers["Location"].endswith("/auth/password"), elsewhere
    response = client.post("/auth/password", data={
        "current": PASSWORD, "new": "a much longer secret", "confirm": "a much longer secret"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/coordinator/")  # straight to the work
    assert not user.must_change_password
    assert user.check_password("a much longer secret")
    assert client.get("/coordinator/").status_code == 200


def test_open_redirect_refused(client, make):
    make.user(Role.ORGANIZER, email="org@example.org")
    response = client.post("/auth/login?next=https://evil.example/",
                           data={"email": "org@example.org", "password": PASSWORD})
    assert "evil" not in response.headers["Location"]


def test_demo_logins_only_in_demo_mode(app, client, runner):
    runner.invoke(args=["demo", "--entries", "0"])
    assert b"organizer@demo.example" not in client.get("/auth/login").data
    app.config["DEMO_MODE"] = True
    page = client.get("/auth/login").data.decode()
    assert page.index("organizer@demo.example") < page.index("coordinator.mow@demo.example")
    assert "national1@demo.example" in page and "demo-password" in page
    response = client.post("/auth/login", data={"email": "organizer@demo.example",
                                                "password": "demo-password"})
    assert response.headers["Location"].endswith("/organizer/")


def _sign_in(client, email, password, address="192.0.2.1"):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(other_app, make):
    app = other_app(RATELIMIT_ENABLED=True)
    make.user(Role.ORGANIZER, email="org@example.org")
    attacker = [_sign_in(app.test_client(), "org@example.org", "guess", "203.0.113.9")
                for _ in range(11)]
    assert attacker[:10] == [200] * 10 and attacker[-1] == 429
    assert _sign_in(app.test_client(), "org@example.org", PASSWORD, "192.0.2.1") == 302


def test_a_successful_sign_in_does_not_count_against_the_owner(other_app, make):
    client = other_app(RATELIMIT_ENABLED=True).test_client()
    make.user(Role.ORGANIZER, email="org@example.org")
    for _ in range(12):  # signing in and out all day long is not guessing
        assert _sign_in(client, "org@example.org", PASSWORD) == 302
        client.post("/auth/logout")


def test_guessing_from_many_addresses_meets_the_per_account_limit(other_app, make):
    """The looser per-account limit stops a spread-out attack; the owner's own browser, which
    signed in before, still gets in."""
    app = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per hour",
                    LOGIN_ACCOUNT_RATE_LIMIT="5 per hour")
    owner, attacker = app.test_client(), app.test_client()
    make.user(Role.ORGANIZER, email="org@example.org")
    assert _sign_in(owner, "org@example.org", PASSWORD) == 302
    owner.post("/auth/logout")
    codes = [_sign_in(attacker, "org@example.org", "guess", f"203.0.113.{n}") for n in range(6)]
    assert codes == [200] * 5 + [429]
    assert _sign_in(attacker, "org@example.org", PASSWORD, "198.51.100.1") == 429
    assert _sign_in(owner, "org@example.org", PASSWORD, "198.51.100.1") == 302


def test_unknown_and_known_accounts_cost_the_same_password_check(app, make, monkeypatch):
    """An unknown address is checked against a hash made like the real ones, so the time of
    the answer cannot tell which addresses have accounts."""
    import werkzeug.security

    from contest import accounts
    from contest.extensions import db

    user = make.user(Role.ORGANIZER, email="org@example.org")
    user.set_password(PASSWORD)  # hashed as the app hashes (the factory's hash is a cheap one)
    db.session.commit()
    accounts.authenticate("warm@example.org", "x")  # the unknown-account hash, made once
    checked = []
    real = werkzeug.security._hash_internal

    def counting(method, salt, password):
        checked.append(method)
        return real(method, salt, password)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counting)
    assert accounts.authenticate("org@example.org", "wrong") is None
    assert accounts.authenticate("nobody@example.org", "wrong") is None
    assert accounts.authenticate("ORG@example.org ", PASSWORD).email == "org@example.org"
    assert len(checked) == 3 and len(set(checked)) == 1
