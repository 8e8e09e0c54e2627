#!/usr/bin/env python3
"""Generate a deterministic corpus of realistic-looking mail for the benchmarks.

Writes N .eml files of several sizes (default mix 2 KB, 5 KB, 20 KB, 100 KB),
half plain text and half MIME (multipart/mixed holding a multipart/alternative
text+HTML part and a base64 attachment). Headers look like real inbound mail:
a Received chain, Authentication-Results, a folded DKIM-Signature, Message-ID,
Date, List-Unsubscribe. The same --seed always gives byte-identical files.
Standard library only.
"""

import argparse
import base64
import os
import random
import sys
import textwrap
import time

WORDS = (
    "account invoice meeting project update quarterly review schedule team "
    "customer delivery order payment report shipment contract proposal budget "
    "deadline agenda summary feedback request approval release version server "
    "network security password reset confirm subscription newsletter offer "
    "discount limited today tomorrow please thanks regards attached document "
    "the a of to and in for on with as by at from this that is are be will can"
).split()

DOMAINS = ["example.com", "example.net", "example.org", "mail.example.com",
           "news.example.net", "shop.example.org", "corp.example.com"]
FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
         "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert"]
SIZES = {"2k": 2 * 1024, "5k": 5 * 1024, "20k": 20 * 1024, "100k": 100 * 1024}
EPOCH = 1704067200  # 2024-01-01T00:00:00Z; dates are fixed, not "now".
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]


def rfc2822_date(ts):
    # time.gmtime is deterministic; avoids locale-dependent strftime names.
    t = time.gmtime(ts)
    return "%s, %d %s %d %02d:%02d:%02d +0000" % (
        DAYS[t.tm_wday], t.tm_mday, MONTHS[t.tm_mon - 1], t.tm_year,
        t.tm_hour, t.tm_min, t.tm_sec)


def sentence(rng, words):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph_text(rng, target_bytes):
    """Plain text in paragraphs wrapped at 72 columns, about target_bytes long."""
    paragraphs, total = [], 0
    while total < target_bytes:
        para = " ".join(sentence(rng, rng.randint(6, 16)) for _ in range(rng.randint(1, 5)))
        para = textwrap.fill(para, 72)
        paragraphs.append(para)
        total += len(para) + 2
    return "\n\n".join(paragraphs) + "\n"


def fold_b64(rng, length, indent="\t "):
    data = base64.b64encode(rng.randbytes(length)).decode()
    return ("\n" + indent).join(data[i:i + 70] for i in range(0, len(data), 70))


def headers(rng, index, ts, mime_boundary, hops):
    sender = "%s@%s" % (rng.choice(FIRST), rng.choice(DOMAINS))
    rcpt = "%s@example.net" % rng.choice(FIRST)
    sdomain = sender.split("@")[1]
    relay_ip = "198.51.100.%d" % rng.randint(1, 254)
    out = []
    hop_ts = ts
    for hop in range(hops):
        hop_ts -= rng.randint(1, 30)
        out.append(
            "Received: from relay%d.%s (relay%d.%s [%s])\n"
            "\tby mx%d.example.net (Postfix) with ESMTPS id %X\n"
            "\tfor <%s>; %s" % (hop, sdomain, hop, sdomain, relay_ip, hop,
                                rng.getrandbits(40), rcpt, rfc2822_date(hop_ts)))
    out.append("Authentication-Results: mx0.example.net;\n"
               "\tdkim=pass header.d=%s header.s=sel1;\n"
               "\tspf=pass smtp.mailfrom=%s" % (sdomain, sender))
    out.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s;\n"
               "\ts=sel1; t=%d; h=from:to:subject:date:message-id;\n"
               "\tbh=%s;\n\tb=%s" % (sdomain, ts, base64.b64encode(rng.randbytes(32)).decode(),
                                      fold_b64(rng, 256)))
    out.append("Message-ID: <%d.%X@%s>" % (ts, rng.getrandbits(64), sdomain))
    out.append("Date: " + rfc2822_date(ts))
    out.append("From: \"%s\" <%s>" % (sender.split("@")[0].title(), sender))
    out.append("To: <%s>" % rcpt)
    out.append("Subject: %s #%d" % (sentence(rng, rng.randint(3, 7))[:-1], index))
    out.append("List-Unsubscribe: <mailto:unsubscribe@%s?subject=%X>,\n"
               " <https://%s/unsubscribe/%X>" % (sdomain, rng.getrandbits(32), sdomain,
                                                  rng.getrandbits(48)))
    out.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    out.append("MIME-Version: 1.0")
    if mime_boundary:
        out.append("Content-Type: multipart/mixed;\n\tboundary=\"%s\"" % mime_boundary)
    else:
        out.append("Content-Type: text/plain; charset=utf-8")
        out.append("Content-Transfer-Encoding: 7bit")
    return "\n".join(out) + "\n"


def mime_body(rng, target_bytes, boundary):
    alt = boundary + "_alt"
    text_size = max(100, target_bytes // 5)
    attach_size = max(64, (target_bytes - 2 * text_size - 700) * 3 // 4)  # base64 grows 4/3.
    text = paragraph_text(rng, text_size)
    html = "<html><body>\n" + "".join(
        "<p>%s</p>\n" % line for line in paragraph_text(rng, text_size).split("\n") if line
    ) + "</body></html>\n"
    attachment = base64.b64encode(rng.randbytes(attach_size)).decode()
    attachment = "\n".join(attachment[i:i + 76] for i in range(0, len(attachment), 76))
    return (
        "This is a multi-part message in MIME format.\n\n"
        "--%s\nContent-Type: multipart/alternative; boundary=\"%s\"\n\n"
        "--%s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n%s\n"
        "--%s\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n%s\n"
        "--%s--\n\n"
        "--%s\nContent-Type: application/pdf; name=\"report-%d.pdf\"\n"
        "Content-Disposition: attachment; filename=\"report-%d.pdf\"\n"
        "Content-Transfer-Encoding: base64\n\n%s\n"
        "--%s--\n" % (boundary, alt, alt, text, alt, html, alt, boundary,
                      rng.randint(1, 9999), rng.randint(1, 9999), attachment, boundary))


def make_message(rng, index, size_name, mime):
    target = SIZES[size_name]
    ts = EPOCH + index * 37 + rng.randint(0, 30)
    boundary = "=_%032x" % rng.getrandbits(128) if mime else None
    # Small messages get a short relay path so 2 KB stays near 2 KB.
    hops = rng.randint(1, 2) if target <= 2048 else rng.randint(2, 4)
    head = headers(rng, index, ts, boundary, hops)
    room = max(200, target - len(head) - 1)
    body = mime_body(rng, room, boundary) if mime else paragraph_text(rng, room)
    return head + "\n" + body


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="directory to write .eml files into")
    parser.add_argument("--count", type=int, default=200, help="number of messages (200)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("--sizes", default="2k,5k,20k,100k",
                        help="comma list from %s, used round-robin" % ",".join(SIZES))
    parser.add_argument("--mime-ratio", type=float, default=0.5,
                        help="fraction of MIME messages (0.5)")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for s in sizes:
        if s not in SIZES:
            parser.error("unknown size %r" % s)
    if not 0 < args.count <= 1000000:
        parser.error("--count must be 1..1000000")
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    total = 0
    for i in range(args.count):
        size_name = sizes[i % len(sizes)]
        mime = rng.random() < args.mime_ratio
        text = make_message(rng, i, size_name, mime)
        name = "%06d-%s-%s.eml" % (i, size_name, "mime" if mime else "plain")
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        total += len(text)
    print("gen_corpus: wrote %d messages, %d bytes, to %s" % (args.count, total, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
