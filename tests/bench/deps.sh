#!/bin/sh
# Installs the comparison tools `make bench` runs, only those missing
# (Debian packages, noninteractive). Not needed by `make test`.
#   monitoring-plugins-basic  check_simap, check_spop, check_smtp, check_ssmtp
#   swaks + libnet-ssleay-perl  SMTP AUTH over STARTTLS (swaks needs Net::SSLeay for TLS)
#   prometheus-blackbox-exporter  the exporter we compare with
#   wrk                       HTTP load (throughput, p50/p99)
#   curl, openssl             parallel /probe requests; s_time / s_client floors
set -eu
PKGS="monitoring-plugins-basic swaks libnet-ssleay-perl prometheus-blackbox-exporter wrk curl
openssl python3"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "bench deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	echo "bench deps: missing packages and not root: apt-get install$missing" >&2
	exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
