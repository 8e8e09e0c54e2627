-- Shouting and other style traits. Weak on their own: scores are low.
-- See README.md.

rule { name = "SUBJ_ALL_CAPS", target = "header:Subject", score = 1.0,
       pattern = [[^[^a-z]*[A-Z]{3,}[^a-z]+[A-Z]{3,}[^a-z]*$]],
       description = "Subject in capitals (two words or more)" }

rule { name = "SUBJ_EXCESS_EXCLAIM", target = "header:Subject", score = 1.0,
       pattern = [[!{3,}|(![^!]*){4}]],
       description = "Subject with three or more exclamation marks" }

rule { name = "BODY_EXCESS_EXCLAIM", target = "text", score = 0.5,
       pattern = [[!{4,}]],
       description = "Four or more exclamation marks in a row" }

rule { name = "FROM_NAME_HAS_ADDRESS", target = "header:From", flags = "i", score = 1.0,
       pattern = [[^\s*"?[^"<]*@[a-z0-9-]+(\.[a-z0-9-]+)+[^"<]*"?\s*<[^>]+>]],
       description = "From display name contains an e-mail address" }

rule { name = "SUBJ_MONEY_GRAB", target = "header:Subject", flags = "i", score = 1.0,
       pattern = [[\b(act\s+now|limited\s+time|100%\s+free|risk[\s-]free|earn\s+\$?\d+|cash\s+bonus|double\s+your\s+money)\b]],
       description = "Subject with money or act-now bait" }
