"""Helper package of the interactive deep-learning textbook.

Modules by concern (each imported on demand, none touches the network on import):

- ``helpers.config``    run mode (fast / full), device, seeds, the setup banner
- ``helpers.data``      dataset registry, verified downloads, offline stand-ins
- ``helpers.conv``      convolution shape and cost arithmetic
- ``helpers.quiz``      question banks, practice generators and the quiz renderer
- ``helpers.explorers`` kernel-free interactive figures for the static book
- ``helpers.widgets``   live ipywidgets UIs and the one-call ``show`` for all three faces
- ``helpers.plots``     small plotting helpers shared by the lectures
"""

import os as _os

# TensorFlow prints C++ start-up logs (oneDNN, CUDA probing) to stderr on import; they are
# noise in a notebook. Respect a value the reader has set.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

__version__ = "0.1.0"
