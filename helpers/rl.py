"""Lecture 11: reinforcement learning on environments small enough to write out.

Everything here is NumPy/Python (no downloaded environments):

* :func:`discounted_returns` — every return :math:`G_t = \\sum_k \\gamma^k r_{t+k+1}` of an
  episode, by the backward recursion :math:`G_t = r_{t+1} + \\gamma G_{t+1}`.
* :func:`epsilon_greedy_bandit` — ε-greedy on a Gaussian multi-armed bandit, many runs at once.
* :class:`GridWorld`, :func:`value_iteration`, :func:`q_learning`, :func:`greedy_policy` —
  the tabular part of the lecture.
* :class:`CartPole` — the classic cart-pole (Barto, Sutton & Anderson 1983) with the equations
  and constants of Gymnasium's ``CartPole-v1``; :class:`ReplayBuffer` for DQN.
* :func:`preference_probability`, :func:`kl_regularised_policy` — the RLHF miniature.
* :class:`TicTacToe` helpers and :func:`mcts` — Monte-Carlo tree search with random rollouts or a
  value function.

Bad input raises a plain :class:`ValueError` or :class:`TypeError`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

ACTIONS = ("up", "right", "down", "left")
MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))
ARROWS = ("↑", "→", "↓", "←")


def _unit_interval(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number in [0, 1], got {value!r}")
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {value!r}")
    return value


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


# ------------------------------------------------------------------ returns and bandits

def discounted_returns(rewards, gamma: float) -> np.ndarray:
    """All returns of an episode: ``G[t] = rewards[t] + gamma * G[t + 1]``.

    ``rewards[t]`` is the reward that follows action ``t`` (the book's :math:`r_{t+1}`), so
    :math:`G_t = r_{t+1} + \\gamma r_{t+2} + \\gamma^2 r_{t+3} + \\dots`

    >>> discounted_returns([0, 0, 1], 0.9)
    array([0.81, 0.9 , 1.  ])
    """
    gamma = _unit_interval(gamma, "gamma")
    rewards = np.asarray(rewards, dtype=np.float64)
    if rewards.ndim != 1:
        raise ValueError(f"rewards must be a 1-D sequence, got shape {rewards.shape}")
    if not np.all(np.isfinite(rewards)):
        raise ValueError("rewards must be finite numbers")
    returns = np.zeros_like(rewards)
    following = 0.0
    for t in range(len(rewards) - 1, -1, -1):
        following = rewards[t] + gamma * following
        returns[t] = following
    return returns


def episode_return(rewards, gamma: float) -> float:
    """The return from the start, :math:`G_0` (the first entry of :func:`discounted_returns`).

    >>> round(episode_return([0, 0, 1], 0.9), 4)
    0.81
    """
    returns = discounted_returns(rewards, gamma)
    if returns.size == 0:
        raise ValueError("an episode needs at least one reward")
    return float(returns[0])


def effective_horizon(gamma: float) -> float:
    """:math:`1/(1-\\gamma)`, the number of steps a discounted sum effectively looks ahead
    (the sum of all the weights :math:`\\gamma^k`); infinite for :math:`\\gamma = 1`."""
    gamma = _unit_interval(gamma, "gamma")
    return math.inf if gamma == 1.0 else 1.0 / (1.0 - gamma)


@dataclass
class BanditResult:
    """Averages over runs, one value per step: reward, regret so far, optimal-arm share."""
    mean_reward: np.ndarray
    cumulative_regret: np.ndarray
    optimal_share: np.ndarray


def epsilon_greedy_bandit(arm_means, epsilon: float, steps: int = 1000, runs: int = 200,
                          seed: int | None = 0, noise: float = 1.0) -> BanditResult:
    """ε-greedy with sample-average estimates on a Gaussian bandit, ``runs`` copies at once.

    Each step every run pulls the arm with the highest estimate (ties broken at random), or
    with probability ε a uniformly random arm; the reward is ``arm_means[arm] + noise · N(0,1)``.
    Regret adds ``max(arm_means) - arm_means[arm]`` per pull (the expected loss of that pull).
    """
    epsilon = _unit_interval(epsilon, "epsilon")
    steps, runs = _positive_int(steps, "steps"), _positive_int(runs, "runs")
    means = np.asarray(arm_means, dtype=np.float64)
    if means.ndim != 1 or len(means) < 2:
        raise ValueError("arm_means needs at least two arms (a 1-D sequence)")
    rng = np.random.default_rng(seed)
    k = len(means)
    estimates = np.zeros((runs, k))
    counts = np.zeros((runs, k))
    best = means.max()
    rewards = np.zeros((steps, runs))
    regrets = np.zeros((steps, runs))
    optimal = np.zeros((steps, runs))
    rows = np.arange(runs)
    for step in range(steps):
        tie_break = rng.random((runs, k)) * 1e-9
        greedy = np.argmax(estimates + tie_break, axis=1)
        explore = rng.random(runs) < epsilon
        arms = np.where(explore, rng.integers(0, k, runs), greedy)
        reward = means[arms] + noise * rng.standard_normal(runs)
        counts[rows, arms] += 1
        estimates[rows, arms] += (reward - estimates[rows, arms]) / counts[rows, arms]
        rewards[step], regrets[step] = reward, best - means[arms]
        optimal[step] = means[arms] == best
    return BanditResult(rewards.mean(axis=1), np.cumsum(regrets, axis=0).mean(axis=1),
                        optimal.mean(axis=1))


# ------------------------------------------------------------------ grid world

DEFAULT_LAYOUT = (
    "....#....",
    ".#..#.##.",
    "g.S.....G",
    ".#..X.#..",
    "....#....",
)
"""The lecture's grid: start ``S``, a small reward ``g`` two steps to the left, the big goal
``G`` six steps to the right, with a pit ``X`` beside the way. With no step cost a far-sighted
agent (γ⁴ > 0.5, γ above about 0.84) walks to ``G``; a short-sighted one settles for ``g``."""

TERMINAL_REWARDS = {"G": 1.0, "g": 0.5, "X": -1.0}


class GridWorld:
    """A deterministic grid world described by a list of equal-length strings.

    Layout characters: ``.`` floor, ``#`` wall, ``S`` the start (exactly one), and terminal
    cells whose characters are keys of ``terminal_rewards`` (default ``G`` +1, ``g`` +0.5,
    ``X`` −1). Every non-wall cell is a state, numbered row by row. Actions 0–3 move up, right,
    down, left; a move into a wall or off the grid leaves the agent where it is. Each move
    earns ``step_reward``, plus the terminal reward when it enters a terminal cell, which
    ends the episode.

    >>> env = GridWorld()
    >>> env.n_states, env.n_actions
    (33, 4)
    """

    def __init__(self, layout: Sequence[str] = DEFAULT_LAYOUT,
                 terminal_rewards: dict | None = None, step_reward: float = 0.0):
        terminal_rewards = dict(TERMINAL_REWARDS if terminal_rewards is None
                                else terminal_rewards)
        if isinstance(layout, str) or not isinstance(layout, (list, tuple)) or not layout:
            raise TypeError("layout must be a non-empty list of strings, one per row")
        if not all(isinstance(row, str) for row in layout):
            raise TypeError("layout must be a list of strings, one per row")
        if len({len(row) for row in layout}) != 1 or not layout[0]:
            raise ValueError("every row of the layout must have the same, non-zero length")
        for key, value in terminal_rewards.items():
            if not isinstance(key, str) or len(key) != 1 or key in ".#S":
                raise ValueError(f"terminal cell marks are single characters other than "
                                 f"'.', '#', 'S'; got {key!r}")
            if not np.isfinite(value):
                raise ValueError(f"terminal reward for {key!r} must be finite")
        allowed = set(".#S") | set(terminal_rewards)
        unknown = {ch for row in layout for ch in row} - allowed
        if unknown:
            raise ValueError(f"unknown layout characters {sorted(unknown)}; allowed: "
                             f"{''.join(sorted(allowed))}")
        starts = [(r, c) for r, row in enumerate(layout) for c, ch in enumerate(row)
                  if ch == "S"]
        if len(starts) != 1:
            raise ValueError(f"the layout needs exactly one start 'S', found {len(starts)}")
        if not any(ch in terminal_rewards for row in layout for ch in row):
            raise ValueError("the layout needs at least one terminal cell")
        self.layout = tuple(layout)
        self.terminal_rewards = terminal_rewards
        self.step_reward = float(step_reward)
        self.rows, self.cols = len(layout), len(layout[0])
        self.cells = [(r, c) for r in range(self.rows) for c in range(self.cols)
                      if layout[r][c] != "#"]
        self.index = {cell: i for i, cell in enumerate(self.cells)}
        self.n_states, self.n_actions = len(self.cells), len(ACTIONS)
        self.start = self.index[starts[0]]
        self.terminal = np.array([layout[r][c] in terminal_rewards for r, c in self.cells])
        # the transition table: next state and reward of every (state, action)
        self.next_state = np.zeros((self.n_states, self.n_actions), dtype=np.int64)
        self.reward = np.zeros((self.n_states, self.n_actions))
        for s, (r, c) in enumerate(self.cells):
            for a, (dr, dc) in enumerate(MOVES):
                target = (r + dr, c + dc)
                nxt = self.index.get(target, s)
                self.next_state[s, a] = nxt
                mark = layout[self.cells[nxt][0]][self.cells[nxt][1]]
                self.reward[s, a] = self.step_reward + terminal_rewards.get(mark, 0.0)

    def transition(self, state: int, action: int) -> tuple[int, float, bool]:
        """``(next_state, reward, done)`` for one move (the environment's dynamics)."""
        if not 0 <= int(state) < self.n_states:
            raise ValueError(f"state must be in [0, {self.n_states}), got {state!r}")
        if not 0 <= int(action) < self.n_actions:
            raise ValueError(f"action must be in [0, {self.n_actions}), got {action!r}")
        if self.terminal[state]:
            raise ValueError(f"state {state} is terminal: the episode is over")
        nxt = int(self.next_state[state, action])
        return nxt, float(self.reward[state, action]), bool(self.terminal[nxt])

    def mark(self, state: int) -> str:
        r, c = self.cells[state]
        return self.layout[r][c]

    def __repr__(self) -> str:
        return f"GridWorld({self.rows}x{self.cols}, {self.n_states} states)"


def _check_env(env) -> None:
    if not isinstance(env, GridWorld):
        raise TypeError(f"env must be a GridWorld, got {type(env).__name__}")


def value_iteration(env: GridWorld, gamma: float = 0.9,
                    tol: float = 1e-8, max_iterations: int = 10_000):
    """Optimal values by repeated Bellman optimality backups.

    :math:`Q(s,a) = r(s,a) + \\gamma V(s')` with :math:`V(s') = 0` at terminal cells, then
    :math:`V(s) = \\max_a Q(s,a)`, until V changes by less than ``tol``. Returns
    ``(values, q_values)`` of shapes ``(n_states,)`` and ``(n_states, n_actions)``; terminal
    states have value 0.
    """
    _check_env(env)
    gamma = _unit_interval(gamma, "gamma")
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not tol > 0:
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    values = np.zeros(env.n_states)
    q = np.zeros((env.n_states, env.n_actions))
    for _ in range(_positive_int(max_iterations, "max_iterations")):
        q = env.reward + gamma * np.where(env.terminal[env.next_state], 0.0,
                                          values[env.next_state])
        q[env.terminal] = 0.0
        new_values = q.max(axis=1)
        change = np.max(np.abs(new_values - values))
        values = new_values
        if change < tol:
            break
    else:
        raise ValueError("value iteration did not converge; with gamma = 1 every state "
                         "needs a path to a terminal cell")
    return values, q


def greedy_policy(q) -> np.ndarray:
    """The greedy action of every state, ``argmax_a Q(s, a)`` (the first on ties)."""
    q = np.asarray(q, dtype=np.float64)
    if q.ndim != 2 or q.shape[1] < 1:
        raise ValueError(f"q must be a 2-D table (n_states, n_actions), got {q.shape}")
    return np.argmax(q, axis=1)


def policy_agreement(q, q_star, terminal=None, tol: float = 1e-6) -> float:
    """Share of (non-terminal) states whose greedy action under ``q`` is optimal under
    ``q_star`` (its ``q_star`` value within ``tol`` of the best; ties count as agreement)."""
    q, q_star = np.asarray(q, dtype=np.float64), np.asarray(q_star, dtype=np.float64)
    if q.shape != q_star.shape or q.ndim != 2:
        raise ValueError(f"q {q.shape} and q_star {q_star.shape} must be equal 2-D shapes")
    chosen = q_star[np.arange(len(q)), greedy_policy(q)]
    ok = chosen >= q_star.max(axis=1) - tol
    if terminal is not None:
        ok = ok[~np.asarray(terminal, dtype=bool)]
    return float(np.mean(ok))


def greedy_path(env: GridWorld, q, max_steps: int = 50) -> list[int]:
    """The states visited by the greedy policy from the start (stops at a terminal cell, or
    after ``max_steps`` when the policy walks in circles)."""
    _check_env(env)
    policy = greedy_policy(q)
    path = [env.start]
    for _ in range(max_steps):
        if env.terminal[path[-1]]:
            break
        path.append(int(env.next_state[path[-1], policy[path[-1]]]))
    return path


def q_update(q_sa: float, reward: float, next_q_values, alpha: float, gamma: float,
             terminal: bool = False) -> float:
    """One tabular Q-learning update of a single entry:
    :math:`Q \\leftarrow Q + \\alpha\\,[r + \\gamma \\max_{a'} Q(s', a') - Q]`, with the
    bracket's max term dropped when ``s'`` is terminal.

    >>> q_update(0.5, 1.0, [0.2, 0.8], alpha=0.1, gamma=0.9)
    0.622
    """
    alpha, gamma = _unit_interval(alpha, "alpha"), _unit_interval(gamma, "gamma")
    next_q = np.asarray(next_q_values, dtype=np.float64)
    if next_q.ndim != 1 or next_q.size == 0:
        raise ValueError("next_q_values must be a non-empty 1-D sequence")
    target = float(reward) + (0.0 if terminal else gamma * float(next_q.max()))
    return round(float(q_sa) + alpha * (target - float(q_sa)), 12)


@dataclass
class QLearningResult:
    q: np.ndarray
    returns: np.ndarray      # discounted return of each training episode, from its start
    lengths: np.ndarray


def q_learning_run(env: GridWorld, episodes: int = 500, alpha: float = 0.5,
                   gamma: float = 0.9, epsilon: float = 0.1, seed: int | None = 0,
                   max_steps: int = 100, exploring_starts: bool = True) -> QLearningResult:
    """Tabular Q-learning with an ε-greedy behaviour policy, returning the table and the
    return of each episode. With ``exploring_starts`` each episode begins in a random
    non-terminal state (so every state is visited), otherwise at ``S``."""
    _check_env(env)
    alpha = _unit_interval(alpha, "alpha")
    gamma = _unit_interval(gamma, "gamma")
    epsilon = _unit_interval(epsilon, "epsilon")
    episodes, max_steps = _positive_int(episodes, "episodes"), _positive_int(max_steps,
                                                                            "max_steps")
    rng = np.random.default_rng(seed)
    q = np.zeros((env.n_states, env.n_actions))
    starts = np.flatnonzero(~env.terminal)
    returns, lengths = np.zeros(episodes), np.zeros(episodes, dtype=np.int64)
    next_state, reward_table, terminal = env.next_state, env.reward, env.terminal
    for episode in range(episodes):
        state = int(starts[rng.integers(len(starts))]) if exploring_starts else env.start
        explore = rng.random(max_steps) < epsilon       # this episode's coin flips, drawn
        random_actions = rng.integers(0, env.n_actions, max_steps)     # in one go
        tie_noise = rng.random((max_steps, env.n_actions)) * 1e-12
        total, discount = 0.0, 1.0
        for step in range(max_steps):
            if explore[step]:
                action = int(random_actions[step])
            else:                      # greedy; the tiny noise breaks exact ties at random
                action = int(np.argmax(q[state] + tie_noise[step]))
            nxt, reward = int(next_state[state, action]), reward_table[state, action]
            done = bool(terminal[nxt])
            target = reward + (0.0 if done else gamma * q[nxt].max())
            q[state, action] += alpha * (target - q[state, action])
            total += discount * reward
            discount *= gamma
            state = nxt
            if done:
                break
        returns[episode], lengths[episode] = total, step + 1
    return QLearningResult(q, returns, lengths)


def q_learning(env: GridWorld, episodes: int = 500, alpha: float = 0.5, gamma: float = 0.9,
               epsilon: float = 0.1, seed: int | None = 0, **kwargs) -> np.ndarray:
    """The Q table ``(n_states, n_actions)`` learned by :func:`q_learning_run`."""
    return q_learning_run(env, episodes, alpha, gamma, epsilon, seed, **kwargs).q


# ------------------------------------------------------------------ cart-pole

class CartPole:
    """The cart-pole of Gymnasium's ``CartPole-v1`` in NumPy, integrated with explicit Euler
    steps of 0.02 s (Gymnasium's default ``"euler"`` integrator).

    State ``(x, ẋ, θ, θ̇)``; action 0 pushes left, 1 right, with 10 N. Reward 1 for every
    step, the episode ends when ``|x| > 2.4`` or ``|θ| > 12°`` (terminated) or after
    ``max_steps`` steps (truncated). ``reset()`` draws every state variable uniformly from
    [−0.05, 0.05] with the object's own seeded generator.
    """

    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    x_threshold = 2.4
    theta_threshold = 12 * 2 * math.pi / 360

    def __init__(self, seed: int | None = None, max_steps: int = 500):
        self.max_steps = _positive_int(max_steps, "max_steps")
        self.rng = np.random.default_rng(seed)
        self.state = None
        self.steps = 0

    def reset(self, state=None) -> np.ndarray:
        """Start an episode (at ``state`` if given) and return the observation."""
        if state is None:
            self.state = self.rng.uniform(-0.05, 0.05, size=4)
        else:
            state = np.asarray(state, dtype=np.float64)
            if state.shape != (4,) or not np.all(np.isfinite(state)):
                raise ValueError("a cart-pole state is 4 finite numbers (x, x_dot, theta, "
                                 "theta_dot)")
            self.state = state.copy()
        self.steps = 0
        return self.state.copy()

    @classmethod
    def dynamics(cls, state, action: int) -> np.ndarray:
        """One Euler step of the equations of motion (pure function of state and action)."""
        x, x_dot, theta, theta_dot = state
        force = cls.force_mag if action == 1 else -cls.force_mag
        total_mass = cls.masspole + cls.masscart
        polemass_length = cls.masspole * cls.length
        cos, sin = math.cos(theta), math.sin(theta)
        temp = (force + polemass_length * theta_dot ** 2 * sin) / total_mass
        theta_acc = (cls.gravity * sin - cos * temp) / (
            cls.length * (4.0 / 3.0 - cls.masspole * cos ** 2 / total_mass))
        x_acc = temp - polemass_length * theta_acc * cos / total_mass
        return np.array([x + cls.tau * x_dot, x_dot + cls.tau * x_acc,
                         theta + cls.tau * theta_dot, theta_dot + cls.tau * theta_acc])

    def step(self, action: int) -> tuple[np.ndarray, float, bool, bool]:
        """``(observation, reward, terminated, truncated)``."""
        if self.state is None:
            raise ValueError("call reset() before step()")
        if isinstance(action, bool) or action not in (0, 1):
            raise ValueError(f"action must be 0 (push left) or 1 (push right), got {action!r}")
        self.state = self.dynamics(self.state, int(action))
        self.steps += 1
        x, _, theta, _ = self.state
        terminated = bool(abs(x) > self.x_threshold or abs(theta) > self.theta_threshold)
        truncated = self.steps >= self.max_steps and not terminated
        return self.state.copy(), 1.0, terminated, truncated


def run_episode(env: CartPole, policy: Callable[[np.ndarray], int]) -> float:
    """Play one episode with ``policy(observation) -> action``; return its (undiscounted)
    return, the number of steps the pole stayed up."""
    observation, total = env.reset(), 0.0
    while True:
        observation, reward, terminated, truncated = env.step(int(policy(observation)))
        total += reward
        if terminated or truncated:
            return total


# ------------------------------------------------------------------ replay buffer

class ReplayBuffer:
    """A fixed-size circular store of transitions ``(s, a, r, s', done)`` for DQN.

    New transitions overwrite the oldest once ``capacity`` is reached; :meth:`sample` draws a
    uniform mini-batch without replacement, which breaks the correlation between consecutive
    steps.
    """

    def __init__(self, capacity: int, state_dim: int, seed: int | None = None):
        self.capacity = _positive_int(capacity, "capacity")
        self.state_dim = _positive_int(state_dim, "state_dim")
        self.states = np.zeros((self.capacity, self.state_dim), dtype=np.float32)
        self.next_states = np.zeros_like(self.states)
        self.actions = np.zeros(self.capacity, dtype=np.int64)
        self.rewards = np.zeros(self.capacity, dtype=np.float32)
        self.dones = np.zeros(self.capacity, dtype=np.float32)
        self.position, self.size = 0, 0
        self.rng = np.random.default_rng(seed)

    def add(self, state, action: int, reward: float, next_state, done: bool) -> None:
        state = np.asarray(state, dtype=np.float32)
        next_state = np.asarray(next_state, dtype=np.float32)
        if state.shape != (self.state_dim,) or next_state.shape != (self.state_dim,):
            raise ValueError(f"states must have shape ({self.state_dim},), got "
                             f"{state.shape} and {next_state.shape}")
        i = self.position
        self.states[i], self.actions[i], self.rewards[i] = state, int(action), float(reward)
        self.next_states[i], self.dones[i] = next_state, float(bool(done))
        self.position = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, batch_size: int):
        """``(states, actions, rewards, next_states, dones)`` of ``batch_size`` transitions."""
        batch_size = _positive_int(batch_size, "batch_size")
        if batch_size > self.size:
            raise ValueError(f"cannot sample {batch_size} transitions from {self.size}")
        idx = self.rng.choice(self.size, size=batch_size, replace=False)
        return (self.states[idx], self.actions[idx], self.rewards[idx],
                self.next_states[idx], self.dones[idx])

    def __len__(self) -> int:
        return self.size


def linear_schedule(step: int, start: float, end: float, duration: int) -> float:
    """ε (or any rate) falling linearly from ``start`` to ``end`` over ``duration`` steps,
    then staying at ``end``."""
    duration = _positive_int(duration, "duration")
    if step < 0:
        raise ValueError(f"step must be >= 0, got {step!r}")
    fraction = min(step / duration, 1.0)
    return float(start + fraction * (end - start))


def huber(error, delta: float = 1.0) -> np.ndarray:
    """The Huber loss of a TD error: quadratic within ``delta``, linear outside
    (``keras.losses.Huber`` averages it)."""
    error = np.asarray(error, dtype=np.float64)
    if not delta > 0:
        raise ValueError(f"delta must be positive, got {delta!r}")
    small = np.abs(error) <= delta
    return np.where(small, 0.5 * error ** 2, delta * (np.abs(error) - 0.5 * delta))


# ------------------------------------------------------------------ RLHF miniature

def preference_probability(reward_a, reward_b) -> np.ndarray:
    """Bradley–Terry: :math:`P(a \\succ b) = \\sigma(r_a - r_b)`."""
    diff = np.asarray(reward_a, dtype=np.float64) - np.asarray(reward_b, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-diff))


def kl_regularised_policy(reference, rewards, beta: float) -> np.ndarray:
    """The policy maximising :math:`E_\\pi[r] - \\beta\\,KL(\\pi\\,\\|\\,\\pi_{ref})` over a
    finite set of responses: :math:`\\pi^* \\propto \\pi_{ref}\\,e^{r/\\beta}`."""
    reference = np.asarray(reference, dtype=np.float64)
    rewards = np.asarray(rewards, dtype=np.float64)
    if reference.shape != rewards.shape or reference.ndim != 1:
        raise ValueError("reference and rewards must be 1-D and of the same length")
    if np.any(reference <= 0) or not np.isclose(reference.sum(), 1.0):
        raise ValueError("reference must be a probability vector with positive entries")
    if isinstance(beta, bool) or not beta > 0:
        raise ValueError(f"beta must be positive, got {beta!r}")
    logits = np.log(reference) + rewards / beta
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


def kl_divergence(p, q) -> float:
    """:math:`KL(p\\,\\|\\,q) = \\sum p \\log(p/q)` in nats (terms with p = 0 count 0)."""
    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    if p.shape != q.shape:
        raise ValueError("p and q must have the same shape")
    mask = p > 0
    return float(np.sum(p[mask] * np.log(p[mask] / q[mask])))


# ------------------------------------------------------------------ tic-tac-toe and MCTS

LINES = ((0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8),
         (2, 4, 6))


def winner(board) -> int:
    """+1 or −1 if that player has three in a row, 0 otherwise (board: 9 entries in
    {−1, 0, +1}, row by row)."""
    for a, b, c in LINES:
        if board[a] != 0 and board[a] == board[b] == board[c]:
            return int(board[a])
    return 0


def legal_moves(board) -> list[int]:
    return [i for i in range(9) if board[i] == 0]


def _check_board(board) -> list[int]:
    board = [int(v) for v in np.asarray(board).ravel()]
    if len(board) != 9 or any(v not in (-1, 0, 1) for v in board):
        raise ValueError("a board is 9 entries in {-1, 0, +1}")
    return board


def random_rollout(board, player: int, rng) -> float:
    """Play uniformly random moves to the end; the outcome for the player to move now
    (+1 win, 0 draw, −1 loss)."""
    board, to_move = list(board), player
    while True:
        won = winner(board)
        if won:
            return float(won * player)
        moves = legal_moves(board)
        if not moves:
            return 0.0
        board[moves[int(rng.integers(len(moves)))]] = to_move
        to_move = -to_move


def mcts(board, player: int, simulations: int = 100, evaluate=None, c: float = 1.4,
         seed: int | None = 0) -> np.ndarray:
    """Visit counts of the root's 9 moves after ``simulations`` rounds of UCT search.

    Each round: **select** children by :math:`\\bar v + c\\sqrt{\\ln N_{parent}/N_{child}}`
    (unvisited first) down to a leaf, **expand** it, **evaluate** it — with a random rollout,
    or with ``evaluate(board, player_to_move)`` (a value function in [−1, 1] for the player to
    move) — and **back up** the value along the path, flipping its sign at every level. The
    move to play is the most visited.
    """
    board = _check_board(board)
    if player not in (-1, 1):
        raise ValueError(f"player must be +1 or -1, got {player!r}")
    simulations = _positive_int(simulations, "simulations")
    if winner(board) or not legal_moves(board):
        raise ValueError("the game is already over")
    rng = np.random.default_rng(seed)
    # node: key -> [visits, total value for the player who moved INTO the node]
    stats: dict[tuple, list] = {}
    root = tuple(board)
    for _ in range(simulations):
        state, to_move, path = list(root), player, [root]
        # selection and expansion
        while True:
            won, moves = winner(state), legal_moves(state)
            if won or not moves:
                value = 0.0 if not won else float(won * to_move)  # for the player to move
                break
            parent_visits = stats.get(tuple(state), [0, 0.0])[0]
            children = []
            for move in moves:
                child = list(state)
                child[move] = to_move
                children.append((move, tuple(child)))
            unvisited = [(m, k) for m, k in children if k not in stats]
            if unvisited:
                move, key = unvisited[int(rng.integers(len(unvisited)))]
                state[move] = to_move
                to_move = -to_move
                path.append(key)
                stats[key] = [0, 0.0]
                won = winner(state)
                if won:
                    value = float(won * to_move)
                elif not legal_moves(state):
                    value = 0.0
                elif evaluate is None:
                    value = random_rollout(state, to_move, rng)
                else:
                    value = float(evaluate(state, to_move))
                break
            scores = [stats[k][1] / stats[k][0]
                      + c * math.sqrt(math.log(parent_visits) / stats[k][0])
                      for _, k in children]
            move, key = children[int(np.argmax(scores))]
            state[move] = to_move
            to_move = -to_move
            path.append(key)
        # backup: the value is for the player to move at the leaf; the player who moved
        # into a node sees it with the opposite sign
        for key in reversed(path):
            value = -value
            entry = stats.setdefault(key, [0, 0.0])
            entry[0] += 1
            entry[1] += value
    counts = np.zeros(9, dtype=np.int64)
    for move in legal_moves(root):
        child = list(root)
        child[move] = player
        counts[move] = stats.get(tuple(child), [0, 0.0])[0]
    return counts


def play_game(first, second, seed: int | None = 0) -> int:
    """Play ``first`` (as +1) against ``second`` (as −1); each is
    ``agent(board, player, rng) -> move``. Returns the winner (+1, −1) or 0 for a draw."""
    rng = np.random.default_rng(seed)
    board, player = [0] * 9, 1
    agents = {1: first, -1: second}
    while True:
        move = int(agents[player](list(board), player, rng))
        if board[move] != 0:
            raise ValueError(f"illegal move {move}")
        board[move] = player
        won = winner(board)
        if won or not legal_moves(board):
            return won
        player = -player
