"""Helpers for the site-wide quality checks: reproducible builds, links, valid HTML and
accessibility (``tests/test_reproducible.py``, ``test_links.py``, ``test_html_valid.py``,
``test_accessibility.py``).

The real site is built once per test session (once across all xdist workers) by
:mod:`quality.fixtures`; the npm tools (the Nu Html Checker and axe-core) and Java are
installed by :mod:`quality.tools` when missing.
"""
