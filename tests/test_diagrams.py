"""helpers.diagrams: well-formed SVG, numbers drawn that are computed right, clear errors."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from scipy.signal import correlate2d

from helpers import conv, diagrams

SVG = "{http://www.w3.org/2000/svg}"
ALL = [
    lambda: diagrams.conv_sliding_window(),
    lambda: diagrams.conv_sliding_window(6, 3, 2, 1, (2, 1)),
    lambda: diagrams.receptive_field_growth(),
    lambda: diagrams.receptive_field_growth((7, 3, 3), (2, 2, 1)),
    lambda: diagrams.resnet_block("identity"),
    lambda: diagrams.resnet_block("projection"),
    lambda: diagrams.inception_module(),
    lambda: diagrams.unet(),
    lambda: diagrams.unet(depth=5, input_size=256),
    lambda: diagrams.unrolled_rnn(),
    lambda: diagrams.unrolled_rnn(6, "lstm"),
    lambda: diagrams.unrolled_rnn(8, "lstm"),
    lambda: diagrams.unrolled_rnn(3, "gru"),
    lambda: diagrams.lstm_cell(),
    lambda: diagrams.gru_cell(),
    lambda: diagrams.gru_cell(reset_after=False),
    lambda: diagrams.mlp(),
    lambda: diagrams.mlp((784, 128, 10)),
    lambda: diagrams.flow(["image", "conv", "dense\n10"]),
]


def parse(diagram):
    return ET.fromstring(diagram.to_svg(standalone=True))


def texts(diagram):
    """Every text element's content (tspans joined), as a reader would see it."""
    return ["".join(node.itertext()) for node in parse(diagram).iter(SVG + "text")]


@pytest.mark.parametrize("make", ALL)
def test_every_diagram_is_small_well_formed_accessible_svg(make):
    diagram = make()
    root = parse(diagram)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img" and root.get("aria-label") == diagram.alt
    assert root.find(SVG + "title").text == diagram.alt
    assert len(diagram.alt) > 25
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert 0 < width <= 800 and 0 < height <= 800
    html = diagram._repr_html_()
    ET.fromstring(html)                          # the inline face parses as XML too
    assert "<svg" in html and "xmlns" in html
    assert len(html) < 25_000                    # tiny output
    for bad in ("<script", "@import", "http://fonts", "https://", "<image"):
        assert bad not in html
    # theme: lines and text follow the page's colour; nothing paints a fixed black or white
    assert "currentColor" in html
    assert not re.search(r'(fill|stroke)="(#000|#000000|black|#fff|#ffffff|white)"', html)
    assert repr(diagram).startswith("Diagram: ")


@pytest.mark.parametrize("make", ALL)
def test_everything_drawn_stays_inside_the_canvas(make):
    diagram = make()
    root = parse(diagram)
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    for node in root.iter():
        tag = node.tag.replace(SVG, "")
        if tag == "rect":
            x, y = float(node.get("x")), float(node.get("y"))
            assert x >= 0 and y >= 0
            assert x + float(node.get("width")) <= width + 0.5
            assert y + float(node.get("height")) <= height + 0.5
        elif tag in ("polyline", "polygon"):
            for pair in node.get("points").split():
                px, py = (float(v) for v in pair.split(","))
                assert -0.5 <= px <= width + 0.5 and -0.5 <= py <= height + 0.5
        elif tag == "text":
            x, y = float(node.get("x")), float(node.get("y"))
            assert 0 <= y <= height
            extent = 0.55 * float(node.get("font-size")) * len("".join(node.itertext()))
            anchor = node.get("text-anchor")
            left = {"start": x, "middle": x - extent / 2, "end": x - extent}[anchor]
            assert left >= -2 and left + extent <= width + 2, "".join(node.itertext())


@pytest.mark.parametrize("size,kernel,stride,padding", [
    (5, 3, 1, 0), (5, 3, 2, 1), (7, 2, 2, 0), (4, 4, 1, 0), (6, 5, 1, 2), (3, 1, 1, 0)])
def test_sliding_window_output_is_the_convolution_of_the_numbers_drawn(size, kernel, stride,
                                                                       padding):
    m = conv.output_size(size, kernel, stride, padding)
    for row, col in [(0, 0), (m - 1, m - 1), (m // 2, 0)]:
        d = diagrams.conv_sliding_window(size, kernel, stride, padding, (row, col))
        padded = d.data["padded"]
        expected = correlate2d(padded, d.data["kernel"], mode="valid")[::stride, ::stride]
        np.testing.assert_allclose(d.data["output"], expected)
        assert d.data["output_size"] == m
        assert d.data["value"] == expected[row, col]
        drawn = texts(d)
        # the grids hold exactly the numbers used: padded input, kernel, output
        cells = [t for t in drawn if re.fullmatch(r"−?\d+(\.\d+)?", t)]
        numbers = [float(t.replace("−", "-")) for t in cells]
        count_in, count_k = padded.size, kernel * kernel
        assert numbers[:count_in] == list(padded.ravel())
        assert numbers[count_in:count_in + count_k] == list(d.data["kernel"].ravel())
        assert numbers[count_in + count_k:] == list(expected.ravel())
        # the worked sum names the products of the window and ends in the output value
        total = next(t for t in drawn if t.startswith(("sum of", "0·", "1·", "2·", "3·", "4·")))
        assert total.endswith(f"= {diagrams._fmt(expected[row, col])}")
        if kernel * kernel <= 9:
            products = re.findall(r"(−?\d+)·\(?(−?\d+)\)?", total)
            assert len(products) == kernel * kernel
            as_int = [(int(a.replace("−", "-")), int(b.replace("−", "-"))) for a, b in products]
            assert sum(a * b for a, b in as_int) == expected[row, col]
        size_line = next(t for t in drawn if t.startswith("output size"))
        assert size_line.endswith(f"= {m}")


def test_sliding_window_draws_given_numbers_and_padding_as_dashed_zeros():
    image = np.arange(16).reshape(4, 4) - 5
    kernel = [[1, 0], [0, -1]]
    d = diagrams.conv_sliding_window(4, 2, 1, 1, (1, 2), image=image, kernel=kernel)
    assert d.data["padded"].shape == (6, 6)
    assert d.data["value"] == np.sum(np.pad(image, 1)[1:3, 2:4] * np.array(kernel))
    svg = d.to_svg()
    assert svg.count('stroke-dasharray="4 3"') == 6 * 6 - 4 * 4   # one per padding cell


def test_sliding_window_half_values_are_printed_not_rounded_away():
    d = diagrams.conv_sliding_window(3, 2, 1, 0, (0, 0), image=np.full((3, 3), 0.5),
                                     kernel=[[1, 1], [1, 0.25]])
    assert d.data["value"] == 1.625
    assert any(t.endswith("= 1.62") or t.endswith("= 1.63") for t in texts(d))


@pytest.mark.parametrize("kernels,strides", [
    ((3, 3, 3), (1, 1, 1)), ((3, 3, 3), (2, 2, 1)), ((5,), (1,)), ((7, 3, 3), (2, 2, 1)),
    ((2, 2, 2, 2), (2, 2, 2, 1)), ((1, 3), (1, 1))])
def test_receptive_fields_agree_with_helpers_conv(kernels, strides):
    d = diagrams.receptive_field_growth(kernels, strides)
    layers = list(zip(kernels, strides, strict=True))
    expected = [conv.receptive_field(layers[:n]) for n in range(1, len(layers) + 1)]
    assert d.data["receptive_fields"] == expected
    drawn = texts(d)
    for n, field in enumerate(expected, start=1):
        assert any(t.startswith(f"RF = {field},") for t in drawn), (n, field)
    assert f"receptive field of the top unit: {expected[-1]} input pixels" in drawn
    # the cone on the input row covers exactly the receptive field
    root = parse(d)
    groups = {g.get("aria-label"): g for g in root.iter(SVG + "g")}
    filled = [r for r in groups["input"].iter(SVG + "rect") if r.get("fill") != "none"]
    assert len(filled) == expected[-1]


def test_receptive_field_defaults_to_stride_one():
    assert diagrams.receptive_field_growth((3, 3)).data["receptive_fields"] == [3, 5]


def test_mlp_counts_units_and_parameters():
    d = diagrams.mlp((3, 4, 2))
    assert d.data["parameters"] == (3 + 1) * 4 + (4 + 1) * 2 == 26
    circles = list(parse(d).iter(SVG + "circle"))
    assert len(circles) == 9
    edges = [p for p in parse(d).iter(SVG + "polyline")]
    assert len(edges) == 3 * 4 + 4 * 2
    big = diagrams.mlp((784, 128, 10))
    assert big.data["parameters"] == 785 * 128 + 129 * 10
    assert big.data["units_drawn"] == 5 + 5 + 5
    assert "parameters: 101,770" in texts(big)


def test_block_diagrams_say_what_they_compute():
    assert "y = ReLU(F(x) + x)" in texts(diagrams.resnet_block())
    proj = diagrams.resnet_block("projection")
    assert "y = ReLU(F(x) + Ws x)" in texts(proj) and proj.data["output_shape"] == "H/2×W/2×2C"
    inc = diagrams.inception_module()
    assert inc.data["output_channels"] == 256
    assert diagrams.inception_module((10, (5, 20), (3, 6), 4)).data["output_channels"] == 40
    u = diagrams.unet(depth=4, base_filters=32, input_size=96 * 2)
    assert u.data["channels"] == [32, 64, 128, 256, 512]
    assert u.data["sizes"] == [192, 96, 48, 24, 12]
    assert len([t for t in texts(u) if t == "copy & concatenate"]) == 4


def test_recurrent_diagrams_follow_the_keras_conventions():
    assert diagrams.unrolled_rnn(5, "lstm").data["states"] == ["c", "h"]
    rnn = diagrams.unrolled_rnn(3)
    assert [t for t in texts(rnn) if t.startswith("x")] == ["x1", "x2", "x3"]
    gru = diagrams.gru_cell()
    assert "ht = zt ⊙ ht−1 + (1 − zt) ⊙ h̃t" in gru.data["equations"][2]
    assert "rt ⊙ (Uh ht−1 + b′h)" in gru.data["equations"][1]
    assert "Uh (rt ⊙ ht−1)" in diagrams.gru_cell(False).data["equations"][1]
    lstm = diagrams.lstm_cell()
    assert "ct = ft ⊙ ct−1 + it ⊙ c̃t" in lstm.data["equations"][1]
    assert "c_(t−1)" in lstm.alt


def test_primitives_and_groups():
    d = diagrams.Diagram(200, 100, alt="Two boxes joined by an arrow")
    with d.group("left"):
        d.rect(10, 10, 50, 30, "a_{1}", tone="blue")
    d.arrow((60, 25), (120, 25)).op(140, 25, "+")
    d.grid(10, 50, 2, 3, 12, values=[[1, 2, 3], [4, 5, -6]])
    root = parse(d)
    assert root.find(f"{SVG}g").get("aria-label") == "left"
    assert root.find(f".//{SVG}tspan").get("baseline-shift") == "sub"
    assert "−6" in texts(d)
    assert len(list(root.iter(SVG + "polygon"))) == 1          # one arrow head


def test_save_writes_a_standalone_svg(tmp_path):
    path = tmp_path / "block.svg"
    diagrams.resnet_block().save(path)
    assert ET.parse(path).getroot().tag == SVG + "svg"


@pytest.mark.parametrize("call,error,message", [
    (lambda: diagrams.conv_sliding_window(input_size=0), ValueError, "input_size"),
    (lambda: diagrams.conv_sliding_window(input_size=5.0), TypeError, "whole number"),
    (lambda: diagrams.conv_sliding_window(input_size=True), TypeError, "whole number"),
    (lambda: diagrams.conv_sliding_window(5, 7), ValueError, "larger than the padded"),
    (lambda: diagrams.conv_sliding_window(5, 3, 0), ValueError, "stride"),
    (lambda: diagrams.conv_sliding_window(5, 3, padding=3), ValueError, "padding"),
    (lambda: diagrams.conv_sliding_window(position=(3, 0)), ValueError, "position row"),
    (lambda: diagrams.conv_sliding_window(position=(0, -1)), ValueError, "position col"),
    (lambda: diagrams.conv_sliding_window(position=2), TypeError, "position"),
    (lambda: diagrams.conv_sliding_window(image=np.ones((4, 4))), ValueError, "5×5"),
    (lambda: diagrams.conv_sliding_window(image=np.ones(25)), ValueError, "square"),
    (lambda: diagrams.conv_sliding_window(kernel=[["a"] * 3] * 3), TypeError, "numbers"),
    (lambda: diagrams.conv_sliding_window(kernel=np.full((3, 3), np.nan)), ValueError,
     "finite"),
    (lambda: diagrams.receptive_field_growth(()), ValueError, "between 1 and 6"),
    (lambda: diagrams.receptive_field_growth((3, 3), (1,)), ValueError, "strides has 1"),
    (lambda: diagrams.receptive_field_growth(3), TypeError, "list or tuple"),
    (lambda: diagrams.receptive_field_growth((11,) * 5), ValueError, "too wide"),
    (lambda: diagrams.receptive_field_growth((3, 0)), ValueError, "kernel_sizes[1]"),
    (lambda: diagrams.resnet_block("bottleneck"), ValueError, "identity"),
    (lambda: diagrams.inception_module((64, 96, 16, 32)), TypeError, "pair"),
    (lambda: diagrams.inception_module((64, (96, 0), (16, 32), 32)), ValueError, "filters[1]"),
    (lambda: diagrams.unet(depth=0), ValueError, "depth"),
    (lambda: diagrams.unet(depth=3, input_size=100), ValueError, "divisible"),
    (lambda: diagrams.unrolled_rnn(0), ValueError, "steps"),
    (lambda: diagrams.unrolled_rnn(3, "transformer"), ValueError, "cell"),
    (lambda: diagrams.gru_cell(reset_after="yes"), TypeError, "reset_after"),
    (lambda: diagrams.mlp((3,)), ValueError, "at least two"),
    (lambda: diagrams.mlp("34"), TypeError, "list or tuple"),
    (lambda: diagrams.mlp((3, 4), labels=["in"]), ValueError, "labels"),
    (lambda: diagrams.mlp((3, -4)), ValueError, "layer_sizes[1]"),
    (lambda: diagrams.flow([]), TypeError, "non-empty"),
    (lambda: diagrams.flow(["a", "b"], tones=["blue"]), ValueError, "tones"),
    (lambda: diagrams.Diagram(10, 10, alt=""), ValueError, "alt"),
    (lambda: diagrams.Diagram(0, 10, alt="x"), ValueError, "width"),
    (lambda: diagrams.Diagram(10, 10, alt="x").rect(0, 0, 1, 1, tone="pink"), ValueError,
     "tone"),
    (lambda: diagrams.Diagram(10, 10, alt="x").line((0, 0)), ValueError, "two"),
])
def test_bad_input_gets_a_plain_message(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()
