# corpus_routing.py CORPUS DIR: the desk's routing of the corpus checked
# against CORPUS/labels.csv, from the rows the test dumped into DIR
# (`|`-separated, as sql() prints them):
#   tickets  number|contact email
#   raw      message_id|disposition|ticket number or 0
#   msgs     ticket number|from address|message_id  (incoming messages)
#   acks     ticket number|kind   (outbound 'ack' and 'renewal' mail)
# Each new request opens the ticket its label names (numbered from
# #000240 in file order) for its sender, with one acknowledgment; each
# reply joins its ticket (or waits for review when the ticket is older
# than the desk); auto-replies, bounces, spam and non-clients get the
# disposition that says so; a second delivery is stored once. Prints a
# summary, or every mismatch and exits 1.
import csv, email, email.policy, glob, os, re, sys

corpus, tmp = sys.argv[1], sys.argv[2]
labels = list(csv.DictReader(open(os.path.join(corpus, "labels.csv"),
                                  encoding="utf-8")))


def rows(name):
    with open(os.path.join(tmp, name), encoding="utf-8") as f:
        return [line.rstrip("\n").split("|") for line in f if line.strip()]


def msgid(path):
    with open(path, "rb") as f:
        m = email.message_from_binary_file(f, policy=email.policy.compat32)
    v = m.get("Message-ID")
    return v.strip().strip("<>") if v else None


tickets = {int(r[0]): r[1] for r in rows("tickets")}
raw = {r[0]: (r[1], int(r[2])) for r in rows("raw")}
msgs = rows("msgs")
acks = rows("acks")
errors = []


def want(cond, what):
    if not cond:
        errors.append(what)


number_of = {}
for l in labels:
    m = re.search(r"ticket #(\d{6})", l["notes"])
    if l["expected_kind"] == "new_ticket" and m and "duplicate" not in l["notes"]:
        number_of[l["file"]] = int(m.group(1))
want(len(tickets) == len(number_of),
     "tickets opened: %d, want %d" % (len(tickets), len(number_of)))
replies = 0
for l in labels:
    f, kind = l["file"], l["expected_kind"]
    mid = msgid(os.path.join(corpus, f))
    disp = raw.get(mid, (None, 0)) if mid else None
    if kind == "new_ticket" and f in number_of:
        n = number_of[f]
        want(tickets.get(n) == l["from"].lower(),
             "%s: ticket #%06d for %s" % (f, n, tickets.get(n)))
        if mid:
            want(disp == ("ticket", n), "%s: disposition %s" % (f, disp))
        k = [a for a in acks if int(a[0]) == n]
        want(len(k) == 1, "%s: %d acknowledgments" % (f, len(k)))
    elif kind == "reply":
        replies += 1
        target = l["is_reply_to"]
        if target.startswith("#"):
            want(disp is not None and disp[0] == "review",
                 "%s: reply to a ticket older than the desk: %s" % (f, disp))
        else:
            n = number_of[target]
            want(any(int(m[0]) == n and m[1] == l["from"].lower() for m in msgs),
                 "%s: not threaded to #%06d" % (f, n))
    elif kind in ("auto_reply", "bounce", "spam", "non_client"):
        w = {"non_client": "review"}.get(kind, kind)
        want(disp is not None and disp[0] == w, "%s: %s, want %s" % (f, disp, w))
distinct = {msgid(p) or p for p in glob.glob(os.path.join(corpus, "[0-9]*.eml"))}
want(len(raw) == len(distinct),
     "raw messages: %d, want %d (each stored once)" % (len(raw), len(distinct)))
if errors:
    print("\n".join(errors[:40]))
    print("%d mismatches" % len(errors))
    sys.exit(1)
print("%d messages, %d tickets, %d replies, all as labels.csv says"
      % (len(labels), len(tickets), replies))
