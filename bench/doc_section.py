"""Replaces one '## ' section of a Markdown file (or appends it): the benchmark scripts write their
figures into docs/BENCHMARKS.md this way, leaving the other sections alone."""


def replace_section(doc, lines):
    """Writes `lines` (whose first line is the '## ' heading) in place of that section of `doc`."""
    heading = lines[0]
    text = open(doc).read()
    start = text.find(heading)
    if start >= 0:
        end = text.find("\n## ", start + 5)
        text = text[:start] + "\n".join(lines) + ("\n" + text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines)
    open(doc, "w").write(text)
