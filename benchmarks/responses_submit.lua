-- wrk script for benchmarks/responses_submit.py: posts prepared "Check your answers and
-- send" forms, one submission token each, and records what the server answered.
--
-- Run with as many connections as threads (-t N -c N): each thread then has one
-- connection, requests and responses alternate on it, and every answer can be paired
-- with the form it answers. Arguments after "--": the directory of body files
-- (bodies-<thread>.txt, one URL-encoded form per line), the share of forms sent a second
-- time at once (a double click or retry), and the file to write results to.

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

local bodies = {}
index = 0                -- the form being sent (1-based); 0 before the first
nbodies = 0
local sends_left = 0     -- sends still due for this form (2 for a double submit)
waiting = false          -- a request is out and not yet answered
local headers = {}
local path = "/"
local resend_share = 0.05

-- Results, read by done() through thread:get.
refs = {}                -- form index -> reference the server confirmed (first send)
mismatch = 0             -- a resend confirmed with another reference than the first send
statuses = {}            -- status -> count
retried = 0              -- requests sent again after a connection error or non-redirect
resent = 0               -- forms sent twice on purpose
exhausted = 0            -- requests made after this thread ran out of forms

function init(args)
   local dir = args[1]
   resend_share = tonumber(args[2])
   path = args[4]
   local f = assert(io.open(dir .. "/bodies-" .. id .. ".txt", "r"))
   for line in f:lines() do
      table.insert(bodies, line)
   end
   f:close()
   nbodies = #bodies
   headers["Content-Type"] = "application/x-www-form-urlencoded"
   headers["Cookie"] = "csrftoken=" .. args[3]
   math.randomseed(1000 + id)
end

function request()
   if waiting then
      -- The last request got no answer (connection error): send the same form again,
      -- as a browser reload would.
      retried = retried + 1
   elseif sends_left == 0 then
      index = index + 1
      if index > #bodies then
         exhausted = exhausted + 1
         return wrk.format("GET", "/get-involved/")
      end
      if math.random() < resend_share then
         sends_left = 2
         resent = resent + 1
      else
         sends_left = 1
      end
   end
   waiting = true
   return wrk.format("POST", path, headers, bodies[index])
end

function response(status, hdrs, body)
   waiting = false
   statuses[status] = (statuses[status] or 0) + 1
   if index > #bodies then
      return
   end
   if status == 302 then
      local loc = hdrs["Location"] or hdrs["location"] or ""
      local ref = string.match(loc, "/received/([^/]+)/") or loc
      if refs[index] == nil then
         refs[index] = ref
      elseif string.match(refs[index], "^[^:]*") ~= string.match(ref, "^[^:]*") then
         -- The signed link carries a timestamp; the reference is the part before ":".
         mismatch = mismatch + 1
      end
      sends_left = sends_left - 1
   else
      -- Not accepted (e.g. 503 under overload): send the same form again.
      retried = retried + 1
   end
end

function done(summary, latency, requests)
   local out = assert(io.open(os.getenv("HEARD_WRK_RESULTS"), "w"))
   out:write(string.format("requests %d\n", summary.requests))
   out:write(string.format("duration_us %d\n", summary.duration))
   out:write(string.format("errors %d %d %d %d %d\n", summary.errors.connect,
      summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
   for _, p in ipairs({50, 95, 99}) do
      out:write(string.format("p%d_us %d\n", p, latency:percentile(p)))
   end
   out:write(string.format("max_us %d\n", latency.max))
   for _, t in ipairs(threads) do
      local tid = t:get("id")
      out:write(string.format(
         "thread %d mismatch %d retried %d resent %d exhausted %d last %d waiting %d\n",
         tid, t:get("mismatch"), t:get("retried"), t:get("resent"), t:get("exhausted"),
         math.min(t:get("index"), t:get("nbodies")), t:get("waiting") and 1 or 0))
      for status, n in pairs(t:get("statuses")) do
         out:write(string.format("status %d %d\n", status, n))
      end
      for i, ref in pairs(t:get("refs")) do
         out:write(string.format("ref %d %d %s\n", tid, i, ref))
      end
   end
   out:close()
end
