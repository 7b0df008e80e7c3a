#!/bin/sh
# Builds OpenSSL 3, expat and cJSON for x86-64 Windows, static, from Debian's
# own source packages (apt-get source; never a downloaded binary), with
# Debian's MinGW-w64 cross compiler. Sources in build/win/src, the result in
# build/win/prefix (include/, lib/). Each library has a stamp file
# (build/win/prefix/.NAME.stamp, holding the source version): a second run
# with the same versions builds nothing.
#   tests/win/build-deps.sh          build what is missing
# A deb-src entry for the mirror apt already uses is added when there is
# none (/etc/apt/sources.list.d/mp-src.sources; needs root once).
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WIN=$ROOT/build/win
SRC=$WIN/src
PREFIX=$WIN/prefix
HOST=x86_64-w64-mingw32
CC_WIN=$HOST-gcc-posix
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
mkdir -p "$SRC" "$PREFIX/include" "$PREFIX/lib"

log() { echo "win-deps: $*"; }

# The URI of the Debian archive apt installs from (deb822 .sources or the
# one-line sources.list format), the first one that is not a security mirror.
debian_uri() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
		{
			deb = 0; uri = ""
			for (i = 1; i <= NF; i++) {
				n = split($i, w, /[ \t]+/)
				if (w[1] == "Types:")
					for (j = 2; j <= n; j++) if (w[j] == "deb") deb = 1
				if (w[1] == "URIs:")
					uri = w[2]
			}
			if (deb && uri != "") print uri
		}' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -e "$f" ] || continue
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) {
			print $i; break } }' "$f"
	done
}

has_deb_src() {
	grep -rqsE '^(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/
}

ensure_deb_src() {
	has_deb_src && return 0
	uri=$(debian_uri | grep -v security | grep '/debian' | head -1)
	[ -n "$uri" ] || { echo "win-deps: no Debian mirror in apt's sources" >&2; exit 1; }
	. /etc/os-release
	[ "$(id -u)" = 0 ] || {
		echo "win-deps: no deb-src entry and not root: add one for $uri $VERSION_CODENAME" >&2
		exit 1
	}
	log "adding deb-src for $uri $VERSION_CODENAME"
	cat > /etc/apt/sources.list.d/mp-src.sources <<EOF
Types: deb-src
URIs: $uri
Suites: $VERSION_CODENAME
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	apt-get update -qq
}

# Unpacks Debian's source package $1 (patches applied) into $SRC once and
# prints its directory.
fetch() {
	dir=$(find "$SRC" -maxdepth 1 -type d -name "$1-[0-9]*" | sort | tail -1)
	if [ -z "$dir" ]; then
		(cd "$SRC" && apt-get source -qq "$1" > "$SRC/$1.fetch.log" 2>&1) ||
			{ cat "$SRC/$1.fetch.log" >&2; exit 1; }
		dir=$(find "$SRC" -maxdepth 1 -type d -name "$1-[0-9]*" | sort | tail -1)
	fi
	echo "$dir"
}

stamp_ok() { [ -f "$PREFIX/.$1.stamp" ] && [ "$(cat "$PREFIX/.$1.stamp")" = "$2" ]; }

build_cjson() {
	dir=$(fetch cjson)
	stamp_ok cjson "$dir" && return 0
	log "cJSON from $(basename "$dir")"
	mkdir -p "$PREFIX/include/cjson"
	$CC_WIN -O2 -c -o "$WIN/cJSON.o" "$dir/cJSON.c"
	rm -f "$PREFIX/lib/libcjson.a"
	$HOST-ar rcs "$PREFIX/lib/libcjson.a" "$WIN/cJSON.o"
	cp "$dir/cJSON.h" "$PREFIX/include/cjson/cJSON.h"
	echo "$dir" > "$PREFIX/.cjson.stamp"
}

# expat's three library files compiled directly (Debian's source is the git
# tree without a generated configure): the settings of its own Windows
# build (little-endian, DTD and namespaces, rand_s entropy).
build_expat() {
	dir=$(fetch expat)
	stamp_ok expat "$dir" && return 0
	log "expat from $(basename "$dir")"
	lib=$dir/expat/lib
	b=$WIN/expat-build
	rm -rf "$b" && mkdir -p "$b"
	printf '%s\n' '#define BYTEORDER 1234' '#define XML_CONTEXT_BYTES 1024' \
		'#define XML_DTD 1' '#define XML_NS 1' > "$b/expat_config.h"
	for f in xmlparse xmlrole xmltok; do
		$CC_WIN -O2 -DXML_STATIC -I"$b" -I"$lib" -c -o "$b/$f.o" "$lib/$f.c"
	done
	rm -f "$PREFIX/lib/libexpat.a"
	$HOST-ar rcs "$PREFIX/lib/libexpat.a" "$b"/*.o
	cp "$lib/expat.h" "$lib/expat_external.h" "$PREFIX/include/"
	echo "$dir" > "$PREFIX/.expat.stamp"
}

# No config file is read on its own (no-autoload-config), and the
# directories compiled in are the system-wide ones only an administrator
# can write (a build path such as /work/... would be C:\work\... on the
# customer's machine, where anyone could put an openssl.cnf).
OPENSSL_OPTS='mingw64 no-shared no-tests no-autoload-config no-engine'
OPENSSL_DIR='C:/Program Files/Common Files/SSL'
# Configure would take C:/... for a relative path under --prefix: the
# directories are given to make instead (the -D defines come from them).
OPENSSL_STAMP="$OPENSSL_OPTS dir=$OPENSSL_DIR"

build_openssl() {
	dir=$(fetch openssl)
	stamp_ok openssl "$dir $OPENSSL_STAMP" && return 0
	# OpenSSL 3.0 knows no no-docs/no-apps; build_libs builds neither.
	log "OpenSSL from $(basename "$dir") (the longest part: minutes)"
	(cd "$dir" && { [ ! -f Makefile ] || make clean > /dev/null 2>&1 || true; } &&
		CC=gcc-posix ./Configure $OPENSSL_OPTS --cross-compile-prefix=$HOST- \
			--prefix="$PREFIX" --libdir=lib > "$WIN/openssl.log" 2>&1 &&
		make -j"$JOBS" build_libs OPENSSLDIR="$OPENSSL_DIR" \
			ENGINESDIR="$OPENSSL_DIR/engines-3" MODULESDIR="$OPENSSL_DIR/modules" \
			>> "$WIN/openssl.log" 2>&1 &&
		make install_dev >> "$WIN/openssl.log" 2>&1) ||
		{ tail -30 "$WIN/openssl.log" >&2; exit 1; }
	echo "$dir $OPENSSL_STAMP" > "$PREFIX/.openssl.stamp"
}

all_stamped() {
	for lib in cjson expat; do
		[ -f "$PREFIX/.$lib.stamp" ] && [ -d "$(cat "$PREFIX/.$lib.stamp")" ] || return 1
	done
	[ -f "$PREFIX/.openssl.stamp" ] &&
		[ "$(cut -d' ' -f2- "$PREFIX/.openssl.stamp")" = "$OPENSSL_STAMP" ]
}
# One build at a time in this tree (make -j, two test runs).
exec 9> "$WIN/.deps.lock"
flock 9
all_stamped && exit 0
command -v $CC_WIN > /dev/null || { echo "win-deps: $CC_WIN missing (tests/deps.sh win)" >&2; exit 1; }
ensure_deb_src
t0=$(date +%s)
build_cjson
build_expat
build_openssl
log "done in $(($(date +%s) - t0)) s"
