#!/bin/sh
# status against the kernel's own figures: ipcs -u (the *_INFO counters),
# /proc/sysvipc summed the way the kernel charges, and /proc/sys after
# writing odd limits; the page-rounding case lsipc gets wrong; findings.
. "$(dirname "$0")/lib.sh"
enter_private_ns
save_defaults
J=$TMPD/status.json
PG=$(getconf PAGESIZE)

# used NAME / limit NAME: a resource's figure from the JSON status
used() { jq -r --arg n "$1" '.resources[] | select(.name == $n) | .used' "$J"; }
limit() { jq -r --arg n "$1" '.resources[] | select(.name == $n) |
    if .limit == null then .limit_exact else .limit end' "$J"; }
# ipcs_u PATTERN: the number on the line of ipcs -u matching PATTERN
ipcs_u() { ipcs -u | sed -n "s/^$1[^0-9]*\([0-9][0-9]*\).*/\1/p"; }

# --- odd limits: status reports what /proc/sys holds ---
sysctl_set shmmni 4093
sysctl_set shmall 123457
sysctl_set shmmax 7777777
sysctl_set sem "251 32001 33 129"
sysctl_set msgmni 1234
sysctl_set msgmnb 16385
sysctl_set msgmax 8191
"$IPCTUNE" status --format json >"$J"
check "status --format json exits 0" test -s "$J"
expect_eq "shmmni limit = /proc/sys" "$(cat /proc/sys/kernel/shmmni)" \
    "$(limit shmmni)"
expect_eq "shmall limit = /proc/sys" "$(cat /proc/sys/kernel/shmall)" \
    "$(limit shmall)"
expect_eq "shmmax limit = /proc/sys" "$(cat /proc/sys/kernel/shmmax)" \
    "$(limit shmmax)"
set -- $(cat /proc/sys/kernel/sem)
expect_eq "semmsl limit = kernel.sem field 1" "$1" "$(limit semmsl)"
expect_eq "semmns limit = kernel.sem field 2" "$2" "$(limit semmns)"
expect_eq "semopm limit = kernel.sem field 3" "$3" "$(limit semopm)"
expect_eq "semmni limit = kernel.sem field 4" "$4" "$(limit semmni)"
expect_eq "kernel.sem as named fields" "251 32001 33 129" \
    "$(jq -r '.sysctls["kernel.sem"] | "\(.semmsl) \(.semmns) \(.semopm) \(.semmni)"' "$J")"
expect_eq "msgmni limit = /proc/sys" "$(cat /proc/sys/kernel/msgmni)" \
    "$(limit msgmni)"
expect_eq "msgmnb limit = /proc/sys" "$(cat /proc/sys/kernel/msgmnb)" \
    "$(limit msgmnb)"
expect_eq "msgmax limit = /proc/sys" "$(cat /proc/sys/kernel/msgmax)" \
    "$(limit msgmax)"
expect_eq "mqueue_queues limit = fs.mqueue.queues_max" \
    "$(cat /proc/sys/fs/mqueue/queues_max)" "$(limit mqueue_queues)"
ipcs -l >"$TMPD/ipcs-l"
expect_match "ipcs -l agrees on the max number of segments" \
    "^max number of segments = $(limit shmmni)\$" "$TMPD/ipcs-l"
expect_match "ipcs -l agrees on the max semaphores per array" \
    "^max semaphores per array = $(limit semmsl)\$" "$TMPD/ipcs-l"
expect_match "ipcs -l agrees on the max queues system wide" \
    "^max queues system wide = $(limit msgmni)\$" "$TMPD/ipcs-l"

# --- a known mix of objects; usage against ipcs -u and /proc/sysvipc ---
hold shm size=1 count=100 \
    shm size=$((PG + 1)) count=3 \
    shm size=1048576 attach fill=0x5a \
    sem nsems=5 count=7 semop=1 \
    sem nsems=11 count=3 \
    msg count=4 send=3 bytes=100 \
    msg count=2 || exit 1
"$IPCTUNE" status --format json >"$J"
expect_eq "shmmni used = ipcs -u segments allocated" \
    "$(ipcs_u 'segments allocated')" "$(used shmmni)"
expect_eq "shmmni used = the 104 segments created" 104 "$(used shmmni)"
expect_eq "shmall used = ipcs -u pages allocated (shm_tot)" \
    "$(ipcs_u 'pages allocated')" "$(used shmall)"
expect_eq "shmall used = segments rounded up to pages" \
    "$(awk -v pg="$PG" 'NR > 1 { t += int(($4 + pg - 1) / pg) }
    END { print t }' /proc/sysvipc/shm)" "$(used shmall)"
expect_eq "shmall used = 100 + 3*2 + 1MiB/page" \
    $((100 + 6 + 1048576 / PG)) "$(used shmall)"
expect_eq "shmmax used = the largest segment" 1048576 "$(used shmmax)"
expect_eq "shmmax largest_new = min(shmmax, pages left * page size)" \
    "$(awk -v a=123457 -v u="$(used shmall)" -v pg="$PG" -v m=7777777 \
    'BEGIN { l = (a - u) * pg; print (m < l ? m : l) }')" \
    "$(jq -r '.resources[] | select(.name == "shmmax") | .largest_new' "$J")"
expect_eq "semmni used = ipcs -u used arrays" "$(ipcs_u 'used arrays')" \
    "$(used semmni)"
expect_eq "semmns used = ipcs -u allocated semaphores" \
    "$(ipcs_u 'allocated semaphores')" "$(used semmns)"
expect_eq "semmns used = 7*5 + 3*11" 68 "$(used semmns)"
expect_eq "semmsl used = the largest array" 11 "$(used semmsl)"
expect_eq "msgmni used = ipcs -u allocated queues" \
    "$(ipcs_u 'allocated queues')" "$(used msgmni)"
expect_eq "msgmnb used = the fullest queue's bytes" 300 "$(used msgmnb)"
expect_eq "msgmnb: the fullest queue's own qbytes" 16385 \
    "$(jq -r '.resources[] | select(.name == "msgmnb") | .object_limit' "$J")"
"$IPCTUNE" snapshot >"$TMPD/snap.json"
expect_eq "usage.msg_messages = ipcs -u used headers" \
    "$(ipcs_u 'used headers')" "$(jget .usage.msg_messages "$TMPD/snap.json")"
expect_eq "usage.msg_bytes = ipcs -u used space" \
    "$(ipcs_u 'used space')" "$(jget .usage.msg_bytes "$TMPD/snap.json")"
expect_eq "usage.shm_rss_pages = ipcs -u pages resident" \
    "$(ipcs_u 'pages resident')" \
    "$(jget .usage.shm_rss_pages "$TMPD/snap.json")"
expect_eq "the 1 MiB segment filled by the helper is resident" \
    $((1048576 / PG)) "$(jget .usage.shm_rss_pages "$TMPD/snap.json")"
expect_eq "free = limit - used (shmmni)" $((4093 - 104)) \
    "$(jq -r '.resources[] | select(.name == "shmmni") | .free' "$J")"
# a table reads the same numbers
"$IPCTUNE" status --bytes -n -o RESOURCE,LIMIT,USED,FREE >"$TMPD/t"
expect_match "table: shmall row, raw numbers" \
    "^shmall +123457 +$(used shmall) +$((123457 - $(used shmall)))\$" \
    "$TMPD/t"
expect_match "table: shmmax row in bytes" "^shmmax +7777777 +1048576 " \
    "$TMPD/t"

# --- page rounding: 100 segments of 1 byte are 100 pages, not 1 ---
ipc_reset
"$HELPER" -q shm size=1 count=100 >/dev/null
"$IPCTUNE" status --format json >"$J"
expect_eq "100 one-byte segments: ipcs -u pages allocated" 100 \
    "$(ipcs_u 'pages allocated')"
expect_eq "100 one-byte segments: ipctune shmall used = shm_tot" 100 \
    "$(used shmall)"
lsipc_used=$(lsipc -g -b --noheadings -o RESOURCE,USED | awk '$1 == "SHMALL" { print $2 }')
echo "# lsipc -g reports SHMALL used $lsipc_used pages for the same segments"
check "lsipc -g answered (its figure is printed above)" test -n "$lsipc_used"
"$IPCTUNE" owners --format json >"$TMPD/o.json"
expect_eq "owners: root's pages are rounded too" 100 \
    "$(jget '.owners[] | select(.uid == 0) | .shm_pages' "$TMPD/o.json")"

# --- findings ---
ipc_reset
sysctl_set shmmax 1073741824
sysctl_set shmall 1000
sysctl_set msgmax 65536
sysctl_set msgmnb 16384
sysctl_set shmmni 10
"$HELPER" -q shm size=1 count=9 >/dev/null
"$IPCTUNE" status --format json >"$J"
codes=$(jq -r '[.findings[] | "\(.code):\(.resource // "")"] | join(" ")' "$J")
case "$codes" in *shmall_below_shmmax:shmall*) ok "finding: shmall below shmmax in pages" ;;
*) fail "finding: shmall below shmmax in pages (got: $codes)" ;; esac
case "$codes" in *msgmax_above_msgmnb:msgmax*) ok "finding: msgmax above msgmnb" ;;
*) fail "finding: msgmax above msgmnb (got: $codes)" ;; esac
case "$codes" in *limit_near:shmmni*) ok "finding: shmmni 90% used" ;;
*) fail "finding: shmmni 90% used (got: $codes)" ;; esac
expect_eq "90% is a warning" warning \
    "$(jq -r '.findings[] | select(.code == "limit_near") | .level' "$J")"
"$IPCTUNE" status >"$TMPD/t"
expect_match "findings printed below the table" \
    '^warning: shmmni is 90.0% used: 9 of 10 segments' "$TMPD/t"
"$HELPER" -q shm size=1 >/dev/null
"$IPCTUNE" status --format json >"$J"
expect_eq "10 of 10 segments: limit_reached is critical" critical \
    "$(jq -r '.findings[] | select(.code == "limit_reached" and .resource == "shmmni") | .level' "$J")"
expect_status "the 11th segment really fails" 1 "$HELPER" shm size=1
expect_match "... with ENOSPC" 'No space left on device' "$TMPD/err"
sysctl_set shmall 18446744073692774399
sysctl_set shmmax 18446744073692774399
sysctl_set msgmax 8192
"$IPCTUNE" status --format json >"$J"
expect_eq "no shmall/msgmax finding with sane limits" "" \
    "$(jq -r '.findings[] | select(.code == "shmall_below_shmmax" or .code == "msgmax_above_msgmnb") | .code' "$J")"
expect_eq "unlimited shmall: limit null, limit_exact holds the digits" \
    "null 18446744073692774399" \
    "$(jq -r '.resources[] | select(.name == "shmall") | "\(.limit) \(.limit_exact)"' "$J")"

# --- more than 4096 objects: counters answer, the largest rows say so ---
ipc_reset
sysctl_set shmmni 8000
"$HELPER" -q shm size=1 count=4200 shm size=77777 sem nsems=3 count=4097 \
    sem nsems=9 >/dev/null
"$IPCTUNE" status --format json >"$J"
expect_eq "4,201 segments: shmmni used from SHM_INFO" \
    "$(ipcs_u 'segments allocated')" "$(used shmmni)"
expect_eq "4,201 segments: shmall used from SHM_INFO" \
    "$(ipcs_u 'pages allocated')" "$(used shmall)"
expect_eq "4,098 arrays: semmns used from SEM_INFO" \
    "$(ipcs_u 'allocated semaphores')" "$(used semmns)"
expect_eq "the largest-segment row is not scanned, not guessed" "null true" \
    "$(jq -r '.resources[] | select(.name == "shmmax") | "\(.used) \(.scan_skipped)"' "$J")"
expect_eq "the largest-array row is not scanned, not guessed" "null true" \
    "$(jq -r '.resources[] | select(.name == "semmsl") | "\(.used) \(.scan_skipped)"' "$J")"
"$IPCTUNE" status >"$TMPD/t"
expect_match "the table says why" \
    '^semmsl .* not scanned: 4,098 objects \(--scan\)' "$TMPD/t"
# a command reads only what it needs: no *_STAT_ANY loop for status
# (LeakSanitizer cannot run under ptrace: off for these two runs)
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -c \
    -o "$TMPD/strace" -e trace=shmctl,semctl,msgctl \
    "$IPCTUNE" status --format json >/dev/null
expect_eq "status with 8,299 objects makes fewer than 20 *ctl calls" yes \
    "$(awk '$NF ~ /^(shm|sem|msg)ctl$/ { n += $4 } END { print (n > 0 && n < 20) ? "yes" : n }' "$TMPD/strace")"
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -c \
    -o "$TMPD/strace" -e trace=semctl \
    "$IPCTUNE" list sem --format json >/dev/null
expect_eq "list sem makes one semctl per array (and a few more)" yes \
    "$(awk '$NF == "semctl" { print ($4 >= 4098 && $4 < 4110) ? "yes" : $4 }' "$TMPD/strace")"
"$IPCTUNE" status --scan --format json >"$J"
expect_eq "--scan: the largest segment" 77777 "$(used shmmax)"
expect_eq "--scan: the largest array" 9 "$(used semmsl)"
sysctl_set shmmni 4096

# --- /dev/shm: a private tmpfs, filled to more than 90% ---
mount -t tmpfs -o size=1m tmpfs /dev/shm
dd if=/dev/zero of=/dev/shm/fill bs=1024 count=950 2>/dev/null
"$IPCTUNE" status --format json >"$J"
expect_eq "dev_shm limit = tmpfs size" 1048576 "$(limit dev_shm)"
expect_eq "dev_shm used = df's used bytes" \
    "$(df -B1 --output=used /dev/shm | tail -1 | tr -d ' ')" "$(used dev_shm)"
expect_eq "dev_shm >= 90% used is a finding" limit_near \
    "$(jq -r '.findings[] | select(.resource == "dev_shm") | .code' "$J")"
umount /dev/shm
ipc_reset

# POSIX queues are counted by a child that mounts this namespace's
# mqueue fs privately: 3 queues, also with SIGCHLD ignored by the caller
mkdir -p "$TMPD/mq" && mount -t mqueue mqueue "$TMPD/mq" &&
    touch "$TMPD/mq/a" "$TMPD/mq/b" "$TMPD/mq/c" && umount "$TMPD/mq"
mounts_before=$(grep -c ' mqueue ' /proc/self/mounts)
"$IPCTUNE" status --format json >"$J"
expect_eq "mqueue_queues used: the 3 queues of this namespace" 3 \
    "$(used mqueue_queues)"
"$PYTHON" -c 'import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$IPCTUNE" status --format json >"$J"
expect_eq "mqueue_queues used with SIGCHLD ignored" 3 "$(used mqueue_queues)"
expect_eq "the count left no mqueue mount behind" "$mounts_before" \
    "$(grep -c ' mqueue ' /proc/self/mounts)"

# the limits the kernel fixes when it is built, as lsipc -g shows them
"$IPCTUNE" status -n --bytes -o RESOURCE,LIMIT,USED,FREE,SYSCTL,NOTE >"$TMPD/t"
lsipc -g --noheadings --bytes --raw -o RESOURCE,LIMIT |
    awk '$1 == "SEMVMX" || $1 == "SHMMIN" { print tolower($1), $2 }' |
    sort >"$TMPD/a"
awk '$1 == "semvmx" || $1 == "shmmin" { print $1, $2 }' "$TMPD/t" | sort \
    >"$TMPD/b"
check "semvmx and shmmin: lsipc -g's limits" cmp "$TMPD/a" "$TMPD/b"
expect_eq "... two rows, not one more" 2 "$(wc -l <"$TMPD/b")"
expect_match "semvmx: a limit without usage, sysctl or headroom" \
    '^semvmx +32767 +- +- +- +kernel constant$' "$TMPD/t"
"$IPCTUNE" status -n -o RESOURCE,LIMIT >"$TMPD/t"
expect_match "shmmin in human units: 1B" '^shmmin +1B$' "$TMPD/t"
"$IPCTUNE" status --format json >"$J"
expect_eq "JSON: kernel_constants" "semvmx 32767 value|shmmin 1 bytes|" \
    "$(jq -r '.kernel_constants[] | "\(.name) \(.value) \(.unit)"' "$J" |
    tr '\n' '|')"
check "status JSON with kernel_constants validates" \
    validate "$SCHEMAS/status-1.json" "$J"
expect_eq "JSON: the constants are not resources" 0 \
    "$(jq '[.resources[] | select(.name == "semvmx" or .name == "shmmin")] |
    length' "$J")"
finish
