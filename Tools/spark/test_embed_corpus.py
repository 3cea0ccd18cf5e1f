#!/usr/bin/env python3
"""Tests of embed_corpus.py: the Spark job in local[2] against the single-process CLI.

    .venv-spark/bin/python Tools/spark/test_embed_corpus.py [-v]

Needs pyspark (and pyarrow for the Parquet case) and Java, and a built keras-hub (`swift build`);
KERAS_HUB_BINARY names another build. `make test-spark` sets all of it up.
"""

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SCRIPT = HERE / "embed_corpus.py"
sys.path.insert(0, str(HERE))
import embed_corpus  # noqa: E402

BINARY = os.environ.get("KERAS_HUB_BINARY") or embed_corpus.default_binary()
WORDS = ("the a river model quiet station bright engine paper garden winter signal market ancient "
         "glass music city forest number slow north letter mountain window tiny blue spoke runs "
         "under over beside carried found lost remembered jumped déjà vu naïve café 東京 данные").split()
VECTOR_TOLERANCE = 1e-6
BAD_LINES = ['{"text": ', "42", '{"text": 7}', '{"title": "no text"}', "", "[1, 2, 3]", "nul",
             '{"id": "bad-%d", "text": null}', '"unterminated', "{}"]


def make_corpus(count=2000, bad=20, seed=7):
    """`count` JSON Lines, `bad` of them invalid, mixing strings, objects with and without ids."""
    rng = random.Random(seed)
    bad_positions = set(rng.sample(range(count), bad))
    lines = []
    for number in range(count):
        if number in bad_positions:
            template = BAD_LINES[len([p for p in bad_positions if p < number]) % len(BAD_LINES)]
            lines.append(template.replace("%d", str(number)))
            continue
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40)))
        kind = number % 4
        if kind == 0:
            lines.append(json.dumps(text, ensure_ascii=False))
        elif kind == 1:
            lines.append(json.dumps({"id": f"doc-{number}", "text": text}, ensure_ascii=False))
        elif kind == 2:
            lines.append(json.dumps({"id": 1_000_000 + number, "text": text}, ensure_ascii=False))
        else:
            lines.append(json.dumps({"text": text}, ensure_ascii=False))
    return lines, sorted(bad_positions)


def expected_id(number, line):
    """The id rule of embed_corpus.py, from the input line itself."""
    try:
        value = json.loads(line)
    except ValueError:
        return number
    return value["id"] if isinstance(value, dict) and "id" in value else number


def single_process(path):
    """The CLI's answer to each line of `path`, in order."""
    result = subprocess.run([BINARY, "embed", "--input", str(path), "--on-error", "record", "--id-field", "id"],
                            check=True, capture_output=True)
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def run_job(*arguments, env=None):
    command = [sys.executable, str(SCRIPT), "--binary", BINARY, *arguments]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    if result.returncode != 0:
        raise AssertionError(f"embed_corpus failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result


def read_jsonl_parts(directory):
    parts = sorted(Path(directory).glob("part-*"))
    return [json.loads(line) for part in parts for line in part.read_text().splitlines()]


class EmbedCorpusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not Path(BINARY).is_file():
            raise unittest.SkipTest(f"no keras-hub build at {BINARY}: run `swift build` first")
        cls.work = Path(tempfile.mkdtemp(prefix="embed-corpus-"))
        cls.lines, cls.bad = make_corpus()
        cls.input = cls.work / "corpus.jsonl"
        cls.input.write_text("\n".join(cls.lines) + "\n")
        cls.reference = single_process(cls.input)
        assert len(cls.reference) == len(cls.lines)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def check_against_reference(self, records, lines=None, reference=None):
        lines = lines or self.lines
        reference = reference or self.reference
        by_id = {}
        for item in records:
            key = json.dumps(item["id"])
            self.assertNotIn(key, by_id, f"id {key} written twice")
            by_id[key] = item
        self.assertEqual(len(records), len(lines), "every input line gives exactly one record")
        errors = 0
        for number, (line, answer) in enumerate(zip(lines, reference)):
            key = json.dumps(expected_id(number, line))
            self.assertIn(key, by_id, f"line {number} ({line[:40]!r}) is missing from the output")
            item = by_id[key]
            if "error" in answer:
                errors += 1
                self.assertNotIn("embedding", item, f"line {number}")
                self.assertEqual(item["error"], answer["error"], f"line {number}")
            else:
                self.assertNotIn("error", item, f"line {number}: {item.get('error')}")
                expected = answer["embedding"] if isinstance(answer, dict) else answer
                self.assertEqual(len(item["embedding"]), 384)
                worst = max(abs(a - b) for a, b in zip(item["embedding"], expected))
                # A text is padded to the longest text of its batch, and batches differ between one
                # process and a partition: the float32 sums may then round differently in the last bit.
                self.assertLessEqual(worst, VECTOR_TOLERANCE, f"line {number}: vector differs from single-process embed")
                self.largest_difference = max(getattr(self, "largest_difference", 0.0), worst)
        return errors

    def test_jsonl_local2_matches_single_process(self):
        output = self.work / "out-jsonl"
        run_job("--input", str(self.input), "--output", str(output), "--master", "local[2]", "--partitions", "4")
        parts = sorted(output.glob("part-*"))
        self.assertGreaterEqual(len(parts), 2, "the corpus was spread over partitions")
        errors = self.check_against_reference(read_jsonl_parts(output))
        self.assertEqual(errors, len(self.bad))
        print(f"\n  2000 lines: largest |diff| from single-process embed {self.largest_difference:.2e}", file=sys.stderr)
        # Each bad line is reported under its own id: the input's, else its 0-based line number.
        reported = {json.dumps(item["id"]) for item in read_jsonl_parts(output) if "error" in item}
        self.assertEqual(reported, {json.dumps(expected_id(n, self.lines[n])) for n in self.bad})

    def test_rerun_and_retried_task_give_the_same_output(self):
        """A worker that dies mid-partition on its first attempt is retried by Spark; output is as a clean run."""
        sample = self.lines[:300]
        source = self.work / "sample.jsonl"
        source.write_text("\n".join(sample) + "\n")
        marker = self.work / "failed-once"
        flaky = self.work / "flaky-keras-hub"
        # The first process to start answers a few lines, then dies; every later one is the real binary.
        flaky.write_text(f"""#!/bin/sh
if mkdir "{marker}" 2>/dev/null; then
  head -n 5 | "{BINARY}" "$@"
  exit 3
fi
exec "{BINARY}" "$@"
""")
        flaky.chmod(0o755)
        output = self.work / "out-retry"
        command = [sys.executable, str(SCRIPT), "--binary", str(flaky), "--input", str(source),
                   "--output", str(output), "--master", "local[2,4]", "--partitions", "3"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        self.assertEqual(result.returncode, 0, result.stderr[-4000:])
        self.assertTrue(marker.exists(), "the failing attempt ran")
        first = read_jsonl_parts(output)
        self.check_against_reference(first, sample, self.reference[:300])
        # Rerunning into the same directory replaces it with the same records.
        run_job("--input", str(source), "--output", str(output), "--master", "local[2]", "--partitions", "3")
        self.assertEqual(read_jsonl_parts(output), first)

    def test_worker_failure_fails_the_job_with_its_message(self):
        output = self.work / "out-missing-preset"
        command = [sys.executable, str(SCRIPT), "--binary", BINARY, "--input", str(self.input), "--output",
                   str(output), "--preset", "no_such_preset_xyz", "--master", "local[2]", "--partitions", "2"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("no_such_preset_xyz", result.stderr)

    def test_parquet_in_parquet_out(self):
        try:
            import pyarrow as arrow
            import pyarrow.parquet as parquet
        except ImportError:
            self.skipTest("pyarrow is not installed")
        texts = [json.loads(line)["text"] if line.startswith("{\"id\"") else None for line in self.lines[:200]]
        rows = [(f"row-{index}", text) for index, text in enumerate(texts)]
        table = arrow.table({"id": [r[0] for r in rows], "text": [r[1] for r in rows]})
        source = self.work / "corpus.parquet"
        parquet.write_table(table, source)
        # The same texts as JSON Lines through the single-process CLI are the reference.
        equivalent = [json.dumps({"id": r[0], "text": r[1]}, ensure_ascii=False) for r in rows]
        plain = self.work / "parquet-equivalent.jsonl"
        plain.write_text("\n".join(equivalent) + "\n")
        reference = single_process(plain)
        output = self.work / "out-parquet"
        run_job("--input", str(source), "--output", str(output), "--format", "parquet", "--partitions", "2")
        written = parquet.read_table(output).to_pylist()
        records = []
        for row in written:
            item = {"id": row["id"]}
            if row.get("error") is not None:
                item["error"] = row["error"]
            else:
                item["embedding"] = row["embedding"]
            records.append(item)
        # Parquet holds float32: compare to the CLI's (float32) numbers exactly.
        for item in records:
            if "embedding" in item:
                item["embedding"] = [float(v) for v in item["embedding"]]
        reference = [r if "error" in r else {"embedding": [float(arrow.scalar(v, arrow.float32()).as_py())
                                                          for v in r["embedding"]]} for r in reference]
        errors = self.check_against_reference(records, equivalent, reference)
        self.assertEqual(errors, sum(1 for r in rows if r[1] is None))


if __name__ == "__main__":
    unittest.main()
