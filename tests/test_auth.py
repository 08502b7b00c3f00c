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
