"""What tests/test_grading.py needs to test chapter 1's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) whose variables the exercises read; the test
runs them, then the stub, the solution or a wrong answer of each exercise, and then that exercise's checks.
The chapter trains nothing: these are its own cells, the packaged model's forward passes over six sentences.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

CONTEXT = [
    "import matplotlib.pyplot",  # the imports
    "tokenizer = models.load_tokenizer()",  # the profile's model and tokenizer
    "sentences = {",  # the six sentences, their senses, `encoded` and the positions of 'bank'
    "with torch.no_grad():\n    static",  # the static lookup's similarities (`static_similarity`)
    "with torch.no_grad():\n    contextual",  # the output layer's similarities (`similarity`) and `labels`
    "same_sense = ",  # same_sense, off_diagonal, and the chapter's `within` and `across` (exercise 3's last layer)
]

_EMBEDDED = (
    "with torch.no_grad():\n"
    "    embedded = model(**encoded, output_hidden_states=True).hidden_states[0]\n"
    "embedded_bank = torch.stack([embedded[i, p] for i, p in enumerate(positions)])\n"
    "embedded_similarity = F.cosine_similarity(embedded_bank[:, None], embedded_bank[None], dim=-1)\n"
)
_TABLE = (
    "table = model.embeddings.word_embeddings.weight.detach()\n"
    "cosines = F.cosine_similarity(table, table[bank_id][None], dim=-1)\n"
)
_LOOP = (
    "with torch.no_grad():\n"
    "    layers = model(**encoded, output_hidden_states=True).hidden_states\n"
    "gaps = []\n"
    "for layer in layers:\n"
    "    vectors = torch.stack([layer[i, p] for i, p in enumerate(positions)])\n"
    "    sim = F.cosine_similarity(vectors[:, None], vectors[None], dim=-1)\n"
)

WRONG = {
    "q1": [
        # the static lookup's vectors (the token table), not the embedding layer's output: every pair identical
        "identical = static_similarity >= 1 - numerics.rounding_bound(static_similarity)",
        # the last layer's output: no two sentences identical
        "identical = similarity >= 1 - numerics.rounding_bound(similarity)",
        # a loose threshold: similar, not identical (not transitive)
        _EMBEDDED + "identical = embedded_similarity > 0.98",
        # the sense, not the position: passes the public checks, caught by the hidden one
        "identical = same_sense.clone()",
    ],
    "q2": [
        # 'bank' itself kept
        _TABLE + "neighbours = tokenizer.convert_ids_to_tokens(cosines.topk(10).indices)",
        # ranked by the dot product, not the cosine
        "table = model.embeddings.word_embeddings.weight.detach()\n"
        "neighbours = tokenizer.convert_ids_to_tokens((table @ table[bank_id]).topk(11).indices[1:])",
        # whole words only (the ## pieces skipped): in cosine order, passes the public checks, caught by the hidden one
        _TABLE + "ranked = tokenizer.convert_ids_to_tokens(cosines.argsort(descending=True)[1:])\n"
        'neighbours = [token for token in ranked if not token.startswith("##")][:10]',
    ],
    "q3": [
        # each vector's similarity to itself counted in the within-sense mean
        _LOOP + "    gaps.append((sim[same_sense].mean() - sim[~same_sense].mean()).item())",
        # the output layer's similarities (the chapter's `similarity`) in every iteration: passes the public checks
        _LOOP
        + "    gaps.append((similarity[same_sense & off_diagonal].mean() - similarity[~same_sense].mean()).item())",
        # across minus within
        _LOOP + "    gaps.append((sim[~same_sense].mean() - sim[same_sense & off_diagonal].mean()).item())",
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "A", "A", "C"'],  # the first answer wrong
}
