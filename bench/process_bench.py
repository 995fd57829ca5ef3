#!/usr/bin/env python3
"""Whole-process time of an odec command: one untimed run (builds if needed), then
N timed runs (wall clock, time.perf_counter around the child process, stdout to
/dev/null). Writes OUT.tsv with the median and min.

Usage: process_bench.py OUT.tsv N COMMAND...
"""
import statistics
import subprocess
import sys
import time


def main(argv):
    out, runs, cmd = argv[1], int(argv[2]), argv[3:]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        ts.append(time.perf_counter() - t)
    with open(out, "w") as fh:
        fh.write("command\truns\tmedian_s\tmin_s\tmax_s\n")
        fh.write(f"{' '.join(cmd)}\t{runs}\t{statistics.median(ts):.4f}\t{min(ts):.4f}\t{max(ts):.4f}\n")
    print(f"{' '.join(cmd)}: median {statistics.median(ts):.3f} s over {runs} runs", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
