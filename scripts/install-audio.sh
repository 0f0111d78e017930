#!/usr/bin/env bash
# Installs what the wav/ogg renderers need: the fluidsynth command-line synthesizer and a
# General MIDI SoundFont (Debian's packages; audio is rendered offline, never downloaded at
# run time). Idempotent; installing needs root (CI runs as root).
set -euo pipefail
SOUNDFONTS=(
    "${LITMASH_SOUNDFONT:-}"
    /usr/share/sounds/sf2/TimGM6mb.sf2
    /usr/share/sounds/sf2/FluidR3_GM.sf2
    /usr/share/sounds/sf2/default-GM.sf2
)
have_soundfont() {
    local sf
    for sf in "${SOUNDFONTS[@]}"; do
        if [ -n "$sf" ] && [ -f "$sf" ]; then
            return 0
        fi
    done
    return 1
}
if command -v fluidsynth >/dev/null 2>&1 && have_soundfont; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-audio: fluidsynth or a GM SoundFont is missing; run as root: apt-get install -y fluidsynth timgm6mb-soundfont" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# a fresh container has empty package lists: refresh them only when apt does not know the package
if ! apt-cache show timgm6mb-soundfont >/dev/null 2>&1 || ! apt-cache show fluidsynth >/dev/null 2>&1; then
    apt-get update -qq
fi
apt-get install -y -qq --no-install-recommends fluidsynth timgm6mb-soundfont >/dev/null
fluidsynth --version | head -n 1
