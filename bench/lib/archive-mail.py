#!/usr/bin/env python3
"""Writes a Maildir++ tree of N distinct, realistic messages for bench/archive.sh.

Usage: archive-mail.py DIR N SIZE [SEED [FIRST]]

Layout: DIR/example.com/userK/Maildir/{cur,new,tmp}, 10 accounts in 1 domain. SIZE is the
target message size in bytes:
  * SIZE >= 20000: a text/plain part (a few paragraphs of Zipf-distributed words) plus one
    base64 attachment (random bytes, so every message and attachment is distinct and does not
    compress: the worst case for the archive's zstd), filling the message up to about SIZE;
  * SIZE < 20000: text only, about SIZE bytes (for the 200,000-message search archive).
Headers carry From/To/Cc, a Date spread over three years, a Message-ID and a Subject, so the
search probe's from:is:, five-criteria and body:contains: queries all have something to find.
The words, users and dates are deterministic for a given SEED. FIRST (default 0) makes only
messages FIRST..N-1, so that several processes can write one store in parts (give each part its
own SEED).
"""
import base64
import os
import random
import sys
import time

USERS = 2000
DOMAINS = 40
WORDS = 20000
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "bi", "da", "fe", "gu", "ho",
             "ji", "pe", "qu", "ri", "so", "tu", "wa", "xe", "yo", "zi", "an", "el", "on"]


def word_list():
    words, cumulative, total = [], [], 0.0
    for i in range(WORDS):
        w, n = "", i
        while True:
            w += SYLLABLES[n % len(SYLLABLES)]
            if n < len(SYLLABLES):
                break
            n //= len(SYLLABLES)
        words.append(w)
        total += 1.0 / (i + 1)
        cumulative.append(total)
    return words, cumulative


def user(i):
    return "u%d@d%d.example" % (i % USERS, i % USERS % DOMAINS)


def main():
    out, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 42)
    first = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    words, cumulative = word_list()

    def text(count):
        picks = rnd.choices(words, cum_weights=cumulative, k=count)
        lines, line = [], []
        for w in picks:
            line.append(w)
            if len(line) == 12:
                lines.append(" ".join(line))
                line = []
        if line:
            lines.append(" ".join(line))
        return "\r\n".join(lines)

    accounts = 10
    dirs = []
    for a in range(accounts):
        base = os.path.join(out, "example.com", "user%d" % a, "Maildir")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(base, sub), exist_ok=True)
        dirs.append(os.path.join(base, "cur"))
    start = 1672531200  # 2023-01-01
    for i in range(first, n):
        sender = user(rnd.randrange(USERS))
        to = ", ".join(user(rnd.randrange(USERS)) for _ in range(1 + rnd.randrange(3)))
        cc = user(rnd.randrange(USERS)) if rnd.randrange(4) == 0 else ""
        date = time.strftime("%a, %d %b %Y %H:%M:%S +0000",
                             time.gmtime(start + rnd.randrange(3 * 365 * 86400)))
        subject = text(3 + rnd.randrange(6))
        head = ["From: %s" % sender, "To: %s" % to]
        if cc:
            head.append("Cc: %s" % cc)
        head += ["Subject: %s" % subject, "Date: %s" % date,
                 "Message-ID: <%d.%08x@mx.example>" % (i, rnd.getrandbits(32)),
                 "MIME-Version: 1.0"]
        if size >= 20000:
            body = text(150 + rnd.randrange(300))
            boundary = "=_b%d" % i
            attach_bytes = max(1000, (size - len(body) - 1200) * 3 // 4)
            blob = base64.encodebytes(rnd.randbytes(attach_bytes)).decode("ascii")
            msg = "\r\n".join(head + [
                'Content-Type: multipart/mixed; boundary="%s"' % boundary, "",
                "--" + boundary, "Content-Type: text/plain; charset=utf-8", "", body, "",
                "--" + boundary,
                'Content-Type: application/pdf; name="report-%d.pdf"' % i,
                'Content-Disposition: attachment; filename="report-%d.pdf"' % i,
                "Content-Transfer-Encoding: base64", "",
                blob.replace("\n", "\r\n").rstrip("\r\n"),
                "--" + boundary + "--", ""])
        else:
            body = text(max(20, size // 7))
            msg = "\r\n".join(head + ["Content-Type: text/plain; charset=utf-8", "", body, ""])
        name = "%d.M%dP%d.bench,S=%d:2,S" % (start + i, i, os.getpid(), len(msg))
        with open(os.path.join(dirs[i % accounts], name), "w", newline="") as f:
            f.write(msg)


if __name__ == "__main__":
    main()
