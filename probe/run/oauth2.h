/*
 * The OAuth2 refresh_token grant (RFC 6749 section 6): a new access token
 * from the token endpoint over verified HTTPS, before the run.
 */
#ifndef MAILPROBE_OAUTH2_H
#define MAILPROBE_OAUTH2_H

#include <stddef.h>

#include "checks/tls.h"
#include "probe/run/account.h"

/* When the account has a refresh token: POSTs the grant to its token URL
 * and puts the access token into a->password (a->oauth2 set). 0 (also when
 * there is nothing to do), or -1 with a one-line reason in err that never
 * holds a secret. Bounded by a->timeout. */
int mp_oauth2_refresh(struct mp_account *a, struct mp_tls_ctx *tls, char *err, size_t errlen);

#endif
