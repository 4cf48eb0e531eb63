"""Level 0, input/output helpers shared by every stage (no configuration, no domain logic).

``files``: package data, the user cache, output folders, sha256 and atomic writes;
``spreadsheet``: formula-safe CSV/XLSX tables; ``number_format``: numbers as leaders read them
(decimal comma for Bahasa Indonesia).
"""
