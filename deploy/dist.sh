#!/bin/sh
# make dist: the release artefacts in dist/, versioned from checks/version.h.
#   mailprobe-VERSION.tar.gz                 the source: git archive of HEAD
#   mailprobe-VERSION-linux-x86_64.tar.gz    bin/mailprobe and bin/mailprobe_exporter
#                                            (stripped), the man pages, the licence
#   mailprobe-windows-x86_64.zip             mailprobe.exe, README.txt and LIESMICH.txt
#                                            for customers, the licences of what is
#                                            linked in (all text with CRLF line ends)
#   SHA256SUMS                               over the three
# Needs bin/mailprobe, bin/mailprobe_exporter and bin/mailprobe.exe built
# (the Makefile's dist target builds them first); the licence texts come
# from the Debian packages the Windows build links (their
# /usr/share/doc/PKG/copyright). Any missing input is an error.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${DIST_DIR:-$ROOT/dist}
VERSION=$(sed -n 's/^#define MAILPROBE_VERSION "\(.*\)"$/\1/p' checks/version.h)
[ -n "$VERSION" ] || { echo "dist: no MAILPROBE_VERSION in checks/version.h" >&2; exit 1; }
SRC=mailprobe-$VERSION
LINUX=mailprobe-$VERSION-linux-x86_64
WIN=mailprobe-windows-x86_64
STAGE=$ROOT/build/dist
MANS="man/mailprobe.1 man/mailprobe_exporter.1 man/mailprobe-reference.7"
# name in the zip : the Debian package whose copyright file holds its licence
WIN_LICENSES="OpenSSL:libssl3 expat:libexpat1 cJSON:libcjson1
mingw-w64-runtime-and-winpthreads:mingw-w64-x86-64-dev
gcc-runtime-libgcc:gcc-mingw-w64-x86-64-posix-runtime"

die() { echo "dist: $*" >&2; exit 1; }
need() { [ -e "$1" ] || die "$1 missing ($2)"; }

for f in bin/mailprobe bin/mailprobe_exporter; do need "$f" "make all"; done
need bin/mailprobe.exe "make windows"
for f in $MANS deploy/windows/README.txt deploy/windows/LIESMICH.txt; do need "$f" "in the tree"; done
command -v zip >/dev/null 2>&1 || die "zip missing (apt-get install zip)"

# The project's own licence, when the tree has one (LICENSE, COPYING).
OWN=""
for f in LICENSE LICENSE.txt COPYING; do
	[ -f "$f" ] && OWN=$f && break
done
[ -n "$OWN" ] || echo "dist: warning: no LICENSE file at the top: mailprobe's own licence is not in the artefacts" >&2

crlf() { sed 's/\r$//; s/$/\r/' "$1" >"$2"; }

rm -rf "$STAGE" "$OUT"
mkdir -p "$STAGE" "$OUT"

# The source tarball: what is committed at HEAD, nothing of the work tree.
git archive --format=tar.gz --prefix="$SRC/" -o "$OUT/$SRC.tar.gz" HEAD

# The Linux binaries.
mkdir -p "$STAGE/$LINUX/bin" "$STAGE/$LINUX/man"
for b in mailprobe mailprobe_exporter; do
	strip -o "$STAGE/$LINUX/bin/$b" "bin/$b"
done
cp $MANS "$STAGE/$LINUX/man/"
cp README.md "$STAGE/$LINUX/"
[ -z "$OWN" ] || cp "$OWN" "$STAGE/$LINUX/"
tar -C "$STAGE" --owner=0 --group=0 --numeric-owner -czf "$OUT/$LINUX.tar.gz" "$LINUX"

# The Windows zip for customers.
mkdir -p "$STAGE/$WIN/licenses"
cp bin/mailprobe.exe "$STAGE/$WIN/"
crlf deploy/windows/README.txt "$STAGE/$WIN/README.txt"
crlf deploy/windows/LIESMICH.txt "$STAGE/$WIN/LIESMICH.txt"
for pair in $WIN_LICENSES; do
	name=${pair%%:*}
	pkg=${pair#*:}
	src=/usr/share/doc/$pkg/copyright
	need "$src" "apt-get install $pkg"
	crlf "$src" "$STAGE/$WIN/licenses/$name.txt"
done
# OpenSSL 3's copyright file points to the Apache-2.0 text: ship it whole.
need /usr/share/common-licenses/Apache-2.0 "base-files"
crlf /usr/share/common-licenses/Apache-2.0 "$STAGE/$WIN/licenses/Apache-2.0.txt"
[ -z "$OWN" ] || crlf "$OWN" "$STAGE/$WIN/licenses/mailprobe.txt"
(cd "$STAGE" && zip -q -X -r "$OUT/$WIN.zip" "$WIN")

(cd "$OUT" && sha256sum "$SRC.tar.gz" "$LINUX.tar.gz" "$WIN.zip" >SHA256SUMS)
rm -rf "$STAGE"
echo "dist: $(cd "$OUT" && ls | tr '\n' ' ')in $OUT"
