"""The people of ``bench.load``, for locust: visitors reading public pages, parents sending a
photo of a drawing, jurors saving score sheets. The plan (pages, photos, accounts, how many of
each) comes from the JSON file named by ``LOAD_PLAN``; the classes left out of the plan get no
users. This folder holds nothing else: locust puts it first on ``sys.path``."""

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import FastHttpUser, HttpUser, between, constant, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if os.environ.get("LOAD_PLAN") else {}
COUNTS = PLAN.get("counts", {})
HIDDEN = re.compile(r'name="(csrf_token|submission_key)"[^>]*value="([^"]*)"')
RADIO = re.compile(r'<input[^>]*type="radio"[^>]*>')
JURORS = itertools.count()


def _hidden(html: str) -> dict[str, str]:
    return dict(HIDDEN.findall(html))


def _address() -> str:
    """Each person comes from an address of their own (the app trusts one proxy's
    X-Forwarded-For), as families do: the rate limits count per address."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


class Visitor(FastHttpUser):
    """Reads public pages one after another, without pausing (the throughput run) or with a
    reader's pause (the mixed run)."""

    fixed_count = COUNTS.get("Visitor", 0)
    wait_time = between(1, 3) if PLAN.get("think") else constant(0)

    def on_start(self):
        self.headers = {"X-Forwarded-For": _address()}

    @task
    def page(self):
        self.client.get(random.choice(PLAN["visit"]), name="public page", headers=self.headers)


class Parent(HttpUser):
    """Opens the form and sends a 3–8 MB photo with the child's details; the answer must be
    the receipt."""

    fixed_count = COUNTS.get("Parent", 0)
    wait_time = between(1, 3)

    photos: list[bytes] = []  # read once, shared by every parent

    def on_start(self):
        self.headers = {"X-Forwarded-For": _address()}
        if not Parent.photos:
            Parent.photos = [p.read_bytes() for p in sorted(Path(PLAN["photos"]).glob("*.jpg"))]

    @task
    def send(self):
        form = self.client.get("/submit", name="upload: the form", headers=self.headers)
        region = re.search(r'<option value="([1-9][0-9]*)"', form.text)  # not "—"
        n = random.randrange(10**9)
        data = {**_hidden(form.text), "region": region.group(1) if region else "0",
                "town": "Казань", "child_first_name": f"Ребёнок{n}", "child_last_name": "Нагрузкин",
                "age": "8", "title": f"Рисунок {n}", "guardian_name": "Нагрузкина Мария",
                "guardian_email": f"parent{n}@example.org", "consent_personal_data": "y"}
        # Each parent's photo is another file: the app refuses the same bytes twice. A JPEG
        # comment right after the start marker makes it so (the app keeps only the pixels).
        note = f"load {n}".encode()
        photo = random.choice(self.photos)
        photo = photo[:2] + b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note + photo[2:]
        with self.client.post(
                "/submit", data=data, files={"image": (f"IMG_{n}.jpg", photo, "image/jpeg")},
                headers=self.headers, name="upload: POST /submit", allow_redirects=False,
                catch_response=True) as answer:
            receipt = "/submit/done/" in answer.headers.get("Location", "")
            if answer.status_code != 302 or not receipt:
                errors = re.findall(r'class="errors"[^>]*>\s*<li>([^<]*)', answer.text or "")
                answer.failure(f"{answer.status_code}: {errors[:2] or answer.text[:120]}")


class Juror(HttpUser):
    """Signs in, then opens a drawing's score sheet and saves marks on it, again and again."""

    fixed_count = COUNTS.get("Juror", 0)
    wait_time = between(1, 3)

    def on_start(self):
        self.headers = {"X-Forwarded-For": _address()}
        email = PLAN["jurors"][next(JURORS) % len(PLAN["jurors"])]
        login = self.client.get("/auth/login", name="sheet: sign-in form", headers=self.headers)
        self.client.post("/auth/login", name="sheet: sign in", headers=self.headers, data={
            **_hidden(login.text), "email": email, "password": PLAN["password"]})

    @task
    def score(self):
        path = f"/jury/{PLAN['stage']}/entries/{random.choice(PLAN['entries'])}"
        sheet = self.client.get(path, name="sheet: open", headers=self.headers)
        levels = {}  # criterion -> the marks it offers
        for tag in RADIO.findall(sheet.text):
            name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]+)"', tag)
            levels.setdefault(name.group(1), []).append(value.group(1))
        fields = sorted(levels)
        marks = {name: random.choice(values) for name, values in levels.items()}
        with self.client.post(path, name="sheet: save", headers=self.headers,
                              allow_redirects=False, catch_response=True, data={
                                  **_hidden(sheet.text), **marks, "action": "save"}) as answer:
            if answer.status_code != 302 or not fields:
                answer.failure(f"{answer.status_code}, {len(fields)} criteria on the sheet")
