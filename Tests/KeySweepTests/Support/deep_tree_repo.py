"""deep_tree_repo.py REPO DEPTH NAME_LENGTH CONTENT [COPIES]: a bare repository whose first commit
nests DEPTH directories, each named NAME_LENGTH times "d", with a file `creds` holding CONTENT at
the bottom; with COPIES, a second commit holds that same nest under COPIES more names (copy0/,
copy1/, ...), trees the walk has seen elsewhere. Written as one pack (git index-pack), so 100,000
trees cost a few megabytes and seconds."""
import hashlib, subprocess, sys, zlib

repo, depth, name_length, content = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].encode()
copies = int(sys.argv[5]) if len(sys.argv) > 5 else 0
subprocess.run(["git", "init", "-q", "--bare", "-b", "main", repo], check=True)

entries = []
def add(kind, body):
    """Adds an object; returns its id."""
    entries.append((kind, body))
    return hashlib.sha1(f"{kind} {len(body)}\0".encode() + body).digest()

blob = add("blob", content)
tree = add("tree", b"100644 creds\0" + blob)
name = b"d" * name_length
for _ in range(depth - 1):
    tree = add("tree", b"40000 " + name + b"\0" + tree)
root = add("tree", b"40000 " + name + b"\0" + tree)
commit = add("commit", f"tree {root.hex()}\nauthor A <a@example.org> 1700000000 +0000\n"
                       f"committer A <a@example.org> 1700000000 +0000\n\ndeep\n".encode())
if copies:
    names = sorted([name] + [f"copy{n}".encode() for n in range(copies)])   # git's tree order
    root = add("tree", b"".join(b"40000 " + n + b"\0" + tree for n in names))
    commit = add("commit", f"tree {root.hex()}\nparent {commit.hex()}\nauthor A <a@example.org> 1700000060 +0000\n"
                           f"committer A <a@example.org> 1700000060 +0000\n\ncopies\n".encode())

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
