"""What people read, print and hear: Markdown and lesson exports, the genre card, music files."""
