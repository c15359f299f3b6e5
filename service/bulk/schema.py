"""Column types of the flat Parquet rows, from the row columns that service.nlp.serialize derives
from the quote records: the Arrow schema the CLI writes and the Spark schema the job writes, so
both doors produce identical files.
"""
from __future__ import annotations

from service.nlp.serialize import ROW_COLUMNS, ROW_TYPES

COLUMN_TYPES = {str: "string", int: "int64", float: "float64"}
FLOAT_COLUMNS = {name for name in ROW_COLUMNS if ROW_TYPES[name] is float}


def column_type(name: str) -> str:
    """string | int64 | float64"""
    return COLUMN_TYPES[ROW_TYPES[name]]


def arrow_schema():
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64()}
    return pa.schema([pa.field(name, types[column_type(name)]) for name in ROW_COLUMNS])


def spark_schema():
    from pyspark.sql import types as T

    types = {"string": T.StringType(), "int64": T.LongType(), "float64": T.DoubleType()}
    return T.StructType([T.StructField(name, types[column_type(name)], True) for name in ROW_COLUMNS])
