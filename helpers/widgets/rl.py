"""Lecture 11's widgets: the γ/ε explorer and the Q-value map of the grid world.

Three faces each. The pure functions are :func:`gamma_epsilon_state` (one tabular Q-learning
run of :func:`helpers.rl.q_learning_run` for a (γ, ε) setting, compared with
:func:`helpers.rl.value_iteration`) and :func:`q_map_svg` (a Q table drawn as a map: the colour
is max_a Q, the arrow the greedy action, the line the greedy path, and every cell's four
Q-values on hover). The live ipywidgets UIs move between the same precomputed runs (training
happens once, when the widget is made; a callback only redraws), and the static explorers
carry every state (hover titles are written ``<title class="nohighlight">``, the form the
book's search highlighter skips). :func:`q_map_figure` is the Plotly version of the map
(hover, zoom).
:func:`q_update_practice` draws one-update questions graded by :func:`helpers.rl.q_update`.
"""

from __future__ import annotations

import html
import random
from functools import lru_cache

import numpy as np

from helpers import rl
from helpers._checks import practice_count
from helpers.explorers import Explorer, state_explorer
from helpers.widgets import live_drawing, show
from helpers.widgets import svg_document as _svg

GAMMAS = (0.5, 0.8, 0.9, 0.95, 0.99)
EPSILONS = (0.0, 0.1, 0.3, 0.5, 1.0)
EXPLORER_EPISODES = 600
CELL = 46


def _colour(value: float, scale: float) -> str:
    """Diverging colour: blue for positive values, red for negative, white for 0."""
    t = max(-1.0, min(1.0, value / scale)) if scale > 0 else 0.0
    if t >= 0:
        r, g, b = 255 - 200 * t, 255 - 130 * t, 255 - 20 * t
    else:
        r, g, b = 255 + 25 * t, 255 + 190 * t, 255 + 190 * t
    return f"#{round(r):02x}{round(g):02x}{round(b):02x}"


def q_map_svg(env: rl.GridWorld, q, caption: str = "", returns=None,
              scale: float | None = None) -> str:
    """The Q table ``q`` of ``env`` as an SVG map.

    Cell colour = max_a Q(s, a) (blue positive, red negative), arrow = greedy action, orange
    line = the greedy path from the start, hover = the four Q-values. ``returns`` (optional,
    the return of each training episode) adds a small learning curve below the map.
    """
    if not isinstance(env, rl.GridWorld):
        raise TypeError(f"env must be a GridWorld, got {type(env).__name__}")
    q = np.asarray(q, dtype=np.float64)
    if q.shape != (env.n_states, env.n_actions):
        raise ValueError(f"q must have shape {(env.n_states, env.n_actions)}, got {q.shape}")
    values, policy = q.max(axis=1), rl.greedy_policy(q)
    scale = scale or max(1e-9, float(np.abs(values).max()),
                         max(abs(v) for v in env.terminal_rewards.values()))
    lines = caption.split("\n") if caption else []
    left, top = 10, 10 + 16 * len(lines)
    width = max(2 * left + env.cols * CELL, 460)
    parts = ['<style>.rl-a{font-size:15px;text-anchor:middle;fill:#111}'
             '.rl-v{font-size:10px;text-anchor:middle;fill:#111}'
             '.rl-t{font-size:12px;text-anchor:middle;fill:#111}</style>']
    parts += [f'<text x="{left}" y="{16 + 16 * i}" font-size="12">{html.escape(line)}</text>'
              for i, line in enumerate(lines)]
    for r in range(env.rows):
        for c in range(env.cols):
            x, y = left + c * CELL, top + r * CELL
            if env.layout[r][c] == "#":
                parts.append(f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
                             'fill="#555" stroke="#777"/>')
                continue
            s = env.index[(r, c)]
            mark = env.layout[r][c]
            if env.terminal[s]:
                reward = env.terminal_rewards[mark]
                fill = _colour(reward, scale)
                tip = f"terminal {mark}: reward {reward:+g}"
                label = f"{mark} {reward:+g}"
                cls = "rl-t"
            else:
                fill = _colour(values[s], scale)
                tip = "Q: " + ", ".join(f"{name} {q[s, a]:.2f}"
                                        for a, name in enumerate(rl.ACTIONS))
                label = rl.ARROWS[policy[s]] if np.any(q[s] != 0) else "·"
                cls = "rl-a"
            parts.append(f'<g><title class="nohighlight">{html.escape(tip)}</title>'
                         f'<rect x="{x}" y="{y}" '
                         f'width="{CELL}" height="{CELL}" fill="{fill}"/>'
                         f'<text class="{cls}" x="{x + CELL // 2}" y="{y + 20}">{label}</text>')
            if not env.terminal[s]:
                parts.append(f'<text class="rl-v" x="{x + CELL // 2}" y="{y + 38}">'
                             f'{values[s]:.2f}</text>')
            if mark == "S":
                parts.append(f'<text x="{x + 4}" y="{y + 11}" font-size="9" '
                             'fill="#111">S</text>')
            parts.append("</g>")
    path = rl.greedy_path(env, q)
    points = " ".join(f"{left + env.cells[s][1] * CELL + CELL / 2:.0f},"
                      f"{top + env.cells[s][0] * CELL + CELL / 2:.0f}" for s in path)
    parts.append(f'<polyline points="{points}" fill="none" stroke="#e8710a" '
                 'stroke-width="3" stroke-opacity="0.8"/>')
    end = env.mark(path[-1])
    summary = (f"greedy path: {len(path) - 1} steps to {end}" if env.terminal[path[-1]]
               else f"greedy path loops (no terminal within {len(path) - 1} steps)")
    height = top + env.rows * CELL + 20
    parts.append(f'<text x="{left}" y="{height - 4}" font-size="12">{summary}</text>')
    if returns is not None:
        returns = np.asarray(returns, dtype=np.float64)
        window = max(1, len(returns) // 20)
        smooth = np.convolve(returns, np.ones(window) / window, mode="valid")
        smooth = smooth[np.linspace(0, len(smooth) - 1, min(len(smooth), 80)).astype(int)]
        y0, h, w = height + 8, 70, width - 2 * left - 40
        lo, hi = -1.0, 1.0
        xs = left + 40 + np.linspace(0, w, len(smooth))
        ys = y0 + h - (smooth - lo) / (hi - lo) * h
        pts = " ".join(f"{a:.0f},{b:.0f}" for a, b in zip(xs, ys, strict=True))
        parts += [f'<rect x="{left + 40}" y="{y0}" width="{w}" height="{h}" fill="none" '
                  'stroke="currentColor" stroke-opacity="0.4"/>',
                  f'<line x1="{left + 40}" x2="{left + 40 + w}" y1="{y0 + h / 2}" '
                  f'y2="{y0 + h / 2}" stroke="currentColor" stroke-opacity="0.3"/>',
                  f'<text x="{left}" y="{y0 + 10}" font-size="10">+1</text>',
                  f'<text x="{left}" y="{y0 + h / 2 + 4}" font-size="10">0</text>',
                  f'<text x="{left}" y="{y0 + h}" font-size="10">−1</text>',
                  f'<polyline points="{pts}" fill="none" stroke="#1f77b4" '
                  'stroke-width="1.5"/>',
                  f'<text x="{left + 40}" y="{y0 + h + 14}" font-size="11">discounted '
                  f'return per training episode (moving average of {window}); '
                  f'last 100: {returns[-100:].mean():+.2f}</text>']
        height = y0 + h + 20
    return _svg(width, height, "".join(parts), caption.replace("\n", " ") or summary)


# ------------------------------------------------------------------ γ / ε explorer

def _check_setting(gamma, epsilon):
    rl._unit_interval(gamma, "gamma")
    rl._unit_interval(epsilon, "epsilon")


@lru_cache(maxsize=64)
def _run(gamma: float, epsilon: float, episodes: int, seed: int):
    env = rl.GridWorld()
    result = rl.q_learning_run(env, episodes=episodes, alpha=0.5, gamma=gamma,
                               epsilon=epsilon, seed=seed, exploring_starts=False)
    _, q_star = rl.value_iteration(env, gamma)
    return env, result, q_star


def gamma_epsilon_state(gamma: float, epsilon: float, episodes: int = EXPLORER_EPISODES,
                        seed: int = 0) -> dict:
    """One Q-learning run on the default grid (start at S, α = 0.5) for a (γ, ε) setting:
    its Q table, greedy path, training returns and agreement with value iteration."""
    _check_setting(gamma, epsilon)
    env, result, q_star = _run(float(gamma), float(epsilon), int(episodes), int(seed))
    path = rl.greedy_path(env, result.q)
    on_path = [s for s in path if not env.terminal[s]]
    agree_path = bool(np.all(q_star[on_path, rl.greedy_policy(result.q)[on_path]]
                             >= q_star.max(axis=1)[on_path] - 1e-6)) if on_path else True
    return {"env": env, "q": result.q, "returns": result.returns, "path": path,
            "goal": env.mark(path[-1]) if env.terminal[path[-1]] else None,
            "optimal_goal": env.mark(rl.greedy_path(env, q_star)[-1]),
            "path_optimal": agree_path,
            "agreement": rl.policy_agreement(result.q, q_star, env.terminal),
            "mean_return": float(result.returns[-100:].mean())}


def gamma_epsilon_svg(gamma: float, epsilon: float) -> str:
    state = gamma_epsilon_state(gamma, epsilon)
    verdict = ("its greedy path is optimal" if state["path_optimal"]
               else "its greedy path is NOT optimal yet")
    caption = (f"γ = {gamma:g}, ε = {epsilon:g}: value iteration heads for "
               f"{state['optimal_goal']};\nQ-learning ({EXPLORER_EPISODES} episodes from S): "
               f"{verdict}")
    return q_map_svg(state["env"], state["q"], caption, returns=state["returns"])


def gamma_epsilon_widget(gamma: float = 0.9, epsilon: float = 0.1):
    import ipywidgets as w

    controls = {
        "gamma": w.SelectionSlider(options=list(GAMMAS), value=gamma, description="γ"),
        "epsilon": w.SelectionSlider(options=list(EPSILONS), value=epsilon,
                                     description="ε"),
    }
    return live_drawing(controls, gamma_epsilon_svg)


def gamma_epsilon_static(gamma: float = 0.9, epsilon: float = 0.1) -> Explorer:
    return state_explorer(
        [("gamma", "discount γ", list(GAMMAS), None),
         ("epsilon", "exploration ε", list(EPSILONS), None)],
        gamma_epsilon_svg,
        f"Q-learning on the grid world for each γ and ε ({EXPLORER_EPISODES} episodes "
        "from S; hover a cell for its Q-values)",
        initial=[GAMMAS.index(gamma), EPSILONS.index(epsilon)])


def gamma_epsilon_explorer(gamma: float = 0.9, epsilon: float = 0.1) -> None:
    """Show the γ/ε explorer: live in Jupyter/Colab, kernel-free in the book."""
    if gamma not in GAMMAS or epsilon not in EPSILONS:
        raise ValueError(f"gamma must be one of {GAMMAS} and epsilon one of {EPSILONS}")
    show(gamma_epsilon_widget(gamma, epsilon), gamma_epsilon_static(gamma, epsilon))


# ------------------------------------------------------------------ Q-map during training

def q_snapshots(env: rl.GridWorld, checkpoints, gamma: float = 0.9, epsilon: float = 0.5,
                alpha: float = 0.5, seed: int = 0) -> dict:
    """Q tables after each number of episodes in ``checkpoints`` (one run, continued)."""
    checkpoints = sorted({int(c) for c in checkpoints})
    if not checkpoints or checkpoints[0] < 0:
        raise ValueError("checkpoints must be non-negative episode counts")
    tables = {}
    for count in checkpoints:
        tables[count] = (np.zeros((env.n_states, env.n_actions)) if count == 0 else
                         rl.q_learning(env, count, alpha, gamma, epsilon, seed))
    return tables


def q_map_widget(env: rl.GridWorld, tables: dict):
    import ipywidgets as w

    counts = sorted(tables)
    _, q_star = rl.value_iteration(env, 0.9)
    controls = {"episodes": w.SelectionSlider(options=counts, value=counts[-1],
                                              description="episodes")}

    def draw(episodes):
        agreement = rl.policy_agreement(tables[episodes], q_star, env.terminal)
        return q_map_svg(env, tables[episodes], f"after {episodes} episodes: greedy action "
                         f"optimal in {agreement:.0%} of the cells")
    return live_drawing(controls, draw), draw


def q_map_explorer(env: rl.GridWorld, tables: dict) -> None:
    """The Q-value map after each number of training episodes (live and static)."""
    if not isinstance(tables, dict) or not tables:
        raise ValueError("tables must map episode counts to Q tables")
    live, draw = q_map_widget(env, tables)
    counts = sorted(tables)
    static = state_explorer([("episodes", "episodes of training", counts, None)], draw,
                            "Q-value map during training (hover a cell for its Q-values)",
                            initial=[len(counts) - 1])
    show(live, static)


def q_map_figure(env: rl.GridWorld, q, title: str = "max_a Q(s, a) and the greedy path"):
    """Plotly heatmap of max_a Q with the four Q-values on hover, greedy arrows and path."""
    import plotly.graph_objects as go

    q = np.asarray(q, dtype=np.float64)
    if q.shape != (env.n_states, env.n_actions):
        raise ValueError(f"q must have shape {(env.n_states, env.n_actions)}, got {q.shape}")
    grid = np.full((env.rows, env.cols), np.nan)
    hover = [["wall"] * env.cols for _ in range(env.rows)]
    policy = rl.greedy_policy(q)
    annotations = []
    for s, (r, c) in enumerate(env.cells):
        mark = env.layout[r][c]
        if env.terminal[s]:
            grid[r, c] = env.terminal_rewards[mark]
            hover[r][c] = f"terminal {mark}: reward {env.terminal_rewards[mark]:+g}"
            text = mark
        else:
            grid[r, c] = q[s].max()
            hover[r][c] = "<br>".join(f"Q({name}) = {q[s, a]:.3f}"
                                      for a, name in enumerate(rl.ACTIONS))
            text = rl.ARROWS[policy[s]]
        dark = abs(grid[r, c]) > 0.6               # white text on the deepest colours
        annotations.append(dict(x=c, y=r, text=text, showarrow=False,
                                font=dict(size=16, color="white" if dark else "black")))
    path = rl.greedy_path(env, q)
    fig = go.Figure(go.Heatmap(z=grid, customdata=hover, colorscale="RdBu", zmid=0,
                               zmin=-1, zmax=1, hovertemplate="%{customdata}<extra></extra>",
                               colorbar=dict(title="max Q")))
    fig.add_trace(go.Scatter(x=[env.cells[s][1] for s in path],
                             y=[env.cells[s][0] for s in path], mode="lines",
                             line=dict(color="#e8710a", width=4), name="greedy path",
                             hoverinfo="skip"))
    fig.update_layout(title=title, annotations=annotations, height=330,
                      yaxis=dict(autorange="reversed", scaleanchor="x", title="row",
                                 constrain="domain"),
                      xaxis=dict(title="column", range=[-0.5, env.cols - 0.5],
                                 constrain="domain"), showlegend=False,
                      margin=dict(l=40, r=20, t=50, b=40))
    return fig


# ------------------------------------------------------------------ practice generator

def q_update_practice(count: int = 3, seed: int | None = None) -> list[dict]:
    """Fresh one-update Q-learning questions, graded by :func:`helpers.rl.q_update`."""
    count = practice_count(count)
    rng = random.Random(seed)
    questions = []
    for index in range(count):
        q_sa = round(rng.uniform(-1, 2), 1)
        reward = rng.choice([-1, 0, 0, 1, 2, 5])
        next_q = [round(rng.uniform(-1, 3), 1) for _ in range(rng.choice([2, 3, 4]))]
        alpha = rng.choice([0.1, 0.2, 0.5])
        gamma = rng.choice([0.9, 0.95, 0.99, 0.5])
        terminal = rng.random() < 0.2
        kwargs = {"q_sa": q_sa, "reward": reward, "next_q_values": next_q, "alpha": alpha,
                  "gamma": gamma, "terminal": terminal}
        value = rl.q_update(**kwargs)
        target = reward + (0 if terminal else gamma * max(next_q))
        where = ("s′ is terminal (the episode ended)" if terminal else
                 f"in s′ the Q-values are {next_q}")
        questions.append({
            "id": f"practice-q-{index + 1}", "type": "numeric",
            "prompt": (f"Q-learning with α = {alpha}, γ = {gamma}. The agent had Q(s, a) = "
                       f"{q_sa}, took a, received r = {reward}, and {where}. What is Q(s, a) "
                       "after the update? (3 decimals)"),
            "answer": {"call": "helpers.rl.q_update", "kwargs": kwargs},
            "value": value, "tolerance": 0.0006,
            "hint": ("Target = r + γ·max Q(s′, ·) (just r if s′ is terminal); then move Q a "
                     "fraction α of the way to it."),
            "explanation": (f"target = {reward}" + ("" if terminal else
                                                   f" + {gamma}·{max(next_q)}")
                            + f" = {target:.4g}; Q ← {q_sa} + {alpha}·({target:.4g} − {q_sa})"
                            f" = {value:.4f}. It is max, not the action the behaviour policy "
                            "takes next: Q-learning is off-policy.")})
    return questions


# ------------------------------------------------------------------ benchmarks

def benchmarks() -> dict:
    """Callback drivers for scripts/bench.py (the runs are trained once when the widget is
    made, as for a reader; each call redraws another setting)."""
    from helpers.widgets import cycle

    box = gamma_epsilon_widget()
    settings = [(g, e) for g in GAMMAS for e in EPSILONS]
    for gamma, epsilon in settings:            # train every run first, as the page does
        gamma_epsilon_state(gamma, epsilon)
    env = rl.GridWorld()
    tables = q_snapshots(env, [0, 10, 50, 200])
    live, _ = q_map_widget(env, tables)
    return {
        "γ/ε explorer: γ": cycle(box._dlbook_controls["gamma"], list(GAMMAS)),
        "γ/ε explorer: ε": cycle(box._dlbook_controls["epsilon"], list(EPSILONS)),
        "Q-map: episodes": cycle(live._dlbook_controls["episodes"], sorted(tables)),
    }
