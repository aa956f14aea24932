#!/usr/bin/env python
"""Fill in Dutch translations in locale/nl/LC_MESSAGES/django.po.

  bin/translate.py --missing          list msgids that have no translation yet (or are fuzzy)
  bin/translate.py FILE.tsv           apply "English<TAB>Dutch" lines (one per entry)

Multi-line or plural entries: write \\n for a newline; for a plural, give the singular
msgid and "singular|plural" as the Dutch text. Runs under the same lock as `make messages`,
so parallel work on the catalogue does not overwrite itself.
"""

import fcntl
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
LOCK = ROOT / "locale" / ".lock"


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    with open(LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        catalogue = polib.pofile(str(CATALOGUE), wrapwidth=100)
        if argv[0] == "--missing":
            for entry in catalogue:
                if entry.obsolete:
                    continue
                missing = not entry.msgstr and not any(entry.msgstr_plural.values())
                if missing or "fuzzy" in entry.flags:
                    print(entry.msgid.replace("\n", "\\n"))
            return 0
        pairs = {}
        for line in Path(argv[0]).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            english, _tab, dutch = line.partition("\t")
            pairs[english.replace("\\n", "\n")] = dutch.replace("\\n", "\n")
        applied = 0
        for entry in catalogue:
            if entry.msgid in pairs:
                dutch = pairs.pop(entry.msgid)
                if entry.msgid_plural:
                    singular, _bar, plural = dutch.partition("|")
                    entry.msgstr_plural = {0: singular, 1: plural or singular}
                else:
                    entry.msgstr = dutch
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                    entry.previous_msgid = None
                    entry.previous_msgid_plural = None
                applied += 1
        catalogue.save()
        print(f"applied {applied}; not in the catalogue: {len(pairs)}")
        for english in pairs:
            print(f"  not found: {english!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
