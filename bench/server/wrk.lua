-- The requests of bench/server_bench.sh, by BENCH_KIND:
--   get      GET /pets/{id}, ids 1..100 in turn
--   post     POST /pets, a valid NewPet with a name unique per run (BENCH_TAG), thread and request
--   list     GET /pets with a limit and two tags
--   invalid  POST /pets with a body that breaks eight constraints (422)
--   large    GET /pets?limit=100 (100 pets in the response)
-- done() prints one RESULT line the runner parses.
local kind = os.getenv("BENCH_KIND") or "get"
local tag = os.getenv("BENCH_TAG") or "x"
wrk.headers["Content-Type"] = "application/json"

if kind == "get" then
  local id = 0
  function request()
    id = id % 100 + 1
    return wrk.format("GET", "/pets/" .. id)
  end
elseif kind == "post" then
  local count = 0
  function request()
    count = count + 1
    local body = '{"name":"b' .. tag .. '-' .. (tid or 0) .. '-' .. count ..
        '","status":"available","category":{"id":1,"name":"dogs"},"tags":["new","bench"],' ..
        '"birthDate":"2021-03-04","weightKg":7.25,"nickname":"rex"}'
    return wrk.format("POST", "/pets", nil, body)
  end
elseif kind == "list" then
  wrk.path = "/pets?limit=10&tags=seed&tags=g1"
elseif kind == "invalid" then
  wrk.method = "POST"
  wrk.path = "/pets"
  wrk.body = '{"name":"no/slash","status":"lost","category":{"name":"","color":"red"},' ..
      '"tags":["a","a",""],"birthDate":"2021-02-30","weightKg":0,"nickname":"' ..
      string.rep("n", 40) .. '"}'
elseif kind == "large" then
  wrk.path = "/pets?limit=100"
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
      e.connect + e.read + e.write + e.timeout))
end
