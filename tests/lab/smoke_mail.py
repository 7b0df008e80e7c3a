"""Protocol checks of the mailprobe lab, run by smoke.sh inside mp-client.

Usage: smoke_mail.py HOST CAFILE USER PASSWORD_FILE
Prints one line per check: "ok NAME" or "FAIL NAME: reason". Standard library only.
"""
import imaplib
import poplib
import smtplib
import ssl
import sys
import time
import uuid
from email.message import EmailMessage

HOST, CAFILE, USER, PWFILE = sys.argv[1:5]
with open(PWFILE, encoding="ascii") as f:
    PASSWORD = f.read().rstrip("\n")
T = 5  # seconds per socket operation
CTX = ssl.create_default_context(cafile=CAFILE)  # verifies chain and host name


def check(name):
    def wrap(fn):
        try:
            fn()
            print("ok", name, flush=True)
        except Exception as e:  # noqa: BLE001 - any failure is a failed check
            print("FAIL %s: %s: %s" % (name, type(e).__name__, e), flush=True)
        return fn
    return wrap


def want(cond, why):
    if not cond:
        raise AssertionError(why)


@check("imap 993 tls login")
def _():
    with imaplib.IMAP4_SSL(HOST, 993, ssl_context=CTX, timeout=T) as m:
        m.login(USER, PASSWORD)
        typ, _ = m.select("INBOX")
        want(typ == "OK", "select INBOX")
        m.logout()


@check("imap 143 LOGINDISABLED before STARTTLS, login after")
def _():
    with imaplib.IMAP4(HOST, 143, timeout=T) as m:
        want("LOGINDISABLED" in m.capabilities, "no LOGINDISABLED: %s" % (m.capabilities,))
        want("STARTTLS" in m.capabilities, "no STARTTLS")
        m.starttls(ssl_context=CTX)
        m.login(USER, PASSWORD)
        m.logout()


@check("imap 993 wrong password rejected")
def _():
    with imaplib.IMAP4_SSL(HOST, 993, ssl_context=CTX, timeout=T) as m:
        try:
            m.login(USER, PASSWORD + "x")
        except imaplib.IMAP4.error:
            return
        raise AssertionError("login with a wrong password succeeded")


@check("pop3 995 tls login")
def _():
    p = poplib.POP3_SSL(HOST, 995, context=CTX, timeout=T)
    p.user(USER)
    p.pass_(PASSWORD)
    p.stat()
    p.quit()


@check("pop3 110 STLS login")
def _():
    p = poplib.POP3(HOST, 110, timeout=T)
    want("STLS" in p.capa(), "no STLS")
    p.stls(context=CTX)
    p.user(USER)
    p.pass_(PASSWORD)
    p.quit()


@check("smtp 25 STARTTLS offered, no AUTH")
def _():
    with smtplib.SMTP(HOST, 25, timeout=T) as s:
        s.ehlo("client.lab.test")
        want(s.has_extn("starttls"), "no STARTTLS")
        want(not s.has_extn("auth"), "AUTH offered before TLS")
        s.starttls(context=CTX)
        s.ehlo("client.lab.test")
        want(not s.has_extn("auth"), "AUTH offered on port 25")


@check("smtp 587 no AUTH before STARTTLS, AUTH after")
def _():
    with smtplib.SMTP(HOST, 587, timeout=T) as s:
        s.ehlo("client.lab.test")
        want(not s.has_extn("auth"), "AUTH offered before TLS")
        code, _ = s.mail("alice@lab.test")
        want(code == 530, "MAIL before STARTTLS got %d, not 530" % code)
        s.rset()
        s.starttls(context=CTX)
        s.ehlo("client.lab.test")
        want(s.has_extn("auth"), "no AUTH after TLS")
        s.login(USER, PASSWORD)


@check("smtp 465 tls AUTH")
def _():
    with smtplib.SMTP_SSL(HOST, 465, context=CTX, timeout=T) as s:
        s.ehlo("client.lab.test")
        s.login(USER, PASSWORD)


@check("smtp 587 relay denied without AUTH")
def _():
    with smtplib.SMTP(HOST, 587, timeout=T) as s:
        s.starttls(context=CTX)
        s.ehlo("client.lab.test")
        s.mail("someone@example.net")
        code, _ = s.rcpt("alice@lab.test")
        want(code >= 500, "unauthenticated RCPT got %d" % code)


@check("send over 587 arrives in IMAP INBOX")
def _():
    subject = "mailprobe lab smoke " + uuid.uuid4().hex
    msg = EmailMessage()
    msg["From"] = USER
    msg["To"] = USER
    msg["Subject"] = subject
    msg.set_content("lab smoke test\n")
    with smtplib.SMTP(HOST, 587, timeout=T) as s:
        s.starttls(context=CTX)
        s.login(USER, PASSWORD)
        s.send_message(msg)
    end = time.monotonic() + 10
    with imaplib.IMAP4_SSL(HOST, 993, ssl_context=CTX, timeout=T) as m:
        m.login(USER, PASSWORD)
        while True:
            m.select("INBOX")
            typ, data = m.search(None, "SUBJECT", '"%s"' % subject)
            if typ == "OK" and data and data[0].split():
                m.store(data[0].split()[0], "+FLAGS", "\\Deleted")
                m.expunge()
                return
            if time.monotonic() > end:
                raise AssertionError("message not in INBOX after 10 s")
            time.sleep(0.2)
