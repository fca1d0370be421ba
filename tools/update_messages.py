"""Merge freshly extracted msgids into the Korean catalogue, keeping existing translations.

Run through `make messages`. New msgids arrive untranslated (empty msgstr) and show in English
until someone writes their Korean.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

sys.path.insert(0, str(Path(__file__).parent))
from ko_messages import EXTRA

PO = Path("frontend/locale/ko/LC_MESSAGES/messages.po")


def main(pot_path: str, seed: dict[str, str] | None = None) -> None:
    with open(pot_path, "rb") as pot:
        template = read_po(pot)
    existing: dict[str, str] = {}
    if PO.exists():
        with PO.open("rb") as po:
            existing = {m.id: m.string for m in read_po(po, locale="ko") if m.id and m.string}
    catalog = Catalog(locale="ko", project="techclub", charset="utf-8")
    known = {**(seed or {}), **EXTRA, **existing}
    for message in template:
        if message.id:
            catalog.add(message.id, known.get(str(message.id), ""))
    for msgid, text in EXTRA.items():
        if msgid not in catalog:
            catalog.add(msgid, text)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as po:
        write_po(po, catalog, width=0, omit_header=False, sort_output=True)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{PO}: {len(catalog)} messages, {len(missing)} without Korean")
    for msgid in missing:
        print(f"  untranslated: {msgid!r}")


if __name__ == "__main__":
    main(sys.argv[1])
