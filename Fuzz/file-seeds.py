#!/usr/bin/env python3
"""Regenerates the seed corpora of the fuzz targets for the files keysweep reads (committed):

ignore-file/, gitleaks-config/, rule-file/: a valid file of each kind (rule-file/: the first
             rule of each family in Patterns/), TOML's corner cases, and the malformed inputs
             toml++ aborted on ('[?', 'e=[1,}').
report/:     JSON reports made by the keysweep binary given as the argument (default
             .build/debug/keysweep): a scan, a redacted scan, a blob shard; and each number
             `merge` once trusted (2^63-1, 9.3e18, 1e300, -1, shard counts -1 and 10^9) and an
             edited secret.
Usage: Fuzz/file-seeds.py [KEYSWEEP]   (Fuzz/seeds.py makes the content and pack-index corpora.)
"""
import hashlib, json, os, pathlib, shutil, subprocess, sys, tempfile

root = pathlib.Path(__file__).resolve().parent
corpus = root / "corpus"

def write(directory, data):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)

TOML_EDGES = [
    b"[?", b"e=[1,}", b"[[a]", b"a.=1", b"x = {a=1,}", b"x = '''a''''''", b'x = "\\uD800"',
    b"\xef\xbb\xbfa = 1\r\nb = 1979-05-27T07:32:00Z\nc = [1, 2.5, inf, 0x1F, 'x', {d.e = true}]\n",
    b"[" + b"a." * 200 + b"a]", b"x = " + b"[" * 300, b'a = """\nline\\\n  more"""\n',
]

IGNORE = (b'[[ignore]]\n# finding d35e142420085dc3\nrule = "aws-access-key-id"\n'
          b'hash = "hmac-sha256:00112233445566778899aabbccddeeff:' + b"ab" * 32 + b'"\n'
          b'reason = "rotated 2026-11-20"\npaths = ["tests/fixtures/**", "*.env"]\n')

GITLEAKS = b"""title = "seed"
[extend]
useDefault = true
[[rules]]
id = "my-token"
description = "My token"
regex = '''(?i)mytoken[_-]?([a-z0-9]{32})'''
secretGroup = 1
entropy = 3.5
keywords = ["mytoken"]
path = '''\\.env$'''
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''example''']
stopwords = ["dummy"]
condition = "AND"
[allowlist]
paths = ['''vendor/''']
commits = ["0123456789abcdef0123456789abcdef01234567"]
"""

def toml_files():
    seeds = {"ignore-file": [IGNORE], "gitleaks-config": [GITLEAKS], "rule-file": []}
    families = {}
    for path in sorted((root.parent / "Patterns").rglob("*.toml")):
        families.setdefault(path.parent, path)
    seeds["rule-file"] = [path.read_bytes() for path in families.values()]
    for name, files in seeds.items():
        directory = corpus / name
        shutil.rmtree(directory, ignore_errors=True)
        for data in files + TOML_EDGES:
            write(directory, data)

def reports(binary):
    directory = corpus / "report"
    shutil.rmtree(directory, ignore_errors=True)
    text = ("aws_access_key_id = AKIAZAVB57H55F3T4BKH\naws_secret_access_key = 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\n"
            "token = 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\n")
    def scan(*args, target="-"):
        out = subprocess.run([binary, "scan", target, "--format", "json", *args], input=text.encode(), capture_output=True)
        assert out.returncode in (0, 1), out.stderr
        return out.stdout
    plain = scan()
    write(directory, plain)
    write(directory, scan("--redact"))
    with tempfile.TemporaryDirectory() as tmp:
        pathlib.Path(tmp, "creds").write_text(text)
        write(directory, scan("--shard", "0/2", "--shard-by", "blobs", target=tmp))
    def edited(change, number=None):
        report = json.loads(plain)
        change(report)
        out = json.dumps(report, sort_keys=True)
        write(directory, (out.replace("987654321", number) if number else out).encode())
    edited(lambda r: r["stats"].update(commits=2**63 - 1))
    for number in ["9.3e18", "1e300", "-1"]:
        edited(lambda r: r["stats"].update(blobs=987654321), number)
    for count in [-1, 10**9]:
        edited(lambda r: r.update(shard={"index": 0, "count": count, "split": "targets", "planned": 1, "plan": "x", "placeholders": []}))
    edited(lambda r: r["findings"][0].update(secret="AKIAIOSFODNN7FORGED1"))

toml_files()
reports(os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else str(root.parent / ".build/debug/keysweep"))
