# corpus_copies.py CORPUS OUT N PREFIX: N messages from the corpus (the
# 5 MB one left out, for time), round-robin, each with its own Message-ID
# <PREFIX-NNNN.CCC@test.invalid> (CCC: the corpus file it came from),
# written to OUT/NNNN.eml; the ids, one a line, sorted, to OUT.ids.
import glob, os, re, sys

corpus, out, n, prefix = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
files = [f for f in sorted(glob.glob(os.path.join(corpus, "[0-9]*.eml")))
         if os.path.getsize(f) < 1024 * 1024]
ids = []
for i in range(n):
    src = files[i % len(files)]
    raw = open(src, "rb").read()
    m = re.search(rb"\r?\n\r?\n", raw)
    head, body = (raw[:m.start()], raw[m.start():]) if m else (raw, b"")
    eol = b"\r\n" if b"\r\n" in head else b"\n"
    lines, skip = [], False
    for line in head.split(eol):
        if re.match(rb"(?i)message-id:", line):
            skip = True
            continue
        if skip and line[:1] in (b" ", b"\t"):
            continue
        skip = False
        lines.append(line)
    mid = "%s-%04d.%s@test.invalid" % (prefix, i, os.path.basename(src)[:3])
    ids.append(mid)
    with open(os.path.join(out, "%04d.eml" % i), "wb") as f:
        f.write(b"Message-ID: <" + mid.encode() + b">" + eol + eol.join(lines) + body)
with open(out + ".ids", "w") as f:
    f.write("\n".join(sorted(ids)) + "\n")
