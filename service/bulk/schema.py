"""Column types of the flat Parquet rows (`ROW_COLUMNS` from service.nlp.serialize).

One table of types, turned into the Arrow schema the CLI writes and the Spark schema the job
writes, so both doors produce identical files.
"""
from __future__ import annotations

from service.nlp.serialize import ROW_COLUMNS

INTEGER_COLUMNS = {"start", "end", "speaker_start", "speaker_end"}
FLOAT_COLUMNS = {"confidence"}


def column_type(name: str) -> str:
    """string | int64 | float64"""
    if name in INTEGER_COLUMNS:
        return "int64"
    if name in FLOAT_COLUMNS:
        return "float64"
    return "string"


def arrow_schema():
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64()}
    return pa.schema([pa.field(name, types[column_type(name)]) for name in ROW_COLUMNS])


def spark_schema():
    from pyspark.sql import types as T

    types = {"string": T.StringType(), "int64": T.LongType(), "float64": T.DoubleType()}
    return T.StructType([T.StructField(name, types[column_type(name)], True) for name in ROW_COLUMNS])
