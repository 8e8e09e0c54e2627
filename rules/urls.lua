-- Links: bare IP hosts, shorteners, credentials in URLs, encoded hosts,
-- defanged links, risky TLDs, and links whose text is a URL. `url` rules
-- see each URL the MIME parser extracted, one at a time. See README.md.

rule { name = "URL_IP_HOST", target = "url", flags = "i", score = 1.5,
       pattern = [[^[a-z][a-z0-9+.-]*://((\d{1,3}\.){3}\d{1,3}|\[[0-9a-f:.]+\])([:/?#]|$)]],
       description = "Link to a bare IP address" }

rule { name = "URL_SHORTENER", target = "url", flags = "i", score = 0.5,
       pattern = [[^https?://(www\.)?(bit\.ly|tinyurl\.com|t\.co|goo\.gl|ow\.ly|is\.gd|buff\.ly|rebrand\.ly|cutt\.ly|shorturl\.at|tiny\.cc|rb\.gy|t\.ly|s\.id)([:/?#]|$)]],
       description = "Link through a URL shortener" }

rule { name = "URL_USERINFO", target = "url", flags = "i", score = 2.0,
       pattern = [[^https?://[^/?#\s]*@]],
       description = "Link with user@ before the host (http://bank.example@evil.example/)" }

rule { name = "URL_ENCODED_HOST", target = "url", flags = "i", score = 1.5,
       pattern = [[^https?://[^/?#\s]*%[0-9a-f]{2}]],
       description = "Percent-encoded characters in the host" }

rule { name = "URL_RISKY_TLD", target = "url", flags = "i", score = 0.5,
       pattern = [[^https?://[^/?#:\s]+\.(zip|mov|top|xyz|click|country|gq|tk|ml|cf|ga|rest|cam|quest)([:/?#]|$)]],
       description = "Link into a top-level domain popular with abuse" }

rule { name = "TEXT_DEFANGED_URL", target = "text", flags = "i", score = 0.5,
       pattern = [[\bhxxps?://|\b[a-z0-9-]{2,}\[\.\][a-z]{2,}\b]],
       description = "Defanged link (hxxp://, example[.]com) in the text" }

rule { name = "HTML_DATA_URI_LINK", target = "raw_body", flags = "i", score = 2.0,
       pattern = [[\shref\s*=\s*["']?data:text/html]],
       description = "Link to a data: URI holding an HTML page" }

-- Building block: an <a> whose visible text is itself a URL. Hyperscan
-- cannot compare the text with the href, so this only marks the shape;
-- PHISH_URL_TEXT_LURE combines it with a lure.
rule { name = "__HTML_LINK_TEXT_URL", target = "raw_body", flags = "i",
       pattern = [[<a\s[^>]{0,300}href\s*=\s*["']?https?://[^>]{1,300}>\s*(<[^>]{1,100}>\s*){0,3}https?://]] }
