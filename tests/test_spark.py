"""checker.spark on Spark local[2]: mapInArrow gives what Linter.lint_records gives, in the fixed schema."""

import os
import shutil
import sys

import pytest

pytestmark = pytest.mark.slow

pytest.importorskip("pyarrow", reason="the Spark test needs the spark extra: pip install -e '.[spark]'")
pytest.importorskip("pyspark", reason="the Spark test needs the spark extra: pip install -e '.[spark]'")
if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
    pytest.skip("the Spark test needs Java (Debian: openjdk-17-jre-headless)", allow_module_level=True)

from checker.api import Linter  # noqa: E402  (after the skips)
from checker.spark import SCHEMA, lint_arrow_batches  # noqa: E402
from checker.table import COLUMN_NAMES, row  # noqa: E402

STORIES = [
    "2024-07-05 06:15:31\nTalks resume\n\nThe president of the [САЩ] spoke on Monday, 05/07/2024.\n",
    "Talks resume\r\n\r\nThe minister\u200b resigned 😀 yesterday, sources said.\r\n",
    "Talks resume\n\nNothing to report here, the spokesman said.\n",
]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers' Python: the one with checker installed
    session = (
        SparkSession.builder.master("local[2]").appName("checker-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate()
    )
    yield session
    session.stop()


def test_map_in_arrow_equals_lint_records(spark):
    records = [{"id": f"r{i}", "body": STORIES[i % 3].replace("Talks", f"Talks {i}"), "date": "2024-07-05"} for i in range(120)]
    frame = spark.createDataFrame(records).repartition(4)
    linter = Linter(cache_dir=None)
    findings = frame.mapInArrow(lint_arrow_batches(linter, published_field="date"), SCHEMA)
    assert findings.columns == list(COLUMN_NAMES)
    got = sorted((tuple(r.asDict().values()) for r in findings.collect()), key=repr)
    expected = sorted((tuple(row(f).values()) for f in linter.lint_records(records, published_field="date")), key=repr)
    assert got == expected and len(expected) > 100
