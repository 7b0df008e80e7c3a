/*
 * The words of the diagnosis: summary and advice of every finding, in
 * English and German, in plain language for customers and support desks.
 * Facts (ports, days, dates) come from the finding's evidence. No I/O here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "probe/diagnose/diagnose_rules.h"

/* What the texts of one finding may mention. */
struct params {
	char ports[64]; /* "587" or "993, 995" */
	char host[MP_HOST_MAX];
	char address[MP_ADDR_MAX];
	char first_msg[MP_MESSAGE_MAX];
	enum mp_class first_cls;
	int min_days;
	char date[32];
	bool plaintext_port; /* wrong_security_mode: SSL/TLS chosen on a plaintext port */
	bool refused;        /* outgoing_port_blocked: refused, not dropped */
	bool user_without_at;
	bool v6;   /* address_family_broken: IPv6 is the broken one */
	bool sha1; /* tls_outdated */
};

struct text {
	const char *id;
	void (*say)(struct mp_finding *f, const struct params *p);
};

static void
put(struct mp_finding *f, enum mp_lang l, const char *summary, const char *advice_fmt, ...)
{
	va_list ap;

	snprintf(f->summary[l], sizeof(f->summary[l]), "%s", summary);
	va_start(ap, advice_fmt);
	vsnprintf(f->advice[l], sizeof(f->advice[l]), advice_fmt, ap);
	va_end(ap);
}

/* Summary with arguments, then advice with arguments. */
#define SAY(f, l, adv, ...)                                                                        \
	do {                                                                                       \
		char s_[MP_SUMMARY_MAX];                                                           \
		snprintf(s_, sizeof(s_), __VA_ARGS__);                                             \
		put(f, l, s_, "%s", adv);                                                          \
	} while (0)

static void
say_dns(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "Check the server name in the account settings for typos. If it is right, the DNS "
	    "server of this network does not answer for it: try another network or DNS server, "
	    "or ask the provider whether the name has changed.",
	    "The server name %s does not resolve (%s).", p->host, mp_class_str(p->first_cls));
	SAY(f, LANG_DE,
	    "Prüfen Sie den Servernamen in den Kontoeinstellungen auf Tippfehler. Stimmt er, "
	    "beantwortet der DNS-Server dieses Netzes ihn nicht: versuchen Sie ein anderes Netz "
	    "oder einen anderen DNS-Server, oder fragen Sie den Anbieter, ob sich der Name "
	    "geändert hat.",
	    "Der Servername %s lässt sich nicht auflösen (%s).", p->host,
	    mp_class_str(p->first_cls));
}

static void
say_unreachable(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "The server is down, or this network cannot reach it at all (firewall, VPN, login "
	    "page of a hotel or guest network). Check that other internet services work, try "
	    "another network such as a mobile hotspot, and look at the provider's status page.",
	    "No port of %s answers from this network.", p->host);
	SAY(f, LANG_DE,
	    "Der Server ist ausgefallen, oder dieses Netz erreicht ihn gar nicht (Firewall, VPN, "
	    "Anmeldeseite eines Hotel- oder Gastnetzes). Prüfen Sie, ob andere Internetdienste "
	    "gehen, versuchen Sie ein anderes Netz, z. B. einen mobilen Hotspot, und sehen Sie "
	    "auf der Statusseite des Anbieters nach.",
	    "Kein Port von %s antwortet aus diesem Netz.", p->host);
}

static void
say_outgoing_blocked(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "This network (often the internet provider or a company firewall) blocks sending "
	    "mail to other servers. Ask the network operator or internet provider to allow ports "
	    "587 and 465, use the internet provider's own outgoing server (relay) as they "
	    "document it, or send from another network.",
	    "No outgoing mail port (%s) answers from this network, while incoming mail works.",
	    p->ports);
	SAY(f, LANG_DE,
	    "Dieses Netz (oft der Internetanbieter oder eine Firmen-Firewall) sperrt das Senden "
	    "an fremde Mailserver. Bitten Sie den Netzbetreiber oder Internetanbieter, die Ports "
	    "587 und 465 freizugeben, nutzen Sie den Postausgangsserver (Relay) des "
	    "Internetanbieters wie dort beschrieben, oder senden Sie aus einem anderen Netz.",
	    "Kein Port für ausgehende Mail (%s) antwortet aus diesem Netz, eingehende Mail "
	    "funktioniert.",
	    p->ports);
}

static void
say_outgoing_port(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "Your network blocks port 587. Set the outgoing server (SMTP) to port 465 with "
	    "SSL/TLS, the fallback mail providers publish, and keep authentication on with the "
	    "same user name and password.",
	    p->refused
		? "Port 587 is refused from this network; port 465 with SSL/TLS works."
		: "Port 587 does not answer from this network; port 465 with SSL/TLS works.");
	SAY(f, LANG_DE,
	    "Ihr Netz sperrt Port 587. Stellen Sie den Postausgangsserver (SMTP) auf Port 465 "
	    "mit SSL/TLS um, die Ausweichmöglichkeit, die Mailanbieter angeben, und lassen Sie "
	    "die Authentifizierung mit demselben Benutzernamen und Passwort eingeschaltet.",
	    p->refused ? "Port 587 wird aus diesem Netz abgewiesen; Port 465 mit SSL/TLS "
			 "funktioniert."
		       : "Port 587 antwortet aus diesem Netz nicht; Port 465 mit SSL/TLS "
			 "funktioniert.");
}

static void
say_port25(struct mp_finding *f, const struct params *p)
{
	(void)p;
	SAY(f, LANG_EN,
	    "This is normal for home and mobile networks: port 25 is for mail between servers. "
	    "Mail clients send over 587 (STARTTLS) or 465 (SSL/TLS); nothing to do.",
	    "Port 25 does not answer from this network.");
	SAY(f, LANG_DE,
	    "Das ist in Heim- und Mobilfunknetzen normal: Port 25 dient der Mail zwischen "
	    "Servern. Mailprogramme senden über 587 (STARTTLS) oder 465 (SSL/TLS); nichts zu tun.",
	    "Port 25 antwortet aus diesem Netz nicht.");
}

static void
say_wrong_mode(struct mp_finding *f, const struct params *p)
{
	if (p->plaintext_port) {
		SAY(f, LANG_EN,
		    "Set the connection security for this port to STARTTLS. SSL/TLS (encryption "
		    "from the first byte) belongs to ports 465, 993 and 995.",
		    "Port %s starts unencrypted: SSL/TLS is the wrong setting there.", p->ports);
		SAY(f, LANG_DE,
		    "Stellen Sie die Verbindungssicherheit für diesen Port auf STARTTLS. SSL/TLS "
		    "(Verschlüsselung ab dem ersten Byte) gehört zu den Ports 465, 993 und 995.",
		    "Port %s beginnt unverschlüsselt: SSL/TLS ist dort die falsche Einstellung.",
		    p->ports);
		return;
	}
	SAY(f, LANG_EN,
	    "Set the connection security for this port to SSL/TLS (STARTTLS belongs to ports 587, "
	    "143 and 110).",
	    "Port %s expects SSL/TLS from the first byte, but STARTTLS or no encryption was "
	    "chosen.",
	    p->ports);
	SAY(f, LANG_DE,
	    "Stellen Sie die Verbindungssicherheit für diesen Port auf SSL/TLS (STARTTLS gehört "
	    "zu den Ports 587, 143 und 110).",
	    "Port %s erwartet SSL/TLS ab dem ersten Byte, gewählt war aber STARTTLS oder keine "
	    "Verschlüsselung.",
	    p->ports);
}

static void
say_stripped(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "A firewall or 'mail inspection' in this network removes the encryption offer, so "
	    "the connection could only be used unencrypted: never send a password like that. "
	    "Use the SSL/TLS ports (465, 993, 995) instead and ask the network operator to turn "
	    "off SMTP/ESMTP inspection.",
	    "Something on the network path removes STARTTLS from the server's answers (port %s).",
	    p->ports);
	SAY(f, LANG_DE,
	    "Eine Firewall oder 'Mail-Inspektion' in diesem Netz entfernt das "
	    "Verschlüsselungsangebot, sodass die Verbindung nur unverschlüsselt ginge: senden "
	    "Sie so niemals ein Passwort. Nutzen Sie stattdessen die SSL/TLS-Ports (465, 993, "
	    "995) und bitten Sie den Netzbetreiber, die SMTP/ESMTP-Inspektion abzuschalten.",
	    "Etwas auf dem Netzweg entfernt STARTTLS aus den Antworten des Servers (Port %s).",
	    p->ports);
}

static void
say_intercepted(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "A proxy, an antivirus 'mail shield' or a company firewall replaces the server's "
	    "certificate. Do not accept the certificate warning in the mail client. Turn off the "
	    "antivirus mail scanning or ask the network operator; if the interception is company "
	    "policy, install the company's certificate authority as they document.",
	    "The certificate on port %s is not the server's own: something on this network "
	    "intercepts encrypted connections.",
	    p->ports);
	SAY(f, LANG_DE,
	    "Ein Proxy, ein Virenscanner-'Mailschutz' oder eine Firmen-Firewall ersetzt das "
	    "Zertifikat des Servers. Akzeptieren Sie die Zertifikatswarnung im Mailprogramm "
	    "nicht. Schalten Sie die Mailprüfung des Virenscanners ab oder fragen Sie den "
	    "Netzbetreiber; ist das Aufbrechen Firmenrichtlinie, installieren Sie die "
	    "Zertifizierungsstelle der Firma wie dort beschrieben.",
	    "Das Zertifikat auf Port %s ist nicht das des Servers: etwas in diesem Netz bricht "
	    "verschlüsselte Verbindungen auf.",
	    p->ports);
}

static void
say_chain(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "Many mail clients then refuse the connection although the certificate itself is "
	    "valid. The provider must fix this by sending the full chain (certificate plus "
	    "intermediate certificate); customers cannot fix it.",
	    "The server on port %s sends its certificate without the intermediate certificate.",
	    p->ports);
	SAY(f, LANG_DE,
	    "Viele Mailprogramme lehnen die Verbindung dann ab, obwohl das Zertifikat selbst "
	    "gültig ist. Der Anbieter muss die ganze Kette senden (Zertifikat plus "
	    "Zwischenzertifikat); Kunden können das nicht beheben.",
	    "Der Server auf Port %s sendet sein Zertifikat ohne das Zwischenzertifikat.", p->ports);
}

static void
say_expired(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "The provider must renew the certificate. Until then mail clients warn or refuse to "
	    "connect; do not accept the warning permanently. If the date looks wrong, check this "
	    "computer's clock.",
	    "The server's certificate on port %s has expired (%s).", p->ports, p->date);
	SAY(f, LANG_DE,
	    "Der Anbieter muss das Zertifikat erneuern. Bis dahin warnen Mailprogramme oder "
	    "verweigern die Verbindung; akzeptieren Sie die Warnung nicht dauerhaft. Wirkt das "
	    "Datum falsch, prüfen Sie die Uhr dieses Computers.",
	    "Das Zertifikat des Servers auf Port %s ist abgelaufen (%s).", p->ports, p->date);
}

static void
say_clock(struct mp_finding *f, const struct params *p)
{
	(void)p;
	SAY(f, LANG_EN,
	    "Check the date, time and time zone of this computer or phone: a wrong clock makes "
	    "every valid certificate fail. Turn on automatic time setting.",
	    "The certificates on every port look expired or not yet valid against this "
	    "computer's clock.");
	SAY(f, LANG_DE,
	    "Prüfen Sie Datum, Uhrzeit und Zeitzone dieses Computers oder Telefons: eine falsche "
	    "Uhr lässt jedes gültige Zertifikat scheitern. Schalten Sie die automatische "
	    "Zeiteinstellung ein.",
	    "Die Zertifikate auf allen Ports wirken, gemessen an der Uhr dieses Computers, "
	    "abgelaufen oder noch nicht gültig.");
}

static void
say_expiring(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "The provider should renew the certificate before it expires; after that mail "
	    "clients will refuse to connect.",
	    "The certificate on port %s expires in %d days (%s).", p->ports, p->min_days, p->date);
	SAY(f, LANG_DE,
	    "Der Anbieter sollte das Zertifikat vor dem Ablauf erneuern; danach verweigern "
	    "Mailprogramme die Verbindung.",
	    "Das Zertifikat auf Port %s läuft in %d Tagen ab (%s).", p->ports, p->min_days,
	    p->date);
}

static void
say_outdated(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "The provider should offer TLS 1.3, or TLS 1.2 with modern (AEAD) ciphers, and a "
	    "certificate signed with SHA-256; some mail clients already refuse this one.",
	    "The encryption on port %s is outdated (%s).", p->ports,
	    p->sha1 ? "certificate signed with SHA-1" : "TLS 1.2 without an AEAD cipher");
	SAY(f, LANG_DE,
	    "Der Anbieter sollte TLS 1.3 oder TLS 1.2 mit modernen (AEAD-)Verfahren und ein mit "
	    "SHA-256 signiertes Zertifikat anbieten; manche Mailprogramme lehnen dieses schon ab.",
	    "Die Verschlüsselung auf Port %s ist veraltet (%s).", p->ports,
	    p->sha1 ? "Zertifikat mit SHA-1 signiert" : "TLS 1.2 ohne AEAD-Verfahren");
}

static void
say_login_rejected(struct mp_finding *f, const struct params *p)
{
	const char *en_at = p->user_without_at ? " The user name given has no @domain: try the "
						 "full e-mail address."
					       : "";
	const char *de_at = p->user_without_at ? " Der angegebene Benutzername hat kein "
						 "@Domain: versuchen Sie die volle E-Mail-Adresse."
					       : "";

	put(f, LANG_EN, "", "");
	snprintf(f->summary[LANG_EN], MP_SUMMARY_MAX,
		 "The server rejected the user name or password (port %s).", p->ports);
	snprintf(f->advice[LANG_EN], MP_ADVICE_MAX,
		 "Check the password (upper and lower case, keyboard layout). The user name is "
		 "usually the full e-mail address.%s If the provider uses two-factor "
		 "authentication, you may need an app password.",
		 en_at);
	snprintf(f->summary[LANG_DE], MP_SUMMARY_MAX,
		 "Der Server hat Benutzername oder Passwort abgelehnt (Port %s).", p->ports);
	snprintf(f->advice[LANG_DE], MP_ADVICE_MAX,
		 "Prüfen Sie das Passwort (Groß- und Kleinschreibung, Tastaturbelegung). Der "
		 "Benutzername ist meist die volle E-Mail-Adresse.%s Nutzt der Anbieter "
		 "Zwei-Faktor-Anmeldung, brauchen Sie eventuell ein App-Passwort.",
		 de_at);
}

static void
say_outgoing_only(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "Turn on 'My outgoing server (SMTP) requires authentication' with the same user name "
	    "and password as for incoming mail, or ask the provider whether sending is enabled "
	    "for this account (some require an app password or a separate SMTP password).",
	    "Login works for incoming mail, but the outgoing server (port %s) rejects it.",
	    p->ports);
	SAY(f, LANG_DE,
	    "Schalten Sie 'Postausgangsserver (SMTP) erfordert Authentifizierung' mit demselben "
	    "Benutzernamen und Passwort wie für eingehende Mail ein, oder fragen Sie den "
	    "Anbieter, ob das Senden für dieses Konto freigeschaltet ist (manche verlangen ein "
	    "App-Passwort oder ein eigenes SMTP-Passwort).",
	    "Die Anmeldung für eingehende Mail funktioniert, der Postausgangsserver (Port %s) "
	    "lehnt sie ab.",
	    p->ports);
}

static void
say_oauth(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "Use a mail client that signs in with OAuth for this provider (current Outlook, "
	    "Thunderbird and Apple Mail do: choose the provider's sign-in rather than a password), "
	    "or create an app password if the provider offers one.",
	    "The server does not accept a password login (port %s): it requires OAuth (modern "
	    "authentication).",
	    p->ports);
	SAY(f, LANG_DE,
	    "Nutzen Sie ein Mailprogramm, das sich bei diesem Anbieter per OAuth anmeldet "
	    "(aktuelles Outlook, Thunderbird und Apple Mail können das: wählen Sie die Anmeldung "
	    "des Anbieters statt eines Passworts), oder legen Sie ein App-Passwort an, falls der "
	    "Anbieter das anbietet.",
	    "Der Server nimmt keine Anmeldung mit Passwort an (Port %s): er verlangt OAuth "
	    "(moderne Authentifizierung).",
	    p->ports);
}

static void
say_not_tested(struct mp_finding *f, const struct params *p)
{
	(void)p;
	SAY(f, LANG_EN,
	    "Run again with --user and a password (--password-file, --password-stdin or "
	    "MAILPROBE_PASSWORD) to check the login too.",
	    "The login was not tested: no user name and password were given.");
	SAY(f, LANG_DE,
	    "Starten Sie erneut mit --user und einem Passwort (--password-file, --password-stdin "
	    "oder MAILPROBE_PASSWORD), um auch die Anmeldung zu prüfen.",
	    "Die Anmeldung wurde nicht geprüft: Benutzername und Passwort fehlten.");
}

static void
say_sending(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "Logging in works, but sending is refused. The sender address must usually be the "
	    "account's own address; a refused recipient means this login may not relay. Check "
	    "the From address in the client and the account's sending permissions with the "
	    "provider.",
	    "The server refused the sender or recipient: %.400s", p->first_msg);
	SAY(f, LANG_DE,
	    "Die Anmeldung funktioniert, das Senden wird abgelehnt. Die Absenderadresse muss "
	    "meist die eigene Adresse des Kontos sein; ein abgelehnter Empfänger heißt, dass "
	    "diese Anmeldung nicht weiterleiten darf. Prüfen Sie die Absenderadresse im "
	    "Mailprogramm und die Senderechte des Kontos beim Anbieter.",
	    "Der Server hat Absender oder Empfänger abgelehnt: %.400s", p->first_msg);
}

static void
say_family(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "This network's connectivity for that address family is broken. Mail clients usually "
	    "fall back to the other one, but slowly or not at all; ask the network operator or "
	    "internet provider to fix it.",
	    "%s connections fail while %s works.", p->v6 ? "IPv6" : "IPv4",
	    p->v6 ? "IPv4" : "IPv6");
	SAY(f, LANG_DE,
	    "Die Verbindung dieses Netzes für diese Adressfamilie ist gestört. Mailprogramme "
	    "weichen meist auf die andere aus, aber langsam oder gar nicht; bitten Sie den "
	    "Netzbetreiber oder Internetanbieter um Behebung.",
	    "%s-Verbindungen scheitern, %s funktioniert.", p->v6 ? "IPv6" : "IPv4",
	    p->v6 ? "IPv4" : "IPv6");
}

static void
say_address_down(struct mp_finding *f, const struct params *p)
{
	SAY(f, LANG_EN,
	    "One of the provider's servers is down or unreachable from here, so a mail client "
	    "that picks it fails now and then. Report it to the provider.",
	    "The server address %s does not answer while other addresses of %s do.", p->address,
	    p->host);
	SAY(f, LANG_DE,
	    "Einer der Server des Anbieters ist ausgefallen oder von hier nicht erreichbar; ein "
	    "Mailprogramm, das ihn wählt, scheitert ab und zu. Melden Sie es dem Anbieter.",
	    "Die Serveradresse %s antwortet nicht, andere Adressen von %s schon.", p->address,
	    p->host);
}

static void
say_discovery(struct mp_finding *f, const struct params *p)
{
	(void)p;
	SAY(f, LANG_EN,
	    "Use the settings recommended below, which were checked from here; tell the "
	    "provider that their published settings disagree.",
	    "The published settings (SRV, autoconfig, MX) disagree or point to a server that "
	    "does not answer.");
	SAY(f, LANG_DE,
	    "Nutzen Sie die unten empfohlenen, von hier geprüften Einstellungen und melden Sie "
	    "dem Anbieter, dass seine veröffentlichten Angaben widersprüchlich sind.",
	    "Die veröffentlichten Einstellungen (SRV, Autoconfig, MX) widersprechen sich oder "
	    "zeigen auf einen Server, der nicht antwortet.");
}

/* endpoint_failed: advice by the class of the first failure. */
struct class_advice {
	enum mp_class cls;
	const char *en;
	const char *de;
};

static const struct class_advice class_advice[] = {
    {CLASS_CONNECT_TIMEOUT, "Nothing answers on this port: a firewall drops the connection.",
     "Auf diesem Port antwortet nichts: eine Firewall verwirft die Verbindung."},
    {CLASS_CONNECT_REFUSED, "Nothing listens on this port, or a firewall rejects it.",
     "Auf diesem Port lauscht nichts, oder eine Firewall weist ab."},
    {CLASS_CONNECT_UNREACHABLE, "The server's network is unreachable from here (no route).",
     "Das Netz des Servers ist von hier nicht erreichbar (keine Route)."},
    {CLASS_TLS_UNTRUSTED,
     "The certificate is not trusted: self-signed, from a private authority, or "
     "replaced on the way. Do not accept it blindly; ask the provider.",
     "Dem Zertifikat wird nicht vertraut: selbst signiert, von einer privaten Stelle oder "
     "unterwegs ersetzt. Nicht blind akzeptieren; fragen Sie den Anbieter."},
    {CLASS_TLS_HOSTNAME_MISMATCH,
     "The certificate is for another name: use exactly the server name the provider "
     "documents.",
     "Das Zertifikat gilt für einen anderen Namen: verwenden Sie genau den Servernamen, "
     "den der Anbieter angibt."},
    {CLASS_TLS_NOT_YET_VALID,
     "The certificate is not valid yet: check this computer's clock, or the provider "
     "installed it too early.",
     "Das Zertifikat ist noch nicht gültig: prüfen Sie die Uhr dieses Computers, oder der "
     "Anbieter hat es zu früh eingesetzt."},
    {CLASS_TLS_VERSION_TOO_OLD,
     "The server only offers TLS 1.0/1.1, which current mail clients refuse; the provider "
     "must update it.",
     "Der Server bietet nur TLS 1.0/1.1, das aktuelle Mailprogramme ablehnen; der Anbieter "
     "muss ihn aktualisieren."},
    {CLASS_AUTH_UNSUPPORTED,
     "The server offers no password login the client can use here; ask the provider which "
     "sign-in to use.",
     "Der Server bietet hier keine nutzbare Anmeldung mit Passwort; fragen Sie den "
     "Anbieter, welche Anmeldung gilt."},
    {CLASS_AUTH_ERROR, "The server had a temporary problem with the login; try again later.",
     "Der Server hatte ein vorübergehendes Problem bei der Anmeldung; später erneut "
     "versuchen."},
    {CLASS_SERVER_REJECTED,
     "The server refuses connections from this network (its greeting says so); the "
     "provider may have blocked the address.",
     "Der Server weist Verbindungen aus diesem Netz ab (laut Begrüßung); eventuell hat der "
     "Anbieter die Adresse gesperrt."},
    {CLASS_WRONG_PROTOCOL,
     "Another service answers on this port: check the port number in the settings.",
     "Auf diesem Port antwortet ein anderer Dienst: prüfen Sie die Portnummer."},
};

static void
say_endpoint_failed(struct mp_finding *f, const struct params *p)
{
	const char *en = "The server or something on the way misbehaved; see the evidence and "
			 "send this report to the provider's support.";
	const char *de = "Der Server oder etwas auf dem Weg verhielt sich fehlerhaft; siehe die "
			 "Belege, und senden Sie diesen Bericht an den Support des Anbieters.";

	for (size_t i = 0; i < sizeof(class_advice) / sizeof(class_advice[0]); i++)
		if (class_advice[i].cls == p->first_cls) {
			en = class_advice[i].en;
			de = class_advice[i].de;
		}
	SAY(f, LANG_EN, en, "Port %s failed: %s.", p->ports, mp_class_str(p->first_cls));
	SAY(f, LANG_DE, de, "Port %s ist gescheitert: %s.", p->ports, mp_class_str(p->first_cls));
}

static const struct text texts[] = {
    {"dns_failure", say_dns},
    {"host_unreachable", say_unreachable},
    {"outgoing_blocked", say_outgoing_blocked},
    {"outgoing_port_blocked", say_outgoing_port},
    {"port25_blocked", say_port25},
    {"wrong_security_mode", say_wrong_mode},
    {"starttls_stripped", say_stripped},
    {"tls_intercepted", say_intercepted},
    {"cert_chain_incomplete", say_chain},
    {"cert_expired", say_expired},
    {"clock_skew", say_clock},
    {"cert_expiring", say_expiring},
    {"tls_outdated", say_outdated},
    {"login_rejected", say_login_rejected},
    {"login_rejected_outgoing_only", say_outgoing_only},
    {"oauth_required", say_oauth},
    {"login_not_tested", say_not_tested},
    {"sending_rejected", say_sending},
    {"address_family_broken", say_family},
    {"address_down", say_address_down},
    {"discovery_conflict", say_discovery},
    {"endpoint_failed", say_endpoint_failed},
};

/* "993:tls@192.0.2.1" style evidence endpoint -> its port. */
static int
evidence_port(const struct mp_evidence *ev)
{
	const char *c = strchr(ev->endpoint, ':');
	int port = 0;

	if (c == NULL)
		return 0;
	for (c++; *c >= '0' && *c <= '9'; c++)
		port = port * 10 + (*c - '0');
	return port;
}

static void
add_port(char *ports, size_t len, int port)
{
	char one[16];

	if (port == 0)
		return;
	snprintf(one, sizeof(one), "%d", port);
	for (const char *p = ports; (p = strstr(p, one)) != NULL; p++)
		if ((p == ports || p[-1] == ' ') && (p[strlen(one)] == ',' || !p[strlen(one)]))
			return;
	if (ports[0] != '\0')
		strncat(ports, ", ", len - strlen(ports) - 1);
	strncat(ports, one, len - strlen(ports) - 1);
}

/* The certificate facts behind a piece of evidence (tls step of its
 * endpoint). */
static const struct mp_cert *
evidence_cert(const struct dx *x, const struct mp_evidence *ev)
{
	for (int i = 0; i < x->run->nendpoints; i++) {
		const struct mp_endpoint_result *e = &x->run->endpoints[i];
		const struct mp_step_result *t = mp_endpoint_step(e, STEP_TLS);
		char spec[48], name[MP_ADDR_MAX + 48];

		mp_endpoint_spec_str(&e->spec, spec, sizeof(spec));
		snprintf(name, sizeof(name), "%s@%s", spec, e->address);
		if (t != NULL && t->cert.present && strcmp(name, ev->endpoint) == 0)
			return &t->cert;
	}
	return NULL;
}

static void
cert_params(const struct dx *x, const struct mp_finding *f, struct params *p)
{
	p->min_days = 1 << 30;
	for (int i = 0; i < f->nevidence; i++) {
		const struct mp_cert *c = evidence_cert(x, &f->evidence[i]);
		struct tm tm;

		if (c == NULL)
			continue;
		p->sha1 |= c->sha1_signature;
		if (c->days_left < p->min_days) {
			p->min_days = c->days_left;
			gmtime_r(&c->not_after, &tm);
			strftime(p->date, sizeof(p->date), "%Y-%m-%d", &tm);
		}
	}
	if (p->min_days == 1 << 30)
		p->min_days = 0;
}

static void
params_of(const struct dx *x, const struct mp_finding *f, struct params *p)
{
	const struct mp_account *a = x->run->account;

	memset(p, 0, sizeof(*p));
	snprintf(p->host, sizeof(p->host), "%s", x->run->host);
	for (int i = 0; i < f->nevidence; i++) {
		const struct mp_evidence *ev = &f->evidence[i];
		const char *at = strchr(ev->endpoint, '@');

		add_port(p->ports, sizeof(p->ports), evidence_port(ev));
		p->plaintext_port |= ev->cls == CLASS_TLS_PLAINTEXT_PORT;
		p->refused |= ev->cls == CLASS_CONNECT_REFUSED;
		if (i == 0) {
			p->first_cls = ev->cls;
			snprintf(p->first_msg, sizeof(p->first_msg), "%s", ev->message);
			if (at != NULL)
				snprintf(p->address, sizeof(p->address), "%s", at + 1);
			p->v6 = at != NULL && strchr(at, ':') != NULL;
		}
	}
	p->user_without_at = a->user[0] != '\0' && strchr(a->user, '@') == NULL;
	cert_params(x, f, p);
}

static void
say(const struct dx *x, struct mp_finding *f)
{
	struct params p;

	params_of(x, f, &p);
	for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++)
		if (strcmp(texts[k].id, f->id) == 0)
			texts[k].say(f, &p);
}

void
dx_texts(struct dx *x)
{
	for (int i = 0; i < x->out->nfindings; i++)
		say(x, &x->out->findings[i]);
}

void
mp_finding_say(const struct mp_run *run, struct mp_finding *f)
{
	struct dx x = {.run = run};

	say(&x, f);
}
