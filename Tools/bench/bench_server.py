#!/usr/bin/env python3
"""Load benchmark of keras-hub-server: dynamic batching against one input per forward pass.

    swift build -c release --package-path Server
    python3 Tools/bench/bench_server.py [--connections 64] [--duration 20] [--preset all_minilm_l6_v2_en]

Starts the server twice on 127.0.0.1 (default settings, then --max-batch-size 1), and drives each
with wrk (Debian's `wrk`): --connections concurrent keep-alive clients, each POSTing one sentence per
/v1/embeddings request, for --duration seconds after a short warm-up. Prints sentences/s, p50 and p99
latency, and the ratio. Both runs happen on the same machine in the same invocation. Not a test.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SENTENCES = [
    "A man is eating food.", "A man is eating a piece of bread.", "The girl is carrying a baby.",
    "A man is riding a horse.", "A woman is playing violin.", "Two men pushed carts through the woods.",
    "A man is riding a white horse on an enclosed ground.", "A monkey is playing drums.",
    "Someone in a gorilla costume is playing a set of drums.", "The new movie is awesome.",
    "The cat sits outside.", "The new movie is so great.", "A quick brown fox jumps over the lazy dog.",
    "Spark spreads a corpus over a cluster, one process per partition.",
    "Dynamic batching trades a few milliseconds of waiting for much larger matrix products.",
    "Where is the nearest train station?",
]

LUA = """
local bodies = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", "/v1/embeddings", {["Content-Type"] = "application/json"}, bodies[(counter %% #bodies) + 1])
end
"""


def start_server(binary, preset, extra):
    process = subprocess.Popen([binary, "--preset", preset, "--port", "0", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"listening on (http://\S+)", line)
    if not match:
        process.kill()
        sys.exit(f"bench_server: the server did not start: {line}{process.stderr.read()}")
    return process, match.group(1)


def run_wrk(url, script, connections, duration, threads):
    result = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
                             "--timeout", "30s", "-s", script, url],
                            capture_output=True, text=True, check=True)
    return result.stdout


def parse(output, duration):
    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = int(re.search(r"(\d+) requests in", output).group(1))
    seconds = float(re.search(r"requests in ([\d.]+)(s|m)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {"requests": requests, "per_second": requests / seconds, "p50_ms": latency("50"),
            "p99_ms": latency("99"), "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": errors.group(1) if errors else ""}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(REPO / "Server/.build/release/keras-hub-server"))
    parser.add_argument("--preset", default="all_minilm_l6_v2_en")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (the server has the other core)")
    parser.add_argument("--batched-args", default="", help="extra server flags of the batched run, e.g. '--max-batch-size 64'")
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench_server: wrk is not installed (apt-get install wrk)")
    if not Path(arguments.binary).is_file():
        sys.exit(f"bench_server: no server binary at {arguments.binary}: swift build -c release --package-path Server")
    bodies = ", ".join("[[" + json.dumps({"input": sentence}) + "]]" for sentence in SENTENCES)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % bodies)
    results = {}
    batched = arguments.batched_args.split()
    for label, extra in ((f"batched ({' '.join(batched) or 'defaults: --max-batch-size 32 --max-batch-delay-ms 5'})", batched),
                         ("unbatched (--max-batch-size 1)", ["--max-batch-size", "1"])):
        process, url = start_server(arguments.binary, arguments.preset, extra)
        try:
            run_wrk(url, script.name, arguments.connections, arguments.warmup, arguments.threads)
            results[label] = parse(run_wrk(url, script.name, arguments.connections, arguments.duration, arguments.threads),
                                   arguments.duration)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
    os.unlink(script.name)
    print(f"{arguments.connections} concurrent clients, one sentence per request, {arguments.duration} s each, "
          f"{os.cpu_count()} cores, preset {arguments.preset}\n")
    print("| server | sentences/s | p50 ms | p99 ms | non-2xx |")
    print("|---|---:|---:|---:|---:|")
    for label, row in results.items():
        print(f"| {label} | {row['per_second']:.1f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['non_2xx']} |")
    labels = list(results)
    ratio = results[labels[0]]["per_second"] / results[labels[1]]["per_second"]
    print(f"\nbatched / unbatched throughput: {ratio:.2f}x")


if __name__ == "__main__":
    main()
