#!/usr/bin/env python3
"""Every rule's `sources` must name a real, public source (issue 14).

Checks, over the files git tracks:
  1. No file under lexicons/, questionnaires/, proto/, docs/, tests/data/ or
     tests/corpus/ mentions the project's internal research notes or a path
     outside the repository (the names are in FORBIDDEN below): users do not
     have them. Comment lines ("#", "#!") in
     textproto files and corpus passages must not cite internal case ids
     such as "C24" or note sections such as "§3.2" either.
  2. Every `sources:` string in lexicons/**/*.textproto and
     questionnaires/**/*.textproto names either
       (a) a court ruling: a court + a date (DD.MM.YYYY, or the year where
           only the year is published) + a file number, or
       (b) a publication: a title with a year (19xx/20xx), or a statute
           (AGG §, SGB IX, GG Art., BGB §, BGleiG, LGG, BQFG, DSGVO/GDPR Art.,
           a named "…gesetz", an EU directive, …),
     and no internal case id such as "C24" or "(§3.2)" section reference.
Prints every offending file:line with the string; exit status 1 if any.

Usage: sources_test.py [REPO_ROOT]   (default: the parent of tests/)
"""

import os
import re
import subprocess
import sys

FORBIDDEN = re.compile(r"\bDOMAIN\b|PLATFORM\.md|PEERS\.md|STYLE\.md|\.\./shared")
MENTION_DIRS = ("lexicons/", "questionnaires/", "proto/", "docs/",
                "tests/data/", "tests/corpus/")
SOURCE_DIRS = ("lexicons/", "questionnaires/")

# Courts and decision-making bodies that appear in the data.
COURT = re.compile(
    r"\b(BAG|BVerfG|BGH|BVerwG|EuGH|CJEU|ECJ|EGMR|ECtHR|OLG|LAG|ArbG|"
    r"Hess\.\s*LAG|Hessisches\s+LAG|VG|OVG|"
    r"Bundesarbeitsgericht|Bundesverfassungsgericht|Landesarbeitsgericht|"
    r"Arbeitsgericht|Oberlandesgericht|Court of Justice)\b")
FULL_DATE = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?(19|20)\d\d\b")
YEAR = re.compile(r"\b(19|20)\d\d\b")
# German file numbers (Aktenzeichen) and CJEU case numbers, built from the data:
# 8 AZR 406/14, 1 ABR 47/08, 2 Sa 1/20, 5 SLa 81/24, 3 Sa 37 öD/21,
# 7 Ca 2291/21, 4 Ca 592 a/21, 17 U 99/10, 1 BvR 2019/16, 2 BvR 934/19,
# C-414/16.
FILE_NUMBER = re.compile(
    r"\b\d+\s+(AZR|ABR|AZB|Sa|SLa|TaBV|Ca|BV|U|W|BvR|BvL|BvF|C)\s+"
    r"\d+(\s*[a-z])?(\s+öD)?\s*/\s*\d{2}\b"
    r"|\bC-\d+/\d{2}\b")
STATUTE = re.compile(
    r"\b(AGG|SGB\s*IX|SGB\s*III|BGB|GG|BGleiG|LGG(\s+NRW)?|ThürGleichG|"
    r"GleichG|SBGG|Selbstbestimmungsgesetz|PStG|BQFG|Anerkennungsgesetz|"
    r"BDSG|DSGVO|GDPR|BetrVG|EntgTranspG|DeuFöV|BITV|Equality Act)\b"
    r"|\w*[Gg]esetz\b"
    r"|\b(Richtlinie|Directive)\s+\d{4}/\d+/E[GU]\b"
    r"|\b(RL|Directive)\s+\d{4}/\d+\b")
# Leftovers of the internal note: case ids (C04, C39–C41) and bare section
# references like "(§3.2)" or "§ 6.5" (the AGG has no decimal sections).
INTERNAL = re.compile(r"(?<![-\w])C\d{2}\b|§\s?\d+\.\d+")

SOURCES_LINE = re.compile(r'\bsources:\s*"((?:[^"\\]|\\.)*)"')


def tracked_files(root):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files"], check=True,
                             capture_output=True, text=True).stdout
        return [p for p in out.splitlines() if p]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d in MENTION_DIRS:
            for dirpath, _, names in os.walk(os.path.join(root, d)):
                for n in names:
                    files.append(os.path.relpath(os.path.join(dirpath, n), root))
        return files


def is_ruling(s):
    return bool(COURT.search(s) and FILE_NUMBER.search(s)
                and (FULL_DATE.search(s) or YEAR.search(s)))


def is_publication(s):
    if STATUTE.search(s):
        return True
    # A title with a year: some words besides the year and any URL.
    text = re.sub(r"https?://\S+", "", s)
    words = re.findall(r"[A-Za-zÄÖÜäöüß]{3,}", text)
    return bool(YEAR.search(text)) and len(words) >= 2


def split_sources(s):
    """Splits "A; B" into its sources (semicolons inside brackets stay)."""
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch == ";" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def check_one(s):
    if is_ruling(s) or is_publication(s):
        return None
    if COURT.search(s) or FILE_NUMBER.search(s):
        return "ruling without court, date and file number"
    return "neither a ruling (court, date, file number) nor a publication (title and year) or statute"


def check_source(s):
    """Returns the reason the string is not a source, or None. Several
    sources in one string ("A; B") must each pass."""
    if FORBIDDEN.search(s):
        return "names an internal note"
    if INTERNAL.search(s):
        return "internal case id or section reference"
    for part in split_sources(s):
        reason = check_one(part)
        if reason:
            return f"{reason} (in \"{part}\")" if part != s else reason
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    problems = []
    checked = 0
    for rel in sorted(tracked_files(root)):
        if not rel.startswith(MENTION_DIRS):
            continue
        path = os.path.join(root, rel)
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        check_sources = rel.startswith(SOURCE_DIRS) and rel.endswith(".textproto")
        check_comments = rel.endswith((".textproto", ".txt"))
        for no, line in enumerate(lines, 1):
            if FORBIDDEN.search(line):
                problems.append(f"{rel}:{no}: mentions an internal note: {line.strip()}")
                continue
            stripped = line.lstrip()
            if check_comments and stripped.startswith("#"):
                if INTERNAL.search(stripped):
                    problems.append(f"{rel}:{no}: comment cites an internal case id or section: {stripped}")
                continue
            if not check_sources:
                continue
            for m in SOURCES_LINE.finditer(line):
                checked += 1
                s = m.group(1)
                reason = check_source(s)
                if reason:
                    problems.append(f'{rel}:{no}: {reason}: "{s}"')
    for p in problems:
        print(p)
    print(f"sources_test: {checked} sources strings checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
