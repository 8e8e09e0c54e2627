#!/usr/bin/python3
"""Sign a benchmark corpus (bench/corpus/gen_corpus.py output) with DKIM.

For each .eml in --in: drops the generator's fake DKIM-Signature and its
Authentication-Results (a receiving MX strips foreign A-R anyway), rewrites
the From: address to the signing domain so that DMARC aligns (the load
generator's envelope sender is sender@example.org), converts to CRLF and
prepends a real rsa-sha256 relaxed/relaxed DKIM-Signature (d=--domain,
s=--selector) made with dkimpy. The first signed message is verified with
dkimpy against the key's public half before anything else is written.

Bench-time dependency only: dkimpy (Debian: python3-dkim, hence
/usr/bin/python3 rather than a virtualenv's python3). The product never
uses it. Deterministic apart from t= (dkimpy stamps the signing time).
"""

import argparse
import os
import re
import sys

try:
    import dkim
except ImportError:  # pragma: no cover - environment problem, not a bug
    sys.exit("sign_corpus: needs dkimpy (apt-get install python3-dkim; run with /usr/bin/python3)")

HERE = os.path.dirname(os.path.abspath(__file__))
# The fields signed, oversigning From (RFC 6376 8.15: a second From added in
# transit then breaks the signature).
SIGNED = [b"from", b"from", b"to", b"subject", b"date", b"message-id",
          b"mime-version", b"content-type", b"list-unsubscribe"]
DROP = {"dkim-signature", "authentication-results"}
# Header section of a generated message: LF lines, folds start with WSP.
FROM_ADDRESS = re.compile(r"<([^@<>\s]+)@[^<>\s]+>")


def split_fields(head):
    """Header section -> list of (name, full field text including folds)."""
    fields = []
    for line in head.split("\n"):
        if line[:1] in (" ", "\t") and fields:
            fields[-1] = (fields[-1][0], fields[-1][1] + "\n" + line)
        elif line:
            fields.append((line.split(":", 1)[0].strip().lower(), line))
    return fields


def rewrite(text, domain):
    head, sep, body = text.partition("\n\n")
    if not sep:
        raise ValueError("no end of header section")
    out = []
    for name, field in split_fields(head):
        if name in DROP:
            continue
        if name == "from":
            field, n = FROM_ADDRESS.subn(lambda m: "<%s@%s>" % (m.group(1), domain), field)
            if n != 1:
                raise ValueError("From: without exactly one <address>: %r" % field)
        out.append(field)
    message = "\n".join(out) + "\n\n" + body
    return message.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def public_key_record(zone_path, selector):
    """The TXT text of SELECTOR._domainkey in the zone, strings joined."""
    with open(zone_path, encoding="ascii") as f:
        for line in f:
            if line.startswith(selector + "._domainkey"):
                return "".join(re.findall(r'"([^"]*)"', line)).encode("ascii")
    raise ValueError("%s._domainkey not in %s" % (selector, zone_path))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--in", dest="src", required=True, help="corpus directory (gen_corpus.py)")
    parser.add_argument("--out", required=True, help="directory for the signed .eml files")
    parser.add_argument("--domain", default="example.org", help="d= and From: domain (example.org)")
    parser.add_argument("--selector", default="bench", help="s= (bench)")
    parser.add_argument("--key", default=os.path.join(HERE, "bench-rsa2048.pem"),
                        help="PEM private key (bench/dkim/bench-rsa2048.pem)")
    parser.add_argument("--zone", default=os.path.join(HERE, "example.org.zone"),
                        help="zone holding the public key, for the self-check")
    args = parser.parse_args(argv)

    with open(args.key, "rb") as f:
        key = f.read()
    record = public_key_record(args.zone, args.selector)
    names = sorted(n for n in os.listdir(args.src) if n.endswith(".eml"))
    if not names:
        sys.exit("sign_corpus: no .eml files in %s" % args.src)
    os.makedirs(args.out, exist_ok=True)
    total = 0
    for index, name in enumerate(names):
        with open(os.path.join(args.src, name), encoding="utf-8") as f:
            message = rewrite(f.read(), args.domain)
        signature = dkim.sign(message, args.selector.encode(), args.domain.encode(), key,
                              canonicalize=(b"relaxed", b"relaxed"),
                              include_headers=SIGNED, linesep=b"\r\n")
        signed = signature + message
        if index == 0:
            expected = ("%s._domainkey.%s." % (args.selector, args.domain)).encode()
            def dnsfunc(qname, timeout=5):
                return record if qname == expected else None
            if not dkim.verify(signed, dnsfunc=dnsfunc):
                sys.exit("sign_corpus: %s does not verify against %s" % (name, args.zone))
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(signed)
        total += len(signed)
    print("sign_corpus: signed %d messages, %d bytes, d=%s s=%s, to %s"
          % (len(names), total, args.domain, args.selector, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
