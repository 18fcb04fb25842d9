"""Widgets and static explorers: the live callbacks compute, the static face carries data."""

import json
import re

import numpy as np
import pytest

from helpers import conv, explorers, widgets


def test_grid_svg_reports_size_and_uneven_tiling():
    svg, message = widgets.conv_grid_svg(8, 3, stride=2)
    assert svg.startswith("<svg") and "output 3×3" in svg
    assert "Output size: 3 × 3" in message and "never covered" in message
    _, even = widgets.conv_grid_svg(7, 3, stride=2)
    assert "never covered" not in even


def test_grid_svg_explains_impossible_settings():
    svg, message = widgets.conv_grid_svg(4, 7)
    assert message.startswith("Impossible setting") and "larger than the padded input" in message
    assert svg.startswith("<svg")


def test_live_calculator_updates_from_helpers():
    box = widgets.conv_calculator_widget(input_size=9, kernel_size=3, stride=1)
    controls = box._dlbook_controls
    message = box.children[1]
    assert "Output size: 7 × 7" in message.value
    controls["stride"].value = 2
    assert f"Output size: {conv.output_size(9, 3, 2)} ×" in message.value
    assert controls["position"].max == 4 * 4 - 1
    controls["kernel_size"].value = 7
    controls["input_size"].value = 3
    assert "Impossible" in message.value
    controls["padding"].value = "same"
    assert "Output size: 2 × 2" in message.value


def test_calculator_callback_is_within_budget():
    box = widgets.conv_calculator_widget(input_size=16, kernel_size=3)
    stride = box._dlbook_controls["stride"]
    median, p95 = widgets.time_callback(lambda: setattr(stride, "value", 3 - stride.value + 1 if
                                                        stride.value < 3 else 1), repeats=30)
    assert p95 < 50, f"calculator callback p95 {p95:.1f} ms exceeds the 50 ms budget"


def test_static_calculator_payload():
    html = explorers.conv_calculator(7, 3, 2, "valid", 1)._repr_html_()
    payload = json.loads(re.search(r'class="dlbook-explorer-data">(.*?)</script>', html).group(1))
    assert payload == {"input_size": 7, "kernel_size": 3, "stride": 2, "padding": "valid",
                       "dilation": 1}
    with pytest.raises(ValueError):
        explorers.conv_calculator(3, 7)


def test_state_explorer_precomputes_every_combination():
    calls = []

    def render(a, b):
        calls.append((a, b))
        return f"<b>{a}-{b}</b>"

    block = explorers.state_explorer([("a", "A", [1, 2, 3], None), ("b", "B", ["x", "y"], None)],
                                     render, "demo")
    payload = json.loads(re.search(r'class="dlbook-explorer-data">(.*?)</script>',
                                   block.html_text).group(1))
    assert len(payload["states"]) == 6 and payload["states"]["2_1"] == "<b>3-y</b>"
    assert len(calls) == 6
    with pytest.raises(ValueError, match="too many"):
        explorers.state_explorer([("a", "A", list(range(30)), None)] * 2, render, "big")
    with pytest.raises(ValueError, match="labels"):
        explorers.state_explorer([("a", "A", [1, 2], ["one"])], lambda a: "", "bad")


def test_convolve_image_matches_a_direct_correlation():
    rng = np.random.default_rng(0)
    image = rng.random((6, 7)).astype("float32")
    kernel = widgets.KERNELS["vertical edges (Sobel x)"]
    out = widgets.convolve_image(image, kernel)
    padded = np.pad(image, 1)
    direct = np.array([[np.sum(padded[r:r + 3, c:c + 3] * kernel) for c in range(7)]
                       for r in range(6)])
    np.testing.assert_allclose(out, direct, atol=1e-5)
    with pytest.raises(ValueError, match="grey"):
        widgets.convolve_image(np.zeros((4, 4, 3)), kernel)


def test_show_publishes_live_and_static_faces(monkeypatch):
    import IPython.display

    published = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, raw=False: published.append((obj, raw)))
    widgets.conv_calculator(5, 3)
    bundle, raw = published[0]
    assert raw and widgets.WIDGET_VIEW in bundle
    assert 'data-kind="conv-calculator"' in bundle["text/html"]


def notebook_with(outputs):
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("widgets.conv_calculator(5, 3)")
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    nb.cells = [nbformat.v4.new_markdown_cell("text"), cell]
    return nb


def widget_output(monkeypatch):
    import IPython.display

    published = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, raw=False: published.append(obj))
    widgets.conv_calculator(5, 3)
    return {"output_type": "display_data", "metadata": {}, "data": published[0]}


def test_saved_notebooks_keep_the_static_face_not_the_live_view(monkeypatch):
    """A reopened notebook must show the static explorer, not "model not found"."""
    import nbformat

    view_only = {"output_type": "display_data", "metadata": {},
                 "data": {widgets.WIDGET_VIEW: {"model_id": "x", "version_major": 2,
                                                "version_minor": 0}}}
    text = {"output_type": "stream", "name": "stdout", "text": "hi\n"}
    nb = notebook_with([widget_output(monkeypatch), view_only, text])
    assert widgets.strip_live_views(nb) == 1
    data = nb.cells[1].outputs[0]["data"]
    assert widgets.WIDGET_VIEW not in data and 'data-kind="conv-calculator"' in data["text/html"]
    assert widgets.WIDGET_VIEW in nb.cells[1].outputs[1]["data"]       # nothing to fall back on
    nbformat.validate(nb)
    with pytest.raises(TypeError, match="notebook"):
        widgets.strip_live_views(["not", "a", "notebook"])

    # the Jupyter Server hook gets the notebook as JSON
    model = {"type": "notebook", "content": json.loads(nbformat.writes(
        notebook_with([widget_output(monkeypatch)])))}
    widgets.pre_save_hook(model=model, path="x.ipynb", contents_manager=None)
    assert widgets.WIDGET_VIEW not in model["content"]["cells"][1]["outputs"][0]["data"]
    assert widgets.pre_save_hook(model={"type": "file", "content": "x"}) == {
        "type": "file", "content": "x"}


def test_execute_notebooks_clean_drops_views_and_state(monkeypatch):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "scripts" / "execute_notebooks.py"
    spec = importlib.util.spec_from_file_location("execute_notebooks", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    nb = notebook_with([widget_output(monkeypatch)])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    nb.cells[1].metadata["execution"] = {"iopub.execute_input": "2026-12-03"}
    script.clean(nb)
    assert "widgets" not in nb.metadata and "execution" not in nb.cells[1].metadata
    assert list(nb.cells[1].outputs[0]["data"]) == ["text/plain", "text/html"]


def test_labels_fit_and_sliders_have_fixed_widths():
    import ipywidgets as w

    box = widgets.conv_calculator_widget()
    sliders = [c for c in box._dlbook_controls.values() if isinstance(c, w.IntSlider)]
    widths = {c.style.description_width for c in box._dlbook_controls.values()}
    assert len(widths) == 1                                      # one label width: aligned
    label_em = float(widths.pop().removesuffix("em"))
    longest = max(len(c.description) for c in box._dlbook_controls.values())
    assert longest == len("window position")                     # not "window pos."
    assert label_em >= widgets.EM_PER_CHAR * longest             # never cut off
    assert {c.layout.width for c in sliders} == {f"{label_em + widgets.SLIDER_TRACK_EM}em"}
    run = w.Button(description="Run (takes seconds)")
    kept = w.IntSlider(description="ε", style={"description_width": "initial"},
                       layout=w.Layout(width="300px"))
    widgets.fit_labels(w.VBox([run, kept]))
    assert float(run.layout.width.removesuffix("em")) >= widgets.EM_PER_CHAR * 19
    assert kept.style.description_width == "initial" and kept.layout.width == "300px"
    assert widgets.fit_labels(None) is None


def test_pool_image_matches_numpy():
    rng = np.random.default_rng(0)
    image = rng.random((8, 8)).astype("float32")
    blocks = image.reshape(4, 2, 4, 2)
    np.testing.assert_allclose(widgets.pool_image(image, 2, "max"), blocks.max(axis=(1, 3)))
    np.testing.assert_allclose(widgets.pool_image(image, 2, "average"), blocks.mean(axis=(1, 3)),
                               rtol=1e-6)
    with pytest.raises(ValueError, match="kind"):
        widgets.pool_image(image, 2, "median")
    with pytest.raises(ValueError, match="pool_size"):
        widgets.pool_image(image, 0)


def test_jupyter_server_saves_notebooks_without_live_views(monkeypatch, tmp_path):
    """The hook as `make lab` configures it, through Jupyter Server's own save path."""
    import nbformat

    pytest.importorskip("jupyter_server")
    from jupyter_server.services.contents.filemanager import FileContentsManager
    from traitlets.config import Config

    config = Config()
    config.FileContentsManager.pre_save_hook = "helpers.widgets.pre_save_hook"
    manager = FileContentsManager(config=config, root_dir=str(tmp_path))
    nb = notebook_with([widget_output(monkeypatch)])
    manager.save({"type": "notebook", "format": "json",
                  "content": json.loads(nbformat.writes(nb))}, "lecture.ipynb")
    saved = nbformat.read(tmp_path / "lecture.ipynb", as_version=4)
    data = saved.cells[1].outputs[0]["data"]
    assert widgets.WIDGET_VIEW not in data and "dlbook-explorer" in data["text/html"]
