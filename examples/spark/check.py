"""Compares the Spark job's reports with a direct `noticelint scan` of the same folder.

    python check.py SPARK_OUT_DIR DIRECT.jsonl NOTICES_DIR

Same ids, and for each id the same report, except `document.path` and `document.format`
(a JSONL record has no path and is of format "jsonl"). A notice with a facts sidecar
(NAME.facts.toml) gets its facts only in the direct scan, so its `flags` are not compared.
"""

import glob
import json
import os
import sys


def main():
    spark_dir, direct_path, notices = sys.argv[1:4]
    spark = {}
    for part in sorted(glob.glob(os.path.join(spark_dir, "part-*"))):
        with open(part, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                spark[r["document"]["id"]] = r
    direct = {}
    with open(direct_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["document"].get("format") in ("text", "markdown"):
                direct[r["document"]["id"]] = r
    if set(spark) != set(direct):
        print("ids differ: only spark", sorted(set(spark) - set(direct))[:5], "only direct", sorted(set(direct) - set(spark))[:5])
        return 1
    bad, with_facts = 0, 0
    for doc_id, d in direct.items():
        s = spark[doc_id]
        for r in (s, d):
            r["document"].pop("path", None)
            r["document"].pop("format", None)
        if os.path.exists(os.path.join(notices, doc_id + ".facts.toml")):
            with_facts += 1
            s.pop("flags", None)
            d.pop("flags", None)
        if s != d:
            bad += 1
            keys = [k for k in d if s.get(k) != d.get(k)]
            print(f"{doc_id}: reports differ in {keys}")
    print(f"spark check: {len(direct)} reports compared, {bad} differ ({with_facts} with facts sidecars compared without flags)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
