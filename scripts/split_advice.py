#!/usr/bin/env python3
"""One-off migration (issue 14): moves instruction-type `suggestions` of the
lexicon files into the new `advice` field, so that `suggestions` only hold
replacements (text to paste in place of the match).

    python3 scripts/split_advice.py lexicons       # rewrites files in place

A suggestion becomes advice when it reads as an instruction (the same
heuristic as analyzers/replacement_text.cc), has a gap ("…") or a note for
the writer in parentheses ("(only if legally required)"), and so does
"X / Y (instead of Z)": which word fits depends on the word found, and one
rule may match several. The result was reviewed by hand (two lists of
alternatives for many words were moved to advice by hand); kept for
reference, it is idempotent.
"""
import pathlib
import re
import sys

EN_VERBS = {"add", "ask", "avoid", "consider", "delete", "describe", "drop",
            "explain", "list", "make", "mention", "name", "offer", "remove",
            "repeat", "replace", "say", "specify", "state", "type", "use",
            "write", "address", "limit"}
DE_INFINITIVES = {"anbieten", "angeben", "beschränken", "beschreiben",
                  "erfragen", "ergänzen", "fragen", "gestalten", "machen",
                  "nennen", "schreiben", "streichen", "weglassen"}
NOTE = re.compile(r"\((?:[^()]*\b(?:only if|only where|if that is|if required|"
                  r"address the reader|nur wenn|bei kirchlichen|church "
                  r"employers|wenn gesetzlich|sachlicher Grund)\b[^()]*)\)")
INSTEAD = re.compile(r"\s*\(instead of [^()]*\)")
LINE = re.compile(r'^(\s*)suggestions: "((?:[^"\\]|\\.)*)"\s*$')


def instruction(text):
    for clause in re.split(r"[:.;]", text):
        words = [w for w in re.split(r"[ ,]", clause) if w]
        if not words:
            continue
        if (len(words) >= 2 and words[1] == "Sie" and words[0] != "Sie"
                and "?" not in clause
                and words[0].endswith("en") and words[0][0].isupper()):
            return True
        if words[0].lower() == "stattdessen":
            return True
        if len(words) <= 12 and words[-1] in DE_INFINITIVES:
            return True
        if words[0].lower() in EN_VERBS:
            return True
    return False


def convert(indent, text):
    if (INSTEAD.search(text) or instruction(text) or "…" in text
            or "..." in text or NOTE.search(text)):
        return [f'{indent}advice: "{text}"']
    return [f'{indent}suggestions: "{text}"']


def main(root):
    for path in sorted(pathlib.Path(root).rglob("*.textproto")):
        lines = path.read_text(encoding="utf-8").split("\n")
        out = []
        for line in lines:
            m = LINE.match(line)
            out += convert(m.group(1), m.group(2)) if m else [line]
        new = "\n".join(out)
        if new != "\n".join(lines):
            path.write_text(new, encoding="utf-8")
            print("rewrote", path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "lexicons")
