"""Audio (WAV, OGG) rendered offline from the MIDI file by fluidsynth and a General MIDI SoundFont,
both Debian packages (``make audio`` installs them): real instrument sounds, no network, and the
same player teachers know from MuseScore. The SoundFont can be any GM one (``LITMASH_SOUNDFONT``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import RenderError, register
from .midi import midi_bytes

SOUNDFONTS = (
    "/usr/share/sounds/sf2/TimGM6mb.sf2",     # timgm6mb-soundfont: 6 MB, a small GM set
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",   # fluid-soundfont-gm: 140 MB, fuller sound
    "/usr/share/sounds/sf2/default-GM.sf2",   # whichever GM SoundFont Debian's alternatives chose
)
HINT = ("audio needs fluidsynth and a General MIDI SoundFont: run 'make audio' "
        "(Debian: apt-get install fluidsynth timgm6mb-soundfont)")
SAMPLE_RATE = 32000  # plenty for classroom speakers; a third less work than 48 kHz
TIMEOUT = 60          # seconds: a song renders in about one
MAX_BYTES = 200_000_000  # a runaway render stops here, never filling the disk


def soundfont() -> Path | None:
    """The SoundFont to play with: ``LITMASH_SOUNDFONT`` if set, else the first Debian one present."""
    if (chosen := os.environ.get("LITMASH_SOUNDFONT")):
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


def _limit_file_size() -> None:
    """In the child: the kernel stops fluidsynth before a runaway render fills the disk."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_BYTES, MAX_BYTES))


def from_midi(midi: bytes, kind: str) -> bytes:
    """A MIDI file played through fluidsynth as ``kind`` ('wav' or 'ogg'); safe to call from threads."""
    if (reason := audio_available()) is not None:
        raise RenderError(reason)
    with tempfile.TemporaryDirectory(prefix="litmash-audio-") as tmp:
        mid, out = Path(tmp) / "in.mid", Path(tmp) / f"out.{kind}"
        mid.write_bytes(midi)
        # -n no MIDI input, -i no shell: render the file and exit; -F writes to a file, not a device
        cmd = ["fluidsynth", "-n", "-i", "-q", "-g", "0.6", "-r", str(SAMPLE_RATE), "-T", "oga" if kind == "ogg" else "wav",
               "-F", str(out), str(soundfont()), str(mid)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False,
                                  preexec_fn=_limit_file_size)
        except subprocess.TimeoutExpired:
            raise RenderError(f"{kind}: fluidsynth took more than {TIMEOUT} s") from None
        # fluidsynth exits 0 and writes silence when the SoundFont is unreadable: its stderr tells
        errors = [line for line in (done.stderr or "").splitlines() if "error" in line.lower()]
        if done.returncode != 0 or errors or not out.is_file() or out.stat().st_size in (0, MAX_BYTES):
            first = errors[:1] or (done.stderr or done.stdout or "no output").strip().splitlines()[:1]
            raise RenderError(f"{kind}: fluidsynth failed: {first[0] if first else 'no output'}")
        return out.read_bytes()


@register("wav", extension="wav", media_type="audio/wav", score="arrangement")
def wav_bytes(score) -> bytes:
    """The score played as 16-bit stereo WAV at 32 kHz."""
    return from_midi(midi_bytes(score), "wav")


@register("ogg", extension="ogg", media_type="audio/ogg", score="arrangement")
def ogg_bytes(score) -> bytes:
    """The score played as Ogg Vorbis (about a tenth of the WAV's size: what the notebooks embed)."""
    return from_midi(midi_bytes(score), "ogg")
