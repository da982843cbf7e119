#!/usr/bin/env python3
"""Regenerates the fuzz targets' seed corpora in Fuzz/corpus/ (committed; rerun after adding rules).

content/:    every rule's `examples` and `counter_examples` (Patterns/**/*.toml), one file each,
             plus a few inputs for the decodings and the pairing.
pack-index/: real packs made by git (plain, with offset deltas, with reference deltas, with
             64-bit offsets), each as the pack-index target reads its input: two bytes
             (little-endian) giving the pack's length, the .idx, then the .pack.
"""
import base64, hashlib, os, pathlib, shutil, subprocess, tempfile, tomllib

root = pathlib.Path(__file__).resolve().parent
corpus = root / "corpus"

def write(directory, data):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)

def content():
    directory = corpus / "content"
    shutil.rmtree(directory, ignore_errors=True)
    for path in sorted((root.parent / "Patterns").rglob("*.toml")):
        for rule in tomllib.loads(path.read_text()).get("rule", []):
            for text in rule.get("examples", []) + rule.get("counter_examples", []):
                write(directory, text.encode())
    key_id, secret = "AKIAZAVB57H55F3T4BKH", "Wl3KDyoGBK7cxaXmtsF9/BiW1n2pqbsJ4UHb8R2d"
    pair = f"aws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"
    write(directory, pair.encode())
    write(directory, pair.encode("utf-16-le"))
    write(directory, f"creds = '{base64.b64encode(pair.encode()).decode()}'\n".encode())
    write(directory, f"url=s3%3A%2F%2F{key_id}%3A{secret.replace('/', '%2F')}%40bucket\n".encode())
    write(directory, ("{\"secret\": \"" + secret.replace("/", "\\/") + "\", \"id\": \"" + key_id + "\"}\n").encode())
    write(directory, b"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA" + b"A" * 64 + b"\n-----END RSA PRIVATE KEY-----\n")
    for seed in containers(pair.encode()):
        write(directory, seed)

def containers(text):
    """Content the policy opens or reads specially: a coloured log line, NUL-separated text, a
    binary property list, a PDF with a compressed stream, cpio and ar archives."""
    import plistlib, zlib
    yield b"\x1b[32mINFO\x1b[0m id=\x1b[0m" + text.replace(b"\n", b"\x1b[0m\n")
    yield text.replace(b"\n", b"\0")
    yield plistlib.dumps(dict(line.split(" = ") for line in text.decode().splitlines()), fmt=plistlib.FMT_BINARY)
    stream = zlib.compress(b"BT (" + text + b") Tj ET")
    yield b"%%PDF-1.4\n3 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream\nendobj\n%%%%EOF\n"
    name = b"etc/app.conf\0"
    yield (b"070701" + b"".join(b"%08X" % v for v in [1, 0o100644, 0, 0, 1, 0, len(text), 0, 0, 0, 0, len(name), 0])
           + name + b"\0" * (-(110 + len(name)) % 4) + text + b"\0" * (-len(text) % 4))
    yield b"!<arch>\n" + b"app.conf/".ljust(16) + b"0".ljust(12) + b"0".ljust(6) + b"0".ljust(6) + b"644".ljust(8) + b"%-10d`\n" % len(text) + text

def git(repo, *args, **kwargs):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, **kwargs).stdout

def packs():
    directory = corpus / "pack-index"
    shutil.rmtree(directory, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
        for i in range(6):
            pathlib.Path(repo, "config.txt").write_text("".join(f"line {j} of version {i}\n" for j in range(40)))
            pathlib.Path(repo, f"f{i}").write_text(f"aws_access_key_id = AKIAZAVB57H55F3T4BKH\nfile {i}\n")
            git(repo, "add", "-A")
            git(repo, "-c", "user.name=Seed", "-c", "user.email=seed@example.org", "commit", "-q", "-m", f"c{i}")
        variants = {
            "plain": ["-c", "pack.depth=0", "repack", "-a", "-d", "-q", "--depth=0", "--window=0"],
            "offset-deltas": ["repack", "-a", "-d", "-q", "-f"],
            "reference-deltas": ["-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-q", "-f"],
        }
        for name, command in variants.items():
            git(repo, *command)
            pack_dir = pathlib.Path(repo, ".git/objects/pack")
            pack = next(pack_dir.glob("*.pack"))
            index = pack.with_suffix(".idx").read_bytes()
            data = pack.read_bytes()
            assert len(data) <= 0xFFFF
            write(directory, len(data).to_bytes(2, "little") + index + data)
            if name == "offset-deltas":
                # The same pack indexed with every offset in the 64-bit table.
                large = os.path.join(tmp, "large.idx")
                subprocess.run(["git", "index-pack", "--index-version=2,0", "-o", large, str(pack)], check=True, capture_output=True)
                write(directory, len(data).to_bytes(2, "little") + pathlib.Path(large).read_bytes() + data)
        # An empty pack.
        empty = git(repo, "pack-objects", "--stdout", input=b"")
        path = os.path.join(tmp, "empty.pack")
        pathlib.Path(path).write_bytes(empty)
        subprocess.run(["git", "index-pack", "-o", path[:-5] + ".idx", path], check=True, capture_output=True)
        write(directory, len(empty).to_bytes(2, "little") + pathlib.Path(path[:-5] + ".idx").read_bytes() + empty)

content()
packs()
