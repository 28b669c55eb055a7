"""PDF documents rendered with reportlab.

- ``fonts``: the embedded font family (DejaVu Sans from ``resources/fonts``; reportlab's Vera as fallback);
- ``layout``: the shared A4 frame (header, footer with "Side x af y", styles, ``build_pdf``);
- ``varslingsblanket``: the form for orientering, varsling, færdigmelding, afmelding, i bero, genoptaget.

Imports reportlab and the domain only (no Qt, database or services; see the import-linter contracts).
"""
