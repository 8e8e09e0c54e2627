#!/usr/bin/python3
"""Generates the ARC test vectors of tests/data/arc/generated/ with dkimpy.

Run at data-generation time only (never in CI):

    apt-get install -y python3-dkim python3-authres    # once, as root
    python3 tests/data/arc/generate_vectors.py

Writes generated/*.eml, generated/arc.example.test.zone and
generated/manifest.json. The expected results in the manifest are written
from RFC 8617 5.2 (see README.md), not from any verifier; each vector is
also verified with dkimpy's arc_verify and the script exits non-zero when
dkimpy disagrees. Keys are created with openssl only when generated/keys/
lacks them; t= is fixed, and RSA PKCS#1 v1.5 is deterministic, so reruns
are byte-identical.
"""
import base64
import json
import os
import re
import subprocess
import sys

if sys.executable != "/usr/bin/python3":
    try:
        import dkim  # noqa: F401
        import authres  # noqa: F401
    except ImportError:
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)

import dkim
from dkim.canonicalization import Relaxed as RelaxedCanonicalization
from dkim.crypto import RSASSA_PKCS1_v1_5_sign, parse_pem_private_key
import hashlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "generated")
KEYS = os.path.join(OUT, "keys")
ZONE_ORIGIN = "arc.example.test"
TIMESTAMP = 1700000000

# Two sealers: the first receiving MTA and a mailing list that rewrites the
# message and reseals it.
SEALERS = {
    "first": {"domain": "sealer1.arc.example.test", "selector": "s1", "key": "sealer1.pem",
              "srv_id": "mx.sealer1.arc.example.test"},
    "list": {"domain": "list.arc.example.test", "selector": "s2", "key": "list.pem",
             "srv_id": "mx.list.arc.example.test"},
}

BASE = (b"From: Alice <alice@origin.example.test>\r\n"
        b"To: list@list.arc.example.test\r\n"
        b"Subject: ARC test message\r\n"
        b"Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
        b"Message-ID: <arc-test@origin.example.test>\r\n"
        b"\r\n"
        b"Hello list,\r\n"
        b"\r\n"
        b"this message travels through a mailing list.\r\n")


def key_path(name):
    return os.path.join(KEYS, name)


def ensure_keys():
    os.makedirs(KEYS, exist_ok=True)
    for sealer in SEALERS.values():
        path = key_path(sealer["key"])
        if not os.path.exists(path):
            subprocess.run(["openssl", "genrsa", "-traditional", "-out", path, "2048"], check=True,
                           stderr=subprocess.DEVNULL)


def public_record(sealer):
    der = subprocess.run(["openssl", "rsa", "-in", key_path(sealer["key"]), "-pubout",
                          "-outform", "DER"], check=True, capture_output=True).stdout
    return "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()


def records():
    out = {}
    for sealer in SEALERS.values():
        out[sealer["selector"] + "._domainkey." + sealer["domain"]] = public_record(sealer)
    return out


def seal(message, who, results):
    """Adds an Authentication-Results for `who` and lets dkimpy seal."""
    sealer = SEALERS[who]
    ar = b"Authentication-Results: " + sealer["srv_id"].encode() + b"; " + results + b"\r\n"
    message = ar + message
    with open(key_path(sealer["key"]), "rb") as f:
        key = f.read()
    arc_set = dkim.arc_sign(message, sealer["selector"].encode(), sealer["domain"].encode(), key,
                            sealer["srv_id"].encode(), timestamp=TIMESTAMP)
    if not arc_set:
        raise SystemExit("dkimpy refused to seal for " + who)
    return b"".join(arc_set) + message


def split(message):
    head, body = message.split(b"\r\n\r\n", 1)
    fields = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            fields[-1] += b"\r\n" + line
        else:
            fields.append(line)
    return fields, body


def join(fields, body):
    return b"\r\n".join(fields) + b"\r\n\r\n" + body


def instance_of(field):
    m = re.search(rb"(?:^|;)\s*i\s*=\s*(\d+)", field.split(b":", 1)[1])
    return int(m.group(1)) if m else None


def name_of(field):
    return field.split(b":", 1)[0].strip().lower()


def reseal(message, instance, cv, who):
    """Rewrites cv= of ARC-Seal i=`instance` and signs it again ourselves
    (RFC 8617 5.1.1: AAR, AMS, AS of sets 1..i in order, relaxed, the AS
    being signed last with an empty b= and no trailing CRLF). dkimpy
    refuses to seal a wrong cv, which is exactly what this vector needs."""
    sealer = SEALERS[who]
    fields, body = split(message)
    index = next(n for n, f in enumerate(fields)
                 if name_of(f) == b"arc-seal" and instance_of(f) == instance)
    fields[index] = re.sub(rb"cv=[a-z]+", b"cv=" + cv, fields[index])
    fields[index] = re.sub(rb"b=[^;]*$", b"b=", fields[index])
    order = [b"arc-authentication-results", b"arc-message-signature", b"arc-seal"]
    data = b""
    for i in range(1, instance + 1):
        for name in order:
            field = next(f for f in fields if name_of(f) == name and instance_of(f) == i)
            n, v = field.split(b":", 1)
            (cn, cvalue), = RelaxedCanonicalization.canonicalize_headers([(n, v + b"\r\n")])
            data += cn + b":" + cvalue
    data = data[:-2]
    with open(key_path(sealer["key"]), "rb") as f:
        key = parse_pem_private_key(f.read())
    signature = RSASSA_PKCS1_v1_5_sign(hashlib.sha256(data), key)
    fields[index] += base64.b64encode(signature)
    return join(fields, body)


def drop(message, name, instance):
    fields, body = split(message)
    fields = [f for f in fields if not (name_of(f) == name and instance_of(f) == instance)]
    return join(fields, body)


def edit_field(message, name, instance, old, new):
    fields, body = split(message)
    for n, f in enumerate(fields):
        if name_of(f) == name and instance_of(f) == instance:
            assert old in f, (name, old)
            fields[n] = f.replace(old, new, 1)
    return join(fields, body)


def build():
    first = seal(BASE, "first", b"spf=pass smtp.mailfrom=origin.example.test")
    # The list rewrites subject and body (after the first seal), then
    # reseals with cv=pass because it found the chain valid.
    fields, body = split(first)
    fields = [f.replace(b"Subject: ARC test", b"Subject: [list] ARC test") for f in fields]
    listed = join(fields, body + b"-- \r\nlist footer\r\n")
    second = seal(listed, "list", b"arc=pass; spf=pass smtp.mailfrom=list.arc.example.test")
    chain2 = "sealer1.arc.example.test:list.arc.example.test"
    vectors = [
        ("unsealed.eml", BASE, "none", "", "", "no ARC header fields"),
        ("one_instance.eml", first, "pass", "sealer1.arc.example.test", "",
         "one ARC set, cv=none, everything intact"),
        ("two_instances.eml", second, "pass", chain2, "",
         "a list changed subject and body after the first seal and resealed with cv=pass; "
         "only the newest AMS must verify (RFC 8617 5.2 step 4)"),
        ("broken_seal.eml", edit_field(second, b"arc-seal", 2, b"t=1700000000", b"t=1700000001"),
         "fail", "", "ARC-Seal i=2", "t= of ARC-Seal i=2 changed after sealing"),
        ("cv_wrong.eml", reseal(first, 1, b"pass", "first"), "fail", "", "cv",
         "instance 1 says cv=pass (RFC 8617 5.1.1: must be none); the seal itself is valid"),
        ("cv_fail.eml", seal(listed, "list", b"arc=fail; spf=pass smtp.mailfrom=list.arc.example.test"),
         "fail", "", "cv=fail", "the newest seal says cv=fail (RFC 8617 5.2 step 2)"),
        ("missing_ams.eml", drop(second, b"arc-message-signature", 1), "fail", "", "ARC-Message-Signature",
         "ARC-Message-Signature i=1 removed: the set is incomplete (RFC 8617 5.1.1)"),
        ("modified_after_seal.eml", second.replace(b"list footer", b"list footer, altered"), "fail", "",
         "ARC-Message-Signature i=2", "body changed after the last seal: the newest AMS body hash fails"),
    ]
    return vectors


def dkimpy_result(message, zone):
    def dnsfunc(name, timeout=5):
        text = zone.get(name.decode().rstrip("."))
        return text.encode() if text else None
    cv, _, reason = dkim.arc_verify(message, dnsfunc=dnsfunc)
    return (cv or b"fail").decode(), reason


def main():
    ensure_keys()
    zone = records()
    failures = 0
    manifest = []
    for name, message, result, chain, reason, description in build():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(message)
        got, why = dkimpy_result(message, zone)
        if got != result:
            print("dkimpy disagrees on %s: got %s (%s), want %s" % (name, got, why, result))
            failures += 1
        entry = {"file": name, "result": result, "description": description}
        if chain:
            entry["chain"] = chain
        if reason:
            entry["reason_contains"] = reason
        manifest.append(entry)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    with open(os.path.join(OUT, ZONE_ORIGIN + ".zone"), "w") as f:
        f.write("$ORIGIN %s.\n$TTL 300\n" % ZONE_ORIGIN)
        f.write("@ IN SOA ns.%s. hostmaster.%s. 1 3600 600 86400 300\n" % (ZONE_ORIGIN, ZONE_ORIGIN))
        for owner, text in sorted(zone.items()):
            label = owner[: -len(ZONE_ORIGIN) - 1]
            chunks = " ".join('"%s"' % text[i:i + 255] for i in range(0, len(text), 255))
            f.write("%s IN TXT %s\n" % (label, chunks))
    print("wrote %d vectors; dkimpy disagreements: %d" % (len(manifest), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
