/*
 * The German words (see words.h): formal "Sie"; the client labels as the
 * German Outlook, Thunderbird and Apple Mail show them.
 */
#include "probe/words/words.h"

const char *const mp_words_de[W_COUNT] = {
    [L_TITLE] = "Bericht zur E-Mail-Verbindung",
    [L_LIGHT_GREEN] = "GRÜN",
    [L_LIGHT_YELLOW] = "GELB",
    [L_LIGHT_RED] = "ROT",
    [L_LIGHT_GREY] = "GRAU",
    [L_ST_OK] = "in Ordnung",
    [L_ST_WARNING] = "Warnung",
    [L_ST_CRITICAL] = "kritisch",
    [L_ST_UNKNOWN] = "unbekannt",
    [L_VERDICT_OK] = "Von diesem Netz aus funktioniert alles: %d von %d Endpunkten in Ordnung.",
    [L_VERDICT_FAILED] = "%d von %d Endpunkten fehlgeschlagen; die Einzelheiten folgen unten.",
    [L_CHECKED] = "Geprüft am %s von diesem Netz aus, in %s.",
    [L_SETTINGS] = "Einstellungen, die von diesem Netz aus funktionieren",
    [L_INCOMING] = "Posteingang",
    [L_OUTGOING] = "Postausgang",
    [L_USERNAME] = "Benutzername",
    [L_USER_NONE] = "nicht angegeben (meist die vollständige E-Mail-Adresse)",
    [L_NO_IN] = "Von diesem Netz aus wurde kein funktionierender Posteingangsserver (IMAP oder "
		"POP3) gefunden; die Befunde unten nennen den Grund.",
    [L_NO_OUT] = "Von diesem Netz aus wurde kein funktionierender Postausgangsserver (SMTP) "
		 "gefunden; die Befunde unten nennen den Grund.",
    [L_NO_SETTINGS] = "Von diesem Netz aus funktioniert keine Einstellung: weder Posteingang noch "
		      "Postausgang. Die Befunde unten nennen den Grund.",
    [L_SEC_TLS] = "SSL/TLS",
    [L_SEC_STARTTLS] = "STARTTLS",
    [L_SEC_NONE] = "keine (unverschlüsselt)",
    [L_SETTING_LINE] = "%s, Server %s, Port %u, %s",
    [L_ON] = "ein",
    [L_OFF] = "aus",
    [L_DASH] = "—",
    [L_OL_NAME] = "Outlook",
    [L_OL_WHERE] =
	"Klassisches Outlook für Windows: Datei > Kontoeinstellungen > Kontoeinstellungen > "
	"Ändern. Ports und Verschlüsselung stehen unter Weitere Einstellungen > Erweitert, die "
	"Authentifizierung unter Weitere Einstellungen > Postausgangsserver.",
    [L_OL_SETTING] = "Einstellung in Outlook",
    [L_OL_COL_IN] = "Posteingangsserver (%s)",
    [L_OL_COL_OUT] = "Postausgangsserver (SMTP)",
    [L_OL_ACCOUNT_TYPE] = "Kontotyp",
    [L_OL_SERVER] = "Server",
    [L_OL_PORT] = "Serveranschlussnummern",
    [L_OL_ENCRYPTION] = "Verwenden Sie den folgenden verschlüsselten Verbindungstyp",
    [L_OL_SEC_NONE] = "Keine",
    [L_OL_USER] = "Benutzername",
    [L_OL_SPA] = "Anmeldung mithilfe der gesicherten Kennwortauthentifizierung (SPA) erforderlich",
    [L_OL_OUT_AUTH] = "Der Postausgangsserver (SMTP) erfordert Authentifizierung",
    [L_OL_SAME] = "Gleiche Einstellungen wie für Posteingangsserver verwenden",
    [L_TB_NAME] = "Thunderbird",
    [L_TB_WHERE] =
	"Konten-Einstellungen > Server-Einstellungen für den Posteingang; Konten-Einstellungen > "
	"Postausgangs-Server (SMTP) > Bearbeiten für den Postausgang.",
    [L_TB_SETTING] = "Einstellung in Thunderbird",
    [L_TB_COL_IN] = "Server-Einstellungen (%s)",
    [L_TB_COL_OUT] = "Postausgangs-Server (SMTP)",
    [L_TB_SERVER] = "Servername",
    [L_TB_PORT] = "Port",
    [L_TB_SECURITY] = "Verbindungssicherheit",
    [L_TB_SEC_NONE] = "Keine",
    [L_TB_AUTH] = "Authentifizierungsmethode",
    [L_TB_AUTH_NORMAL] = "Passwort, normal",
    [L_TB_USER] = "Benutzername",
    [L_AM_NAME] = "Apple Mail",
    [L_AM_WHERE] = "Mail > Einstellungen > Accounts > Servereinstellungen. "
		   "„Verbindungseinstellungen automatisch verwalten“ ausschalten, um den Port "
		   "einzutragen. „TLS/SSL verwenden“ ist auch für STARTTLS (Port 587) "
		   "eingeschaltet: Mail verschlüsselt die Verbindung dann mit STARTTLS.",
    [L_AM_SETTING] = "Einstellung in Apple Mail",
    [L_AM_COL_IN] = "Server für eingehende E-Mails (%s)",
    [L_AM_COL_OUT] = "Server für ausgehende E-Mails (SMTP)",
    [L_AM_USER] = "Benutzername",
    [L_AM_HOST] = "Hostname",
    [L_AM_AUTO] = "Verbindungseinstellungen automatisch verwalten",
    [L_AM_PORT] = "Port",
    [L_AM_TLS] = "TLS/SSL verwenden",
    [L_AM_AUTH] = "Authentifizierung",
    [L_AM_AUTH_PASSWORD] = "Passwort",
    [L_FINDINGS] = "Befunde",
    [L_NO_FINDINGS] = "Keine Befunde.",
    [L_ADVICE] = "Was zu tun ist",
    [L_EVIDENCE] = "Belege",
    [L_SEV_CRITICAL] = "Kritisch",
    [L_SEV_WARNING] = "Warnung",
    [L_SEV_INFO] = "Hinweis",
    [L_ENDPOINT] = "Endpunkt",
    [L_STEP] = "Schritt",
    [L_CLASS] = "Klasse",
    [L_MESSAGE] = "Meldung",
    [L_RESULT] = "Ergebnis",
    [L_TIME] = "Dauer",
    [L_ENDPOINTS] = "Endpunkte und Schritte",
    [L_RESOLVE] = "Namensauflösung",
    [L_RESOLVE_OK] = "in Ordnung in %s: %s",
    [L_RESOLVE_FAILED] = "fehlgeschlagen: %s, %s",
    [L_EP_OK] = "OK",
    [L_EP_FAILED] = "FEHLGESCHLAGEN",
    [L_NOT_CHECKED] = "Nicht geprüft: der Servername wurde nicht aufgelöst.",
    [L_R_OK] = "ok",
    [L_R_FAILED] = "FEHLER",
    [L_R_SKIPPED] = "übersprungen",
    [L_TLS] = "TLS",
    [L_CERT] = "Zertifikat",
    [L_ISSUED_BY] = "ausgestellt von",
    [L_DAYS_LEFT] = "gültig bis %s (noch %d Tage)",
    [L_DAYS_AGO] = "abgelaufen am %s (vor %d Tagen)",
    [L_VERIFIED] = "vertrauenswürdig",
    [L_NAME_MATCH] = "passt zum Servernamen",
    [L_YES] = "ja",
    [L_NO] = "nein",
    [L_CAPS] = "Fähigkeiten",
    [L_MECHANISM] = "Anmeldeverfahren",
    [L_TIMING] = "Zeitablauf",
    [L_TRANSCRIPT] = "Protokoll",
    [L_TRANSCRIPT_NOTE] =
	"Was gesendet (C:) und empfangen (S:) wurde; Zugangsdaten erscheinen als ***.",
    [L_NO_TRANSCRIPT] = "(kein Protokoll)",
    [L_ENV] = "Umgebung",
    [L_ENV_UTC] = "Zeit (UTC)",
    [L_ENV_LOCAL] = "Ortszeit",
    [L_ENV_DURATION] = "Dauer",
    [L_ENV_OPENSSL] = "OpenSSL",
    [L_ENV_OS] = "Betriebssystem",
    [L_ENV_SERVER] = "Servername",
    [L_ENV_ADDRS] = "Geprüfte Adressen",
    [L_ENV_ENDPOINTS] = "Geprüfte Endpunkte",
    [L_ENV_TIMEOUT] = "Zeitlimit",
    [L_ENV_NONE] = "keine",
    [L_FOOTER] = "Erstellt mit mailprobe %s. Dieser Bericht enthält kein Passwort.",
    [W_STEP_CONNECT] = "Verbindung",
    [W_STEP_GREETING] = "Begrüßung",
    [W_STEP_STARTTLS] = "STARTTLS",
    [W_STEP_TLS] = "TLS",
    [W_STEP_CAPABILITIES] = "Fähigkeiten",
    [W_STEP_LOGIN] = "Anmeldung",
    [W_STEP_SEND] = "Senden",
    [W_STEP_LOGOUT] = "Abmeldung",
    [W_MONTH_1] = "Januar",
    [W_MONTH_2] = "Februar",
    [W_MONTH_3] = "März",
    [W_MONTH_4] = "April",
    [W_MONTH_5] = "Mai",
    [W_MONTH_6] = "Juni",
    [W_MONTH_7] = "Juli",
    [W_MONTH_8] = "August",
    [W_MONTH_9] = "September",
    [W_MONTH_10] = "Oktober",
    [W_MONTH_11] = "November",
    [W_MONTH_12] = "Dezember",
    [W_TXT_PROTOCOL] = "Protokoll",
    [W_TXT_CERTIFICATE] = "Zertifikat",
    [W_TXT_ISSUER] = "Aussteller",
    [W_TXT_EXPIRES] = "gültig bis",
    [W_TXT_DAYS_LEFT] = "Tage übrig",
    [W_TXT_EXPIRED] = "abgelaufen",
    [W_TXT_DAYS_AGO] = "Tage her",
    [W_TXT_VERIFIED] = "geprüft",
    [W_TXT_YES] = "ja",
    [W_TXT_NO] = "nein",
    [W_TXT_HOSTNAME] = "Servername",
    [W_TXT_MATCHES] = "passt",
    [W_TXT_NO_MATCH] = "passt nicht zum Servernamen",
    [W_TXT_CAPABILITIES] = "Fähigkeiten",
    [W_TXT_MECHANISM] = "Verfahren",
    [W_TXT_NOT_CHECKED] = "(nicht geprüft)",
    [W_TXT_RESOLVE] = "Auflösung",
    [W_TXT_FAILED] = "gescheitert",
    [W_TXT_STATUS] = "Status",
    [W_TXT_ENDPOINTS_OK] = "Endpunkte ok in",
    [W_TXT_NO_ENCRYPTION] = "keine Verschlüsselung",
    [W_TXT_DIR_NOT_CHECKED] = "nicht geprüft",
    [W_TXT_NOTHING_WORKS] = "nichts funktioniert von hier",
    [W_TXT_DISCOVERY_FOR] = "Ermittlung für",
    [W_TXT_DELIVERY] = "Zustellung",
    [W_TXT_PATH_SKIPPED] = "Weg nicht gemessen",
    [W_TXT_FINDINGS] = "Befunde",
    [W_TXT_RECOMMENDED] = "empfohlene Einstellungen",
    [W_TXT_INCOMING] = "eingehend",
    [W_TXT_OUTGOING] = "ausgehend",
    [W_TXT_USER_NAME] = "Benutzer",
    [W_F_DNS_FAILURE_SUMMARY] = "Der Servername {host} lässt sich nicht auflösen ({class}).",
    [W_F_DNS_FAILURE_ADVICE] =
	"Prüfen Sie den Servernamen in den Kontoeinstellungen auf Tippfehler. Stimmt er, "
	"beantwortet der DNS-Server dieses Netzes ihn nicht: versuchen Sie ein anderes Netz oder "
	"einen anderen DNS-Server, oder fragen Sie den Anbieter, ob sich der Name geändert hat.",
    [W_F_HOST_UNREACHABLE_SUMMARY] = "Kein Port von {server} antwortet aus diesem Netz.",
    [W_F_HOST_UNREACHABLE_ADVICE] =
	"Entweder ist der Server ausgefallen oder auf seiner Seite gefiltert, oder dieses Netz "
	"erreicht ihn nicht (Firewall, VPN, Anmeldeseite eines Hotel- oder Gastnetzes). So "
	"unterscheiden Sie beides: Prüfen Sie, ob andere Internetdienste gehen, sehen Sie auf "
	"der Statusseite des Anbieters nach, und versuchen Sie ein anderes Netz, z. B. einen "
	"mobilen Hotspot. Geht es dort, läuft der Server, und etwas hält dieses Netz ab: seine "
	"eigene Firewall, oder der Server sperrt die Adresse dieses Netzes (viele Server tun "
	"das eine Zeit lang nach wiederholt fehlgeschlagenen Anmeldungen, etwa von einem Gerät "
	"mit einem alten Passwort). Das ist unbestätigt: Ein erneuter Lauf von mailprobe mit "
	"--control HOST (ein Server, der diese Ports sicher annimmt, etwa der zweite Standort "
	"des Anbieters) unterscheidet eine Sperre durch dieses Netz von einer auf der Seite des "
	"Servers.",
    [W_F_OUTGOING_BLOCKED_SUMMARY] = "Kein Port für ausgehende Mail ({ports}) von {server} "
				     "antwortet aus diesem Netz, andere Ports verbinden sich.",
    [W_F_OUTGOING_BLOCKED_ADVICE] =
	"Die Verbindungen werden stillschweigend verworfen. Drei Ursachen passen dazu: Dieses "
	"Netz sperrt die Ports für ausgehende Mail (manche Internetanbieter und "
	"Firmen-Firewalls tun das); der Postausgangsserver des Anbieters sperrt die Adresse "
	"dieses Netzes (viele Server tun das eine Zeit lang nach wiederholt fehlgeschlagenen "
	"Anmeldungen, etwa von einem Gerät mit einem alten Passwort); oder dieser Server ist "
	"ausgefallen oder gefiltert. Versuchen Sie, aus einem anderen Netz zu senden, z. B. "
	"über einen mobilen Hotspot: Geht es dort, ist es eine der ersten beiden; fragen Sie "
	"dann den Betreiber dieses Netzes oder den Internetanbieter, ob er die Ports 587 und "
	"465 sperrt, und den Anbieter, ob er die Adresse dieses Netzes sperrt; wenn nicht, "
	"melden Sie es dem Anbieter. Das ist unbestätigt: Ein erneuter Lauf von mailprobe mit "
	"--control HOST (ein Server, der diese Ports sicher annimmt, etwa der zweite Standort "
	"des Anbieters) unterscheidet eine Sperre durch dieses Netz von einer auf der Seite des "
	"Servers.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY] =
	"Port 587 von {server} antwortet aus diesem Netz nicht; Port 465 mit SSL/TLS funktioniert.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_REFUSED] =
	"{server} weist Port 587 ab; Port 465 mit SSL/TLS funktioniert.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE] =
	"Stellen Sie den Postausgangsserver (SMTP) auf Port 465 mit SSL/TLS um, die "
	"Ausweichmöglichkeit, die Mailanbieter angeben, und lassen Sie die Authentifizierung "
	"mit demselben Benutzernamen und Passwort eingeschaltet. Port 587 wird entweder von "
	"diesem Netz gefiltert (manche Internetanbieter und Firmen-Firewalls sperren ihn) oder "
	"auf der Seite des Servers; funktioniert 587 aus einem anderen Netz, z. B. über einen "
	"mobilen Hotspot, richtet sich der Filter gegen dieses Netz: seine eigene Firewall, "
	"oder der Server sperrt die Adresse dieses Netzes. Das ist unbestätigt: Ein erneuter "
	"Lauf von mailprobe mit --control HOST (ein Server, der diese Ports sicher annimmt, "
	"etwa der zweite Standort des Anbieters) unterscheidet beides.",
    [W_F_PORT25_BLOCKED_SUMMARY] = "Port 25 antwortet aus diesem Netz nicht.",
    [W_F_PORT25_BLOCKED_ADVICE] =
	"Das ist in Heim- und Mobilfunknetzen normal: Port 25 dient der Mail zwischen Servern. "
	"Mailprogramme senden über 587 (STARTTLS) oder 465 (SSL/TLS); nichts zu tun.",
    [W_F_WRONG_SECURITY_MODE_SUMMARY_PLAINTEXT] =
	"Port {ports} beginnt unverschlüsselt: SSL/TLS ist dort die falsche Einstellung.",
    [W_F_WRONG_SECURITY_MODE_ADVICE_PLAINTEXT] =
	"Stellen Sie die Verbindungssicherheit für diesen Port auf STARTTLS. SSL/TLS "
	"(Verschlüsselung ab dem ersten Byte) gehört zu den Ports 465, 993 und 995.",
    [W_F_WRONG_SECURITY_MODE_SUMMARY] = "Port {ports} erwartet SSL/TLS ab dem ersten Byte, gewählt "
					"war aber STARTTLS oder keine Verschlüsselung.",
    [W_F_WRONG_SECURITY_MODE_ADVICE] = "Stellen Sie die Verbindungssicherheit für diesen Port auf "
				       "SSL/TLS (STARTTLS gehört zu den Ports 587, 143 und 110).",
    [W_F_STARTTLS_STRIPPED_SUMMARY] =
	"Etwas auf dem Netzweg entfernt STARTTLS aus den Antworten des Servers (Port {ports}).",
    [W_F_STARTTLS_STRIPPED_ADVICE] =
	"Eine Firewall oder 'Mail-Inspektion' in diesem Netz entfernt das Verschlüsselungsangebot, "
	"sodass die Verbindung nur unverschlüsselt ginge: senden Sie so niemals ein Passwort. "
	"Nutzen Sie stattdessen die SSL/TLS-Ports (465, 993, 995) und bitten Sie den "
	"Netzbetreiber, die SMTP/ESMTP-Inspektion abzuschalten.",
    [W_F_TLS_INTERCEPTED_SUMMARY] = "Das Zertifikat auf Port {ports} ist nicht das des Servers: "
				    "etwas in diesem Netz bricht verschlüsselte Verbindungen auf.",
    [W_F_TLS_INTERCEPTED_ADVICE] =
	"Ein Proxy, ein Virenscanner-'Mailschutz' oder eine Firmen-Firewall ersetzt das Zertifikat "
	"des Servers. Akzeptieren Sie die Zertifikatswarnung im Mailprogramm nicht. Schalten Sie "
	"die Mailprüfung des Virenscanners ab oder fragen Sie den Netzbetreiber; ist das "
	"Aufbrechen Firmenrichtlinie, installieren Sie die Zertifizierungsstelle der Firma wie "
	"dort beschrieben.",
    [W_F_CERT_CHAIN_INCOMPLETE_SUMMARY] =
	"Der Server auf Port {ports} sendet sein Zertifikat ohne das Zwischenzertifikat.",
    [W_F_CERT_CHAIN_INCOMPLETE_ADVICE] =
	"Viele Mailprogramme lehnen die Verbindung dann ab, obwohl das Zertifikat selbst gültig "
	"ist. Der Anbieter muss die ganze Kette senden (Zertifikat plus Zwischenzertifikat); "
	"Kunden können das nicht beheben.",
    [W_F_CERT_EXPIRED_SUMMARY] =
	"Das Zertifikat des Servers auf Port {ports} ist abgelaufen ({date}).",
    [W_F_CERT_EXPIRED_ADVICE] =
	"Der Anbieter muss das Zertifikat erneuern. Bis dahin warnen Mailprogramme oder verweigern "
	"die Verbindung; akzeptieren Sie die Warnung nicht dauerhaft. Wirkt das Datum falsch, "
	"prüfen Sie die Uhr dieses Computers.",
    [W_F_CLOCK_SKEW_SUMMARY] = "Die Zertifikate auf allen Ports wirken, gemessen an der Uhr dieses "
			       "Computers, abgelaufen oder noch nicht gültig.",
    [W_F_CLOCK_SKEW_ADVICE] = "Prüfen Sie Datum, Uhrzeit und Zeitzone dieses Computers oder "
			      "Telefons: eine falsche Uhr lässt jedes gültige Zertifikat "
			      "scheitern. Schalten Sie die automatische Zeiteinstellung ein.",
    [W_F_CERT_EXPIRING_SUMMARY] =
	"Das Zertifikat auf Port {ports} läuft in {days} Tagen ab ({date}).",
    [W_F_CERT_EXPIRING_ADVICE] = "Der Anbieter sollte das Zertifikat vor dem Ablauf erneuern; "
				 "danach verweigern Mailprogramme die Verbindung.",
    [W_F_TLS_OUTDATED_SUMMARY] = "Die Verschlüsselung auf Port {ports} ist veraltet ({reason}).",
    [W_F_TLS_OUTDATED_REASON_SHA1] = "Zertifikat mit SHA-1 signiert",
    [W_F_TLS_OUTDATED_REASON_AEAD] = "TLS 1.2 ohne AEAD-Verfahren",
    [W_F_TLS_OUTDATED_ADVICE] =
	"Der Anbieter sollte TLS 1.3 oder TLS 1.2 mit modernen (AEAD-)Verfahren und ein mit "
	"SHA-256 signiertes Zertifikat anbieten; manche Mailprogramme lehnen dieses schon ab.",
    [W_F_LOGIN_REJECTED_SUMMARY] =
	"Der Server hat Benutzername oder Passwort abgelehnt (Port {ports}).",
    [W_F_LOGIN_REJECTED_ADVICE] =
	"Prüfen Sie das Passwort (Groß- und Kleinschreibung, Tastaturbelegung). Der Benutzername "
	"ist meist die volle E-Mail-Adresse.{user_hint} Nutzt der Anbieter Zwei-Faktor-Anmeldung, "
	"brauchen Sie eventuell ein App-Passwort.",
    [W_F_LOGIN_REJECTED_USER_HINT] =
	" Der angegebene Benutzername hat kein @Domain: versuchen Sie die volle E-Mail-Adresse.",
    [W_F_LOGIN_REJECTED_OUTGOING_ONLY_SUMMARY] =
	"Die Anmeldung für eingehende Mail funktioniert, der Postausgangsserver (Port {ports}) "
	"lehnt sie ab.",
    [W_F_LOGIN_REJECTED_OUTGOING_ONLY_ADVICE] =
	"Schalten Sie 'Postausgangsserver (SMTP) erfordert Authentifizierung' mit demselben "
	"Benutzernamen und Passwort wie für eingehende Mail ein, oder fragen Sie den Anbieter, ob "
	"das Senden für dieses Konto freigeschaltet ist (manche verlangen ein App-Passwort oder "
	"ein eigenes SMTP-Passwort).",
    [W_F_OAUTH_REQUIRED_SUMMARY] = "Der Server nimmt keine Anmeldung mit Passwort an (Port "
				   "{ports}): er verlangt OAuth (moderne Authentifizierung).",
    [W_F_OAUTH_REQUIRED_ADVICE] =
	"Nutzen Sie ein Mailprogramm, das sich bei diesem Anbieter per OAuth anmeldet (aktuelles "
	"Outlook, Thunderbird und Apple Mail können das: wählen Sie die Anmeldung des Anbieters "
	"statt eines Passworts), oder legen Sie ein App-Passwort an, falls der Anbieter das "
	"anbietet. Um das Konto mit mailprobe zu prüfen, geben Sie ihm ein OAuth2-Zugriffstoken: "
	"--oauth2-token-file DATEI, --oauth2-token-stdin oder MAILPROBE_OAUTH2_TOKEN, oder ein "
	"Refresh-Token, mit dem es eines holt (--oauth2-refresh-token-file DATEI, "
	"--oauth2-token-url URL, --oauth2-client-id ID).",
    [W_F_OAUTH_TOKEN_INVALID_SUMMARY] =
	"Der Server hat das OAuth2-Zugriffstoken abgelehnt (Port {ports}): es ist abgelaufen, "
	"wurde widerrufen oder hat nicht die Berechtigung (Scope) für E-Mail.",
    [W_F_OAUTH_TOKEN_INVALID_ADVICE] =
	"Erneuern Sie das Token (Zugriffstoken gelten etwa eine Stunde; das Refresh-Token holt "
	"ein neues) und geben Sie das neue mit --oauth2-token-file, --oauth2-token-stdin oder "
	"MAILPROBE_OAUTH2_TOKEN an. Bei insufficient_scope fordern Sie das Token mit der "
	"Berechtigung des Anbieters für IMAP, POP und SMTP an.",
    [W_F_OAUTH_TOKEN_UNAVAILABLE_SUMMARY] =
	"Es war kein OAuth2-Zugriffstoken zu bekommen, daher wurde die Anmeldung nicht versucht "
	"(Port {ports}): {message}.",
    [W_F_OAUTH_TOKEN_UNAVAILABLE_ADVICE] =
	"Prüfen Sie den Token-Endpunkt (oauth2_token_url: von hier erreichbar, sein Zertifikat "
	"von der ca_file des Moduls beglaubigt) und die Anfrage: invalid_grant bedeutet, dass das "
	"Refresh-Token widerrufen wurde oder abgelaufen ist; holen Sie über die Anmeldung des "
	"Anbieters ein neues. Bis eine Anfrage wieder klappt, bleibt ein noch gültiges Token in "
	"Gebrauch, und neue Anfragen folgen mit wachsender Pause.",
    [W_F_OAUTH_TOKEN_INVALID_SUMMARY_STATUS] =
	"Der Server hat das OAuth2-Zugriffstoken mit dem Status {oauth_status} abgelehnt (Port "
	"{ports}): {oauth_meaning}.",
    [W_F_OAUTH_STATUS_INVALID_TOKEN] = "das Token ist abgelaufen oder wurde widerrufen",
    [W_F_OAUTH_STATUS_INSUFFICIENT_SCOPE] = "dem Token fehlt die Berechtigung (Scope) für E-Mail",
    [W_F_OAUTH_STATUS_OTHER] =
	"es ist abgelaufen, wurde widerrufen oder hat nicht die Berechtigung (Scope) für E-Mail",
    [W_F_LOGIN_NOT_TESTED_SUMMARY] =
	"Die Anmeldung wurde nicht geprüft: Benutzername und Passwort fehlten.",
    [W_F_LOGIN_NOT_TESTED_ADVICE] =
	"Starten Sie erneut mit --user und einem Passwort (--password-file, --password-stdin oder "
	"MAILPROBE_PASSWORD), um auch die Anmeldung zu prüfen.",
    [W_F_SENDING_REJECTED_SUMMARY] = "Der Server hat Absender oder Empfänger abgelehnt: {message}",
    [W_F_SENDING_REJECTED_ADVICE] =
	"Die Anmeldung funktioniert, das Senden wird abgelehnt. Die Absenderadresse muss meist die "
	"eigene Adresse des Kontos sein; ein abgelehnter Empfänger heißt, dass diese Anmeldung "
	"nicht weiterleiten darf. Prüfen Sie die Absenderadresse im Mailprogramm und die "
	"Senderechte des Kontos beim Anbieter.",
    [W_F_ADDRESS_FAMILY_BROKEN_SUMMARY] =
	"{family}-Verbindungen scheitern, {other_family} funktioniert.",
    [W_F_ADDRESS_FAMILY_BROKEN_ADVICE] =
	"Die Verbindung dieses Netzes für diese Adressfamilie ist gestört. Mailprogramme weichen "
	"meist auf die andere aus, aber langsam oder gar nicht; bitten Sie den Netzbetreiber oder "
	"Internetanbieter um Behebung.",
    [W_F_ADDRESS_DOWN_SUMMARY] =
	"Die Serveradresse {address} antwortet nicht, andere Adressen von {server} schon.",
    [W_F_ADDRESS_DOWN_ADVICE] =
	"Einer der Server des Anbieters ist ausgefallen, gefiltert oder aus diesem Netz nicht "
	"erreichbar; ein Mailprogramm, das ihn wählt, scheitert ab und zu. Melden Sie es dem "
	"Anbieter mit diesem Bericht.",
    [W_F_DISCOVERY_CONFLICT_SUMMARY] =
	"Die DNS-Einträge (SRV) nennen andere Server als die Autoconfig-Datei des Anbieters, die "
	"über geprüftes HTTPS kam: Die DNS-Antwort könnte gefälscht sein.",
    [W_F_DISCOVERY_CONFLICT_ADVICE] =
	"mailprobe hat die Server aus der geprüften Datei verwendet. In einem öffentlichen, Hotel- "
	"oder Gastnetz ist eine gefälschte DNS-Antwort möglich: Geben Sie das Passwort nicht für "
	"die Server ein, die die DNS-Einträge nennen. In einem vertrauenswürdigen Netz sagen Sie "
	"dem Anbieter, dass seine SRV-Einträge und seine Autoconfig-Datei nicht übereinstimmen.",
    [W_F_ENDPOINT_FAILED_SUMMARY] = "Fehlgeschlagen: {port_classes}.",
    [W_F_ENDPOINT_FAILED_ADVICE] =
	"Der Server oder etwas auf dem Weg verhielt sich fehlerhaft; siehe die Belege, und senden "
	"Sie diesen Bericht an den Support des Anbieters.",
    [W_A_CONNECT_TIMEOUT] =
	"Auf diesem Port antwortet nichts: eine Firewall verwirft die Verbindung, in diesem "
	"Netz oder beim Server. Antwortet der Port aus einem anderen Netz (etwa einem mobilen "
	"Hotspot), richtet sich die Sperre gegen dieses Netz: seine eigene Firewall, oder der "
	"Server sperrt die Adresse dieses Netzes; --control HOST (ein Host, der den Port sicher "
	"annimmt) unterscheidet beides.",
    [W_A_CONNECT_REFUSED] = "Auf diesem Port lauscht nichts, oder eine Firewall weist ab.",
    [W_A_CONNECT_UNREACHABLE] = "Das Netz des Servers ist von hier nicht erreichbar (keine Route).",
    [W_A_TLS_UNTRUSTED] =
	"Dem Zertifikat wird nicht vertraut: selbst signiert, von einer privaten Stelle oder "
	"unterwegs ersetzt. Nicht blind akzeptieren; fragen Sie den Anbieter.",
    [W_A_TLS_HOSTNAME_MISMATCH] = "Das Zertifikat gilt für einen anderen Namen: verwenden Sie "
				  "genau den Servernamen, den der Anbieter angibt.",
    [W_A_TLS_NOT_YET_VALID] = "Das Zertifikat ist noch nicht gültig: prüfen Sie die Uhr dieses "
			      "Computers, oder der Anbieter hat es zu früh eingesetzt.",
    [W_A_TLS_VERSION_TOO_OLD] = "Der Server bietet nur TLS 1.0/1.1, das aktuelle Mailprogramme "
				"ablehnen; der Anbieter muss ihn aktualisieren.",
    [W_A_AUTH_UNSUPPORTED] = "Der Server bietet hier keine nutzbare Anmeldung mit Passwort; fragen "
			     "Sie den Anbieter, welche Anmeldung gilt.",
    [W_A_AUTH_ERROR] =
	"Der Server hatte ein vorübergehendes Problem bei der Anmeldung; später erneut versuchen.",
    [W_A_SERVER_REJECTED] = "Der Server weist Verbindungen aus diesem Netz ab (laut Begrüßung); "
			    "eventuell hat der Anbieter die Adresse gesperrt.",
    [W_A_WRONG_PROTOCOL] =
	"Auf diesem Port antwortet ein anderer Dienst: prüfen Sie die Portnummer.",
    [W_A_STARTTLS_UNSUPPORTED] =
	"Der Server bietet auf diesem Port kein STARTTLS an, eine Anmeldung ginge dort "
	"unverschlüsselt: der Anbieter muss es einschalten; bis dahin den SSL/TLS-Port nehmen, "
	"wenn er funktioniert. Selten entfernt eine Firewall in diesem Netz STARTTLS aus den "
	"Antworten des Servers: bietet der Port aus einem anderen Netz STARTTLS an, ist das die "
	"Ursache.",
    [W_A_TLS_HANDSHAKE_FAILED] =
	"Der TLS-Handshake ist gescheitert; der Grund steht in den Belegen. Ein Alarm des Servers "
	"(etwa \"internal error\" oder \"handshake failure\") ist ein Fehler in seiner "
	"TLS-Einrichtung, den der Anbieter beheben muss. Nur wenn TLS zu anderen Servern aus "
	"diesem "
	"Netz genauso scheitert, ist ein Gerät in diesem Netz, das TLS aufbricht, die Ursache.",
    [W_A_NO_ANSWER] =
	"Die Verbindung wurde angenommen, aber der Server hat in der erlaubten Zeit nichts "
	"gesendet: der Maildienst hängt, ist überlastet oder wartet absichtlich vor seiner "
	"Antwort. "
	"Versuchen Sie es mit einem längeren --timeout; bleibt er stumm, melden Sie es dem "
	"Anbieter. Selten nimmt ein Proxy in diesem Netz Verbindungen an, die er nicht weitergeben "
	"kann: antwortet der Port aus einem anderen Netz, ist das die Ursache.",
    [W_F_PORT25_BLOCKED_SUMMARY_REFUSED] =
	"Port 25 von {server} weist Verbindungen ab: dort nimmt nichts sie an.",
    [W_F_PORT25_BLOCKED_ADVICE_REFUSED] =
	"Port 25 dient der Mail zwischen Servern; Mailprogramme senden über 587 (STARTTLS) oder "
	"465 (SSL/TLS). Nichts zu tun.",
    [W_F_HOST_UNREACHABLE_SUMMARY_REFUSED] =
	"{server} weist von hier jede Verbindung zu seinen Mail-Ports ab.",
    [W_F_HOST_UNREACHABLE_ADVICE_REFUSED] =
	"Die Adresse des Servers hat auf jedem Port mit einer Abweisung geantwortet: Der "
	"Maildienst läuft dort nicht, oder der Server weist die Adresse dieses Netzes ab (viele "
	"Server tun das eine Zeit lang nach wiederholt fehlgeschlagenen Anmeldungen, etwa von "
	"einem Gerät mit einem alten Passwort). Beides liegt auf der Seite des Anbieters: "
	"Prüfen Sie den Servernamen, melden Sie es dann dem Anbieter und fragen Sie, ob er die "
	"Adresse dieses Netzes sperrt. (Selten sendet eine Firewall in diesem Netz solche "
	"Abweisungen; erreicht ein anderes Netz den Server, liegt es an diesem Netz oder an "
	"einer Sperre seiner Adresse.)",
    [W_F_OUTGOING_BLOCKED_SUMMARY_REFUSED] =
	"{server} weist Verbindungen auf den Ports für ausgehende Mail ({ports}) ab.",
    [W_F_OUTGOING_BLOCKED_ADVICE_REFUSED] =
	"Die Adresse des Servers hat mit einer Abweisung geantwortet: Der Dienst für ausgehende "
	"Mail läuft dort nicht, oder der Server weist die Adresse dieses Netzes ab (viele "
	"Server tun das eine Zeit lang nach wiederholt fehlgeschlagenen Anmeldungen, etwa von "
	"einem Gerät mit einem alten Passwort). Beides liegt auf der Seite des Anbieters: "
	"Melden Sie es dem Anbieter und fragen Sie, ob er die Adresse dieses Netzes sperrt. "
	"Eingehende Mail ist nicht betroffen.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_REFUSED] =
	"Stellen Sie den Postausgangsserver (SMTP) auf Port 465 mit SSL/TLS um und lassen Sie die "
	"Authentifizierung mit demselben Benutzernamen und Passwort eingeschaltet. Die Adresse des "
	"Servers selbst hat Port 587 abgewiesen: Der Anbieter bietet ihn dort nicht an, oder er "
	"ist abgeschaltet; sagen Sie es dem Anbieter, wenn seine Anleitung 587 nennt.",
    [W_F_ADDRESS_DOWN_SUMMARY_REFUSED] = "Die Serveradresse {address} weist jede Verbindung ab, "
					 "andere Adressen von {server} funktionieren.",
    [W_F_ADDRESS_DOWN_ADVICE_REFUSED] =
	"An dieser Adresse nimmt nichts Verbindungen an: Auf einem Server des Anbieters läuft der "
	"Maildienst nicht, oder der Name zeigt auf eine falsche Adresse. Ein Mailprogramm, das sie "
	"wählt, scheitert ab und zu. Melden Sie es dem Anbieter.",
    [W_F_HOST_UNREACHABLE_SUMMARY_FIREWALL] =
	"Eine Firewall bei {server} weist von hier jede Verbindung zu seinen Mail-Ports ab.",
    [W_F_HOST_UNREACHABLE_ADVICE_FIREWALL] =
	"Die eigene Adresse des Servers hat mit einer ICMP-Abweisung („Port unerreichbar“ oder "
	"„administrativ verboten“) geantwortet, die die Abweisungsregel einer Firewall sendet "
	"(ein Port, an dem nichts lauscht, antwortet stattdessen mit einem TCP-Reset), selten "
	"auch ein Gerät vor dem Server in dessen Namen. Der Maildienst kann also durchaus "
	"laufen, und die Firewall des Servers weist dieses Netz ab: Viele Server sperren eine "
	"Adresse eine Zeit lang nach wiederholt fehlgeschlagenen Anmeldungen, etwa von einem "
	"Gerät mit einem alten Passwort. Melden Sie es dem Anbieter mit diesem Bericht und "
	"fragen Sie, ob er die Adresse dieses Netzes sperrt; prüfen Sie inzwischen, dass kein "
	"Gerät hier noch ein altes Passwort versucht.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_FIREWALL] =
	"Eine Firewall bei {server} weist von hier die Ports für ausgehende Mail ({ports}) ab.",
    [W_F_OUTGOING_BLOCKED_ADVICE_FIREWALL] =
	"Die eigene Adresse des Servers hat mit einer ICMP-Abweisung („Port unerreichbar“ oder "
	"„administrativ verboten“) geantwortet, die die Abweisungsregel einer Firewall sendet "
	"(ein Port, an dem nichts lauscht, antwortet stattdessen mit einem TCP-Reset), selten "
	"auch ein Gerät vor dem Server in dessen Namen. Der Dienst für ausgehende Mail kann "
	"also durchaus laufen, und die Firewall des Servers weist dieses Netz ab: Viele Server "
	"sperren eine Adresse eine Zeit lang nach wiederholt fehlgeschlagenen Anmeldungen, etwa "
	"von einem Gerät mit einem alten Passwort. Melden Sie es dem Anbieter mit diesem "
	"Bericht und fragen Sie, ob er die Adresse dieses Netzes sperrt; prüfen Sie inzwischen, "
	"dass kein Gerät hier noch ein altes Passwort versucht. Eingehende Mail ist nicht "
	"betroffen.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_FIREWALL] =
	"Eine Firewall bei {server} weist von hier Port 587 ab; Port 465 mit SSL/TLS "
	"funktioniert.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_FIREWALL] =
	"Stellen Sie den Postausgangsserver (SMTP) auf Port 465 mit SSL/TLS um und lassen Sie "
	"die Authentifizierung mit demselben Benutzernamen und Passwort eingeschaltet. Port 587 "
	"wurde mit einer ICMP-Abweisung („Port unerreichbar“ oder „administrativ verboten“) von "
	"der eigenen Adresse des Servers abgewiesen, die die Abweisungsregel einer Firewall "
	"sendet (ein Port, an dem nichts lauscht, antwortet stattdessen mit einem TCP-Reset): "
	"Sagen Sie dem Anbieter, dass seine Firewall Port 587 aus diesem Netz abweist.",
    [W_F_HOST_UNREACHABLE_SUMMARY_LOCAL] =
	"Eine Firewall auf diesem Computer weist jede Verbindung zu den Mail-Ports von {server} "
	"ab.",
    [W_F_HOST_UNREACHABLE_ADVICE_LOCAL] =
	"Die Abweisung kam als ICMP-Meldung („Port unerreichbar“ oder „administrativ verboten“) "
	"von der eigenen Adresse dieses Computers: Die Verbindungen haben diesen Computer nie "
	"verlassen. Seine Firewall, Sicherheitssoftware oder sein VPN-Programm sperrt sie. "
	"Erlauben Sie dort das Mailprogramm oder die Mail-Ports.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_LOCAL] =
	"Eine Firewall auf diesem Computer weist die Ports für ausgehende Mail ({ports}) zu "
	"{server} ab.",
    [W_F_OUTGOING_BLOCKED_ADVICE_LOCAL] =
	"Die Abweisung kam als ICMP-Meldung („Port unerreichbar“ oder „administrativ verboten“) "
	"von der eigenen Adresse dieses Computers: Die Verbindungen haben diesen Computer nie "
	"verlassen. Seine Firewall, Sicherheitssoftware oder sein VPN-Programm sperrt sie. "
	"Erlauben Sie dort das Mailprogramm oder die Ports 587 und 465. Eingehende Mail ist "
	"nicht betroffen.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_LOCAL] =
	"Eine Firewall auf diesem Computer weist Port 587 zu {server} ab; Port 465 mit SSL/TLS "
	"funktioniert.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_LOCAL] =
	"Stellen Sie den Postausgangsserver (SMTP) auf Port 465 mit SSL/TLS um und lassen Sie "
	"die Authentifizierung mit demselben Benutzernamen und Passwort eingeschaltet. Die "
	"Abweisung kam als ICMP-Meldung („Port unerreichbar“ oder „administrativ verboten“) von "
	"der eigenen Adresse dieses Computers: Die Verbindungen haben diesen Computer nie "
	"verlassen. Seine Firewall, Sicherheitssoftware oder sein VPN-Programm sperrt sie. Für "
	"Port 587 erlauben Sie ihn dort.",
    [W_F_ADDRESS_DOWN_SUMMARY_FIREWALL] =
	"Eine Firewall bei der Serveradresse {address} weist von hier jede Verbindung ab, "
	"andere Adressen von {server} funktionieren.",
    [W_F_PORT25_BLOCKED_SUMMARY_FIREWALL] = "Eine Firewall bei {server} weist Port 25 von hier ab.",
    [W_F_ENDPOINT_FAILED_PORT] = "Port {port} ({class})",
    [W_TXT_DISCOVERY] = "Ermittlung",
    [W_TXT_OK] = "ok",
    [W_TXT_FAILED_UPPER] = "FEHLER",
    [W_TXT_NOT_TESTED] = "nicht geprüft",
    [W_TXT_LOGIN_OK] = "Anmeldung ok",
    [W_TXT_LOGIN_REJECTED] = "Anmeldung abgelehnt",
    [W_TXT_LOGIN_NOT_TESTED] = "Anmeldung nicht geprüft",
    [W_TXT_LOGIN_FAILED] = "Anmeldung gescheitert",
    [W_TXT_ADDRESSES] = "Adressen",
    [W_TXT_SEV_INFO] = "HINWEIS",
    [W_TXT_SEV_WARNING] = "WARNUNG",
    [W_TXT_SEV_CRITICAL] = "KRITISCH",
    [W_TXT_ST_OK] = "OK",
    [W_TXT_ST_WARNING] = "WARNUNG",
    [W_TXT_ST_CRITICAL] = "KRITISCH",
    [W_TXT_ST_UNKNOWN] = "UNBEKANNT",
    [W_TXT_MORE] = "-v zeigt jeden Schritt, Zertifikate und Fähigkeiten",
    [W_TXT_WAITING] = "warte auf",
    [W_TXT_DONE] = "fertig",
    [L_NO_NAME] = "Neues Outlook für Windows",
    [L_NO_WHERE] = "Einstellungen (Zahnrad) > Konten > E-Mail-Konten > Konto hinzufügen: Adresse "
		   "eingeben, 'Erweiterte Einrichtung' wählen, dann IMAP oder POP.",
    [L_NO_SETTING] = "Einstellung im neuen Outlook",
    [L_NO_COL_IN] = "Eingehend (%s)",
    [L_NO_COL_OUT] = "Ausgehend (SMTP)",
    [L_NO_SERVER] = "Server",
    [L_NO_PORT] = "Port",
    [L_NO_SECURITY] = "Sicherer Verbindungstyp",
    [L_NO_SEC_NONE] = "Keine",
    [L_NO_USER] = "Benutzername",
    [L_TICKET] = "Vorgang",
    [L_WHAT_TO_DO] = "Was zu tun ist",
    [L_GRID] = "Ports und Adressen",
    [L_GRID_PORT] = "Port",
    [L_NOT_TESTED] = "nicht geprüft",
    [L_OK] = "ok",
    [L_ENV_LOCAL_ADDRS] = "Adressen dieses Computers",
    [L_ENV_RESOLVERS] = "DNS-Server dieses Computers",
    [L_ENV_MAIL_ADDRS] = "Adressen des Mailservers",
    [L_DETAILS_OK] = "Einzelheiten der Endpunkte, die funktionieren",
    [W_F_GREETING_SLOW_SUMMARY] =
	"Der Server hat auf Port {ports} erst nach {seconds} gegrüßt; E-Mail funktioniert, aber "
	"jede Verbindung eines E-Mail-Programms wartet zuerst so lange.",
    [W_F_GREETING_SLOW_ADVICE] =
	"Wann er grüßt, entscheidet allein der Server, und meist wartet er aus einem von zwei "
	"Gründen: Er schlägt zuerst Ihre Adresse nach (eine langsame Rückwärtsauflösung im DNS "
	"oder eine Ident-Anfrage an Port 113, die die Firewall Ihres Netzes verwirft statt sie "
	"abzulehnen), oder er verzögert absichtlich jede neue Verbindung (gegen Spam) oder ist "
	"überlastet. Zur Unterscheidung prüfen Sie aus einem anderen Netz: Ist die Verzögerung "
	"dort weg, ist das Nachschlagen der Adresse dieses Netzes langsam (der Anbieter kann "
	"seinen Resolver reparieren, Ihr Netz kann Port 113 ablehnen statt verwerfen); bleibt "
	"sie, sagen Sie dem Anbieter, dass sein Server spät grüßt.",
    [W_F_LOGIN_TIMEOUT_SUMMARY] = "Die Anmeldung wurde nicht rechtzeitig beantwortet (Port "
				  "{ports}); Verbindung und Verschlüsselung funktionieren.",
    [W_F_LOGIN_TIMEOUT_ADVICE] =
	"Das ist kein Ausfall: Der Server prüft die Anmeldung langsam, oder er verzögert "
	"Anmeldungen nach Fehlversuchen (manche Server warten nach einem falschen Passwort mehrere "
	"Sekunden). Starten Sie erneut mit einem längeren --timeout; bleibt die Anmeldung langsam, "
	"sagen Sie es dem Anbieter.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_NETWORK] =
	"Dieses Netz sperrt Port 587: Er scheitert auch beim Vergleichsserver {control}; Port 465 "
	"mit SSL/TLS funktioniert.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_NETWORK] =
	"Stellen Sie den Postausgangsserver (SMTP) auf Port 465 mit SSL/TLS um und lassen Sie die "
	"Authentifizierung mit demselben Benutzernamen und Passwort eingeschaltet. Für Port 587 "
	"bitten Sie den Betreiber dieses Netzes oder den Internetanbieter, ihn freizugeben.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_SERVER] =
	"Port 587 scheitert bei {server}, funktioniert aber beim Vergleichsserver {control}: Die "
	"Sperre sitzt beim Mailserver oder kurz davor, oder sie gilt gezielt ihm; Port 465 mit "
	"SSL/TLS funktioniert.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_SERVER] =
	"Stellen Sie den Postausgangsserver (SMTP) vorerst auf Port 465 mit SSL/TLS um und melden "
	"Sie dem Anbieter, dass Port 587 seines Servers aus diesem Netz nicht antwortet, andere "
	"Server aber schon.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_NETWORK] =
	"Dieses Netz sperrt die Ports für ausgehende Mail ({ports}): Sie scheitern auch beim "
	"Vergleichsserver {control}.",
    [W_F_OUTGOING_BLOCKED_ADVICE_NETWORK] =
	"Bitten Sie den Betreiber dieses Netzes oder den Internetanbieter, die Ports 587 und 465 "
	"freizugeben, oder senden Sie aus einem anderen Netz. Eingehende Mail ist nicht betroffen.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_SERVER] =
	"Die Ports für ausgehende Mail ({ports}) von {server} scheitern, beim Vergleichsserver "
	"{control} funktionieren sie: Das Problem liegt beim Mailserver oder kurz davor.",
    [W_F_OUTGOING_BLOCKED_ADVICE_SERVER] =
	"Melden Sie es dem Anbieter mit diesem Bericht: Sein Postausgangsserver antwortet aus "
	"diesem Netz nicht, andere Server schon. Fragen Sie, ob er die Adresse dieses Netzes "
	"sperrt: Viele Server tun das eine Zeit lang nach wiederholt fehlgeschlagenen "
	"Anmeldungen; prüfen Sie also, dass kein Gerät hier noch ein altes Passwort versucht.",
    [W_F_HOST_UNREACHABLE_SUMMARY_NETWORK] =
	"Dieses Netz sperrt die Mail-Ports: Sie scheitern bei {server} und beim Vergleichsserver "
	"{control} gleichermaßen.",
    [W_F_HOST_UNREACHABLE_ADVICE_NETWORK] =
	"Bitten Sie den Betreiber dieses Netzes (Firewall, VPN, Gastnetz) oder den "
	"Internetanbieter, die Mail-Ports freizugeben, oder nutzen Sie ein anderes Netz.",
    [W_F_HOST_UNREACHABLE_SUMMARY_SERVER] =
	"Kein Port von {server} antwortet, der Vergleichsserver {control} antwortet auf denselben "
	"Ports: Das Problem liegt beim Mailserver oder kurz davor.",
    [W_F_HOST_UNREACHABLE_ADVICE_SERVER] =
	"Sehen Sie auf der Statusseite des Anbieters nach und melden Sie es dem Anbieter mit "
	"diesem Bericht. Funktioniert der Server für andere, fragen Sie, ob er die Adresse "
	"dieses Netzes sperrt: Viele Server tun das eine Zeit lang nach wiederholt "
	"fehlgeschlagenen Anmeldungen; prüfen Sie also, dass kein Gerät hier noch ein altes "
	"Passwort versucht.",
    [W_TXT_SKIP] = "offen",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_PATH_NETWORK] =
	"Port 587 wird auf dem Weg zu {server} gesperrt: Seine Pakete sind zuletzt bei {where} zu "
	"sehen, während Port 465 den Server bei Hop {server_hop} erreicht; Port 465 mit SSL/TLS "
	"funktioniert.",
    [W_F_OUTGOING_PORT_BLOCKED_SUMMARY_PATH_SERVER] =
	"Port 587 kommt so weit wie Port 465, bis zum letzten Router vor {server} (Hop {hop}): Die "
	"Sperre sitzt beim Mailserver oder an seinem Netzrand; Port 465 mit SSL/TLS funktioniert.",
    [W_F_OUTGOING_PORT_BLOCKED_ADVICE_PATH_SERVER] =
	"Stellen Sie den Postausgangsserver (SMTP) vorerst auf Port 465 mit SSL/TLS um und sagen "
	"Sie dem Anbieter, dass Port 587 seines Servers aus diesem Netz an dessen Netzrand "
	"gefiltert wird.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_PATH_NETWORK] =
	"Die Ports für ausgehende Mail ({ports}) werden auf dem Weg zu {server} gesperrt: Ihre "
	"Pakete sind zuletzt bei {where} zu sehen, während ein anderer Port den Server bei Hop "
	"{server_hop} erreicht.",
    [W_F_OUTGOING_BLOCKED_SUMMARY_PATH_SERVER] =
	"Die Ports für ausgehende Mail ({ports}) kommen bis zum letzten Router vor {server} (Hop "
	"{hop}), wie ein Port, der funktioniert: Die Sperre sitzt beim Mailserver oder an seinem "
	"Netzrand.",
    [W_F_OUTGOING_BLOCKED_ADVICE_PATH_SERVER] =
	"Melden Sie es dem Anbieter mit diesem Bericht: Seine Ports für ausgehende Mail werden "
	"aus diesem Netz am Netzrand des Servers gefiltert (eine Firewall dort, oder eine "
	"Sperre der Adresse dieses Netzes, etwa nach wiederholt fehlgeschlagenen Anmeldungen).",
    [W_F_WHERE_OWN_ROUTER] = "Ihrem eigenen Router (Hop 1, {hop_addr})",
    [W_F_WHERE_HOP] = "Hop {hop} ({hop_addr})",
    [W_F_WHERE_NOWHERE] = "keinem Router (nicht einmal der erste Hop antwortete)",
    [W_EX_VERSION] = "Version %s",
    [W_EX_TARGETS] = "%d Ziele",
    [W_EX_CONFIG] = "Konfiguration",
    [W_EX_RELOAD_OK] = "zuletzt erfolgreich neu geladen",
    [W_EX_RELOAD_FAILED] = "Neuladen zuletzt fehlgeschlagen (die vorige Konfiguration gilt weiter)",
    [W_EX_NO_TARGETS] = "Es sind keine Ziele konfiguriert: nur /probe antwortet.",
    [W_EX_PENDING] = "ausstehend",
    [W_EX_MODULE] = "Modul",
    [W_EX_PROBED] = "vor %s geprüft, Dauer %s",
    [W_EX_FIRST_RUNNING] = "erste Prüfung läuft",
    [W_EX_WAITING] = "wartet auf die erste Prüfung",
    [W_EX_EVERY] = "alle %s",
    [W_EX_BACKOFF] = "Anmeldepause %s",
    [W_EX_REPORT] = "Support-Bericht",
    [W_EX_LATENCY] = "Antwortzeit, letzte %d Prüfungen, höchstens %s",
    [W_EX_OTHER_LANG] = "English",
    [W_F_DISCOVERY_UNTRUSTED_SUMMARY] =
	"{server} wurde nur über ungeprüftes DNS gefunden und liegt außerhalb von {domain}: Das "
	"Passwort wurde dorthin nicht gesendet (Port {ports}).",
    [W_F_DISCOVERY_UNTRUSTED_ADVICE] =
	"Jeder auf diesem Netzweg hätte diese DNS-Antwort fälschen können (öffentliches, Hotel- "
	"oder Gast-WLAN). Vergleichen Sie den Servernamen mit der Anleitung des Anbieters (seine "
	"Website über HTTPS). Ist es der Server des Anbieters, starten Sie erneut mit {server} als "
	"Server (das Argument HOST, mit --user) oder mit --trust-discovered, um sich dort "
	"anzumelden.",
    [L_PATHS] = "Wo der gesperrte Port endet",
    [L_PATH_TITLE] = "Port %u neben Port %u zu %s",
    [L_PATH_NONE] = "keine Antwort",
    [L_PATH_SERVER] = "Server",
    [W_A_AUTH_UNSUPPORTED_TOKEN] =
	"Der Server bietet hier keine OAuth2-Anmeldung (XOAUTH2 oder OAUTHBEARER), daher wurde das "
	"Token nicht gesendet; fragen Sie den Anbieter, welche Anmeldung für diesen Port gilt, "
	"oder prüfen Sie ihn mit einem Passwort.",
    /* der geführte Modus: kurze Sätze für Kunden, die Antwort zuerst */
    [W_G_TITLE] = "mailprobe prüft, ob Ihre E-Mail von diesem Computer aus funktioniert.",
    [W_G_INTRO] = "Dazu braucht es Ihre E-Mail-Adresse und Ihr Passwort. Das Passwort geht nur "
		  "verschlüsselt an Ihren Mailserver und wird nicht gespeichert.",
    [W_G_ASK_ADDRESS] = "Ihre E-Mail-Adresse: ",
    [W_G_ADDRESS_EMPTY] = "Bitte geben Sie Ihre E-Mail-Adresse ein, zum Beispiel anna@example.com.",
    [W_G_ADDRESS_NO_AT] = "Das ist keine E-Mail-Adresse: Das @ fehlt (wie in anna@example.com).",
    [W_G_ADDRESS_SPACE] =
	"Eine E-Mail-Adresse enthält keine Leerzeichen. Bitte geben Sie sie noch einmal ein.",
    [W_G_ADDRESS_BAD] = "Das ist keine E-Mail-Adresse: Bitte prüfen Sie den Teil nach dem @ (wie "
			"example.com).",
    [W_G_ADDRESS_TOO_LONG] =
	"Das ist zu lang für eine E-Mail-Adresse. Bitte geben Sie sie noch einmal ein.",
    [W_G_GIVE_UP] = "Nach %d Versuchen keine E-Mail-Adresse. Starten Sie mailprobe noch einmal, "
		    "wenn Sie sie zur Hand haben.",
    [W_G_ASK_PASSWORD] = "Ihr Passwort (bleibt beim Tippen unsichtbar): ",
    [W_G_PASSWORD_EMPTY] = "Kein Passwort eingegeben: Ohne Passwort kann die Anmeldung nicht "
			   "geprüft werden. Geben Sie es ein, oder drücken Sie noch einmal Enter, "
			   "um ohne Passwort zu prüfen.",
    [W_G_CHECKING] = "Prüfe %s. Das dauert weniger als eine Minute, bitte warten.",
    [W_G_RESULT] = "Ergebnis",
    [W_G_RESULT_OK] = "Ihre E-Mail funktioniert von diesem Computer aus: Empfangen und Senden.",
    [W_G_RESULT_OK_NO_LOGIN] = "Die Mailserver sind von diesem Computer aus erreichbar. Das "
			       "Passwort wurde nicht geprüft.",
    [W_G_REPORT_AT] = "Der Bericht für Ihren Support liegt hier:",
    [W_G_SEND] = "Bitte senden Sie diese Datei an Ihren Support, als Anhang einer E-Mail. Ihr "
		 "Passwort steht nicht darin.",
    [W_G_OPENED] = "Er öffnet sich jetzt in Ihrem Browser.",
    [W_G_NO_REPORT] = "Der Bericht konnte nicht gespeichert werden (%s).",
    [W_G_CANCELLED] = "\nAbgebrochen. Es wurde nichts gespeichert.\n",
    [W_G_PRESS_ENTER] = "Drücken Sie Enter, um dieses Fenster zu schließen.",
    [W_G_FILE_STEM] = "mailprobe-bericht",
};

/* The step messages of checks/ in German (see steps.c): the English format,
 * then the German one with the same conversions in the same order. */
const struct mp_step_phrase mp_step_phrases_de[] = {
    {"connected to %s port %u", "verbunden mit %s, Port %u"},
    {"refused by an ICMP port unreachable from %s: a firewall's reject rule (a port where nothing "
     "listens answers with a TCP reset)",
     "abgewiesen durch ein ICMP „Port unerreichbar“ von %s: die Abweisungsregel einer Firewall "
     "(ein "
     "Port, an dem nichts lauscht, antwortet mit einem TCP-Reset)"},
    {"%s (ICMP from %s)", "%s (ICMP von %s)"},
    {"rejected by an ICMP administratively prohibited from %s: a firewall's reject rule",
     "abgewiesen durch ein ICMP „administrativ verboten“ von %s: die Abweisungsregel einer "
     "Firewall"},
    {"connection refused (nothing listens, or a filter resets)",
     "Verbindung abgewiesen (nichts lauscht dort, oder ein Filter setzt sie zurück)"},
    {"no answer to the connection attempt (dropped or filtered)",
     "keine Antwort auf den Verbindungsversuch (verworfen oder gefiltert)"},
    {"no answer before the deadline", "keine Antwort vor Ablauf der Zeit"},
    {"the server closed the connection", "der Server hat die Verbindung geschlossen"},
    {"the connection was reset", "die Verbindung wurde zurückgesetzt"},
    {"the server sent a line or reply longer than %d bytes",
     "der Server hat eine Zeile oder Antwort mit mehr als %d Bytes gesendet"},
    {"I/O error: %s", "Ein-/Ausgabefehler: %s"},
    {"the server sent data after the STARTTLS go-ahead and before the TLS handshake (response "
     "injection)",
     "der Server hat nach der STARTTLS-Zusage und vor dem TLS-Handshake Daten gesendet "
     "(eingeschleuste Antwort)"},
    {"STARTTLS is masked in the server's capabilities (a middlebox strips it); the server "
     "answered: %s",
     "STARTTLS ist in den Fähigkeiten des Servers maskiert (ein Gerät auf dem Weg entfernt "
     "es); der Server antwortete: %s"},
    {"STARTTLS offered but refused: %s", "STARTTLS angeboten, aber abgelehnt: %s"},
    {"the server does not offer STARTTLS: %s", "der Server bietet kein STARTTLS an: %s"},
    {"not a valid %s reply: \"%s\"", "keine gültige %s-Antwort: \"%s\""},
    {"the server speaks %s, not %s: \"%s\"", "der Server spricht %s, nicht %s: \"%s\""},
    {"not a %s greeting: \"%s\"", "keine %s-Begrüßung: \"%s\""},
    {"not sent: the server's certificate did not verify (--insecure-login to send anyway)",
     "nicht gesendet: das Zertifikat des Servers ließ sich nicht prüfen (--insecure-login "
     "sendet trotzdem)"},
    {"not sent over an unencrypted connection (--insecure-login to send anyway)",
     "nicht über eine unverschlüsselte Verbindung gesendet (--insecure-login sendet "
     "trotzdem)"},
    {"not tested: the deadline passed before the login (nothing sent)",
     "nicht geprüft: die Zeit lief vor der Anmeldung ab (nichts gesendet)"},
    {"login checked on %s", "Anmeldung auf %s geprüft"},
    {"not retried after a rejection on another endpoint",
     "nach einer Ablehnung an einem anderen Endpunkt nicht erneut versucht"},
    {"the server did not answer the login before the deadline (%.0f ms): slow or penalised "
     "authentication",
     "der Server hat die Anmeldung nicht vor Ablauf der Zeit beantwortet (%.0f ms): langsame "
     "oder nach Fehlversuchen verzögerte Anmeldung"},
    {"a reply of more than %d lines", "eine Antwort mit mehr als %d Zeilen"},
    {"the server offers only OAuth (XOAUTH2/OAUTHBEARER), no password login",
     "der Server bietet nur OAuth (XOAUTH2/OAUTHBEARER), keine Anmeldung mit Passwort"},
    {"the server offers only OAuth (XOAUTH2/OAUTHBEARER) and refused USER/PASS: %s",
     "der Server bietet nur OAuth (XOAUTH2/OAUTHBEARER) und hat USER/PASS abgelehnt: %s"},
    {"the server offers neither OAUTHBEARER nor XOAUTH2 for the token",
     "der Server bietet für das Token weder OAUTHBEARER noch XOAUTH2"},
    {"the server refused the token (%s): %s", "der Server hat das Token abgelehnt (%s): %s"},
    {"the server offers neither AUTH PLAIN nor AUTH LOGIN",
     "der Server bietet weder AUTH PLAIN noch AUTH LOGIN"},
    {"the server offers no AUTH here", "der Server bietet hier kein AUTH"},
    {"binary data in the CAPA list", "Binärdaten in der CAPA-Liste"},
    {"a CAPA list of more than %d lines", "eine CAPA-Liste mit mehr als %d Zeilen"},
    {"no CAPA (USER/PASS assumed)", "kein CAPA (USER/PASS angenommen)"},
    {"+OK capability list", "+OK Liste der Fähigkeiten"},
    {"the server announced literals of %lld bytes (limit %d)",
     "der Server kündigte Literale mit %lld Bytes an (Grenze %d)"},
    {"reply with tag %s, expected %s", "Antwort mit Kennung %s, erwartet %s"},
    {"a response of more than %d lines", "eine Antwort mit mehr als %d Zeilen"},
    {"capabilities from the greeting", "Fähigkeiten aus der Begrüßung"},
    {"the user name holds characters the LOGIN command cannot carry",
     "der Benutzername enthält Zeichen, die der LOGIN-Befehl nicht übertragen kann"},
    {"unexpected continuation request", "unerwartete Aufforderung zur Fortsetzung"},
    {"no tagged reply to LOGOUT", "keine Antwort mit Kennung auf LOGOUT"},
    {"the server had closed the connection after the failed login",
     "der Server hatte die Verbindung nach der fehlgeschlagenen Anmeldung geschlossen"},
    {"the message did not arrive before the deadline",
     "die Nachricht kam nicht vor Ablauf der Zeit an"},
    {"found as UID %lu and deleted", "als UID %lu gefunden und gelöscht"},
    {"the server answered the TLS handshake in plaintext: \"%s\"",
     "der Server hat den TLS-Handshake im Klartext beantwortet: \"%s\""},
    {"connection reset during the handshake", "Verbindung während des Handshakes zurückgesetzt"},
    {"the server closed the connection during the handshake",
     "der Server hat die Verbindung während des Handshakes geschlossen"},
    {"the server offers only TLS versions older than 1.2 (%s)",
     "der Server bietet nur TLS-Versionen älter als 1.2 (%s)"},
    {"TLS handshake failed: %s", "TLS-Handshake gescheitert: %s"},
    {"the server ended the TLS handshake with the alert \"%s\" (%s)",
     "der Server hat den TLS-Handshake mit dem Alarm \"%s\" beendet (%s)"},
    {"no TLS handshake answer before the deadline",
     "keine Antwort auf den TLS-Handshake vor Ablauf der Zeit"},
    {"certificate not trusted: %s (issuer %s)",
     "dem Zertifikat wird nicht vertraut: %s (Aussteller %s)"},
    {"certificate expired on %s", "Zertifikat abgelaufen am %s"},
    {"certificate not valid before %s", "Zertifikat nicht gültig vor %s"},
    {"certificate is for %s, not %s", "Zertifikat gilt für %s, nicht für %s"},
    {"the server sent no certificate", "der Server hat kein Zertifikat gesendet"},
    {"%s %s, certificate %s verified", "%s %s, Zertifikat %s geprüft"},
    {"(withheld: the server's reply holds the password as it was sent)",
     "(zurückgehalten: die Antwort des Servers enthält das Passwort, wie es gesendet wurde)"},
    {"the server chained more than %d literals in one response",
     "der Server hat mehr als %d Literale in einer Antwort verkettet"},
};

const size_t mp_step_phrases_de_count = sizeof(mp_step_phrases_de) / sizeof(mp_step_phrases_de[0]);
