#!/bin/sh
# Installs the comparison tools `make bench` runs, only those missing
# (Debian packages, noninteractive). Not needed by `make test`.
#   monitoring-plugins-basic  check_simap, check_spop, check_smtp, check_ssmtp
#   swaks + libnet-ssleay-perl  SMTP AUTH over STARTTLS (swaks needs Net::SSLeay for TLS)
#   prometheus-blackbox-exporter  the exporter we compare with
#   wrk                       HTTP load (throughput, p50/p99)
#   curl, openssl             parallel /probe requests; s_time / s_client floors
set -eu
exec sh "$(dirname "$0")/../deps.sh" monitoring-plugins-basic swaks libnet-ssleay-perl \
	prometheus-blackbox-exporter wrk curl openssl python3
