-- wrk script: POST one pin per request, each with its own unique_id (per-thread counter), the rest of
-- the pin fixed. The body template comes from the env var BENCH_PIN (one JSON pin, as posted).
-- Usage (from bench/harness): BENCH_PIN="$(head -1 pins.ndjson)" wrk -t2 -c50 -d30s --latency -s post_pin.lua http://127.0.0.1:8001/pin/
local threads = {}
thread_id = 0  -- global: setup() sets it per thread with thread:set
local counter = 0

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local pin = os.getenv("BENCH_PIN")
  assert(pin, "set BENCH_PIN to one pin's JSON")
  -- split around the unique_id value so each request only formats a new id
  local s, e = pin:find('"unique_id"%s*:%s*"[^"]*"')
  assert(s, "the pin has no unique_id")
  head, tail = pin:sub(1, s - 1), pin:sub(e + 1)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  -- the ingest API's key when it requires one (PINPIPE_API_KEY); the seed's API ignores the header
  local key = os.getenv("PINPIPE_API_KEY")
  if key and key ~= "" then
    wrk.headers["X-API-Key"] = key
  end
end

function request()
  counter = counter + 1
  local id = string.format("%08x-0000-4000-8000-%012x", thread_id, counter)
  return wrk.format(nil, nil, nil, head .. '"unique_id":"' .. id .. '"' .. tail)
end

function done(summary, latency, requests)
  -- one machine-readable line for bench/run
  io.write(string.format('BENCH {"requests":%d,"seconds":%.3f,"non2xx":%d,"errors":%d,"p50_ms":%.3f,"p99_ms":%.3f}\n',
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
