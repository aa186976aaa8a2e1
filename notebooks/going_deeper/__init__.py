"""Helpers for the Going Deeper notebooks: data (MNIST, Fashion-MNIST, and CIFAR-10 when
you have it), quiet set-up, parameter formulas, pooling, floors, plots and exercises.
The Keras calls themselves stay in the notebooks.

Importing the package loads Keras, and so its backend, with C-level start-up logs
silenced, so import it before ``keras``.
"""

from .session import import_keras_quietly

import_keras_quietly()

from .budget import Budget  # noqa: E402
from .cifar10 import CIFAR10_CLASSES, load_cifar10  # noqa: E402
from .comparing import (  # noqa: E402
    Verdict,
    compare_runs,
    confusion_matrix,
    mean_range,
    most_confused,
    seed_verdict,
)
from .counting import (  # noqa: E402
    conv2d_params,
    conv_output_size,
    count_model_params,
    dense_params,
    layer_multiply_adds,
    layer_param_count,
    layer_param_formula,
    model_multiply_adds,
    parameter_table,
    print_parameter_table,
)
from .data import (  # noqa: E402
    FASHION_MNIST_CLASSES,
    N_CLASSES,
    N_VALIDATION,
    DataFileError,
    dataset_splits,
    load_dataset,
    load_mnist,
    mnist_splits,
    shift_images,
    split_validation,
    to_model_input,
)
from .floors import FloorError, check_floor, trains_at_least  # noqa: E402
from .knobs import KnobError, check_knob, check_knobs  # noqa: E402
from .pooling import convolve2d, max_pool2d  # noqa: E402
from .saving import ModelPathError, model_path, models_dir  # noqa: E402
from .session import environment_report, reset_keras, setup_notebook  # noqa: E402
from .training import EpochTimer, ReusedModels, StepTimer, training_steps  # noqa: E402

__all__ = [
    "Budget",
    "CIFAR10_CLASSES",
    "FASHION_MNIST_CLASSES",
    "DataFileError",
    "EpochTimer",
    "StepTimer",
    "FloorError",
    "KnobError",
    "ModelPathError",
    "ReusedModels",
    "N_CLASSES",
    "N_VALIDATION",
    "Verdict",
    "check_floor",
    "check_knob",
    "check_knobs",
    "compare_runs",
    "confusion_matrix",
    "conv2d_params",
    "convolve2d",
    "conv_output_size",
    "count_model_params",
    "dataset_splits",
    "dense_params",
    "environment_report",
    "import_keras_quietly",
    "layer_multiply_adds",
    "layer_param_count",
    "layer_param_formula",
    "load_cifar10",
    "load_dataset",
    "load_mnist",
    "max_pool2d",
    "mean_range",
    "mnist_splits",
    "model_multiply_adds",
    "model_path",
    "models_dir",
    "most_confused",
    "parameter_table",
    "print_parameter_table",
    "reset_keras",
    "seed_verdict",
    "setup_notebook",
    "shift_images",
    "split_validation",
    "to_model_input",
    "training_steps",
    "trains_at_least",
]
