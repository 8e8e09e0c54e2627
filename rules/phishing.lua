-- Credential phishing: "your account is suspended", "verify your account",
-- login lures, and HTML forms that collect passwords. See README.md.

rule { name = "SUBJ_ACCOUNT_SUSPENDED", target = "header:Subject", flags = "i", score = 1.5,
       pattern = [[\b(account|mailbox|password|apple\s+id|card)\s+(has\s+been\s+|was\s+|is\s+|will\s+be\s+)?(suspended|locked|disabled|deactivated|restricted|on\s+hold|blocked)\b]],
       description = "Subject says an account is suspended or locked" }

rule { name = "BODY_VERIFY_ACCOUNT", target = "text", flags = "i", score = 1.0,
       pattern = [[\b(verify|confirm|validate|re-?activate|update)\s+your\s+(account|identity|mailbox|password|billing\s+(information|details)|login\s+(details|credentials)|payment\s+(information|details))\b]],
       description = "Asks to verify or update account details" }

rule { name = "BODY_LOGIN_LURE", target = "text", flags = "i", score = 1.5,
       pattern = [[\b(click|tap|log\s?in|sign\s?in)\s+(here|below|now|on\s+the\s+link(\s+below)?)\s+to\s+(restore|unlock|reactivate|keep|avoid|prevent|confirm|verify|upgrade)\b]],
       description = "Click-here-to-restore style login lure" }

rule { name = "BODY_PASSWORD_EXPIRY", target = "text", flags = "i", score = 1.5,
       pattern = [[\bpassword\s+(will\s+)?(expires?|expiring)\s+(today|soon|tonight|in\s+\d{1,2}\s+(hours?|days?))\b]],
       description = "Password-expiry pretext" }

rule { name = "BODY_MAILBOX_QUOTA", target = "text", flags = "i", score = 1.0,
       pattern = [[\b(mailbox|e-?mail\s+account|storage)\s+(is\s+)?(full|almost\s+full|has\s+exceeded|exceeded\s+(its|the)\s+(quota|storage\s+limit))]],
       description = "Mailbox-quota pretext" }

-- HTML is reduced to text for `text`, so forms are found in the raw body
-- (undecoded: an HTML part in base64 hides them from these two rules).
rule { name = "HTML_FORM", target = "raw_body", flags = "i", score = 1.0,
       pattern = [[<form[^>]{0,300}\saction\s*=]],
       description = "HTML form in the message" }

rule { name = "HTML_PASSWORD_FIELD", target = "raw_body", flags = "i", score = 2.0,
       pattern = [[<input[^>]{0,300}\stype\s*=\s*["']?password\b]],
       description = "HTML password input in the message" }

meta { name = "PHISH_LOGIN_IP", score = 3.0,
       expression = "URL_IP_HOST && (BODY_VERIFY_ACCOUNT || SUBJ_ACCOUNT_SUSPENDED || BODY_LOGIN_LURE)",
       description = "Account lure with a link to a bare IP address" }

meta { name = "PHISH_ACCOUNT_COMBO", score = 1.5,
       expression = "count(SUBJ_ACCOUNT_SUSPENDED, BODY_VERIFY_ACCOUNT, BODY_LOGIN_LURE, BODY_PASSWORD_EXPIRY, BODY_MAILBOX_QUOTA) >= 2",
       description = "Two or more account-phishing traits" }

meta { name = "PHISH_URL_TEXT_LURE", score = 1.5,
       expression = "__HTML_LINK_TEXT_URL && (BODY_VERIFY_ACCOUNT || BODY_LOGIN_LURE || SUBJ_ACCOUNT_SUSPENDED)",
       description = "Account lure whose link shows one URL as its text" }
