/*
 * The English words (see words.h): plain words for customers and support
 * desks; the client labels as Outlook, Thunderbird and Apple Mail show them.
 */
#include "probe/words/words.h"

const char *const mp_words_en[W_COUNT] = {
    [L_TITLE] = "Mail connectivity report",
    [L_LIGHT_GREEN] = "GREEN",
    [L_LIGHT_YELLOW] = "YELLOW",
    [L_LIGHT_RED] = "RED",
    [L_LIGHT_GREY] = "GREY",
    [L_ST_OK] = "ok",
    [L_ST_WARNING] = "warning",
    [L_ST_CRITICAL] = "critical",
    [L_ST_UNKNOWN] = "unknown",
    [L_VERDICT_OK] = "Everything works from this network: %d of %d endpoints ok.",
    [L_VERDICT_FAILED] = "%d of %d endpoints failed; the details are below.",
    [L_CHECKED] = "Checked %s from this network, in %s.",
    [L_SETTINGS] = "Settings that work from this network",
    [L_INCOMING] = "Incoming",
    [L_OUTGOING] = "Outgoing",
    [L_USERNAME] = "User name",
    [L_USER_NONE] = "not given (usually the full e-mail address)",
    [L_NO_IN] = "No working incoming server (IMAP or POP3) was found from this network; the "
		"findings below say why.",
    [L_NO_OUT] = "No working outgoing server (SMTP) was found from this network; the findings "
		 "below say why.",
    [L_NO_SETTINGS] = "No working setting was found from this network: neither incoming nor "
		      "outgoing mail works from here. The findings below say why.",
    [L_SEC_TLS] = "SSL/TLS",
    [L_SEC_STARTTLS] = "STARTTLS",
    [L_SEC_NONE] = "none (unencrypted)",
    [L_SETTING_LINE] = "%s, server %s, port %u, %s",
    [L_ON] = "on",
    [L_OFF] = "off",
    [L_DASH] = "—",
    [L_OL_NAME] = "Outlook",
    [L_OL_WHERE] = "Classic Outlook for Windows: File > Account Settings > Account Settings > "
		   "Change. Ports and encryption are under More Settings > Advanced, the "
		   "authentication under More Settings > Outgoing Server.",
    [L_OL_SETTING] = "Setting in Outlook",
    [L_OL_COL_IN] = "Incoming mail server (%s)",
    [L_OL_COL_OUT] = "Outgoing mail server (SMTP)",
    [L_OL_ACCOUNT_TYPE] = "Account type",
    [L_OL_SERVER] = "Server",
    [L_OL_PORT] = "Server Port Numbers",
    [L_OL_ENCRYPTION] = "Use the following type of encrypted connection",
    [L_OL_SEC_NONE] = "None",
    [L_OL_USER] = "User Name",
    [L_OL_SPA] = "Require logon using Secure Password Authentication (SPA)",
    [L_OL_OUT_AUTH] = "My outgoing server (SMTP) requires authentication",
    [L_OL_SAME] = "Use same settings as my incoming mail server",
    [L_TB_NAME] = "Thunderbird",
    [L_TB_WHERE] = "Account Settings > Server Settings for incoming mail; Account Settings > "
		   "Outgoing Server (SMTP) > Edit for outgoing mail.",
    [L_TB_SETTING] = "Setting in Thunderbird",
    [L_TB_COL_IN] = "Server Settings (%s)",
    [L_TB_COL_OUT] = "Outgoing Server (SMTP)",
    [L_TB_SERVER] = "Server Name",
    [L_TB_PORT] = "Port",
    [L_TB_SECURITY] = "Connection security",
    [L_TB_SEC_NONE] = "None",
    [L_TB_AUTH] = "Authentication method",
    [L_TB_AUTH_NORMAL] = "Normal password",
    [L_TB_USER] = "User Name",
    [L_AM_NAME] = "Apple Mail",
    [L_AM_WHERE] = "Mail > Settings > Accounts > Server Settings. Turn off \"Automatically manage "
		   "connection settings\" to enter the port. \"Use TLS/SSL\" is also on for "
		   "STARTTLS (port 587): Mail then upgrades the connection with STARTTLS.",
    [L_AM_SETTING] = "Setting in Apple Mail",
    [L_AM_COL_IN] = "Incoming Mail Server (%s)",
    [L_AM_COL_OUT] = "Outgoing Mail Server (SMTP)",
    [L_AM_USER] = "User Name",
    [L_AM_HOST] = "Host Name",
    [L_AM_AUTO] = "Automatically manage connection settings",
    [L_AM_PORT] = "Port",
    [L_AM_TLS] = "Use TLS/SSL",
    [L_AM_AUTH] = "Authentication",
    [L_AM_AUTH_PASSWORD] = "Password",
    [L_FINDINGS] = "Findings",
    [L_NO_FINDINGS] = "No findings.",
    [L_ADVICE] = "What to do",
    [L_EVIDENCE] = "Evidence",
    [L_SEV_CRITICAL] = "Critical",
    [L_SEV_WARNING] = "Warning",
    [L_SEV_INFO] = "Info",
    [L_ENDPOINT] = "Endpoint",
    [L_STEP] = "Step",
    [L_CLASS] = "Class",
    [L_MESSAGE] = "Message",
    [L_RESULT] = "Result",
    [L_TIME] = "Time",
    [L_ENDPOINTS] = "Endpoints and steps",
    [L_RESOLVE] = "Name resolution",
    [L_RESOLVE_OK] = "ok in %s: %s",
    [L_RESOLVE_FAILED] = "failed: %s, %s",
    [L_EP_OK] = "OK",
    [L_EP_FAILED] = "FAILED",
    [L_NOT_CHECKED] = "Not checked: the server name did not resolve.",
    [L_R_OK] = "ok",
    [L_R_FAILED] = "FAILED",
    [L_R_SKIPPED] = "skipped",
    [L_TLS] = "TLS",
    [L_CERT] = "Certificate",
    [L_ISSUED_BY] = "issued by",
    [L_DAYS_LEFT] = "valid until %s (%d days left)",
    [L_DAYS_AGO] = "expired %s (%d days ago)",
    [L_VERIFIED] = "verified",
    [L_NAME_MATCH] = "matches the server name",
    [L_YES] = "yes",
    [L_NO] = "no",
    [L_CAPS] = "Capabilities",
    [L_MECHANISM] = "Login mechanism",
    [L_TIMING] = "Timing",
    [L_TRANSCRIPT] = "Transcript",
    [L_TRANSCRIPT_NOTE] = "What was sent (C:) and received (S:); credentials are shown as ***.",
    [L_NO_TRANSCRIPT] = "(no transcript)",
    [L_ENV] = "Environment",
    [L_ENV_UTC] = "Time (UTC)",
    [L_ENV_LOCAL] = "Local time",
    [L_ENV_DURATION] = "Duration",
    [L_ENV_OPENSSL] = "OpenSSL",
    [L_ENV_OS] = "Operating system",
    [L_ENV_SERVER] = "Server name",
    [L_ENV_ADDRS] = "Addresses probed",
    [L_ENV_ENDPOINTS] = "Endpoints checked",
    [L_ENV_TIMEOUT] = "Timeout",
    [L_ENV_NONE] = "none",
    [L_FOOTER] = "Written by mailprobe %s. This report contains no password.",
    [W_STEP_CONNECT] = "connect",
    [W_STEP_GREETING] = "greeting",
    [W_STEP_STARTTLS] = "starttls",
    [W_STEP_TLS] = "tls",
    [W_STEP_CAPABILITIES] = "capabilities",
    [W_STEP_LOGIN] = "login",
    [W_STEP_SEND] = "send",
    [W_STEP_LOGOUT] = "logout",
    [W_MONTH_1] = "January",
    [W_MONTH_2] = "February",
    [W_MONTH_3] = "March",
    [W_MONTH_4] = "April",
    [W_MONTH_5] = "May",
    [W_MONTH_6] = "June",
    [W_MONTH_7] = "July",
    [W_MONTH_8] = "August",
    [W_MONTH_9] = "September",
    [W_MONTH_10] = "October",
    [W_MONTH_11] = "November",
    [W_MONTH_12] = "December",
    [W_TXT_PROTOCOL] = "protocol",
    [W_TXT_CERTIFICATE] = "certificate",
    [W_TXT_ISSUER] = "issuer",
    [W_TXT_EXPIRES] = "expires",
    [W_TXT_DAYS_LEFT] = "days left",
    [W_TXT_EXPIRED] = "expired",
    [W_TXT_DAYS_AGO] = "days ago",
    [W_TXT_VERIFIED] = "verified",
    [W_TXT_YES] = "yes",
    [W_TXT_NO] = "no",
    [W_TXT_HOSTNAME] = "hostname",
    [W_TXT_MATCHES] = "matches",
    [W_TXT_NO_MATCH] = "does not match the server name",
    [W_TXT_CAPABILITIES] = "capabilities",
    [W_TXT_MECHANISM] = "mechanism",
    [W_TXT_NOT_CHECKED] = "(not checked)",
    [W_TXT_RESOLVE] = "resolve",
    [W_TXT_FAILED] = "failed",
    [W_TXT_STATUS] = "status",
    [W_TXT_ENDPOINTS_OK] = "endpoints ok in",
    [W_TXT_NO_ENCRYPTION] = "no encryption",
    [W_TXT_DIR_NOT_CHECKED] = "not checked",
    [W_TXT_NOTHING_WORKS] = "nothing works from here",
    [W_TXT_DISCOVERY_FOR] = "discovery for",
    [W_TXT_DELIVERY] = "delivery",
    [W_TXT_PATH_SKIPPED] = "path not measured",
    [W_TXT_FINDINGS] = "findings",
    [W_TXT_RECOMMENDED] = "recommended settings",
    [W_TXT_INCOMING] = "incoming",
    [W_TXT_OUTGOING] = "outgoing",
    [W_TXT_USER_NAME] = "user name",
    [W_F_DNS_FAILURE_SUMMARY] = "The server name {host} does not resolve ({class}).",
    [W_F_DNS_FAILURE_ADVICE] =
	"Check the server name in the account settings for typos. If it is right, the DNS server "
	"of this network does not answer for it: try another network or DNS server, or ask the "
	"provider whether the name has changed.",
    [W_F_HOST_UNREACHABLE_SUMMARY] = "No port of {server} answers from this network.",
    [W_F_HOST_UNREACHABLE_ADVICE] =
	"Either the server is down or filtered on its side, or this network cannot reach it "
	"(firewall, VPN, the sign-in page of a hotel or guest network). To tell them apart: "
	"check that other internet services work, look at the provider's status page, and try "
	"another network such as a mobile hotspot. If it works there, the server is up and "
	"something stops this network: its own firewall, or the server blocking this network's "
	"address (many servers do so for a while after repeated failed logins, for example from "
	"a device with an old password). This is unconfirmed: running mailprobe again with "
	"--control HOST (a host known to accept these ports, such as the provider's second "
	"site) tells a block by this network from one on the server's side.",
    [W_F_OUTGOING_BLOCKED_SUMMARY] = "No outgoing mail port ({ports}) of {server} answers from "
				     "this network, while other ports connect.",
    [W_F_OUTGOING_BLOCKED_ADVICE] =
	"The connections are silently dropped. Three causes fit: this network blocks outgoing "
	"mail ports (some internet providers and company firewalls do); the provider's sending "
	"server blocks this network's address (many servers do so for a while after repeated "
	"failed logins, for example from a device with an old password); or that server is down "
	"or filtered. Try sending from another network such as a mobile hotspot: if it works "
	"there, it is one of the first two, so ask this network's operator or internet provider "
	"whether it blocks ports 587 and 465, and the provider whether it blocks this network's "
	"address; if not, report it to the provider. This is unconfirmed: running mailprobe "
	"again with --control HOST (a host known to accept these ports, such as the provider's "
	"second site) tells a block by this network from one on the server's side.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY] =
	"Port 587 of {server} does not answer from this network; port 465 with SSL/TLS works.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_REFUSED] =
	"{server} refuses port 587; port 465 with SSL/TLS works.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE] =
	"Set the outgoing server (SMTP) to port 465 with SSL/TLS, the fallback mail providers "
	"publish, and keep authentication on with the same user name and password. Port 587 is "
	"filtered either by this network (some internet providers and company firewalls block "
	"it) or on the server's side; if 587 works from another network, such as a mobile "
	"hotspot, the filter is aimed at this network: its own firewall, or the server blocking "
	"this network's address. This is unconfirmed: running mailprobe again with --control "
	"HOST (a host known to accept these ports, such as the provider's second site) tells "
	"the two apart.",
    [W_F_PORT25_BLOCKED_SUMMARY] = "Port 25 does not answer from this network.",
    [W_F_PORT25_BLOCKED_ADVICE] =
	"This is normal for home and mobile networks: port 25 is for mail between servers. Mail "
	"clients send over 587 (STARTTLS) or 465 (SSL/TLS); nothing to do.",
    [W_F_WRONG_SECURITY_MODE_SUMMARY_PLAINTEXT] =
	"Port {ports} starts unencrypted: SSL/TLS is the wrong setting there.",
    [W_F_WRONG_SECURITY_MODE_ADVICE_PLAINTEXT] =
	"Set the connection security for this port to STARTTLS. SSL/TLS (encryption from the first "
	"byte) belongs to ports 465, 993 and 995.",
    [W_F_WRONG_SECURITY_MODE_SUMMARY] = "Port {ports} expects SSL/TLS from the first byte, but "
					"STARTTLS or no encryption was chosen.",
    [W_F_WRONG_SECURITY_MODE_ADVICE] = "Set the connection security for this port to SSL/TLS "
				       "(STARTTLS belongs to ports 587, 143 and 110).",
    [W_F_STARTTLS_STRIPPED_SUMMARY] =
	"Something on the network path removes STARTTLS from the server's answers (port {ports}).",
    [W_F_STARTTLS_STRIPPED_ADVICE] =
	"A firewall or 'mail inspection' in this network removes the encryption offer, so the "
	"connection could only be used unencrypted: never send a password like that. Use the "
	"SSL/TLS ports (465, 993, 995) instead and ask the network operator to turn off SMTP/ESMTP "
	"inspection.",
    [W_F_TLS_INTERCEPTED_SUMMARY] = "The certificate on port {ports} is not the server's own: "
				    "something on this network intercepts encrypted connections.",
    [W_F_TLS_INTERCEPTED_ADVICE] =
	"A proxy, an antivirus 'mail shield' or a company firewall replaces the server's "
	"certificate. Do not accept the certificate warning in the mail client. Turn off the "
	"antivirus mail scanning or ask the network operator; if the interception is company "
	"policy, install the company's certificate authority as they document.",
    [W_F_CERT_CHAIN_INCOMPLETE_SUMMARY] =
	"The server on port {ports} sends its certificate without the intermediate certificate.",
    [W_F_CERT_CHAIN_INCOMPLETE_ADVICE] =
	"Many mail clients then refuse the connection although the certificate itself is valid. "
	"The provider must fix this by sending the full chain (certificate plus intermediate "
	"certificate); customers cannot fix it.",
    [W_F_CERT_EXPIRED_SUMMARY] = "The server's certificate on port {ports} has expired ({date}).",
    [W_F_CERT_EXPIRED_ADVICE] = "The provider must renew the certificate. Until then mail clients "
				"warn or refuse to connect; do not accept the warning permanently. "
				"If the date looks wrong, check this computer's clock.",
    [W_F_CLOCK_SKEW_SUMMARY] = "The certificates on every port look expired or not yet valid "
			       "against this computer's clock.",
    [W_F_CLOCK_SKEW_ADVICE] =
	"Check the date, time and time zone of this computer or phone: a wrong clock makes every "
	"valid certificate fail. Turn on automatic time setting.",
    [W_F_CERT_EXPIRING_SUMMARY] =
	"The certificate on port {ports} expires in {days} days ({date}).",
    [W_F_CERT_EXPIRING_ADVICE] = "The provider should renew the certificate before it expires; "
				 "after that mail clients will refuse to connect.",
    [W_F_TLS_OUTDATED_SUMMARY] = "The encryption on port {ports} is outdated ({reason}).",
    [W_F_TLS_OUTDATED_REASON_SHA1] = "certificate signed with SHA-1",
    [W_F_TLS_OUTDATED_REASON_AEAD] = "TLS 1.2 without an AEAD cipher",
    [W_F_TLS_OUTDATED_ADVICE] =
	"The provider should offer TLS 1.3, or TLS 1.2 with modern (AEAD) ciphers, and a "
	"certificate signed with SHA-256; some mail clients already refuse this one.",
    [W_F_LOGIN_REJECTED_SUMMARY] = "The server rejected the user name or password (port {ports}).",
    [W_F_LOGIN_REJECTED_ADVICE] =
	"Check the password (upper and lower case, keyboard layout). The user name is usually the "
	"full e-mail address.{user_hint} If the provider uses two-factor authentication, you may "
	"need an app password.",
    [W_F_LOGIN_REJECTED_USER_HINT] =
	" The user name given has no @domain: try the full e-mail address.",
    [W_F_LOGIN_REJECTED_OUTGOING_ONLY_SUMMARY] =
	"Login works for incoming mail, but the outgoing server (port {ports}) rejects it.",
    [W_F_LOGIN_REJECTED_OUTGOING_ONLY_ADVICE] =
	"Turn on 'My outgoing server (SMTP) requires authentication' with the same user name and "
	"password as for incoming mail, or ask the provider whether sending is enabled for this "
	"account (some require an app password or a separate SMTP password).",
    [W_F_OAUTH_REQUIRED_SUMMARY] = "The server does not accept a password login (port {ports}): it "
				   "requires OAuth (modern authentication).",
    [W_F_OAUTH_REQUIRED_ADVICE] =
	"Use a mail client that signs in with OAuth for this provider (current Outlook, "
	"Thunderbird and Apple Mail do: choose the provider's sign-in rather than a password), or "
	"create an app password if the provider offers one. To check the account with mailprobe, "
	"give it an OAuth2 access token (--oauth2-token-file FILE, --oauth2-token-stdin or "
	"MAILPROBE_OAUTH2_TOKEN), or a refresh token to get one with "
	"(--oauth2-refresh-token-file FILE, --oauth2-token-url URL, --oauth2-client-id ID).",
    [W_F_OAUTH_TOKEN_INVALID_SUMMARY] =
	"The server refused the OAuth2 access token (port {ports}): it has expired, was revoked "
	"or lacks the scope for mail.",
    [W_F_OAUTH_TOKEN_INVALID_ADVICE] =
	"Renew the token (access tokens last about an hour; the refresh token gets a new one) and "
	"give the new one with --oauth2-token-file, --oauth2-token-stdin or "
	"MAILPROBE_OAUTH2_TOKEN. With insufficient_scope, request the token with the provider's "
	"scope for IMAP, POP and SMTP.",
    [W_F_OAUTH_TOKEN_UNAVAILABLE_SUMMARY] =
	"No OAuth2 access token could be had, so the login was not tried (port {ports}): "
	"{message}.",
    [W_F_OAUTH_TOKEN_UNAVAILABLE_ADVICE] =
	"Check the token endpoint (oauth2_token_url: reachable from here, its certificate "
	"trusted by the module's ca_file) and the grant: invalid_grant means the refresh token "
	"was revoked or has expired, so get a new one through the provider's sign-in. Until a "
	"grant works again, a token that is still valid stays in use and new grants are tried "
	"with a growing pause.",
    [W_F_OAUTH_TOKEN_INVALID_SUMMARY_STATUS] =
	"The server refused the OAuth2 access token with the status {oauth_status} (port "
	"{ports}): {oauth_meaning}.",
    [W_F_OAUTH_STATUS_INVALID_TOKEN] = "the token has expired or was revoked",
    [W_F_OAUTH_STATUS_INSUFFICIENT_SCOPE] = "the token lacks the scope (permission) for mail",
    [W_F_OAUTH_STATUS_OTHER] = "it has expired, was revoked or lacks the scope for mail",
    [W_F_LOGIN_NOT_TESTED_SUMMARY] =
	"The login was not tested: no user name and password were given.",
    [W_F_LOGIN_NOT_TESTED_ADVICE] =
	"Run again with --user and a password (--password-file, --password-stdin or "
	"MAILPROBE_PASSWORD) to check the login too.",
    [W_F_SENDING_REJECTED_SUMMARY] = "The server refused the sender or recipient: {message}",
    [W_F_SENDING_REJECTED_ADVICE] =
	"Logging in works, but sending is refused. The sender address must usually be the "
	"account's own address; a refused recipient means this login may not relay. Check the From "
	"address in the client and the account's sending permissions with the provider.",
    [W_F_ADDRESS_FAMILY_BROKEN_SUMMARY] = "{family} connections fail while {other_family} works.",
    [W_F_ADDRESS_FAMILY_BROKEN_ADVICE] =
	"This network's connectivity for that address family is broken. Mail clients usually fall "
	"back to the other one, but slowly or not at all; ask the network operator or internet "
	"provider to fix it.",
    [W_F_ADDRESS_DOWN_SUMMARY] =
	"The server address {address} does not answer while other addresses of {server} do.",
    [W_F_ADDRESS_DOWN_ADVICE] =
	"One of the provider's servers is down, filtered, or unreachable from this network, so a "
	"mail client that picks it fails now and then. Report it to the provider with this report.",
    [W_F_DISCOVERY_CONFLICT_SUMMARY] =
	"The DNS records (SRV) name other servers than the provider's autoconfig file, which came "
	"over verified HTTPS: the DNS answer may be forged.",
    [W_F_DISCOVERY_CONFLICT_ADVICE] =
	"mailprobe used the servers of the verified file. On a public, hotel or guest network, a "
	"forged DNS answer is possible: do not enter the password for the servers the DNS records "
	"name. On a trusted network, tell the provider that their SRV records and their autoconfig "
	"file disagree.",
    [W_F_ENDPOINT_FAILED_SUMMARY] = "Failed: {port_classes}.",
    [W_F_ENDPOINT_FAILED_ADVICE] = "The server or something on the way misbehaved; see the "
				   "evidence and send this report to the provider's support.",
    [W_A_CONNECT_TIMEOUT] =
	"Nothing answers on this port: a firewall drops the connection, on this network or at "
	"the server. If the port answers from another network (such as a mobile hotspot), the "
	"drop is aimed at this network: its own firewall, or the server blocking this network's "
	"address; --control HOST (a host known to accept the port) tells the two apart.",
    [W_A_CONNECT_REFUSED] = "Nothing listens on this port, or a firewall rejects it.",
    [W_A_CONNECT_UNREACHABLE] = "The server's network is unreachable from here (no route).",
    [W_A_TLS_UNTRUSTED] = "The certificate is not trusted: self-signed, from a private authority, "
			  "or replaced on the way. Do not accept it blindly; ask the provider.",
    [W_A_TLS_HOSTNAME_MISMATCH] =
	"The certificate is for another name: use exactly the server name the provider documents.",
    [W_A_TLS_NOT_YET_VALID] = "The certificate is not valid yet: check this computer's clock, or "
			      "the provider installed it too early.",
    [W_A_TLS_VERSION_TOO_OLD] = "The server only offers TLS 1.0/1.1, which current mail clients "
				"refuse; the provider must update it.",
    [W_A_AUTH_UNSUPPORTED] = "The server offers no password login the client can use here; ask the "
			     "provider which sign-in to use.",
    [W_A_AUTH_ERROR] = "The server had a temporary problem with the login; try again later.",
    [W_A_SERVER_REJECTED] = "The server refuses connections from this network (its greeting says "
			    "so); the provider may have blocked the address.",
    [W_A_WRONG_PROTOCOL] =
	"Another service answers on this port: check the port number in the settings.",
    [W_A_STARTTLS_UNSUPPORTED] =
	"The server does not offer STARTTLS on this port, so a login there would go unencrypted: "
	"the provider must enable it; meanwhile use the SSL/TLS port if it works. Rarely a "
	"firewall "
	"on this network removes STARTTLS from the server's answers: if the port offers STARTTLS "
	"from another network, that is the cause.",
    [W_A_TLS_HANDSHAKE_FAILED] =
	"The TLS handshake failed; the evidence gives the reason. An alert from the server (such "
	"as "
	"\"internal error\" or \"handshake failure\") is a fault in the server's TLS setup for the "
	"provider to fix. Only if TLS to other servers fails the same way from this network is a "
	"device on this network that intercepts TLS the cause.",
    [W_A_NO_ANSWER] =
	"The connection was accepted, but the server sent nothing in the time allowed: the mail "
	"service hangs, is overloaded or waits on purpose before it answers. Try again with a "
	"longer "
	"--timeout; if it stays silent, report it to the provider. Rarely a proxy on this network "
	"accepts connections it cannot pass on: if the port answers from another network, that is "
	"the cause.",
    [W_F_PORT25_BLOCKED_SUMMARY_REFUSED] =
	"Port 25 of {server} refuses connections: nothing accepts them there.",
    [W_F_PORT25_BLOCKED_ADVICE_REFUSED] =
	"Port 25 is for mail between servers; mail clients send over 587 (STARTTLS) or 465 "
	"(SSL/TLS). Nothing to do.",
    [W_F_HOST_UNREACHABLE_SUMMARY_REFUSED] =
	"{server} refuses every connection to its mail ports from here.",
    [W_F_HOST_UNREACHABLE_ADVICE_REFUSED] =
	"The server's address answered with a refusal on every port: the mail service is not "
	"running there, or the server refuses this network's address (many servers do so for a "
	"while after repeated failed logins, for example from a device with an old password). "
	"Either way it is on the provider's side: check the server name, then report it to the "
	"provider and ask whether they block this network's address. (Rarely a firewall on this "
	"network sends such refusals; if another network reaches the server, this network or a "
	"block of its address is the cause.)",
    [W_F_OUTGOING_BLOCKED_SUMMARY_REFUSED] =
	"{server} refuses connections on the outgoing mail ports ({ports}).",
    [W_F_OUTGOING_BLOCKED_ADVICE_REFUSED] =
	"The server's address answered with a refusal: the sending service is not running "
	"there, or the server refuses this network's address (many servers do so for a while "
	"after repeated failed logins, for example from a device with an old password). Either "
	"way it is on the provider's side: report it to the provider and ask whether they block "
	"this network's address. Incoming mail is not affected.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_REFUSED] =
	"Set the outgoing server (SMTP) to port 465 with SSL/TLS and keep authentication on with "
	"the same user name and password. The server's address itself refused port 587: the "
	"provider does not offer it there, or it is switched off; tell the provider if their "
	"settings name 587.",
    [W_F_ADDRESS_DOWN_SUMMARY_REFUSED] = "The server address {address} refuses every connection "
					 "while other addresses of {server} work.",
    [W_F_ADDRESS_DOWN_ADVICE_REFUSED] =
	"Nothing accepts connections at that address: a server of the provider is not running its "
	"mail service, or the name points to a wrong address. A mail client that picks it fails "
	"now and then. Report it to the provider.",
    [W_F_HOST_UNREACHABLE_SUMMARY_FIREWALL] =
	"A firewall at {server} rejects every connection to its mail ports from here.",
    [W_F_HOST_UNREACHABLE_ADVICE_FIREWALL] =
	"The server's own address answered with an ICMP rejection (\"port unreachable\" or "
	"\"administratively prohibited\"), which a firewall's reject rule sends (a port where "
	"nothing listens answers with a TCP reset instead), or rarely a device in front of the "
	"server in its name. So the mail service may well run, and the server's firewall turns "
	"this network away: many servers block an address for a while after repeated failed "
	"logins, for example from a device with an old password. Report it to the provider with "
	"this report and ask whether they block this network's address; meanwhile check that no "
	"device here still tries an old password.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_FIREWALL] =
	"A firewall at {server} rejects the outgoing mail ports ({ports}) from here.",
    [W_F_OUTGOING_BLOCKED_ADVICE_FIREWALL] =
	"The server's own address answered with an ICMP rejection (\"port unreachable\" or "
	"\"administratively prohibited\"), which a firewall's reject rule sends (a port where "
	"nothing listens answers with a TCP reset instead), or rarely a device in front of the "
	"server in its name. So the sending service may well run, and the server's firewall "
	"turns this network away: many servers block an address for a while after repeated "
	"failed logins, for example from a device with an old password. Report it to the "
	"provider with this report and ask whether they block this network's address; meanwhile "
	"check that no device here still tries an old password. Incoming mail is not affected.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_FIREWALL] =
	"A firewall at {server} rejects port 587 from here; port 465 with SSL/TLS works.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_FIREWALL] =
	"Set the outgoing server (SMTP) to port 465 with SSL/TLS and keep authentication on "
	"with the same user name and password. Port 587 was turned away by an ICMP rejection "
	"(\"port unreachable\" or \"administratively prohibited\") from the server's own address, "
	"which a firewall's reject rule sends (a port where nothing listens answers with a TCP "
	"reset instead): tell the provider that their firewall rejects port 587 from this "
	"network.",
    [W_F_HOST_UNREACHABLE_SUMMARY_LOCAL] =
	"A firewall on this computer rejects every connection to the mail ports of {server}.",
    [W_F_HOST_UNREACHABLE_ADVICE_LOCAL] =
	"The refusal came as an ICMP message (\"port unreachable\" or \"administratively "
	"prohibited\") from this computer's own address: the connections never left this "
	"computer. Its firewall, security software or VPN client blocks them. Allow the mail "
	"program, or the mail ports, there.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_LOCAL] =
	"A firewall on this computer rejects the outgoing mail ports ({ports}) to {server}.",
    [W_F_OUTGOING_BLOCKED_ADVICE_LOCAL] =
	"The refusal came as an ICMP message (\"port unreachable\" or \"administratively "
	"prohibited\") from this computer's own address: the connections never left this "
	"computer. Its firewall, security software or VPN client blocks them. Allow the mail "
	"program, or ports 587 and 465, there. Incoming mail is not affected.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_LOCAL] =
	"A firewall on this computer rejects port 587 to {server}; port 465 with SSL/TLS works.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_LOCAL] =
	"Set the outgoing server (SMTP) to port 465 with SSL/TLS and keep authentication on "
	"with the same user name and password. The refusal came as an ICMP message (\"port "
	"unreachable\" or \"administratively prohibited\") from this computer's own address: the "
	"connections never left this computer. Its firewall, security software or VPN client "
	"blocks them. To use 587, allow it there.",
    [W_F_ADDRESS_DOWN_SUMMARY_FIREWALL] =
	"A firewall at the server address {address} rejects every connection from here, while "
	"other addresses of {server} work.",
    [W_F_PORT25_BLOCKED_SUMMARY_FIREWALL] = "A firewall at {server} rejects port 25 from here.",
    [W_F_ENDPOINT_FAILED_PORT] = "port {port} ({class})",
    [W_TXT_DISCOVERY] = "discovery",
    [W_TXT_OK] = "ok",
    [W_TXT_FAILED_UPPER] = "FAILED",
    [W_TXT_NOT_TESTED] = "not tested",
    [W_TXT_LOGIN_OK] = "login ok",
    [W_TXT_LOGIN_REJECTED] = "login rejected",
    [W_TXT_LOGIN_NOT_TESTED] = "login not tested",
    [W_TXT_LOGIN_FAILED] = "login failed",
    [W_TXT_ADDRESSES] = "addresses",
    [W_TXT_SEV_INFO] = "INFO",
    [W_TXT_SEV_WARNING] = "WARNING",
    [W_TXT_SEV_CRITICAL] = "CRITICAL",
    [W_TXT_ST_OK] = "OK",
    [W_TXT_ST_WARNING] = "WARNING",
    [W_TXT_ST_CRITICAL] = "CRITICAL",
    [W_TXT_ST_UNKNOWN] = "UNKNOWN",
    [W_TXT_MORE] = "-v shows every step, certificates and capabilities",
    [W_TXT_WAITING] = "waiting for",
    [W_TXT_DONE] = "done",
    [L_NO_NAME] = "New Outlook for Windows",
    [L_NO_WHERE] = "Settings (gear) > Accounts > Email accounts > Add account: enter the address, "
		   "choose 'Advanced setup', then IMAP or POP.",
    [L_NO_SETTING] = "Setting in new Outlook",
    [L_NO_COL_IN] = "Incoming (%s)",
    [L_NO_COL_OUT] = "Outgoing (SMTP)",
    [L_NO_SERVER] = "Server",
    [L_NO_PORT] = "Port",
    [L_NO_SECURITY] = "Secure connection type",
    [L_NO_SEC_NONE] = "None",
    [L_NO_USER] = "Username",
    [L_TICKET] = "Reference",
    [L_WHAT_TO_DO] = "What to do",
    [L_GRID] = "Ports and addresses",
    [L_GRID_PORT] = "Port",
    [L_NOT_TESTED] = "not tested",
    [L_OK] = "ok",
    [L_ENV_LOCAL_ADDRS] = "Addresses of this computer",
    [L_ENV_RESOLVERS] = "DNS servers of this computer",
    [L_ENV_MAIL_ADDRS] = "Addresses of the mail server",
    [L_DETAILS_OK] = "Details of the endpoints that work",
    [W_F_GREETING_SLOW_SUMMARY] =
	"The server took {seconds} to greet on port {ports}; mail works, but every connection "
	"of a mail program waits that long first.",
    [W_F_GREETING_SLOW_ADVICE] =
	"Only the server decides when it greets, and there are two usual reasons to wait: it "
	"looks up your address first (a reverse DNS lookup that is slow, or an ident query to "
	"port 113 that your network's firewall drops instead of refusing), or it delays every "
	"new connection on purpose (an anti-spam delay) or is overloaded. To tell them apart, "
	"run the same check from another network: if the delay is gone there, the lookup of "
	"this network's address is slow (the provider can fix its resolver, your network can "
	"refuse port 113 instead of dropping it); if it stays, tell the provider that its "
	"server greets late.",
    [W_F_LOGIN_TIMEOUT_SUMMARY] =
	"The login was not answered in time (port {ports}); connecting and encryption work.",
    [W_F_LOGIN_TIMEOUT_ADVICE] =
	"This is no outage: the server is slow to check the login, or it delays logins after "
	"failed attempts (some servers wait several seconds after a wrong password). Run again "
	"with a longer --timeout; if the login stays slow, tell the provider.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_NETWORK] =
	"This network blocks port 587: it fails at the control host {control} too; port 465 with "
	"SSL/TLS works.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_NETWORK] =
	"Set the outgoing server (SMTP) to port 465 with SSL/TLS and keep authentication on with "
	"the same user name and password. To use 587, ask this network's operator or the internet "
	"provider to allow it.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_SERVER] =
	"Port 587 fails at {server} but works at the control host {control}: the block is at or "
	"near the mail server, or aimed at it; port 465 with SSL/TLS works.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_SERVER] =
	"Set the outgoing server (SMTP) to port 465 with SSL/TLS for now, and report to the "
	"provider that port 587 of their server does not answer from this network while other "
	"hosts answer on it.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_NETWORK] =
	"This network blocks the outgoing mail ports ({ports}): they fail at the control host "
	"{control} too.",
    [W_F_OUTGOING_BLOCKED_ADVICE_NETWORK] =
	"Ask this network's operator or the internet provider to allow ports 587 and 465, or send "
	"from another network. Incoming mail is not affected.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_SERVER] =
	"The outgoing mail ports ({ports}) of {server} fail, while they work at the control host "
	"{control}: the problem is at or near the mail server.",
    [W_F_OUTGOING_BLOCKED_ADVICE_SERVER] =
	"Report it to the provider with this report: their sending server does not answer from "
	"this network while other hosts do. Ask whether they block this network's address: many "
	"servers do so for a while after repeated failed logins, so check that no device here "
	"still tries an old password.",
    [W_F_HOST_UNREACHABLE_SUMMARY_NETWORK] = "This network blocks the mail ports: they fail at "
					     "{server} and at the control host {control} alike.",
    [W_F_HOST_UNREACHABLE_ADVICE_NETWORK] =
	"Ask this network's operator (firewall, VPN, guest network) or the internet provider to "
	"allow the mail ports, or use another network.",
    [W_F_HOST_UNREACHABLE_SUMMARY_SERVER] =
	"No port of {server} answers, while the control host {control} answers on the same ports: "
	"the problem is at or near the mail server.",
    [W_F_HOST_UNREACHABLE_ADVICE_SERVER] =
	"Look at the provider's status page and report it to the provider with this report. If "
	"the server works for others, ask whether it blocks this network's address: many "
	"servers do so for a while after repeated failed logins, so check that no device here "
	"still tries an old password.",
    [W_TXT_SKIP] = "skip",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_PATH_NETWORK] =
	"Port 587 is blocked on the way to {server}: its packets are last seen at {where}, while "
	"port 465 reaches the server at hop {server_hop}; port 465 with SSL/TLS works.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_PATH_SERVER] =
	"Port 587 gets as far as port 465, to the last router before {server} (hop {hop}): the "
	"block is at the mail server or its edge; port 465 with SSL/TLS works.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_PATH_SERVER] =
	"Set the outgoing server (SMTP) to port 465 with SSL/TLS for now, and tell the provider "
	"that port 587 of their server is filtered at its edge from this network.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_PATH_NETWORK] =
	"The outgoing mail ports ({ports}) are blocked on the way to {server}: their packets are "
	"last seen at {where}, while another port reaches the server at hop {server_hop}.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_PATH_SERVER] =
	"The outgoing mail ports ({ports}) get as far as the last router before {server} (hop "
	"{hop}), like a port that works: the block is at the mail server or its edge.",
    [W_F_OUTGOING_BLOCKED_ADVICE_PATH_SERVER] =
	"Report it to the provider with this report: their sending ports are filtered at the "
	"server's edge from this network (a firewall there, or a block of this network's "
	"address, for example after repeated failed logins).",
    [W_F_WHERE_OWN_ROUTER] = "your own router (hop 1, {hop_addr})",
    [W_F_WHERE_HOP] = "hop {hop} ({hop_addr})",
    [W_F_WHERE_NOWHERE] = "the very start (not even the first router answered)",
    [W_EX_VERSION] = "version %s",
    [W_EX_TARGETS] = "%d targets",
    [W_EX_CONFIG] = "config",
    [W_EX_RELOAD_OK] = "last reload ok",
    [W_EX_RELOAD_FAILED] = "last reload failed (the previous config stays in use)",
    [W_EX_NO_TARGETS] = "No targets are configured: only /probe answers.",
    [W_EX_PENDING] = "pending",
    [W_EX_MODULE] = "module",
    [W_EX_PROBED] = "probed %s ago in %s",
    [W_EX_FIRST_RUNNING] = "first probe running",
    [W_EX_WAITING] = "waiting for the first probe",
    [W_EX_EVERY] = "every %s",
    [W_EX_BACKOFF] = "login back-off %s",
    [W_EX_REPORT] = "support report",
    [W_EX_LATENCY] = "latency, last %d probes, at most %s",
    [W_EX_OTHER_LANG] = "Deutsch",
    [W_F_DISCOVERY_UNTRUSTED_SUMMARY] =
	"{server} was found only through unauthenticated DNS and lies outside {domain}: the "
	"password was not sent there (port {ports}).",
    [W_F_DISCOVERY_UNTRUSTED_ADVICE] =
	"Anyone on this network path could have forged that DNS answer (public, hotel or guest "
	"Wi-Fi). Compare the server name with the provider's own instructions (their website over "
	"HTTPS). If it is the provider's server, run again with {server} as the server (the HOST "
	"argument, with --user), or with --trust-discovered to log in there.",
    [L_PATHS] = "Where the blocked port stops",
    [L_PATH_TITLE] = "Port %u beside port %u to %s",
    [L_PATH_NONE] = "no answer",
    [L_PATH_SERVER] = "server",
    [W_A_AUTH_UNSUPPORTED_TOKEN] =
	"The server offers no OAuth2 login (XOAUTH2 or OAUTHBEARER) here, so the token was not "
	"sent; ask the provider which sign-in applies to this port, or check it with a password.",
    /* the guided mode: short sentences for a customer, the answer first */
    [W_G_TITLE] = "mailprobe checks whether your e-mail works from this computer.",
    [W_G_INTRO] = "It needs your e-mail address and your password. The password goes only to "
		  "your mail server, encrypted, and is not saved.",
    [W_G_ASK_ADDRESS] = "Your e-mail address: ",
    [W_G_ADDRESS_EMPTY] = "Please type your e-mail address, for example anna@example.com.",
    [W_G_ADDRESS_NO_AT] =
	"That is not an e-mail address: the @ is missing (like anna@example.com).",
    [W_G_ADDRESS_SPACE] = "An e-mail address has no spaces in it. Please type it again.",
    [W_G_ADDRESS_BAD] =
	"That is not an e-mail address: check the part after the @ (like example.com).",
    [W_G_ADDRESS_TOO_LONG] = "That is too long for an e-mail address. Please type it again.",
    [W_G_GIVE_UP] = "No e-mail address after %d tries. Start mailprobe again when you have it "
		    "at hand.",
    [W_G_ASK_PASSWORD] = "Your password (it stays invisible while you type): ",
    [W_G_PASSWORD_EMPTY] = "No password typed: without it the login cannot be checked. Type it, "
			   "or press Enter again to check without it.",
    [W_G_CHECKING] = "Checking %s. This takes less than a minute, please wait.",
    [W_G_RESULT] = "Result",
    [W_G_RESULT_OK] = "Your e-mail works from this computer: receiving and sending.",
    [W_G_RESULT_OK_NO_LOGIN] = "The mail servers can be reached from this computer. The password "
			       "was not checked.",
    [W_G_REPORT_AT] = "The report for your support team is here:",
    [W_G_SEND] = "Please send this file to your support team, as an attachment to an e-mail. "
		 "Your password is not in it.",
    [W_G_OPENED] = "It opens in your browser now.",
    [W_G_NO_REPORT] = "The report could not be saved (%s).",
    [W_G_CANCELLED] = "\nCancelled. Nothing was saved.\n",
    [W_G_PRESS_ENTER] = "Press Enter to close this window.",
    [W_G_FILE_STEM] = "mailprobe-report",
};
