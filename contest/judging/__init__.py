"""Judging: the jury stages, score sheets and results of the contest."""
