"""The quote bank: every quote once across the articles that carried it, with who said it.

Over the quote rows of `quotewire extract` (or the Spark job): quotes with the same words after
normalisation, edited copies and partial quotes become one cluster (`text`, `clusters`), speakers'
name variants across articles become one speaker id (`speakers`), and three tables are written:
quotes.parquet (one row per cluster), speakers.parquet (one row per speaker) and members.parquet
(one row per input quote row). `local` runs it on one machine, `spark_job` as a Spark job; both
give the same clusters and ids. No Flask, no engine: plain functions over rows.
"""
from .local import Bank, build_bank

__all__ = ["Bank", "build_bank"]
