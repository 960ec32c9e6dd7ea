#!/usr/bin/env bash
# inc.sh ROOT [extra env]: one incremental of exp/live to the private vsftpd from a fresh copy of
# the post-full MAILOPS_HOME; prints wall user sys
set -euo pipefail
E=${EXP:?set EXP to the experiment directory (ftp/ = a vsftpd WORKDIR, live/, home0/, pw)}
root=$1
rm -rf "$E"/ftp/ftp/home/mailops/*-incremental-all "$E/home"
cp -a "$E/home0" "$E/home"
rm -rf "$E"/home/backup/work/manifest-cache/*-incremental-all
MAILOPS_HOME=$E/home ${WRAP:-} /usr/bin/time -f '%e %U %S' -o "$E/last.time" "$root/bin/mailops" backup run --incremental \
  --storage "maildir:$E/live" --to ftps://mailopsftp@127.0.0.1:10221/mailops --password-file "$E/pw" \
  --ca-file "$E/ftp/ftp/ftp.crt" > "$E/last.out"
echo "$(cat "$E/last.time") files=$(find "$E"/ftp/ftp/home/mailops/*-incremental-all -type f | wc -l)"
