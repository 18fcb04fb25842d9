"""Small text corpora the book has offline, for word embeddings and character models.

Two corpora, both made by the project itself (no download, no licence question):

``"embeddings"``
    Sentences generated from templates, deterministic for a given ``seed``. The templates give
    the words a structure that a skip-gram model can find in well under a minute of CPU
    training: people that differ along *gender*, *royal vs common* and *adult vs young*
    (king, queen, prince, princess, man, woman, boy, girl); countries with their capitals and
    languages (france, paris, french …); fruits with their colours; and a kitchen vocabulary
    built around the lecture's sentence "lemon, a tablespoon of apricot jam, a pinch of salt".
    Words that can stand in for each other in the same slots (tablespoon / teaspoon,
    jam / marmalade, paris / rome) end up as neighbours, and the consistent directions
    (male → female, country → capital) make analogies such as king : queen :: man : woman
    solvable by vector arithmetic.

``"fable"``
    A short story in plain English, written for this book, for character-level models
    (about 2 500 characters, seven paragraphs; the ``seed`` is ignored).

Example::

    >>> text = load_corpus("embeddings", seed=0, num_sentences=3)
    >>> len(text.splitlines())
    3
    >>> load_corpus("embeddings", seed=1) == load_corpus("embeddings", seed=1)
    True
"""

from __future__ import annotations

import numpy as np

CORPORA = ("embeddings", "fable")

DEFAULT_NUM_SENTENCES = 6000

# (word, gender, status, age): the three directions the people sentences encode.
PEOPLE = (
    ("king", "male", "royal", "adult"),
    ("queen", "female", "royal", "adult"),
    ("prince", "male", "royal", "young"),
    ("princess", "female", "royal", "young"),
    ("man", "male", "common", "adult"),
    ("woman", "female", "common", "adult"),
    ("boy", "male", "common", "young"),
    ("girl", "female", "common", "young"),
)

# (country, capital, language)
COUNTRIES = (
    ("france", "paris", "french"),
    ("italy", "rome", "italian"),
    ("spain", "madrid", "spanish"),
    ("germany", "berlin", "german"),
    ("japan", "tokyo", "japanese"),
    ("russia", "moscow", "russian"),
    ("greece", "athens", "greek"),
    ("portugal", "lisbon", "portuguese"),
    ("china", "beijing", "chinese"),
    ("poland", "warsaw", "polish"),
)

# (fruit, colour)
FRUITS = (
    ("apricot", "orange"),
    ("peach", "orange"),
    ("cherry", "red"),
    ("strawberry", "red"),
    ("lemon", "yellow"),
    ("banana", "yellow"),
    ("plum", "purple"),
    ("grape", "purple"),
    ("lime", "green"),
    ("blueberry", "blue"),
)

# Analogy questions a : b :: c : d that the "embeddings" corpus is built to support.
ANALOGIES = (
    ("man", "woman", "king", "queen"),
    ("king", "queen", "man", "woman"),
    ("man", "woman", "boy", "girl"),
    ("king", "queen", "prince", "princess"),
    ("man", "king", "woman", "queen"),
    ("france", "paris", "italy", "rome"),
    ("germany", "berlin", "japan", "tokyo"),
    ("spain", "madrid", "greece", "athens"),
)

_PRONOUNS = {"male": ("he", "his", "him"), "female": ("she", "her", "her")}
_STATUS_THINGS = {
    "royal": ("crown", "throne", "palace", "castle", "kingdom", "jewels", "guards", "court"),
    "common": ("cart", "farm", "cottage", "garden", "goats", "plough", "barn", "field"),
}
_STATUS_WORDS = {
    "royal": ("royal", "noble", "crowned", "mighty"),
    "common": ("humble", "poor", "simple", "hardworking"),
}
_AGE_WORDS = {
    "adult": ("wise", "old", "tall", "grey", "stern", "elderly"),
    "young": ("little", "young", "small", "playful", "curious", "sleepy"),
}
_PEOPLE_VERBS = ("loved", "guarded", "visited", "cleaned", "left", "watched", "admired")
_CITY_WORDS = ("streets", "mayor", "museums", "avenues", "trams", "squares", "cafes", "bridges")
_COUNTRY_WORDS = ("mountains", "rivers", "borders", "provinces", "coast", "farmland", "forests")
_SIZES = ("large", "small", "beautiful", "proud", "ancient", "modern")
_MEASURES = ("tablespoon", "teaspoon", "spoonful", "cup", "jar")
_SPREADS = ("jam", "marmalade", "jelly", "compote")
_SPICES = ("salt", "sugar", "cinnamon", "nutmeg", "pepper")
_DASHES = ("pinch", "dash", "sprinkle")
_COOK_VERBS = ("stir", "bake", "boil", "simmer", "chop", "slice", "peel", "mash")
_DISHES = ("pie", "tart", "cake", "juice", "crumble", "pudding")


def _people_sentence(rng: np.random.Generator) -> str:
    word, gender, status, age = PEOPLE[rng.integers(len(PEOPLE))]
    he, his, _ = _PRONOUNS[gender]
    thing = rng.choice(_STATUS_THINGS[status])
    rank = rng.choice(_STATUS_WORDS[status])
    adjective = rng.choice(_AGE_WORDS[age])
    verb = rng.choice(_PEOPLE_VERBS)
    templates = (
        f"the {adjective} {word} {verb} {his} {thing}",
        f"the {rank} {word} and {his} {thing}",
        f"{he} is the {rank} {word} of the {thing}",
        f"everyone {verb} the {adjective} {word} and {his} {thing}",
        f"the {thing} of the {rank} {word}",
    )
    return templates[rng.integers(len(templates))]


def _country_sentence(rng: np.random.Generator) -> str:
    country, capital, language = COUNTRIES[rng.integers(len(COUNTRIES))]
    city_word = rng.choice(_CITY_WORDS)
    country_word = rng.choice(_COUNTRY_WORDS)
    size = rng.choice(_SIZES)
    templates = (
        f"{capital} is the capital of {country}",
        f"the {city_word} of {capital} are busy in the evening",
        f"we visited the {size} city of {capital}",
        f"people in {capital} speak {language}",
        f"people in {country} speak {language}",
        f"the {country_word} of {country} stretch for many miles",
        f"we toured the {size} country of {country}",
    )
    return templates[rng.integers(len(templates))]


def _food_sentence(rng: np.random.Generator) -> str:
    fruit, colour = FRUITS[rng.integers(len(FRUITS))]
    measure = rng.choice(_MEASURES)
    spread = rng.choice(_SPREADS)
    spice = rng.choice(_SPICES)
    dash = rng.choice(_DASHES)
    verb = rng.choice(_COOK_VERBS)
    dish = rng.choice(_DISHES)
    templates = (
        f"the juice of a lemon , a {measure} of {fruit} {spread} , a {dash} of {spice}",
        f"the ripe {fruit} is {colour} and sweet",
        f"{verb} the {fruit} with a {dash} of {spice} for the {dish}",
        f"add a {measure} of {fruit} {spread} to the {dish}",
        f"she bought a {colour} {fruit} at the market to make {fruit} {dish}",
        f"{verb} the {fruit} slowly then add a {measure} of {spice}",
    )
    return templates[rng.integers(len(templates))]


def _embedding_corpus(seed: int, num_sentences: int) -> str:
    rng = np.random.default_rng(seed)
    makers = (_people_sentence, _country_sentence, _food_sentence)
    return "\n".join(makers[rng.integers(len(makers))](rng) for _ in range(num_sentences))


FABLE = """\
The Keeper of the Northern Light

On a rock at the edge of the cold sea there stood a lighthouse, and in the lighthouse lived an
old keeper named Tobias. Every evening he climbed the one hundred and twelve steps of the tower,
wiped the salt from the great glass, and lit the lamp. Every morning he climbed them again to put
it out. He had done this for forty years, and he had never once been late.

One autumn a crow landed on the railing at the top of the tower. It was a thin bird with a
crooked wing, and it looked at the keeper as if it expected him to say something clever. Tobias
said nothing clever. He gave the crow half of his bread, and the crow ate it, and the next evening
it came back for the other half.

The crow was a good listener. Tobias told it about the ships he had seen: the grain boats that
sailed south in summer, the fishing boats that came home late with their lanterns swinging, and
the tall ship with red sails that had passed the rock only once, long ago, and never again. The
crow listened with its head on one side. Sometimes it answered with a short dry croak, which the
keeper chose to take as agreement.

In the middle of winter a storm came out of the north. The wind screamed around the tower and
the waves climbed the rock until the spray hit the window of the lamp room. At midnight the lamp
went out. Tobias struck match after match, but his hands were cold and shaking, and the wind came
through every crack in the old walls. Far out in the dark he could hear a ship's bell.

The crow hopped along the shelf, pushed a dry box of matches with its beak, and dropped it at
the keeper's feet. Inside were three matches, kept dry in a tin that Tobias had forgotten years
before. The first match broke. The second match flared and died. The third match caught, and the
keeper held it to the wick with both hands, and the great light turned once more across the sea.

In the morning the storm was gone. A small ship lay at anchor in the bay, safe, its crew asleep
on the deck. The keeper climbed down the one hundred and twelve steps, slowly, and sat on the
rock in the thin winter sun. The crow sat beside him. He gave it the whole of his bread that day,
and the day after, and on every day that followed, for as long as the light kept turning.

People in the village say that the lighthouse is run by machines now, and that no one has lived
in it for many years. But the fishermen who pass the rock at dusk still see a crow on the railing
at the top of the tower, watching the sea, waiting for the lamp to be lit.
"""


def load_corpus(name: str = "embeddings", seed: int = 0, num_sentences: int | None = None) -> str:
    """Return one of the book's offline corpora as a single string.

    Parameters
    ----------
    name:
        ``"embeddings"`` (template sentences, one per line, deterministic for ``seed``) or
        ``"fable"`` (a fixed short story for character-level models).
    seed:
        Random seed of the ``"embeddings"`` generator; the same seed gives the same text.
    num_sentences:
        How many sentences the ``"embeddings"`` corpus has (default 6000, about 50 000 words).
        Not allowed for ``"fable"``.

    Example::

        >>> load_corpus("embeddings", seed=0, num_sentences=2).count("\\n")
        1
        >>> load_corpus("fable").startswith("The Keeper")
        True
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, one of {CORPORA}, got {type(name).__name__}")
    if name not in CORPORA:
        raise ValueError(f"unknown corpus {name!r}; choose one of {', '.join(CORPORA)}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if name == "fable":
        if num_sentences is not None:
            raise ValueError("num_sentences only applies to the 'embeddings' corpus")
        return FABLE
    if num_sentences is None:
        num_sentences = DEFAULT_NUM_SENTENCES
    if (
        isinstance(num_sentences, bool)
        or not isinstance(num_sentences, (int, np.integer))
        or num_sentences <= 0
    ):
        raise ValueError(f"num_sentences must be a positive integer, got {num_sentences!r}")
    return _embedding_corpus(int(seed), int(num_sentences))


def corpus_sentences(name: str = "embeddings", seed: int = 0,
                     num_sentences: int | None = None) -> list[str]:
    """The corpus split into its non-empty lines (sentences for ``"embeddings"``).

    >>> corpus_sentences("embeddings", num_sentences=4).__len__()
    4
    """
    text = load_corpus(name, seed=seed, num_sentences=num_sentences)
    return [line for line in text.splitlines() if line.strip()]
