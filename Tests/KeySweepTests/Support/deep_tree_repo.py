"""deep_tree_repo.py REPO DEPTH NAME_LENGTH CONTENT: a bare repository whose one commit nests
DEPTH directories, each named NAME_LENGTH times "d", with a file `creds` holding CONTENT at the
bottom. Written as one pack (git index-pack), so 100,000 trees cost a few megabytes and seconds."""
import hashlib, subprocess, sys, zlib

repo, depth, name_length, content = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].encode()
subprocess.run(["git", "init", "-q", "--bare", "-b", "main", repo], check=True)

entries = []
def add(kind, body):
    """Adds an object; returns its id."""
    entries.append((kind, body))
    return hashlib.sha1(f"{kind} {len(body)}\0".encode() + body).digest()

blob = add("blob", content)
tree = add("tree", b"100644 creds\0" + blob)
name = b"d" * name_length
for _ in range(depth):
    tree = add("tree", b"40000 " + name + b"\0" + tree)
commit = add("commit", f"tree {tree.hex()}\nauthor A <a@example.org> 1700000000 +0000\n"
                       f"committer A <a@example.org> 1700000000 +0000\n\ndeep\n".encode())

pack = bytearray(b"PACK" + (2).to_bytes(4, "big") + len(entries).to_bytes(4, "big"))
types = {"commit": 1, "tree": 2, "blob": 3}
for kind, body in entries:
    size = len(body)
    byte = (types[kind] << 4) | (size & 15)
    size >>= 4
    while size:
        pack.append(byte | 0x80)
        byte = size & 0x7F
        size >>= 7
    pack.append(byte)
    pack += zlib.compress(body, 1)
pack += hashlib.sha1(pack).digest()
subprocess.run(["git", "-C", repo, "index-pack", "--stdin"], input=bytes(pack), check=True,
               stdout=subprocess.DEVNULL)
subprocess.run(["git", "-C", repo, "update-ref", "refs/heads/main", commit.hex()], check=True)
