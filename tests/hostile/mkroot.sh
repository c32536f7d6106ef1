#!/bin/sh
# mkroot.sh DIR: write a small, valid /proc fixture tree (for --root) into
# DIR.  The hostile cases start from it and break one file each.
set -eu
d=$1
mkdir -p "$d/proc/sys/kernel" "$d/proc/sys/fs/mqueue" "$d/proc/sysvipc" \
    "$d/dev/mqueue"
k=$d/proc/sys/kernel
echo 18446744073692774399 >"$k/shmmax"
echo 18446744073692774399 >"$k/shmall"
echo 4096 >"$k/shmmni"
echo 0 >"$k/shm_rmid_forced"
printf '32000\t1024000000\t500\t32000\n' >"$k/sem"
echo 8192 >"$k/msgmax"
echo 16384 >"$k/msgmnb"
echo 32000 >"$k/msgmni"
echo db1.example.com >"$k/hostname"
echo 6.1.0-18-amd64 >"$k/osrelease"
m=$d/proc/sys/fs/mqueue
echo 256 >"$m/queues_max"
echo 10 >"$m/msg_max"
echo 8192 >"$m/msgsize_max"
echo 10 >"$m/msg_default"
echo 8192 >"$m/msgsize_default"
printf 'MemTotal:       16318508 kB\nMemFree:         1000000 kB\n' \
    >"$d/proc/meminfo"
echo 'BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet' >"$d/proc/cmdline"
cat >"$d/proc/sysvipc/shm" <<'T'
       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap
1924635399          0   644                 65536  1832     0      0     0     0     0     0          0          0 1700000000                     0                     0
-138282416          1   600                  4096  1833  1900      1  1000  1000  1000  1000 1700000100          0 1700000000                  4096                     0
T
cat >"$d/proc/sysvipc/sem" <<'T'
       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime
1381060705          0   644          8     0     0     0     0          0 1700000000
T
cat >"$d/proc/sysvipc/msg" <<'T'
       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime
-913405647          0   644           0          0     0     0     0     0     0     0          0          0 1700000000
T
