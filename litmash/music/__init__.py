"""Music-theory computations (music21) and lyric checks."""
