-- e2e test (tests/e2e/test_check_config.py): a policy with a Lua syntax
-- error on line 4.
return function(report)
  if report.score > then
    return { action = "reject" }
  end
  return { action = "accept" }
end
