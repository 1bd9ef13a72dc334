"""Write CITATION.cff from the data: how to cite the site, and the reports it publishes.

    python scripts/write_citation.py          # rewrite CITATION.cff
    python scripts/write_citation.py --check  # exit 1 if CITATION.cff is not what the data gives

The references (one per edition: title, publisher, year) come from data/editions/*/edition.yaml,
so the file cannot drift from what the site publishes; tests/test_reader.py runs --check.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from macros.editions import load_all  # noqa: E402

HEADER = "# Written by scripts/write_citation.py from data/editions/: edit the data, then run it.\n"


def citation() -> str:
    references = []
    for e in load_all(ROOT):
        ref = {
            "type": "report",
            "title": e.meta.title,
            "authors": [{"name": e.meta.publisher + (f" ({e.meta.publisher_en})" if e.meta.publisher_en else "")}],
        }
        if e.meta.released:
            ref["year"] = e.meta.released.year
            ref["date-released"] = e.meta.released.isoformat()
        else:
            ref["year"] = int(e.id)
        references.append(ref)
    doc = {
        "cff-version": "1.2.0",
        "message": (
            "引用本站的数据或页面时，请按以下信息注明出处，并写明每个数值的数据性质（公布、推算）。"
            " If you use the site's data or pages, please cite it as below, with each value's basis."
        ),
        "title": "数字城市观察 · Digital City Observatory",
        "type": "dataset",
        "authors": [{"name": "数字城市观察的贡献者 (Digital City Observatory contributors)"}],
        "abstract": (
            "An open site publishing CCID Consulting's yearly study of Chinese digital cities: every"
            " edition's published ranks, stages and findings, each value with its basis and source."
        ),
        "keywords": ["digital city", "China", "CCID", "数字城市", "数字百强市", "open data"],
        "references": references,
    }
    return HEADER + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def main(argv: list[str]) -> int:
    text = citation()
    target = ROOT / "CITATION.cff"
    if "--check" in argv:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            print("CITATION.cff 与数据不一致：请运行 python scripts/write_citation.py", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
