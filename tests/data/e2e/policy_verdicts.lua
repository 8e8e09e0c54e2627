-- e2e test policy (tests/e2e/test_postfix_verdicts.py): the verdict is
-- chosen by the recipient, so one daemon serves every verdict test.
--   tempfail@example.net -> 451 4.7.1 Try later e2e
--   reject@example.net   -> 550 5.7.1 Rejected e2e
--   hold@example.net     -> quarantine, reason "e2e hold"
-- Anything else: the strongest check request, as the shipped policy does,
-- else accept.
local precedence = { reject = 1, tempfail = 2, accept = 3, quarantine = 4, discard = 5 }

return function(report)
  for _, rcpt in ipairs(report.envelope.rcpts) do
    local r = string.lower(rcpt)
    if r == "tempfail@example.net" then
      return { action = "tempfail", code = "451", xcode = "4.7.1", text = "Try later e2e",
               reason = "e2e tempfail" }
    elseif r == "reject@example.net" then
      return { action = "reject", code = "550", xcode = "5.7.1", text = "Rejected e2e",
               reason = "e2e reject" }
    elseif r == "hold@example.net" then
      return { action = "quarantine", reason = "e2e hold" }
    end
  end
  local best
  for _, request in ipairs(report.requests) do
    local rank = precedence[request.action]
    if rank and (best == nil or rank < precedence[best.action]) then best = request end
  end
  if best and best.action ~= "accept" then
    return { action = best.action, code = best.code, xcode = best.xcode, text = best.text,
             reason = best.check .. ": " .. best.reason }
  end
  return { action = "accept", reason = best and (best.check .. ": " .. best.reason) or "" }
end
