"""Time and memory to build an A3 calendar from 13 drawings of 24 megapixels, against the floor.

The drawings are made here, seeded: 6000 x 4000 JPEGs (10 landscape, 3 portrait) with the
grain of a scan, and the demo's two partners' logos. The floor is the least any builder must
do with the same images, computed by its own code, never from the build's sizes: decode,
fit each page's drawing to a fixed drawing box (45 % of the trimmed page, the share the
layout promises, in the drawing's proportions) at 300 ppi, the winners' thumbnails to
60 x 45 mm and the logos to 40 x 14 mm, encode as the build does, and place the JPEGs with
bare ReportLab; it uses two threads for the Pillow work. The build and the floor each run
in a fresh process, so each peak memory is its own. Targets: the plain RGB build at most
1.0 times the floor, under 10 s, at most 300 MB peak (it was 407-423 MB before one drawing
at a time was decoded). Beside it, one sample drawing of the demo (``make_drawing``, A4 at
300 dpi) should take under a second.

The same calendar is then built as PDF/X-4 (the default) and as CMYK PDF/X-1a for coated
paper (drawings converted by LittleCMS, the preflight's Ghostscript rendering included).
Targets for CMYK: at most 2.5 times the RGB build, at most 400 MB peak, counting the
Ghostscript process beside the build while it runs (its own peak is shown apart).

    .venv/bin/python bench/calendar.py [--keep DIR] [--rgb-only]

``--rgb-only`` measures the plain RGB build and the floor alone (no PDF/X-4, no CMYK).
"""

import sys
from pathlib import Path

# Run as a script, this file's folder heads sys.path and its name hides the standard
# library's calendar module (which holidays needs): put the repository there instead.
if Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

from PIL import Image  # noqa: E402

TARGET_RATIO = 1.0
TARGET_SECONDS = 10.0
TARGET_MB = 300
TARGET_SAMPLE_SECONDS = 1.0
TARGET_CMYK_RATIO = 2.5
TARGET_CMYK_MB = 400
SIZE = (6000, 4000)


def make_drawings(folder: Path) -> dict:
    """The A3 demo calendar's spec with 24-megapixel drawings, pickled into ``folder``."""
    from calendar_builder.demo import demo_spec
    from calendar_builder.samples import make_drawing

    start = time.perf_counter()
    make_drawing(3)
    sample_seconds = time.perf_counter() - start
    spec = demo_spec(folder, year=2027, page_format="A3", drawing_long_edge=64)
    grain = Image.effect_noise((SIZE[0] // 2, SIZE[1] // 2), 14).resize(SIZE)
    for seed, path in enumerate(sorted(folder.glob("*.jpg"))):
        with Image.open(path) as small:
            portrait = small.height > small.width
        size = SIZE[::-1] if portrait else SIZE
        drawing = make_drawing(seed, size)
        noise = grain.transpose(Image.Transpose.ROTATE_90) if portrait else grain
        scan = Image.blend(drawing, Image.merge("RGB", [noise] * 3), 0.08)
        scan.save(path, "JPEG", quality=92)
    (folder / "spec.pickle").write_bytes(pickle.dumps(spec))
    return {"sample_seconds": sample_seconds}


def _status_mb(pid: int | str, field: str) -> float:
    """A ``/proc/PID/status`` memory field (VmRSS, VmHWM) in MB; 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class ToolWatch:
    """Ghostscript's own peak, and the build's and Ghostscript's memory together.

    getrusage cannot tell: a child started by vfork and exec keeps its parent's peak RSS as
    its own. So the tools ``cmyk`` runs are started here and their ``VmHWM`` (the peak of
    their own memory) sampled every 5 ms, beside this process's ``VmRSS`` at that moment.
    """

    def __init__(self) -> None:
        self.tool_mb = 0.0
        self.together_mb = 0.0

    def run(self, args: list[str], *, check: bool, capture_output: bool, timeout: float
            ) -> subprocess.CompletedProcess:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                tool = _status_mb(process.pid, "VmHWM")
                self.tool_mb = max(self.tool_mb, tool)
                self.together_mb = max(self.together_mb,
                                       _status_mb("self", "VmRSS") + _status_mb(process.pid,
                                                                                "VmRSS"))
                time.sleep(0.005)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        finally:
            done.set()
            sampler.join()
        if check and process.returncode:
            raise subprocess.CalledProcessError(process.returncode, args, stdout, stderr)
        return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def child_build(folder: Path, kind: str = "rgb") -> dict:
    """Build the calendar as ``kind`` (rgb, pdfx4, coated); the RGB report feeds the floor."""
    from calendar_builder import build_calendar, cmyk
    from calendar_builder.pdfx import output_for

    watch = ToolWatch()
    cmyk.subprocess = types.SimpleNamespace(run=watch.run)  # the Ghostscript runs, watched
    spec = pickle.loads((folder / "spec.pickle").read_bytes())
    start = time.perf_counter()
    report = build_calendar(spec, folder / f"calendar-{kind}.pdf", output=output_for(kind))
    seconds = time.perf_counter() - start
    (folder / f"report-{kind}.json").write_text(json.dumps(report.to_dict()))
    return {"seconds": seconds, "bytes": report.size_bytes, "passed": report.passed,
            "tools_mb": watch.tool_mb, "together_mb": watch.together_mb}


TRIM_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
FLOOR_SHARE = 0.45  # a page's drawing box: the share of the trimmed page the layout promises
FLOOR_PPI = 300
THUMB_MM = (60.0, 45.0)  # a winner's thumbnail on the back page
LOGO_MM = (40.0, 14.0)  # a partner's logo


def floor_box_mm(pixels: tuple[int, int], page_format: str, orientation: str
                 ) -> tuple[float, float]:
    """The floor's own drawing box for a page: ``FLOOR_SHARE`` of the trimmed page's area in
    the drawing's proportions, no wider or taller than the trimmed page."""
    width, height = TRIM_MM[page_format][::-1] if orientation == "landscape" else \
        TRIM_MM[page_format]
    aspect = pixels[0] / pixels[1]
    w = (FLOOR_SHARE * width * height * aspect) ** 0.5
    w = min(w, width, height * aspect)
    return w, w / aspect


def fitted_pixels(pixels: tuple[int, int], box_mm: tuple[float, float]) -> tuple[int, int]:
    """The drawing whole in ``box_mm`` at ``FLOOR_PPI``, never enlarged."""
    scale = min(box_mm[0] / 25.4 * FLOOR_PPI / pixels[0], box_mm[1] / 25.4 * FLOOR_PPI / pixels[1],
                1.0)
    return max(1, round(pixels[0] * scale)), max(1, round(pixels[1] * scale))


def child_floor(folder: Path) -> dict:
    """The least any builder must do with the same images, by its own code and boxes.

    Each page's drawing is decoded (libjpeg's reduced decoding where it still leaves enough
    pixels), resized (Lanczos) to ``floor_box_mm`` at 300 ppi, encoded as the build encodes,
    and placed on a page of the trimmed size with bare ReportLab, one page each; the winners'
    thumbnails (``THUMB_MM``) and the logos (``LOGO_MM``) likewise, on one more page. Nothing
    is taken from the build: only the spec's files, page size and orientation. The Pillow
    work runs on two threads, as many as the machine has cores for it.
    """
    from reportlab.pdfgen.canvas import Canvas

    from calendar_builder.images import JPEG_QUALITY
    from calendar_builder.render import JpegSource, raw_streams

    spec = pickle.loads((folder / "spec.pickle").read_bytes())

    def pixels_of(path: Path) -> tuple[int, int]:
        with Image.open(path) as image:
            return image.size

    pages = [spec.cover.drawing, *(m.drawing for m in spec.months)]
    jobs = [(path, floor_box_mm(pixels_of(path), spec.page_format, spec.orientation))
            for path in pages]
    jobs += [(w.drawing, THUMB_MM) for w in spec.back.winners]
    jobs += [(p.logo, LOGO_MM) for p in spec.back.partners if p.logo is not None]

    def bare(job: tuple[Path, tuple[float, float]]) -> tuple[bytes, tuple[int, int]]:
        path, box = job
        with Image.open(path) as image:
            size = fitted_pixels(image.size, box)
            image.draft("RGB", size)
            image.load()
            if image.mode != "RGB":
                image = image.convert("RGB")
            image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=JPEG_QUALITY, subsampling="4:4:4")
        return out.getvalue(), size

    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        encoded = list(pool.map(bare, jobs))
    trim = [side * 72 / 25.4 for side in TRIM_MM[spec.page_format]]
    if spec.orientation == "landscape":
        trim.reverse()
    with raw_streams():
        canvas = Canvas(str(folder / "floor.pdf"), pagesize=trim, pageCompression=1)
        for index, (data, size) in enumerate(encoded):
            canvas.drawImage(JpegSource(f"i{index}", data), 0, 0, size[0] * 72 / FLOOR_PPI,
                             size[1] * 72 / FLOOR_PPI)
            if index < len(pages) or index == len(encoded) - 1:
                canvas.showPage()
        canvas.save()
    seconds = time.perf_counter() - start
    box = jobs[1][1]
    return {"seconds": seconds, "bytes": (folder / "floor.pdf").stat().st_size,
            "box_mm": box, "share": box[0] * box[1] / (trim[0] * trim[1] / (72 / 25.4) ** 2),
            "megapixels": sum(w * h for _, (w, h) in encoded) / 1e6}


def cpu_seconds() -> float:
    """This process's processor time so far, user and system, in every thread.

    On a machine shared with other work the wall-clock times swing with its load; the
    processor time each step needs does not, so both are printed.
    """
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_child(kind: str, folder: Path) -> dict:
    """Run one step in a fresh interpreter and return what it printed.

    Linux keeps a process's peak RSS across exec, and a child starts from its parent's:
    the parent must stay small for each child's getrusage peak to be the child's own.
    """
    result = subprocess.run([sys.executable, __file__, "--child", kind, str(folder)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


STEPS = {
    "make": make_drawings,
    "build": child_build,
    "build-pdfx4": lambda folder: child_build(folder, "pdfx4"),
    "build-coated": lambda folder: child_build(folder, "coated"),
    "floor": child_floor,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="Keep the drawings and PDFs in this folder.")
    parser.add_argument("--rgb-only", action="store_true",
                        help="Only the plain RGB build and the floor.")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder = args.child
        cpu = cpu_seconds()
        outcome = STEPS[kind](Path(folder))
        outcome["cpu_seconds"] = cpu_seconds() - cpu
        outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(outcome))
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"Making 13 drawings of {SIZE[0]} x {SIZE[1]} px in {folder}...", flush=True)
        made = run_child("make", folder)  # in a child too: the parent stays small, see run_child
        build = run_child("build", folder)
        floor = run_child("floor", folder)
        pdfx4 = None if args.rgb_only else run_child("build-pdfx4", folder)
        cmyk = None if args.rgb_only else run_child("build-coated", folder)
        children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        parent_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        report = json.loads((folder / "report-rgb.json").read_text())
    images = sum(len(page["images"]) for page in report["pages"])
    ratio = build["seconds"] / floor["seconds"]
    cpu_ratio = build["cpu_seconds"] / floor["cpu_seconds"]
    placed = [image for page in report["pages"][1:13] for image in page["images"]]
    build_mp = sum(w * h for page in report["pages"] for image in page["images"]
                   for w, h in [image["embedded_pixels"]]) / 1e6
    print(f"A3 calendar, 14 pages, {images} placed images from 13 x 24 MP JPEGs")
    print(f"  build_calendar  {build['seconds']:6.2f} s  peak {build['peak_mb']:6.0f} MB  "
          f"PDF {build['bytes'] / 1e6:6.1f} MB  (plain RGB; processor "
          f"{build['cpu_seconds']:.2f} s)")
    print(f"  floor           {floor['seconds']:6.2f} s  peak {floor['peak_mb']:6.0f} MB  "
          f"PDF {floor['bytes'] / 1e6:6.1f} MB  (decode, fit, encode, embed: its own boxes; "
          f"processor {floor['cpu_seconds']:.2f} s)")
    w, h = floor["box_mm"]
    print(f"                  floor's landscape drawing box {w:.0f} x {h:.0f} mm "
          f"({floor['share']:.0%} of the trimmed page), {floor['megapixels']:.0f} MP embedded; "
          f"the build embedded {build_mp:.0f} MP ({len(placed)} month drawings)")
    print(f"  ratio           {ratio:6.2f}    (target at most {TARGET_RATIO}); processor time "
          f"{cpu_ratio:.2f}; peak target {TARGET_MB} MB")
    ok = ratio <= TARGET_RATIO and build["seconds"] < TARGET_SECONDS and build[
        "peak_mb"] <= TARGET_MB and made["sample_seconds"] < TARGET_SAMPLE_SECONDS
    if pdfx4 is not None and cmyk is not None:
        ok = print_figures(build, pdfx4, cmyk) and ok
    print(f"  sample drawing  {made['sample_seconds']:6.2f} s  (make_drawing, A4 at 300 dpi; "
          f"target under {TARGET_SAMPLE_SECONDS:.0f} s)")
    print(f"  getrusage peaks: largest child {children_mb:.0f} MB (making the drawings counts), "
          f"this process {parent_mb:.0f} MB")
    print("within targets" if ok else "OVER TARGET")


def print_figures(build: dict, pdfx4: dict, cmyk: dict) -> bool:
    """The PDF/X-4 and CMYK builds' figures; whether they are within their targets."""
    cmyk_ratio = cmyk["seconds"] / build["seconds"]
    print(f"  PDF/X-4         {pdfx4['seconds']:6.2f} s  peak {pdfx4['peak_mb']:6.0f} MB  "
          f"PDF {pdfx4['bytes'] / 1e6:6.1f} MB  {pdfx4['seconds'] / build['seconds']:.2f}x RGB")
    print(f"  CMYK PDF/X-1a   {cmyk['seconds']:6.2f} s  peak {cmyk['peak_mb']:6.0f} MB  "
          f"PDF {cmyk['bytes'] / 1e6:6.1f} MB  {cmyk_ratio:.2f}x RGB (target at most "
          f"{TARGET_CMYK_RATIO}x, {TARGET_CMYK_MB} MB); preflight "
          f"{'passed' if cmyk['passed'] else 'FAILED'}")
    print(f"                  Ghostscript's own peak {cmyk['tools_mb']:.0f} MB; the build and "
          f"Ghostscript together at most {cmyk['together_mb']:.0f} MB while it runs")
    return (cmyk_ratio <= TARGET_CMYK_RATIO
            and max(cmyk["peak_mb"], cmyk["together_mb"]) <= TARGET_CMYK_MB
            and cmyk["passed"] and pdfx4["passed"])


if __name__ == "__main__":
    main()
