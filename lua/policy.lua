-- The shipped Portcullis policy: turns the Report into a Verdict.
--
-- It is called once per message at end of message with one argument, the
-- report (see lua/API.md), and returns a table:
--   { action = "accept" | "reject" | "tempfail" | "quarantine" | "discard",
--     code = "550", xcode = "5.7.1", text = "...",   -- reject/tempfail
--     reason = "...",                                -- logged; quarantine reason
--     headers = { ["X-Spam"] = "Yes" } }              -- added to the message
--
-- Copy it, change it, and point `policy.file` in the config at your copy.
-- Runs sandboxed: no io, no os.execute, an instruction and a memory budget.

-- Hard outcomes checks ask for, strongest first. A check's "accept" (an
-- allowlist hit) wins over scores but not over another check's reject:
-- reject > tempfail > accept > quarantine > discard.
local precedence = { reject = 1, tempfail = 2, accept = 3, quarantine = 4, discard = 5 }

local function strongest_request(requests)
  local best
  for _, request in ipairs(requests) do
    local rank = precedence[request.action]
    if rank and (best == nil or rank < precedence[best.action]) then
      best = request
    end
  end
  return best
end

return function(report)
  local t = report.thresholds
  local request = strongest_request(report.requests)
  if request then
    local why = request.check .. ": " .. (request.reason ~= "" and request.reason or request.action)
    if request.action == "accept" then
      return { action = "accept", reason = why }
    end
    return {
      action = request.action,
      code = request.code,
      xcode = request.xcode,
      text = request.text,
      reason = why,
    }
  end

  local score = report.score
  if t.reject and score >= t.reject then
    return {
      action = "reject",
      code = "550",
      xcode = "5.7.1",
      text = string.format("Message looks like spam (score %.1f)", score),
      reason = "score",
    }
  end
  if t.quarantine and score >= t.quarantine then
    return { action = "quarantine", reason = string.format("score %.1f", score) }
  end
  if t.add_header and score >= t.add_header then
    return { action = "accept", headers = { ["X-Spam"] = "Yes" }, reason = "score" }
  end
  return { action = "accept" }
end
