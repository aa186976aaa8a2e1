"""What the tests read of a stored notebook output (pytest puts tests/ on the path)."""


def output_text(output):
    """All the text of one output as nbformat stores it: a stream's text, a result's
    text/plain and text/html, an error's name, message and traceback."""
    text = output.get("text", "")
    data = output.get("data", {})
    parts = [text] + [data[k] for k in ("text/plain", "text/html") if k in data]
    if output["output_type"] == "error":
        parts += [output["ename"], output["evalue"], *output["traceback"]]
    return "".join("".join(p) if isinstance(p, list) else p for p in parts)
