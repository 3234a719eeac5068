#!/usr/bin/env bash
# `divcheck scan` on the files people have (issue 18): .docx, .odt, PDF,
# HTML, Windows-1252 and UTF-16 text are read by content, not by name, and
# "Verkäufer gesucht" is found in each (before, a .docx got "text is not
# valid UTF-8"); files that are no documents get an error naming what they
# look like. The documents are written here (Python's zipfile, a PDF by
# tests/formats/make_pdf.py).
# Usage: document_cli_test.sh PATH_TO_DIVCHECK FIXTURE_LEXICONS FORMATS_DIR
set -uo pipefail
DIVCHECK="$1"
LEX="$2"
FORMATS="$3"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
source "$(dirname "$0")/check_lib.sh"

python3 - "$TMP" <<'PY'
import sys, zipfile
tmp = sys.argv[1]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
with zipfile.ZipFile(f"{tmp}/ad.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types '
               'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
               f'<w:document {W}><w:body><w:p><w:r><w:t>Verkäufer gesucht</w:t>'
               f'</w:r></w:p><w:p><w:r><w:t>Wir sind ein Team.</w:t></w:r></w:p>'
               f'</w:body></w:document>')
with zipfile.ZipFile(f"{tmp}/ad.odt", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("mimetype", "application/vnd.oasis.opendocument.text",
               compress_type=zipfile.ZIP_STORED)
    z.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:'
               'opendocument:xmlns:text:1.0"><office:body><office:text>'
               '<text:p>Verkäufer gesucht</text:p></office:text></office:body>'
               '</office:document-content>')
text = "Verkäufer gesucht\nWir sind ein Team.\n"
open(f"{tmp}/ad-1252.txt", "wb").write(text.encode("cp1252"))
open(f"{tmp}/ad-utf16.txt", "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
open(f"{tmp}/ad.html", "w", encoding="utf-8").write(
    "<!doctype html><html><head><script>var x = 1;</script></head><body>"
    "<h1>Verk&auml;ufer gesucht</h1><p>Wir sind ein Team.</p></body></html>")
# A document under a misleading name: found by its content.
open(f"{tmp}/ad-docx.bin", "wb").write(open(f"{tmp}/ad.docx", "rb").read())
open(f"{tmp}/picture.txt", "wb").write(
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0")
PY
python3 "$FORMATS/make_pdf.py" $'Verkäufer gesucht\nWir sind ein Team.' > "$TMP/ad.pdf"
head -c 300 "$TMP/ad.docx" > "$TMP/truncated.docx"

S=("$DIVCHECK" scan --lexicons="$LEX" --color=never)
for f in ad.docx ad.odt ad.pdf ad.html ad-1252.txt ad-utf16.txt ad-docx.bin; do
  check "$f" 1 "${S[@]}" "$TMP/$f"
  expect_in "$f: finding" "$TMP/out" "$f:1:1: critical:"
  expect_in "$f: rule" "$TMP/out" "[de.gender.title_masculine_only]"
  if grep -q "not valid UTF-8" "$TMP/err"; then
    failed=$((failed + 1)); echo "FAIL: $f: read as UTF-8 text"
  fi
done
# Offsets are into the extracted text: the finding in JSON spans
# "Verkäufer" from byte 0, in the .docx as in the text file.
check "docx json" 1 "${S[@]}" --format=json "$TMP/ad.docx"
if python3 - "$TMP/out" <<'PY'
import json, sys
report = json.loads(open(sys.argv[1], encoding="utf-8").read())
span = report["findings"][0]["span"]
assert span["startByte"] == 0 and span["endByte"] == 10, span
PY
then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: docx json offsets"; fi

# HTML: each finding names its element (a CSS selector), in JSON (with
# and without --include-text; protobuf writes ">" as \u003e) and in the
# text output; other formats name none.
check "html element text" 1 "${S[@]}" "$TMP/ad.html"
expect_in "html element line" "$TMP/out" "    element: html > body > h1"
check "html element json" 1 "${S[@]}" --format=json "$TMP/ad.html"
expect_in "html elementPath" "$TMP/out" '"elementPath":"html \u003e body \u003e h1"'
check "html element include-text" 1 "${S[@]}" --format=json --include-text "$TMP/ad.html"
expect_in "html elementPath with text" "$TMP/out" '"elementPath":"html \u003e body \u003e h1"'
check "docx no element" 1 "${S[@]}" --format=json "$TMP/ad.docx"
if grep -q '"elementPath":"[^"]' "$TMP/out"; then
  failed=$((failed + 1)); echo "FAIL: docx has an elementPath"
else passed=$((passed + 1)); fi

check "png" 2 "${S[@]}" "$TMP/picture.txt"
expect_in "png message" "$TMP/err" "picture.txt: this looks like a PNG image, not a document divcheck reads (text, HTML, .docx, .odt, PDF)"
check "truncated docx" 2 "${S[@]}" "$TMP/truncated.docx" "$TMP/ad.odt"
expect_in "truncated message" "$TMP/err" "truncated.docx: this looks like a zip archive (.docx/.odt), but it is damaged or truncated"
expect_in "other file still scanned" "$TMP/out" "ad.odt:1:1: critical:"
check "encrypted pdf" 2 "${S[@]}" "$FORMATS/encrypted.pdf"
expect_in "encrypted message" "$TMP/err" "encrypted.pdf: this PDF is encrypted with a password"
check "stdin docx" 1 "${S[@]}" - < "$TMP/ad.docx"
expect_in "stdin docx finding" "$TMP/out" "<stdin>:1:1: critical:"

# divcheck extract: the text the offsets point into, and what was found.
check "extract docx" 0 "$DIVCHECK" extract "$TMP/ad.docx"
if [ "$(cat "$TMP/out")" = $'Verkäufer gesucht\nWir sind ein Team.' ]; then
  passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: extract docx: $(cat "$TMP/out")"; fi
for pair in "ad.docx:docx UTF-8" "ad.odt:odt UTF-8" "ad.pdf:pdf UTF-8" "ad.html:html UTF-8" \
            "ad-1252.txt:text windows-1252" "ad-utf16.txt:text UTF-16LE"; do
  check "format of ${pair%%:*}" 0 "$DIVCHECK" extract --print=format "$TMP/${pair%%:*}"
  expect_in "format of ${pair%%:*}" "$TMP/out" "${pair#*:}"
done
check "extract, forced encoding" 0 "$DIVCHECK" extract --encoding=ISO-8859-15 "$TMP/ad-1252.txt"
expect_in "forced encoding text" "$TMP/out" "Verkäufer"
check "extract, unknown encoding" 2 "$DIVCHECK" extract --encoding=nope "$TMP/ad-1252.txt"
expect_in "unknown encoding message" "$TMP/err" 'unknown encoding "nope"'
check "extract, forced media type" 0 "$DIVCHECK" extract --media-type=text/plain "$TMP/ad.html"
expect_in "forced media type text" "$TMP/out" "<h1>Verk&auml;ufer"

# divcheck scan --encoding: forced instead of detected; an unknown name
# is a usage error.
check "scan, forced encoding" 1 "${S[@]}" --encoding=latin-1 "$TMP/ad-1252.txt"
expect_in "scan, forced encoding finding" "$TMP/out" "ad-1252.txt:1:1: critical:"
check "scan, utf-16" 1 "${S[@]}" --encoding=utf-16 "$TMP/ad-utf16.txt"
check "scan, unknown encoding" 2 "${S[@]}" --encoding=klingon "$TMP/ad-1252.txt"
expect_in "scan, unknown encoding message" "$TMP/err" '--encoding: unknown encoding "klingon"'

# --include-text: ScanDocument's answer, offsets into extractedText.
check "docx json with text" 1 "${S[@]}" --format=json --include-text "$TMP/ad.docx" "$TMP/ad-1252.txt"
if python3 - "$TMP/out" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 2, lines
for line, fmt, enc in zip(lines, ["docx", "text"], ["UTF-8", "windows-1252"]):
    doc = json.loads(line)
    assert doc["detectedFormat"] == fmt and doc["detectedEncoding"] == enc, doc
    text = doc["extractedText"].encode("utf-8")
    span = doc["report"]["findings"][0]["span"]
    assert text[span["startByte"]:span["endByte"]] == "Verkäufer".encode(), span
PY
then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: json --include-text"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
