#!/bin/sh
# mailprobe routed lab: a client reaches a mail server through three routers, so
# path measurements (TTL 1..N) and blocks at each place can be tested. Its own
# namespaces (mp-r*), its own addresses (198.19.0.0/16 of RFC 2544's range, and
# fd00:6d71::/48); nothing leaves the machine. Independent of tests/lab/lab.sh.
#
#   mp-rc  client        198.19.1.2   fd00:6d71:1::2
#     |
#   mp-r1  "home router"  198.19.1.1 | 198.19.2.1       hop 1
#     |
#   mp-r2  "provider"     198.19.2.2 | 198.19.3.2 | 198.19.5.1   hop 2
#     |                                 \
#   mp-r3  server edge    198.19.3.3 | 198.19.4.1        mp-rk control host
#     |                                                  198.19.5.10 fd00:6d71:5::10 (hop 3)
#   mp-rs  mail server   198.19.4.10  fd00:6d71:4::10    (hop 4)
#
#   A router answers a TTL that ran out from the address facing the client:
#   hop 1 = 198.19.1.1, hop 2 = 198.19.2.2, hop 3 = 198.19.3.3 (IPv6: fd00:6d71:N::M
#   likewise). Postfix on 587 (STARTTLS) and 465 (TLS) at mp-rs (mail.routed.test)
#   and mp-rk (control.routed.test); certificates from build/routed/ca.pem.
#
# Usage (as root; hold /tmp/mp-lab.lock, the machine's lab lock, around it):
#   sh tests/lab/routed.sh start|stop|status
#   eval "$(sh tests/lab/routed.sh env)"        RT_* variables for tests
#   sh tests/lab/routed.sh block PLACE PORT drop|reset|admin|reject
#       PLACE: client (output), r1|r2|r3 (prerouting: the router's ingress, so a
#       dropped packet never reaches its TTL check either), server (input)
#   sh tests/lab/routed.sh unblock              remove every block
#   sh tests/lab/routed.sh client CMD...        run CMD in mp-rc
#   sh tests/lab/routed.sh probe ARGS...        bin/mailprobe in mp-rc (--ca-file set)
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SELF=$ROOT/tests/lab/routed.sh
DIR=$ROOT/build/routed
SRV=/var/lib/mailprobe-routed
NFT_TABLE=mp_routed_block
NSS="mp-rc mp-r1 mp-r2 mp-r3 mp-rs mp-rk"
SERVER=198.19.4.10
SERVER6=fd00:6d71:4::10
CONTROL=198.19.5.10
CONTROL6=fd00:6d71:5::10

msg() { echo "routed: $*" >&2; }
die() { echo "routed: error: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"; }
ns_exists() { [ -e "/run/netns/$1" ]; }

# link NS1 IF1 ADDR1 NS2 IF2 ADDR2 NET: a veth pair, v4 NET.x/24, v6 fd00:6d71:NET::x/64
link() {
	ip -n "$1" link add "$2" type veth peer name "$5" netns "$4" || return 1
	ip -n "$1" addr add "198.19.$7.$3/24" dev "$2" &&
		ip -n "$1" addr add "fd00:6d71:$7::$3/64" dev "$2" nodad &&
		ip -n "$4" addr add "198.19.$7.$6/24" dev "$5" &&
		ip -n "$4" addr add "fd00:6d71:$7::$6/64" dev "$5" nodad &&
		ip -n "$1" link set "$2" up && ip -n "$4" link set "$5" up
}

# route NS GW NET...: v4 and v6 routes; NET "default" or a number
route() {
	ns=$1
	gw=$2
	shift 2
	for n in "$@"; do
		if [ "$n" = default ]; then
			ip -n "$ns" route add default via "198.19.$gw" &&
				ip -n "$ns" -6 route add default via "fd00:6d71:$(echo "$gw" |
					sed 's/\./::/')" || return 1
		else
			ip -n "$ns" route add "198.19.$n.0/24" via "198.19.$gw" &&
				ip -n "$ns" -6 route add "fd00:6d71:$n::/64" via "fd00:6d71:$(echo "$gw" |
					sed 's/\./::/')" || return 1
		fi
	done
}

router_sysctls() {
	for k in net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0; do
		ip netns exec "$1" sysctl -qw "$k" || return 1
	done
	# per-namespace on newer kernels, global (and already high enough) on older ones
	ip netns exec "$1" sysctl -qw net.ipv4.icmp_msgs_per_sec=100000 2>/dev/null
	ip netns exec "$1" sysctl -qw net.ipv4.icmp_msgs_burst=100000 2>/dev/null
	return 0
}

make_net() {
	for ns in $NSS; do
		ip netns add "$ns" && ip -n "$ns" link set lo up || return 1
	done
	link mp-rc c0 2 mp-r1 r1c 1 1 &&
		link mp-r1 r1u 1 mp-r2 r2d 2 2 &&
		link mp-r2 r2u 2 mp-r3 r3d 3 3 &&
		link mp-r3 r3s 1 mp-rs s0 10 4 &&
		link mp-r2 r2k 1 mp-rk k0 10 5 || return 1
	route mp-rc 1.1 default &&
		route mp-r1 2.2 default &&
		route mp-r2 2.1 1 && route mp-r2 3.3 4 &&
		route mp-r3 3.2 default &&
		route mp-rs 4.1 default &&
		route mp-rk 5.1 default || return 1
	for ns in mp-r1 mp-r2 mp-r3; do router_sysctls "$ns" || return 1; done
	# the hosts answer at once too (a reset or ICMP from the server is not delayed)
	for ns in mp-rc mp-rs mp-rk; do
		ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 ||
			return 1
	done
}

write_netns_etc() {
	for ns in $NSS; do
		d=/etc/netns/$ns
		mkdir -p "$d" || return 1
		cat >"$d/hosts" <<EOF
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
$SERVER	mail.routed.test
$SERVER6	mail.routed.test
$CONTROL	control.routed.test
$CONTROL6	control.routed.test
EOF
		printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$d/resolv.conf"
		printf 'hosts: files\n' >"$d/nsswitch.conf"
	done
}

make_certs() {
	mkdir -p "$DIR" || return 1
	[ -s "$DIR/ca.pem" ] && [ -s "$DIR/leaf.pem" ] &&
		openssl x509 -in "$DIR/leaf.pem" -noout -checkend 86400 >/dev/null 2>&1 && return 0
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
		-subj "/CN=mailprobe routed lab CA" -keyout "$DIR/ca.key" -out "$DIR/ca.pem" \
		2>/dev/null || return 1
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/CN=mail.routed.test" -keyout "$DIR/leaf.key" -out "$DIR/leaf.csr" \
		2>/dev/null || return 1
	printf 'subjectAltName=DNS:mail.routed.test,DNS:control.routed.test\n' >"$DIR/leaf.ext"
	openssl x509 -req -in "$DIR/leaf.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" \
		-CAcreateserial -days 20 -extfile "$DIR/leaf.ext" -out "$DIR/leaf.pem" 2>/dev/null
}

# write_postfix NAME HOST: a submission-only Postfix (587 STARTTLS, 465 TLS), no SASL
write_postfix() {
	conf=$DIR/$1
	spool=$SRV/$1
	mkdir -p "$conf" "$spool/spool" "$spool/data" "$DIR/log" || return 1
	chown postfix:postfix "$spool/data"
	cp "$DIR/leaf.pem" "$DIR/leaf.key" "$conf/" && chmod 600 "$conf/leaf.key"
	cat >"$conf/main.cf" <<EOF
# generated by tests/lab/routed.sh
compatibility_level = 3.6
queue_directory = $spool/spool
data_directory = $spool/data
meta_directory = /etc/postfix
maillog_file = $DIR/log/postfix-$1.log
maillog_file_prefixes = $DIR/log
myhostname = $2
mydestination =
inet_interfaces = all
inet_protocols = all
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
default_transport = discard:routed
relay_transport = discard:routed
local_transport = discard:routed
smtpd_tls_cert_file = $conf/leaf.pem
smtpd_tls_key_file = $conf/leaf.key
smtpd_relay_restrictions = reject
notify_classes =
EOF
	cat >"$conf/master.cf" <<'EOF'
# generated by tests/lab/routed.sh
587 inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
465 inet n - n - - smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
discard   unix  -       -       n       -       -       discard
proxymap  unix  -       -       n       -       -       proxymap
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
	old=$(($(date +%s) - 5)) # Postfix stalls while a config file's mtime is "now"
	touch -d "@$old" "$conf/main.cf" "$conf/master.cf"
}

start_postfix() {
	ip netns exec "$1" postfix -c "$DIR/$2" start \
		</dev/null >>"$DIR/log/postfix-$2.stdout" 2>&1 9>&- ||
		die "postfix $2 did not start (logs in $DIR/log)"
}

# port_open ADDR PORT: the client connects within 1 s
port_open() {
	ip netns exec mp-rc timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# wait_ports ADDR PORT...: every port accepts within 10 s
wait_ports() {
	a=$1
	shift
	for p in "$@"; do
		n=100
		until port_open "$a" "$p"; do
			n=$((n - 1))
			[ $n -gt 0 ] || return 1
			sleep 0.1
		done
	done
}

healthy() {
	for ns in $NSS; do ns_exists "$ns" || return 1; done
	[ -f "$DIR/started" ] && [ "$(cksum <"$SELF")" = "$(cat "$DIR/started")" ] || return 1
	for a in $SERVER $SERVER6 $CONTROL $CONTROL6; do
		port_open "$a" 587 && port_open "$a" 465 || return 1
	done
}

do_stop() {
	for ns in $NSS; do
		ns_exists "$ns" || continue
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$p" 2>/dev/null; done
	done
	n=30
	while [ $n -gt 0 ]; do
		left=""
		for ns in $NSS; do
			ns_exists "$ns" && left="$left$(ip netns pids "$ns" 2>/dev/null)"
		done
		[ -z "$left" ] && break
		n=$((n - 1))
		[ $n -gt 10 ] || for p in $left; do kill -KILL "$p" 2>/dev/null; done
		sleep 0.1
	done
	for ns in $NSS; do
		ns_exists "$ns" && { ip netns del "$ns" || msg "could not delete netns $ns"; }
		rm -rf "/etc/netns/$ns"
	done
	rmdir /etc/netns 2>/dev/null
	rm -f "$DIR/started"
	for n in server control; do
		[ -d "$SRV/$n/spool/pid" ] && rm -f "$SRV/$n/spool/pid/master.pid"
	done
	return 0
}

cmd_start() {
	need_root
	if healthy; then
		msg "running (reused)"
		return 0
	fi
	do_stop
	command -v postfix >/dev/null && command -v nft >/dev/null ||
		die "postfix/nftables missing: make deps"
	make_certs || die "certificates failed"
	write_postfix server mail.routed.test && write_postfix control control.routed.test ||
		die "writing configs failed"
	write_netns_etc || die "cannot write /etc/netns"
	make_net || { do_stop; die "network setup failed"; }
	start_postfix mp-rs server
	start_postfix mp-rk control
	for a in $SERVER $SERVER6 $CONTROL $CONTROL6; do
		wait_ports "$a" 587 465 || { do_stop; die "$a does not answer on 587/465"; }
	done
	cksum <"$SELF" >"$DIR/started"
	msg "running: mail.routed.test $SERVER/$SERVER6 (hop 4), control $CONTROL/$CONTROL6"
}

place_ns() {
	case "$1" in
	client) echo mp-rc ;;
	r1 | r2 | r3) echo "mp-$1" ;;
	server) echo mp-rs ;;
	*) return 1 ;;
	esac
}

cmd_block() {
	need_root
	[ $# -eq 3 ] || die "usage: routed.sh block client|r1|r2|r3|server PORT drop|reset|admin|reject"
	ns=$(place_ns "$1") || die "place must be client, r1, r2, r3 or server"
	case "$2" in '' | *[!0-9]*) die "bad port: $2" ;; esac
	case "$3" in
	drop) act=drop ;;
	reset) act="reject with tcp reset" ;;
	admin) act="reject with icmpx type admin-prohibited" ;;
	reject) act=reject ;; # ICMP port unreachable, as a firewall's plain reject rule
	*) die "block type must be drop, reset, admin or reject" ;;
	esac
	case "$1" in
	client) hook=output ;;
	server) hook=input ;;
	*) hook=prerouting ;;
	esac
	ns_exists "$ns" || die "routed lab not running"
	ip netns exec "$ns" nft -f - <<EOF || die "nft failed"
table inet $NFT_TABLE
delete table inet $NFT_TABLE
table inet $NFT_TABLE {
  chain block {
    type filter hook $hook priority 0; policy accept;
    tcp dport $2 counter $act
  }
}
EOF
}

cmd_unblock() {
	need_root
	for ns in $NSS; do
		ns_exists "$ns" && ip netns exec "$ns" nft delete table inet "$NFT_TABLE" 2>/dev/null
	done
	return 0
}

cmd_env() {
	for v in SERVER SERVER6 CONTROL CONTROL6; do
		eval "printf \"RT_%s='%s'\\n\" $v \"\$$v\""
	done
	printf "RT_CA='%s'\nRT_SCRIPT='%s'\n" "$DIR/ca.pem" "$SELF"
	printf "RT_HOPS4='198.19.1.1 198.19.2.2 198.19.3.3'\n"
	printf "RT_HOPS6='fd00:6d71:1::1 fd00:6d71:2::2 fd00:6d71:3::3'\n"
}

case "${1:-}" in
start) cmd_start ;;
stop)
	need_root
	do_stop
	msg "stopped"
	;;
status)
	if healthy; then
		echo "routed: running"
		exit 0
	fi
	echo "routed: not running"
	exit 1
	;;
env) cmd_env ;;
block)
	shift
	cmd_block "$@"
	;;
unblock) cmd_unblock ;;
client)
	need_root
	shift
	ns_exists mp-rc || die "routed lab not running"
	exec ip netns exec mp-rc "$@"
	;;
probe)
	need_root
	shift
	ns_exists mp-rc || die "routed lab not running"
	exec ip netns exec mp-rc "$ROOT/bin/mailprobe" --ca-file "$DIR/ca.pem" "$@"
	;;
*)
	echo "usage: routed.sh start|stop|status|env|block PLACE PORT TYPE|unblock|client CMD|probe ARGS" >&2
	exit 2
	;;
esac
