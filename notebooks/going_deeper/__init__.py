"""Helpers for the Going Deeper notebooks: data, quiet set-up, parameter formulas, pooling, plots.

Importing the package loads TensorFlow with its C-level start-up logs silenced, so import it
before ``keras`` or ``tensorflow``.
"""

from .session import import_tensorflow_quietly

import_tensorflow_quietly()

from .counting import (conv2d_params, conv_output_size, count_model_params, dense_params,  # noqa: E402
                       layer_multiply_adds, layer_param_count, layer_param_formula, model_multiply_adds,
                       parameter_table, print_parameter_table)
from .data import DataFileError, N_CLASSES, load_mnist, shift_images, to_model_input  # noqa: E402
from .knobs import KnobError, check_knob, check_knobs  # noqa: E402
from .pooling import max_pool2d  # noqa: E402
from .session import environment_report, reset_keras, setup_notebook  # noqa: E402
from .training import (accuracy, compile_classifier, layer_outputs, predict_classes, train,  # noqa: E402
                       training_steps, use_mixed_precision_if_gpu, warmup_cosine_schedule)

__all__ = [
    "DataFileError", "KnobError", "N_CLASSES", "accuracy", "check_knob", "check_knobs",
    "compile_classifier", "conv2d_params", "conv_output_size", "count_model_params",
    "dense_params", "environment_report", "import_tensorflow_quietly", "layer_param_count",
    "layer_multiply_adds", "layer_outputs", "layer_param_formula", "model_multiply_adds",
    "load_mnist", "max_pool2d", "parameter_table", "predict_classes", "print_parameter_table",
    "reset_keras", "setup_notebook", "shift_images", "to_model_input", "train",
    "training_steps", "use_mixed_precision_if_gpu", "warmup_cosine_schedule",
]
