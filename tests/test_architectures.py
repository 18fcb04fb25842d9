"""helpers.architectures: block costs equal Keras' count_params() and the MACs of the
built blocks; the notes' Inception and MobileNet numbers; bad input."""

import keras
import numpy as np
import pytest
from keras import layers

from helpers import architectures as arch
from helpers import conv

SETTINGS = [
    dict(height=8, width=8, channels_in=16, channels_out=16, kernel_size=3, bottleneck=4,
         expansion=6),
    dict(height=5, width=7, channels_in=12, channels_out=20, kernel_size=5, bottleneck=3,
         expansion=2),
    dict(height=4, width=4, channels_in=8, channels_out=8, kernel_size=1, bottleneck=8,
         expansion=1),
]


@pytest.mark.parametrize("kind", arch.KINDS)
@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("use_bias,batch_norm", [(True, False), (False, True)])
def test_costs_equal_keras(kind, setting, use_bias, batch_norm):
    cost = arch.block_cost(kind, use_bias=use_bias, batch_norm=batch_norm, **setting)
    model = arch.keras_block(kind, use_bias=use_bias, batch_norm=batch_norm, **setting)
    assert model.count_params() == cost.params
    assert arch.layer_macs(model) == cost.macs
    batch = np.zeros((1, setting["height"], setting["width"], setting["channels_in"]))
    assert model(batch).shape[1:] == cost.output_shape


def test_layer_macs_agrees_with_conv_model_macs_on_plain_convs():
    inputs = keras.Input((12, 12, 3))
    x = layers.Conv2D(8, 3, strides=2, padding="same")(inputs)
    x = layers.Conv2D(4, 1)(x)
    outputs = layers.Dense(5)(layers.Flatten()(x))
    model = keras.Model(inputs, outputs)
    assert arch.layer_macs(model) == conv.model_macs(model)


def test_separable_conv2d_layer_is_depthwise_plus_pointwise():
    inputs = keras.Input((10, 10, 6))
    model = keras.Model(inputs, layers.SeparableConv2D(9, 3, padding="same")(inputs))
    cost = arch.block_cost("separable", 10, 10, 6, 9, 3, use_bias=False)
    # SeparableConv2D has one bias (on the pointwise output), our block has two layers
    assert model.count_params() == cost.params + 9
    assert arch.layer_macs(model) == cost.macs


def test_the_notes_numbers():
    standard = arch.block_params("standard", channels_in=128, channels_out=256, kernel_size=5,
                                 use_bias=False)
    reduced = arch.block_params("bottleneck", channels_in=128, channels_out=256,
                                kernel_size=5, bottleneck=16, use_bias=False)
    assert standard == 819_200 == 5 * 5 * 128 * 256
    assert reduced == 128 * 16 + 25 * 16 * 256 == 104_448
    for n, k in [(256, 3), (64, 5), (32, 7)]:
        sep = arch.block_cost("separable", channels_in=64, channels_out=n, kernel_size=k,
                              use_bias=False)
        std = arch.block_cost("standard", channels_in=64, channels_out=n, kernel_size=k,
                              use_bias=False)
        assert sep.macs / std.macs == pytest.approx(arch.separable_ratio(n, k))
        assert sep.params / std.params == pytest.approx(1 / n + 1 / k**2)
    assert arch.stacked_conv_params(64, 3, 2) == 18 * 64 * 64
    assert arch.stacked_conv_params(64, 5, 1) == 25 * 64 * 64
    assert conv.receptive_field([(3, 1), (3, 1)]) == 5


def test_parts_add_up():
    cost = arch.block_cost("inverted_residual", 14, 14, 24, 24, 3, expansion=6)
    assert sum(p for p, _ in cost.parts.values()) == cost.params
    assert sum(m for _, m in cost.parts.values()) == cost.macs
    assert list(cost.parts) == ["expand 1×1", "depthwise 3×3", "project 1×1 (linear)"]


@pytest.mark.parametrize("kwargs,error", [
    (dict(kind="dense"), ValueError),
    (dict(kind="bottleneck"), ValueError),                    # no bottleneck width
    (dict(kind="standard", channels_in=0), ValueError),
    (dict(kind="standard", kernel_size=2.5), TypeError),
    (dict(kind="standard", height=True), TypeError),
    (dict(kind="inverted_residual", expansion=0), ValueError),
    (dict(kind="standard", use_bias="yes"), TypeError),
])
def test_bad_input(kwargs, error):
    with pytest.raises(error):
        arch.block_cost(**kwargs)


def test_bad_input_elsewhere():
    with pytest.raises(ValueError):
        arch.separable_ratio(0, 3)
    with pytest.raises(TypeError):
        arch.stacked_conv_params("64")
    with pytest.raises(TypeError):
        arch.layer_macs("not a model")
