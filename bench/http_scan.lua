-- wrk script: POST /v1/scan with one ad as ScanTextRequest JSON.
--   wrk -t2 -c32 -d10s --latency -s bench/http_scan.lua http://127.0.0.1:8080/v1/scan
-- The ad is $DIVCHECK_AD (default bench/data/stellenanzeige_de.txt), sent
-- with language detection on, as `divcheck bench` does. Non-2xx answers are
-- counted by wrk ("Non-2xx or 3xx responses").
local path = os.getenv("DIVCHECK_AD") or "bench/data/stellenanzeige_de.txt"
local f = assert(io.open(path, "rb"))
local text = f:read("*a")
f:close()
local escaped = text:gsub('[%c"\\]', function(c)
  if c == '"' then return '\\"' end
  if c == "\\" then return "\\\\" end
  if c == "\n" then return "\\n" end
  if c == "\t" then return "\\t" end
  return string.format("\\u%04x", c:byte())
end)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":"' .. escaped .. '"}'
