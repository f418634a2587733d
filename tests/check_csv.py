"""Reads an exported history CSV the way a spreadsheet user's script would:
with Python's csv module. Fails loudly if the file is not what we promise."""

import csv
import re
import sys

HEADER = ["date", "time", "event", "package", "sessions", "balance", "amount", "currency", "note", "id"]


def main(path: str) -> int:
    with open(path, "rb") as f:
        raw = f.read()
    assert raw.startswith(b"\xef\xbb\xbf"), "missing UTF-8 byte-order mark (Excel needs it)"
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER, rows[0]
    for row in rows[1:]:
        assert len(row) == len(HEADER), row
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[0]), row
        assert row[1] == "" or re.fullmatch(r"\d{2}:\d{2}", row[1]), row
        assert row[4] == "" or re.fullmatch(r"[+-]\d+", row[4]), row
        assert row[5] == "" or re.fullmatch(r"-?\d+", row[5]), row
        assert row[6] == "" or re.fullmatch(r"-?\d+(\.\d+)?", row[6]), row
        for cell in (row[2], row[3], row[8]):
            assert not cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"), row
        # Ledger entries, payments, pauses and extensions by their own ids;
        # booking changes by the booking's id and their place; plans and
        # follow-ups by their place in the file.
        assert re.fullmatch(r"(le|pa|pp|px)_[0-9a-f]{32}|se_[0-9a-f]{32}\.\d+|(plan|follow)_\d+", row[9]), row
    print(f"{path}: {len(rows) - 1} rows parse with Python's csv module")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
