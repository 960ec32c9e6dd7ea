#!/usr/bin/env bash
# full.sh ROOT LABEL: one full backup of exp/live to the private vsftpd (dir mo-LABEL), fresh MAILOPS_HOME
set -euo pipefail
E=${EXP:?set EXP to the experiment directory (ftp/ = a vsftpd WORKDIR, live/, home0/, pw)}
root=$1 label=$2
rm -rf "$E/ftp/ftp/home/mo-$label" "$E/home-full-$label"
vcpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($16 + $17) / hz}' "/proc/$(head -n1 $E/ftp/ftp/vsftpd.pid)/stat"; }
v0=$(vcpu)
MAILOPS_HOME=$E/home-full-$label ${WRAP:-} /usr/bin/time -f '%e %U %S' -o "$E/full-$label.time" "$root/bin/mailops" backup run --full \
  --storage "maildir:$E/live" --to "ftps://mailopsftp@127.0.0.1:10221/mo-$label" --password-file "$E/pw" \
  --ca-file "$E/ftp/ftp/ftp.crt" > "$E/full-$label.out"
sleep 0.5
echo "$label: $(cat "$E/full-$label.time") vsftpd $(echo "$(vcpu) - $v0" | bc) files=$(find "$E/ftp/ftp/home/mo-$label" -type f | wc -l) bytes=$(du -sb "$E/ftp/ftp/home/mo-$label" | cut -f1)"
rm -rf "$E/home-full-$label" "$E/ftp/ftp/home/mo-$label"
