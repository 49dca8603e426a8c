#!/usr/bin/env python3
"""Runs commands interleaved and prints a markdown table of medians.

    python3 bench/interleave.py [--rounds N] [--block N] NAME=COMMAND...

Each round runs every command --block times in a row, the commands in a new
shuffled order each round, so that load that changes during the measurement
falls on every command alike (hyperfine runs one command's runs in a row).
Per run: wall time, and the child's CPU time (user + system, from wait4),
which waiting for a CPU on a loaded machine does not inflate. Ratios are to
the first command's medians. Output of the commands is discarded; a command
that fails stops the measurement.
"""
import argparse
import os
import random
import shlex
import statistics
import sys
import time


def run(argv):
    # posix_spawn (vfork-like in glibc), not fork: a forked Python child's
    # own CPU time would count as the command's and dilute every ratio.
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=DEVNULL)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"interleave: {shlex.join(argv)} failed")
    return wall, ru.ru_utime + ru.ru_stime


DEVNULL = [
    (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--block", type=int, default=20)
    ap.add_argument("commands", nargs="+")
    a = ap.parse_args()
    cmds = []
    for c in a.commands:
        name, _, cmd = c.partition("=")
        cmds.append((name, shlex.split(cmd)))
    walls = {n: [] for n, _ in cmds}
    cpus = {n: [] for n, _ in cmds}
    for n, argv in cmds:  # warm-up: page cache, and the first-repeat heal
        for _ in range(3):
            run(argv)
    for _ in range(a.rounds):
        order = cmds[:]
        random.shuffle(order)
        for n, argv in order:
            for _ in range(a.block):
                w, c = run(argv)
                walls[n].append(w)
                cpus[n].append(c)
    base = cmds[0][0]
    bw, bc = statistics.median(walls[base]), statistics.median(cpus[base])
    print("| command | median wall [ms] | median CPU [ms] | wall ÷ first | CPU ÷ first |")
    print("|:---|---:|---:|---:|---:|")
    for n, _ in cmds:
        w, c = statistics.median(walls[n]), statistics.median(cpus[n])
        print(f"| `{n}` | {w*1000:.2f} | {c*1000:.2f} | {w/bw:.3f} | {c/bc:.3f} |")
    print(f"\n{a.rounds} rounds of {a.block} runs of each, interleaved; load average before: "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
