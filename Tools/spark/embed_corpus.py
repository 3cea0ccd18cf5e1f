#!/usr/bin/env python3
"""Embed a corpus with Spark, one long-lived `keras-hub embed` process per partition.

    python3 Tools/spark/embed_corpus.py --input IN --output OUT_DIR [--preset P] [--partitions N]
        [--master local[2]] [--format jsonl|parquet]

Input: JSON Lines (one JSON string, or an object with "text" and optionally "id", per line) or
Parquet (a "text" column and optionally an "id" column; any path ending in .parquet, or a directory
of .parquet files). Every input line gets exactly one output record: {"id": ..., "embedding": [...]}
or {"id": ..., "error": "..."}; the id is the input object's "id" field, else the 0-based line (row)
number. With --format jsonl the part files hold one such JSON object per line; with --format parquet
they hold the columns id, embedding (array<float>) and error.

The binary and the preset reach the executors through SparkContext.addFile / SparkFiles (the same
as spark-submit --files): a preset directory is shipped whole, a preset name or hf:// address is
passed through for each executor to resolve. The output is written with Spark's commit protocol in
overwrite mode, so a failed task that Spark retries, or a rerun of the whole job, gives the same
output. A partition whose process exits non-zero, or answers a different number of lines than it was
given, fails its task (and Spark retries it).
"""

import argparse
import collections
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUNDLED_PRESET = REPO / "Presets" / "all_minilm_l6_v2_en"
STDERR_KEEP = 64 * 1024  # bytes of a worker's stderr kept for the error message


def default_binary():
    """The repository's own build of keras-hub (release first), else keras-hub on PATH."""
    for configuration in ("release", "debug"):
        candidate = REPO / ".build" / configuration / "keras-hub"
        if candidate.is_file():
            return str(candidate)
    return "keras-hub"


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True, help="JSON Lines file or Parquet file/directory")
    parser.add_argument("--output", required=True, help="output directory (replaced)")
    parser.add_argument("--preset", default=str(BUNDLED_PRESET),
                        help="preset directory (shipped to executors), built-in name or hf://org/name")
    parser.add_argument("--partitions", type=int, default=None,
                        help="partitions = worker processes (default: Spark's default parallelism)")
    parser.add_argument("--master", default=None,
                        help="Spark master (default: spark-submit's, else local[2])")
    parser.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl", help="output format")
    parser.add_argument("--input-format", choices=("auto", "jsonl", "parquet"), default="auto")
    parser.add_argument("--text-field", default="text", help="Parquet input: the text column")
    parser.add_argument("--binary", default=None, help="the keras-hub executable (default: this repo's build)")
    parser.add_argument("--batch-size", type=int, default=32, help="texts per forward pass in each worker")
    arguments = parser.parse_args(argv)
    if arguments.partitions is not None and not 1 <= arguments.partitions <= 100_000:
        parser.error(f"--partitions must be between 1 and 100000, not {arguments.partitions}")
    if not 1 <= arguments.batch_size <= 4096:
        parser.error(f"--batch-size must be between 1 and 4096, not {arguments.batch_size}")
    arguments.binary = arguments.binary or default_binary()
    return arguments


def is_parquet(path, declared):
    if declared != "auto":
        return declared == "parquet"
    path = Path(path)
    if path.suffix == ".parquet":
        return True
    return path.is_dir() and any(child.suffix == ".parquet" for child in path.iterdir())


def ship(spark_context, arguments):
    """Adds the binary (and a preset directory) to the job's files; returns their shipped names."""
    binary = Path(arguments.binary)
    if not binary.is_file():
        found = shutil.which(arguments.binary)
        if found is None:
            sys.exit(f"embed_corpus: keras-hub binary '{arguments.binary}' not found "
                     "(build it with `swift build -c release` or pass --binary)")
        binary = Path(found)
    spark_context.addFile(str(binary))
    preset = arguments.preset
    shipped_preset = None
    if Path(preset).is_dir():
        spark_context.addFile(str(Path(preset).resolve()), recursive=True)
        shipped_preset = Path(preset).resolve().name
    return binary.name, shipped_preset, preset


def read_lines(spark, arguments):
    """(line number, JSON line) pairs in input order."""
    if is_parquet(arguments.input, arguments.input_format):
        frame = spark.read.parquet(arguments.input)
        if arguments.text_field not in frame.columns:
            sys.exit(f"embed_corpus: Parquet input {arguments.input} has no column '{arguments.text_field}' "
                     f"(columns: {', '.join(frame.columns)})")
        text_field, has_id = arguments.text_field, "id" in frame.columns
        columns = [text_field] + (["id"] if has_id else [])

        def to_line(row):
            record = {"text": row[text_field]}
            if has_id and row["id"] is not None:
                identifier = row["id"]
                record["id"] = identifier if isinstance(identifier, (int, str)) else str(identifier)
            return json.dumps(record, ensure_ascii=False)

        lines = frame.select(*columns).rdd.map(to_line)
    else:
        lines = spark.read.option("lineSep", "\n").text(arguments.input).rdd.map(lambda row: row[0])
    return lines.zipWithIndex().map(lambda pair: (pair[1], pair[0]))


def embed_partition(binary_name, shipped_preset, preset, batch_size):
    """The mapPartitions function: one keras-hub process fed by a writer thread."""

    def run(pairs):
        from pyspark import SparkFiles

        binary = SparkFiles.get(binary_name)
        mode = os.stat(binary).st_mode
        if not mode & stat.S_IXUSR:
            os.chmod(binary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        preset_argument = SparkFiles.get(shipped_preset) if shipped_preset else preset
        first = next(pairs, None)
        if first is None:
            return
        command = [binary, "embed", "--preset", preset_argument, "--input", "-", "--on-error", "record",
                   "--id-field", "id", "--batch-size", str(batch_size)]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        pending = collections.deque()  # line numbers written and not yet answered, in order
        failure = []
        stderr_tail = bytearray()

        def write_all():
            try:
                for number, line in _chain(first, pairs):
                    pending.append(number)
                    process.stdin.write(line.encode("utf-8") + b"\n")
            except BrokenPipeError:
                pass
            except BaseException as error:  # reading the partition failed: fail the task
                failure.append(error)
            finally:
                try:
                    process.stdin.close()
                except BrokenPipeError:
                    pass

        def drain_stderr():
            for chunk in iter(lambda: process.stderr.read(4096), b""):
                stderr_tail.extend(chunk)
                del stderr_tail[:-STDERR_KEEP]

        writer = threading.Thread(target=write_all, daemon=True)
        reader = threading.Thread(target=drain_stderr, daemon=True)
        writer.start()
        reader.start()
        answered = 0
        for raw in process.stdout:
            if not pending:
                process.kill()
                raise RuntimeError("keras-hub embed answered more lines than it was given")
            number = pending.popleft()
            answered += 1
            yield record(number, json.loads(raw))
        writer.join()
        returncode = process.wait()
        reader.join()
        if failure:
            raise failure[0]
        message = stderr_tail.decode("utf-8", "replace").strip()
        if returncode != 0:
            raise RuntimeError(f"keras-hub embed exited with status {returncode}: {message}")
        if pending:
            raise RuntimeError(f"keras-hub embed answered {answered} lines and left {len(pending)} unanswered: {message}")

    return run


def _chain(first, rest):
    yield first
    yield from rest


def record(number, answer):
    """The output record of input line `number` from the CLI's answer to it."""
    if isinstance(answer, dict) and "error" in answer:
        return {"id": answer.get("id", number), "error": str(answer["error"])}
    if isinstance(answer, dict) and "embedding" in answer:
        return {"id": answer.get("id", number), "embedding": answer["embedding"]}
    if isinstance(answer, list):
        return {"id": number, "embedding": answer}
    raise RuntimeError(f"unexpected keras-hub output for line {number}: {str(answer)[:200]}")


def main(argv=None):
    arguments = parse_arguments(argv)
    # Local workers run this interpreter (the one that has pyspark), unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    from pyspark import StorageLevel

    builder = SparkSession.builder.appName("keras-hub embed_corpus")
    if arguments.master:
        builder = builder.master(arguments.master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit, which sets the master
        builder = builder.master("local[2]")
    spark = builder.getOrCreate()
    spark_context = spark.sparkContext
    spark_context.setLogLevel("WARN")
    binary_name, shipped_preset, preset = ship(spark_context, arguments)

    numbered = read_lines(spark, arguments)
    total = numbered.count()
    partitions = max(1, min(arguments.partitions or spark_context.defaultParallelism, max(total, 1)))
    # Contiguous ranges of lines, each sorted: part file k holds a run of consecutive lines, the same
    # on every attempt.
    ranged = numbered.repartitionAndSortWithinPartitions(
        partitions, partitionFunc=lambda number: min(partitions - 1, number * partitions // max(total, 1)))
    records = ranged.mapPartitions(embed_partition(binary_name, shipped_preset, preset, arguments.batch_size))

    if arguments.format == "jsonl":
        lines = records.map(lambda item: json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        spark.createDataFrame(lines.map(lambda line: (line,)), "value string") \
            .write.mode("overwrite").text(arguments.output)
    else:
        from pyspark.sql import functions
        records.persist(StorageLevel.MEMORY_AND_DISK)
        frame = spark.read.json(records.map(json.dumps))
        if "embedding" in frame.columns:
            frame = frame.withColumn("embedding", functions.col("embedding").cast("array<float>"))
        frame.write.mode("overwrite").parquet(arguments.output)
        records.unpersist()
    print(f"embed_corpus: {total} lines in {partitions} partitions -> {arguments.output} ({arguments.format})",
          file=sys.stderr)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
