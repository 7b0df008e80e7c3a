#!/bin/sh
# Checks the lab itself, without mailprobe: TLS and certificates with openssl
# s_client, logins, AUTH and a delivery with Python's standard library, all run
# inside the client namespace. Starts the lab if it is not running (reuses it if it
# is) and leaves it running. Ends with "N passed, N failed"; exit 1 on any failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd -P)
LAB="sh $HERE/lab.sh"
$LAB start || { echo "lab start failed"; echo "0 passed, 1 failed"; exit 1; }
eval "$($LAB env)"

pass=0
fail=0
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1"
	sed -n '1,8s/^/    /p' "$OUT"
	fail=$((fail + 1))
}

# sclient ADDR PORT [s_client args]: handshake from mp-client, verifying against the
# lab CA and the name mail.lab.test; output in $OUT, exit status openssl's
sclient() {
	a=$1
	p=$2
	shift 2
	case "$a" in *:*) a="[$a]" ;; esac
	timeout 10 ip netns exec "$CLIENT_NS" openssl s_client -connect "$a:$p" \
		-servername "$LAB_HOST" -verify_hostname "$LAB_HOST" -CAfile "$LAB_CA" \
		${NOVERIFY:--verify_return_error} "$@" </dev/null >"$OUT" 2>&1
}

tls_ok() { # NAME ADDR PORT [args]
	n=$1
	shift
	if sclient "$@" && grep -q '^Verify return code: 0 (ok)' "$OUT"; then ok "$n"; else bad "$n"; fi
}

tls_fails() { # NAME EXPECTED-TEXT ADDR PORT [args]
	n=$1
	e=$2
	shift 2
	if ! sclient "$@" && grep -q "$e" "$OUT"; then ok "$n"; else bad "$n (want: $e)"; fi
}

tls_ok "tls 993 imaps verifies" "$LAB_ADDR" 993
tls_ok "tls 995 pop3s verifies" "$LAB_ADDR" 995
tls_ok "tls 465 smtps verifies" "$LAB_ADDR" 465
tls_ok "starttls 587 smtp verifies" "$LAB_ADDR" 587 -starttls smtp
tls_ok "starttls 25 smtp verifies" "$LAB_ADDR" 25 -starttls smtp
tls_ok "starttls 143 imap verifies" "$LAB_ADDR" 143 -starttls imap
tls_ok "starttls 110 pop3 verifies" "$LAB_ADDR" 110 -starttls pop3
tls_ok "ipv6 993 verifies" "$LAB_ADDR6" 993
tls_ok "ipv6 587 verifies" "$LAB_ADDR6" 587 -starttls smtp

tls_fails "expired .11 993" "certificate has expired" "$LAB_ADDR_EXPIRED" 993
tls_fails "expired .11 465" "certificate has expired" "$LAB_ADDR_EXPIRED" 465
tls_fails "wronghost .12 993" "hostname mismatch" "$LAB_ADDR_WRONGHOST" 993
tls_fails "wronghost .12 587" "hostname mismatch" "$LAB_ADDR_WRONGHOST" 587 -starttls smtp
tls_fails "notyet .13 995" "certificate is not yet valid" "$LAB_ADDR_NOTYET" 995
tls_fails "nochain .15 993" "unable to get local issuer certificate" "$LAB_ADDR_NOCHAIN" 993
tls_fails "nochain .15 465" "unable to get local issuer certificate" "$LAB_ADDR_NOCHAIN" 465

n="nochain .15 sends the leaf only"
NOVERIFY=-showcerts sclient "$LAB_ADDR_NOCHAIN" 993
if [ "$(grep -c 'BEGIN CERTIFICATE' "$OUT")" = 1 ]; then ok "$n"; else bad "$n"; fi

n="expiring .14 verifies and expires in 5 days"
if sclient "$LAB_ADDR_EXPIRING" 993 &&
	openssl x509 -noout -checkend $((5 * 86400)) <"$OUT" >/dev/null &&
	! openssl x509 -noout -checkend $((6 * 86400)) <"$OUT" >/dev/null; then
	ok "$n"
else bad "$n"; fi

n="client resolves mail.lab.test (A and AAAA) from /etc/netns"
ip netns exec "$CLIENT_NS" getent ahosts "$LAB_HOST" >"$OUT" 2>&1
if grep -q "^$LAB_ADDR " "$OUT" && grep -q "^$LAB_ADDR6 " "$OUT"; then ok "$n"; else bad "$n"; fi

n="client has no outside DNS (fails fast)"
t0=$(date +%s)
if ! timeout 10 ip netns exec "$CLIENT_NS" getent hosts no-such-name.example >"$OUT" 2>&1 &&
	[ $(($(date +%s) - t0)) -le 3 ]; then ok "$n"; else bad "$n"; fi

n="block 993 reset refuses, unblock restores"
$LAB block 993 reset >"$OUT" 2>&1
r1=$(ip netns exec "$CLIENT_NS" /usr/bin/python3 -c '
import socket, sys
try:
    socket.create_connection((sys.argv[1], 993), timeout=3).close(); print("open")
except ConnectionRefusedError: print("refused")
except OSError as e: print(type(e).__name__)' "$LAB_ADDR" 2>&1)
$LAB unblock 993 >>"$OUT" 2>&1
if [ "$r1" = refused ] && sclient "$LAB_ADDR" 993; then ok "$n"; else echo "got: $r1" >>"$OUT"; bad "$n"; fi

# logins, AUTH, delivery: Python's imaplib/poplib/smtplib with the lab CA
timeout 60 ip netns exec "$CLIENT_NS" /usr/bin/python3 "$HERE/smoke_mail.py" \
	"$LAB_HOST" "$LAB_CA" "$LAB_USER" "$LAB_PASSWORD_FILE" >"$OUT" 2>&1
rc=$?
while IFS= read -r line; do
	case "$line" in
	"ok "*) echo "$line"; pass=$((pass + 1)) ;;
	"FAIL "*) echo "$line"; fail=$((fail + 1)) ;;
	*) echo "    $line" ;;
	esac
done <"$OUT"
if [ $rc -ne 0 ]; then
	echo "FAIL smoke_mail.py exited $rc"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
