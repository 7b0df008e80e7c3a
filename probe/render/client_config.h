/*
 * Client settings files (--client-config DIR) from the settings that worked
 * from this network (the diagnosis' recommended incoming and outgoing
 * server): a Thunderbird autoconfig file and an Apple configuration profile.
 * Neither ever holds a password: the client asks for it.
 */
#ifndef MAILPROBE_CLIENT_CONFIG_H
#define MAILPROBE_CLIENT_CONFIG_H

#include <stddef.h>

#include "probe/diagnose/diagnose.h"
#include "probe/run/run.h"

#define MP_CLIENT_CONFIG_THUNDERBIRD "config-v1.1.xml"
#define MP_CLIENT_CONFIG_APPLE "mailprobe.mobileconfig"

/* Writes DIR/config-v1.1.xml (Mozilla ISPDB clientConfig 1.1) and
 * DIR/mailprobe.mobileconfig (a Configuration profile holding one
 * com.apple.mail.managed payload), creating DIR (and missing parents) with
 * mode 0700; the files get mode 0644 and replace older ones atomically.
 * The provider domain is the domain of the e-mail address, else of the
 * user name, else the server name. Thunderbird's user name is
 * %EMAILADDRESS% when the user name is the full address (or unknown), else
 * the literal. 0, or -1 with a one-line reason in err: no working incoming
 * or outgoing setting (nothing is written then), or a file system error. */
int mp_client_config_write(const char *dir, const struct mp_run *run, const struct mp_diagnosis *d,
			   char *err, size_t errlen);

#endif
