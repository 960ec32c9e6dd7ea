#!/usr/bin/env bash
# floor.sh LABEL CMD...: runs CMD, prints wall user sys of it and the vsftpd sessions' CPU
E=${EXP:?set EXP to the experiment directory (ftp/ = a vsftpd WORKDIR, live/, home0/, pw)}
vcpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($16 + $17) / hz}' "/proc/$(head -n1 $E/ftp/ftp/vsftpd.pid)/stat"; }
label=$1; shift
v0=$(vcpu)
/usr/bin/time -f '%e %U %S' -o $E/floor.time "$@" > $E/floor.out 2>&1
sleep 0.5
echo "$label: wall/user/sys $(cat $E/floor.time) vsftpd $(echo "$(vcpu) - $v0" | bc)  | $(tail -1 $E/floor.out)"
