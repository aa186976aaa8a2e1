"""A figure that says in words what it shows, for readers who cannot see it.

``described(fig, description, caption)`` gives a matplotlib Figure two texts:

- its **description**, computed from the data (a training curve's final accuracies, a
  confusion matrix's most confused pairs): the image's alternative text, which screen
  readers read. Jupyter stores it with the image, in the output's metadata
  (``metadata["image/png"]["alt"]``), where the course's web pages and slides find it;
- its **caption**, a short line shown under the plot (JupyterLab has no other place for
  an image's text): what kind of plot it is and its title, never a computed number, so
  that it reads the same whichever backend trained the model.

Both are set by every plot of ``going_deeper.plots``; a figure drawn in a notebook gets
them by passing it through ``described`` as the cell's last line.
"""

import re

# The image types whose output metadata carries the description (the "alt" key).
IMAGE_TYPES = ("image/png", "image/jpeg")


def described(fig, description, caption):
    """``fig`` with its description (alt text) and caption, shown with it in Jupyter."""
    if not description or not description.strip():
        raise ValueError("a figure's description is empty: say in words what it shows")
    fig.description = " ".join(description.split())
    fig.caption = " ".join(caption.split())
    # Found on the figure by IPython before any other way of showing it.
    fig._ipython_display_ = lambda: _show(fig)
    return fig


def output_bundle(fig, formatters):
    """The figure's Jupyter output: (data, metadata), the description in the images'
    metadata. ``formatters`` maps a mime type to IPython's formatter for it.
    """
    data, metadata = {}, {}
    for mime, formatter in formatters.items():
        result = formatter(fig)
        if isinstance(result, tuple):  # a formatter may give (data, metadata)
            result, extra = result
            metadata[mime] = dict(extra or {})
        if result is not None:
            data[mime] = result
    for mime in IMAGE_TYPES:
        if mime in data:
            metadata.setdefault(mime, {})["alt"] = fig.description
    return data, metadata


# Characters Markdown would read as formatting (a model named wide_pooled, a title "a*b").
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~-])")


def caption_bundle(fig):
    """The caption, as Jupyter shows it under the figure: Markdown in italics, and the
    plain text for front ends without Markdown.
    """
    markdown = MARKDOWN_SPECIAL.sub(r"\\\1", fig.caption)
    return {"text/markdown": f"*{markdown}*", "text/plain": fig.caption}


def _show(fig):
    from IPython import get_ipython
    from IPython.display import publish_display_data

    shell = get_ipython()
    data, metadata = output_bundle(fig, shell.display_formatter.formatters)
    publish_display_data(data, metadata)
    if fig.caption:
        publish_display_data(caption_bundle(fig))
