# shellcheck shell=sh
# Sourced by tests/lab/lab.sh: the lab's OAuth2 servers (issue 17), beside the
# main lab and without touching it, on two more lab addresses in mp-lab, each
# with its own Dovecot instance (own base_dir and config) and Postfix
# submission services of the main lab's master that authenticate through it
# (SASL type dovecot), so SMTP offers what IMAP and POP3 offer:
#
#   198.18.0.20  oauth.lab.test    basic authentication disabled by offering only
#                                  XOAUTH2 and OAUTHBEARER (no PLAIN, no LOGIN)
#                                  443: tests/lab/token_server.py, the RFC 7662
#                                  introspection endpoint and the refresh_token
#                                  grant (https://oauth.lab.test/token)
#   198.18.0.21  nobasic.lab.test  Microsoft 365 style: offers PLAIN, LOGIN and
#                                  XOAUTH2 and refuses every password with
#                                  "5.7.139 Authentication unsuccessful, basic
#                                  authentication is disabled" (SMTP: after
#                                  Postfix's own "535 5.7.8 Error: ...")
#
# Ports on both: IMAP 143 (STARTTLS) 993, POP3 110 (STLS) 995, submission 587
# (STARTTLS) 465 (TLS). Tokens are checked by Dovecot's oauth2 passdb against
# the token server's introspection (POST, HTTPS verified with the lab CA,
# scope "mail"); tokens come from build/lab/oauth/tokens.json, which tests
# write (format in token_server.py). One account, oauth@lab.test (Maildir
# beside alice's); one leaf of the lab CA ("oauth") names both hosts.

OAUTH_ADDR=198.18.0.20
OAUTH_HOST=oauth.lab.test
NOBASIC_ADDR=198.18.0.21
NOBASIC_HOST=nobasic.lab.test
OAUTH_USER=oauth@lab.test
OAUTH_SCOPE=mail
OAUTH_TOKEN_URL=https://$OAUTH_HOST/token
OAUTH_MAIL_PORTS="110 143 465 587 993 995"
# NAME:ADDRESS:SASL mechanisms (comma-separated) of the Dovecot instances
OAUTH_INSTANCES="oauth:$OAUTH_ADDR:xoauth2,oauthbearer nobasic:$NOBASIC_ADDR:plain,login,xoauth2"
BASIC_DISABLED="5.7.139 Authentication unsuccessful, basic authentication is disabled"

oauth_paths() {
	OAUTH_DIR=$LAB_DIR/oauth # token server state: tokens.json, requests.log
	OAUTH_TS_PIDFILE=$LAB_DIR/token-server.pid
}

oauth_run_dir() { echo "$SRV/run-$1"; }
oauth_conf() { echo "$LAB_DIR/dovecot-$1/dovecot.conf"; }

oauth_cert_sans() { echo "DNS:$OAUTH_HOST, DNS:$NOBASIC_HOST, IP:$OAUTH_ADDR, IP:$NOBASIC_ADDR"; }

oauth_hosts_lines() {
	printf '%s\t%s\n%s\t%s\n' "$OAUTH_ADDR" "$OAUTH_HOST" "$NOBASIC_ADDR" "$NOBASIC_HOST"
}

oauth_targets() {
	for a in $OAUTH_ADDR $NOBASIC_ADDR; do
		for p in $OAUTH_MAIL_PORTS; do printf '%s:%s ' "$a" "$p"; done
	done
	printf '%s:443\n' "$OAUTH_ADDR"
}

# oauth_master_cf CERT_OPTIONS: Postfix submission services on the OAuth
# addresses, each authenticating through its Dovecot's auth socket
oauth_master_cf() {
	for i in $OAUTH_INSTANCES; do
		n=${i%%:*}
		a=${i#*:}
		a=${a%%:*}
		sasl="-o smtpd_sasl_path=$(oauth_run_dir "$n")/auth-postfix"
		# Postfix ignores Dovecot's nologin/reason: the refusal's words
		# come as the footer of its 535 ("\c": on the same line)
		[ "$n" = nobasic ] && sasl="$sasl -o { smtpd_reject_footer = \\c $BASIC_DISABLED }"
		cat <<EOF
$a:587 inet n - n - - smtpd
  -o syslog_name=postfix/$n-submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  $sasl $1
$a:465 inet n - n - - smtpd
  -o syslog_name=postfix/$n-submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  $sasl $1
EOF
	done
}

# The passdbs of an instance: where passwords are offered, checkpassword
# refuses every one the way Microsoft 365 does (it "matches"; nologin and
# reason make it fail with that text); then the token check.
oauth_passdbs() {
	case "$1" in *plain*)
		cat <<EOF
passdb {
  driver = checkpassword
  mechanisms = plain login
  args = $SRV/oauth/basic-disabled
  result_failure = return-fail
}
EOF
		;;
	esac
	cat <<EOF
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $SRV/oauth/dovecot-oauth2.conf.ext
}
EOF
}

# oauth_dc_conf NAME ADDRESS MECHANISMS: one Dovecot instance's config
oauth_dc_conf() {
	run=$(oauth_run_dir "$1")
	conf=$(oauth_conf "$1")
	mkdir -p "$run" "$SRV/dovecot/state-$1" "$(dirname "$conf")" || return 1
	{
		dc_conf_head "$run" "$SRV/dovecot/state-$1" "mailprobe-lab-$1" "$2" \
			"$LOG_DIR/dovecot-$1.log" oauth "$(echo "$3" | tr ',' ' ')"
		echo "auth_failure_delay = 0 # no test waits 2 s per refused token"
		oauth_passdbs "$3"
		cat <<EOF
userdb {
  driver = static
  args = uid=$MAIL_UID gid=$MAIL_UID home=$SRV/mail/%d/%n
}
EOF
		dc_conf_services
	} >"$conf"
	touch -d "@$(($(date +%s) - 5))" "$conf"
}

oauth_write_configs() {
	home=$SRV/mail/lab.test/oauth
	mkdir -p "$OAUTH_DIR" "$SRV/oauth" "$home/Maildir/cur" "$home/Maildir/new" \
		"$home/Maildir/tmp" || return 1
	chown -R $MAIL_UID:$MAIL_UID "$home" && chmod 700 "$home" "$home/Maildir" || return 1
	chmod 700 "$OAUTH_DIR"
	[ -f "$OAUTH_DIR/tokens.json" ] || echo '{}' >"$OAUTH_DIR/tokens.json"
	# the auth process (user dovecot) reads the CA from the server data folder
	cp "$LAB_CA" "$SRV/oauth/ca.pem" && chmod 644 "$SRV/oauth/ca.pem" || return 1
	cat >"$SRV/oauth/dovecot-oauth2.conf.ext" <<EOF
introspection_mode = post
introspection_url = https://$OAUTH_HOST/introspect
tls_ca_cert_file = $SRV/oauth/ca.pem
username_attribute = username
active_attribute = active
active_value = true
scope = $OAUTH_SCOPE
timeout_msecs = 3000
EOF
	chmod 644 "$SRV/oauth/dovecot-oauth2.conf.ext"
	cat >"$SRV/oauth/basic-disabled" <<EOF
#!/bin/sh
# checkpassword for tests/lab/oauth.sh: every password login fails, with the
# reason for Dovecot's login processes; Postfix (SERVICE smtp) would take
# nologin for a success, so it gets a plain failure
[ "\$SERVICE" = smtp ] && exit 1
USER=\$(head -c 512 <&3 | tr '\\0' '\\n' | head -n 1)
nologin=y
reason="$BASIC_DISABLED"
EXTRA="nologin reason"
export USER nologin reason EXTRA
exec "\$@"
EOF
	chmod 755 "$SRV/oauth/basic-disabled"
	for i in $OAUTH_INSTANCES; do
		n=${i%%:*}
		r=${i#*:}
		oauth_dc_conf "$n" "${r%%:*}" "${r#*:}" || return 1
	done
}

# oauth_start: the token server and the Dovecot instances, all in the
# background (each Dovecot daemonizes after reading its config)
oauth_start() {
	setsid ip netns exec "$LAB_NS" /usr/bin/python3 "$ROOT/tests/lab/token_server.py" \
		"$OAUTH_ADDR" "$CERT_DIR/oauth.pem" "$CERT_DIR/oauth.key" "$OAUTH_DIR" \
		</dev/null >>"$LOG_DIR/token-server.log" 2>&1 9>&- &
	echo $! >"$OAUTH_TS_PIDFILE"
	for i in $OAUTH_INSTANCES; do
		n=${i%%:*}
		rm -f "$(oauth_run_dir "$n")/master.pid"
		ip netns exec "$LAB_NS" dovecot -c "$(oauth_conf "$n")" \
			</dev/null >>"$LOG_DIR/dovecot-$n.stdout" 2>&1 9>&- &
	done
}

# the instances' running Dovecot masters (stopped with the other masters)
oauth_master_pids() {
	for i in $OAUTH_INSTANCES; do
		p=$(pidfile_pid "$(oauth_run_dir "${i%%:*}")/master.pid")
		proc_alive "$p" dovecot && echo "$p"
	done
}

oauth_healthy() {
	[ "$(oauth_master_pids | wc -l)" -eq 2 ] && proc_alive "$(pidfile_pid "$OAUTH_TS_PIDFILE")"
}

oauth_log_tail() {
	for f in "$LOG_DIR"/dovecot-oauth.* "$LOG_DIR"/dovecot-nobasic.* "$LOG_DIR/token-server.log"; do
		[ -s "$f" ] && tail -n 10 "$f" >&2
	done
}

oauth_cleanup() {
	rm -f "$OAUTH_TS_PIDFILE"
	for i in $OAUTH_INSTANCES; do
		d=$(oauth_run_dir "${i%%:*}")
		[ -d "$d" ] && find "$d" -mindepth 1 -delete 2>/dev/null
	done
	return 0
}
