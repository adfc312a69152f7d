"""Defaults of the responsive images plugin, merged with the site's `RESPONSIVE_IMAGES` setting."""

DEFAULTS = {
    # The image-process derivative (IMAGE_PROCESS key) every raster image is given.
    "derivative": "contenu",
    # Widths of the variants, in CSS pixels; the text column is 42rem (672 px), so 720
    # covers it at 1x and 1440 at 2x, 480 serves phones.
    "widths": (480, 720, 1080, 1440),
    # The variant in `src` (and whose size goes into width and height).
    "default_width": 720,
    # As wide as the text column on large screens, the viewport on small ones.
    "sizes": "(min-width: 46rem) 42rem, 100vw",
    # Vector images scale by themselves; GIFs may be animated and lose it once resized.
    "suffixes": (".jpg", ".jpeg", ".png", ".webp"),
}


def get_settings(pelican_settings):
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("RESPONSIVE_IMAGES", {}))
    return settings


def image_process_derivative(options):
    """The IMAGE_PROCESS entry for pelican-image-process: one variant per width, never enlarged."""
    return {
        "type": "responsive-image",
        "srcset": [(f"{width}w", [f"scale_in {width} None False"]) for width in options["widths"]],
        "default": f"{options['default_width']}w",
        "sizes": options["sizes"],
    }
