"""The lead sheet as SVG, engraved by verovio from MusicXML: melody, chord symbols, words under notes.

verovio is offline: its fonts come with the wheel, and the music font is embedded in the SVG.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from litmash.present.render.musicxml import musicxml_bytes
from litmash.present.render.registry import RenderError, register

if TYPE_CHECKING:
    from music21 import stream

OPTIONS = {
    "adjustPageHeight": True,  # each page as tall as its music, no blank paper below
    "pageWidth": 2100,         # A4 width (verovio counts tenths of a millimetre): 4 to 6 bars a line
    "pageHeight": 60000,       # verovio's maximum: a song fits one page (longer ones are stacked)
    "scale": 40,               # 840 px wide, readable on a screen and in a notebook cell
    "header": "none",          # no title block; the page around the SVG gives the title
    "footer": "none",          # no "Engraved by Verovio" line
    "breaks": "auto",
    "lyricWordSpace": 3,       # verovio's default (1.2) runs short words together ("beatand")
}
_ROOT = re.compile(r"<svg\b([^>]*)>")


@register("svg", extension="svg", media_type="image/svg+xml", score="lead_sheet")
def svg_bytes(score: stream.Score) -> bytes:
    """The lead sheet as one SVG document."""
    import verovio

    verovio.enableLog(verovio.LOG_OFF)  # verovio otherwise prints its warnings to stdout
    tk = verovio.toolkit()
    tk.setOptions(OPTIONS)
    if not tk.loadData(musicxml_bytes(with_clefs(score)).decode("utf-8")):
        raise RenderError("svg: verovio could not read the lead sheet's MusicXML")
    pages = [tk.renderToSVG(i) for i in range(1, tk.getPageCount() + 1)]
    return (pages[0] if len(pages) == 1 else stack(pages)).encode("utf-8")


def with_clefs(score: stream.Score) -> stream.Score:
    """The score, copied with a clef at the start of each part that has none."""
    from music21 import clef, harmony
    from music21 import stream as m21stream

    # MusicXML may leave the clef out (readers assume treble), but verovio then draws a staff with none
    if all(part[clef.Clef].first() is not None for part in score.parts):
        return score
    score = copy.deepcopy(score)
    for part in score.parts:
        if part[clef.Clef].first() is None:
            # not clef.bestClef: it counts the chord symbols' pitches, which sit an octave or two low
            keys = [p.midi for n in part.recurse().notes if not isinstance(n, harmony.Harmony) for p in n.pitches]
            low = keys and sum(keys) / len(keys) < 55  # below G3 reads better in bass clef
            start = part.getElementsByClass(m21stream.Measure).first() or part
            start.insert(0, clef.BassClef() if low else clef.TrebleClef())
    return score


def stack(pages: list[str]) -> str:
    """Several page SVGs as one document, one page below the other."""
    body, y, width = [], 0.0, 0.0
    for page in pages:
        root = _ROOT.search(page)
        attrs = root.group(1)
        w, h = (float(re.search(rf'\b{name}="([\d.]+)px"', attrs).group(1)) for name in ("width", "height"))
        # the page keeps its own <svg> (id, viewBox, defs and the CSS that names that id), moved down
        body.append(f'<svg x="0" y="{y:g}"{attrs}>' + page[root.end():])
        y, width = y + h, max(width, w)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
            f'width="{width:g}px" height="{y:g}px">' + "".join(p.strip() for p in body) + "</svg>\n")
