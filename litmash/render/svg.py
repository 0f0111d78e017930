"""The lead sheet as SVG, engraved by verovio from MusicXML: melody, chord symbols, words under notes."""

from __future__ import annotations

import re

from . import RenderError, register
from .musicxml import musicxml_bytes

OPTIONS = {
    "adjustPageHeight": True,  # one page as tall as the music, no blank paper below
    "pageWidth": 2100,
    "pageHeight": 60000,       # tall enough that a chorus never breaks onto a second page
    "scale": 40,
    "header": "none",
    "footer": "none",
    "breaks": "auto",
}


@register("svg", extension="svg", media_type="image/svg+xml", score="lead_sheet")
def svg_bytes(score) -> bytes:
    """The lead sheet as one SVG document."""
    import verovio

    verovio.enableLog(verovio.LOG_OFF)  # verovio otherwise prints warnings to stdout
    tk = verovio.toolkit()
    tk.setOptions(OPTIONS)
    if not tk.loadData(musicxml_bytes(score).decode("utf-8")):
        raise RenderError("svg: verovio could not read the lead sheet's MusicXML")
    pages = [tk.renderToSVG(i) for i in range(1, tk.getPageCount() + 1)]
    if len(pages) == 1:
        return pages[0].encode("utf-8")
    return _stack(pages).encode("utf-8")


def _stack(pages: list[str]) -> str:
    """Several page SVGs as one, one below the other."""
    body, y, width = [], 0, 0
    for page in pages:
        w, h = (int(float(x)) for x in re.search(r'width="([\d.]+)px" height="([\d.]+)px"', page).groups())
        inner = page[page.index(">", page.index("<svg")) + 1:page.rindex("</svg>")]
        body.append(f'<svg x="0" y="{y}" width="{w}" height="{h}">{inner}</svg>')
        y, width = y + h, max(width, w)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}px" height="{y}px">' + "".join(body) + "</svg>")
