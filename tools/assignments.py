"""`make assignments`: an nbgrader course folder of graded exercises (build/assignments).

From the one exercise source (the exercise modules in notebooks/going_deeper/exercises/,
which also write the notebooks' exercise cells, and the course table's exercise ids) it
writes, for each notebook from 01 on, an nbgrader assignment (``01_shallow_cnn`` ...)
holding that notebook's exercises in their *graded variants* (``GRADED`` below): the same
kind of question with other layer sizes or other inputs, each worth stated points, and
the definitions the exercises need (Keras, the notebook's own helper functions), with no
training. Then ``nbgrader generate_assignment`` makes the release version.

    build/assignments/               the course folder (nbgrader's CourseDirectory.root)
      nbgrader_config.py             the course id, the answer stub, the cell timeout
      source/NAME/NAME.ipynb         answers and hidden tests: instructors only (0700)
      release/NAME/NAME.ipynb        what students get: no answers, no hidden tests
      gradebook.db                   nbgrader's database (0600)

A graded variant's answer is computed here, at build time, with the course's own formulas
(and, for a change exercise, checked against the model Keras builds); it is written only
into the source notebooks' hidden tests. No file of the repository holds it, and the
students' package (what a kernel imports) knows nothing of the graded variants.

    python -m tools.assignments [--out build/assignments] [--only 01 02]
"""

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .course import CourseError, read_course
from .paths import BUILD_DIR, NOTEBOOK_DIR, SeriesError, import_students_package

COURSE_ID = "going-deeper"
OUT_DIR = BUILD_DIR / "assignments"
CELL_TIMEOUT = 120  # seconds per cell when nbgrader runs a notebook (Keras' import)
ANSWER_STUB = "answer = None  # your answer, in place of None\n"


@dataclass(frozen=True)
class Graded:
    """The graded variant of one exercise: other values, the same kind of question.

    ``answer`` is a function, called only when the assignments are built, so that
    importing this module computes no graded answer. For a change exercise, ``edit``
    is (what the marked line holds, what it holds once changed), applied to the model
    cell of the notebook's own exercise, and Keras must build what ``answer`` says;
    ``answer`` None: what Keras builds is the answer (a model still being revised).
    """

    question: str
    answer: Callable | None
    points: int
    form: str  # the answer's form, as the student writes it
    edit: tuple = ()


def _counting():
    return import_students_package().counting


def _c(*args):
    return _counting().conv2d_params(*args)


def _d(*args):
    return _counting().dense_params(*args)


def _side(*args, **kwargs):
    return _counting().conv_output_size(*args, **kwargs)


def _receptive_fields(*kernels):
    """The patch each of stacked stride-1 convolutions sees: 1 + sum of (k - 1)."""
    return tuple(1 + sum(k - 1 for k in kernels[: i + 1]) for i in range(len(kernels)))


def _batch_norm(channels):
    """Scale, shift, running mean and running variance per channel."""
    return 4 * channels


def _pool(image):
    return import_students_package().pooling.max_pool2d(image).tolist()


GRADED_IMAGE = [[5, 1, 0, 2], [3, 9, 4, 1], [6, 2, 8, 7], [1, 0, 3, 11]]

GRADED = {
    "01.1": Graded(
        "The shallow CNN (a 2x2 `Conv2D` on 28x28x1 images, `Flatten`, `Dense(10)`) "
        "with 24 filters: how many parameters in total?",
        lambda: _c(2, 2, 1, 24) + _d(27 * 27 * 24, 10),
        2,
        "a number",
    ),
    "01.2": Graded(
        "`Conv2D(12, kernel_size=6)` on a 28x28x1 image, default padding: what output "
        "shape (height, width, channels)?",
        lambda: (_side(28, 6), _side(28, 6), 12),
        2,
        "a tuple (height, width, channels)",
    ),
    "01.3": Graded(
        "Change the kernel of the shallow CNN below from 2x2 to 6x6. Predict: the "
        "output shape of the `Conv2D` layer and the model's total parameters.",
        lambda: ((_side(28, 6),) * 2 + (10,), _c(6, 6, 1, 10) + _d(23 * 23 * 10, 10)),
        3,
        "((height, width, channels), total parameters)",
        ("kernel_size=2", "kernel_size=6"),
    ),
    "02.1": Graded(
        "`Conv2D(6, kernel_size=5, padding='same')` followed by "
        "`Conv2D(6, kernel_size=5)` on a 28x28x1 image: what output shape after the "
        "second layer?",
        lambda: (_side(28, 5), _side(28, 5), 6),
        2,
        "a tuple (height, width, channels)",
    ),
    "02.2": Graded(
        "Give the `Conv2D` layer below `strides=3` (keep its 3x3 kernel and 'valid' "
        "padding). Predict: what output shape does it give a 28x28x1 image?",
        lambda: (_side(28, 3, stride=3), _side(28, 3, stride=3), 8),
        3,
        "a tuple (height, width, channels)",
        ("kernel_size=3),", "kernel_size=3, strides=3),"),
    ),
    "02.3": Graded(
        "Two networks, five runs each: `compare_runs` prints validation accuracy "
        '+1.90 points, p = 0.008. Which words describe that result: `"detected"`, '
        '`"no difference"` or `"no evidence"`? Answer with the words, in quotes.',
        lambda: "detected",
        2,
        "words in quotes",
    ),
    "03.1": Graded(
        "Stacked convolutions with 3x3, 5x5 and 7x7 kernels, in that order (stride 1): "
        "how many pixels wide is the patch one unit of each layer sees?",
        lambda: _receptive_fields(3, 5, 7),
        2,
        "a tuple (first layer, second layer, third layer)",
    ),
    "03.2": Graded(
        "Give the second `Conv2D` layer of the deep CNN below a 4x4 kernel. Predict: "
        "how many pixels wide is the patch one unit of that layer sees, and what is its "
        "output shape?",
        lambda: (1 + 1 + 3, (_side(28, 4), _side(28, 4), 10)),
        3,
        "(pixels wide, (height, width, channels))",
        ('kernel_size=2, activation="relu"),', 'kernel_size=4, activation="relu"),'),
    ),
    "03.3": Graded(
        "A notebook prints five comparisons with `compare_runs` at alpha 0.05, and no "
        "network differs from any other at all. At most, what is the chance that at "
        "least one of the five still reads as detected?",
        lambda: 5 * import_students_package().comparing.ALPHA,
        2,
        "a number between 0 and 1",
    ),
    "04.1": Graded(
        "A `Dense(48)` layer reading a flattened 5x5x40 feature map: how many "
        "parameters?",
        lambda: _d(5 * 5 * 40, 48),
        2,
        "a number",
    ),
    "04.2": Graded(
        "`Conv2D(24, kernel_size=7)` on images with 4 channels: how many parameters?",
        lambda: _c(7, 7, 4, 24),
        2,
        "a number",
    ),
    "04.3": Graded(
        "In the CNN below, give both `Conv2D` layers 12 filters instead of 10 (keep "
        "`padding='same'`). Predict its total parameters.",
        lambda: _c(3, 3, 1, 12) + _c(3, 3, 12, 12) + _d(28 * 28 * 12, 10),
        3,
        "a number",
        ("Conv2D(10, 3,", "Conv2D(12, 3,"),
    ),
    "04.4": Graded(
        "You trained three networks and kept the one with the best *validation* score. "
        "As an estimate of its accuracy on new images, is that validation score "
        '`"fair"`, `"optimistic"` (too high) or `"pessimistic"` (too low), on average?',
        lambda: "optimistic",
        2,
        "a word in quotes",
    ),
    "05.1": Graded(
        "2x2 max pooling, stride 2, of this 4x4 image: what 2x2 result?\n\n```\n"
        + "\n".join(" ".join(f"{v:2d}" for v in row) for row in GRADED_IMAGE)
        + "\n```",
        lambda: _pool(GRADED_IMAGE),
        2,
        "a list of two lists",
    ),
    "05.2": Graded(
        "`MaxPool2D(pool_size=4, strides=3)` on a 31x31x8 feature map: what output "
        "shape?",
        lambda: (_side(31, 4, 3), _side(31, 4, 3), 8),
        2,
        "a tuple (height, width, channels)",
    ),
    "05.3": Graded(
        "Give the first `Conv2D` layer of the pooled CNN below 8 filters instead of 5. "
        "Predict: the shape that reaches `Flatten` and the total parameters.",
        lambda: ((5, 5, 15), _c(3, 3, 1, 8) + _c(3, 3, 8, 15) + _d(5 * 5 * 15, 10)),
        3,
        "((height, width, channels), total parameters)",
        ("Conv2D(5, kernel_size=3", "Conv2D(8, kernel_size=3"),
    ),
    "05.4": Graded(
        "The unpooled network of notebook 05 keeps everything of the pooled one but its "
        "two `MaxPool2D` layers. One of these cannot be held equal between the two, "
        'because pooling itself changes it: `"filters"`, `"multiply-adds"` or '
        '`"kernel size"`? Answer with the words, in quotes.',
        lambda: "multiply-adds",
        2,
        "words in quotes",
    ),
    "06.1": Graded(
        "You have chosen the final model and trained it once more; now you report how "
        "well it does on images it has never seen. Which images give that score: "
        '`"training"`, `"validation"` or `"test"`? Answer with the word, in quotes.',
        lambda: "test",
        2,
        "a word in quotes",
    ),
    "06.2": Graded(
        "Change the pooled 16-32 network's `Dropout(0.5)` below to `Dropout(0.4)`. "
        "Predict: for one image at a training step, how many of the values `Flatten` "
        "hands to it does it set to zero, on average?",
        lambda: round(0.4 * 5 * 5 * 32),
        3,
        "a number",
        ("Dropout(0.5)", "Dropout(0.4)"),
    ),
    "07.1": Graded(
        "In the final model, the second convolution gets 48 filters instead of 32: how "
        "many parameters does the first `Dense` layer (128 units) have now?",
        lambda: _d(5 * 5 * 48, 128),
        2,
        "a number",
    ),
    "07.2": Graded(
        "Give the final model's first convolution 24 filters instead of 16 below. "
        "Predict its total parameters.",
        None,  # Keras counts the notebook's model, changed
        3,
        "a number",
        ("Conv2D(16, kernel_size=5", "Conv2D(24, kernel_size=5"),
    ),
    "07.3": Graded(
        "The dropout comparison of notebook 06 ran five runs of each network. With "
        "`compare_runs` at alpha 0.01 instead of 0.05, and the same number of runs of "
        "each, what is the fewest runs of each with which a difference can be detected "
        "at all, however large it is?",
        lambda: import_students_package().comparing.fewest_runs(0.01),
        2,
        "a number",
    ),
    "08.1": Graded(
        "A `Dense` layer with 10 outputs reads a 64x64 colour image (3 channels) "
        "flattened: how many parameters?",
        lambda: _d(64 * 64 * 3, 10),
        2,
        "a number",
    ),
    "08.2": Graded(
        "The final model trained on 28x28 grey images of 20 classes (its output layer "
        "`Dense(20)`): how many parameters does that output layer have?",
        lambda: _d(128, 20),
        2,
        "a number",
    ),
    "08.3": Graded(
        "Give the final model 48x48 colour images: change its input to "
        "`keras.Input(shape=(48, 48, 3))` below. Predict its total parameters.",
        None,  # Keras counts the notebook's model, changed
        3,
        "a number",
        ("shape=(28, 28, 1)", "shape=(48, 48, 3)"),
    ),
    "08.4": Graded(
        "A change cuts validation errors from 2.0% to 1.8% on MNIST, and from 20% to 15% "
        "on Fashion-MNIST. As a share of the errors it removes, on which data set is its "
        'effect larger: `"MNIST"` or `"Fashion-MNIST"`? Answer with the name, in quotes.',
        lambda: "Fashion-MNIST",
        2,
        "a name in quotes",
    ),
}


class AssignmentError(SeriesError):
    """The assignments cannot be built; the message names the file and the fix."""


def normalise(value):
    """Tuples as lists, NumPy numbers as Python numbers: how answers are compared."""
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (list, tuple)):
        return value.item()
    return value


def graded_answers(ids=None):
    """{exercise id: its graded answer}, computed now (instructors' side only)."""
    answers = {}
    for ex_id, variant in GRADED.items():
        if ids is None or ex_id in ids:
            answers[ex_id] = (
                normalise(variant.answer()) if variant.answer else keras_answer(ex_id)
            )
    return answers


def keras_answer(ex_id):
    """What Keras builds from notebook NN's model_to_change, changed by the variant."""
    import importlib

    import keras
    import nbformat
    from keras import layers

    import_students_package()
    exercises = importlib.import_module("going_deeper.exercises")
    entry = read_course().notebook(ex_id[:2])
    notebook = nbformat.read(NOTEBOOK_DIR / entry.file, as_version=4)
    namespace = {"keras": keras, "layers": layers, "N_CLASSES": 10}
    for source in _definitions(notebook.cells, {"conv_block"}):
        exec(source, namespace)
    cell = next(
        c
        for c in notebook.cells
        if "exercise" in c.metadata.get("tags", []) and f'"{ex_id}"' in c.source
    )
    old, new = GRADED[ex_id].edit
    model = _model_lines(cell.source)
    if old not in model:
        raise AssignmentError(
            f"tools/assignments.py: the graded edit of exercise {ex_id} changes "
            f"{old!r}, which the model of notebooks/{entry.file} does not hold; fix "
            "the edit in GRADED."
        )
    scope = dict(namespace)
    exec(model.replace(old, new), scope)
    observe = exercises.CHANGE_EXERCISES[ex_id].observe
    return normalise(observe(scope["model_to_change"]))


def assignment_name(entry):
    """The assignment of notebook 01_shallow_cnn.ipynb is 01_shallow_cnn."""
    return Path(entry.file).stem


def nbgrader_meta(kind, grade_id, points=None):
    meta = {"schema_version": 3, "grade_id": grade_id, "locked": kind != "answer"}
    meta["solution"] = kind == "answer"
    meta["grade"] = kind == "tests"
    meta["task"] = False
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _definitions(cells, used):
    """The notebook's own functions that the exercise cells use (conv_block ...)."""
    sources = []
    for cell in cells:
        if cell.cell_type != "code":
            continue
        try:
            body = ast.parse(cell.source).body
        except SyntaxError:
            continue
        for node in body:
            if isinstance(node, ast.FunctionDef) and node.name in used:
                sources.append(ast.get_source_segment(cell.source, node))
    return sources


def _model_lines(source):
    """The exercise cell's model, without the checker's import and call."""
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("model_to_change"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("])"))
    return "\n".join(lines[start : end + 1])


SETUP = """\
import keras
from keras import layers

N_CLASSES = 10
"""

# The comparison the hidden tests make, written into each hidden test cell itself: a name
# defined in a cell the student can run before it (the set-up cell) could be redefined by
# the student (`_same = lambda a, b: True`) to pass every test.
HIDDEN_SAME = """\
def _graded_same(a, b):  # numbers and lists: (26, 26, 8) is [26, 26, 8]
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_graded_same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) < 1e-9
    if isinstance(a, str) and isinstance(b, str):  # a word: case and spaces aside
        return a.strip().lower() == b.strip().lower()
    return False
"""


def source_notebook(entry, exercises):
    """The assignment's source notebook: answers in solution regions, hidden tests."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    notebook = nbformat.read(NOTEBOOK_DIR / entry.file, as_version=4)
    model_cells, used = {}, set()
    for cell in notebook.cells:
        if (
            "exercise" in cell.metadata.get("tags", [])
            and "model_to_change" in cell.source
        ):
            ex_id = next(i for i in entry.exercises if f'"{i}"' in cell.source)
            model_cells[ex_id] = _model_lines(cell.source)
            used |= {
                n.id for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Name)
            }
    setup = "\n\n".join([SETUP.rstrip(), *_definitions(notebook.cells, used)])
    total = sum(GRADED[ex_id].points for ex_id in entry.exercises)
    cells = [
        new_markdown_cell(
            f"# Graded exercises {entry.heading}\n\n"
            f"{len(entry.exercises)} exercises, {total} points. Write each answer in "
            "place of `None` and run the cell; the check below it says only whether "
            "an answer is there, not whether it is right: your answers are graded "
            "after you submit. Run the whole notebook (*Kernel > Restart Kernel and "
            "Run All Cells*) before you submit; do not delete or copy cells.",
            metadata=nbgrader_meta("text", f"intro_{entry.number}"),
        ),
        new_code_cell(setup, metadata=nbgrader_meta("text", f"setup_{entry.number}")),
    ]
    answers = graded_answers(entry.exercises)
    for ex_id in entry.exercises:
        variant, key = GRADED[ex_id], ex_id.replace(".", "_")
        change = ex_id in exercises.CHANGE_EXERCISES
        kind = " (predict, then change the code)" if change else ""
        points = f"{variant.points} point{'s' if variant.points != 1 else ''}"
        cells.append(
            new_markdown_cell(
                f"### Exercise {ex_id}{kind}, {points}\n\n{variant.question}\n\n"
                f"Answer as {variant.form}.",
                metadata=nbgrader_meta("text", f"question_{key}"),
            )
        )
        if change:
            cells.append(
                new_code_cell(model_cells[ex_id] + "\nmodel_to_change.summary()")
            )
        cells.append(
            new_code_cell(
                f"### BEGIN SOLUTION\nanswer = {answers[ex_id]!r}\n### END SOLUTION",
                metadata=nbgrader_meta("answer", f"answer_{key}"),
            )
        )
        cells.append(
            new_code_cell(
                f'assert answer is not None, "Exercise {ex_id}: write your answer in '
                f'place of None."\n### BEGIN HIDDEN TESTS\n'
                f"{HIDDEN_SAME}\nassert _graded_same(answer, {answers[ex_id]!r})\n"
                "### END HIDDEN TESTS",
                metadata=nbgrader_meta("tests", f"test_{key}", variant.points),
            )
        )
    result = new_notebook(cells=cells)
    result.metadata = {
        "kernelspec": notebook.metadata.get("kernelspec", {}),
        "language_info": {"name": "python"},
    }
    return result


def check_against_keras(entry):
    """Each graded change exercise with a formula: the notebook's model, changed by the
    variant's edit, must be what Keras builds (as the ungraded checker does)."""
    for ex_id in entry.exercises:
        variant = GRADED[ex_id]
        if variant.edit and variant.answer:
            built = keras_answer(ex_id)
            if built != normalise(variant.answer()):
                raise AssignmentError(
                    f"tools/assignments.py: exercise {ex_id}'s graded answer disagrees "
                    f"with what Keras builds ({built!r}); fix its answer in GRADED."
                )


NBGRADER_CONFIG = """\
# nbgrader's configuration for the course folder that `make assignments` writes; nbgrader
# reads it when run from this folder (cd here first), which is then the course's root.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course!r}
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
c.Execute.timeout = {timeout}
"""


def run_nbgrader(course, *args):
    """Run an nbgrader command in the course folder; its output on failure."""
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        capture_output=True,
        text=True,
        # nbgrader runs `alembic` from the PATH: this environment's
        env=dict(
            os.environ,
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        ),
    )
    if done.returncode != 0:
        raise AssignmentError(
            f"nbgrader {' '.join(args)} failed in {course}:\n{done.stdout[-3000:]}"
            f"{done.stderr[-3000:]}"
        )
    return done.stdout + done.stderr


def build(out=OUT_DIR, only=None):
    """Write the course folder; returns {assignment name: total points}."""
    import importlib

    import nbformat

    out = Path(out).resolve()
    try:
        import nbgrader  # noqa: F401
    except ImportError:
        raise AssignmentError(
            "nbgrader is not installed: `make assignments` installs it (pinned in "
            "classroom/requirements.txt); or pip install -r classroom/requirements.txt."
        ) from None
    course = read_course()
    import_students_package()
    exercises = importlib.import_module("going_deeper.exercises")
    written = {**exercises.EXERCISES, **exercises.CHANGE_EXERCISES}
    if sorted(GRADED) != sorted(written):
        raise AssignmentError(
            f"tools/assignments.py: GRADED has variants of {sorted(GRADED)}, the "
            f"exercise modules hold {sorted(written)}; give every exercise one graded "
            "variant in GRADED, and no other."
        )
    for ex_id, variant in GRADED.items():
        if (ex_id in exercises.CHANGE_EXERCISES) != bool(variant.edit):
            raise AssignmentError(
                f"tools/assignments.py: exercise {ex_id}: a change exercise's graded "
                "variant needs its edit, and only a change exercise has one."
            )
    entries = [e for e in course.notebooks if e.exercises]
    if only:
        entries = [e for e in entries if e.number in only]
        if not entries:
            raise AssignmentError(
                f"--only {' '.join(only)} matches no notebook with exercises; try "
                "--only 01."
            )
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, 0o755)
    config = out / "nbgrader_config.py"
    if not config.exists():  # kept once written: an instructor's settings (late penalty)
        config.write_text(
            NBGRADER_CONFIG.format(
                course=COURSE_ID, stub=ANSWER_STUB, timeout=CELL_TIMEOUT
            )
        )
    totals = {}
    for entry in entries:
        check_against_keras(entry)
        name = assignment_name(entry)
        folder = out / "source" / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        nbformat.write(source_notebook(entry, exercises), folder / f"{name}.ipynb")
        run_nbgrader(out, "generate_assignment", name, "--force")
        totals[name] = sum(GRADED[ex_id].points for ex_id in entry.exercises)
    # The answers and hidden tests: the instructor's account only.
    os.chmod(out / "source", 0o700)
    if (out / "gradebook.db").exists():
        os.chmod(out / "gradebook.db", 0o600)
    for path in [out / "release", *(out / "release").rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return totals


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.assignments", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--only", nargs="*", help="notebook numbers, e.g. 01 02")
    args = parser.parse_args(argv)
    try:
        totals = build(args.out, args.only)
    except (AssignmentError, CourseError) as err:
        print(f"Error: {err}", file=sys.stderr)
        return 2
    for name, points in totals.items():
        print(f"{name}: {points} points")
    print(
        f"Wrote {len(totals)} assignments to {args.out}: the release versions in "
        f"{args.out / 'release'} (for students), the sources with answers and hidden "
        f"tests in {args.out / 'source'} (instructors only). {json.dumps(COURSE_ID)} "
        "is the course id."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
