"""Real files for the fidelity benchmark: LaTeX package manuals (booktabs, float, psfrag) from Debian's
`texlive-latex-recommended-doc` (installed by `make bench`), with their tables
transcribed by hand from the rendered pages. Every other page of these files holds no table, so a
table found there costs precision. The files are read where Debian installs them; a machine
without the package skips this part of the benchmark.
"""

from __future__ import annotations

from pathlib import Path

DOCS = Path("/usr/share/doc/texlive-doc/latex")
_BOOKTABS = [
    ["Animal", "Description", "Price ($)"],
    ["Gnat", "per gram", "13.65"],
    ["", "each", "0.01"],
    ["Gnu", "stuffed", "92.50"],
    ["Emu", "stuffed", "33.33"],
    ["Armadillo", "frozen", "8.99"],
]
_PASCAL = [
    ["n", *[f"n {k}" for k in range(8)]],
    *[
        [str(n), *[str(v) for v in _row]]
        for n, _row in enumerate(
            [
                [1],
                [1, 1],
                [1, 2, 1],
                [1, 3, 3, 1],
                [1, 4, 6, 4, 1],
                [1, 5, 10, 10, 5, 1],
                [1, 6, 15, 20, 15, 6, 1],
                [1, 7, 21, 35, 35, 21, 7, 1],
            ]
        )
    ],
]

#: file -> [(page, rows)], every table of the file.
TABLES: dict[str, list[tuple[int, list[list[str]]]]] = {
    "booktabs/booktabs.pdf": [
        (
            2,
            [
                ["gnats", "gram", "$13.65"],
                ["", "each", ".01"],
                ["gnu", "stuffed", "92.50"],
                ["emu", "", "33.33"],
                ["armadillo", "frozen", "8.99"],
            ],
        ),
        (2, _BOOKTABS),
        (2, _BOOKTABS),
    ],
    "psfrag/pfgguide.pdf": [
        (
            2,
            [
                ["Name", "IP address", "Location"],
                ["ftp.dante.de", "129.206.100.192", "Germany"],
                ["ftp.tex.ac.uk", "128.232.1.87", "England"],
                ["ftp.cdrom.com", "165.113.58.253", "USA"],
            ],
        ),
        (
            2,
            [
                ["Driver", "Tested by", "Compatibility"],
                ["Thomas Rokicki's dvips", "the authors", "fully compatible"],
                ["Y&Y's DVIPSONE", "the authors", "fully compatible"],
            ],
        ),
    ],
    "float/float.pdf": [
        (4, _PASCAL),
        (
            4,
            [
                ["t", "Top of the page"],
                ["b", "Bottom of the page"],
                ["p", "Page of floats"],
                ["h", "Here, if possible"],
                ["H", "Here, definitely"],
            ],
        ),
        (
            11,
            [
                ["\\@fs@pre", "top of the float"],
                ["\\@fs@mid", "between float and caption"],
                ["\\@fs@post", "bottom of the float"],
                ["\\@fs@capt", "formatting routine for caption"],
                ["\\@fs@cfont", "font for caption name & number"],
            ],
        ),
    ],
}


def real_files() -> list[tuple[Path, list[list[list[str]]]]]:
    """(path, true tables) for each file that is installed."""
    return [(DOCS / name, [rows for _, rows in tables]) for name, tables in TABLES.items() if (DOCS / name).exists()]
