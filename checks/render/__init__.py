"""Renderers: a :class:`~checks.model.Report` in, a string out, with no I/O.

- :mod:`checks.render.markdown`: the check run summary and title on GitHub (65,535-byte cap).
- :mod:`checks.render.text`: the terminal, compiler-style ``path:line: ITEM-ID message`` lines.
- :mod:`checks.render.jsonreport`: a stable, documented JSON schema for other programs.
- :mod:`checks.render.sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Every renderer is deterministic: the same report always gives the same bytes (no timestamps,
no durations, no set iteration order).
"""
