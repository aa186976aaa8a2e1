"""The maintainers' side of the course: run, render and measure the notebooks.

Students never import this: their kernels import ``going_deeper`` (in notebooks/) only.
Nothing here imports Keras or a backend, except the benchmark, which trains.
"""
