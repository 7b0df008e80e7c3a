# shellcheck shell=sh
# Sourced by tests/lab/lab.sh: the lab's second mail system, Exim 4.96 (SMTP)
# and Courier-IMAP 5 (IMAP and POP3, GnuTLS), from Debian packages that
# conflict with the installed Postfix and Dovecot. They live in a chroot of
# their own, build/labroot (debootstrap --variant=minbase from this machine's
# apt mirror, built once and reused; ~3 min and ~230 MB the first time), and
# run in their own network namespace, reached from the client namespace over
# a second veth pair:
#
#   netns mp-client  mp1 198.18.2.2/24  fd00:6d72::2/64
#        |  veth
#   netns mp-srv     mp1 198.18.2.10  smtp.split.test    Exim 25 465 587 only
#                        198.18.2.11  imap.split.test    Courier 993 143 995 110 only
#                        198.18.2.12  imaponly.lab.test  Courier 993 143 995 110 only
#                        198.18.2.13  tempfail.lab.test  Exim and Courier; every login
#                                     gets a temporary failure (Courier: its auth daemon
#                                     is out of reach, "Temporary problem, please try
#                                     again later"; Exim: "435 Unable to authenticate
#                                     at present")
#                        198.18.2.14  dual.lab.test      Exim and Courier on IPv4;
#                        fd00:6d72::14 dual.lab.test     nothing listens on IPv6 (RST)
#
# Same account as the main lab (alice@lab.test, build/lab/password); one
# certificate from the lab CA names all of them. Exim delivers alice@lab.test
# into the Maildir Courier serves and discards everything else; no DNS and no
# route out of mp-srv. Set MP_LAB_EXTRA=0 to start the lab without them.
# OpenSMTPD, Sendmail, Cyrus and GNU Mailutils on 198.18.2.20-25: moreservers.sh.

SRV_NS=mp-srv
SRV_IFACE=mp1
SRV_CLIENT_ADDR=198.18.2.2
SRV_CLIENT_ADDR6=fd00:6d72::2
SPLIT_SMTP_ADDR=198.18.2.10
SPLIT_IMAP_ADDR=198.18.2.11
IMAPONLY_ADDR=198.18.2.12
TEMPFAIL_ADDR=198.18.2.13
DUAL_ADDR=198.18.2.14
DUAL_ADDR6=fd00:6d72::14
SRV_V4_ADDRS="$SPLIT_SMTP_ADDR $SPLIT_IMAP_ADDR $IMAPONLY_ADDR $TEMPFAIL_ADDR $DUAL_ADDR"
EXIM_ADDRS="$SPLIT_SMTP_ADDR $TEMPFAIL_ADDR $DUAL_ADDR"
COURIER_ADDRS="$SPLIT_IMAP_ADDR $IMAPONLY_ADDR $DUAL_ADDR"
# name address pairs for /etc/netns/*/hosts
. "$(dirname "$SELF")/moreservers.sh"
SRV_HOSTS="smtp.split.test:$SPLIT_SMTP_ADDR imap.split.test:$SPLIT_IMAP_ADDR \
imaponly.lab.test:$IMAPONLY_ADDR tempfail.lab.test:$TEMPFAIL_ADDR dual.lab.test:$DUAL_ADDR \
$MORE_HOSTS"
ROOTFS=$ROOT/build/labroot
ROOTFS_PKGS="exim4-daemon-light courier-imap courier-pop courier-authdaemon courier-authlib-userdb \
$MORE_PKGS"
ROOTFS_RECIPE="2 $ROOTFS_PKGS / $MORE_UNPACK"
SRV_PIDS=$LAB_DIR/srv-pids
SRV_OFF=$LAB_DIR/srv-off # why this lab runs without them: "off" or "failed"

extra_enabled() { [ "${MP_LAB_EXTRA:-1}" != 0 ] && [ ! -f "$SRV_OFF" ]; }

# srv_state: running, off (MP_LAB_EXTRA=0) or failed (not built or not started)
srv_state() {
	if [ -s "$SRV_OFF" ]; then
		cat "$SRV_OFF"
	elif [ "${MP_LAB_EXTRA:-1}" = 0 ]; then
		echo off
	else
		echo running
	fi
}

# script_sum: the lab scripts' checksum (a lab started by other scripts is restarted)
script_sum() {
	d=$(dirname "$SELF")
	cat "$SELF" "$d/servers.sh" "$d/moreservers.sh" "$d/oauth.sh" "$d/token_server.py" | cksum
}

# ---------------------------------------------------------------- the chroot

# apt_mirror: the Debian mirror this machine's apt uses (MP_LAB_MIRROR wins).
apt_mirror() {
	if [ -n "${MP_LAB_MIRROR:-}" ]; then
		echo "$MP_LAB_MIRROR"
		return
	fi
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		sed -n 's|^URIs:[[:space:]]*\(https\{0,1\}://[^[:space:]]*/debian\)/\{0,1\}$|\1|p
			s|^deb[[:space:]]\{1,\}\(https\{0,1\}://[^[:space:]]*/debian\)/\{0,1\}[[:space:]].*|\1|p' "$f"
	done | head -n 1
}

rootfs_ready() { [ "$(cat "$ROOTFS/.mp-recipe" 2>/dev/null)" = "$ROOTFS_RECIPE" ]; }

# build_rootfs: debootstrap + the packages, into a temporary folder renamed at
# the end (an interrupted build leaves nothing half-made behind). Postinst
# scripts start nothing: policy-rc.d denies every start.
build_rootfs() {
	rootfs_ready && return 0
	command -v debootstrap >/dev/null || { msg "debootstrap missing: make deps"; return 1; }
	mirror=$(apt_mirror)
	[ -n "$mirror" ] || { msg "no Debian mirror in /etc/apt/sources.list*"; return 1; }
	suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
	tmp=$ROOTFS.tmp
	log=$LOG_DIR/labroot-build.log
	msg "building $ROOTFS ($suite from $mirror; once, ~3 min; log $log)"
	mkdir -p "$LOG_DIR"
	rm -rf "$tmp" "$ROOTFS"
	t0=$(date +%s)
	debootstrap --variant=minbase "$suite" "$tmp" "$mirror" >"$log" 2>&1 || {
		tail -n 5 "$log" >&2
		return 1
	}
	printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d" && chmod 755 "$tmp/usr/sbin/policy-rc.d"
	chroot "$tmp" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
		sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $ROOTFS_PKGS &&
			$(unpack_more_script) && apt-get clean" </dev/null >>"$log" 2>&1 || {
		tail -n 5 "$log" >&2
		return 1
	}
	rm -rf "$tmp/var/lib/apt/lists"/*_Packages "$tmp/var/lib/apt/lists"/*_Translation-*
	echo "$ROOTFS_RECIPE" >"$tmp/.mp-recipe" && mv "$tmp" "$ROOTFS" || return 1
	msg "built $ROOTFS in $(($(date +%s) - t0)) s ($(du -sm "$ROOTFS" | cut -f1) MB)"
}

# ---------------------------------------------------------------- configs

write_srv_configs() {
	r=$ROOTFS
	pw=$(head -n 1 "$LAB_PASSWORD_FILE")
	mkdir -p "$r/etc/mp" "$r/srv/mail/alice/Maildir/cur" "$r/srv/mail/alice/Maildir/new" \
		"$r/srv/mail/alice/Maildir/tmp" "$r/run/courier/authdaemon" "$r/run/mp-noauth" || return 1
	# Mailutils makes this empty spool at its first login and refuses one with
	# more than one link (a chroot copied with hard links, cp -al) with
	# "-ERR [IN-USE]": each start lets it make a new one.
	rm -f "$r/srv/mail/alice/INBOX"
	(umask 077 && printf '%s\n' "$pw" >"$r/etc/mp/password" &&
		cat "$CERT_DIR/extra.key" "$CERT_DIR/extra.pem" >"$r/etc/mp/courier.pem" &&
		cp "$CERT_DIR/extra.key" "$r/etc/mp/exim.key") &&
		cp "$CERT_DIR/extra.pem" "$r/etc/mp/exim.pem" || return 1
	# owners by the chroot's own user names
	chroot "$r" sh -c "chown -R $MAIL_UID:$MAIL_UID /srv/mail && chmod 700 /srv/mail/alice &&
		chown root:courier /run/courier && chmod 775 /run/courier &&
		chown courier:courier /run/courier/authdaemon /run/mp-noauth /etc/mp/courier.pem &&
		chmod 750 /run/courier/authdaemon /run/mp-noauth &&
		chown root:Debian-exim /etc/mp/password /etc/mp/exim.key &&
		chmod 640 /etc/mp/password /etc/mp/exim.key" || return 1
	write_courier_config "$pw" && write_exim_config && write_more_configs
}

write_courier_config() {
	r=$ROOTFS
	hash=$(printf '%s' "$1" | openssl passwd -6 -stdin) || return 1
	(umask 077 && printf 'alice@lab.test\tuid=%s|gid=%s|home=/srv/mail/alice|mail=/srv/mail/alice/Maildir|systempw=%s\n' \
		$MAIL_UID $MAIL_UID "$hash" >"$r/etc/courier/userdb") || return 1
	chroot "$r" /usr/sbin/makeuserdb >/dev/null 2>&1 || { msg "makeuserdb failed"; return 1; }
	sed -i 's/^authmodulelist=.*/authmodulelist="authuserdb"/' "$r/etc/courier/authdaemonrc"
}

# exim_listen PORT...: local_interfaces entries for every Exim address
exim_listen() {
	l=""
	for a in $EXIM_ADDRS; do
		for p in "$@"; do l="$l ; $a.$p"; done
	done
	echo "<;${l# ;}"
}

# Exim: submission on 587 (AUTH only after STARTTLS) and 465 (implicit TLS),
# 25 without AUTH. The authenticators check the lab password; on the tempfail
# address their condition reads a file that does not exist, which Exim answers
# with "435 Unable to authenticate at present" (a deferred authentication).
write_exim_config() {
	cond='${if eq{$received_ip_address}{'$TEMPFAIL_ADDR'}{${readfile{/etc/mp/auth-backend-down}}}{${if and{{eq{USER}{alice@lab.test}}{eq{PASS}{${readfile{/etc/mp/password}{}}}}}}}}'
	cat >"$ROOTFS/etc/exim4/exim4.conf" <<EOF
# generated by tests/lab/servers.sh
primary_hostname = smtp.split.test
qualify_domain = lab.test
domainlist local_domains = lab.test
local_interfaces = $(exim_listen 25 465 587)
tls_on_connect_ports = 465
tls_advertise_hosts = *
tls_certificate = /etc/mp/exim.pem
tls_privatekey = /etc/mp/exim.key
auth_advertise_hosts = \${if or{{eq{\$received_port}{465}}{and{{eq{\$received_port}{587}}{def:tls_in_cipher}}}}{*}{}}
host_lookup =
rfc1413_hosts =
rfc1413_query_timeout = 0s
never_users = root
keep_environment =
log_file_path = /var/log/exim4/%slog
log_selector = +smtp_protocol_error +smtp_syntax_error +tls_peerdn
acl_smtp_rcpt = acl_rcpt
message_size_limit = 10M
smtp_accept_max = 100
smtp_accept_max_per_host = 100

begin acl
acl_rcpt:
  accept authenticated = *
  accept condition = \${if eq{\$received_port}{25}}
         domains = +local_domains
  deny   message = relay not permitted

begin routers
alice:
  driver = accept
  domains = +local_domains
  local_parts = alice
  transport = maildir
discard:
  driver = redirect
  data = :blackhole:

begin transports
maildir:
  driver = appendfile
  directory = /srv/mail/alice/Maildir
  maildir_format
  user = $MAIL_UID
  group = $MAIL_UID
  mode = 0600

begin retry
* * F,1h,10m

begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = $(echo "$cond" | sed 's/USER/$auth2/; s/PASS/$auth3/')
  server_set_id = \$auth2
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = <| Username: | Password:
  server_condition = $(echo "$cond" | sed 's/USER/$auth1/; s/PASS/$auth2/')
  server_set_id = \$auth1
EOF
}

# ---------------------------------------------------------------- network

make_srv_net() {
	ip netns add "$SRV_NS" || return 1
	ip -n "$CLIENT_NS" link add "$SRV_IFACE" type veth peer name "$SRV_IFACE" netns "$SRV_NS" ||
		return 1
	ip -n "$SRV_NS" link set lo up &&
		ip -n "$CLIENT_NS" addr add "$SRV_CLIENT_ADDR/24" dev "$SRV_IFACE" &&
		ip -n "$CLIENT_NS" addr add "$SRV_CLIENT_ADDR6/64" dev "$SRV_IFACE" nodad || return 1
	for a in $SRV_V4_ADDRS $MORE_ADDRS; do
		ip -n "$SRV_NS" addr add "$a/24" dev "$SRV_IFACE" || return 1
	done
	ip -n "$SRV_NS" addr add "$DUAL_ADDR6/64" dev "$SRV_IFACE" nodad &&
		ip -n "$SRV_NS" link set "$SRV_IFACE" up && ip -n "$CLIENT_NS" link set "$SRV_IFACE" up
}

# ---------------------------------------------------------------- daemons

# srv_run NAME [unshare]: CMD... in mp-srv inside the chroot, in the background,
# in a session of its own (a daemon that answers SIGTERM with kill(0) must
# not reach the test run that started the lab), output to $LOG_DIR/NAME.log,
# pid recorded. With "noauth", the Courier auth
# daemon's socket folder is hidden behind an empty one (a mount namespace of
# the process's own): the tempfail server.
srv_run() {
	name=$1
	mode=$2
	shift 2
	if [ "$mode" = noauth ]; then
		setsid ip netns exec "$SRV_NS" unshare -m --propagation private sh -c \
			'mount --bind "$1/run/mp-noauth" "$1/run/courier/authdaemon" && shift && exec chroot "$@"' \
			sh "$ROOTFS" "$ROOTFS" "$@" </dev/null >>"$LOG_DIR/$name.log" 2>&1 9>&- &
	else
		setsid ip netns exec "$SRV_NS" chroot "$ROOTFS" "$@" </dev/null >>"$LOG_DIR/$name.log" 2>&1 9>&- &
	fi
	echo "$name $!" >>"$SRV_PIDS"
}

# courier_ports PORT: couriertcpd's list of address.port for the Courier addresses
courier_ports() {
	l=""
	for a in $2; do l="$l,$a.$1"; done
	echo "${l#,}"
}

# start_courier NAME MODE ADDRS: IMAP 993/143 and POP3 995/110 on ADDRS
start_courier() {
	env="/usr/bin/env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin /bin/sh -c"
	conf='set -a; . /etc/courier/imapd; . /etc/courier/imapd-ssl; . /etc/courier/pop3d; . /etc/courier/pop3d-ssl; TLS_CERTFILE=/etc/mp/courier.pem; TLS_CACHEFILE=; IMAP_STARTTLS=YES; POP3_STARTTLS=YES;'
	tcpd='exec /usr/sbin/couriertcpd -nodnslookup -noidentlookup -maxprocs=100 -maxperip=100'
	lib=/usr/lib/courier/courier
	srv_run "$1-imaps" "$2" $env "$conf IMAP_TLS=1; $tcpd $(courier_ports 993 "$3") \
		/usr/bin/couriertls -server -tcpd $lib/imaplogin /usr/bin/imapd Maildir"
	srv_run "$1-imap" "$2" $env "$conf $tcpd $(courier_ports 143 "$3") \
		$lib/imaplogin /usr/bin/imapd Maildir"
	srv_run "$1-pop3s" "$2" $env "$conf POP3_TLS=1; POP3_STARTTLS=NO; $tcpd $(courier_ports 995 "$3") \
		/usr/bin/couriertls -server -tcpd $lib/courierpop3login $lib/courierpop3d Maildir"
	srv_run "$1-pop3" "$2" $env "$conf $tcpd $(courier_ports 110 "$3") \
		$lib/courierpop3login $lib/courierpop3d Maildir"
}

start_srv_daemons() {
	: >"$SRV_PIDS"
	rm -f "$ROOTFS/run/courier/authdaemon/socket"*
	srv_run authdaemond plain /usr/lib/courier/courier-authlib/authdaemond
	start_courier courier plain "$COURIER_ADDRS"
	start_courier courier-tempfail noauth "$TEMPFAIL_ADDR"
	srv_run exim plain /usr/sbin/exim4 -bdf -q1h
	start_more_daemons
}

# srv_healthy: every recorded server process alive (ports: lab.sh checks them)
srv_healthy() {
	extra_enabled || return 0
	ns_exists "$SRV_NS" && [ -s "$SRV_PIDS" ] || return 1
	while read -r _name _pid; do
		proc_alive "$_pid" && ! proc_stopped "$_pid" || return 1
	done <"$SRV_PIDS"
}

# srv_targets: ADDR:PORT list that must answer
srv_targets() {
	extra_enabled || return 0
	t=""
	for a in $EXIM_ADDRS; do
		for p in 25 465 587; do t="$t $a:$p"; done
	done
	for a in $COURIER_ADDRS $TEMPFAIL_ADDR; do
		for p in 993 143 995 110; do t="$t $a:$p"; done
	done
	echo "$t $(more_targets)"
}

# start_srv: the chroot (built once), its configs, network and servers
start_srv() {
	if ! extra_enabled; then
		echo off >"$SRV_OFF"
		return 0
	fi
	build_rootfs || return 1
	write_srv_configs || { msg "writing the chroot's configs failed"; return 1; }
	make_srv_net || { msg "network setup for $SRV_NS failed"; return 1; }
	start_srv_daemons
}

srv_cert_sans() {
	l=""
	for h in $SRV_HOSTS; do l="$l, DNS:${h%%:*}, IP:${h#*:}"; done
	echo "${l#, }, IP:$DUAL_ADDR6"
}

# dnsmasq records: the names, and split.test whose SRV and MX records name
# separate SMTP and IMAP hosts
srv_dns_records() {
	for h in $SRV_HOSTS; do
		a=${h#*:}
		[ "${h%%:*}" = dual.lab.test ] && a="$a,$DUAL_ADDR6"
		printf -- '--host-record=%s,%s ' "${h%%:*}" "$a"
	done
	printf -- '--srv-host=_imaps._tcp.split.test,imap.split.test,993 '
	printf -- '--srv-host=_pop3s._tcp.split.test,imap.split.test,995 '
	printf -- '--srv-host=_submission._tcp.split.test,smtp.split.test,587 '
	printf -- '--srv-host=_submissions._tcp.split.test,smtp.split.test,465 '
	printf -- '--mx-host=split.test,smtp.split.test,10\n'
}

srv_log_tail() {
	for f in "$LOG_DIR"/exim.log "$LOG_DIR"/courier*.log "$LOG_DIR"/authdaemond.log \
		"$ROOTFS"/var/log/exim4/mainlog "$ROOTFS"/var/log/exim4/paniclog \
		$(for n in $MORE_NAMES; do echo "$LOG_DIR/$n.log"; done); do
		[ -s "$f" ] && tail -n 10 "$f" >&2
	done
}

srv_hosts_lines() {
	for h in $SRV_HOSTS; do printf '%s\t%s\n' "${h#*:}" "${h%%:*}"; done
	printf '%s\t%s\n' "$DUAL_ADDR6" dual.lab.test
}
