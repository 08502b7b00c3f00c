"""What each hostile request costs a real server: its peak memory above the idle server, and
the time to its answer (issue 11).

The app is started as ``make run`` starts it (``flask db upgrade``, ``flask regions sync``,
then ``flask run``), on SQLite in a temporary folder with a 64-character ``SECRET_KEY`` and a
contest open for submissions; a fresh server for each request, so that no row pays for the one
before. While a request runs, the server's resident memory (its process and any children) is
sampled every 20 ms, and its high-water mark (``VmHWM``, reset through ``clear_refs`` before the
request) is read after it, which catches a spike between two samples. The hostile files come
from tests/hostile_files.py (made as streams, a few hundred KB each on disk); the valid batch
is 300 distinct 12-megapixel phone JPEGs of bench/upload.py (about 3.4 MB each).

Targets (issue 11): every request at most 150 MB above the idle server and answered within
5 s, a refusal by size within 1 s; a valid batch of 300 photos at most 300 MB above it,
however long it takes. This prints the figures and PASS or FAIL for each; it asserts nothing.

    .venv/bin/python -m bench.hostile [--only heic,batch] [--port 5099]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PIL import Image

from bench.upload import phone_photo
from tests import hostile_files

ROOT = Path(__file__).resolve().parents[1]
FLASK = Path(sys.executable).with_name("flask")
MB = 1024 * 1024
SAMPLE_SECONDS = 0.02


# --- the server ---------------------------------------------------------------------------------


def _environment(folder: Path) -> dict[str, str]:
    return {**os.environ, "FLASK_APP": "contest", "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": f"sqlite:///{folder / 'contest.db'}",
            "UPLOAD_FOLDER": str(folder / "uploads"), "JOBS_URL": str(folder / "jobs.db"),
            "TMPDIR": str(folder / "tmp"), "PYTHONPATH": str(ROOT)}


def prepare_database(folder: Path) -> dict[str, str]:
    """The schema and regions as ``make run`` makes them, and a contest open for submissions;
    returns the server's environment."""
    (folder / "tmp").mkdir(parents=True)
    env = _environment(folder)
    for command in (["db", "upgrade"], ["regions", "sync"]):
        subprocess.run([str(FLASK), *command], env=env, cwd=ROOT, check=True,
                       capture_output=True)
    subprocess.run([sys.executable, "-c", "from bench.hostile import open_contest; "
                    "open_contest()"], env=env, cwd=ROOT, check=True)
    return env


def open_contest() -> None:
    """A contest taking submissions now, with its age categories and two regions (run in the
    server's environment)."""
    from contest import create_app
    from contest.extensions import db
    from contest.models import AgeCategory, Contest, Criterion, Phase, Region, Stage, StageKind

    app = create_app()
    with app.app_context():
        today = date.today()
        contest = Contest(
            phase=Phase.SUBMISSIONS_OPEN, year=today.year, title_ru="Крепкие кости",
            title_en="Strong bones", theme_ru="Кальций и солнце", theme_en="Calcium and sunshine",
            motto_ru="Кости крепкие — с детства", motto_en="Strong bones from childhood",
            rules_ru="Правила", rules_en="Rules",
            submissions_open_on=today - timedelta(days=30),
            submissions_close_on=today + timedelta(days=30),
            regional_judging_until=today + timedelta(days=60),
            national_judging_until=today + timedelta(days=90),
            results_on=today + timedelta(days=100), age_reference_date=today)
        contest.stages.append(Stage(kind=StageKind.NATIONAL))
        contest.age_categories = [
            AgeCategory(name_ru="Малыши", name_en="Little ones", min_age=4, max_age=7),
            AgeCategory(name_ru="Школьники", name_en="Pupils", min_age=8, max_age=11),
            AgeCategory(name_ru="Подростки", name_en="Teenagers", min_age=12, max_age=17)]
        contest.criteria = [Criterion(name_ru="Тема", name_en="Theme", weight=1, position=0)]
        for code in ("RU-SPE", "RU-MOW"):
            region = db.session.scalar(db.select(Region).where(Region.code == code))
            contest.stages.append(Stage(kind=StageKind.REGIONAL, region=region))
        db.session.add(contest)
        db.session.commit()


class Server:
    """``flask run`` on ``port``, as ``make run`` starts it (without the demo data)."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [str(FLASK), "run", "--no-reload", "--port", str(port)], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)

    def pids(self) -> list[int]:
        """The server's process and its children, recursively."""
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    queue += [int(child) for child in task.read_text().split()]
        return found

    def rss_mb(self) -> float:
        return sum(_status(pid, "VmRSS") for pid in self.pids()) / 1024

    def reset_high_water(self) -> None:
        for pid in self.pids():
            Path(f"/proc/{pid}/clear_refs").write_text("5")

    def high_water_mb(self) -> float:
        return sum(_status(pid, "VmHWM") for pid in self.pids()) / 1024

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def _status(pid: int, field: str) -> int:
    """A kB field of /proc/<pid>/status, 0 once the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(found[1]) if found else 0


class PeakSampler(threading.Thread):
    """The highest resident memory of the server while it runs, sampled every 20 ms."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server, self.peak, self.done = server, server.rss_mb(), threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, self.server.rss_mb())


# --- requests -------------------------------------------------------------------------------


class Browser:
    """A visitor with a session cookie and the form's CSRF token."""

    def __init__(self, port: int) -> None:
        self.port, self.cookie = port, ""

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=1200)

    def csrf_token(self, path: str) -> str:
        conn = self.connection()
        conn.request("GET", path, headers={"Cookie": self.cookie})
        response = conn.getresponse()
        page = response.read().decode()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        conn.close()
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]


Part = tuple[str, str | Path | bytes, str | None]  # name, value or file, file name


def multipart(parts: list[Part]) -> tuple[str, int, Callable[[], Iterator[bytes]]]:
    """(content type, length, chunks) of a form with files, read from disk 1 MB at a time."""
    boundary = secrets.token_hex(16)
    pieces: list[bytes | Path] = []
    for name, value, filename in parts:
        if filename is None:
            pieces.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                          f"\r\n\r\n{value}\r\n".encode())
            continue
        pieces.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                      f'filename="{filename}"\r\nContent-Type: application/octet-stream'
                      "\r\n\r\n".encode())
        pieces += [value, b"\r\n"]
    pieces.append(f"--{boundary}--\r\n".encode())
    length = sum(p.stat().st_size if isinstance(p, Path) else len(p) for p in pieces)

    def chunks() -> Iterator[bytes]:
        for piece in pieces:
            if isinstance(piece, Path):
                with piece.open("rb") as file:
                    while chunk := file.read(MB):
                        yield chunk
            else:
                yield piece

    return f"multipart/form-data; boundary={boundary}", length, chunks


def post_form(browser: Browser, token: str, path: str, fields: dict[str, str],
              files: dict[str, Path]) -> tuple[int, str]:
    """POST a form as a browser does; (status, the answer's page)."""
    parts: list[Part] = [("csrf_token", token, None)]
    parts += [(name, value, None) for name, value in fields.items()]
    parts += [(name, file, file.name) for name, file in files.items()]
    content_type, length, chunks = multipart(parts)
    conn = browser.connection()
    conn.putrequest("POST", path)
    for header, value in (("Content-Type", content_type), ("Content-Length", str(length)),
                          ("Cookie", browser.cookie)):
        conn.putheader(header, value)
    conn.endheaders()
    try:
        for chunk in chunks():
            conn.send(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused before the body was read: the answer is waiting
    return _answer(conn)


def post_declared(browser: Browser, token: str, path: str, length: int) -> tuple[int, str]:
    """Headers declaring a body of ``length`` bytes, and only 64 KB of it: refused unread."""
    conn = browser.connection()
    conn.putrequest("POST", path)
    for header, value in (("Content-Type", "multipart/form-data; boundary=x"),
                          ("Content-Length", str(length)), ("Cookie", browser.cookie),
                          ("X-CSRFToken", token)):
        conn.putheader(header, value)
    conn.endheaders()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        conn.send(b"--x\r\n" + b"x" * 65536)
    return _answer(conn)


def _answer(conn: http.client.HTTPConnection) -> tuple[int, str]:
    response = conn.getresponse()
    answer = response.read()
    conn.close()
    return response.status, answer.decode(errors="replace")


# --- the hostile inputs -----------------------------------------------------------------------


BATCH_FIELDS = {"region": "", "town": "Санкт-Петербург", "institution": "Лицей 239",
                "teacher": "Петрова О. И.", "confirm": "y"}
CHILD_FIELDS = {"region": "", "town": "Казань", "child_first_name": "Маша",
                "child_last_name": "Иванова", "birth_date": "", "age": "9",
                "institution": "Школа № 5", "teacher": "", "title": "Молоко и солнце",
                "description": "", "guardian_name": "Иванова Анна",
                "guardian_email": "anna@example.org", "guardian_phone": "",
                "consent_personal_data": "y", "consent_print": "y"}


def _small_zip(folder: Path) -> Path:
    path = folder / "drawings.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.jpg", phone_photo(seed=7))
    return path


def _one_row_list(folder: Path) -> Path:
    path = folder / "class.csv"
    path.write_text(";".join(hostile_files.HEADER) + "\na.jpg;Аня;Петрова;8;Солнце;Петрова М.;"
                    "a@example.org;да;да\n", encoding="utf-8")
    return path


def heic_24_megapixels(path: Path) -> Path:
    """A 24 MP HEIC (6000 × 4000) in 512-pixel tiles as an iPhone writes it (about 8 MB)."""
    import pillow_heif

    with Image.open(io.BytesIO(phone_photo(seed=5))) as photo:
        big = photo.convert("RGB").resize((6000, 4000))
    grid, pillow_heif.options.GRID_TILE_SIZE = pillow_heif.options.GRID_TILE_SIZE, 512
    try:
        big.save(path, "HEIF", quality=80, enc_params={"preset": "ultrafast"})
    finally:
        pillow_heif.options.GRID_TILE_SIZE = grid
    return path


def valid_batch(folder: Path, rows: int = 300) -> tuple[Path, Path]:
    """(list, ZIP) of ``rows`` children, each with a distinct 12 MP phone JPEG: one photo,
    told apart by a JPEG comment (COM segment) numbering it, stored unpacked as phones'
    JPEGs barely shrink."""
    photo = phone_photo(seed=11)
    archive = folder / "class.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED, allowZip64=True) as out:
        for n in range(rows):
            note = f"photo {n}".encode()
            comment = b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note
            out.writestr(f"IMG_{n:04d}.JPG", photo[:2] + comment + photo[2:])
    sheet = folder / "class.csv"
    sheet.write_text(";".join(hostile_files.HEADER) + "\n" + "".join(
        f"IMG_{n:04d}.JPG;Ребёнок{n};Петров;{6 + n % 10};Рисунок {n};Петров П.;"
        f"p{n}@example.org;да;да\n" for n in range(rows)), encoding="utf-8")
    return sheet, archive


@dataclass(frozen=True)
class Case:
    name: str
    path: str  # where it is sent
    expected: int  # the HTTP status of the right answer
    max_extra_mb: float
    max_seconds: float | None  # None: no time target
    make: Callable[[Path], dict[str, Path]]  # the files of the form, made in a folder
    says: str = ""  # what the answer's page must say (the refusal's reason)
    declared: int | None = None  # only headers declaring a body of this length


def _batch(make: Callable[[Path], tuple[Path, Path]]):
    def files(folder: Path) -> dict[str, Path]:
        sheet, archive = make(folder)
        return {"sheet": sheet, "archive": archive}
    return files


CASES = [
    Case("xlsx-cell", "/submit/batch", 422, 150, 5, _batch(lambda f: (
        hostile_files.xlsx_with_one_huge_cell(f / "class.xlsx"), _small_zip(f))),
         says="Список не читается как файл Excel"),
    Case("xlsx-rows", "/submit/batch", 422, 150, 5, _batch(lambda f: (
        hostile_files.xlsx_with_rows(f / "class.xlsx"), _small_zip(f))),
         says="Список не читается как файл Excel"),
    Case("zip-members", "/submit/batch", 422, 150, 5, _batch(lambda f: (
        _one_row_list(f), hostile_files.zip_with_members(f / "drawings.zip"))),
         says="В архиве больше 2000 файлов"),
    Case("zip-bmp", "/submit/batch", 422, 150, 5,
         _batch(hostile_files.zip_of_one_bmp_named_by_rows), says="ещё 271 проблема"),
    Case("png-16-bit", "/submit", 422, 150, 5,
         lambda f: {"image": hostile_files.png_16_bit(f / "drawing.png")},
         says="слишком велико для обработки"),
    Case("oversize", "/submit", 413, 150, 1, lambda f: {}, says="файл поменьше",
         declared=300 * MB),
    Case("oversize-batch", "/submit/batch", 413, 150, 1, lambda f: {}, says="файл поменьше",
         declared=1100 * MB),
    Case("heic", "/submit", 302, 150, 5,
         lambda f: {"image": heic_24_megapixels(f / "IMG_0001.HEIC")}),
    Case("batch", "/submit/batch", 302, 300, None, _batch(valid_batch)),
]
DESCRIPTIONS = {
    "xlsx-cell": "XLSX list, one 300 MB cell",
    "xlsx-rows": "XLSX list, 1,000,000 rows",
    "zip-members": "ZIP of 200,000 members",
    "zip-bmp": "300 rows naming one 25 MB BMP",
    "png-16-bit": "16-bit 79 MP PNG, public form",
    "oversize": "300 MB declared body, public form",
    "oversize-batch": "1.1 GB declared body, school's batch",
    "heic": "24 MP HEIC, public form",
    "batch": "valid batch: 300 rows, 3.4 MB JPEGs",
}


def _region_id(env: dict[str, str]) -> str:
    found = subprocess.run([sys.executable, "-c", (
        "from contest import create_app; from contest.extensions import db; "
        "from contest.models import Region\n"
        "with create_app().app_context(): print(db.session.scalar(db.select(Region.id)"
        ".where(Region.code == 'RU-SPE')))")], env=env, cwd=ROOT, check=True,
        capture_output=True, text=True)
    return found.stdout.split()[-1]


def measure(case: Case, env: dict[str, str], folder: Path, region: str, port: int) -> dict:
    """One fresh server, one request: the figures of the row. The inputs are made first, and
    the form's page fetched (which warms the app up, as after its first visitor): the clock
    and the memory count from the first byte of the hostile request to its answer."""
    inputs = folder / case.name
    inputs.mkdir()
    files = case.make(inputs)
    fields = {**(BATCH_FIELDS if case.path == "/submit/batch" else CHILD_FIELDS),
              "region": region}
    server = Server(env, port)
    try:
        browser = Browser(port)
        token = browser.csrf_token(case.path)
        time.sleep(0.5)
        idle = server.rss_mb()
        server.reset_high_water()
        sampler = PeakSampler(server)
        sampler.start()
        start = time.perf_counter()
        if case.declared:
            status, page = post_declared(browser, token, case.path, case.declared)
        else:
            status, page = post_form(browser, token, case.path, fields, files)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        peak = max(sampler.peak, server.high_water_mb())
    finally:
        server.stop()
    sent = case.declared or sum(file.stat().st_size for file in files.values())
    return {"status": status, "bytes": len(page.encode()), "said": case.says in page,
            "sent": sent, "idle": idle, "extra": peak - idle,
            "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="comma-separated rows: " + ",".join(
        c.name for c in CASES))
    parser.add_argument("--port", type=int, default=5099)
    args = parser.parse_args()
    wanted = set(args.only.split(",")) if args.only else {c.name for c in CASES}
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as name:
        folder = Path(name)
        env = prepare_database(folder / "server")
        region = _region_id(env)
        for case in CASES:
            if case.name not in wanted:
                continue
            figures = measure(case, env, folder, region, args.port)
            met = (figures["status"] == case.expected and figures["said"]
                   and figures["extra"] <= case.max_extra_mb
                   and (case.max_seconds is None or figures["seconds"] <= case.max_seconds))
            target = f"≤ {case.max_extra_mb:.0f} MB" + (
                f", ≤ {case.max_seconds:g} s" if case.max_seconds else "")
            rows.append((DESCRIPTIONS[case.name], figures["sent"], figures["status"],
                         figures["bytes"], figures["idle"], figures["extra"], figures["seconds"],
                         target, "PASS" if met else "FAIL"))
            print(f"{case.name}: done" + ("" if figures["said"] else
                                          f"; the answer does not say “{case.says}”"),
                  file=sys.stderr, flush=True)
    print(f"{'request':36} {'files MB':>8} {'status':>6} {'answer':>8} {'idle MB':>8} "
          f"{'extra MB':>9} {'seconds':>8}  {'target':18} result")
    for description, sent, status, size, idle, extra, seconds, target, verdict in rows:
        print(f"{description:36} {sent / MB:>8.1f} {status:>6} {size / 1024:>6.0f}KB "
              f"{idle:>8.0f} {extra:>9.0f} {seconds:>8.2f}  {target:18} {verdict}")


if __name__ == "__main__":
    main()
