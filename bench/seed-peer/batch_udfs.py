"""The seed's batch job, re-created for the benchmark (see bench/README.md, the seed peer): the seven rules as
classic Python UDFs (udf() with useArrow=False, the pickled row-at-a-time path of pyspark 3.x that
the seed ran), over NDJSON pins read with an explicit schema, into Spark's `noop` sink.

The seed read one pretty-printed object per S3 key with schema inference; here the input is one
NDJSON file and the schema is the one inference gave the seed (index and downloaded as bigint, the
rest as strings), so the read is cheap and the same for every run, and what differs is the rules.

--rules picks what runs between read and sink, on the same rows in the same harness (several,
comma-separated, are timed in turn within one session):
  seed    the seed's seven Python UDFs (the peer)
  none    no rules, the raw columns selected (the read floor)
  native  pinpipe's rules (pin-spark's PinColumns, built-in Column expressions), reached through
          the JVM; needs --jars with the pin-core and pin-spark jars
  trim-regex, trim-builtin
          diagnostics: only edge-whitespace trimming of the ten columns, with regexp_replace and the
          contract's regex (as PinColumns trims) or with the built-in trim(BOTH <whitespace> FROM …)

Prints one JSON line per timed run and one summary line per rules with the median rows/s.

    python batch_udfs.py --input pins.ndjson --rules none,seed --repeat 3
"""
import argparse
import json
import statistics
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, udf
from pyspark.sql.types import BooleanType, LongType, StringType, StructField, StructType

FIELDS = ["index", "unique_id", "title", "description", "follower_count", "tag_list", "is_image_or_video",
          "image_src", "downloaded", "save_location", "category"]
SEED_TYPES = {"index": LongType(), "downloaded": LongType()}
SEED_SCHEMA = StructType([StructField(f, SEED_TYPES.get(f, StringType()), True) for f in FIELDS])
# pinpipe reads every contract field as a string (pin-spark's PinSchema) and lets the rules type them
PINPIPE_SCHEMA = StructType([StructField(f, StringType(), True) for f in FIELDS])
SELECTED = ["index", "category", "title", "description", "tag_list", "follower_count", "downloaded",
            "is_image_or_video", "image_src", "save_location"]


# --- the seed's seven rules, behaviour kept as the seed had it, with two deviations:
# (1) follower count returns None where the seed's raised (an empty count, a decimal such as "1.5k",
#     a count like "12kk"), because one raise fails the seed's whole job;
# (2) every rule returns None for a None input where the seed's raised (the seed's pydantic API never let
#     a null through, so the seed never met one; generated pins carry none either).

def follower_count(value):
    if value is None:
        return None
    if value.isnumeric():
        return int(value)
    number, suffix = value[:-1], value[-1:]
    try:
        if suffix == "k":
            return int(number) * 1000
        if suffix == "M":
            return int(number) * 1000000
    except ValueError:  # "1.5k": the seed raised here
        return None
    return None  # "User Info Error", "" and the like: the seed's returned a string, which an integer UDF turns into null


def downloaded(value):
    if value == 1:
        return True
    if value == 0:
        return False
    return None


def placeholder_to_null(*placeholders):
    def rule(value):
        if value is None:
            return None
        return None if value in placeholders else value
    return rule


def save_location(value):
    if value is None:
        return None
    return value.replace("Local save in ", "")


SEED_RULES = {
    "follower_count": (follower_count, LongType()),
    "downloaded": (downloaded, BooleanType()),
    "tag_list": (placeholder_to_null("N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e"), StringType()),
    "title": (placeholder_to_null("No Title Data Available"), StringType()),
    "image_src": (placeholder_to_null("Image src error."), StringType()),
    "save_location": (save_location, StringType()),
    "description": (placeholder_to_null("No description available Story format"), StringType()),
}


def with_seed_udfs(df):
    for column, (fn, return_type) in SEED_RULES.items():
        df = df.withColumn(column, udf(fn, return_type, useArrow=False)(col(column)))
    return df.select(*SELECTED)


def with_native_rules(spark, df):
    from pyspark.sql.classic.column import Column  # the JVM Column of a classic (non-Connect) session

    rules = spark.sparkContext._jvm.dev.pinpipe.spark.PinColumns
    text_rule = spark.sparkContext._jvm.dev.pinpipe.core.rules.TextRule
    raw = {f: df._jdf.col(f) for f in FIELDS}
    cleaned = {
        "follower_count": rules.followerCount(raw["follower_count"]),
        "downloaded": rules.downloaded(raw["downloaded"]),
        "tag_list": rules.text(text_rule.TAG_LIST, raw["tag_list"]),
        "title": rules.text(text_rule.TITLE, raw["title"]),
        "image_src": rules.text(text_rule.IMAGE_SRC, raw["image_src"]),
        "save_location": rules.text(text_rule.SAVE_LOCATION, raw["save_location"]),
        "description": rules.text(text_rule.DESCRIPTION, raw["description"]),
    }
    return df.select(*[Column(cleaned[c]).alias(c) if c in cleaned else col(c) for c in SELECTED])


EDGE_WHITESPACE_REGEX = r"^\s+|\s+$"  # pin-core's Text.EDGE_WHITESPACE_REGEX
WHITESPACE = " \t\n\u000b\f\r"      # what \s matches in Java


def trimmed(df, builtin):
    from pyspark.sql.functions import expr, regexp_replace
    if builtin:
        return df.select(*[expr(f"trim(BOTH '{WHITESPACE}' FROM {c})").alias(c) for c in SELECTED])
    return df.select(*[regexp_replace(col(c), EDGE_WHITESPACE_REGEX, "").alias(c) for c in SELECTED])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="NDJSON pins (bench/run writes them with the bench module's PinsFile)")
    parser.add_argument("--rules", default="seed",
                        help="comma-separated, from seed, none, native, trim-regex, trim-builtin; several are timed in turn, run after run, "
                             "so that they share the machine's state (the fairest order on a busy machine)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each, after one untimed warm-up of each")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--jars", default="", help="comma-separated jars (pin-core, pin-spark) for --rules native")
    parser.add_argument("--show", type=int, default=0, help="print this many output rows of each first")
    parser.add_argument("--jfr", default="", help="record a Java Flight Recorder profile of the Spark JVM into this file")
    args = parser.parse_args()
    chosen = args.rules.split(",")
    unknown = set(chosen) - {"seed", "none", "native", "trim-regex", "trim-builtin"}
    if unknown:
        parser.error(f"unknown rules: {', '.join(sorted(unknown))}")

    builder = (SparkSession.builder.master(args.master).appName("seed-peer-batch")
               .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.memory", "2g"))
    if args.jars:
        builder = builder.config("spark.jars", args.jars)
    if args.jfr:
        builder = builder.config("spark.driver.extraJavaOptions",
                                 f"-XX:StartFlightRecording=filename={args.jfr},settings=profile,dumponexit=true")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")

    outputs = {}
    for rules in chosen:
        if rules == "seed":
            outputs[rules] = with_seed_udfs(spark.read.schema(SEED_SCHEMA).json(args.input))
        elif rules == "native":
            outputs[rules] = with_native_rules(spark, spark.read.schema(PINPIPE_SCHEMA).json(args.input))
        elif rules.startswith("trim-"):
            outputs[rules] = trimmed(spark.read.schema(PINPIPE_SCHEMA).json(args.input), rules == "trim-builtin")
        else:
            outputs[rules] = spark.read.schema(SEED_SCHEMA).json(args.input).select(*SELECTED)
        if args.show:
            outputs[rules].show(args.show, truncate=40)

    rows = spark.read.schema(SEED_SCHEMA).json(args.input).count()
    for out in outputs.values():  # warm-up: JIT, Python workers, file cache
        out.write.format("noop").mode("overwrite").save()
    rates = {rules: [] for rules in chosen}
    for run in range(1, args.repeat + 1):
        for rules, out in outputs.items():
            start = time.perf_counter()
            out.write.format("noop").mode("overwrite").save()
            seconds = time.perf_counter() - start
            rates[rules].append(rows / seconds)
            print(json.dumps({"stage": "batch", "rules": rules, "run": run, "rows": rows,
                              "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds)}), flush=True)
    for rules, values in rates.items():
        print(json.dumps({"stage": "batch", "rules": rules, "rows": rows, "master": args.master, "runs": len(values),
                          "median_rows_per_s": round(statistics.median(values)),
                          "min_rows_per_s": round(min(values)), "max_rows_per_s": round(max(values))}), flush=True)
    spark.stop()


if __name__ == "__main__":
    sys.exit(main())
