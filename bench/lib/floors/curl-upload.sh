#!/usr/bin/env bash
# The cheapest upload of a set's files with curl (issue 4 floors): every regular file under DIR
# goes to URL/<its path below DIR> over explicit FTPS (TLS 1.2, protected data connections), in
# PARALLEL curl processes (default 1), each one control connection reused for all its files.
# METHOD: multicwd (CWD per level, MKD when missing: --ftp-create-dirs) or nocwd (STOR with the
# full path; the directories must exist). Prints wall seconds; CPU via /usr/bin/time outside.
# usage: curl-upload.sh DIR URL CAFILE USER:PASSWORD [PARALLEL] [METHOD]
set -euo pipefail
dir=$1 url=$2 ca=$3 cred=$4 par=${5:-1} method=${6:-multicwd}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$dir" && find . -type f | sed 's|^\./||' | sort) >"$tmp/all"
split -n "r/$par" -d "$tmp/all" "$tmp/part."
for p in "$tmp"/part.*; do
  { echo "ssl-reqd"; echo "tlsv1.2"; echo "tls-max = 1.2"; echo "cacert = \"$ca\""
    echo "user = \"$cred\""; echo "ftp-method = $method"; echo "silent"; echo "show-error"
    [[ $method = multicwd ]] && echo "ftp-create-dirs"
    python3 -c 'import sys, urllib.parse as u
d, url = sys.argv[1], sys.argv[2]
for f in sys.stdin.read().splitlines():
    print("upload-file = \"%s/%s\"" % (d, f)); print("url = \"%s/%s\"" % (url, u.quote(f)))' "$dir" "$url" <"$p"
  } >"$p.cfg"
done
t0=$(date +%s.%N)
for p in "$tmp"/part.*.cfg; do curl -K "$p" & done
wait
t1=$(date +%s.%N)
echo "$(wc -l <"$tmp/all") files, $par curl: $(echo "$t1 - $t0" | bc) s"
