#!/usr/bin/env bash
# End-to-end tests of `divcheck audit` on catalogues (issue 18): CSV input
# (quoting, delimiters, missing columns), every document format in a
# directory, --files-from, the trend per month and share per category on a
# known set, --output as CSV, the HTML and JSON reports (parsed; escaping
# of a hostile id), and --resume after Ctrl-C and after a cut-off write.
# Usage: audit_catalogue_test.sh DIVCHECK LEXICONS EXAMPLES_DIR FORMATS_DIR
set -uo pipefail
DIVCHECK="$1"
LEX="$2"
EXAMPLES="$3"
FORMATS="$4"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
source "$(dirname "${BASH_SOURCE[0]}")/check_lib.sh"
A=("$DIVCHECK" audit --lexicons="$LEX")

# json FILE EXPR: prints the Python expression over the JSON in FILE (`s`).
json() { python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print($2)" "$1"; }
expect_eq() {  # expect_eq NAME GOT WANT
  if [ "$2" = "$3" ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $1: got '$2', want '$3'"; fi
}
# result FILE ID FIELD: the field of the result line with the id.
result() { python3 -c '
import json,sys
for l in open(sys.argv[1]):
  r = json.loads(l)
  if r["id"] == sys.argv[2]: print(r.get(sys.argv[3]))' "$@"; }

# --- CSV: quoted fields with the delimiter, line breaks and doubled quotes.
# Record 3's text runs over three lines with doubled quotes; "junges Team"
# follows a doubled quote, "Muttersprache" a line break. A1 critical, A2 clean, A3
# two critical, A4 a warning.
cat > "$TMP/ads.csv" <<'CSV'
id,text,date,category
A1,Verkäufer gesucht.,2026-01-10,Nord
"A2, Hamburg","Verkaufskraft (m/w/d) gesucht, ab sofort. Wir freuen uns auf Sie.",2026-01-20,Nord
A3,"Verkaufskraft (m/w/d) gesucht.
Motto: ""Kunde zuerst"", und wir sind ein junges Team,
Deutsch als Muttersprache ist Pflicht.",03.02.2026,Süd
A4,Wir suchen Berufseinsteiger (m/w/d) für den Vertrieb.,2026/02/28,Süd
A5,"Buchhaltung (m/w/d) gesucht.",sometime,
CSV
check "csv" 0 "${A[@]}" --summary=json --output="$TMP/csv.jsonl" "$TMP/ads.csv"
cp "$TMP/out" "$TMP/csv.json"
expect_eq "csv: five records, line breaks inside quotes kept" "$(json "$TMP/csv.json" 's["ads"]')" 5
expect_eq "csv: critical" "$(json "$TMP/csv.json" 's["withCritical"]')" 2
expect_eq "csv: warnings" "$(json "$TMP/csv.json" 's["withWarning"]')" 1
expect_eq "csv: clean" "$(json "$TMP/csv.json" 's["clean"]')" 2
expect_eq "csv: quoted id with a comma" "$(result "$TMP/csv.jsonl" "A2, Hamburg" score)" 100
expect_eq "csv: text after doubled quotes and a line break" \
  "$(result "$TMP/csv.jsonl" A3 rule_ids)" "None"
expect_eq "csv: rules of the multi-line record" \
  "$(result "$TMP/csv.jsonl" A3 ruleIds)" "['de.age.junges_team', 'de.origin.muttersprache']"
expect_eq "csv: category kept" "$(result "$TMP/csv.jsonl" A3 category)" "Süd"

# The trend per month and share per category of the known set: January
# A1 (critical) and A2 (clean); February A3 (critical; 15.03-style date)
# and A4 (warning; 2026/02/28); A5's date cannot be read.
expect_eq "months" "$(json "$TMP/csv.json" '[(m["key"], m["checked"], m["withCritical"], m["withWarning"], m["clean"]) for m in s["months"]]')" \
  "[('2026-01', 2, 1, 0, 1), ('2026-02', 2, 1, 1, 0)]"
expect_eq "month mean score" "$(json "$TMP/csv.json" '[m["meanScore"] for m in s["months"]]')" "[85, 64]"
expect_eq "undated" "$(json "$TMP/csv.json" 's["undated"]')" 1
expect_eq "categories" "$(json "$TMP/csv.json" '[(c["key"], c["checked"], c["withCritical"], c["withWarning"], c["clean"]) for c in s["categories"]]')" \
  "[('Nord', 2, 1, 0, 1), ('Süd', 2, 1, 1, 0), ('', 1, 0, 0, 1)]"
check "csv: text summary" 0 "${A[@]}" "$TMP/ads.csv"
expect_in "text: month row" "$TMP/out" "2026-02                        2    50.0 %    50.0 %     0.0 %   64.0"
expect_in "text: category row" "$TMP/out" "Nord                           2    50.0 %     0.0 %    50.0 %   85.0"
expect_in "text: undated" "$TMP/out" "(1 checked ads without a date that could be read)"

# Semicolons (spreadsheets in German locales), other column names, a BOM.
printf '\xef\xbb\xbfNr;Anzeige;Datum\r\n7;"Verkäufer; Vollzeit";2026-03-01\r\n' > "$TMP/semi.csv"
check "csv: ; and --csv-*" 0 "${A[@]}" --summary=json --csv-id=nr --csv-text=ANZEIGE \
  --csv-date=Datum "$TMP/semi.csv"
expect_eq "csv ;: one critical ad" "$(json "$TMP/out" 's["withCritical"]')" 1
expect_eq "csv ;: its month" "$(json "$TMP/out" 's["months"][0]["key"]')" "2026-03"
# A missing column: a clear error naming it and the header's columns.
check "csv: missing text column" 2 "${A[@]}" "$TMP/semi.csv"
expect_in "missing column named" "$TMP/err" 'semi.csv: no column "id" (the header has "Nr", "Anzeige", "Datum"); name the column with --csv-id=NAME'
check "csv: a named optional column missing" 2 "${A[@]}" --csv-id=nr --csv-text=anzeige \
  --csv-category=filiale "$TMP/semi.csv"
expect_in "missing --csv-category named" "$TMP/err" 'no column "filiale"'
printf 'id,text\nB1,"not closed\n' > "$TMP/open.csv"
check "csv: unclosed quote" 2 "${A[@]}" "$TMP/open.csv"
expect_in "unclosed quote" "$TMP/err" "open.csv: record 2 is not valid CSV"
printf 'id,text\nB1,Verkäufer "gesucht"\n' > "$TMP/stray.csv"
check "csv: stray quote" 2 "${A[@]}" "$TMP/stray.csv"
expect_in "stray quote" "$TMP/err" "stray.csv: record 2 is not valid CSV"
printf 'id,text,lang\nB1,Verkäufer\nB2,Verkaufskraft (m/w/d),de\n' > "$TMP/short.csv"
check "csv: short record" 2 "${A[@]}" --summary=json "$TMP/short.csv"
expect_in "short record named" "$TMP/err" "B1: record 2 has 2 fields; the columns read need 3"
expect_eq "short record: the others audited" "$(json "$TMP/out" 's["checked"]')" 1

# JSON lines carry date and category too.
printf '%s\n' '{"id":"J1","text":"Verkäufer gesucht.","date":"2026-04-02","category":"Ost"}' > "$TMP/dated.jsonl"
check "jsonl date/category" 0 "${A[@]}" --summary=json "$TMP/dated.jsonl"
expect_eq "jsonl month" "$(json "$TMP/out" '(s["months"][0]["key"], s["categories"][0]["key"])')" "('2026-04', 'Ost')"

# --- A directory takes every document format; --files-from.
mkdir -p "$TMP/dir/sub" "$TMP/dir/.hidden"
python3 - "$TMP/dir" <<'PY'
import sys, zipfile
d = sys.argv[1]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
with zipfile.ZipFile(f"{d}/sub/ad.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types '
               'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
               f'<w:document {W}><w:body><w:p><w:r><w:t>Verkäufer gesucht</w:t>'
               f'</w:r></w:p></w:body></w:document>')
with zipfile.ZipFile(f"{d}/ad.odt", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("mimetype", "application/vnd.oasis.opendocument.text",
               compress_type=zipfile.ZIP_STORED)
    z.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:'
               'opendocument:xmlns:text:1.0"><office:body><office:text>'
               '<text:p>Verkäufer gesucht</text:p></office:text></office:body>'
               '</office:document-content>')
t = "Verkäufer gesucht\n"
open(f"{d}/ad-1252.txt", "wb").write(t.encode("cp1252"))
open(f"{d}/sub/ad-utf16.TXT", "wb").write(b"\xff\xfe" + t.encode("utf-16-le"))
open(f"{d}/ad.html", "w").write("<html><head><script>var Verkaeuferin;</script>"
                                "</head><body><p>Verk&auml;ufer gesucht</p></body></html>")
open(f"{d}/notes.md", "w").write("not an ad")
open(f"{d}/~$ad.docx", "wb").write(b"\x05owner")   # Word's lock file
open(f"{d}/.hidden/ad.txt", "w").write("Verkäufer gesucht")
PY
python3 "$FORMATS/make_pdf.py" 'Verkäufer gesucht' > "$TMP/dir/sub/ad.pdf"
check "directory of documents" 0 "${A[@]}" --summary=json --output="$TMP/dir.jsonl" "$TMP/dir"
expect_eq "directory: each format read, others left out" \
  "$(python3 -c 'import json,sys; print(sorted(json.loads(l)["id"] for l in open(sys.argv[1])))' "$TMP/dir.jsonl")" \
  "['ad-1252.txt', 'ad.html', 'ad.odt', 'sub/ad-utf16.TXT', 'sub/ad.docx', 'sub/ad.pdf']"
expect_eq "directory: every one critical" "$(json "$TMP/out" 's["withCritical"]')" 6
printf '%s\n' "$TMP/dir/ad.odt" "$TMP/dir/sub/ad.pdf" > "$TMP/list.txt"
check "files-from" 0 "${A[@]}" --summary=json --files-from="$TMP/list.txt"
expect_eq "files-from: both" "$(json "$TMP/out" 's["withCritical"]')" 2

# --- CSV output: a header and one record per ad, counts per dimension.
check "csv output" 0 "${A[@]}" --output="$TMP/res.csv" "$TMP/ads.csv"
expect_in "csv output header" "$TMP/res.csv" "id,score,grade,coverage,language,critical,warnings,hints,AGE,GENDER,ETHNIC_ORIGIN,"
expect_in "csv output record" "$TMP/res.csv" '"A3",40,"D","CHECKED","de",2,0,0,1,0,1,0,0,0,0,"de.age.junges_team de.origin.muttersprache","03.02.2026","Süd",""'
expect_in "csv output quoting" "$TMP/res.csv" '"A2, Hamburg",100,'
expect_eq "csv output parses" "$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1])))))' "$TMP/res.csv")" 5
check "bad --output-format" 2 "${A[@]}" --output-format=xml "$TMP/ads.csv"
check "bad --report" 2 "${A[@]}" --report="$TMP/r.pdf" "$TMP/ads.csv"

# --- Reports: HTML and JSON, with a hostile id, category and phrase.
python3 - > "$TMP/hostile.jsonl" <<'PY'
import json
print(json.dumps({"id": "<script>alert('id')</script>", "text": "Verkäufer gesucht. <b>Junges Team</b>!",
                  "date": "2026-05-01", "category": "<img src=x onerror=alert(1)>"}))
print(json.dumps({"id": "R&D \"2\"", "text": "Verkaufskraft (m/w/d) gesucht.", "date": "2026-06-01",
                  "category": "Süd"}))
PY
check "reports" 0 "${A[@]}" --report="$TMP/r.html,$TMP/r.json" "$TMP/ads.csv" "$TMP/hostile.jsonl"
python3 - "$TMP/r.html" > "$TMP/html-check" 2>&1 <<'PY'
import re, sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser
page = open(sys.argv[1], encoding="utf-8").read()
VOID = {"meta", "br", "img", "hr", "input", "link"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.text, self.tags = [], [], [], []
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") or name.startswith("on"):
                self.problems.append(f"attribute {name} on <{tag}>")
        if tag not in VOID: self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:]}")
        else: self.stack.pop()
    def handle_data(self, data): self.text.append(data)
c = Check(); c.feed(page); c.close()
if c.stack: c.problems.append(f"not closed: {c.stack}")
for bad in ("script", "link", "iframe", "img", "object"):
    if bad in c.tags: c.problems.append(f"<{bad}> in the page")
if re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", page):
    c.problems.append("an external resource")
for svg in re.findall(r"<svg.*?</svg>", page, re.S):
    ET.fromstring(svg)  # each chart is well-formed SVG
text = " ".join(c.text)
print("problems:", c.problems)
print("svgs:", len(re.findall(r"<svg", page)))
print("hostile id as text:", "<script>alert('id')</script> — score 40" in text)
print("hostile category as text:", "<img src=x onerror=alert(1)>" in text)
print("amp id:", 'R&D "2"' in text)
print("phrase:", "„Verkäufer“" in text)
print("print css:", "@media print" in page)
for needle in ("7 ads", "42.9", "2026-05", "Per category", "de.origin.muttersprache"):
    print(needle, needle in text)
PY
expect_in "html: well-formed, self-contained" "$TMP/html-check" "problems: []"
expect_in "html: three charts" "$TMP/html-check" "svgs: 3"
expect_in "html: hostile id escaped, shown as text" "$TMP/html-check" "hostile id as text: True"
expect_in "html: hostile category escaped" "$TMP/html-check" "hostile category as text: True"
expect_in "html: & and quotes" "$TMP/html-check" "amp id: True"
expect_in "html: worst ads with their findings" "$TMP/html-check" "phrase: True"
expect_in "html: print stylesheet" "$TMP/html-check" "print css: True"
expect_in "html: ads" "$TMP/html-check" "7 ads True"
expect_in "html: critical share 3 of 7" "$TMP/html-check" "42.9 True"
expect_in "html: month" "$TMP/html-check" "2026-05 True"
expect_in "html: categories" "$TMP/html-check" "Per category True"
expect_in "html: top rules" "$TMP/html-check" "de.origin.muttersprache True"
expect_eq "json report: figures" "$(json "$TMP/r.json" '(s["ads"], s["withCritical"], len(s["months"]), len(s["categories"]))')" "(7, 3, 4, 4)"
expect_eq "json report: worst with findings" "$(json "$TMP/r.json" '(s["worst"][0]["id"], [f["ruleId"] for f in s["worst"][0]["findings"]])')" "('A3', ['de.age.junges_team', 'de.origin.muttersprache'])"
expect_eq "json report: hostile id kept as data" "$(json "$TMP/r.json" '[w["id"] for w in s["worst"] if w["id"].startswith("<")]')" "[\"<script>alert('id')</script>\"]"

# --- --resume: Ctrl-C a running audit, resume it, get the figures of an
# uninterrupted run. Ctrl-C comes once the first results are written. A fast
# machine can finish N ads before the signal lands, so N grows until an
# audit is interrupted with ads left (at most 96,000 ads).
make_many() {  # make_many N: N ads as JSON lines in $TMP/many.jsonl
  python3 - "$EXAMPLES" "$1" > "$TMP/many.jsonl" <<'PY'
import glob, json, sys
ex = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(sys.argv[1] + "/*.txt"))]
for i in range(int(sys.argv[2])):
    print(json.dumps({"id": f"ad-{i}", "text": ex[i % len(ex)],
                      "date": f"2025-{i % 12 + 1:02d}-01", "category": f"c{i % 3}"}))
PY
}
# interrupt_audit OUT: runs the audit of many.jsonl on one worker into OUT,
# sends Ctrl-C once results are written; its exit status is in $status.
interrupt_audit() {
  rm -f "$1"
  "${A[@]}" --jobs=1 --summary=json --output="$1" "$TMP/many.jsonl" > "$TMP/part.json" 2> /dev/null &
  local pid=$!
  for _ in $(seq 3000); do  # until results are written (at most 60 s)
    [ -s "$1" ] && [ "$(wc -l < "$1")" -gt 2 ] && break
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.02
  done
  kill -INT "$pid" 2> /dev/null
  wait "$pid"
  status=$?
}
summary_keys='(s["ads"], s["checked"], s["withCritical"], s["withWarning"], s["clean"], s["scoreHistogram"], s["topRules"], s["months"], s["categories"], sorted(s["adsByDimension"].items()), [w["id"] for w in s["worst"]])'
many=3000
make_many "$many"
for fmt in jsonl csv; do
  out="$TMP/resume.$fmt"
  interrupt_audit "$out"
  partial="$(json "$TMP/part.json" 's["ads"]')"
  while { [ "$status" -ne 130 ] || [ "$partial" -ge "$many" ]; } && [ "$many" -lt 96000 ]; do
    many=$((many * 2))
    echo "audit of $((many / 2)) ads finished before Ctrl-C; again with $many"
    make_many "$many"
    interrupt_audit "$out"
    partial="$(json "$TMP/part.json" 's["ads"]')"
  done
  expect_eq "$fmt: Ctrl-C exit status" "$status" 130
  expect_eq "$fmt: stopped early" "$(( partial > 0 && partial < many ))" 1
  expect_eq "$fmt: partial summary says so" "$(json "$TMP/part.json" 's["interrupted"]')" True
  "${A[@]}" --jobs=2 --summary=json "$TMP/many.jsonl" > "$TMP/full.json"
  # A write cut off by a crash: half a line at the end is dropped.
  if [ $fmt = csv ]; then printf '"ad-29",7' >> "$out"; else printf '{"id":"ad-29' >> "$out"; fi
  check "$fmt: resume" 0 "${A[@]}" --jobs=2 --summary=json --resume --output="$out" "$TMP/many.jsonl"
  expect_eq "$fmt: resumed ads" "$(json "$TMP/out" 's["resumed"]')" "$partial"
  expect_eq "$fmt: same figures as one run" "$(json "$TMP/out" "$summary_keys")" "$(json "$TMP/full.json" "$summary_keys")"
  expect_eq "$fmt: every ad once in the output" \
    "$(python3 -c 'import csv,json,sys
p = sys.argv[1]
ids = [r["id"] for r in csv.DictReader(open(p))] if p.endswith(".csv") else [json.loads(l)["id"] for l in open(p)]
print(len(ids), len(set(ids)))' "$out")" "$many $many"
  check "$fmt: resume, text summary" 0 "${A[@]}" --resume --output="$out" "$TMP/many.jsonl"
  expect_in "$fmt: text says resumed" "$TMP/out" "($many of them from the earlier run in --output, --resume)"
  # Resuming a finished audit scans nothing.
  check "$fmt: resume when done" 0 "${A[@]}" --summary=json --resume --output="$out" "$TMP/many.jsonl"
  expect_eq "$fmt: nothing left" "$(json "$TMP/out" '(s["resumed"], s["ads"])')" "($many, $many)"
done
printf 'garbage\n' > "$TMP/not-results.jsonl"
check "resume from a file that is no audit output" 2 "${A[@]}" --resume --output="$TMP/not-results.jsonl" "$TMP/ads.csv"
expect_in "resume: bad file named" "$TMP/err" "cannot resume from $TMP/not-results.jsonl: line 1 is not a result of divcheck audit"
check "resume needs --output" 2 "${A[@]}" --resume "$TMP/ads.csv"

echo "audit_catalogue_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
