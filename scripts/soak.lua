-- wrk script for scripts/soak.sh: a mix of valid single and batch
-- predictions on every route, malformed JSON, wrong types, wrong content
-- type, unknown routes and oversized bodies. Status counts are kept per
-- thread and summed in done(). wrk interleaves connections on a thread, so
-- a response cannot be matched to its request here; the soak instead
-- requires zero 5xx overall (none of the invalid requests should get a 5xx
-- either), which implies zero 5xx on valid input.

local valid_bodies = {
  { "/predict", '{"text": "my computer crashed again and again"}' },
  { "/predict", '{"text": "Love is a many splendored thing"}' },
  { "/predict", '{"text": ""}' },
  { "/predict", '{"text": "caf\\u00e9 na\\u00efve \\u4e2d\\u6587 \\ud83d\\ude00"}' },
  { "/predict_complex", '{"text": "the stock market fell sharply today"}' },
  { "/predict_multilabel", '{"text": "a wise man once said nothing", "threshold": 0.3}' },
  { "/predict_multilabel", '{"text": "fortune favours the bold"}' },
}

local function batch(n)
  local t = {}
  for i = 1, n do t[i] = '"fortune number ' .. i .. ' says work hard"' end
  return '{"texts": [' .. table.concat(t, ",") .. ']}'
end
table.insert(valid_bodies, { "/predict", batch(5) })
table.insert(valid_bodies, { "/predict", batch(40) })        -- blocking-pool path
table.insert(valid_bodies, { "/predict_complex", batch(33) })
table.insert(valid_bodies, { "/predict_multilabel", batch(8) })

local invalid = {
  { "POST", "/predict", "application/json", '{"text": ' },                 -- truncated
  { "POST", "/predict", "application/json", '{"texts": []}' },
  { "POST", "/predict", "application/json", '{"text": 42}' },
  { "POST", "/predict", "application/json", '{"text": "a", "texts": ["b"]}' },
  { "POST", "/predict", "application/json", '{"text": "\\ud800"}' },       -- lone surrogate
  { "POST", "/predict", "text/plain", '{"text": "hello"}' },              -- 415
  { "POST", "/predict_multilabel", "application/json", '{"text": "x", "threshold": 7}' },
  { "POST", "/predict", "application/json", '{"text": "x", "threshold": 0.5}' },
  { "GET", "/predict", nil, nil },                                          -- 405
  { "POST", "/nope", "application/json", '{}' },                            -- 404
  { "POST", "/predict", "application/json", string.rep("[", 5000) },        -- deep nesting
  { "POST", "/predict", "application/json",
    '{"text": "' .. string.rep("spam ", 300000) .. '"}' },                  -- 1.5 MB: 413
}

local counter = 0

-- Per-thread tallies (wrk runs one Lua state per thread); globals, so that
-- done() can read them with thread:get().
statuses = {}
threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  -- 70% valid, 30% invalid, in a fixed rotation.
  if counter % 10 < 7 then
    local v = valid_bodies[(counter % #valid_bodies) + 1]
    return wrk.format("POST", v[1], { ["Content-Type"] = "application/json" }, v[2])
  end
  local r = invalid[(counter % #invalid) + 1]
  local headers = {}
  if r[3] then headers["Content-Type"] = r[3] end
  return wrk.format(r[1], r[2], headers, r[4])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  local s5 = 0
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do
      total[k] = (total[k] or 0) + v
      if k >= 500 then s5 = s5 + v end
    end
  end
  local keys = {}
  for k in pairs(total) do table.insert(keys, k) end
  table.sort(keys)
  for _, k in ipairs(keys) do
    io.write(string.format("STATUS %d %d\n", k, total[k]))
  end
  io.write(string.format("ALL_5XX %d\n", s5))
  io.write(string.format("REQUESTS %d\n", summary.requests))
  io.write(string.format("ERRORS connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status))
  io.write(string.format("LATENCY_P50_US %d P99_US %d\n",
    latency:percentile(50), latency:percentile(99)))
end
