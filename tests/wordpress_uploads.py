"""A copy of the old site's wp-content/uploads for tests/wordpress/export.xml, drawn with Pillow in the test (no binary in git).

What it holds, and what it leaves out on purpose:
- 2024/05/atelier: WordPress's sizes of a big photo (-300x200, -1024x683, -scaled), the
  original not copied from the host; the largest, -scaled (2560 × 1707), is the one to keep;
- 2023/01/atelier.jpg and its -150x150: another month's file of the same name;
- 2023/01/plaquette.pdf: a document linked from a page;
- 2024/05/dQw4w9WgXcQ.jpg: a thumbnail saved under the name of the YouTube video it shows;
- 2024/06/Réunion Bureau.JPG and its -300x169: a featured image, its name in capitals, accents, a space;
- missing: 2023/03/balance.png (a gallery's), 2022/12/equipe-300x200.jpg (a captioned image),
  2023/01/message.mp3 (a sound).
"""

from PIL import Image

SIZES = {
    "2024/05/atelier-scaled.jpg": (2560, 1707),
    "2024/05/atelier-1024x683.jpg": (1024, 683),
    "2024/05/atelier-300x200.jpg": (300, 200),
    "2023/01/atelier.jpg": (800, 600),
    "2023/01/atelier-150x150.jpg": (150, 150),
    "2024/05/dQw4w9WgXcQ.jpg": (1280, 720),
    "2024/06/Réunion Bureau.JPG": (1200, 675),
    "2024/06/Réunion Bureau-300x169.JPG": (300, 169),
}
DOCUMENT = "%PDF-1.4\n% La plaquette du collectif\n%%EOF\n"


def make_uploads(folder):
    """Draw the uploads into `folder` (each image one plain colour, as small a file as its size allows)."""
    for name, size in SIZES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, (200, 120, 40)).save(path, "JPEG", quality=30)
    (folder / "2023/01/plaquette.pdf").write_text(DOCUMENT, encoding="ascii")
    return folder
