-- wrk script for bench/http/trace-cost: every request carries a sentry-trace header, and every K-th (env K, 0: none)
-- is marked sampled, so that the server traces exactly those (the caller's decision wins over its own sampling).
local every = tonumber(os.getenv("K") or "0")
local count = 0

local function hex(bytes)
  local digits = {}
  for i = 1, bytes do digits[i] = string.format("%02x", math.random(0, 255)) end
  return table.concat(digits)
end

request = function()
  count = count + 1
  local sampled = (every > 0 and count % every == 0) and "1" or "0"
  wrk.headers["sentry-trace"] = hex(16) .. "-" .. hex(8) .. "-" .. sampled
  return wrk.format(nil, wrk.path)
end
