#!/bin/sh
# mailprobe test lab: real Dovecot 2.3 and Postfix 3.7 in network namespaces.
#
# Topology (nothing leaves the machine: the only links are a veth pair between
# two namespaces this script creates, addresses from the RFC 2544 range):
#
#   netns mp-client  mp0 198.18.0.2/24  fd00:6d70::2/64
#        |  veth
#   netns mp-lab     mp0 198.18.0.10/24 mail.lab.test       good certificate
#                        198.18.0.11    expired.lab.test    expired certificate
#                        198.18.0.12    wronghost.lab.test  cert for wronghost.lab.test only
#                        198.18.0.13    notyet.lab.test     not yet valid
#                        198.18.0.14    expiring.lab.test   expires in 5 days
#                        198.18.0.15    nochain.lab.test    leaf signed by an intermediate
#                                                           the server does not send
#                        fd00:6d70::10/64 mail.lab.test (AAAA), good certificate
#                        198.18.0.20    oauth.lab.test      OAuth2 only, token server on 443
#                        198.18.0.21    nobasic.lab.test    passwords refused (5.7.139)
#                                       (tests/lab/oauth.sh: Dovecot instances of their own,
#                                       Postfix 587/465 through them)
#
#   Except for wronghost, every leaf also names mail.lab.test, so pinning
#   mail.lab.test to one of these addresses (--resolve mail.lab.test:993:198.18.0.12)
#   tests just the one defect. All leaves but nochain are signed by the lab root CA
#   (build/lab/ca/ca.pem), the only thing a client needs to trust.
#
#   Dovecot: IMAP 993 (TLS), 143 (STARTTLS, LOGINDISABLED before TLS), POP3 995 (TLS),
#            110 (STLS); one account alice@lab.test, password in build/lab/password.
#            A failed login answers after Dovecot's usual 2 s; the growing per-address
#            penalty is off.
#   Postfix: 25 (STARTTLS offered, no AUTH), 587 (STARTTLS required, AUTH only after
#            TLS), 465 (implicit TLS, AUTH), 2587 on mail.lab.test only (greets
#            SLOW_GREETING_SECONDS late, no AUTH); SASL through Dovecot; mail for lab.test is
#            delivered by virtual(8) into the Maildir Dovecot serves; all other mail is
#            discarded. No DNS anywhere.
#   /etc/netns/mp-client/{hosts,resolv.conf,nsswitch.conf} give the client the names
#   above and a resolver that answers nothing (127.0.0.1).
#   A second mail system, Exim and Courier in a chroot (build/labroot) and netns mp-srv
#   on the client's second link mp1 (198.18.2.0/24): split SMTP/IMAP hosts, an IMAP-only
#   host, a temporary-failure host, IPv6 with nothing listening; see servers.sh.
#
# Usage (as root; from any directory):
#   sh tests/lab/lab.sh start             start, or reuse a healthy running lab
#   sh tests/lab/lab.sh stop              remove everything but build/lab's certs/mail
#   sh tests/lab/lab.sh status            exit 0 if running and healthy
#   eval "$(sh tests/lab/lab.sh env)"     LAB_* variables for tests
#   sh tests/lab/lab.sh probe [ARGS...]   bin/mailprobe in mp-client against the lab
#                                         (host argument: $LAB_PROBE_HOST, default
#                                         mail.lab.test; set it empty to pass your own)
#   sh tests/lab/lab.sh client CMD...     run CMD in mp-client
#   sh tests/lab/lab.sh server CMD...     run CMD in mp-lab
#   sh tests/lab/lab.sh block PORT [drop|reset]   simulated ISP filter (nftables table
#   sh tests/lab/lab.sh unblock [PORT]            inet mailprobe_filter in mp-client)
#   sh tests/lab/lab.sh blocks            list active blocks
#   sh tests/lab/lab.sh srv stop|start|pause|resume NAME   one of the second system's
#   sh tests/lab/lab.sh srv block ADDR PORT | unblock      servers; a drop at the server
#   sh tests/lab/lab.sh rootfs            build build/labroot only (needs no lab lock)
#
# `start` reuses a healthy lab as it is, blocks included: a test that blocks a port
# unblocks it when done. A lab is healthy when both masters run in mp-lab, every port
# answers (lab.sh's own check passes the filter), the certificates are fresh and the
# lab was started by this same lab.sh; anything else is cleaned up and started anew.
# `stop` keeps the CA, certificates, password and mail for the next start.
# LAB_DEBUG=1 prints the phases with timestamps.
#
# State lives in build/lab/ (certs, configs, logs in build/lab/log, pid files).
# Server data Postfix/Dovecot users must reach (queue, Maildirs, user db, sockets)
# is in build/lab/srv, or, when the repo's path is not searchable by other users,
# in /var/lib/mailprobe-lab/<hash> with build/lab/srv a symlink to it.
set -u
# Descriptors a caller holds (such as `flock /tmp/mp-lab.lock sh lab.sh start`,
# whose lock is fd 3) must not be inherited by the daemons started here: a
# daemon holding them would keep the caller's lock until the lab stops.
exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&-

LAB_NS=mp-lab
CLIENT_NS=mp-client
LAB_HOST=mail.lab.test
LAB_USER=alice@lab.test
LAB_ADDR=198.18.0.10
LAB_ADDR6=fd00:6d70::10
LAB_ADDR_EXPIRED=198.18.0.11
LAB_ADDR_WRONGHOST=198.18.0.12
LAB_ADDR_NOTYET=198.18.0.13
LAB_ADDR_EXPIRING=198.18.0.14
LAB_ADDR_NOCHAIN=198.18.0.15
LAB_DNS_ADDR=198.18.0.53 # dnsmasq: SRV, MX and A records of the discovery domains
LAB_CLIENT_ADDR=198.18.0.2
LAB_CLIENT_ADDR6=fd00:6d70::2
NFT_TABLE=mailprobe_filter
HEALTH_MARK=0x6d70   # packets of lab.sh's own health check pass the filter
IFACE=mp0
MAIL_UID=5025        # owner of the Maildirs; numeric only, needs no passwd entry
CERT_RECIPE=8        # bump when leaf() or make_certs() change: forces new leaves
LEAF_MAX_AGE_MIN=360 # regenerate leaves older than this (keeps "5 days left" exact)
# name:address pairs for the per-address certificates
CASES="good:$LAB_ADDR expired:$LAB_ADDR_EXPIRED wronghost:$LAB_ADDR_WRONGHOST \
notyet:$LAB_ADDR_NOTYET expiring:$LAB_ADDR_EXPIRING nochain:$LAB_ADDR_NOCHAIN"
V4_ADDRS="$LAB_ADDR $LAB_ADDR_EXPIRED $LAB_ADDR_WRONGHOST $LAB_ADDR_NOTYET \
$LAB_ADDR_EXPIRING $LAB_ADDR_NOCHAIN"
PORTS="25 110 143 465 587 993 995"
# Postfix on mail.lab.test also greets late on this port (not in PORTS: the
# health check would wait for it)
SLOW_GREETING_PORT=2587
SLOW_GREETING_SECONDS=6

SELF=$(cd "$(dirname "$0")" && pwd -P)/$(basename "$0")
ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
LAB_DIR=$ROOT/build/lab
CA_DIR=$LAB_DIR/ca
CERT_DIR=$LAB_DIR/certs
LOG_DIR=$LAB_DIR/log
LAB_CA=$CA_DIR/ca.pem
LAB_PASSWORD_FILE=$LAB_DIR/password
PF_CONF=$LAB_DIR/postfix
DC_CONF=$LAB_DIR/dovecot/dovecot.conf
# server data: build/lab/srv, or where that symlink points (choose_srv)
srv_paths() {
	SRV=$LAB_DIR/srv
	[ -L "$SRV" ] && SRV=$(readlink -f "$SRV")
	RUN_DIR=$SRV/run
	PF_SPOOL=$SRV/postfix/spool
	PF_PIDFILE=$PF_SPOOL/pid/master.pid
	DC_PIDFILE=$RUN_DIR/master.pid
	oauth_paths
}
# the OAuth2 server (second Dovecot, token server) on oauth.lab.test
. "$(dirname "$SELF")/oauth.sh"
srv_paths
STAMP=$LAB_DIR/started
# the second mail system (Exim + Courier in a chroot, netns mp-srv)
. "$(dirname "$SELF")/servers.sh"

msg() { echo "lab: $*" >&2; }
die() { echo "lab: error: $*" >&2; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"; }

# ---------------------------------------------------------------- processes

# proc_alive PID [COMM]: process exists, is not a zombie, and (if given) has COMM.
proc_alive() {
	case "$1" in '' | *[!0-9]*) return 1 ;; esac
	# builtins only: this runs in loops over many pids
	{ read -r _line <"/proc/$1/stat"; } 2>/dev/null || return 1
	_st=${_line##*) }
	case "${_st%% *}" in '' | Z | X | x) return 1 ;; esac
	if [ $# -ge 2 ]; then
		{ read -r _comm <"/proc/$1/comm"; } 2>/dev/null || return 1
		[ "$_comm" = "$2" ] || return 1
	fi
	return 0
}

pidfile_pid() { [ -r "$1" ] && tr -dc '0-9' <"$1" 2>/dev/null; }

ns_exists() { [ -e "/run/netns/$1" ]; }

ns_pids() { ns_exists "$1" && ip netns pids "$1" 2>/dev/null; }

all_ns_pids() { { ns_pids "$LAB_NS"; ns_pids "$CLIENT_NS"; ns_pids "$SRV_NS"; } | sort -u; }

# LAB_DEBUG=1: timestamps of the phases on stderr
dbg() { [ -z "${LAB_DEBUG:-}" ] || echo "lab: $(date +%T.%N | cut -c1-12) $*" >&2; }

# in_lab_ns PID: the process lives in the mp-lab namespace
in_lab_ns() {
	[ "$(stat -L -c %d:%i "/proc/$1/ns/net" 2>/dev/null)" = \
		"$(stat -L -c %d:%i "/run/netns/$LAB_NS" 2>/dev/null)" ]
}

# ---------------------------------------------------------------- health

lab_healthy() {
	ns_exists "$LAB_NS" && ns_exists "$CLIENT_NS" || return 1
	[ -f /etc/netns/$CLIENT_NS/hosts ] || return 1
	[ -f "$STAMP" ] || return 1
	# started by this very version of the script
	[ "$(cat "$STAMP")" = "$(script_sum)" ] || return 1
	pf=$(pidfile_pid "$PF_PIDFILE")
	dc=$(pidfile_pid "$DC_PIDFILE")
	proc_alive "$pf" master && in_lab_ns "$pf" || return 1
	proc_alive "$dc" dovecot && in_lab_ns "$dc" || return 1
	srv_healthy || return 1
	oauth_healthy || return 1
	# certificates still say what their names promise
	[ -z "$(find "$CERT_DIR/.stamp" -mmin +$LEAF_MAX_AGE_MIN 2>/dev/null)" ] || return 1
	[ -f "$CERT_DIR/.stamp" ] && [ "$(cat "$CERT_DIR/.stamp")" = "$CERT_RECIPE" ] || return 1
	t=""
	for p in $PORTS; do t="$t $LAB_ADDR:$p"; done
	wait_ports 2 $t "[$LAB_ADDR6]:993" "[$LAB_ADDR6]:587" "$LAB_DNS_ADDR:53" "$LAB_ADDR:443" \
		$(oauth_targets) $(srv_targets) >/dev/null
}

# wait_ports SECONDS ADDR:PORT...: from mp-client, until every one accepts a TCP
# connection. Prints the ones that never did. Its packets carry the mark $HEALTH_MARK,
# which the simulated ISP filter lets through: a blocked port is not a broken lab.
wait_ports() {
	ip netns exec "$CLIENT_NS" /usr/bin/python3 -c '
import socket, sys, time
end = time.monotonic() + float(sys.argv[2])
todo = sys.argv[3:]
def probe(h, p):
    fam = socket.AF_INET6 if ":" in h else socket.AF_INET
    with socket.socket(fam, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, int(sys.argv[1], 0))
        s.settimeout(0.5)
        s.connect((h, int(p)))
while True:
    left = []
    for t in todo:
        h, p = t.rsplit(":", 1)
        try:
            probe(h.strip("[]"), p)
        except OSError:
            left.append(t)
    todo = left
    if not todo:
        sys.exit(0)
    if time.monotonic() >= end:
        print(" ".join(todo))
        sys.exit(1)
    time.sleep(0.05)
' "$HEALTH_MARK" "$@" 9>&-
}

# ---------------------------------------------------------------- certificates

ossl_date() { date -u -d "@$1" +%Y%m%d%H%M%SZ; }

write_ca_cnf() {
	cat >"$1/ca.cnf" <<EOF
[ ca ]
default_ca = lab_ca
[ lab_ca ]
dir = $1
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused
[ v3_inter ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
}

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# make_ca: root CA and intermediate in $CA_DIR (only when missing)
make_ca() {
	if [ -s "$CA_DIR/ca.key" ] && [ -s "$CA_DIR/inter.key" ] && [ -s "$CA_DIR/ca.cnf" ] &&
		[ -s "$CA_DIR/index.txt" ] && [ -s "$CA_DIR/serial" ] &&
		openssl verify -CAfile "$CA_DIR/ca.pem" "$CA_DIR/inter.pem" >/dev/null 2>&1; then
		return 0
	fi
	msg "creating lab CA"
	tmp=$LAB_DIR/ca.tmp
	rm -rf "$tmp" && mkdir -p "$tmp/newcerts" || return 1
	chmod 700 "$tmp"
	: >"$tmp/index.txt"
	echo 1000 >"$tmp/serial"
	write_ca_cnf "$tmp" || return 1
	now=$(date +%s)
	newkey "$tmp/ca.key" &&
		openssl req -x509 -new -key "$tmp/ca.key" -sha256 -days 3650 \
			-subj "/O=mailprobe lab/CN=mailprobe lab root CA" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign" \
			-out "$tmp/ca.pem" 2>/dev/null &&
		newkey "$tmp/inter.key" &&
		openssl req -new -key "$tmp/inter.key" \
			-subj "/O=mailprobe lab/CN=mailprobe lab intermediate CA" \
			-out "$tmp/inter.csr" 2>/dev/null &&
		openssl ca -batch -notext -config "$tmp/ca.cnf" -name lab_ca \
			-cert "$tmp/ca.pem" -keyfile "$tmp/ca.key" -extensions v3_inter \
			-startdate "$(ossl_date $((now - 86400)))" \
			-enddate "$(ossl_date $((now + 3650 * 86400)))" \
			-in "$tmp/inter.csr" -out "$tmp/inter.pem" >/dev/null 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2 2>/dev/null; return 1; }
	rm -f "$tmp/inter.csr" "$tmp/err"
	# the config names its own folder
	rm -rf "$CA_DIR" "$CERT_DIR" && mv "$tmp" "$CA_DIR" && write_ca_cnf "$CA_DIR" &&
		chmod 600 "$CA_DIR/ca.key" "$CA_DIR/inter.key" &&
		chmod 644 "$CA_DIR/ca.pem" "$CA_DIR/inter.pem" && chmod 755 "$CA_DIR"
}

# leaf NAME SIGNER(ca|inter) START_OFFSET END_OFFSET SAN [EXTRA_EXT_LINE]
leaf() {
	now=$(date +%s)
	k=$CERT_DIR/$1.key
	[ -s "$k" ] || newkey "$k" || return 1
	cat >"$CERT_DIR/$1.ext" <<EOF
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = $5
${6:-}
EOF
	cn=$1.lab.test
	[ "$1" = good ] && cn=$LAB_HOST
	openssl req -new -key "$k" -subj "/O=mailprobe lab/CN=$cn" \
		-out "$CERT_DIR/$1.csr" 2>/dev/null &&
		openssl ca -batch -notext -config "$CA_DIR/ca.cnf" -name lab_ca \
			-cert "$CA_DIR/$2.pem" -keyfile "$CA_DIR/$2.key" \
			-extfile "$CERT_DIR/$1.ext" -extensions leaf \
			-startdate "$(ossl_date $((now + $3)))" -enddate "$(ossl_date $((now + $4)))" \
			-in "$CERT_DIR/$1.csr" -out "$CERT_DIR/$1.pem.tmp" >/dev/null 2>"$CERT_DIR/err" ||
		{ cat "$CERT_DIR/err" >&2; return 1; }
	mv "$CERT_DIR/$1.pem.tmp" "$CERT_DIR/$1.pem"
	rm -f "$CERT_DIR/$1.csr" "$CERT_DIR/$1.ext" "$CERT_DIR/err"
}

make_certs() {
	make_ca || die "CA generation failed"
	if [ -f "$CERT_DIR/.stamp" ] && [ "$(cat "$CERT_DIR/.stamp")" = "$CERT_RECIPE" ] &&
		[ -z "$(find "$CERT_DIR/.stamp" -mmin +$LEAF_MAX_AGE_MIN)" ]; then
		return 0
	fi
	msg "creating lab server certificates"
	mkdir -p "$CERT_DIR" && chmod 700 "$CERT_DIR" || return 1
	rm -f "$CERT_DIR/.stamp"
	d=86400
	leaf good ca -3600 $((90 * d)) \
		"DNS:mail.lab.test, DNS:mail.guess.test, IP:$LAB_ADDR, IP:$LAB_ADDR6" &&
		leaf web ca -3600 $((90 * d)) \
			"DNS:lab.test, DNS:autoconfig.lab.test, DNS:autoconfig.auto.test, DNS:autoconfig.conflict.test, DNS:auto.test, DNS:conflict.test, DNS:autoconfig.spoofed.test" &&
		leaf expired ca $((-400 * d)) $((-30 * d)) \
			"DNS:mail.lab.test, DNS:expired.lab.test, IP:$LAB_ADDR_EXPIRED" &&
		leaf wronghost ca -3600 $((90 * d)) \
			"DNS:wronghost.lab.test, IP:$LAB_ADDR_WRONGHOST" &&
		leaf notyet ca $((30 * d)) $((400 * d)) \
			"DNS:mail.lab.test, DNS:notyet.lab.test, IP:$LAB_ADDR_NOTYET" &&
		leaf expiring ca $((-30 * d)) $((5 * d + 12 * 3600)) \
			"DNS:mail.lab.test, DNS:expiring.lab.test, IP:$LAB_ADDR_EXPIRING" &&
		leaf nochain inter -3600 $((90 * d)) \
			"DNS:mail.lab.test, DNS:nochain.lab.test, IP:$LAB_ADDR_NOCHAIN" \
			"authorityInfoAccess = caIssuers;URI:http://ca.lab.test/inter.crt" &&
		leaf extra ca -3600 $((90 * d)) "$(srv_cert_sans)" &&
		leaf moreexpired ca $((-400 * d)) $((-30 * d)) "DNS:misconf.lab.test, IP:$MISCONF_ADDR" &&
		leaf oauth ca -3600 $((90 * d)) "$(oauth_cert_sans)" ||
		die "certificate generation failed"
	chmod 600 "$CERT_DIR"/*.key
	chmod 644 "$CERT_DIR"/*.pem
	echo "$CERT_RECIPE" >"$CERT_DIR/.stamp"
}

# ---------------------------------------------------------------- configs

# Server data must be reachable by the postfix, dovecot and mail users.
choose_srv() {
	link=$LAB_DIR/srv
	chmod go+rx "$ROOT/build" "$LAB_DIR" 2>/dev/null
	if setpriv --reuid=65534 --regid=65534 --clear-groups -- test -x "$LAB_DIR" 2>/dev/null; then
		[ -L "$link" ] && rm -f "$link"
		mkdir -p "$link"
	else
		h=$(echo "$LAB_DIR" | cksum | cut -d' ' -f1)
		real=/var/lib/mailprobe-lab/$h
		mkdir -p "$real" && chmod 755 /var/lib/mailprobe-lab "$real"
		if [ "$(readlink "$link" 2>/dev/null)" != "$real" ]; then
			rm -rf "$link" && ln -s "$real" "$link"
		fi
	fi
	srv_paths
	chmod 755 "$SRV" 2>/dev/null
}

make_password() {
	[ -s "$LAB_PASSWORD_FILE" ] && return 0
	pw=$(tr -dc 'A-Za-z0-9' </dev/urandom 2>/dev/null | head -c 20)
	[ ${#pw} -eq 20 ] || die "could not generate a password"
	(umask 077 && echo "$pw" >"$LAB_PASSWORD_FILE.tmp") &&
		mv "$LAB_PASSWORD_FILE.tmp" "$LAB_PASSWORD_FILE"
}

# dc_conf_head BASE_DIR STATE_DIR INSTANCE LISTEN LOG CERT MECHANISMS: the
# settings every lab Dovecot shares (CERT: a leaf name in $CERT_DIR)
dc_conf_head() {
	dh=""
	[ -r /usr/share/dovecot/dh.pem ] && dh="ssl_dh = </usr/share/dovecot/dh.pem"
	cat <<EOF
# generated by tests/lab/lab.sh
base_dir = $1
state_dir = $2
instance_name = $3
protocols = imap pop3
listen = $4
log_path = $5
auth_verbose = yes
ssl = yes
ssl_cert = <$CERT_DIR/$6.pem
ssl_key = <$CERT_DIR/$6.key
$dh
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = $7
auth_username_format = %Lu
first_valid_uid = $MAIL_UID
last_valid_uid = $MAIL_UID
mail_location = maildir:$SRV/mail/%d/%n/Maildir
namespace inbox {
  inbox = yes
  separator = /
}
EOF
}

# dc_conf_services [LOGIN_SETTINGS]: Postfix's auth socket, no penalty,
# IMAP 143/993 and POP3 110/995 (LOGIN_SETTINGS inside both login services)
dc_conf_services() {
	cat <<EOF
service auth {
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
# no growing per-IP delays after failed logins (tests log in wrongly on purpose)
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
${1:+$1
}  inet_listener imap {
    port = 143
  }
  inet_listener imaps {
    port = 993
    ssl = yes
  }
}
service pop3-login {
${1:+$1
}  inet_listener pop3 {
    port = 110
  }
  inet_listener pop3s {
    port = 995
    ssl = yes
  }
}
protocol pop3 {
  pop3_uidl_format = %08Xu%08Xv
}
EOF
}

write_configs() {
	mkdir -p "$LOG_DIR" "$PF_CONF" "$LAB_DIR/dovecot" "$RUN_DIR" \
		"$SRV/dovecot/state" "$SRV/postfix/data" "$SRV/mail" "$PF_SPOOL" || return 1
	pw=$(head -n 1 "$LAB_PASSWORD_FILE")
	home=$SRV/mail/lab.test/alice
	mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp"
	chown -R $MAIL_UID:$MAIL_UID "$SRV/mail"
	chmod 700 "$home" "$home/Maildir"
	chown postfix:postfix "$SRV/postfix/data"

	# Dovecot user db (read by the auth process, which runs as dovecot)
	echo "$LAB_USER:{PLAIN}$pw:$MAIL_UID:$MAIL_UID::$home::" >"$SRV/users.tmp" &&
		chown root:dovecot "$SRV/users.tmp" && chmod 640 "$SRV/users.tmp" &&
		mv "$SRV/users.tmp" "$SRV/users" || return 1

	locals=""
	for c in $CASES; do
		n=${c%%:*}
		a=${c#*:}
		locals="${locals}local $a {
  ssl_cert = <$CERT_DIR/$n.pem
  ssl_key = <$CERT_DIR/$n.key
}
"
	done
	{
		dc_conf_head "$RUN_DIR" "$SRV/dovecot/state" mailprobe-lab \
			"$(echo $V4_ADDRS | tr ' ' ','), $LAB_ADDR6" "$LOG_DIR/dovecot.log" good "plain login"
		cat <<EOF
mail_max_userip_connections = 1000
default_process_limit = 1000
default_client_limit = 4000
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $SRV/users
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $SRV/users
}
EOF
		# high-performance mode: login processes are reused, not forked per
		# connection (else Dovecot's TLS setup dominates every benchmark here)
		dc_conf_services "  service_count = 0
  process_min_avail = 2"
		echo "$locals"
	} >"$DC_CONF"

	cat >"$PF_CONF/main.cf" <<EOF
# generated by tests/lab/lab.sh
compatibility_level = 3.6
queue_directory = $PF_SPOOL
data_directory = $SRV/postfix/data
meta_directory = /etc/postfix
maillog_file = $LOG_DIR/postfix.log
maillog_file_prefixes = $LOG_DIR
myhostname = $LAB_HOST
mydomain = lab.test
myorigin = \$mydomain
mydestination =
relayhost =
inet_interfaces = all
inet_protocols = all
mynetworks = 127.0.0.0/8 [::1]/128
smtpd_banner = \$myhostname ESMTP mailprobe lab
biff = no
append_dot_mydomain = no
alias_maps =
alias_database =
local_recipient_maps =
# never talk to anything outside the lab
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
default_transport = discard:lab
relay_transport = discard:lab
local_transport = discard:lab
# lab.test is delivered into the Maildirs Dovecot serves
virtual_mailbox_domains = lab.test
virtual_mailbox_base = $SRV/mail
virtual_mailbox_maps = texthash:$SRV/postfix/vmailbox
virtual_alias_maps =
virtual_uid_maps = static:$MAIL_UID
virtual_gid_maps = static:$MAIL_UID
virtual_minimum_uid = $MAIL_UID
virtual_transport = virtual
# providers refuse senders the login does not own (rejected at RCPT TO, as
# Postfix delays rejections by default)
smtpd_sender_login_maps = texthash:$SRV/postfix/senders
smtpd_tls_cert_file = $CERT_DIR/good.pem
smtpd_tls_key_file = $CERT_DIR/good.key
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes
smtp_tls_security_level = none
smtpd_sasl_type = dovecot
smtpd_sasl_path = $RUN_DIR/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination
# load tests come from one client address
default_process_limit = 500
smtpd_client_connection_count_limit = 0
smtpd_client_event_limit_exceptions = \$mynetworks, 198.18.0.0/24, [fd00:6d70::]/64
message_size_limit = 10240000
notify_classes =
EOF
	printf '%s lab.test/alice/Maildir/\n%s lab.test/oauth/Maildir/\n' "$LAB_USER" "$OAUTH_USER" \
		>"$SRV/postfix/vmailbox"
	printf '%s %s\n%s %s\n' "$LAB_USER" "$LAB_USER" "$OAUTH_USER" "$OAUTH_USER" >"$SRV/postfix/senders"
	oauth_write_configs || return 1

	{
		cat <<'EOF'
# generated by tests/lab/lab.sh
# service type  private unpriv  chroot  wakeup  maxproc command + args
EOF
		for c in $CASES good:[$LAB_ADDR6]; do
			n=${c%%:*}
			a=${c#*:}
			cert="-o smtpd_tls_cert_file=$CERT_DIR/$n.pem -o smtpd_tls_key_file=$CERT_DIR/$n.key"
			cat <<EOF
$a:25 inet n - n - - smtpd
  $cert
$a:587 inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  $cert
$a:465 inet n - n - - smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  $cert
EOF
		done
		# a greeting SLOW_GREETING_SECONDS late: the client restrictions run at
		# connect time (smtpd_delay_reject=no) and sleep before the 220
		cat <<EOF
$LAB_ADDR:$SLOW_GREETING_PORT inet n - n - - smtpd
  -o syslog_name=postfix/slowgreeting
  -o smtpd_delay_reject=no
  -o smtpd_client_restrictions=sleep,$SLOW_GREETING_SECONDS
  -o smtpd_tls_cert_file=$CERT_DIR/good.pem -o smtpd_tls_key_file=$CERT_DIR/good.key
EOF
		oauth_master_cf "-o smtpd_tls_cert_file=$CERT_DIR/oauth.pem -o smtpd_tls_key_file=$CERT_DIR/oauth.key"
		cat <<'EOF'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
	} >"$PF_CONF/master.cf"

	# Postfix stalls ~2 s at start while a config file's mtime is "now".
	old=$(($(date +%s) - 5))
	touch -d "@$old" "$PF_CONF/main.cf" "$PF_CONF/master.cf" "$SRV/postfix/vmailbox" \
		"$DC_CONF" "$SRV/users"
}

write_netns_etc() {
	for ns in $CLIENT_NS $LAB_NS; do
		d=/etc/netns/$ns
		mkdir -p "$d" || return 1
		cat >"$d/hosts" <<EOF
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
$LAB_CLIENT_ADDR	client.lab.test
$LAB_CLIENT_ADDR6	client.lab.test
$LAB_ADDR	$LAB_HOST
$LAB_ADDR6	$LAB_HOST
$LAB_ADDR_EXPIRED	expired.lab.test
$LAB_ADDR_WRONGHOST	wronghost.lab.test
$LAB_ADDR_NOTYET	notyet.lab.test
$LAB_ADDR_EXPIRING	expiring.lab.test
$LAB_ADDR_NOCHAIN	nochain.lab.test
EOF
		srv_hosts_lines >>"$d/hosts"
		oauth_hosts_lines >>"$d/hosts"
		printf 'nameserver %s\noptions timeout:1 attempts:2\n' "$LAB_DNS_ADDR" >"$d/resolv.conf"
		if [ -r /etc/nsswitch.conf ]; then
			sed 's/^hosts:.*/hosts:          files dns/' /etc/nsswitch.conf >"$d/nsswitch.conf"
		else
			printf 'hosts: files dns\n' >"$d/nsswitch.conf"
		fi
	done
}

# ---------------------------------------------------------------- network

make_net() {
	ip netns add "$LAB_NS" && ip netns add "$CLIENT_NS" || return 1
	ip -n "$CLIENT_NS" link add "$IFACE" type veth peer name "$IFACE" netns "$LAB_NS" ||
		return 1
	ip -n "$LAB_NS" link set lo up && ip -n "$CLIENT_NS" link set lo up || return 1
	ip -n "$CLIENT_NS" addr add "$LAB_CLIENT_ADDR/24" dev "$IFACE" &&
		ip -n "$CLIENT_NS" addr add "$LAB_CLIENT_ADDR6/64" dev "$IFACE" nodad || return 1
	for a in $V4_ADDRS $LAB_DNS_ADDR $OAUTH_ADDR $NOBASIC_ADDR; do
		ip -n "$LAB_NS" addr add "$a/24" dev "$IFACE" || return 1
	done
	ip -n "$LAB_NS" addr add "$LAB_ADDR6/64" dev "$IFACE" nodad &&
		ip -n "$LAB_NS" link set "$IFACE" up &&
		ip -n "$CLIENT_NS" link set "$IFACE" up
}

# rewrite the client's filter table from $LAB_DIR/blocks (lines "PORT MODE")
apply_blocks() {
	ns_exists "$CLIENT_NS" || die "lab not running (no $CLIENT_NS)"
	rules=""
	if [ -s "$LAB_DIR/blocks" ]; then
		while read -r port mode; do
			case "$mode" in
			reset) act="reject with tcp reset" ;;
			*) act="drop" ;;
			esac
			rules="$rules    oifname { \"$IFACE\", \"$SRV_IFACE\" } meta mark != $HEALTH_MARK tcp dport $port counter $act
"
		done <"$LAB_DIR/blocks"
	fi
	if [ -z "$rules" ]; then
		ip netns exec "$CLIENT_NS" nft delete table inet "$NFT_TABLE" 2>/dev/null
		return 0
	fi
	ip netns exec "$CLIENT_NS" nft -f - <<EOF
table inet $NFT_TABLE
delete table inet $NFT_TABLE
table inet $NFT_TABLE {
  chain output {
    type filter hook output priority 0; policy accept;
$rules  }
}
EOF
}

valid_port() {
	case "$1" in '' | *[!0-9]*) return 1 ;; esac
	[ "$1" -ge 1 ] && [ "$1" -le 65535 ]
}

# ---------------------------------------------------------------- discovery

# Autoconfig files (Mozilla config-v1.1.xml) by host name under $LAB_DIR/www.
autoconfig_xml() { # DOMAIN SMTP_PORT SMTP_SOCKET USERNAME
	cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="$1">
    <domain>$1</domain>
    <displayName>mailprobe lab ($1)</displayName>
    <incomingServer type="imap">
      <hostname>$LAB_HOST</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>$4</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>$LAB_HOST</hostname>
      <port>$2</port>
      <socketType>$3</socketType>
      <authentication>password-cleartext</authentication>
      <username>$4</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
EOF
}

write_www() {
	www=$LAB_DIR/www
	rm -rf "$www" && mkdir -p "$www/autoconfig.lab.test/mail" \
		"$www/autoconfig.auto.test/mail" "$www/conflict.test/.well-known/autoconfig/mail" \
		"$www/autoconfig.spoofed.test/mail" ||
		return 1
	autoconfig_xml lab.test 587 STARTTLS '%EMAILADDRESS%' \
		>"$www/autoconfig.lab.test/mail/config-v1.1.xml" &&
		autoconfig_xml auto.test 587 STARTTLS '%EMAILADDRESS%' \
			>"$www/autoconfig.auto.test/mail/config-v1.1.xml" &&
		autoconfig_xml conflict.test 465 SSL '%EMAILADDRESS%' \
			>"$www/conflict.test/.well-known/autoconfig/mail/config-v1.1.xml" &&
		autoconfig_xml spoofed.test 587 STARTTLS '%EMAILADDRESS%' \
			>"$www/autoconfig.spoofed.test/mail/config-v1.1.xml"
}

# dnsmasq answers for the discovery domains (authoritative for .test):
#   lab.test       SRV (993 995 587 465) + MX + autoconfig: all agree
#   auto.test      autoconfig only          mx.test   MX only
#   guess.test     only mail.guess.test     conflict.test  SRV submission on a dead
#                  port 2525, autoconfig (well-known URL) says 465: they disagree
#   forged.test    attacker DNS: SRV and MX name wronghost.lab.test, outside the
#                  domain (its certificate is valid for that name); no autoconfig
#   spoofed.test   autoconfig over HTTPS says mail.lab.test, forged SRV records
#                  say wronghost.lab.test
start_dns() {
	h=$LAB_HOST
	ip netns exec "$LAB_NS" dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --no-poll \
		--bind-interfaces --listen-address="$LAB_DNS_ADDR" --user=root --group=root \
		--pid-file="$LAB_DIR/dnsmasq.pid" --log-facility="$LOG_DIR/dnsmasq.log" \
		--local=/test/ \
		--host-record="$h,$LAB_ADDR,$LAB_ADDR6" --host-record="lab.test,$LAB_ADDR" \
		--host-record="autoconfig.lab.test,$LAB_ADDR" \
		--host-record="autoconfig.auto.test,$LAB_ADDR" \
		--host-record="conflict.test,$LAB_ADDR" --host-record="mail.guess.test,$LAB_ADDR" \
		--srv-host="_imaps._tcp.lab.test,$h,993" --srv-host="_pop3s._tcp.lab.test,$h,995" \
		--srv-host="_submission._tcp.lab.test,$h,587" \
		--srv-host="_submissions._tcp.lab.test,$h,465" --mx-host="lab.test,$h,10" \
		--mx-host="mx.test,$h,10" \
		--srv-host="_imaps._tcp.conflict.test,$h,993" \
		--srv-host="_submission._tcp.conflict.test,$h,2525" \
		$(srv_dns_records) \
		--srv-host="_imaps._tcp.forged.test,wronghost.lab.test,993" \
		--srv-host="_submission._tcp.forged.test,wronghost.lab.test,587" \
		--mx-host="forged.test,wronghost.lab.test,10" \
		--host-record="autoconfig.spoofed.test,$LAB_ADDR" \
		--srv-host="_imaps._tcp.spoofed.test,wronghost.lab.test,993" \
		--srv-host="_submission._tcp.spoofed.test,wronghost.lab.test,587" \
		</dev/null >>"$LOG_DIR/dnsmasq.stdout" 2>&1 9>&-
}

start_https() {
	ip netns exec "$LAB_NS" /usr/bin/python3 "$ROOT/tests/lab/autoconfig_server.py" \
		"$LAB_ADDR" "$LAB_DIR/www" "$CERT_DIR/web.pem" "$CERT_DIR/web.key" \
		</dev/null >>"$LOG_DIR/https.log" 2>&1 9>&- &
	echo $! >"$LAB_DIR/https.pid"
}

start_discovery() {
	write_www && start_dns && start_https || {
		do_stop quiet
		die "dnsmasq or the autoconfig server did not start (logs in $LOG_DIR)"
	}
}


# ---------------------------------------------------------------- start / stop

start_daemons() {
	# in the background while Postfix starts; their ports are waited for
	# with the others
	oauth_start
	# Postfix first: it creates the spool Dovecot's auth listener is for.
	ip netns exec "$LAB_NS" postfix -c "$PF_CONF" start \
		</dev/null >>"$LOG_DIR/postfix.stdout" 2>&1 9>&-
	pf=$(pidfile_pid "$PF_PIDFILE")
	dbg "start: postfix started"
	proc_alive "$pf" master || {
		tail -n 20 "$LOG_DIR/postfix.stdout" "$LOG_DIR/postfix.log" >&2 2>/dev/null
		do_stop quiet
		die "postfix did not start (logs in $LOG_DIR)"
	}
	rm -f "$DC_PIDFILE"
	ip netns exec "$LAB_NS" dovecot -c "$DC_CONF" \
		</dev/null >>"$LOG_DIR/dovecot.stdout" 2>&1 9>&-
	n=50 # dovecot writes its pid file after it went to the background
	while :; do
		dc=$(pidfile_pid "$DC_PIDFILE")
		proc_alive "$dc" dovecot && break
		n=$((n - 1))
		[ $n -gt 0 ] || break
		sleep 0.1
	done
	proc_alive "$dc" dovecot || {
		tail -n 20 "$LOG_DIR/dovecot.stdout" "$LOG_DIR/dovecot.log" >&2 2>/dev/null
		do_stop quiet
		die "dovecot did not start (logs in $LOG_DIR)"
	}
	dbg "start: dovecot started"
	start_discovery
	echo "$pf" >"$LAB_DIR/postfix.pid"
	echo "$dc" >"$LAB_DIR/dovecot.pid"
}

cmd_start() {
	need_root
	mkdir -p "$LAB_DIR" || die "cannot create $LAB_DIR"
	exec 9>"$LAB_DIR/.lock"
	flock -w 60 9 || die "another lab.sh holds $LAB_DIR/.lock"
	if lab_healthy; then
		msg "running (reused)"
		return 0
	fi
	dbg "start: not healthy, cleaning"
	do_stop quiet
	dbg "start: clean"
	command -v postfix >/dev/null && command -v dovecot >/dev/null ||
		die "postfix/dovecot missing: make deps"
	choose_srv
	make_certs
	make_password
	write_configs || die "writing configs failed"
	write_netns_etc || die "cannot write /etc/netns"
	dbg "start: configs written"
	make_net || { do_stop quiet; die "network setup failed"; }
	dbg "start: network up"
	rm -f "$LAB_DIR/blocks"
	start_daemons
	if ! start_srv; then
		msg "the second mail system (Exim, Courier) did not start; lab without it"
		msg "(MP_LAB_EXTRA=0 skips it; tests/lab/test_servers.py fails without it)"
		echo failed >"$SRV_OFF"
	fi
	dbg "start: exim and courier started"
	targets=""
	for a in $V4_ADDRS; do
		for p in $PORTS; do targets="$targets $a:$p"; done
	done
	for p in $PORTS; do targets="$targets [$LAB_ADDR6]:$p"; done
	targets="$targets $LAB_DNS_ADDR:53 $LAB_ADDR:443 $(oauth_targets) $(srv_targets)"
	left=$(wait_ports 10 $targets) || {
		msg "ports not answering after 10 s: $left"
		tail -n 20 "$LOG_DIR/postfix.log" "$LOG_DIR/dovecot.log" >&2 2>/dev/null
		oauth_log_tail
		srv_log_tail
		do_stop quiet
		die "lab did not come up"
	}
	dbg "start: ports answer"
	script_sum >"$STAMP"
	msg "running: $LAB_HOST at $LAB_ADDR / $LAB_ADDR6 in netns $LAB_NS, client netns $CLIENT_NS"
}

# kill_wait TENTHS: wait until the masters ($pids) and everything in our namespaces
# are gone or zombies (PID 1 here reaps orphans lazily)
kill_wait() {
	n=$1
	while :; do
		alive=""
		for p in $pids $(all_ns_pids); do proc_alive "$p" && alive="$alive $p"; done
		[ -z "$alive" ] && return 0
		n=$((n - 1))
		[ $n -ge 0 ] || return 1
		sleep 0.1
	done
}

do_stop() {
	quiet=${1:-}
	pids=""
	pf=$(pidfile_pid "$PF_PIDFILE")
	[ -n "$pf" ] || pf=$(pidfile_pid "$LAB_DIR/postfix.pid")
	dc=$(pidfile_pid "$DC_PIDFILE")
	[ -n "$dc" ] || dc=$(pidfile_pid "$LAB_DIR/dovecot.pid")
	proc_alive "$pf" master && pids="$pids $pf"
	proc_alive "$dc" dovecot && pids="$pids $dc"
	pids="$pids $(oauth_master_pids | tr '\n' ' ')"
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	dbg "stop: TERM masters:$pids"
	# A short grace period for the masters to stop their children; then TERM, and at
	# last KILL, whatever still runs in the namespaces (orphans of a master that died,
	# Dovecot login processes that wait 5 s for the stats process that already left).
	w=3
	for sig in TERM KILL; do
		kill_wait $w && break
		w=15
		[ -n "$quiet" ] || [ $sig = TERM ] || msg "sending $sig to leftover processes:$alive"
		dbg "stop: $sig$alive"
		for p in $alive; do kill -$sig "$p" 2>/dev/null; done
	done
	kill_wait 10 || msg "processes still running:$alive"
	dbg "stop: processes gone"
	for ns in $CLIENT_NS $LAB_NS $SRV_NS; do
		if ns_exists "$ns"; then
			ip -n "$ns" link del "$IFACE" 2>/dev/null
			ip netns del "$ns" 2>/dev/null || msg "could not delete netns $ns"
		fi
		rm -rf "/etc/netns/$ns"
	done
	rmdir /etc/netns 2>/dev/null
	# only ever made inside mp-client; a copy in the host namespace would be ours too
	nft delete table inet "$NFT_TABLE" 2>/dev/null
	rm -f "$STAMP" "$SRV_PIDS" "$SRV_OFF" "$LAB_DIR/blocks" "$LAB_DIR/postfix.pid" "$LAB_DIR/dovecot.pid" \
		"$DC_PIDFILE" "$PF_PIDFILE"
	[ -d "$RUN_DIR" ] && find "$RUN_DIR" -mindepth 1 -delete 2>/dev/null
	oauth_cleanup
}

cmd_stop() {
	need_root
	if [ -d "$LAB_DIR" ]; then
		exec 9>"$LAB_DIR/.lock"
		flock -w 60 9 || msg "lock busy; stopping anyway"
	fi
	do_stop
	msg "stopped"
}

cmd_env() {
	for v in LAB_NS CLIENT_NS LAB_HOST LAB_ADDR LAB_ADDR6 LAB_ADDR_EXPIRED \
		LAB_ADDR_WRONGHOST LAB_ADDR_NOTYET LAB_ADDR_EXPIRING LAB_ADDR_NOCHAIN \
		LAB_CLIENT_ADDR LAB_CLIENT_ADDR6 LAB_CA LAB_USER LAB_PASSWORD_FILE LAB_DIR \
		LAB_DNS_ADDR SPLIT_SMTP_ADDR SPLIT_IMAP_ADDR IMAPONLY_ADDR TEMPFAIL_ADDR DUAL_ADDR \
		DUAL_ADDR6 SRV_NS ROOTFS SMTPD_ADDR SENDMAIL_ADDR CYRUS_ADDR MAILUTILS_ADDR MISCONF_ADDR \
		SLOW_ADDR OAUTH_ADDR OAUTH_HOST NOBASIC_ADDR NOBASIC_HOST OAUTH_USER OAUTH_SCOPE \
		OAUTH_DIR OAUTH_TOKEN_URL BASIC_DISABLED SLOW_GREETING_PORT SLOW_GREETING_SECONDS; do
		val=""
		eval "val=\$$v"
		printf "%s='%s'\n" "$v" "$val"
	done
	printf "LAB_SCRIPT='%s'\n" "$SELF"
	printf "LAB_LOG_DIR='%s'\n" "$LOG_DIR"
	printf "LAB_EXTRA='%s'\n" "$(srv_state)"
	printf "LAB_MAILDIR='%s'\n" "$SRV/mail/lab.test/alice/Maildir"
}

cmd_probe() {
	need_root
	ns_exists "$CLIENT_NS" || die "lab not running: sh tests/lab/lab.sh start"
	bin=$ROOT/bin/mailprobe
	[ -x "$bin" ] || { echo "lab: $bin not built (make)" >&2; exit 3; }
	host=${LAB_PROBE_HOST-$LAB_HOST}
	if [ -n "$host" ]; then set -- "$@" "$host"; fi
	exec ip netns exec "$CLIENT_NS" "$bin" --user "$LAB_USER" \
		--password-file "$LAB_PASSWORD_FILE" --ca-file "$LAB_CA" "$@"
}

cmd_block() {
	need_root
	valid_port "${1:-}" || die "usage: lab.sh block PORT [drop|reset]"
	mode=${2:-drop}
	case "$mode" in drop | reset) ;; *) die "mode must be drop or reset" ;; esac
	exec 9>"$LAB_DIR/.lock"
	flock -w 60 9 || die "lock busy"
	{ grep -v "^$1 " "$LAB_DIR/blocks" 2>/dev/null; echo "$1 $mode"; } >"$LAB_DIR/blocks.tmp"
	mv "$LAB_DIR/blocks.tmp" "$LAB_DIR/blocks"
	apply_blocks || die "nft failed"
}

cmd_unblock() {
	need_root
	[ $# -eq 0 ] || valid_port "$1" || die "usage: lab.sh unblock [PORT]"
	exec 9>"$LAB_DIR/.lock"
	flock -w 60 9 || die "lock busy"
	if [ $# -eq 0 ]; then
		rm -f "$LAB_DIR/blocks"
	else
		grep -v "^$1 " "$LAB_DIR/blocks" >"$LAB_DIR/blocks.tmp" 2>/dev/null
		mv "$LAB_DIR/blocks.tmp" "$LAB_DIR/blocks"
	fi
	apply_blocks || die "nft failed"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status)
	if lab_healthy; then
		echo "lab: running"
		exit 0
	fi
	echo "lab: not running"
	exit 1
	;;
env) cmd_env ;;
probe)
	shift
	cmd_probe "$@"
	;;
client | server)
	need_root
	[ $# -ge 2 ] || die "usage: lab.sh $1 CMD [ARGS...]"
	ns=$CLIENT_NS
	[ "$1" = server ] && ns=$LAB_NS
	ns_exists "$ns" || die "lab not running"
	shift
	exec ip netns exec "$ns" "$@"
	;;
block)
	shift
	cmd_block "$@"
	;;
unblock)
	shift
	cmd_unblock "$@"
	;;
srv)
	shift
	cmd_srv "$@"
	;;
rootfs)
	need_root
	mkdir -p "$LAB_DIR" && build_rootfs
	;;
blocks)
	cat "$LAB_DIR/blocks" 2>/dev/null
	exit 0
	;;
*)
	echo "usage: lab.sh start|stop|status|env|probe [ARGS]|client CMD|server CMD|block PORT [drop|reset]|unblock [PORT]|blocks" >&2
	exit 2
	;;
esac
