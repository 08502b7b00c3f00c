"""Sample children's drawings for the demo calendar and the web app's demo data.

Painted small with wobbly crayon strokes (sky, sun, grass, bones, milk, children doing
sport) and enlarged with a soft filter, so an A4 drawing at 300 dpi takes a fraction of a
second and looks drawn by hand rather than computed.
"""

import math
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .spec import FONTS_DIR

MOTIFS = ("sport", "bones", "milk", "sun")
DRAW_LONG_EDGE = 900  # painted at this size, then enlarged

SKIES = ["#8FD3F4", "#A7C7E7", "#B5E3F5", "#9AD0EC", "#C3E8F7"]
GRASSES = ["#6BBF59", "#7CCB5E", "#58A34A", "#8BD17C"]
CLOTHES = ["#E63946", "#F4A261", "#2A9D8F", "#8E44AD", "#F1C40F", "#3A86FF", "#FF6FB5"]
SKIN = ["#F6D1B5", "#EEC39A", "#D9A27E", "#F3C9A8"]
HAIR = ["#5B3A29", "#2E1F14", "#D9A441", "#A0522D", "#111111"]
FLOWERS = ["#FF595E", "#FFCA3A", "#8AC926", "#6A4C93", "#FF924C", "#FFFFFF"]


def make_drawing(
    seed: int, size: tuple[int, int] = (3508, 2480), motif: str | None = None
) -> Image.Image:
    """A colourful child-like drawing, the same for the same seed, of exactly ``size``.

    ``motif`` ("sport", "bones", "milk", "sun") chooses the main subject; None lets the seed
    choose. Landscape or portrait follows ``size``.
    """
    if motif is not None and motif not in MOTIFS:
        raise ValueError(f"motif must be one of {MOTIFS} or None, not {motif!r}")
    rng = random.Random(seed)
    motif = motif or rng.choice(MOTIFS)
    scale = DRAW_LONG_EDGE / max(size)
    w, h = max(40, round(size[0] * scale)), max(40, round(size[1] * scale))
    canvas = _Canvas(Image.new("RGB", (w, h), "#FBF7EE"), rng)
    horizon = h * rng.uniform(0.58, 0.7)
    canvas.scribble_fill([(0, 0), (w, 0), (w, horizon), (0, horizon)], rng.choice(SKIES), 0.55)
    canvas.scribble_fill([(0, horizon), (w, horizon * 0.97), (w, h), (0, h)],
                         rng.choice(GRASSES), 0.7)
    if motif != "sun":  # the sun motif has its own big sun
        canvas.sun(rng.choice([w * 0.14, w * 0.86]), h * 0.15,
                   min(w, h) * rng.uniform(0.08, 0.12))
    for _ in range(rng.randint(1, 3)):
        canvas.cloud(rng.uniform(0.25, 0.75) * w, rng.uniform(0.08, 0.3) * h, min(w, h) * 0.07)
    for _ in range(rng.randint(4, 9)):
        canvas.flower(rng.uniform(0.03, 0.97) * w, rng.uniform(horizon + 0.06 * h, 0.97 * h),
                      min(w, h) * 0.022)
    ground = (horizon + h) / 2
    unit = min(w, h)
    if motif == "sport":
        for i in range(rng.randint(2, 3)):
            canvas.child(w * (0.25 + 0.28 * i + rng.uniform(-0.05, 0.05)), ground, unit * 0.3)
        canvas.ball(w * rng.uniform(0.3, 0.7), ground - unit * 0.32, unit * 0.05)
    elif motif == "bones":
        # Bones in a loose row across the picture, the child in a gap between them.
        spots = [0.15, 0.38, 0.62, 0.85]
        child_spot = rng.randrange(len(spots))
        for i, spot in enumerate(spots):
            if i != child_spot:
                canvas.bone(spot * w, ground - unit * rng.uniform(0, 0.25), unit * 0.2,
                            rng.uniform(-0.6, 0.6))
        canvas.child(spots[child_spot] * w, ground, unit * 0.32)
    elif motif == "milk":
        canvas.bottle(w * 0.3, ground, unit * 0.38)
        canvas.glass(w * 0.55, ground, unit * 0.22)
        canvas.child(w * 0.78, ground, unit * 0.3)
    else:
        canvas.sun(w / 2, h * 0.32, unit * 0.2)
        canvas.child(w * 0.25, ground, unit * 0.3)
        canvas.bone(w * 0.72, ground - unit * 0.05, unit * 0.22, 0.3)
    small = canvas.image.filter(ImageFilter.SMOOTH)
    return small.resize(size, Image.Resampling.BICUBIC)


class _Canvas:
    """Crayon tools on a small image: every stroke wobbles a little, every fill is hatched."""

    def __init__(self, image: Image.Image, rng: random.Random) -> None:
        self.image = image
        self.draw = ImageDraw.Draw(image)
        self.rng = rng
        self.pen = max(2, round(max(image.size) / 260))

    def stroke(self, points: list[tuple[float, float]], colour: str, width: float = 1) -> None:
        jitter = self.pen * 0.6
        wobbly = [(x + self.rng.uniform(-jitter, jitter), y + self.rng.uniform(-jitter, jitter))
                  for x, y in points]
        self.draw.line(wobbly, fill=colour, width=max(1, round(self.pen * width)), joint="curve")

    def scribble_fill(self, polygon: list[tuple[float, float]], colour: str,
                      density: float = 0.8) -> None:
        """Hatch the polygon with slanted crayon strokes over a pale wash of the colour."""
        xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
        box = (int(min(xs)), int(min(ys)), int(max(xs)) + 2, int(max(ys)) + 2)
        bw, bh = max(1, box[2] - box[0]), max(1, box[3] - box[1])
        mask = Image.new("L", (bw, bh), 0)
        ImageDraw.Draw(mask).polygon([(x - box[0], y - box[1]) for x, y in polygon], fill=255)
        layer = Image.new("RGB", (bw, bh), _mix(colour, "#FFFFFF", 0.55))
        pen = ImageDraw.Draw(layer)
        step = max(2.0, self.pen * 1.6 / density)
        slope = self.rng.uniform(0.3, 0.7)
        offset = -bh * slope
        while offset < bw:
            shade = _mix(colour, "#000000", self.rng.uniform(0, 0.12))
            pen.line([(offset, bh), (offset + bh * slope, 0)], fill=shade,
                     width=max(1, round(self.pen * self.rng.uniform(0.6, 1.1))))
            offset += step * self.rng.uniform(0.7, 1.3)
        self.image.paste(layer, box[:2], mask)

    def ellipse_points(self, cx: float, cy: float, rx: float, ry: float,
                       n: int = 28) -> list[tuple[float, float]]:
        return [(cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n))
                for i in range(n + 1)]

    def blob(self, cx: float, cy: float, rx: float, ry: float, colour: str,
             outline: str | None = None) -> None:
        points = self.ellipse_points(cx, cy, rx, ry)
        self.scribble_fill(points, colour)
        self.stroke(points, outline or _mix(colour, "#000000", 0.35))

    def sun(self, cx: float, cy: float, r: float) -> None:
        for i in range(12):
            angle = 2 * math.pi * i / 12 + self.rng.uniform(-0.1, 0.1)
            self.stroke([(cx + r * 1.2 * math.cos(angle), cy + r * 1.2 * math.sin(angle)),
                         (cx + r * 1.75 * math.cos(angle), cy + r * 1.75 * math.sin(angle))],
                        "#F9A602", 1.4)
        self.blob(cx, cy, r, r, "#FFD23F", "#F39C12")
        self.stroke([(cx - r * 0.35, cy - r * 0.2), (cx - r * 0.3, cy - r * 0.1)], "#7A4B00", 1.5)
        self.stroke([(cx + r * 0.3, cy - r * 0.2), (cx + r * 0.35, cy - r * 0.1)], "#7A4B00", 1.5)
        smile = [(cx + r * 0.5 * math.cos(a), cy + r * 0.15 + r * 0.35 * math.sin(a))
                 for a in (0.3, 0.9, 1.6, 2.2, 2.8)]
        self.stroke(smile, "#C0392B", 1.2)

    def cloud(self, cx: float, cy: float, r: float) -> None:
        for dx, dy, k in ((-1, 0.2, 0.8), (0, 0, 1.0), (1, 0.2, 0.8), (0.5, 0.45, 0.7)):
            self.blob(cx + dx * r, cy + dy * r, r * k * 1.2, r * k * 0.8, "#FFFFFF", "#9DB7C9")

    def flower(self, x: float, y: float, r: float) -> None:
        self.stroke([(x, y), (x, y + r * 3)], "#2E8B57", 1)
        colour = self.rng.choice(FLOWERS)
        for i in range(5):
            a = 2 * math.pi * i / 5
            self.blob(x + r * math.cos(a), y + r * math.sin(a), r * 0.7, r * 0.7, colour)
        self.blob(x, y, r * 0.55, r * 0.55, "#FFD23F")

    def bone(self, cx: float, cy: float, length: float, angle: float) -> None:
        dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
        nx, ny = -math.sin(angle) * length * 0.09, math.cos(angle) * length * 0.09
        shaft = [(cx - dx + nx, cy - dy + ny), (cx + dx + nx, cy + dy + ny),
                 (cx + dx - nx, cy + dy - ny), (cx - dx - nx, cy - dy - ny)]
        # Knobs first, then the shaft over them, so the outline reads as one bone.
        for ex, ey in ((cx - dx, cy - dy), (cx + dx, cy + dy)):
            for s in (1, -1):
                self.blob(ex + s * nx * 1.3, ey + s * ny * 1.3, length * 0.11, length * 0.11,
                          "#FFF8E7", "#8C7B6B")
        self.scribble_fill(shaft, "#FFF8E7")
        self.stroke(shaft[:2], "#8C7B6B")
        self.stroke(shaft[2:], "#8C7B6B")

    def bottle(self, x: float, ground: float, height: float) -> None:
        w = height * 0.38
        body = [(x - w / 2, ground), (x + w / 2, ground), (x + w / 2, ground - height * 0.7),
                (x + w / 4, ground - height * 0.85), (x + w / 4, ground - height),
                (x - w / 4, ground - height), (x - w / 4, ground - height * 0.85),
                (x - w / 2, ground - height * 0.7)]
        self.scribble_fill(body, "#FFFFFF", 0.5)
        self.stroke([*body, body[0]], "#5D8AA8", 1.2)
        self.scribble_fill([(x - w / 4 - 1, ground - height), (x + w / 4 + 1, ground - height),
                            (x + w / 4 + 1, ground - height * 0.93),
                            (x - w / 4 - 1, ground - height * 0.93)], "#3A86FF")
        label = [(x - w / 2, ground - height * 0.25), (x + w / 2, ground - height * 0.25),
                 (x + w / 2, ground - height * 0.5), (x - w / 2, ground - height * 0.5)]
        self.scribble_fill(label, "#3A86FF")
        self.blob(x, ground - height * 0.375, w * 0.12, w * 0.16, "#FFFFFF", "#FFFFFF")

    def glass(self, x: float, ground: float, height: float) -> None:
        w = height * 0.6
        outline = [(x - w / 2, ground - height), (x + w / 2, ground - height),
                   (x + w * 0.38, ground), (x - w * 0.38, ground)]
        milk = [(x - w * 0.47, ground - height * 0.8), (x + w * 0.47, ground - height * 0.8),
                (x + w * 0.38, ground), (x - w * 0.38, ground)]
        self.scribble_fill(outline, "#DFF3FF", 0.4)
        self.scribble_fill(milk, "#FFFFFF", 0.6)
        self.stroke([*outline, outline[0]], "#5D8AA8", 1.2)

    def ball(self, x: float, y: float, r: float) -> None:
        self.blob(x, y, r, r, self.rng.choice(["#FF595E", "#FFCA3A", "#3A86FF"]))
        self.stroke([(x - r, y), (x + r, y)], "#FFFFFF", 1)

    def child(self, x: float, ground: float, height: float) -> None:
        """A child jumping, running or stretching: head, dress or shirt, arms and legs."""
        rng = self.rng
        head_r = height * 0.12
        hip = ground - height * 0.42
        shoulder = ground - height * 0.72
        pose = rng.choice(["jump", "run", "stretch"])
        lift = height * 0.08 if pose == "jump" else 0.0
        hip, shoulder = hip - lift, shoulder - lift
        legs = {"jump": ((-0.16, -0.02), (0.16, -0.02)), "run": ((-0.22, 0), (0.18, -0.1)),
                "stretch": ((-0.12, 0), (0.12, 0))}[pose]
        for dx, dy in legs:
            self.stroke([(x, hip), (x + dx * height, ground + dy * height - lift)], "#3B3B3B", 2)
        arms = {"jump": ((-0.25, -0.32), (0.25, -0.32)), "run": ((-0.22, 0.05), (0.24, -0.15)),
                "stretch": ((-0.3, -0.05), (0.3, -0.05))}[pose]
        for dx, dy in arms:
            self.stroke([(x, shoulder + height * 0.04), (x + dx * height, shoulder + dy * height)],
                        "#3B3B3B", 2)
        shirt = rng.choice(CLOTHES)
        if rng.random() < 0.5:
            hem = hip + height * 0.06
            body = [(x - height * 0.09, shoulder), (x + height * 0.09, shoulder),
                    (x + height * 0.17, hem), (x - height * 0.17, hem)]
        else:
            body = [(x - height * 0.1, shoulder), (x + height * 0.1, shoulder),
                    (x + height * 0.1, hip), (x - height * 0.1, hip)]
        self.scribble_fill(body, shirt)
        self.stroke([*body, body[0]], _mix(shirt, "#000000", 0.4))
        head_y = shoulder - head_r * 1.1
        hair = rng.choice(HAIR)
        self.blob(x, head_y - head_r * 0.25, head_r * 1.05, head_r * 0.85, hair, hair)
        self.blob(x, head_y, head_r, head_r, rng.choice(SKIN), "#8D5B3F")
        for side in (-1, 1):
            self.stroke([(x + side * head_r * 0.35, head_y - head_r * 0.15),
                         (x + side * head_r * 0.38, head_y - head_r * 0.05)], "#222222", 1.4)
        self.stroke([(x - head_r * 0.35, head_y + head_r * 0.3), (x, head_y + head_r * 0.5),
                     (x + head_r * 0.35, head_y + head_r * 0.3)], "#C0392B", 1.1)


def _mix(colour: str, other: str, share: float) -> str:
    """``colour`` moved ``share`` of the way towards ``other``."""
    a = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02X}" for x, y in zip(a, b, strict=True))


def make_logo(name: str, colour: str = "#1A8E8A", size: tuple[int, int] = (1200, 480)
              ) -> Image.Image:
    """A sample partner's logo: a round emblem with a bone and ``name`` beside it, on a
    transparent background (RGBA), as a partner's PNG logo usually is."""
    width, height = size
    logo = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(logo)
    pad = height // 10
    draw.ellipse((pad, pad, height - pad, height - pad), fill=colour)
    r = height // 12
    x1, x2, y = height * 0.32, height * 0.68, height / 2
    draw.rectangle((x1, y - r * 0.7, x2, y + r * 0.7), fill="white")
    for x in (x1, x2):
        for dy in (-r * 0.8, r * 0.8):
            draw.ellipse((x - r, y + dy - r, x + r, y + dy + r), fill="white")
    words = name.split()
    lines = [line for line in (" ".join(words[: (len(words) + 1) // 2]),
                               " ".join(words[(len(words) + 1) // 2:])) if line]
    room = width - height - 2 * pad
    points = height // 4
    font = ImageFont.truetype(str(FONTS_DIR / "PTSans-Bold.ttf"), points)
    widest = max(font.getlength(line) for line in lines)
    if widest > room:  # a long name is set smaller, never cut
        font = ImageFont.truetype(str(FONTS_DIR / "PTSans-Bold.ttf"), int(points * room / widest))
    for i, line in enumerate(lines):
        draw.text((height + pad, height * 0.2 + i * height * 0.32), line, fill=colour, font=font)
    return logo
