# shellcheck shell=sh
# Sourced by tests/lab/servers.sh: more mail servers in the same chroot and
# namespace (mp-srv), each on its own address:
#
#   198.18.2.20  smtpd.lab.test      OpenSMTPD 6.8 25 587 465. Debian 12's build
#                                    fails every TLS handshake with a TLS alert
#                                    "internal error" (its privilege-separated key
#                                    engine does not work with OpenSSL 3, upstream
#                                    issues 1171/1239): a real server-side TLS fault.
#   198.18.2.21  sendmail.lab.test   Sendmail 8.17 25 587 465, STARTTLS, AUTH PLAIN
#                                    LOGIN through Cyrus SASL (sasldb), AUTH only
#                                    after TLS
#   198.18.2.22  cyrus.lab.test      Cyrus IMAP 3.6 imapd/pop3d 143 993 110 995, SASL
#                                    (sasldb), LOGINDISABLED before TLS
#   198.18.2.23  mailutils.lab.test  GNU Mailutils 3.15 imap4d/pop3d 143 993 110 995
#   198.18.2.24  misconf.lab.test    Sendmail 587 without STARTTLS; Mailutils 143/110
#                                    without STARTTLS, 993/995 with an expired
#                                    certificate
#   198.18.2.25  slow.lab.test       a second Sendmail whose greeting waits 6 s
#                                    (FEATURE(greet_pause)) on 25 587 465
#
# The MTAs and IMAP servers conflict as Debian packages (mail-transport-agent,
# imap-server, pop3-server): those are unpacked into the chroot without their
# maintainer scripts (MORE_UNPACK), their libraries installed by apt
# (MORE_PKGS). `lab.sh srv stop|start|pause|resume NAME` stops, restarts,
# freezes (SIGSTOP: connections are accepted, no greeting) or thaws one of them;
# `lab.sh srv block ADDR PORT` drops that port at the server (nft in mp-srv).

SMTPD_ADDR=198.18.2.20
SENDMAIL_ADDR=198.18.2.21
CYRUS_ADDR=198.18.2.22
MAILUTILS_ADDR=198.18.2.23
MISCONF_ADDR=198.18.2.24
SLOW_ADDR=198.18.2.25
MORE_ADDRS="$SMTPD_ADDR $SENDMAIL_ADDR $CYRUS_ADDR $MAILUTILS_ADDR $MISCONF_ADDR $SLOW_ADDR"
MORE_HOSTS="smtpd.lab.test:$SMTPD_ADDR sendmail.lab.test:$SENDMAIL_ADDR \
cyrus.lab.test:$CYRUS_ADDR mailutils.lab.test:$MAILUTILS_ADDR misconf.lab.test:$MISCONF_ADDR \
slow.lab.test:$SLOW_ADDR"
MORE_PKGS="sasl2-bin libsasl2-modules cyrus-common sendmail-base sendmail-cf ed \
libevent-2.1-7 libgsasl18 libkyotocabinet16v5 liblockfile1 libmailutils9 libmu-dbm9 libwrap0 \
mailutils-common procps"
MORE_UNPACK="opensmtpd sendmail-bin cyrus-imapd cyrus-pop3d mailutils-imap4d mailutils-pop3d"
MORE_NAMES="opensmtpd sendmail sendmail-slow cyrus mailutils-imap mailutils-pop3"
SRV_NFT_TABLE=mailprobe_server

# unpack_more: inside the chroot (sh -c), after apt: the conflicting packages'
# files (tar keeps /bin, /lib as the symlinks of merged /usr) and the users
# their maintainer scripts would have made
unpack_more_script() {
	cat <<EOF
set -e
cd /tmp
apt-get download -qq $MORE_UNPACK
for d in *.deb; do dpkg-deb --fsys-tarfile "\$d" | tar -x --keep-directory-symlink -C /; done
rm -f ./*.deb
for n in opensmtpd opensmtpq; do
	addgroup --system \$n >/dev/null
	adduser --system --home /var/lib/opensmtpd/empty --no-create-home --disabled-password \
		--ingroup \$n \$n >/dev/null
done
EOF
}

# ---------------------------------------------------------------- configs

# sasl_user DB REALM...: alice in the SASL database DB for each realm
sasl_user() {
	db=$1
	shift
	rm -f "$ROOTFS$db"
	for realm in "$@"; do
		printf '%s' "$pw" | chroot "$ROOTFS" saslpasswd2 -p -c -f "$db" -u "$realm" alice ||
			return 1
	done
}

write_more_configs() {
	r=$ROOTFS
	hash=$(printf '%s' "$pw" | openssl passwd -6 -stdin) || return 1
	mkdir -p "$r/etc/mp/mu-passwd" "$r/etc/sasl2" "$r/run/cyrus/proc" "$r/run/cyrus/lock" \
		"$r/run/cyrus/socket" "$r/var/spool/mqueue" "$r/var/spool/mqueue-slow" \
		"$r/var/lib/sendmail/host_status" || return 1
	(umask 077 && cp "$CERT_DIR/extra.key" "$r/etc/mp/more.key" &&
		cp "$CERT_DIR/moreexpired.key" "$r/etc/mp/expired.key" &&
		cp "$CERT_DIR/extra.pem" "$r/etc/mp/more.pem" &&
		cp "$CERT_DIR/moreexpired.pem" "$r/etc/mp/expired.pem" &&
		cp "$LAB_CA" "$r/etc/mp/ca.pem" &&
		printf 'alice@lab.test %s\n' "$hash" >"$r/etc/mp/smtpd-creds" &&
		printf 'alice:%s:%s:%s::/srv/mail/alice:/bin/false\n' "$hash" $MAIL_UID $MAIL_UID \
			>"$r/etc/mp/mu-passwd/lab.test") || return 1
	sasl_user /etc/mp/sendmail-sasldb lab.test sendmail.lab.test slow.lab.test &&
		sasl_user /etc/mp/cyrus-sasldb cyrus.lab.test lab.test || return 1
	# cyrus reads its own copies of the certificate; Sendmail wants root's 0600
	cp "$r/etc/mp/more.key" "$r/etc/mp/cyrus.key" && cp "$r/etc/mp/more.pem" "$r/etc/mp/cyrus.pem" &&
		chroot "$r" sh -c 'chown cyrus:mail /etc/mp/cyrus-sasldb /etc/mp/cyrus.key /etc/mp/cyrus.pem &&
			chown -R cyrus:mail /run/cyrus && chown root:opensmtpd /etc/mp/smtpd-creds &&
			chmod 640 /etc/mp/smtpd-creds && chmod 700 /var/spool/mqueue /var/spool/mqueue-slow' ||
		return 1
	write_smtpd_config && write_sendmail_configs && write_cyrus_config && write_mailutils_configs
}

write_smtpd_config() {
	cat >"$ROOTFS/etc/mp/smtpd.conf" <<EOF
# generated by tests/lab/moreservers.sh
pki smtpd.lab.test cert "/etc/mp/more.pem"
pki smtpd.lab.test key "/etc/mp/more.key"
table creds file:/etc/mp/smtpd-creds
listen on $SMTPD_ADDR port 25 tls pki smtpd.lab.test hostname smtpd.lab.test
listen on $SMTPD_ADDR port 587 tls-require pki smtpd.lab.test auth <creds> hostname smtpd.lab.test
listen on $SMTPD_ADDR port 465 smtps pki smtpd.lab.test auth <creds> hostname smtpd.lab.test
action "discard" mda "cat >/dev/null" user nobody
match from any for domain "lab.test" action "discard"
match auth from any for any action "discard"
EOF
}

# sendmail_mc NAME QUEUE EXTRA DAEMON_OPTIONS...: a sendmail.cf source
sendmail_mc() {
	name=$1
	queue=$2
	extra=$3
	shift 3
	cat <<EOF
divert(-1)
# generated by tests/lab/moreservers.sh
divert(0)dnl
include(\`/usr/share/sendmail/cf/m4/cf.m4')dnl
VERSIONID(\`mailprobe lab $name')dnl
OSTYPE(\`debian')dnl
define(\`confDOMAIN_NAME', \`$name.lab.test')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confSERVICE_SWITCH_FILE', \`/etc/mp/service.switch')dnl
define(\`confCACERT_PATH', \`/etc/mp')dnl
define(\`confCACERT', \`/etc/mp/ca.pem')dnl
define(\`confSERVER_CERT', \`/etc/mp/more.pem')dnl
define(\`confSERVER_KEY', \`/etc/mp/more.key')dnl
define(\`confAUTH_MECHANISMS', \`PLAIN LOGIN')dnl
TRUST_AUTH_MECH(\`PLAIN LOGIN')dnl
define(\`confAUTH_OPTIONS', \`A p y')dnl
define(\`confPID_FILE', \`/run/mp-$name.pid')dnl
define(\`QUEUE_DIR', \`$queue')dnl
define(\`confTO_IDENT', \`0s')dnl
define(\`confQUEUE_LA', \`100')dnl
define(\`confREFUSE_LA', \`200')dnl
define(\`confDELAY_LA', \`200')dnl
define(\`confMAX_DAEMON_CHILDREN', \`100')dnl
define(\`confCONNECTION_RATE_THROTTLE', \`0')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`no_default_msa')dnl
$extra
LOCAL_DOMAIN(\`lab.test')dnl
EOF
	for d in "$@"; do printf 'DAEMON_OPTIONS(`%s'"'"')dnl\n' "$d"; done
	printf 'MAILER(`local'"'"')dnl\nMAILER(`smtp'"'"')dnl\n'
}

# Sendmail: sendmail.lab.test as it should be; misconf.lab.test's 587 offers
# no STARTTLS (M=S); slow.lab.test, a second daemon, greets after 6 s
write_sendmail_configs() {
	r=$ROOTFS
	printf 'hosts files\naliases files\n' >"$r/etc/mp/service.switch"
	cat >"$r/etc/sasl2/Sendmail.conf" <<EOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
sasldb_path: /etc/mp/sendmail-sasldb
mech_list: PLAIN LOGIN
EOF
	sendmail_mc sendmail /var/spool/mqueue "" \
		"Family=inet, Name=MTA, Port=25, Addr=$SENDMAIL_ADDR, M=A" \
		"Family=inet, Name=MSA, Port=587, Addr=$SENDMAIL_ADDR, M=Ea" \
		"Family=inet, Name=SMTPS, Port=465, Addr=$SENDMAIL_ADDR, M=s" \
		"Family=inet, Name=MSA-NOTLS, Port=587, Addr=$MISCONF_ADDR, M=EaS" \
		>"$r/etc/mp/sendmail.mc" &&
		sendmail_mc slow /var/spool/mqueue-slow "FEATURE(\`greet_pause', \`6000')dnl" \
			"Family=inet, Name=MTA, Port=25, Addr=$SLOW_ADDR, M=A" \
			"Family=inet, Name=MSA, Port=587, Addr=$SLOW_ADDR, M=Ea" \
			"Family=inet, Name=SMTPS, Port=465, Addr=$SLOW_ADDR, M=s" \
			>"$r/etc/mp/slow.mc" &&
		chroot "$r" sh -c 'm4 /etc/mp/sendmail.mc >/etc/mp/sendmail.cf &&
			m4 /etc/mp/slow.mc >/etc/mp/slow.cf' || { msg "sendmail m4 failed"; return 1; }
}

write_cyrus_config() {
	cat >"$ROOTFS/etc/imapd.conf" <<EOF
# generated by tests/lab/moreservers.sh
configdirectory: /var/lib/cyrus
proc_path: /run/cyrus/proc
mboxname_lockpath: /run/cyrus/lock
defaultpartition: default
partition-default: /var/spool/cyrus/mail
servername: cyrus.lab.test
unixhierarchysep: yes
virtdomains: userid
autocreate_quota: 0
allowplaintext: no
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: /etc/mp/cyrus-sasldb
sasl_mech_list: PLAIN LOGIN
tls_server_cert: /etc/mp/cyrus.pem
tls_server_key: /etc/mp/cyrus.key
lmtpsocket: /run/cyrus/socket/lmtp
idlesocket: /run/cyrus/socket/idle
notifysocket: /run/cyrus/socket/notify
EOF
	cat >"$ROOTFS/etc/cyrus.conf" <<EOF
# generated by tests/lab/moreservers.sh
START {
  recover cmd="/usr/lib/cyrus/bin/ctl_cyrusdb -r"
}
SERVICES {
  imap  cmd="imapd" listen="$CYRUS_ADDR:143" prefork=1 maxchild=100
  imaps cmd="imapd -s" listen="$CYRUS_ADDR:993" prefork=1 maxchild=100
  pop3  cmd="pop3d" listen="$CYRUS_ADDR:110" prefork=1 maxchild=100
  pop3s cmd="pop3d -s" listen="$CYRUS_ADDR:995" prefork=1 maxchild=100
}
EVENTS {
}
EOF
}

# mailutils_config STARTTLS_PORT TLS_PORT: imap4d or pop3d; misconf.lab.test
# without STARTTLS and with an expired certificate
mailutils_config() {
	cat <<EOF
# generated by tests/lab/moreservers.sh
logging { syslog false; }
auth { authorization virtdomain; authentication generic; }
virtdomain { passwd-dir /etc/mp/mu-passwd; }
mailbox { mailbox-pattern "maildir:/srv/mail/alice/Maildir"; }
tls-file-checks { key-file none; cert-file none; ca-file none; }
tls { ssl-certificate-file /etc/mp/more.pem; ssl-key-file /etc/mp/more.key; }
mode daemon;
foreground true;
max-children 100;
server $MAILUTILS_ADDR:$1 { tls-mode stls; }
server $MAILUTILS_ADDR:$2 { tls-mode connection; }
server $MISCONF_ADDR:$1 { tls-mode false; }
server $MISCONF_ADDR:$2 {
  tls-mode connection;
  tls { ssl-certificate-file /etc/mp/expired.pem; ssl-key-file /etc/mp/expired.key; }
}
EOF
}

write_mailutils_configs() {
	mailutils_config 143 993 >"$ROOTFS/etc/mp/imap4d.conf" &&
		mailutils_config 110 995 >"$ROOTFS/etc/mp/pop3d.conf"
}

# ---------------------------------------------------------------- daemons

start_more() {
	case "$1" in
	opensmtpd) srv_run opensmtpd plain /usr/sbin/smtpd -d -f /etc/mp/smtpd.conf ;;
	sendmail) srv_run sendmail plain /usr/libexec/sendmail/sendmail -bD -C /etc/mp/sendmail.cf -q1h ;;
	sendmail-slow) srv_run sendmail-slow plain /usr/libexec/sendmail/sendmail -bD -C /etc/mp/slow.cf -q1h ;;
	cyrus)
		rm -f "$ROOTFS/run/cyrus/master.pid"
		srv_run cyrus plain /usr/lib/cyrus/bin/master -p /run/cyrus/master.pid
		;;
	mailutils-imap) srv_run mailutils-imap plain /usr/sbin/imap4d --config-file=/etc/mp/imap4d.conf ;;
	mailutils-pop3) srv_run mailutils-pop3 plain /usr/sbin/pop3d --config-file=/etc/mp/pop3d.conf ;;
	*) return 1 ;;
	esac
}

start_more_daemons() {
	for n in $MORE_NAMES; do start_more "$n" || return 1; done
}

more_targets() {
	t=""
	for a in $SMTPD_ADDR $SENDMAIL_ADDR $SLOW_ADDR; do
		for p in 25 465 587; do t="$t $a:$p"; done
	done
	for a in $CYRUS_ADDR $MAILUTILS_ADDR $MISCONF_ADDR; do
		for p in 993 143 995 110; do t="$t $a:$p"; done
	done
	echo "$t $MISCONF_ADDR:587"
}

# proc_stopped PID: stopped by a signal (a `srv pause` never resumed)
proc_stopped() {
	{ read -r _line <"/proc/$1/stat"; } 2>/dev/null || return 1
	_st=${_line##*) }
	[ "${_st%% *}" = T ]
}

# srv_pids_of NAME: the recorded pid of NAME and every process below it
srv_pids_of() {
	p=$(awk -v n="$1" '$1 == n {print $2}' "$SRV_PIDS" 2>/dev/null)
	[ -n "$p" ] || return 0
	echo "$p"
	for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do
		echo "$c"
		ps -o pid= --ppid "$c" 2>/dev/null
	done
}

# cmd_srv stop|start|pause|resume NAME | block|unblock ADDR PORT
cmd_srv() {
	need_root
	exec 9>"$LAB_DIR/.lock"
	flock -w 60 9 || die "lock busy"
	ns_exists "$SRV_NS" || die "lab not running (no $SRV_NS)"
	what=${1:-}
	case "$what" in
	stop | start | pause | resume)
		echo " $MORE_NAMES " | grep -q " ${2:-none} " || die "usage: lab.sh srv $what NAME ($MORE_NAMES)"
		;;
	esac
	case "$what" in
	stop)
		pids=$(srv_pids_of "$2")
		for p in $pids; do kill -CONT "$p" 2>/dev/null; kill -TERM "$p" 2>/dev/null; done
		n=30
		while [ $n -gt 0 ]; do
			alive=""
			for p in $pids; do proc_alive "$p" && alive="$alive $p"; done
			[ -z "$alive" ] && break
			n=$((n - 1))
			sleep 0.1
		done
		for p in $alive; do kill -KILL "$p" 2>/dev/null; done
		grep -v "^$2 " "$SRV_PIDS" >"$SRV_PIDS.tmp"
		mv "$SRV_PIDS.tmp" "$SRV_PIDS"
		;;
	start)
		[ -z "$(srv_pids_of "$2")" ] || die "$2 runs already"
		start_more "$2"
		left=$(wait_ports 10 $(more_targets)) || die "not answering after 10 s: $left"
		;;
	pause) for p in $(srv_pids_of "$2"); do kill -STOP "$p"; done ;;
	resume) for p in $(srv_pids_of "$2"); do kill -CONT "$p"; done ;;
	block) srv_filter add "${2:-}" "${3:-}" ;;
	unblock) srv_filter del ;;
	*) die "usage: lab.sh srv stop|start|pause|resume NAME | block ADDR PORT | unblock" ;;
	esac
}

# srv_filter add ADDR PORT | del: a silent drop at the server (its own input)
srv_filter() {
	if [ "$1" = del ]; then
		ip netns exec "$SRV_NS" nft delete table inet "$SRV_NFT_TABLE" 2>/dev/null
		return 0
	fi
	valid_port "$3" || die "usage: lab.sh srv block ADDR PORT"
	case " $MORE_ADDRS $SRV_V4_ADDRS " in *" $2 "*) ;; *) die "not a lab address: $2" ;; esac
	ip netns exec "$SRV_NS" nft -f - <<EOF || die "nft failed"
table inet $SRV_NFT_TABLE
delete table inet $SRV_NFT_TABLE
table inet $SRV_NFT_TABLE {
  chain input {
    type filter hook input priority 0; policy accept;
    ip daddr $2 tcp dport $3 counter drop
  }
}
EOF
}
