-- Payment, advance-fee, lottery, inheritance, gift-card and investment
-- scams. See README.md.

rule { name = "SUBJ_URGENT_TRANSFER", target = "header:Subject", flags = "i", score = 2.0,
       pattern = [[\burgent\b.{0,30}\b(wire|transfer|payment|remittance)\b]],
       description = "Subject combines urgency with a payment" }

rule { name = "BODY_URGENT_PAYMENT", target = "text", flags = "i", score = 1.0,
       pattern = [[\b(urgent(ly)?|immediate(ly)?|asap|today)\b.{0,40}\b(wire\s+transfer|bank\s+transfer|remittance|pay\s+(the|this)\s+(outstanding\s+)?invoice)\b]],
       description = "Urgent wire transfer or payment request" }

rule { name = "BODY_BEC_REQUEST", target = "text", flags = "i", score = 1.0,
       pattern = [[\b(are\s+you\s+(available|at\s+your\s+desk)\s*\?|i\s+need\s+you\s+to\s+(handle|process|complete|make)\s+an?\s+(urgent\s+)?(task|payment|transfer|purchase))]],
       description = "Business e-mail compromise opener" }

rule { name = "BODY_GIFT_CARDS", target = "text", flags = "i", score = 2.5,
       pattern = [[\b(buy|purchase|get|pick\s+up)\s+(me\s+)?(some\s+|\d{1,2}\s+)?(itunes|google\s+play|amazon|steam|apple|ebay|visa)\s+gift\s*cards?\b]],
       description = "Asks to buy gift cards" }

rule { name = "BODY_CRYPTO_INVEST", target = "text", flags = "i", score = 2.0,
       pattern = [[\b(bitcoin|btc|crypto(currency)?|usdt|ethereum|forex)\b.{0,60}\b(guaranteed|double\s+your|daily\s+profits?|passive\s+income|\d{2,4}\s?%\s+(profit|return|roi))]],
       description = "Crypto or forex investment pitch with promised returns" }

rule { name = "BODY_GUARANTEED_RETURNS", target = "text", flags = "i", score = 1.5,
       pattern = [[\bguaranteed\s+(daily\s+|weekly\s+|monthly\s+)?(returns?|profits?|income|roi)\b]],
       description = "Promises guaranteed returns" }

rule { name = "BODY_LOTTERY_WINNER", target = "text", flags = "i", score = 2.5,
       pattern = [[\b(you\s+have\s+(won|been\s+selected\s+as\s+(a|the)\s+winner)|winning\s+(number|ticket|email)|lottery\s+(winner|award|prize|draw)|claim\s+your\s+(prize|winnings))\b]],
       description = "Lottery or prize win" }

rule { name = "BODY_INHERITANCE", target = "text", flags = "i", score = 2.0,
       pattern = [[\b(next\s+of\s+kin|unclaimed\s+(inheritance|funds|fortune|deposit)|late\s+(client|husband|father|mr\.?)\b.{0,60}\b(fund|deposit|estate|inheritance))\b]],
       description = "Inheritance or next-of-kin story" }

rule { name = "BODY_MILLIONS_USD", target = "text", flags = "i", score = 1.0,
       pattern = [[(\b(us\$|usd|eur|gbp)\s?|\$)\d{1,3}(,\d{3}){2,}|\b\d{1,3}(\.\d{1,2})?\s+million\s+(united\s+states\s+)?(dollars|usd|us\s+dollars|euros?|pounds)\b]],
       description = "Talks of millions" }

rule { name = "BODY_CONFIDENTIAL_PROPOSAL", target = "text", flags = "i", score = 1.0,
       pattern = [[\b(strictly\s+confidential|confidential\s+(business\s+)?(proposal|transaction)|utmost\s+(confidentiality|secrecy))\b]],
       description = "Confidential business proposal" }

meta { name = "ADVANCE_FEE", score = 2.5,
       expression = "count(BODY_LOTTERY_WINNER, BODY_INHERITANCE, BODY_MILLIONS_USD, BODY_CONFIDENTIAL_PROPOSAL) >= 2",
       description = "Several advance-fee fraud traits" }

-- Building block: an invoice-like Subject is normal on its own.
rule { name = "__SUBJ_INVOICE", target = "header:Subject", flags = "i",
       pattern = [[\b(invoice|payment\s+advice|remittance|overdue|statement\s+of\s+account)\b]] }

meta { name = "FAKE_INVOICE_MACRO", score = 3.0,
       expression = "__SUBJ_INVOICE && (ATTACH_OFFICE_MACRO || ATTACH_EXECUTABLE || ATTACH_DISK_IMAGE)",
       description = "Invoice with a macro document, program or disk image attached" }
