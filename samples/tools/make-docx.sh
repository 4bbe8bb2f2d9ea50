#!/bin/sh
# Rebuild samples/transcripts/interview-05-practice-nurse.docx from the XML
# parts in samples/tools/interview-05-docx/ (a minimal but valid WordprocessingML
# package: [Content_Types].xml, _rels/.rels, word/document.xml).
# Fictional data written for the thematic project; CC0 1.0.
# Usage: sh samples/tools/make-docx.sh   (from anywhere; needs `zip`)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/interview-05-docx"
out="$here/../transcripts/interview-05-practice-nurse.docx"
tmp="$out.tmp.$$"
rm -f "$tmp"
# [Content_Types].xml first, as Office writes it; -X drops extra file
# attributes so the archive does not depend on who built it.
( cd "$src" && zip -q -X -D -nw "$tmp" '[Content_Types].xml' _rels/.rels word/document.xml )
mv "$tmp" "$out"
echo "wrote $out"
