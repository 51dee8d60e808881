-- wrk script of the benches: POSTs each line of a file of form bodies once, then stops.
--   wrk -t C -c C -d 600s -s bench/wrk_bodies.lua <url> -- <bodies file> C
-- One connection per thread, and thread t sends lines t, t+C, t+2C... in order, so the texts
-- of one household (C or more lines apart) are never in flight at once.
-- Each thread prints "finished" when its share is answered; wrk itself runs on until its
-- duration is over or it gets SIGINT (what the bench sends once every thread has finished),
-- and then prints one line: "requests <n> seconds <s> p50_ms <x> p95_ms <y> failed <f>".

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local total_threads = tonumber(args[2])
  bodies, answered, failed = {}, 0, 0
  local line_number = 0
  for line in io.lines(args[1]) do
    if line_number % total_threads == index then
      table.insert(bodies, line)
    end
    line_number = line_number + 1
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  -- The next body not answered yet: wrk also calls this once to look at the request before
  -- the run, and that must not use one up. Past the thread's share (wrk may ask once more
  -- before it stops), its last body again, which the hook takes as a provider's retry.
  return wrk.format(nil, nil, nil, bodies[math.min(answered + 1, #bodies)])
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then
    failed = failed + 1
  end
  if answered == #bodies then
    io.stdout:write("finished\n")
    io.stdout:flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local failed_total = 0
  for _, thread in ipairs(threads) do
    failed_total = failed_total + thread:get("failed")
  end
  io.write(string.format(
    "requests %d seconds %.3f p50_ms %.2f p95_ms %.2f failed %d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    failed_total
  ))
end
