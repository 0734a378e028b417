"""Concurrent GET load from wrk (Debian's package), a load generator written in C.

The throughput of a server that answers in a fraction of a millisecond depends on how much
CPU its clients leave it: on this 2-core machine, eight Python clients (`http.client` in
threads) took 0.6–0.7 of a core at 6,000 requests a second, so the faster server got less of
the machine than the slower one. wrk keeps eight connections busy from two event loops and a
few microseconds of Lua per request (which query, its text), so both servers get nearly all of
the machine. `throughput` here takes the same arguments and gives the same figures as the
Python clients of bench/sparql.py (requests a second, errors, median and 99th percentile
latency, the share of query texts asked before), which stays the fallback when wrk is
missing.

wrk's latency percentiles are not to be trusted after a stall: when the first answers of a
run took a second or two (an aggregate computed while 8 connections wait for it), wrk 4.1.0
reported a 90th percentile of 0.5 s over 165,781 requests made in 8 s on 8 connections,
which cannot be (right after, on the same server: the Python clients' 99th percentile 2.6
ms; wrk's next run 0.9 ms for the 90th, 2.4 ms for the 99th). Its request counts, and so the
throughput, are sound.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

SCRIPT = """
local paths = {%(paths)s}
local fresh = %(fresh)s
local accept = [==[%(accept)s]==]
local threads, next_id = {}, 0
tid, counter, asked = 0, 0, {}

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(tid * 7919 + 17)
end

function request()
  local k = math.random(#paths)
  local path = paths[k]
  counter = counter + 1
  local key = tostring(k)
  if fresh then  -- "\\n# <thread> <n>" after the query: a text never asked before
    path = path .. "%%0A%%23+" .. tid .. "+" .. counter
    key = key .. " " .. tid .. " " .. counter
  end
  asked[key] = true
  return wrk.format("GET", path, {["Accept"] = accept})
end

function done(summary, latency, requests)
  local distinct, calls, seen = 0, 0, {}
  for _, thread in ipairs(threads) do
    calls = calls + thread:get("counter")
    for key, _ in pairs(thread:get("asked")) do
      if not seen[key] then seen[key] = true; distinct = distinct + 1 end
    end
  end
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests": %%d, "duration_us": %%d, "status_errors": %%d, "socket_errors": %%d, ' ..
    '"p50_us": %%d, "p99_us": %%d, "asked": %%d, "distinct": %%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), calls, distinct))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def throughput(
    port: int, paths: list[str], accept: str, seconds: float, connections: int, fresh: bool
) -> dict:
    """wrk's `connections` GET clients on ``http://127.0.0.1:port`` for `seconds` (whole
    seconds: wrk's unit), each request one of `paths` (drawn at random), made new with a
    comment if `fresh`."""
    script = SCRIPT % {
        "paths": ", ".join(f"[==[{p}]==]" for p in paths),
        "fresh": "true" if fresh else "false",
        "accept": accept,
    }
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp) / "load.lua"
        lua.write_text(script)
        threads = min(2, connections)
        command = ["wrk", "-t", str(threads), "-c", str(connections)]
        command += ["-d", f"{max(1, round(seconds))}s", "--timeout", "120s", "-s", str(lua)]
        run = subprocess.run(
            [*command, f"http://127.0.0.1:{port}/"], capture_output=True, text=True
        )
        out = run.stdout
        if run.returncode or "\n{" not in out:
            raise RuntimeError(f"{' '.join(command)} failed:\n{out}\n{run.stderr}")
    figures = json.loads(out[out.rindex("\n{") :])
    done = figures["requests"] - figures["status_errors"]
    elapsed = figures["duration_us"] / 1e6
    asked = figures["asked"]
    return {
        "req_per_s": round(done / elapsed, 1),
        "errors": figures["status_errors"] + figures["socket_errors"],
        "p50_ms": round(figures["p50_us"] / 1000, 1),
        "p99_ms": round(figures["p99_us"] / 1000, 1),
        "elapsed_s": elapsed,
        # requests whose query text an earlier request of the run had asked: at most these
        # are answered from lod's cache (each web process keeps its own)
        "repeats_percent": round(100 * (1 - figures["distinct"] / asked)) if asked else 0,
    }
