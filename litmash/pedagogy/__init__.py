"""Lessons by code: designs and timing, standards, Bloom objectives, quizzes, rubrics and the checks on lesson text."""
