#!/usr/bin/python3
"""Generates the cross-implementation DKIM test vectors in generated/.

Run at test-data generation time only, never from CI:

    python3 tests/data/dkim/generate_vectors.py [--check-dns 127.0.0.1:PORT]

Signing uses dkimpy (Debian package python3-dkim, plus python3-nacl for
ed25519), so the vectors come from an implementation that is not ours. Keys are
created with openssl only when generated/keys/ lacks them; with the checked-in
keys the output is byte-for-byte reproducible (RSA PKCS#1 v1.5 and Ed25519
signatures are deterministic, and t=/x= are fixed below).

The expected results in manifest.json are written here by hand from RFC 6376,
RFC 8301 and RFC 8463, then cross-checked against dkimpy's own verifier; the
known disagreements (dkimpy accepts rsa-sha1) are listed in DKIMPY_DIFFERS and
documented in README.md. --check-dns additionally fetches every key record
from a running portcullis_test_dns_server loaded with the generated zone and
verifies through it, so the zone file's TXT splitting is checked too.
"""

import argparse
import base64
import json
import os
import subprocess
import sys

# The Debian module lives in /usr/lib/python3/dist-packages; a pyenv or venv
# python3 first on PATH does not see it, so re-run under the system one.
try:
    import dkim
    import dkim.canonicalization
    import nacl.encoding
    import nacl.signing
except ImportError:
    if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("needs dkimpy and PyNaCl: apt-get install -y python3-dkim python3-nacl")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "generated")
KEYS = os.path.join(OUT, "keys")

DOMAIN = b"dkim.example.test"
SUBDOMAIN = b"sub.dkim.example.test"

# Fixed signing time: 2023-11-14T22:13:20Z, matching the Date: headers.
T_SIGN = 1700000000
# Far-future expiry, 2100-01-01T00:00:00Z. Deliberately above 2^31: RFC 6376
# 3.5 says t= and x= SHOULD be handled as at least 40-bit integers.
X_FAR = 4102444800
# The expired case: one hour after signing.
X_EXPIRED = T_SIGN + 3600

RSA_KEYS = {"rsa2048": 2048, "rsa1024": 1024, "rsa512": 512}

# Cases where dkimpy 1.1.4 (with its default minkey=1024) does not agree with
# the RFC expectation; the value says why. Any other disagreement aborts.
DKIMPY_DIFFERS = {
    "rsa_sha1.eml": "dkimpy still verifies rsa-sha1; RFC 8301 3.1 says "
                    "verifiers MUST NOT consider rsa-sha1 signatures valid",
}


# ---------------------------------------------------------------- keys

def ensure_keys():
    os.makedirs(KEYS, exist_ok=True)
    for name, bits in RSA_KEYS.items():
        path = os.path.join(KEYS, name + ".pem")
        if not os.path.exists(path):
            # -traditional: PKCS#1 "RSA PRIVATE KEY", which dkimpy parses.
            subprocess.run(["openssl", "genrsa", "-traditional", "-out", path,
                            str(bits)], check=True, capture_output=True)
    for name in ("ed25519", "wrongtype"):
        path = os.path.join(KEYS, name + ".key")
        if not os.path.exists(path):
            seed = nacl.signing.SigningKey.generate().encode(
                encoder=nacl.encoding.Base64Encoder)
            with open(path, "wb") as f:
                f.write(seed + b"\n")


def rsa_private(name):
    with open(os.path.join(KEYS, name + ".pem"), "rb") as f:
        return f.read()


def rsa_public_b64(name):
    # SubjectPublicKeyInfo DER, what every DKIM signer publishes (RFC 6376
    # 3.6.1 says RSAPublicKey, errata 3017; verifiers accept SPKI).
    der = subprocess.run(["openssl", "rsa", "-in", os.path.join(KEYS, name + ".pem"),
                          "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return base64.b64encode(der)


def ed25519_private(name):
    with open(os.path.join(KEYS, name + ".key"), "rb") as f:
        return f.read().strip()


def ed25519_public_b64(name):
    # RFC 8463 4.2: p= is the raw 32-byte public key, base64.
    sk = nacl.signing.SigningKey(ed25519_private(name),
                                 encoder=nacl.encoding.Base64Encoder)
    return sk.verify_key.encode(encoder=nacl.encoding.Base64Encoder)


def key_records():
    """selector -> TXT record value (unsplit), for DOMAIN."""
    return {
        "rsa2048": b"v=DKIM1; k=rsa; p=" + rsa_public_b64("rsa2048"),
        "rsa1024": b"v=DKIM1; k=rsa; p=" + rsa_public_b64("rsa1024"),
        "rsa512": b"v=DKIM1; k=rsa; p=" + rsa_public_b64("rsa512"),
        "ed25519": b"v=DKIM1; k=ed25519; p=" + ed25519_public_b64("ed25519"),
        # RFC 6376 3.6.1: an empty p= means the key has been revoked.
        "revoked": b"v=DKIM1; k=rsa; p=",
        # An Ed25519 key published under the wrong key type.
        "wrongtype": b"v=DKIM1; k=rsa; p=" + ed25519_public_b64("wrongtype"),
    }


# ---------------------------------------------------------------- zone

def txt_strings(value):
    # RFC 1035 3.3: a character-string holds at most 255 octets; longer TXT
    # data is several strings, which RFC 6376 3.6.2.2 says to concatenate.
    parts = [value[i:i + 255] for i in range(0, len(value), 255)] or [b""]
    return " ".join('"%s"' % p.decode("ascii") for p in parts)


def write_zone(records):
    lines = [
        "; Test zone for the DKIM vectors. GENERATED by",
        "; tests/data/dkim/generate_vectors.py; do not edit by hand.",
        "; Key records are split into 255-octet character-strings (RFC 1035 3.3).",
        "$ORIGIN dkim.example.test.",
        "$TTL 300",
        "@\t3600\tIN SOA ns1.dkim.example.test. hostmaster.dkim.example.test. "
        "( 1 3600 600 86400 60 )",
        "\t\tIN NS ns1.dkim.example.test.",
        "\t\tIN MX 10 mail.dkim.example.test.",
        "ns1\t\tIN A 192.0.2.53",
        "mail\t\tIN A 192.0.2.25",
        "; The i= cases use this subdomain as the AUID domain (no key lives here).",
        "sub\t\tIN A 192.0.2.26",
        "; No record for selector nokey: missing_key.eml must see NXDOMAIN.",
    ]
    for sel, value in records.items():
        lines.append("%s._domainkey\tIN TXT %s" % (sel, txt_strings(value)))
    with open(os.path.join(OUT, "dkim.example.test.zone"), "w") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------- messages

DATE = b"Tue, 14 Nov 2023 22:13:20 +0000"


def plain_message(n, body=None):
    headers = [
        b"From: Alice Example <alice@dkim.example.test>",
        b"To: Bob Example <bob@example.net>",
        b"Subject: DKIM test vector " + str(n).encode(),
        b"Date: " + DATE,
        b"Message-ID: <vector-%d@dkim.example.test>" % n,
        b"MIME-Version: 1.0",
        b"Content-Type: text/plain; charset=utf-8",
        b"Content-Transfer-Encoding: 7bit",
    ]
    if body is None:
        body = (b"Hello Bob,\r\n\r\nThis is a plain-text DKIM test message.\r\n"
                b"It has  two spaces, a\ttab and trailing space   \r\n"
                b"\r\nRegards,\r\nAlice\r\n")
    return b"\r\n".join(headers) + b"\r\n\r\n" + body


def folded_message(n):
    # Folded headers with tabs and trailing spaces: relaxed header
    # canonicalization (RFC 6376 3.4.2) unfolds and compresses them.
    headers = [
        b"From: \"Alice  Example\"\t<alice@dkim.example.test>  ",
        b"To: Bob Example <bob@example.net>,\r\n\tCarol Example <carol@example.net>,  \r\n"
        b"   Dave Example <dave@example.net>",
        b"Subject:   A folded\r\n\t subject  line \t with\r\n  odd   whitespace   ",
        b"Date:\t" + DATE,
        b"Message-ID: <vector-%d@dkim.example.test>" % n,
        b"MIME-Version: 1.0",
        b"Content-Type: text/plain;\r\n\tcharset=\"us-ascii\";\r\n\tformat=flowed",
    ]
    body = (b"Body  with \t mixed   whitespace.  \r\n"
            b"Second line\t\r\n"
            b"\r\n")
    return b"\r\n".join(headers) + b"\r\n\r\n" + body


def multipart_message(n):
    headers = [
        b"From: Alice Example <alice@dkim.example.test>",
        b"To: Bob Example <bob@example.net>",
        b"Subject: Multipart DKIM test vector " + str(n).encode(),
        b"Date: " + DATE,
        b"Message-ID: <vector-%d@dkim.example.test>" % n,
        b"MIME-Version: 1.0",
        b"Content-Type: multipart/alternative;\r\n boundary=\"=_boundary_%d\"" % n,
    ]
    bnd = b"=_boundary_%d" % n
    body = (b"This is a multi-part message in MIME format.\r\n"
            b"\r\n--" + bnd + b"\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n"
            b"\r\n"
            b"Hello Bob, caf=C3=A9 at noon?  \r\n"
            b"\r\n--" + bnd + b"\r\n"
            b"Content-Type: text/html; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n"
            b"\r\n"
            b"<p>Hello Bob, caf=C3=A9 at noon?</p>\r\n"
            b"\r\n--" + bnd + b"--\r\n")
    return b"\r\n".join(headers) + b"\r\n\r\n" + body


# ---------------------------------------------------------------- signing

DEFAULT_H = [b"from", b"to", b"subject", b"date", b"message-id",
             b"mime-version", b"content-type"]


def sign(msg, selector, algorithm=b"rsa-sha256", key=None,
         canon=(b"relaxed", b"relaxed"), headers=None, domain=DOMAIN,
         identity=None, length=None, t=T_SIGN, x=X_FAR):
    """Returns the DKIM-Signature header (CRLF-terminated) for msg.

    Mirrors dkimpy's DKIM.sign() (same canonicalization, hashing and
    gen_header), but with fixed t=, an x= tag, an arbitrary i= and an l= that
    may be shorter than the body, none of which DKIM.sign() offers.
    length: None (no l=), "full" (l= the canonical body length) or an int.
    """
    d = dkim.DKIM(msg, signature_algorithm=algorithm, linesep=b"\r\n")
    if algorithm in (b"rsa-sha256", b"rsa-sha1"):
        pk = dkim.parse_pem_private_key(key)
    else:
        pk = nacl.signing.SigningKey(key, encoder=nacl.encoding.Base64Encoder)
    policy = dkim.canonicalization.CanonicalizationPolicy.from_c_value(
        b"/".join(canon))
    include = tuple(h.lower() for h in (headers or DEFAULT_H))
    body = policy.canonicalize_body(d.body)
    if length == "full":
        length = len(body)
    if length is not None:
        body = body[:length]
    d.hasher = dkim.HASH_ALGORITHMS[algorithm]
    bh = base64.b64encode(d.hasher(body).digest())
    fields = [
        (b"v", b"1"),
        (b"a", algorithm),
        (b"c", policy.to_c_value()),
        (b"d", domain),
        (b"i", identity) if identity is not None else None,
        (b"l", str(length).encode()) if length is not None else None,
        (b"q", b"dns/txt"),
        (b"s", selector.encode()),
        (b"t", str(t).encode()),
        (b"x", str(x).encode()) if x is not None else None,
        # " : " as dkimpy uses: fold() then breaks lines at the spaces, never
        # inside a header name (RFC 6376 3.5 h= allows FWS only around ":").
        (b"h", b" : ".join(include)),
        (b"bh", bh),
        (b"b", b"0" * 60),  # placeholder; gen_header signs with b= empty
    ]
    fields = [f for f in fields if f]
    value = d.gen_header(fields, include, policy, b"DKIM-Signature", pk)
    return b"DKIM-Signature: " + value


def rsa(sel="rsa2048"):
    return dict(selector=sel, algorithm=b"rsa-sha256", key=rsa_private(sel))


def ed(sel="ed25519"):
    return dict(selector=sel, algorithm=b"ed25519-sha256",
                key=ed25519_private(sel))


def prepend(sig, msg):
    return sig + msg


def sig(selector, algorithm, result, reason="", domain=DOMAIN, acceptable=None):
    return {"domain": domain.decode(), "selector": selector,
            "algorithm": algorithm if isinstance(algorithm, str) else algorithm.decode(),
            "result": result, "acceptable": acceptable or [result],
            "reason_contains": reason}


# ---------------------------------------------------------------- cases

def build_cases():
    """Returns [(file, message bytes, manifest entry without 'file')]."""
    cases = []
    n = [0]

    def add(file, msg, sigs, result, purpose, acceptable=None):
        assert b"\n" not in msg.replace(b"\r\n", b""), file + ": bare LF"
        cases.append((file, msg, {
            "signatures": sigs, "result": result,
            "acceptable": acceptable or [result], "purpose": purpose}))

    def nextn():
        n[0] += 1
        return n[0]

    # --- canonicalization x algorithm matrix (RFC 6376 3.4, RFC 8463).
    shapes = [plain_message, multipart_message, folded_message]
    i = 0
    for hc in (b"simple", b"relaxed"):
        for bc in (b"simple", b"relaxed"):
            for keyname, k in (("rsa2048", rsa()), ("ed25519", ed())):
                msg = shapes[i % len(shapes)](nextn())
                i += 1
                s = sign(msg, canon=(hc, bc), **k)
                file = "matrix_%s_%s_%s.eml" % (hc.decode(), bc.decode(), keyname)
                add(file, s + msg, [sig(k["selector"], k["algorithm"], "pass")],
                    "pass", "c=%s/%s with %s on a %s message" % (
                        hc.decode(), bc.decode(), k["algorithm"].decode(),
                        shapes[(i - 1) % len(shapes)].__name__.replace("_message", "")))

    # --- l= body length (RFC 6376 3.5 l=, 8.2).
    msg = plain_message(nextn())
    s = sign(msg, length="full", **rsa())
    footer = b"\r\n-- \r\nlist footer appended in transit\r\n"
    add("length_appended.eml", s + msg + footer,
        [sig("rsa2048", "rsa-sha256", "pass")], "pass",
        "l= covers the whole body at signing; a footer appended afterwards is "
        "outside l= and must not break the signature")
    msg = plain_message(nextn())
    s = sign(msg, length=20, canon=(b"relaxed", b"simple"), **rsa())
    add("length_partial.eml", s + msg, [sig("rsa2048", "rsa-sha256", "pass")],
        "pass", "l=20 signs only the first 20 octets of the canonical body; the "
        "rest of the body is unsigned")
    tampered = msg.replace(b"Hello Bob,", b"Hello Eve,")
    add("length_partial_altered.eml", s + tampered,
        [sig("rsa2048", "rsa-sha256", "fail", "body hash")], "fail",
        "as length_partial, but text inside the first l= octets was changed")

    # --- over-signing (RFC 6376 5.4.2, 8.15).
    msg = plain_message(nextn())
    h = [b"from", b"from", b"to", b"subject", b"date", b"message-id",
         b"reply-to", b"reply-to", b"mime-version", b"content-type"]
    s = sign(msg, headers=h, **rsa())
    add("oversigned.eml", s + msg, [sig("rsa2048", "rsa-sha256", "pass")],
        "pass", "h= lists From twice (one From present) and Reply-To, which is "
        "absent; instances h= names but the header lacks contribute nothing "
        "(RFC 6376 5.4, 5.4.2)")
    extra_from = msg.replace(b"To: ", b"From: Mallory <mallory@evil.example>\r\nTo: ", 1)
    add("oversigned_from_added.eml", s + extra_from,
        [sig("rsa2048", "rsa-sha256", "fail", "signature")], "fail",
        "oversigned.eml with a second From added after signing below the "
        "first: the second h= From now selects it, so the header hash changes")
    extra_rt = msg.replace(b"MIME-Version:", b"Reply-To: mallory@evil.example\r\nMIME-Version:", 1)
    add("oversigned_absent_added.eml", s + extra_rt,
        [sig("rsa2048", "rsa-sha256", "fail", "signature")], "fail",
        "oversigned.eml with a Reply-To added after signing; h= listed it "
        "while it was absent, so adding it breaks the signature")

    # --- folded headers and odd whitespace under relaxed (RFC 6376 3.4.2, 3.4.4).
    msg = folded_message(nextn())
    s = sign(msg, canon=(b"relaxed", b"relaxed"), **rsa())
    add("relaxed_whitespace.eml", s + msg, [sig("rsa2048", "rsa-sha256", "pass")],
        "pass", "folded From/To/Subject/Content-Type with tabs and trailing "
        "spaces, c=relaxed/relaxed")
    refolded = (msg.replace(b"Subject:   A folded\r\n\t subject  line \t with\r\n  odd   whitespace   ",
                            b"Subject: A folded subject line\r\n with odd whitespace")
                .replace(b"Body  with \t mixed", b"Body with mixed"))
    assert refolded != msg
    add("relaxed_refolded.eml", s + refolded, [sig("rsa2048", "rsa-sha256", "pass")],
        "pass", "relaxed_whitespace.eml with Subject refolded and body "
        "whitespace runs changed in transit: relaxed canonicalization still matches")
    s2 = sign(msg, canon=(b"simple", b"simple"), **rsa())
    add("simple_refolded.eml", s2 + refolded,
        [sig("rsa2048", "rsa-sha256", "fail", "body hash")], "fail",
        "same whitespace change under c=simple/simple: the body hash no longer "
        "matches (the Subject change alone would also break b=)")

    # --- multiple signatures (RFC 6376 4, 6.1; RFC 8463 6 dual signing).
    msg = multipart_message(nextn())
    s_r = sign(msg, **rsa())
    s_e = sign(msg, **ed())
    add("multiple_both_good.eml", s_e + s_r + msg,
        [sig("ed25519", "ed25519-sha256", "pass"), sig("rsa2048", "rsa-sha256", "pass")],
        "pass", "RSA and Ed25519 signatures on one message (RFC 8463 dual "
        "signing); both verify")
    # Flip one base64 character of b= (the last tag), keeping its length.
    pos = s_e.rindex(b"b=") + 10
    bad = s_e[:pos] + (b"B" if s_e[pos:pos + 1] != b"B" else b"C") + s_e[pos + 1:]
    add("multiple_one_bad.eml", bad + s_r + msg,
        [sig("ed25519", "ed25519-sha256", "fail", "signature"),
         sig("rsa2048", "rsa-sha256", "pass")],
        "pass", "topmost Ed25519 signature has a corrupted b=, the RSA one is "
        "good: the message has a passing signature")

    # --- key sizes and algorithms (RFC 8301).
    msg = plain_message(nextn())
    add("rsa1024.eml", sign(msg, **rsa("rsa1024")) + msg,
        [sig("rsa1024", "rsa-sha256", "pass")], "pass",
        "1024-bit RSA key: the minimum RFC 8301 3.2 allows")
    msg = plain_message(nextn())
    weak = ["fail", "permerror", "policy"]
    add("rsa512.eml", sign(msg, **rsa("rsa512")) + msg,
        [sig("rsa512", "rsa-sha256", "fail", "512", acceptable=weak)], "fail",
        "512-bit RSA key, cryptographically valid: RFC 8301 3.2 says verifiers "
        "MUST NOT consider keys under 1024 bits valid", acceptable=weak)
    msg = plain_message(nextn())
    k = rsa()
    k["algorithm"] = b"rsa-sha1"
    add("rsa_sha1.eml", sign(msg, **k) + msg,
        [sig("rsa2048", "rsa-sha1", "fail", "sha1", acceptable=weak)], "fail",
        "rsa-sha1 with a 2048-bit key, cryptographically valid: RFC 8301 3.1 "
        "says verifiers MUST NOT consider rsa-sha1 signatures valid", acceptable=weak)

    # --- key record problems (RFC 6376 6.1.2).
    keyerr = ["permerror", "fail"]
    msg = plain_message(nextn())
    add("revoked.eml", sign(msg, selector="revoked", algorithm=b"rsa-sha256",
                            key=rsa_private("rsa2048")) + msg,
        [sig("revoked", "rsa-sha256", "permerror", "revoked", acceptable=keyerr)],
        "permerror", "key record with empty p= (RFC 6376 3.6.1: revoked): "
        "PERMFAIL (key revoked)", acceptable=keyerr)
    msg = plain_message(nextn())
    add("wrong_key_type.eml", sign(msg, selector="wrongtype", algorithm=b"ed25519-sha256",
                                   key=ed25519_private("wrongtype")) + msg,
        [sig("wrongtype", "ed25519-sha256", "permerror", "key", acceptable=keyerr)],
        "permerror", "a=ed25519-sha256 but the key record says k=rsa (holding "
        "the Ed25519 key): PERMFAIL (inappropriate key algorithm), RFC 6376 6.1.2 step 6",
        acceptable=keyerr)
    msg = plain_message(nextn())
    add("missing_key.eml", sign(msg, selector="nokey", algorithm=b"rsa-sha256",
                                key=rsa_private("rsa2048")) + msg,
        [sig("nokey", "rsa-sha256", "permerror", "key", acceptable=keyerr)],
        "permerror", "selector nokey has no TXT record (NXDOMAIN): PERMFAIL "
        "(no key for signature), RFC 6376 6.1.2 step 3", acceptable=keyerr)

    # --- signature tags (RFC 6376 3.5, 6.1.1).
    msg = plain_message(nextn())
    add("expired.eml", sign(msg, x=X_EXPIRED, **rsa()) + msg,
        [sig("rsa2048", "rsa-sha256", "fail", "expired", acceptable=keyerr)], "fail",
        "x= one hour after t= (2023): the signature has expired (RFC 6376 3.5 "
        "x=, 6.1.1 PERMFAIL (signature expired))", acceptable=keyerr)
    msg = plain_message(nextn())
    add("identity_subdomain.eml",
        sign(msg, identity=b"alice@" + SUBDOMAIN, **rsa()) + msg,
        [sig("rsa2048", "rsa-sha256", "pass")], "pass",
        "i=alice@sub.dkim.example.test, a subdomain of d= (RFC 6376 3.5 i=)")
    msg = plain_message(nextn())
    add("identity_subdomain_ed25519.eml",
        sign(msg, identity=b"@" + SUBDOMAIN, **ed()) + msg,
        [sig("ed25519", "ed25519-sha256", "pass")], "pass",
        "i=@sub.dkim.example.test (empty local-part) with Ed25519")
    msg = plain_message(nextn())
    add("identity_mismatch.eml",
        sign(msg, identity=b"alice@example.net", **rsa()) + msg,
        [sig("rsa2048", "rsa-sha256", "permerror", "domain", acceptable=keyerr)],
        "permerror", "i= domain is not d= nor a subdomain of it: PERMFAIL "
        "(domain mismatch), RFC 6376 6.1.1", acceptable=keyerr)

    # --- tampering after signing.
    msg = plain_message(nextn())
    s = sign(msg, **rsa())
    add("altered_body.eml", s + msg.replace(b"Regards,", b"Regards, send money,"),
        [sig("rsa2048", "rsa-sha256", "fail", "body hash")], "fail",
        "one body line changed after signing: body hash mismatch (RFC 6376 6.1.3)")
    msg = plain_message(nextn())
    s = sign(msg, **ed())
    add("altered_body_ed25519.eml", s + msg.replace(b"Regards,", b"Regards, send money,"),
        [sig("ed25519", "ed25519-sha256", "fail", "body hash")], "fail",
        "as altered_body.eml, Ed25519")
    msg = plain_message(nextn())
    s = sign(msg, **rsa())
    add("altered_subject.eml", s + msg.replace(b"Subject: DKIM", b"Subject: URGENT DKIM"),
        [sig("rsa2048", "rsa-sha256", "fail", "signature")], "fail",
        "signed Subject changed after signing: body hash fine, b= does not verify")
    msg = plain_message(nextn())
    s = sign(msg, **ed())
    add("altered_subject_ed25519.eml", s + msg.replace(b"Subject: DKIM", b"Subject: URGENT DKIM"),
        [sig("ed25519", "ed25519-sha256", "fail", "signature")], "fail",
        "as altered_subject.eml, Ed25519")
    msg = plain_message(nextn())
    s = sign(msg, **rsa())
    add("unsigned_header_added.eml",
        s + msg.replace(b"MIME-Version:", b"X-Mailing-List: added@example.net\r\nMIME-Version:"),
        [sig("rsa2048", "rsa-sha256", "pass")], "pass",
        "a header not in h= added after signing does not matter")
    add("unsigned.eml", plain_message(nextn()), [], "none",
        "no DKIM-Signature at all (RFC 8601 2.7.1 none)")

    # --- body edge cases (RFC 6376 3.4.3, 3.4.4).
    for bc in (b"simple", b"relaxed"):
        c = bc.decode()
        msg = plain_message(nextn(), body=b"Body with trailing empty lines.\r\n\r\n\r\n\r\n")
        s = sign(msg, canon=(b"relaxed", bc), **rsa())
        add("trailing_empty_lines_%s.eml" % c, s + msg,
            [sig("rsa2048", "rsa-sha256", "pass")], "pass",
            "body ends in three empty lines, ignored by %s body canonicalization" % c)
        add("trailing_empty_lines_added_%s.eml" % c, s + msg + b"\r\n\r\n",
            [sig("rsa2048", "rsa-sha256", "pass")], "pass",
            "trailing_empty_lines_%s.eml with two more empty lines appended in "
            "transit: still ignored" % c)
        msg = plain_message(nextn(), body=b"Line one.\r\nLast line without CRLF")
        s = sign(msg, canon=(b"relaxed", bc), **rsa())
        add("no_final_crlf_%s.eml" % c, s + msg,
            [sig("rsa2048", "rsa-sha256", "pass")], "pass",
            "body does not end with CRLF; %s canonicalization adds one "
            "(RFC 6376 3.4.3/3.4.4)" % c)
        msg = plain_message(nextn(), body=b"")
        s = sign(msg, canon=(b"relaxed", bc), **rsa())
        add("empty_body_%s.eml" % c, s + msg,
            [sig("rsa2048", "rsa-sha256", "pass")], "pass",
            "empty body; %s" % ("simple: hashes a single CRLF (RFC 6376 3.4.3)"
                                if bc == b"simple" else
                                "relaxed: hashes the empty string (RFC 6376 3.4.4)"))
    return cases


# ---------------------------------------------------------------- checking

def dkimpy_verdicts(msg, txt_lookup):
    """One True/False per DKIM-Signature, in header order, as dkimpy sees it."""
    d = dkim.DKIM(msg)
    count = sum(1 for name, _ in d.headers if name.lower() == b"dkim-signature")
    out = []
    for idx in range(count):
        d = dkim.DKIM(msg, minkey=1024)
        try:
            out.append(bool(d.verify(idx=idx, dnsfunc=txt_lookup)))
        except dkim.DKIMException:
            out.append(False)
    return out


def local_lookup(records):
    def lookup(name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        suffix = "._domainkey." + DOMAIN.decode() + "."
        if not name.endswith(suffix):
            return None
        return records.get(name[:-len(suffix)])
    return lookup


def dns_lookup(server):
    import dns.resolver
    host, port = server.rsplit(":", 1)
    res = dns.resolver.Resolver(configure=False)
    res.nameservers = [host]
    res.port = int(port)

    def lookup(name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        try:
            ans = res.resolve(name, "TXT", lifetime=timeout)
        except dns.resolver.NXDOMAIN:
            return None
        return b"".join(b"".join(r.strings) for r in ans)
    return lookup


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check-dns", metavar="ADDR:PORT",
                    help="also verify through a running test DNS server")
    args = ap.parse_args()

    ensure_keys()
    records = key_records()
    write_zone(records)
    cases = build_cases()

    lookups = [("local", local_lookup(records))]
    if args.check_dns:
        lookups.append(("dns " + args.check_dns, dns_lookup(args.check_dns)))
        for sel, value in records.items():
            got = lookups[-1][1]("%s._domainkey.%s." % (sel, DOMAIN.decode()))
            assert got == value, "zone record %s: got %r, want %r" % (sel, got, value)

    for old in os.listdir(OUT):
        if old.endswith(".eml"):
            os.remove(os.path.join(OUT, old))
    manifest = []
    problems = []
    for file, msg, entry in cases:
        with open(os.path.join(OUT, file), "wb") as f:
            f.write(msg)
        want = [s["result"] == "pass" for s in entry["signatures"]]
        for label, lookup in lookups:
            got = dkimpy_verdicts(msg, lookup)
            if got != want:
                if file in DKIMPY_DIFFERS:
                    entry["dkimpy_differs"] = DKIMPY_DIFFERS[file]
                else:
                    problems.append("%s (%s): dkimpy says %s, manifest says %s"
                                    % (file, label, got, want))
            elif file in DKIMPY_DIFFERS:
                problems.append("%s: expected a dkimpy disagreement, none seen" % file)
        manifest.append(dict(file=file, **entry))
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    if problems:
        sys.exit("dkimpy disagrees with the manifest:\n  " + "\n  ".join(problems))
    print("wrote %d vectors to %s (dkimpy agrees except: %s)"
          % (len(manifest), OUT, ", ".join(sorted(DKIMPY_DIFFERS))))


if __name__ == "__main__":
    main()
