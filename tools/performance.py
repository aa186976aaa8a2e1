"""The performance document that `make bench` writes: ``docs/performance.md``, and the
figures it was written from, ``docs/performance.json``.

The JSON is the whole input of the markdown (every backend's report and the load run),
so the document can be checked against it, or written again from it, without measuring
anything: ``markdown(json.loads(Path("docs/performance.json").read_text()))``. The
reports it holds are each backend's ``build/bench/<backend>/benchmark.json``; one of
those copied would leave the other backends and the load run out. Every cell's seconds
stay in ``build/bench/<backend>/executed/timings.json``; the document keeps the slowest.
"""

import json
from pathlib import Path

from . import benchmark

MARKDOWN, JSON = "performance.md", "performance.json"


def document(reports, load, quick, date):
    """What the document says: ``reports`` one per backend (``tools.benchmark``'s, or
    ``{"backend": ..., "failed": True}``), ``load`` a list of load runs' figures (one
    per notebook) or None.
    """
    return {"date": date, "quick": quick, "backends": reports, "load": load}


def _seconds_to_99(report, model):
    """The median over seeds, of those that reached 99% validation accuracy."""
    row = report.get("time to 99%", {}).get(model, {})
    return row.get("median seconds to 99%")


def _shown(value, fmt="{:.1f}"):
    return "-" if value is None else fmt.format(value)


def side_by_side(reports):
    """One markdown table, a row per backend; ratios are to the first backend."""
    first = reports[0]
    measured = next((r for r in reports if "machine" in r), {"machine": {}})
    machine = measured["machine"]
    lines = [
        f"Measured {measured.get('date', '?')} on {machine.get('cores', '?')} cores "
        f"({machine.get('cpu', '?')})"
        + (", one backend after the other." if len(reports) > 1 else "."),
        "",
        "| backend | series (s) | peak memory (MiB) | final model: median s to 99% "
        "validation | keras-io recipe: median s to 99% validation | final / keras-io | "
        "final: s to 99% in keras-io epochs | series / first row |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for report in reports:
        if report.get("failed"):
            lines.append(f"| {report['backend']} | failed | | | | | | |")
            continue
        final = _seconds_to_99(report, "final model")
        reference = _seconds_to_99(report, "keras-io recipe")
        race = report.get("time to 99%")
        epochs = benchmark.in_reference_epochs(race) if race else None
        series = report.get("series seconds")
        base = first.get("series seconds")
        lines.append(
            f"| {report['machine']['backend']} | {_shown(series)} | "
            f"{_shown(report.get('peak memory MiB'), '{:.0f}')} | {_shown(final)} | "
            f"{_shown(reference)} | "
            f"{_shown(final / reference if final and reference else None, '{:.2f}')} | "
            f"{_shown(epochs, '{:.2f}')} | "
            f"{_shown(series / base if series and base else None, '{:.2f}')} |"
        )
    return "\n".join(lines) + "\n"


def load_markdown(load):
    lines = [
        f"Load run: {load['students']} students ran notebook {load['notebook']} at once "
        f"({load['backend']}, {load['cores']} cores, {load['machine memory GiB']} GiB).",
        "",
        "| student | finished | wall time (s) | peak kernel memory (MiB) |",
        "| --- | --- | ---: | ---: |",
    ]
    lines += [
        f"| {i + 1} | {'yes' if row['ok'] else 'FAILED'} | {row['seconds']:.1f} | "
        f"{row['peak MiB']} |"
        for i, row in enumerate(load["per student"])
    ]
    lines += [
        "",
        f"Memory in use rose by {load['memory added per student MiB']} MiB per student, "
        f"and the largest kernel peaked at {load['largest kernel MiB']} MiB; counting "
        "the larger of the two, a 24 GiB server (2 GiB kept for the system) holds about "
        f"{load['students per 24 GiB server']} students running this notebook at once. "
        f"Each student cost about {load['core-seconds per student']} core-seconds here, "
        "so a server of C cores serves N of them in about that times N / C seconds.",
    ]
    return "\n".join(lines) + "\n"


def markdown(doc):
    reports = doc["backends"]
    machine = next((r["machine"] for r in reports if "machine" in r), None)
    lines = ["# Measured performance", ""]
    if doc["quick"]:
        lines += [benchmark.QUICK_NOTE, ""]
    where = (
        "on a machine the bench could not describe (every backend failed)"
        if machine is None
        else f"on {machine['cores']} cores ({machine['cpu']}), "
        f"{machine.get('memory GiB', '?')} GiB of memory, GPU: {machine['gpu']}"
    )
    lines += [
        f"Written by `make bench` on {doc['date']} {where}; the figures are in "
        f"[{JSON}]({JSON}). Run `make bench` again rather than edit this file.",
        "",
        "## Backends side by side",
        "",
        side_by_side(reports).rstrip("\n"),
        "",
    ]
    for report in reports:
        if report.get("failed"):
            lines += [
                f"## {report['backend']}",
                "",
                "The bench failed on this backend; its output says why.",
                "",
            ]
            continue
        lines += [
            f"## {report['machine']['backend']}",
            "",
            benchmark.markdown(report, quick_note=False),
        ]
    lines += ["## Load run", ""]
    if doc["load"] is not None:
        lines.append("\n".join(map(load_markdown, doc["load"])))
    elif doc["quick"]:
        lines += ["None: a quick run has no load run.", ""]
    else:
        lines += ["None in this run (`LOAD=0`).", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def write(doc, folder):
    """Write the document and its JSON into ``folder``; returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / MARKDOWN, folder / JSON
    paths[0].write_text(markdown(doc))
    paths[1].write_text(json.dumps(doc, indent=1) + "\n")
    return paths
