"""Exercise 1's hidden checks, appended to companion/exercise_checks/15_after_bert/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): the two tables counted from their models", points=1, hidden=True)
def hidden_counted_from_the_models(full, factorised):
    import torch
    from transformers import AlbertConfig, AlbertModel, BertConfig

    from companion import architectures

    table = architectures.count_parameters(BertConfig())["embeddings"]  # BERT-base's token table
    assert full == table, f"full = {full:,}; BERT-base's token-embedding table, built from its config, has {table:,}"
    with torch.device("meta"):
        albert = AlbertModel(AlbertConfig(vocab_size=30_522, embedding_size=128, hidden_size=768))
    lift = albert.encoder.embedding_hidden_mapping_in
    without_bias = albert.embeddings.word_embeddings.weight.numel() + lift.weight.numel()
    assert factorised in (without_bias, without_bias + lift.bias.numel()), (
        f"factorised = {factorised:,}; ALBERT's token table and its lift to 768, built with V = 30,522, have "
        f"{without_bias:,} parameters ({without_bias + lift.bias.numel():,} with the lift's bias)"
    )
