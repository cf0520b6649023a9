"""Draw the program icon and the document icon (resources/icons/) with Pillow.

The icons are drawn, not downloaded: a dark-blue rounded square with a white sheet carrying
a bar chart and a tick (the program), and the same sheet with a blue band (the document a
double-click opens). ``.ico`` holds 16-256 px for Windows; ``.png`` is the window icon.
Run by ``installers/build.py``; the results are committed so the program needs no Pillow.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZE = 256
BLUE, DARK, GREEN, WHITE, GREY = (47, 128, 201), (31, 59, 87), (46, 160, 90), (255, 255, 255), (200, 210, 220)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def _sheet(draw: ImageDraw.ImageDraw, box, band: bool, scale: float = 1.0) -> None:
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(box, radius=14, fill=WHITE, outline=GREY, width=3)
    if band:
        draw.rounded_rectangle((x0, y0, x1, y0 + 34), radius=14, fill=BLUE)
        draw.rectangle((x0, y0 + 20, x1, y0 + 34), fill=BLUE)
    base = y1 - 26
    width = (x1 - x0 - 50) // 3
    for i, height in enumerate((0.35, 0.6, 0.85)):
        left = x0 + 18 + i * (width + 7)
        top = base - int(height * scale * (y1 - y0 - (80 if band else 60)))
        draw.rectangle((left, top, left + width, base), fill=BLUE if i < 2 else GREEN)


def program_icon() -> Image.Image:
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((8, 8, SIZE - 8, SIZE - 8), radius=48, fill=DARK)
    _sheet(draw, (52, 36, 204, 220), band=False, scale=0.55)
    draw.line([(78, 84), (108, 114), (168, 58)], fill=GREEN, width=20, joint="curve")
    return img


def document_icon() -> Image.Image:
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    _sheet(ImageDraw.Draw(img), (36, 12, 220, 244), band=True)
    return img


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    for name, img in (("itadesk", program_icon()), ("itadesk-document", document_icon())):
        img.save(ICONS / f"{name}.png")
        img.save(ICONS / f"{name}.ico", sizes=ICO_SIZES)
        print(f"{ICONS / name}.png/.ico")


if __name__ == "__main__":
    main()
