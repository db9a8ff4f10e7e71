-- wrk script for cari's /api/search: each request asks one query from a
-- list, URL-encoded, now and then sorted by date or for the second page;
-- every response that is not 2xx is counted (by status) and the first
-- one's body kept; a 503 (admission control) is counted apart, as
-- deliberate. done() prints latency percentiles, throughput, errors
-- and one "RESULT key=value ..." line that scripts/load/run.sh parses.
--
--   wrk -t2 -c64 -d30s --latency -s search.lua http://127.0.0.1:8080 -- queries.txt
--
-- The query file is the first argument after "--" (else
-- $CARI_LOAD_QUERIES): one query a line; blank lines and lines starting
-- with # are skipped.

local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

local function urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c)
      return string.format("%%%02X", string.byte(c))
   end))
end

local function load_queries(file)
   local f, err = io.open(file, "r")
   if not f then
      error("cannot read the query file: " .. tostring(err))
   end
   local out = {}
   for line in f:lines() do
      line = line:gsub("^%s+", ""):gsub("%s+$", "")
      if line ~= "" and line:sub(1, 1) ~= "#" then
         table.insert(out, line)
      end
   end
   f:close()
   if #out == 0 then
      error("no queries in " .. file)
   end
   return out
end

local paths = {}
local n = 0

non2xx = 0
statuses = {}
first_error = ""

function init(args)
   local file = args[1] or os.getenv("CARI_LOAD_QUERIES")
   if not file or file == "" then
      error("give the query file after --, or set CARI_LOAD_QUERIES")
   end
   local queries = load_queries(file)
   -- Each query as the search page sends it, and in two variants that
   -- take other paths through the index: sorted by date, second page.
   for _, q in ipairs(queries) do
      local base = "/api/search?q=" .. urlencode(q)
      table.insert(paths, base)
      table.insert(paths, base)
      table.insert(paths, base .. "&sort=date")
      table.insert(paths, base .. "&page=2")
   end
   math.randomseed(os.time() + (id or 0) * 7919)
   -- The first paths of each thread are shuffled so that the threads do
   -- not ask the same sequence.
   for i = #paths, 2, -1 do
      local j = math.random(i)
      paths[i], paths[j] = paths[j], paths[i]
   end
end

function request()
   n = n + 1
   if n > #paths then
      n = 1
   end
   return wrk.format("GET", paths[n])
end

overloaded = 0

function response(status, headers, body)
   if status == 503 then
      -- Admission control refusing at once, with Retry-After: deliberate.
      overloaded = overloaded + 1
   elseif status < 200 or status > 299 then
      non2xx = non2xx + 1
      local k = tostring(status)
      statuses[k] = (statuses[k] or 0) + 1
      if first_error == "" then
         first_error = k .. " " .. string.sub(body or "", 1, 300)
      end
   end
end

function done(summary, latency, requests)
   local bad, refused, codes, sample = 0, 0, {}, ""
   for _, t in ipairs(threads) do
      bad = bad + (t:get("non2xx") or 0)
      refused = refused + (t:get("overloaded") or 0)
      for k, v in pairs(t:get("statuses") or {}) do
         codes[k] = (codes[k] or 0) + v
      end
      local e = t:get("first_error")
      if sample == "" and e and e ~= "" then
         sample = e
      end
   end
   local e = summary.errors
   local socket = e.connect + e.read + e.write + e.timeout
   local secs = summary.duration / 1e6
   local qps = summary.requests / secs
   local function ms(p)
      return latency:percentile(p) / 1000
   end
   io.write(string.format("requests      %d in %.1f s: %.1f per second\n", summary.requests, secs, qps))
   io.write(string.format("latency       p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
      ms(50), ms(90), ms(99), latency.max / 1000))
   io.write(string.format("refused       %d (503, admission control: %.1f%%)\n", refused, 100 * refused / math.max(summary.requests, 1)))
   io.write(string.format("errors        %d non-2xx; socket: %d connect, %d read, %d write, %d timeout\n",
      bad, e.connect, e.read, e.write, e.timeout))
   for k, v in pairs(codes) do
      io.write(string.format("  status %s: %d\n", k, v))
   end
   if sample ~= "" then
      io.write("  first: " .. sample .. "\n")
   end
   io.write(string.format("RESULT requests=%d seconds=%.2f qps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d overloaded=%d wrk_status_errors=%d socket_errors=%d\n",
      summary.requests, secs, qps, ms(50), ms(90), ms(99), latency.max / 1000, bad, refused, e.status, socket))
end
