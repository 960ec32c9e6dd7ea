#!/usr/bin/env python3
"""Submit N messages to an SMTP server in one pipelined session (RFC 2920).

usage: queue-smtp.py HOST PORT N [SEED]

Every message goes out in one write: the previous message's content and final dot, then
MAIL FROM, the RCPT TOs and DATA of the next one; then the replies are read in order. The mix is
deterministic for a SEED: 1-4 recipients over 60 unreachable .invalid domains, 300 senders over
12 domains plus the null sender, contents of ~0.4-16 KB (a few with a 3000-byte header line).
Prints the number of messages queued and the time taken; exits 1 on the first non-2xx/3xx reply.
"""
import random
import socket
import sys
import time


def message(i, rnd):
    sender = "" if i % 97 == 3 else f"user{rnd.randrange(300)}@sender{rnd.randrange(12)}.bench.test"
    rcpts = [f"rcpt{rnd.randrange(1000)}@dest{rnd.randrange(60)}.bench.invalid"
             for _ in range(1 + rnd.randrange(4))]
    rcpts = list(dict.fromkeys(rcpts))
    size = int(rnd.lognormvariate(7.5, 0.9)) % 16000
    body = [f"From: {sender or 'MAILER-DAEMON@bench.test'}", f"To: {', '.join(rcpts)}",
            f"Subject: bench message {i}", f"Message-ID: <{i}.{time.time_ns()}@bench.test>"]
    if i % 200 == 7:
        body.append("X-Long: " + "z" * 3000)
    body.append("")
    line = 0
    while size > 0:
        text = f"line {line} of message {i}: " + "lorem ipsum dolor sit amet " * 2
        body.append(("." if line % 40 == 39 else "") + text)
        size -= len(text) + 2
        line += 1
    content = "\r\n".join(".." + l[1:] if l.startswith(".") else l for l in body) + "\r\n.\r\n"
    return sender, rcpts, content


def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    s = socket.create_connection((host, port), timeout=60)
    replies = s.makefile("rb")

    def reply(what):
        while True:
            line = replies.readline()
            if not line:
                sys.exit(f"queue-smtp: {host}:{port} closed the connection after {what}")
            if line[3:4] != b"-":
                break
        if line[:1] not in (b"2", b"3"):
            sys.exit(f"queue-smtp: {host}:{port} answered {line!r} to {what}")
        return line

    reply("connect")
    s.sendall(b"EHLO bench.test\r\n")
    reply("EHLO")
    start = time.monotonic()
    pending = b""
    for i in range(n + 1):
        batch = pending
        rcpts = []
        if i < n:
            sender, rcpts, content = message(i, rnd)
            batch += (f"MAIL FROM:<{sender}>\r\n" + "".join(f"RCPT TO:<{r}>\r\n" for r in rcpts)
                      + "DATA\r\n").encode()
            pending = content.encode()
        s.sendall(batch)
        if i > 0:
            reply(f"content of message {i - 1}")
        if i < n:
            for what in ["MAIL FROM", *rcpts, "DATA"]:
                reply(f"{what} of message {i}")
    s.sendall(b"QUIT\r\n")
    s.close()
    print(f"queue-smtp: {n} messages submitted in {time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    main()
