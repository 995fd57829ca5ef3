#!/usr/bin/env python3
"""Top-frame histogram of a JFR recording's jdk.ExecutionSample events.

Usage: profile_report.py RECORDING.jfr OUT.tsv
Writes (share, samples, top frame) rows, largest first; frames of the generated
model classes (hidden classes Fn_*) are grouped as one row.
"""
import collections
import json
import subprocess
import sys


def main(jfr_file, out):
    text = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", jfr_file],
                          check=True, capture_output=True, text=True).stdout
    events = json.loads(text)["recording"]["events"]
    counts = collections.Counter()
    for e in events:
        frames = e["values"]["stackTrace"]["frames"]
        if not frames:
            continue
        m = frames[0]["method"]
        cls = m["type"]["name"].replace("/", ".")
        name = f"{cls}.{m['name']}"
        if ".Fn_" in cls or not cls.startswith(("dev.odec.", "java.", "jdk.", "sun.")):
            name = "<generated model code (compiled rhs)>"
        counts[name] += 1
    total = sum(counts.values())
    with open(out, "w") as fh:
        fh.write("share\tsamples\ttop_frame\n")
        for name, c in counts.most_common(12):
            fh.write(f"{c / total:.3f}\t{c}\t{name}\n")
    print(f"{total} samples", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
