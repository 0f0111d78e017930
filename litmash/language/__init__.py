"""Words: the lexicon (CMUdict), tokens and numbers as sung, syllables and stress, rhyme, reading level."""
