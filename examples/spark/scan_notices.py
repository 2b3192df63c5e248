"""Scan a folder of breach notices with noticelint on Spark, through RDD.pipe.

    spark-submit scan_notices.py NOTICES_DIR OUT_DIR --noticelint PATH [--partitions N]

Each notice (a .txt or .md file) becomes one JSON line {"id": ..., "text": ...}; the id is
its path relative to NOTICES_DIR without the extension, as `noticelint scan DIR` names it.
Each partition is piped through one `noticelint scan - --format jsonl` process, which
prints exactly one report per input line, in order; the reports are written to OUT_DIR as
text files (one JSON report per line), like any Spark text output.

The notices are read on the driver and parallelized, which suits a folder on one machine;
for a corpus in HDFS or S3, build the same records with `sc.wholeTextFiles(...)` instead.
"""

import argparse
import json
import os

from pyspark.sql import SparkSession

READ = (".txt", ".md")


def records(root):
    """(id, JSON line) for every notice under root, in path order."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name.lower().startswith("readme.") or not name.endswith(READ):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            doc_id = os.path.splitext(rel)[0].replace(os.sep, "/")
            with open(path, encoding="utf-8", newline="") as f:  # keep CRLF: offsets index the bytes as read
                text = f.read()
            out.append((doc_id, json.dumps({"id": doc_id, "text": text}, ensure_ascii=False)))
    out.sort()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notices")
    parser.add_argument("out")
    parser.add_argument("--noticelint", required=True, help="path to the noticelint binary")
    parser.add_argument("--partitions", type=int, default=4)
    args = parser.parse_args()

    spark = SparkSession.builder.appName("noticelint-scan").getOrCreate()
    sc = spark.sparkContext
    lines = [line for _, line in records(args.notices)]
    rdd = sc.parallelize(lines, args.partitions)
    # One process per partition; one report line out per line in, in order.
    command = [os.path.abspath(args.noticelint), "scan", "-", "--format", "jsonl", "--quiet", "--jobs", "1"]
    reports = rdd.pipe(" ".join(command))
    reports.saveAsTextFile(args.out)
    spark.stop()


if __name__ == "__main__":
    main()
