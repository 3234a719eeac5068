#!/usr/bin/env python3
"""Writes a minimal PDF (one page per argument; lines split at "\\n", text
in Windows-1252 with the standard Helvetica font) to standard output.
Used by tests/cli/document_cli_test.sh and to make encrypted.pdf:

    python3 make_pdf.py 'Geheim' > plain.pdf
    qpdf --encrypt user-pw owner-pw 256 -- plain.pdf encrypted.pdf
"""
import sys


def pdf(pages):
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>"]
    kids = []
    for text in pages:
        lines = []
        for line in text.split("\n"):
            raw = line.encode("cp1252")
            raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            lines.append(b"(" + raw + b") Tj 0 -16 Td")
        stream = b"BT /F1 12 Tf 72 720 Td " + b" ".join(lines) + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream +
                       b"\nendstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % content)
        kids.append(len(objects))
    objects[1] = (b"<< /Type /Pages /Kids [" +
                  b" ".join(b"%d 0 R" % k for k in kids) +
                  b"] /Count %d >>" % len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)


if __name__ == "__main__":
    sys.stdout.buffer.write(pdf(sys.argv[1:]))
