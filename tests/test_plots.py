"""helpers.plots.show_plotly: the mime bundle each front end draws, and clear errors."""

import json
import re
import sys
import types

import numpy as np
import plotly.graph_objects as go
import pytest

from helpers import plots


def scatter():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(20, 2))
    words = [f"word{i}" for i in range(20)]
    fig = go.Figure(go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers", text=words,
                               hovertemplate="%{text}<extra></extra>"))
    fig.update_layout(title="Embedding map", xaxis_title="component 1",
                      yaxis_title="component 2", height=380)
    return fig, points, words


def decode(values):
    """A Plotly JSON array: a plain list or Plotly's base64 typed array."""
    if isinstance(values, dict) and "bdata" in values:
        import base64
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)


def test_bundle_has_native_plotly_json_html_and_alt_text():
    fig, points, words = scatter()
    shown = plots.show_plotly(fig, alt="Twenty words as points on a 2-D map")
    bundle = shown._repr_mimebundle_()
    assert set(bundle) == {plots.PLOTLY_MIME, "text/html", "text/plain"}
    native = bundle[plots.PLOTLY_MIME]
    json.dumps(native)                                         # JSON-ready
    trace = native["data"][0]
    np.testing.assert_allclose(decode(trace["x"]), points[:, 0])
    np.testing.assert_allclose(decode(trace["y"]), points[:, 1])
    assert trace["text"] == words
    assert native["layout"]["title"]["text"] == "Embedding map"
    assert native["config"]["displaylogo"] is False
    assert bundle["text/plain"] == "Plotly figure: Twenty words as points on a 2-D map"


def test_html_face_carries_the_figure_but_never_plotly_js_or_a_cdn():
    fig, points, _ = scatter()
    page = plots.show_plotly(fig, alt="Twenty words as points on a 2-D map").html()
    assert "plotly.js v" not in page and "cdn" not in page.lower()
    assert "<script src" not in page and "https://" not in page
    assert len(page) < 12_000                                  # no plotly.js (4+ MB) inside
    data = re.search(r'<script type="application/json" class="dlbook-plotly-data">(.*?)'
                     r"</script>", page, flags=re.DOTALL).group(1)
    spec = json.loads(data)
    np.testing.assert_allclose(decode(spec["data"][0]["x"]), points[:, 0])
    assert "template" not in spec["layout"]                    # the page sets the theme
    assert 'aria-label="Twenty words as points on a 2-D map"' in page
    assert "Interactive figure (needs plotly.js): Twenty words" in page   # fallback text
    assert "min-height:380px" in page


def test_html_is_deterministic_and_ids_differ_between_figures():
    fig, _, _ = scatter()
    first = plots.show_plotly(fig, alt="Twenty words as points on a 2-D map")
    again = plots.show_plotly(fig, alt="Twenty words as points on a 2-D map")
    other = plots.show_plotly(go.Figure(go.Bar(x=["a"], y=[1])), alt="One bar of height one")
    assert first.html() == again.html()
    assert first.id != other.id


def test_a_closing_script_tag_in_the_data_cannot_end_the_script():
    fig = go.Figure(go.Scatter(x=[0], y=[0], text=["</script><b>x</b>"]))
    page = plots.show_plotly(fig, alt="One point labelled with markup").html()
    data = page.split('class="dlbook-plotly-data">', 1)[1]
    assert data.index("</script>") > data.index("<\\/script>")
    assert json.loads(data.split("</script>", 1)[0])["data"][0]["text"] == ["</script><b>x</b>"]


def test_alt_text_is_escaped():
    fig, _, _ = scatter()
    page = plots.show_plotly(fig, alt='Loss "dips" then <rises> again').html()
    assert 'aria-label="Loss &quot;dips&quot; then &lt;rises&gt; again"' in page


def test_in_colab_the_bundle_is_plotlys_own_colab_rendering(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    fig, _, _ = scatter()
    bundle = plots.show_plotly(fig, alt="Twenty words as points on a 2-D map")
    bundle = bundle._repr_mimebundle_()
    assert "text/html" in bundle and plots.PLOTLY_MIME not in bundle
    assert "Plotly.newPlot" in bundle["text/html"] or "plotly" in bundle["text/html"].lower()


@pytest.mark.parametrize("fig,alt,error,message", [
    ("not a figure", "A valid alt text here", TypeError, "plotly.graph_objects.Figure"),
    ({"data": []}, "A valid alt text here", TypeError, "got dict"),
    (go.Figure(), "", ValueError, "alt must say"),
    (go.Figure(), "   plot   ", ValueError, "at least 10"),
    (go.Figure(), None, ValueError, "alt must say"),
])
def test_bad_input_gets_a_plain_message(fig, alt, error, message):
    with pytest.raises(error, match=re.escape(message)):
        plots.show_plotly(fig, alt=alt)


def test_a_matplotlib_figure_gets_a_hint():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure = plt.figure()
    with pytest.raises(TypeError, match="plt.show"):
        plots.show_plotly(figure, alt="A matplotlib figure by mistake")
    plt.close(figure)
