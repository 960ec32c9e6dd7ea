#!/usr/bin/env python3
"""Writes a realistic Postfix + Dovecot syslog: replays the line shapes of real logs
(docs: reporting-snmp.md section 2.7) with fresh queue ids, addresses and times.

usage: maillog-gen.py LINES [--seed N] [--start 2025-02-02T00:00:00] [--hours 24]
                      [--style bsd|iso|mixed] > mail.log

Traffic: inbound SMTP to LMTP/virtual mailboxes, authenticated submission relayed out
(some deferred, retried, expired or bounced with a non-delivery notice), local pickup with
alias forwarding, smtpd/postscreen rejects, cleanup milter rejects, holds and discards,
SASL failures, Dovecot IMAP/POP3 logins (good and bad, 2.3 and 2.4 wording) and logouts, and
a few lines no rule reads. Short hex and long queue ids are mixed.
"""
import argparse
import datetime as dt
import heapq
import random
import sys

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
HEX = "0123456789ABCDEF"
LONG = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"
LOCAL_DOMAINS = ["example.org", "example.com"]
REMOTE_DOMAINS = ["example.net", "mail.example.biz", "partner.example", "lists.example.edu", "Example.INFO"]
USERS = ["alice", "bob", "carol", "dan", "eve", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar",
         "peggy", "trent", "victor", "walter"]
CLIENTS = [("mail.example.net", "192.0.2.10"), ("mx.partner.example", "198.51.100.25"),
           ("unknown", "203.0.113.9"), ("smtp.lists.example.edu", "192.0.2.77"), ("relay.example.info", "198.51.100.3")]


class Gen:
    def __init__(self, args):
        self.r = random.Random(args.seed)
        self.style = args.style
        self.host = "mx1"
        self.heap = []
        self.seq = 0
        self.pid = 2000
        self.used = set()

    def qid(self):
        while True:
            if self.r.random() < 0.5:
                q = "".join(self.r.choice(HEX) for _ in range(10))
            else:
                q = "".join(self.r.choice(LONG) for _ in range(12 + self.r.randrange(4)))
            if q not in self.used:
                self.used.add(q)
                return q

    def npid(self):
        self.pid = 2000 + (self.pid - 1999) % 60000
        return self.pid

    def emit(self, t, prog, msg):
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, prog, msg))

    def stamp(self, t):
        d = START + dt.timedelta(seconds=t)
        style = self.style
        if style == "mixed":
            style = "bsd" if t < HALF else "iso"
        if style == "bsd":
            return f"{MONTHS[d.month - 1]} {d.day:2d} {d:%H:%M:%S}"
        return f"{d:%Y-%m-%dT%H:%M:%S}.{d.microsecond:06d}+01:00"

    def local(self):
        return f"{self.r.choice(USERS)}@{self.r.choice(LOCAL_DOMAINS)}"

    def remote(self):
        return f"{self.r.choice(USERS)}{self.r.randrange(40)}@{self.r.choice(REMOTE_DOMAINS)}"

    def delivery(self, t, svc, q, to, relay, status, dsn, text, orig=None):
        d = self.r.uniform(0.1, 2.5)
        o = f" orig_to=<{orig}>," if orig else ""
        self.emit(t, f"postfix/{svc}[{self.npid()}]",
                  f"{q}: to=<{to}>,{o} relay={relay}, delay={d:.2g}, delays=0.1/0.01/0.2/{d/2:.2g}, "
                  f"dsn={dsn}, status={status} ({text})")

    def inbound(self, t):
        host, ip = self.r.choice(CLIENTS)
        pid = self.npid()
        q = self.qid()
        sender = self.remote()
        rcpts = [self.local() for _ in range(self.r.choice([1, 1, 1, 2, 3]))]
        size = self.r.randrange(900, 250000)
        self.emit(t, f"postfix/smtpd[{pid}]", f"connect from {host}[{ip}]")
        self.emit(t + 0.4, f"postfix/smtpd[{pid}]", f"{q}: client={host}[{ip}]")
        self.emit(t + 0.5, f"postfix/cleanup[{self.npid()}]", f"{q}: message-id=<{self.seq}.{q}@{sender.split('@')[1]}>")
        self.emit(t + 0.6, "postfix/qmgr[900]", f"{q}: from=<{sender}>, size={size}, nrcpt={len(rcpts)} (queue active)")
        self.emit(t + 0.7, f"postfix/smtpd[{pid}]",
                  f"disconnect from {host}[{ip}] ehlo=1 mail=1 rcpt={len(rcpts)} data=1 quit=1 commands={4 + len(rcpts)}")
        svc = self.r.choice(["lmtp", "lmtp", "virtual"])
        for i, rc in enumerate(rcpts):
            if svc == "lmtp":
                self.delivery(t + 1 + i * 0.1, "lmtp", q, rc, "mail.example.org[private/dovecot-lmtp]", "sent",
                              "2.0.0", f"250 2.0.0 <{rc}> Saved")
            else:
                self.delivery(t + 1 + i * 0.1, "virtual", q, rc, "virtual", "sent", "2.0.0",
                              "delivered to maildir")
        self.emit(t + 1.5, "postfix/qmgr[900]", f"{q}: removed")

    def submission(self, t):
        user = self.local()
        pid = self.npid()
        q = self.qid()
        ip = f"198.51.100.{self.r.randrange(2, 250)}"
        rcpt = self.remote()
        size = self.r.randrange(500, 80000)
        prog = self.r.choice(["postfix/submission/smtpd", "postfix/smtps/smtpd"])
        self.emit(t, f"{prog}[{pid}]", f"connect from unknown[{ip}]")
        self.emit(t + 0.3, f"{prog}[{pid}]", f"{q}: client=unknown[{ip}], sasl_method=PLAIN, sasl_username={user}")
        self.emit(t + 0.4, f"postfix/cleanup[{self.npid()}]", f"{q}: message-id=<{self.seq}@{user.split('@')[1]}>")
        self.emit(t + 0.5, "postfix/qmgr[900]", f"{q}: from=<{user}>, size={size}, nrcpt=1 (queue active)")
        self.emit(t + 0.6, f"{prog}[{pid}]", f"disconnect from unknown[{ip}] ehlo=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=6")
        mx = f"mx.{rcpt.split('@')[1].lower()}"
        fate = self.r.random()
        if fate < 0.70:
            self.delivery(t + 1, "smtp", q, rcpt, f"{mx}[203.0.113.25]:25", "sent", "2.0.0", "250 2.0.0 Ok: queued as 4XYZ")
            self.emit(t + 1.2, "postfix/qmgr[900]", f"{q}: removed")
        elif fate < 0.88:
            n = self.r.choice([1, 2, 3])
            for k in range(n):
                self.delivery(t + 1 + k * 300, "smtp", q, rcpt, "none", "deferred", "4.4.1",
                              f"connect to {mx}[203.0.113.25]:25: Connection timed out")
            if self.r.random() < 0.6:
                self.delivery(t + 1 + n * 300, "smtp", q, rcpt, f"{mx}[203.0.113.25]:25", "sent", "2.0.0",
                              "250 2.0.0 Ok: queued as 7QQQ")
            else:
                self.delivery(t + 1 + n * 300, "smtp", q, rcpt, f"{mx}[203.0.113.25]:25", "deferred", "4.7.1",
                              f"host {mx}[203.0.113.25] said: 450 4.7.1 <{rcpt}>: Recipient address rejected: "
                              "Greylisted, see http://postgrey.example/ (in reply to RCPT TO command)")
                self.emit(t + 2 + n * 300, "postfix/qmgr[900]", f"{q}: from=<{user}>, status=expired, returned to sender")
            self.emit(t + 3 + n * 300, "postfix/qmgr[900]", f"{q}: removed")
        else:
            self.delivery(t + 1, "smtp", q, rcpt, f"{mx}[203.0.113.25]:25", "bounced", "5.1.1",
                          f"host {mx}[203.0.113.25] said: 550 5.1.1 <{rcpt}>: Recipient address rejected: "
                          "User unknown in virtual mailbox table (in reply to RCPT TO command)")
            b = self.qid()
            self.emit(t + 1.1, f"postfix/cleanup[{self.npid()}]", f"{b}: message-id=<{self.seq}.{b}@mx1.example.org>")
            self.emit(t + 1.1, f"postfix/bounce[{self.npid()}]", f"{q}: sender non-delivery notification: {b}")
            self.emit(t + 1.2, "postfix/qmgr[900]", f"{b}: from=<>, size={size + 2400}, nrcpt=1 (queue active)")
            self.emit(t + 1.3, "postfix/qmgr[900]", f"{q}: removed")
            self.delivery(t + 1.4, "lmtp", b, user, "mail.example.org[private/dovecot-lmtp]", "sent", "2.0.0",
                          f"250 2.0.0 <{user}> Saved")
            self.emit(t + 1.5, "postfix/qmgr[900]", f"{b}: removed")

    def pickup(self, t):
        q = self.qid()
        to = self.r.choice(["root", "postmaster", "alice"])
        self.emit(t, f"postfix/pickup[{self.npid()}]", f"{q}: uid=0 from=<root>")
        self.emit(t + 0.1, f"postfix/cleanup[{self.npid()}]", f"{q}: message-id=<{self.seq}.{q}@mx1.example.org>")
        self.emit(t + 0.2, "postfix/qmgr[900]", f"{q}: from=<root@mx1.example.org>, size={self.r.randrange(400, 5000)}, nrcpt=1 (queue active)")
        if to == "alice":
            self.delivery(t + 0.3, "local", q, "alice@mx1.example.org", "local", "sent", "2.0.0", "delivered to mailbox")
        else:
            f = self.qid()
            self.delivery(t + 0.3, "local", q, f"{to}@mx1.example.org", "local", "sent", "2.0.0", f"forwarded as {f}",
                          orig=to)
            self.emit(t + 0.35, "postfix/qmgr[900]", f"{f}: from=<root@mx1.example.org>, size=1800, nrcpt=1 (queue active)")
            self.delivery(t + 0.4, "lmtp", f, "carol@example.org", "mail.example.org[private/dovecot-lmtp]", "sent",
                          "2.0.0", "250 2.0.0 <carol@example.org> Saved")
            self.emit(t + 0.5, "postfix/qmgr[900]", f"{f}: removed")
        self.emit(t + 0.6, "postfix/qmgr[900]", f"{q}: removed")

    def reject(self, t):
        host, ip = self.r.choice(CLIENTS[2:])
        pid = self.npid()
        k = self.r.random()
        if k < 0.35:
            self.emit(t, f"postfix/smtpd[{pid}]", f"connect from {host}[{ip}]")
            rc = f"x{self.r.randrange(99)}@example.org"
            self.emit(t + 0.2, f"postfix/smtpd[{pid}]",
                      f"NOQUEUE: reject: RCPT from {host}[{ip}]: 550 5.1.1 <{rc}>: Recipient address rejected: "
                      f"User unknown in virtual mailbox table; from=<{self.remote()}> to=<{rc}> proto=ESMTP helo=<{host}>")
            self.emit(t + 0.3, f"postfix/smtpd[{pid}]", f"disconnect from {host}[{ip}] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")
        elif k < 0.55:
            self.emit(t, f"postfix/smtpd[{pid}]", f"connect from {host}[{ip}]")
            self.emit(t + 0.2, f"postfix/smtpd[{pid}]",
                      f"NOQUEUE: reject: RCPT from {host}[{ip}]: 554 5.7.1 <x@example.biz>: Relay access denied; "
                      f"from=<spam@example.biz> to=<x@example.biz> proto=ESMTP helo=<bad>")
            self.emit(t + 0.3, f"postfix/smtpd[{pid}]", f"lost connection after RCPT from {host}[{ip}]")
        elif k < 0.75:
            port = self.r.randrange(1024, 65000)
            self.emit(t, f"postfix/postscreen[{pid}]", f"CONNECT from [{ip}]:{port} to [192.0.2.1]:25")
            self.emit(t + 0.5, f"postfix/postscreen[{pid}]",
                      f"NOQUEUE: reject: RCPT from [{ip}]:{port}: 550 5.7.1 Service unavailable; client [{ip}] blocked "
                      f"using zen.spamhaus.org; from=<a@example.biz>, to=<b@example.org>, proto=ESMTP, helo=<x>")
        elif k < 0.87:
            q = self.qid()
            self.emit(t, f"postfix/smtpd[{pid}]", f"connect from {host}[{ip}]")
            self.emit(t + 0.2, f"postfix/smtpd[{pid}]", f"{q}: client={host}[{ip}]")
            self.emit(t + 0.4, f"postfix/cleanup[{self.npid()}]",
                      f"{q}: milter-reject: END-OF-MESSAGE from {host}[{ip}]: 5.7.1 Blocked by SpamAssassin; "
                      f"from=<a@example.biz> to=<b@example.org> proto=ESMTP helo=<x>")
            self.emit(t + 0.5, f"postfix/smtpd[{pid}]", f"disconnect from {host}[{ip}] ehlo=1 mail=1 rcpt=1 data=0/1 quit=1 commands=4/5")
        else:
            q = self.qid()
            act = self.r.choice(["hold", "discard", "reject", "warning"])
            self.emit(t, f"postfix/smtpd[{pid}]", f"{q}: client={host}[{ip}]")
            self.emit(t + 0.2, f"postfix/cleanup[{self.npid()}]",
                      f"{q}: {act}: header Subject: cheap pills from {host}[{ip}]; from=<a@example.biz> "
                      f"to=<b@example.org> proto=ESMTP helo=<x>: 5.7.1 message content rejected")
            if act in ("hold", "warning"):
                self.emit(t + 0.3, "postfix/qmgr[900]", f"{q}: from=<a@example.biz>, size=4321, nrcpt=1 (queue active)")
            if act == "warning":
                self.delivery(t + 0.5, "lmtp", q, "b@example.org", "mail.example.org[private/dovecot-lmtp]", "sent",
                              "2.0.0", "250 2.0.0 <b@example.org> Saved")
                self.emit(t + 0.6, "postfix/qmgr[900]", f"{q}: removed")

    def dovecot(self, t):
        u = self.local()
        ip = f"198.51.100.{self.r.randrange(2, 250)}"
        proto = self.r.choice(["imap", "imap", "pop3"])
        pid = self.npid()
        sess = "".join(self.r.choice(LONG) for _ in range(16))
        prog = self.r.choice(["dovecot", f"dovecot[{834}]"])
        k = self.r.random()
        if k < 0.75:
            word = "Login" if prog == "dovecot" else "Logged in"
            self.emit(t, prog, f"{proto}-login: {word}: user=<{u}>, method=PLAIN, rip={ip}, lip=192.0.2.1, mpid={pid}, TLS, session=<{sess}>")
            if proto == "imap":
                self.emit(t + self.r.uniform(5, 900), prog, f"imap({u})<{pid}><{sess}>: Disconnected: Logged out "
                          f"in={self.r.randrange(50, 5000)} out={self.r.randrange(500, 900000)} deleted=0 expunged=0 trashed=0 "
                          "hdr_count=17 hdr_bytes=5147 body_count=0 body_bytes=0")
            else:
                n = self.r.randrange(0, 5)
                b = self.r.randrange(0, 200000) if n else 0
                self.emit(t + self.r.uniform(1, 30), prog, f"pop3({u})<{pid}><{sess}>: Disconnected: Logged out "
                          f"top=0/0, retr={n}/{b}, del={n}/{n}, size={b}")
        elif k < 0.9:
            n = self.r.randrange(1, 4)
            what = self.r.choice(["Disconnected", "Aborted login"])
            self.emit(t, prog, f"{proto}-login: {what} (auth failed, {n} attempts in {2 * n} secs): user=<admin>, "
                      f"method=PLAIN, rip=203.0.113.5, lip=192.0.2.1, TLS, session=<{sess}>")
        else:
            self.emit(t, prog, f"{proto}-login: Login aborted: Connection closed (auth failed, 1 attempts in 2 secs) "
                      f"(auth_failed): user=<admin@example.org>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.1, session=<{sess}>")

    def noise(self, t):
        k = self.r.random()
        pid = self.npid()
        if k < 0.4:
            self.emit(t, f"postfix/smtpd[{pid}]", f"warning: unknown[203.0.113.{self.r.randrange(2, 250)}]: "
                      "SASL LOGIN authentication failed: UGFzc3dvcmQ6")
        elif k < 0.6:
            self.emit(t, "postfix/anvil[1800]", "statistics: max connection rate 3/60s for (smtp:203.0.113.9) at Feb  2 12:00:01")
        elif k < 0.8:
            self.emit(t, "CRON[4242]", "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)")
        else:
            self.emit(t, "postfix/smtpd[%d]" % pid, "warning: hostname bad.example does not resolve to address 203.0.113.44")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lines", type=int)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--start", default="2025-02-02T00:00:00")
    ap.add_argument("--hours", type=float, default=24)
    ap.add_argument("--style", choices=["bsd", "iso", "mixed"], default="bsd")
    args = ap.parse_args()
    global START, HALF
    START = dt.datetime.fromisoformat(args.start)
    span = args.hours * 3600
    HALF = span / 2
    g = Gen(args)
    kinds = [(g.inbound, 0.42), (g.submission, 0.18), (g.pickup, 0.05), (g.reject, 0.17), (g.dovecot, 0.13),
             (g.noise, 0.05)]
    out = sys.stdout
    written = 0
    scenarios = 0
    t = 0.0
    buf = []
    while written < args.lines:
        x = g.r.random()
        for f, w in kinds:
            if x < w:
                f(t)
                break
            x -= w
        else:
            kinds[0][0](t)
        scenarios += 1
        # space the scenarios so that LINES lines span the period
        t += g.r.expovariate(1 / (span * (g.seq / scenarios) / args.lines))
        # write every line no later scenario can precede (retries come at most 1,000 s later);
        # lines still pending when the count is reached are cut off, as at the end of a real log
        while g.heap and g.heap[0][0] < t - 1300 and written < args.lines:
            tt, _, prog, msg = heapq.heappop(g.heap)
            buf.append(f"{g.stamp(tt)} {g.host} {prog}: {msg}\n")
            written += 1
            if len(buf) >= 10000:
                out.write("".join(buf))
                buf.clear()
    out.write("".join(buf))


if __name__ == "__main__":
    main()
