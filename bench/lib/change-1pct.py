#!/usr/bin/env python3
# The 1% change of bench/backup.sh, done the same way (same seed) for mailops and for restic:
# flag 1% of the messages (a rename to ...:2,...F, as Dovecot does) and deliver 1% new copies
# under fresh names into new/.  Usage: change-1pct.py MAILDIR_ROOT MESSAGES
import os, sys, random, time
root = sys.argv[1]
files = []
for d, _, names in os.walk(root):
    if d.endswith('/cur'):
        files += [os.path.join(d, x) for x in names]
files.sort()
rnd = random.Random(7)
n = int(sys.argv[2]) // 100  # 1% of all messages (cur and new)
step = max(1, len(files) // n)
flagged = files[::step][:n]
for f in flagged:
    base, _, fl = f.partition(':2,')
    if 'F' not in fl:
        os.rename(f, base + ':2,' + ''.join(sorted(fl + 'F')))
t = int(time.time())
delivered = 0
for i, f in enumerate(rnd.sample(files, n)):
    src = f if os.path.exists(f) else None
    if src is None:
        continue
    delivered += 1
    new = os.path.join(os.path.dirname(os.path.dirname(src)), 'new', '%d.M%dP%d.bench,S=%d' % (t, i, os.getpid(), os.path.getsize(src)))
    with open(src, 'rb') as a, open(new, 'wb') as b:
        b.write(a.read())
print('bench: flagged %d, delivered %d' % (len(flagged), delivered))
