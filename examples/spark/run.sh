#!/usr/bin/env bash
# Runs the PySpark example in local mode on the bundled corpus and checks that its
# reports equal a direct `noticelint scan` of the same folder.
#
#   examples/spark/run.sh            # from the repository root (as .ci/run does)
#
# Needs Java 17+ and Python 3.9+; installs PySpark with pip into a virtual environment
# (target/spark-venv, reused on later runs; set SPARK_VENV to put it elsewhere).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${SPARK_VENV:-target/spark-venv}
notices=${NOTICES:-corpora}

if [ ! -x "$venv/bin/spark-submit" ]; then
  echo "== installing PySpark into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'pyspark>=3.5,<5'
fi

echo "== cargo build --release"
cargo build --release --quiet
bin=target/release/noticelint

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== Spark (local[2]): $notices through noticelint with rdd.pipe"
PYSPARK_PYTHON="$venv/bin/python" "$venv/bin/spark-submit" --master 'local[2]' \
  --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 \
  examples/spark/scan_notices.py "$notices" "$work/spark-out" --noticelint "$bin" --partitions 4 \
  2> "$work/spark.log" || { tail -40 "$work/spark.log"; exit 1; }

echo "== direct scan and comparison"
"$bin" scan "$notices" --format jsonl --quiet > "$work/direct.jsonl"
"$venv/bin/python" examples/spark/check.py "$work/spark-out" "$work/direct.jsonl" "$notices"
