"""The bank's tables: the input columns it reads from quote rows and the three outputs' schemas.

One Arrow definition per output; the Spark job converts it, so both doors write the same types.
"""
from __future__ import annotations

# What the bank reads from each quote row (`quotewire extract` output); the article metadata
# columns are optional (None where the input had none).
INPUT_COLUMNS = ("article_id", "quote_id", "type", "text", "fragments", "speaker_name",
                 "speaker_kind", "speaker_title", "article_url", "article_date", "source")
REQUIRED_COLUMNS = ("article_id", "quote_id", "text")

QUOTES = "quotes.parquet"
SPEAKERS = "speakers.parquet"
MEMBERS = "members.parquet"


def quotes_schema():
    import pyarrow as pa

    variant = pa.struct([("speaker_id", pa.string()), ("name", pa.string()), ("count", pa.int64())])
    return pa.schema([
        ("cluster_id", pa.string()), ("text", pa.string()),
        ("speaker_id", pa.string()), ("speaker_name", pa.string()),
        ("speakers", pa.list_(variant)), ("conflict", pa.bool_()),
        ("n_quotes", pa.int64()), ("n_articles", pa.int64()), ("n_sources", pa.int64()),
        ("first_date", pa.string()), ("last_date", pa.string()),
        ("article_ids", pa.list_(pa.string())), ("article_urls", pa.list_(pa.string())),
        ("sources", pa.list_(pa.string())),
    ])


def speakers_schema():
    import pyarrow as pa

    variant = pa.struct([("name", pa.string()), ("count", pa.int64())])
    return pa.schema([
        ("speaker_id", pa.string()), ("name", pa.string()), ("kind", pa.string()),
        ("ambiguous", pa.bool_()), ("variants", pa.list_(variant)),
        ("titles", pa.list_(pa.string())), ("kinds", pa.list_(pa.string())),
        ("n_quotes", pa.int64()), ("n_clusters", pa.int64()), ("n_articles", pa.int64()),
        ("first_date", pa.string()), ("last_date", pa.string()),
    ])


def members_schema():
    import pyarrow as pa

    return pa.schema([("article_id", pa.string()), ("quote_id", pa.string()),
                      ("cluster_id", pa.string()), ("speaker_id", pa.string())])


SCHEMAS = {QUOTES: quotes_schema, SPEAKERS: speakers_schema, MEMBERS: members_schema}
