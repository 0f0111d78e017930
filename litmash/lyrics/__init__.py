"""Lyrics by code and model: the song form, syllable targets and rhyme schemes come from the music
block; code checks every line the model writes (real words, syllables, rhyme, loops, copies)."""
