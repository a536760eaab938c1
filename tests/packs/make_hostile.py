#!/usr/bin/env python3
"""make_hostile.py GOOD SIGNED OUTDIR PLATFORM - writes the hostile packs that
`seam plugins install` must refuse, each made from GOOD (the unsigned greet
pack) or SIGNED (the same, signed), into OUTDIR/CASE.seampack."""
import gzip
import hashlib
import io
import os
import sys
import tarfile

good_path, signed_path, out, platform = sys.argv[1:5]
LIB = f"lib/{platform}/seam-greet.so"


def read(path):
    files = {}
    with tarfile.open(path, "r:gz") as t:
        for m in t.getmembers():
            files[m.name] = t.extractfile(m).read()
    return files


def member(name, data=b"", **kw):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    for k, v in kw.items():
        setattr(info, k, v)
    return info, (io.BytesIO(data) if data else None)


def write(case, files, extra=()):
    with tarfile.open(os.path.join(out, case + ".seampack"), "w:gz", compresslevel=1) as t:
        for name in sorted(files):
            t.addfile(*member(name, files[name]))
        for info, data in extra:
            t.addfile(info, data)


def sha(data):
    return hashlib.sha256(data).hexdigest()


good = read(good_path)
signed = read(signed_path)
manifest = good["seam-pack.toml"].decode()


def with_manifest(text, **moves):
    files = dict(good)
    for old, new in moves.items():
        files[new] = files.pop(old)
    files["seam-pack.toml"] = text.encode()
    return files


write("traversal", good, [member("../escaped.txt", b"out of the plugin dir\n")])
write("absolute", good, [member("/tmp/seam-absolute.txt", b"absolute\n")])
write("symlink", {k: v for k, v in good.items() if k != "docs/greet.md"},
      [member("docs/greet.md", type=tarfile.SYMTYPE, linkname="/etc/passwd")])
write("hardlink", good, [member("docs/link.md", type=tarfile.LNKTYPE, linkname="seam-pack.toml")])
write("device", good, [member("docs/null", type=tarfile.CHRTYPE, devmajor=1, devminor=3)])


# 1 GiB of zeros, compressed to about a megabyte, streamed (never in memory).
class Zeros(io.RawIOBase):
    def __init__(self, n):
        self.left = n

    def readable(self):
        return True

    def readinto(self, b):
        n = min(len(b), self.left)
        b[:n] = bytes(n)
        self.left -= n
        return n


bomb = tarfile.TarInfo("docs/zeros.md")
bomb.size = 1 << 30
write("bomb", good, [(bomb, io.BufferedReader(Zeros(1 << 30), 1 << 20))])

lib = bytearray(good[LIB])
lib[len(lib) // 2] ^= 0xFF
write("checksum", {**good, LIB: bytes(lib)})

# The signed pack with its manifest changed after signing.
write("badsig", {**signed, "seam-pack.toml": signed["seam-pack.toml"].replace(
    b"Test pack: greets", b"Trusted pack: greets")})

write("otherarch", with_manifest(
    manifest.replace(platform, "linux-riscv64"), **{LIB: "lib/linux-riscv64/seam-greet.so"}))
write("abi2", with_manifest(manifest.replace('abi = "1.2"', 'abi = "2.0"')))
write("clash", with_manifest(
    manifest.replace('name = "greet"', 'name = "http"').replace("seam-greet.so", "seam-http.so"),
    **{LIB: LIB.replace("seam-greet.so", "seam-http.so")}))
data = open(good_path, "rb").read()
open(os.path.join(out, "truncated.seampack"), "wb").write(data[: len(data) // 2])
write("liar", with_manifest(manifest.replace(
    "[steps]\n", '[steps]\nfly = "Flies (the library has no such step)"\n')))
write("needsdep", with_manifest(manifest + '\n[requires]\nledger = ">=2.0"\n'))
write("newseam", with_manifest(manifest.replace('seam = ">=0.1"', 'seam = ">=99.0"')))
write("extra", good, [member("docs/unlisted.md", b"not in the manifest\n")])
write("nomanifest", {k: v for k, v in good.items() if k != "seam-pack.toml"})
open(os.path.join(out, "notpack.seampack"), "w").write("just text\n")
