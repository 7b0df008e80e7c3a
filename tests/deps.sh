#!/bin/sh
# Installs the Debian packages mailprobe needs to build and test, only those
# missing. Noninteractive; Postfix is preseeded so apt asks nothing. The
# MinGW-w64 cross compiler and dpkg-dev (apt-get source) build the Windows
# exe that make dist packs (zip); their copyright files are its licences.
# Wine runs that exe in the tests (tests/win; locales: localedef makes the
# German locale the Wine guided test needs, in its own folder).
#   tests/deps.sh            the build and test packages
#   tests/deps.sh PKG...     these packages instead (make bench's tools)
set -eu
PKGS="build-essential pkg-config libssl-dev libcjson-dev libmicrohttpd-dev openssl
ca-certificates dovecot-core dovecot-imapd dovecot-pop3d postfix fail2ban nftables iproute2
python3 python3-jsonschema libxml2-utils jq procps clang libclang-rt-14-dev libexpat1-dev
dnsmasq-base valgrind bsdutils prometheus chromium tmux libcrypt-dev
systemd python3-yaml man-db groff-base wrk curl debootstrap zip
gcc-mingw-w64-x86-64 wine wine64 dpkg-dev locales"
[ $# -gt 0 ] && PKGS="$*"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages and not root: apt-get install$missing" >&2
	exit 1
fi
echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
