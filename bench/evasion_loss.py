#!/usr/bin/env python3
"""How many findings survive invisible and look-alike characters (issue 17).

Takes every word and phrase of the FINDING entries and every masculine job
title of the lexicons, scans each in a short neutral sentence, keeps those
that are found plainly, and scans them again with one evasion applied:

  soft-hyphen, zwsp, zwj, wj  U+00AD / U+200B / U+200D / U+2060 in the middle
                              of the longest word
  nbsp                        every space of a multi-word term as U+00A0
  line-break                  the first space of a multi-word term as "\\n"
                              (split into line-break-lower and
                              line-break-upper by the case of the next word)
  fullwidth                   every ASCII letter as its fullwidth form
  cyrillic                    a, c, e, o, p, x, y as their Cyrillic look-alikes
  age-range-nbsp              a few written-out age ranges with U+00A0

and prints, per evasion, how many of the plainly found are still found (the
same rule id). Runs any `divcheck` CLI, so two builds compare:

  python3 bench/evasion_loss.py build/clients/cli/divcheck lexicons
"""

import json
import os
import re
import subprocess
import sys
import tempfile

FRAME = {"de": "Hinweis zur Stelle: {} hier.", "en": "Note on the role: {} here."}
TITLE_FRAME = "{} gesucht"
AGE_RANGES = [
    ("de", "Sie sind zwischen 25 und 35 Jahren alt."),
    ("de", "Bewerber zwischen 20 und 30 Jahren sind willkommen."),
    ("de", "Ihr Alter liegt zwischen 25 und 40."),
    ("de", "Sie sind 25 bis 35 Jahre alt."),
    ("de", "Sie sind nicht älter als 40 Jahre."),
    ("de", "Jahrgang 1990 oder jünger."),
    ("en", "You are between 25 and 35 years old."),
    ("en", "Applicants aged 20 to 30 are welcome."),
    ("en", "You are no older than 40 years."),
]
CYRILLIC = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х",
            "y": "у"}


def parse_lexicons(root):
    """(language, rule id, term, is_title) for words, phrases and titles."""
    out = []
    for lang in ("de", "en"):
        d = os.path.join(root, lang)
        for name in sorted(os.listdir(d)):
            if not name.endswith(".textproto"):
                continue
            text = open(os.path.join(d, name), encoding="utf-8").read()
            if name == "job_titles.textproto":
                for m in re.finditer(r'^\s*masculine:\s*"([^"]+)"', text, re.M):
                    out.append((lang, f"{lang}.gender.title_masculine_only",
                                m.group(1), True))
                continue
            for block in re.split(r"^entries\s*{", text, flags=re.M)[1:]:
                if re.search(r"^\s*kind:", block, re.M) and not re.search(
                        r"^\s*kind:\s*ENTRY_KIND_FINDING", block, re.M):
                    continue
                rid = re.search(r'^\s*id:\s*"([^"]+)"', block, re.M)
                if not rid:
                    continue
                for m in re.finditer(r'^\s*(words|phrases):\s*"([^"]+)"',
                                     block, re.M):
                    term = m.group(2).replace("*", "").strip()
                    term = re.sub(r"\s+", " ", term)
                    if term:
                        out.append((lang, rid.group(1), term, False))
    return out


def middle_insert(term, ch):
    words = term.split(" ")
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    if len(w) < 4:
        return None
    words[i] = w[: len(w) // 2] + ch + w[len(w) // 2:]
    return " ".join(words)


def fullwidth(term):
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c
                   for c in term)


def cyrillic(term):
    out = "".join(CYRILLIC.get(c, c) for c in term)
    return out if out != term else None


def variants(term):
    v = {}
    for name, ch in (("soft-hyphen", "\u00ad"), ("zwsp", "\u200b"),
                     ("zwj", "\u200d"), ("wj", "\u2060")):
        v[name] = middle_insert(term, ch)
    if " " in term:
        v["nbsp"] = term.replace(" ", "\u00a0")
        first, rest = term.split(" ", 1)
        kind = "line-break-lower" if rest[:1].islower() else "line-break-upper"
        v[kind] = first + "\n" + rest
    v["fullwidth"] = fullwidth(term)
    v["cyrillic"] = cyrillic(term)
    return {k: x for k, x in v.items() if x is not None and x != term}


def scan(binary, lexicons, texts, lang):
    """Rule ids found in each text (None when the scan failed)."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for start in range(0, len(texts), 400):
            chunk = texts[start:start + 400]
            paths = []
            for i, t in enumerate(chunk):
                p = os.path.join(tmp, f"{start + i}.txt")
                with open(p, "w", encoding="utf-8") as f:
                    f.write(t)
                paths.append(p)
            r = subprocess.run(
                [binary, "scan", "--format=json", f"--lang={lang}",
                 f"--lexicons={lexicons}", "--fail-on=critical"] + paths,
                capture_output=True, text=True, check=False)
            lines = [ln for ln in r.stdout.splitlines() if ln.strip()]
            if len(lines) != len(chunk):
                sys.exit(f"expected {len(chunk)} reports, got {len(lines)}:"
                         f" {r.stderr[:500]}")
            for ln in lines:
                rep = json.loads(ln)
                results.append({f["ruleId"] for f in rep.get("findings", [])})
    return results


def main():
    binary, lexicons = sys.argv[1], sys.argv[2]
    terms = parse_lexicons(lexicons)
    totals = {}
    for lang in ("de", "en"):
        items = [t for t in terms if t[0] == lang]
        plain = [(TITLE_FRAME if title else FRAME[lang]).format(
            term[:1].upper() + term[1:] if title else term)
            for _, _, term, title in items]
        found = scan(binary, lexicons, plain, lang)
        jobs = []
        for (_, rid, term, title), ids in zip(items, found):
            if rid not in ids:
                continue
            shown = term[:1].upper() + term[1:] if title else term
            for kind, text in variants(shown).items():
                frame = TITLE_FRAME if title else FRAME[lang]
                jobs.append((kind, rid, frame.format(text)))
        results = scan(binary, lexicons, [j[2] for j in jobs], lang)
        for (kind, rid, _), ids in zip(jobs, results):
            t = totals.setdefault(kind, [0, 0])
            t[0] += 1
            t[1] += rid in ids
    # Age ranges: a finding of any age rule.
    for lang in ("de", "en"):
        texts = [t for l, t in AGE_RANGES if l == lang]
        base = scan(binary, lexicons, texts, lang)
        nb = scan(binary, lexicons, [t.replace(" ", "\u00a0") for t in texts],
                  lang)
        for b, n in zip(base, nb):
            if not any(r.startswith(f"{lang}.age.") for r in b):
                continue
            t = totals.setdefault("age-range-nbsp", [0, 0])
            t[0] += 1
            t[1] += any(r.startswith(f"{lang}.age.") for r in n)
    print(f"{'evasion':<18} {'found':>7} {'of':>6} {'lost':>7}")
    for kind in sorted(totals):
        n, ok = totals[kind]
        print(f"{kind:<18} {ok:>7} {n:>6} {100.0 * (n - ok) / n:>6.1f}%")


if __name__ == "__main__":
    main()
