"""Bisection of a confirmed regression across a pull request's commits (issue 29).

`search` is the pure halving logic, given a function that compares two commits; `commits`
lists the first-parent range; `local` measures a step with `perfbot run --local`'s pipeline.
"""
