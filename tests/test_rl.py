"""helpers.rl against references: a direct sum for the returns, brute-force policy evaluation
for value iteration, Gymnasium's CartPole-v1 for the dynamics, Keras' Huber loss, the closed
form of the KL-regularised optimum, and bad input."""

import itertools
import math

import numpy as np
import pytest

from helpers import rl

# ------------------------------------------------------------------ returns, bandit

def test_discounted_returns_match_the_direct_sum():
    rng = np.random.default_rng(0)
    rewards = rng.normal(size=12)
    for gamma in (0.0, 0.5, 0.9, 1.0):
        direct = [sum(gamma ** k * rewards[t + k] for k in range(len(rewards) - t))
                  for t in range(len(rewards))]
        assert np.allclose(rl.discounted_returns(rewards, gamma), direct)
    assert rl.discounted_returns([0, 0, 1], 0.9).tolist() == pytest.approx([0.81, 0.9, 1.0])
    assert rl.discounted_returns([], 0.9).shape == (0,)
    assert rl.episode_return([0, 0, 1], 0.9) == pytest.approx(0.81)
    with pytest.raises(ValueError):
        rl.episode_return([], 0.9)


@pytest.mark.parametrize("call,error", [
    (lambda: rl.discounted_returns([1, 2], 1.5), ValueError),
    (lambda: rl.discounted_returns([1, 2], -0.1), ValueError),
    (lambda: rl.discounted_returns([1, 2], "0.9"), TypeError),
    (lambda: rl.discounted_returns([[1, 2]], 0.9), ValueError),
    (lambda: rl.discounted_returns([1, np.nan], 0.9), ValueError),
    (lambda: rl.effective_horizon(2.0), ValueError),
])
def test_returns_reject_bad_input(call, error):
    with pytest.raises(error):
        call()


def test_effective_horizon_is_the_sum_of_the_weights():
    for gamma in (0.0, 0.5, 0.9, 0.99):
        assert rl.effective_horizon(gamma) == pytest.approx(sum(gamma ** k
                                                                for k in range(5000)))
    assert rl.effective_horizon(1.0) == math.inf


def test_bandit_exploration_trades_off():
    means = [0.2, 0.8, 0.5, -0.3]
    greedy = rl.epsilon_greedy_bandit(means, 0.0, steps=500, runs=300, seed=0)
    some = rl.epsilon_greedy_bandit(means, 0.1, steps=500, runs=300, seed=0)
    always = rl.epsilon_greedy_bandit(means, 1.0, steps=500, runs=300, seed=0)
    # pure exploration: regret grows at the mean gap of a uniform pull, every step
    gap = max(means) - np.mean(means)
    assert always.cumulative_regret[-1] == pytest.approx(500 * gap, rel=0.03)
    assert always.optimal_share.mean() == pytest.approx(0.25, abs=0.02)
    assert some.cumulative_regret[-1] < greedy.cumulative_regret[-1]
    assert some.cumulative_regret[-1] < always.cumulative_regret[-1]
    with pytest.raises(ValueError):
        rl.epsilon_greedy_bandit([1.0], 0.1)
    with pytest.raises(ValueError):
        rl.epsilon_greedy_bandit(means, 1.1)


# ------------------------------------------------------------------ grid world

def test_default_grid_world_and_layout_format():
    env = rl.GridWorld()
    assert (env.rows, env.cols, env.n_actions) == (5, 9, 4)
    assert env.n_states == sum(ch != "#" for row in rl.DEFAULT_LAYOUT for ch in row)
    assert env.mark(env.start) == "S"
    assert env.terminal.sum() == 3
    # a move into a wall stays put; entering G pays +1 and ends the episode
    r, c = env.cells[env.start]
    assert env.transition(env.start, 0) == (env.index[(r - 1, c)], 0.0, False)
    left_of_goal = env.index[(2, 7)]
    assert env.transition(left_of_goal, 1) == (env.index[(2, 8)], 1.0, True)
    corner = env.index[(0, 0)]
    assert env.transition(corner, 0)[0] == corner and env.transition(corner, 3)[0] == corner
    with pytest.raises(ValueError, match="terminal"):
        env.transition(env.index[(2, 8)], 0)


@pytest.mark.parametrize("layout,error,match", [
    (["..S", "..G", "..."[:2]], ValueError, "same"),
    (["..S", "..Q"], ValueError, "unknown"),
    (["...", "..G"], ValueError, "exactly one start"),
    (["S.S", "..G"], ValueError, "exactly one start"),
    (["S..", "..."], ValueError, "terminal"),
    ("S.G", TypeError, "list of strings"),
    ([], TypeError, "non-empty"),
    ([1, 2], TypeError, "strings"),
])
def test_malformed_layouts_are_rejected(layout, error, match):
    with pytest.raises(error, match=match):
        rl.GridWorld(layout)


def test_custom_terminal_rewards_and_step_cost():
    env = rl.GridWorld(["S.A"], terminal_rewards={"A": 5.0}, step_reward=-1.0)
    assert env.transition(env.start, 1) == (1, -1.0, False)
    assert env.transition(1, 1) == (2, 4.0, True)
    with pytest.raises(ValueError, match="single characters"):
        rl.GridWorld(["S.#"], terminal_rewards={"#": 1.0})


def policy_value(env, policy, gamma, steps=400):
    """Brute-force evaluation of a deterministic policy by simulation (the reference)."""
    values = np.zeros(env.n_states)
    for s in range(env.n_states):
        if env.terminal[s]:
            continue
        state, total = s, 0.0
        for t in range(steps):
            state, reward, done = env.transition(state, policy[state])
            total += gamma ** t * reward
            if done:
                break
        values[s] = total
    return values


def test_value_iteration_is_optimal_by_brute_force():
    env = rl.GridWorld(["S.#G", "..X."])
    gamma = 0.9
    values, q = rl.value_iteration(env, gamma)
    assert values.shape == (env.n_states,) and q.shape == (env.n_states, 4)
    # the Bellman optimality equation holds
    backup = env.reward + gamma * np.where(env.terminal[env.next_state], 0.0,
                                           values[env.next_state])
    backup[env.terminal] = 0
    assert np.allclose(q, backup, atol=1e-7) and np.allclose(values, q.max(axis=1))
    # no deterministic policy does better from any state (all 4^n of them are checked)
    free = np.flatnonzero(~env.terminal)
    best = np.full(env.n_states, -np.inf)
    for choice in itertools.product(range(4), repeat=len(free)):
        policy = np.zeros(env.n_states, dtype=int)
        policy[free] = choice
        best = np.maximum(best, policy_value(env, policy, gamma, steps=30))
    assert np.allclose(values[free], best[free], atol=1e-6)


def test_gamma_decides_between_the_near_and_the_far_goal():
    env = rl.GridWorld()
    ends = {}
    for gamma in (0.5, 0.8, 0.9, 0.99):
        _, q = rl.value_iteration(env, gamma)
        ends[gamma] = env.mark(rl.greedy_path(env, q)[-1])
    assert ends == {0.5: "g", 0.8: "g", 0.9: "G", 0.99: "G"}


def test_q_learning_converges_to_the_value_iteration_policy():
    env = rl.GridWorld()
    _, q_star = rl.value_iteration(env, 0.9)
    q = rl.q_learning(env, episodes=2000, alpha=0.5, gamma=0.9, epsilon=0.5, seed=0)
    assert q.shape == (env.n_states, env.n_actions)
    assert rl.policy_agreement(q, q_star, env.terminal) == 1.0
    assert np.allclose(q.max(axis=1)[~env.terminal], q_star.max(axis=1)[~env.terminal],
                       atol=0.02)
    assert np.array_equal(rl.q_learning(env, 50, seed=3), rl.q_learning(env, 50, seed=3))
    result = rl.q_learning_run(env, 30, seed=1)
    assert result.returns.shape == (30,) and result.lengths.min() >= 1


@pytest.mark.parametrize("kwargs", [{"gamma": 1.2}, {"epsilon": -0.1}, {"alpha": 2.0},
                                    {"episodes": 0}, {"gamma": -1}])
def test_q_learning_rejects_bad_settings(kwargs):
    with pytest.raises(ValueError):
        rl.q_learning(rl.GridWorld(), **kwargs)


def test_bad_env_and_value_iteration_settings():
    with pytest.raises(TypeError, match="GridWorld"):
        rl.value_iteration("grid", 0.9)
    with pytest.raises(ValueError):
        rl.value_iteration(rl.GridWorld(), 1.5)
    with pytest.raises(ValueError, match="tol"):
        rl.value_iteration(rl.GridWorld(), 0.9, tol=0)
    with pytest.raises(ValueError):
        rl.greedy_policy(np.zeros(3))


def test_q_update_by_hand():
    assert rl.q_update(0.5, 1.0, [0.2, 0.8], alpha=0.1, gamma=0.9) == pytest.approx(
        0.5 + 0.1 * (1.0 + 0.9 * 0.8 - 0.5))
    assert rl.q_update(0.5, 1.0, [0.2, 0.8], 0.1, 0.9, terminal=True) == pytest.approx(0.55)
    with pytest.raises(ValueError):
        rl.q_update(0.5, 1.0, [], 0.1, 0.9)
    with pytest.raises(ValueError):
        rl.q_update(0.5, 1.0, [0.1], 1.1, 0.9)


# ------------------------------------------------------------------ cart-pole

def test_cartpole_matches_gymnasium_step_for_step():
    gym = pytest.importorskip("gymnasium")
    for seed in range(5):
        reference = gym.make("CartPole-v1")
        reference.reset(seed=seed)
        mine = rl.CartPole(seed=seed)
        mine.reset(np.array(reference.unwrapped.state, dtype=np.float64))
        rng = np.random.default_rng(seed)
        steps = 0
        while True:
            action = int(rng.integers(2)) if seed % 2 else int(mine.state[2] > 0)
            observation, reward, terminated, truncated, _ = reference.step(action)
            state, my_reward, my_terminated, my_truncated = mine.step(action)
            steps += 1
            assert np.allclose(state, reference.unwrapped.state, rtol=0, atol=1e-12)
            assert np.allclose(state, observation, atol=1e-6)          # float32 there
            assert (my_reward, my_terminated, my_truncated) == (reward, terminated, truncated)
            if terminated or truncated:
                break
        assert steps > 5


def test_cartpole_truncates_at_max_steps_and_seeds_its_reset():
    env = rl.CartPole(seed=0, max_steps=3)
    env.reset(np.zeros(4))
    flags = [env.step(i % 2)[2:] for i in range(3)]
    assert flags == [(False, False), (False, False), (False, True)]
    assert np.array_equal(rl.CartPole(seed=4).reset(), rl.CartPole(seed=4).reset())
    assert np.all(np.abs(rl.CartPole(seed=5).reset()) <= 0.05)
    assert rl.run_episode(rl.CartPole(seed=0, max_steps=10), lambda s: int(s[2] > 0)) == 10


def test_cartpole_bad_input():
    env = rl.CartPole(seed=0)
    with pytest.raises(ValueError, match="reset"):
        env.step(0)
    env.reset()
    with pytest.raises(ValueError, match="action"):
        env.step(2)
    with pytest.raises(ValueError, match="action"):
        env.step(True)
    with pytest.raises(ValueError, match="4 finite"):
        env.reset([0, 0, 0])
    with pytest.raises(ValueError):
        rl.CartPole(max_steps=0)


# ------------------------------------------------------------------ DQN parts

def test_replay_buffer_overwrites_the_oldest_and_samples_what_it_holds():
    buffer = rl.ReplayBuffer(capacity=5, state_dim=2, seed=0)
    for i in range(8):
        buffer.add([i, -i], i % 2, float(i), [i + 1, -i - 1], i == 7)
    assert len(buffer) == 5
    assert sorted(buffer.rewards.tolist()) == [3.0, 4.0, 5.0, 6.0, 7.0]
    states, actions, rewards, next_states, dones = buffer.sample(4)
    assert states.shape == (4, 2) and actions.shape == (4,) and dones.dtype == np.float32
    assert np.allclose(states[:, 0], rewards) and np.allclose(next_states[:, 0], rewards + 1)
    assert np.array_equal(dones, (rewards == 7).astype(np.float32))
    with pytest.raises(ValueError, match="cannot sample"):
        buffer.sample(6)
    with pytest.raises(ValueError, match="shape"):
        buffer.add([1, 2, 3], 0, 0.0, [1, 2], False)
    with pytest.raises(ValueError):
        rl.ReplayBuffer(0, 2)


def test_linear_schedule_and_huber_against_keras():
    assert rl.linear_schedule(0, 1.0, 0.05, 100) == 1.0
    assert rl.linear_schedule(50, 1.0, 0.0, 100) == pytest.approx(0.5)
    assert rl.linear_schedule(500, 1.0, 0.05, 100) == pytest.approx(0.05)
    with pytest.raises(ValueError):
        rl.linear_schedule(-1, 1.0, 0.05, 100)
    import keras

    errors = np.array([-3.0, -1.0, -0.2, 0.0, 0.5, 2.5])
    keras_loss = keras.losses.Huber(delta=1.0)(np.zeros(6), errors)
    assert float(keras_loss) == pytest.approx(rl.huber(errors).mean(), rel=1e-6)
    with pytest.raises(ValueError):
        rl.huber(errors, delta=0)


# ------------------------------------------------------------------ RLHF miniature

def test_bradley_terry_and_the_kl_regularised_optimum():
    assert rl.preference_probability(1.0, 1.0) == pytest.approx(0.5)
    assert rl.preference_probability(2.0, 0.0) == pytest.approx(1 / (1 + math.exp(-2)))
    reference = np.array([0.5, 0.3, 0.2])
    rewards = np.array([0.0, 1.0, 2.0])
    for beta in (0.1, 1.0, 10.0):
        best = rl.kl_regularised_policy(reference, rewards, beta)
        objective = best @ rewards - beta * rl.kl_divergence(best, reference)
        # no other policy on a fine grid of the simplex does better
        rng = np.random.default_rng(0)
        others = rng.dirichlet(np.ones(3), size=3000)
        scores = others @ rewards - beta * np.array([rl.kl_divergence(p, reference)
                                                     for p in others])
        assert objective >= scores.max() - 1e-9
    assert np.allclose(rl.kl_regularised_policy(reference, rewards, 1e6), reference,
                       atol=1e-5)
    assert rl.kl_regularised_policy(reference, rewards, 1e-3).argmax() == 2
    with pytest.raises(ValueError, match="beta"):
        rl.kl_regularised_policy(reference, rewards, 0)
    with pytest.raises(ValueError, match="probability"):
        rl.kl_regularised_policy([0.5, 0.6, -0.1], rewards, 1.0)
    with pytest.raises(ValueError):
        rl.kl_divergence([0.5, 0.5], [1.0])


# ------------------------------------------------------------------ tic-tac-toe, MCTS

def test_winner_and_moves():
    assert rl.winner([1, 1, 1, 0, -1, -1, 0, 0, 0]) == 1
    assert rl.winner([-1, 1, 0, 0, -1, 1, 0, 0, -1]) == -1
    assert rl.winner([0] * 9) == 0
    assert rl.legal_moves([1, 0, -1, 0, 0, 0, 0, 0, 1]) == [1, 3, 4, 5, 6, 7]


def test_mcts_takes_a_win_and_blocks_a_loss():
    win_now = [1, 1, 0, -1, -1, 0, 0, 0, 0]          # X to move: 2 wins
    assert int(np.argmax(rl.mcts(win_now, 1, simulations=200, seed=0))) == 2
    block = [1, 0, 0, -1, -1, 0, 1, 0, 0]             # X to move: must block at 5
    assert int(np.argmax(rl.mcts(block, 1, simulations=400, seed=0))) == 5
    counts = rl.mcts([0] * 9, 1, simulations=90, seed=1)
    assert counts.sum() == 90                      # every round passes through one child
    perfect = lambda board, player: 0.0                               # noqa: E731
    assert rl.mcts(win_now, 1, simulations=50, evaluate=perfect).argmax() == 2


def test_mcts_bad_input_and_games():
    with pytest.raises(ValueError, match="over"):
        rl.mcts([1, 1, 1, -1, -1, 0, 0, 0, 0], -1)
    with pytest.raises(ValueError, match="board"):
        rl.mcts([0] * 8, 1)
    with pytest.raises(ValueError, match="player"):
        rl.mcts([0] * 9, 2)
    random_agent = lambda board, player, rng: rng.choice(rl.legal_moves(board))  # noqa: E731
    searcher = lambda board, player, rng: int(np.argmax(                        # noqa: E731
        rl.mcts(board, player, simulations=60, seed=int(rng.integers(1 << 30)))))
    results = [rl.play_game(searcher, random_agent, seed=s) for s in range(10)]
    assert results.count(1) >= 8 and -1 not in results
