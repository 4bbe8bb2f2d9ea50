#!/usr/bin/env python3
"""The pipeline an analyst would otherwise write in Python: regex tokenise,
lower-case, stem with PyStemmer (Debian's python3-stemmer, Snowball in C),
count with collections.Counter. With --patterns FILE it also does the
dictionary count: each token's stem looked up in a dict of word patterns
and each of its prefixes in a dict of prefix globs.

Prints: seconds for the processing (file already in memory)."""
import collections, re, sys, time
import Stemmer

WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")

def main():
    path, lang = sys.argv[1], sys.argv[2]
    patterns = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--patterns" else None
    text = open(path, encoding="utf-8", errors="replace").read()
    stemmer = Stemmer.Stemmer(lang)
    words, prefixes, maxp = {}, {}, 0
    if patterns:
        for i, line in enumerate(open(patterns, encoding="utf-8")):
            p = line.strip()
            if p.endswith("*"):
                prefixes.setdefault(p[:-1], []).append(i)
                maxp = max(maxp, len(p) - 1)
            else:
                words.setdefault(stemmer.stemWord(p), []).append(i)
    t0 = time.perf_counter()
    tokens = [t.lower() for t in WORD.findall(text)]
    stems = stemmer.stemWords(tokens)
    if patterns:
        hits = collections.Counter()
        for tok, st in zip(tokens, stems):
            for c in words.get(st, ()):
                hits[c] += 1
            for n in range(1, min(len(tok), maxp) + 1):
                for c in prefixes.get(tok[:n], ()):
                    hits[c] += 1
        result = hits
    else:
        result = collections.Counter(stems)
    elapsed = time.perf_counter() - t0
    print("%.4f %d" % (elapsed, len(result)))

main()
