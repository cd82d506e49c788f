"""Scoring extraction output against the hand-checked labels in corpus/labels."""
