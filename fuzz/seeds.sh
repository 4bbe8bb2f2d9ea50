#!/bin/sh
# Builds the seed corpora of the fuzz targets from the repository's samples
# and spec fixtures, and from ../shared/spec-data when it is there.
#   sh fuzz/seeds.sh [OUT]      (default OUT: build/fuzz/seeds)
# One folder per target; each file is named by its SHA-1, so running again
# adds nothing twice. Engine targets get at most the first 8 KiB of a file.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/fuzz/seeds}
shared=${THEMATIC_SHARED:-$root/../shared/spec-data}
[ -d "$shared" ] || shared=/work/shared/spec-data
sources="$root/samples $root/spec/fixtures"
[ -d "$shared" ] && sources="$sources $shared"
lua=${LUA:-lua5.4}

# add TARGET FILE [PREFIX-BYTES]: copy FILE into TARGET's seeds
add() {
  d="$out/$1"; mkdir -p "$d"
  h=$(sha1sum < "$2" | cut -c1-40)
  cp "$2" "$d/$h"
}
# add_head TARGET FILE: the first 8 KiB only
add_head() {
  tmp=$(mktemp); head -c 8192 "$2" > "$tmp"; add "$1" "$tmp"; rm -f "$tmp"
}
# files SOURCE-GLOBS...: every file under the sources whose name matches
files() {
  expr=""
  for g in "$@"; do expr="$expr -o -iname $g"; done
  # $expr is split but must not be globbed: run from the repository root,
  # '*.md' would become README.md NEWS.md and find would find nothing
  set -f
  # shellcheck disable=SC2086
  find $sources -type f \( -false $expr \) 2>/dev/null | sort
  set +f
}

rm -rf "$out"
mkdir -p "$out"

# --- engine targets: text of every transcript and abstract --------------
for f in $(files '*.txt' '*.md' '*.vtt' '*.srt' '*.ris' '*.nbib' '*.bib' '*.dic' '*.cat'); do
  add_head tokenize "$f"; add_head normalize "$f"
  # matcher: 4 control bytes (0x80: scan everything), then the text
  tmp=$(mktemp); { printf '\200\000\000\000'; head -c 8192 "$f"; } > "$tmp"
  add matcher "$tmp"
  # skip ranges and a sub-range
  { printf '\005\011\041\026'; head -c 4096 "$f"; } > "$tmp"; add matcher "$tmp"
  # lexicon: the words, separated by 0xFF
  head -c 4096 "$f" | tr ' \n\t' '\377\377\377' > "$tmp"; add lexicon "$tmp"
  # transcript: an options byte (fuzz/fuzz_transcript.c), then the text
  for b in '\000' '\007' '\032'; do
    { printf "$b"; head -c 8192 "$f"; } > "$tmp"; add transcript "$tmp"
  done
  rm -f "$tmp"
done
tmp=$(mktemp)
for s in "I'm not confident, the app doesn\342\200\231t help. NHS barriers to access." \
         "Don't worry about it; gl\303\274cose tests, \357\254\201nger-prick, e-health, t\303\251t\303\251." \
         "https://example.org/a_(b) user@example.co.uk COVID-19 type-2 A&E 3.5mg \360\237\221\215\360\237\217\275 \360\237\207\254\360\237\207\247" \
         "\346\227\245\346\234\254\350\252\236\343\201\256\343\203\206\343\202\255\343\202\271\343\203\210 \327\251\327\234\327\225\327\235\"\327\251 caf\303\251 \303\237 \304\260 \341\272\236"; do
  printf "$s" > "$tmp"
  add tokenize "$tmp"; add normalize "$tmp"
  { printf '\200\000\000\000'; printf "$s"; } > "$tmp"; add matcher "$tmp"
  printf "$s" | tr ' ' '\377' > "$tmp"; add lexicon "$tmp"
done
# negated_to (3 -> 5) onto tokens code 5 has a hit on, and code 5's own hits
# inside one moved to it: a token counts once per code
printf '\200\000\000\000never not a confident. Not worried about, never confident about it. no e-health worried' > "$tmp"
add matcher "$tmp"
printf 'access*\377accessible\377access\377ac\377' > "$tmp"; add lexicon "$tmp"
printf 'gl*c*se\377glucose\377gl\303\274cose\377glc' > "$tmp"; add lexicon "$tmp"
rm -f "$tmp"

# --- codebook readers ---------------------------------------------------
for f in $(files '*.yml' '*.yaml'); do add codebook_yaml "$f"; done
for f in $(files '*.dic'); do add codebook_liwc "$f"; done
for f in $(files '*.cat'); do add codebook_wordstat "$f"; done
for f in $(files '*.lc3' '*.lcd'); do add codebook_lexicoder "$f"; done
for f in $(files '*.ykd'); do add codebook_yoshikoder "$f"; done
for f in $(files '*.qdc'); do add codebook_qdc "$f"; done
# CSV codebooks: every YAML codebook written out as CSV by thematic itself
# (needs the built core; skipped without it).
tmp=$(mktemp)
for f in $(files '*.yml'); do
  if SEED_FILE="$f" "$lua" -e "package.path='$root/lua/?.lua;$root/lua/?/init.lua;'..package.path
      package.cpath='$root/build/?.so;'..package.cpath
      local cb = require('thematic.codebook').load(os.getenv('SEED_FILE'))
      if not cb then os.exit(1) end
      local t = cb:write(nil, 'csv'); if not t then os.exit(1) end
      io.write(t)" > "$tmp" 2>/dev/null; then
    add codebook_csv "$tmp"
  fi
done
cat > "$tmp" <<'CSV'
code,pattern,kind
access/devices_barrier,smartphone*,
access/devices_barrier,=NHS,
access/devices_barrier,wifi,literal
access/devices_barrier,access code,except
"design, ""usability""",not * easy,phrase
design,,
CSV
add codebook_csv "$tmp"
rm -f "$tmp"

# --- transcript and abstract readers ------------------------------------
for f in $(files '*.txt' '*.md'); do
  case "$f" in *.medline.txt) add abstracts_medline "$f" ;; *) add transcript_txt "$f" ;; esac
done
for f in $(files '*.txt' '*.md' '*.vtt' '*.srt'); do
  case "$f" in *.medline.txt) ;; */transcripts/*|*/cli/*) add count "$f"; add stem_counts "$f" ;; esac
done
add stem_counts bench/multilingual.txt
for f in $(files '*.vtt'); do add transcript_vtt "$f"; done
for f in $(files '*.srt'); do add transcript_srt "$f"; done
for f in $(files '*.docx' '*.qdpx'); do add transcript_docx "$f"; done
for f in $(files '*.csv'); do add transcript_csv "$f"; done
for f in $(files 'participants*.csv'); do add participants "$f"; done
tmp=$(mktemp)
cat > "$tmp" <<'CSV'
speaker,text,start
Interviewer,"So, how do you find the app?",00:00:01
P01,"Honestly? It's ""fine"" but
the wifi at home is patchy.",00:00:05
CSV
add transcript_csv "$tmp"
rm -f "$tmp"
for f in $(files '*.ris'); do add abstracts_ris "$f"; done
for f in $(files '*.nbib'); do add abstracts_medline "$f"; done
for f in $(files '*.bib'); do add abstracts_bibtex "$f"; done

# --- saved findings (regression inputs) ------------------------------------
for d in "$root"/spec/fixtures/fuzz/*/; do
  [ -d "$d" ] || continue
  t=$(basename "$d")
  for f in "$d"*; do [ -f "$f" ] && [ "$(basename "$f")" != README.md ] && add "$t" "$f"; done
done

for d in "$out"/*; do echo "seeds: $(basename "$d"): $(ls "$d" | wc -l) files"; done
