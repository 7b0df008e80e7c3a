/*
 * The words of the support report in every language of enum mp_lang, with
 * each mail client's own names for its settings, and dates and durations as
 * people in that language write them. Tables and formatting only; no I/O.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "probe/render/report_impl.h"

static const char *const labels[L_COUNT][LANG_COUNT] = {
    [L_TITLE] = {"Mail connectivity report", "Bericht zur E-Mail-Verbindung"},
    [L_LIGHT_GREEN] = {"GREEN", "GRÜN"},
    [L_LIGHT_YELLOW] = {"YELLOW", "GELB"},
    [L_LIGHT_RED] = {"RED", "ROT"},
    [L_LIGHT_GREY] = {"GREY", "GRAU"},
    [L_ST_OK] = {"ok", "in Ordnung"},
    [L_ST_WARNING] = {"warning", "Warnung"},
    [L_ST_CRITICAL] = {"critical", "kritisch"},
    [L_ST_UNKNOWN] = {"unknown", "unbekannt"},
    [L_VERDICT_OK] = {"Everything works from this network: %d of %d endpoints ok.",
		      "Von diesem Netz aus funktioniert alles: %d von %d Endpunkten in Ordnung."},
    [L_VERDICT_FAILED] = {"%d of %d endpoints failed; the details are below.",
			  "%d von %d Endpunkten fehlgeschlagen; die Einzelheiten folgen unten."},
    [L_CHECKED] = {"Checked %s from this network, in %s.",
		   "Geprüft am %s von diesem Netz aus, in %s."},
    [L_SETTINGS] = {"Settings that work from this network",
		    "Einstellungen, die von diesem Netz aus funktionieren"},
    [L_INCOMING] = {"Incoming", "Posteingang"},
    [L_OUTGOING] = {"Outgoing", "Postausgang"},
    [L_USERNAME] = {"User name", "Benutzername"},
    [L_USER_NONE] = {"not given (usually the full e-mail address)",
		     "nicht angegeben (meist die vollständige E-Mail-Adresse)"},
    [L_NO_IN] = {"No working incoming server (IMAP or POP3) was found from this network; the "
		 "findings below say why.",
		 "Von diesem Netz aus wurde kein funktionierender Posteingangsserver (IMAP oder "
		 "POP3) gefunden; die Befunde unten nennen den Grund."},
    [L_NO_OUT] = {"No working outgoing server (SMTP) was found from this network; the findings "
		  "below say why.",
		  "Von diesem Netz aus wurde kein funktionierender Postausgangsserver (SMTP) "
		  "gefunden; die Befunde unten nennen den Grund."},
    [L_NO_SETTINGS] = {"No working setting was found from this network: neither incoming nor "
		       "outgoing mail works from here. The findings below say why.",
		       "Von diesem Netz aus funktioniert keine Einstellung: weder Posteingang "
		       "noch Postausgang. Die Befunde unten nennen den Grund."},
    [L_SEC_TLS] = {"SSL/TLS", "SSL/TLS"},
    [L_SEC_STARTTLS] = {"STARTTLS", "STARTTLS"},
    [L_SEC_NONE] = {"none (unencrypted)", "keine (unverschlüsselt)"},
    [L_SETTING_LINE] = {"%s, server %s, port %u, %s", "%s, Server %s, Port %u, %s"},
    [L_ON] = {"on", "ein"},
    [L_OFF] = {"off", "aus"},
    [L_DASH] = {"—", "—"},
    [L_OL_NAME] = {"Outlook", "Outlook"},
    [L_OL_WHERE] = {"Classic Outlook for Windows: File > Account Settings > Account Settings > "
		    "Change. Ports and encryption are under More Settings > Advanced, the "
		    "authentication under More Settings > Outgoing Server.",
		    "Klassisches Outlook für Windows: Datei > Kontoeinstellungen > "
		    "Kontoeinstellungen > Ändern. Ports und Verschlüsselung stehen unter Weitere "
		    "Einstellungen > Erweitert, die Authentifizierung unter Weitere Einstellungen "
		    "> Postausgangsserver."},
    [L_OL_SETTING] = {"Setting in Outlook", "Einstellung in Outlook"},
    [L_OL_COL_IN] = {"Incoming mail server (%s)", "Posteingangsserver (%s)"},
    [L_OL_COL_OUT] = {"Outgoing mail server (SMTP)", "Postausgangsserver (SMTP)"},
    [L_OL_ACCOUNT_TYPE] = {"Account type", "Kontotyp"},
    [L_OL_SERVER] = {"Server", "Server"},
    [L_OL_PORT] = {"Server Port Numbers", "Serveranschlussnummern"},
    [L_OL_ENCRYPTION] = {"Use the following type of encrypted connection",
			 "Verwenden Sie den folgenden verschlüsselten Verbindungstyp"},
    [L_OL_SEC_NONE] = {"None", "Keine"},
    [L_OL_USER] = {"User Name", "Benutzername"},
    [L_OL_SPA] = {"Require logon using Secure Password Authentication (SPA)",
		  "Anmeldung mithilfe der gesicherten Kennwortauthentifizierung (SPA) "
		  "erforderlich"},
    [L_OL_OUT_AUTH] = {"My outgoing server (SMTP) requires authentication",
		       "Der Postausgangsserver (SMTP) erfordert Authentifizierung"},
    [L_OL_SAME] = {"Use same settings as my incoming mail server",
		   "Gleiche Einstellungen wie für Posteingangsserver verwenden"},
    [L_TB_NAME] = {"Thunderbird", "Thunderbird"},
    [L_TB_WHERE] = {"Account Settings > Server Settings for incoming mail; Account Settings > "
		    "Outgoing Server (SMTP) > Edit for outgoing mail.",
		    "Konten-Einstellungen > Server-Einstellungen für den Posteingang; "
		    "Konten-Einstellungen > Postausgangs-Server (SMTP) > Bearbeiten für den "
		    "Postausgang."},
    [L_TB_SETTING] = {"Setting in Thunderbird", "Einstellung in Thunderbird"},
    [L_TB_COL_IN] = {"Server Settings (%s)", "Server-Einstellungen (%s)"},
    [L_TB_COL_OUT] = {"Outgoing Server (SMTP)", "Postausgangs-Server (SMTP)"},
    [L_TB_SERVER] = {"Server Name", "Servername"},
    [L_TB_PORT] = {"Port", "Port"},
    [L_TB_SECURITY] = {"Connection security", "Verbindungssicherheit"},
    [L_TB_SEC_NONE] = {"None", "Keine"},
    [L_TB_AUTH] = {"Authentication method", "Authentifizierungsmethode"},
    [L_TB_AUTH_NORMAL] = {"Normal password", "Passwort, normal"},
    [L_TB_USER] = {"User Name", "Benutzername"},
    [L_AM_NAME] = {"Apple Mail", "Apple Mail"},
    [L_AM_WHERE] = {"Mail > Settings > Accounts > Server Settings. Turn off \"Automatically "
		    "manage connection settings\" to enter the port. \"Use TLS/SSL\" is also on "
		    "for STARTTLS (port 587): Mail then upgrades the connection with STARTTLS.",
		    "Mail > Einstellungen > Accounts > Servereinstellungen. "
		    "„Verbindungseinstellungen automatisch verwalten“ ausschalten, um den Port "
		    "einzutragen. „TLS/SSL verwenden“ ist auch für STARTTLS (Port 587) "
		    "eingeschaltet: Mail verschlüsselt die Verbindung dann mit STARTTLS."},
    [L_AM_SETTING] = {"Setting in Apple Mail", "Einstellung in Apple Mail"},
    [L_AM_COL_IN] = {"Incoming Mail Server (%s)", "Server für eingehende E-Mails (%s)"},
    [L_AM_COL_OUT] = {"Outgoing Mail Server (SMTP)", "Server für ausgehende E-Mails (SMTP)"},
    [L_AM_USER] = {"User Name", "Benutzername"},
    [L_AM_HOST] = {"Host Name", "Hostname"},
    [L_AM_AUTO] = {"Automatically manage connection settings",
		   "Verbindungseinstellungen automatisch verwalten"},
    [L_AM_PORT] = {"Port", "Port"},
    [L_AM_TLS] = {"Use TLS/SSL", "TLS/SSL verwenden"},
    [L_AM_AUTH] = {"Authentication", "Authentifizierung"},
    [L_AM_AUTH_PASSWORD] = {"Password", "Passwort"},
    [L_FINDINGS] = {"Findings", "Befunde"},
    [L_NO_FINDINGS] = {"No findings.", "Keine Befunde."},
    [L_ADVICE] = {"What to do", "Was zu tun ist"},
    [L_EVIDENCE] = {"Evidence", "Belege"},
    [L_SEV_CRITICAL] = {"Critical", "Kritisch"},
    [L_SEV_WARNING] = {"Warning", "Warnung"},
    [L_SEV_INFO] = {"Info", "Hinweis"},
    [L_ENDPOINT] = {"Endpoint", "Endpunkt"},
    [L_STEP] = {"Step", "Schritt"},
    [L_CLASS] = {"Class", "Klasse"},
    [L_MESSAGE] = {"Message", "Meldung"},
    [L_RESULT] = {"Result", "Ergebnis"},
    [L_TIME] = {"Time", "Dauer"},
    [L_ENDPOINTS] = {"Endpoints and steps", "Endpunkte und Schritte"},
    [L_RESOLVE] = {"Name resolution", "Namensauflösung"},
    [L_RESOLVE_OK] = {"ok in %s: %s", "in Ordnung in %s: %s"},
    [L_RESOLVE_FAILED] = {"failed: %s, %s", "fehlgeschlagen: %s, %s"},
    [L_EP_OK] = {"OK", "OK"},
    [L_EP_FAILED] = {"FAILED", "FEHLGESCHLAGEN"},
    [L_NOT_CHECKED] = {"Not checked: the server name did not resolve.",
		       "Nicht geprüft: der Servername wurde nicht aufgelöst."},
    [L_R_OK] = {"ok", "ok"},
    [L_R_FAILED] = {"FAILED", "FEHLER"},
    [L_R_SKIPPED] = {"skipped", "übersprungen"},
    [L_TLS] = {"TLS", "TLS"},
    [L_CERT] = {"Certificate", "Zertifikat"},
    [L_ISSUED_BY] = {"issued by", "ausgestellt von"},
    [L_DAYS_LEFT] = {"valid until %s (%d days left)", "gültig bis %s (noch %d Tage)"},
    [L_DAYS_AGO] = {"expired %s (%d days ago)", "abgelaufen am %s (vor %d Tagen)"},
    [L_VERIFIED] = {"verified", "vertrauenswürdig"},
    [L_NAME_MATCH] = {"matches the server name", "passt zum Servernamen"},
    [L_YES] = {"yes", "ja"},
    [L_NO] = {"no", "nein"},
    [L_CAPS] = {"Capabilities", "Fähigkeiten"},
    [L_MECHANISM] = {"Login mechanism", "Anmeldeverfahren"},
    [L_TIMING] = {"Timing", "Zeitablauf"},
    [L_TRANSCRIPT] = {"Transcript", "Protokoll"},
    [L_TRANSCRIPT_NOTE] = {"What was sent (C:) and received (S:); credentials are shown as ***.",
			   "Was gesendet (C:) und empfangen (S:) wurde; Zugangsdaten erscheinen "
			   "als ***."},
    [L_NO_TRANSCRIPT] = {"(no transcript)", "(kein Protokoll)"},
    [L_ENV] = {"Environment", "Umgebung"},
    [L_ENV_UTC] = {"Time (UTC)", "Zeit (UTC)"},
    [L_ENV_LOCAL] = {"Local time", "Ortszeit"},
    [L_ENV_DURATION] = {"Duration", "Dauer"},
    [L_ENV_OPENSSL] = {"OpenSSL", "OpenSSL"},
    [L_ENV_OS] = {"Operating system", "Betriebssystem"},
    [L_ENV_SERVER] = {"Server name", "Servername"},
    [L_ENV_ADDRS] = {"Addresses probed", "Geprüfte Adressen"},
    [L_ENV_ENDPOINTS] = {"Endpoints checked", "Geprüfte Endpunkte"},
    [L_ENV_TIMEOUT] = {"Timeout", "Zeitlimit"},
    [L_ENV_NONE] = {"none", "keine"},
    [L_FOOTER] = {"Written by mailprobe %s. This report contains no password.",
		  "Erstellt mit mailprobe %s. Dieser Bericht enthält kein Passwort."},
};

static const char *const steps[STEP_COUNT][LANG_COUNT] = {
    [STEP_CONNECT] = {"connect", "Verbindung"},
    [STEP_GREETING] = {"greeting", "Begrüßung"},
    [STEP_STARTTLS] = {"starttls", "STARTTLS"},
    [STEP_TLS] = {"tls", "TLS"},
    [STEP_CAPABILITIES] = {"capabilities", "Fähigkeiten"},
    [STEP_LOGIN] = {"login", "Anmeldung"},
    [STEP_SEND] = {"send", "Senden"},
    [STEP_LOGOUT] = {"logout", "Abmeldung"},
};

static const char *const months[12][LANG_COUNT] = {
    {"January", "Januar"},  {"February", "Februar"},  {"March", "März"},
    {"April", "April"},     {"May", "Mai"},           {"June", "Juni"},
    {"July", "Juli"},       {"August", "August"},     {"September", "September"},
    {"October", "Oktober"}, {"November", "November"}, {"December", "Dezember"},
};

static enum mp_lang
lang_of(const struct rp *r)
{
	return r->lang >= 0 && r->lang < LANG_COUNT ? r->lang : LANG_EN;
}

const char *
rp_t(const struct rp *r, enum rp_label l)
{
	const char *s = l < L_COUNT ? labels[l][lang_of(r)] : NULL;

	return s != NULL ? s : "";
}

const char *
rp_step_name(const struct rp *r, enum mp_step s)
{
	return s < STEP_COUNT ? steps[s][lang_of(r)] : "?";
}

/* "+01:00" from seconds east of UTC. */
static void
utc_offset(long off, char *out, size_t len)
{
	char sign = off < 0 ? '-' : '+';

	if (off < 0)
		off = -off;
	snprintf(out, len, "%c%02ld:%02ld", sign, off / 3600, off / 60 % 60);
}

void
rp_date(const struct rp *r, time_t t, bool local, char *out, size_t len)
{
	struct tm tm;
	char off[32], zone[16] = "";
	bool de = lang_of(r) == LANG_DE;
	bool ok = local ? localtime_r(&t, &tm) != NULL : gmtime_r(&t, &tm) != NULL;

	if (!ok || tm.tm_mon < 0 || tm.tm_mon > 11) {
		snprintf(out, len, "?");
		return;
	}
	snprintf(out, len, de ? "%d. %s %d, %02d:%02d:%02d" : "%d %s %d, %02d:%02d:%02d",
		 tm.tm_mday, months[tm.tm_mon][lang_of(r)], tm.tm_year + 1900, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
	if (!local) {
		snprintf(out + strlen(out), len - strlen(out), " UTC");
		return;
	}
	utc_offset(tm.tm_gmtoff, off, sizeof(off));
	if (tm.tm_zone != NULL)
		snprintf(zone, sizeof(zone), ", %s", tm.tm_zone);
	snprintf(out + strlen(out), len - strlen(out), " (UTC%s%s)", off, zone);
}

void
rp_duration(const struct rp *r, double secs, char *out, size_t len)
{
	double ms = secs > 0.0 ? secs * 1000.0 : 0.0;

	if (ms < 10.0)
		snprintf(out, len, "%.1f ms", ms);
	else if (ms < 1000.0)
		snprintf(out, len, "%.0f ms", ms);
	else
		snprintf(out, len, "%.2f s", ms / 1000.0);
	if (lang_of(r) == LANG_DE)
		for (char *p = out; *p != '\0'; p++)
			if (*p == '.')
				*p = ',';
}
