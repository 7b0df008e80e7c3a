"""What the guided mode's screen says after a check that works, per language:
one list for tests/e2e/test_guided.py (Linux, a pseudo-terminal) and
tests/win/test_guided_wine.py (the exe under Wine), so a change of the words
is made once. Each entry: (what is checked, a pattern in the text)."""
import re

HEALTHY = {
    "en": [("says what it checks", r"Checking alice@lab\.test\."),
           ("the answer comes first, in English", r"\nResult: Your e-mail works from this computer"),
           ("says what to send to support", r"Please send this file to your support team")],
    "de": [("the answer in German", r"\nErgebnis: Ihre E-Mail funktioniert von diesem Computer aus"),
           ("says what to send, in German", r"Bitte senden Sie diese Datei an Ihren Support")],
}


def check_healthy(T, lang, text):
    """One check per sentence the healthy answer in lang must show."""
    for what, pattern in HEALTHY[lang]:
        T.check(re.search(pattern, text) is not None, "%s: %s" % (lang, what), text[-600:])
