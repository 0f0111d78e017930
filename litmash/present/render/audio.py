"""Audio (WAV, OGG) rendered offline from the MIDI file by fluidsynth and a General MIDI SoundFont,
both Debian packages (``make audio`` installs them): real instrument sounds and no network.
The SoundFont can be any GM one (``LITMASH_SOUNDFONT``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from litmash.present.render.midi import midi_bytes
from litmash.present.render.registry import RenderError, register

if TYPE_CHECKING:
    from music21 import stream

SOUNDFONTS = (
    "/usr/share/sounds/sf2/TimGM6mb.sf2",     # timgm6mb-soundfont: 6 MB, a small GM set
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",   # fluid-soundfont-gm: 140 MB, fuller sound
    "/usr/share/sounds/sf2/default-GM.sf2",   # whichever GM SoundFont Debian's alternatives chose
)
HINT = ("audio needs fluidsynth and a General MIDI SoundFont: run 'make audio' "
        "(Debian: apt-get install fluidsynth timgm6mb-soundfont)")
SAMPLE_RATE = 32000  # plenty for classroom speakers, and a quarter less work than 44.1 kHz
GAIN = 0.7       # fluidsynth's default (0.2) is quiet; 0.7 leaves headroom for four parts at once
TIMEOUT = 60     # seconds: a song renders in about one
MAX_BYTES = 200_000_000  # about 19 minutes of WAV: a runaway render stops there, never filling the disk
FILE_TYPES = {"wav": "wav", "ogg": "oga"}  # our format name -> fluidsynth's -T name


def soundfont() -> Path | None:
    """The SoundFont to play with: ``LITMASH_SOUNDFONT`` if set, else the first Debian one present."""
    if chosen := os.environ.get("LITMASH_SOUNDFONT"):
        # an explicit choice that is missing is an error, not a reason to play another SoundFont
        return Path(chosen) if Path(chosen).is_file() else None
    return next((Path(p) for p in SOUNDFONTS if Path(p).is_file()), None)


def audio_available() -> str | None:
    """None when audio can be rendered here, else the one-line reason."""
    if shutil.which("fluidsynth") is None:
        return HINT
    if soundfont() is None:
        chosen = os.environ.get("LITMASH_SOUNDFONT")
        return f"LITMASH_SOUNDFONT={chosen} is not a file; {HINT}" if chosen else HINT
    return None


def from_midi(midi: bytes, kind: str) -> bytes:
    """A MIDI file played through fluidsynth as ``kind`` ('wav' or 'ogg'); safe to call from threads."""
    if kind not in FILE_TYPES:
        raise RenderError(f"audio: unknown kind {kind!r}; allowed: {', '.join(FILE_TYPES)}")
    if (reason := audio_available()) is not None:
        raise RenderError(reason)
    with tempfile.TemporaryDirectory(prefix="litmash-audio-") as tmp:
        mid, out = Path(tmp) / "in.mid", Path(tmp) / f"out.{kind}"
        mid.write_bytes(midi)
        # -n no MIDI input, -i no shell: render the file and exit; -F writes a file, not to a device
        cmd = ["fluidsynth", "-n", "-i", "-q", "-g", str(GAIN), "-r", str(SAMPLE_RATE),
               "-T", FILE_TYPES[kind], "-F", str(out), str(soundfont()), str(mid)]
        stderr, code = _run(cmd, out, kind)
        # fluidsynth exits 0 even when it cannot read the SoundFont (then it writes silence) or
        # cannot write the output: its stderr tells
        errors = [line for line in stderr.splitlines() if "error" in line.lower()]
        if code != 0 or errors or not out.is_file() or out.stat().st_size == 0:
            first = (errors or stderr.strip().splitlines() or [f"exit status {code}, no output"])[0]
            raise RenderError(f"{kind}: fluidsynth failed: {first.strip()}")
        return out.read_bytes()


def _run(cmd: list[str], out: Path, kind: str) -> tuple[str, int]:
    """Run fluidsynth within a time and an output-size limit; its stderr and exit status."""
    # A note that never ends makes fluidsynth render forever (fluidsynth#1257), tens of MB a second:
    # the output is watched and the run stopped. (RLIMIT_FSIZE cannot do it: libpulse, linked in,
    # sizes a 64 MB shared-memory file at start-up.) stderr goes to a file: a pipe nobody reads
    # could fill up and block fluidsynth.
    errors = out.with_name("stderr.txt")
    with errors.open("w") as err:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        except FileNotFoundError:  # removed since audio_available() looked
            raise RenderError(HINT) from None
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                proc.wait(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                if out.exists() and out.stat().st_size > MAX_BYTES:
                    problem = f"{kind}: fluidsynth went past {MAX_BYTES // 1_000_000} MB: a note in the MIDI never ends"
                elif time.monotonic() > deadline:
                    problem = f"{kind}: fluidsynth took more than {TIMEOUT} s"
                else:
                    continue
                proc.kill()
                proc.wait()
                raise RenderError(problem) from None
    return errors.read_text(errors="replace"), proc.returncode


@register("wav", extension="wav", media_type="audio/wav", score="arrangement")
def wav_bytes(score: stream.Score) -> bytes:
    """The score played as 16-bit stereo WAV at 32 kHz."""
    return from_midi(midi_bytes(score), "wav")


@register("ogg", extension="ogg", media_type="audio/ogg", score="arrangement")
def ogg_bytes(score: stream.Score) -> bytes:
    """The score played as Ogg Vorbis (about a tenth of the WAV's size)."""
    return from_midi(midi_bytes(score), "ogg")
