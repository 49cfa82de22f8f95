"""Hangar's benchmark suite: each comparison runs Hangar and its reference side by side, in one run,
on the same files, and reports ratios."""
