"""Headless Chromium driven over its DevTools protocol on a pipe
(--remote-debugging-pipe: commands on the child's fd 3, answers on fd 4,
each a JSON message ended by a NUL byte). No package beyond Debian's
chromium: a page is loaded at a given viewport (a phone width emulates a
mobile device, so the page's viewport meta counts), a JS expression is
evaluated in it and a PNG is taken. Every read has a deadline; stop() ends
the browser by its pid.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-pipe"]
MAX_MESSAGE = 64 * 1024 * 1024
SHOT_MAX_HEIGHT = 6000  # a full-page PNG is cut here


class BrowserError(Exception):
    pass


class Browser:
    def __init__(self, profile, limit=20.0):
        exe = shutil.which("chromium")
        if exe is None:
            raise BrowserError("chromium is not installed (apt-get install chromium)")
        self.limit = limit
        to_child, self.w = os.pipe()
        self.r, from_child = os.pipe()

        def fds():  # in the child: its fd 3 reads commands, fd 4 writes answers
            a, b = os.dup(to_child), os.dup(from_child)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.p = subprocess.Popen([exe] + FLAGS + ["--user-data-dir=" + profile, "about:blank"],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, preexec_fn=fds, pass_fds=(3, 4))
        os.close(to_child)
        os.close(from_child)
        self.buf = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]
        self.call("Page.enable", session=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.r], [], [], left)[0]:
                raise BrowserError("no answer from Chromium in time")
            chunk = os.read(self.r, 1 << 16)
            if not chunk:
                raise BrowserError("Chromium closed its pipe")
            self.buf += chunk
            if len(self.buf) > MAX_MESSAGE:
                raise BrowserError("Chromium's message is too large")
        msg, _, self.buf = self.buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method, session=False, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.limit
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise BrowserError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m["method"])

    def _wait_event(self, name):
        deadline = time.monotonic() + self.limit
        while name not in self.events:
            m = self._read_message(deadline)
            if "method" in m:
                self.events.append(m["method"])

    def load(self, url, width, height=800):
        """url at a viewport of width x height CSS pixels (mobile below 600)."""
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width,
                  height=height, deviceScaleFactor=1, mobile=width < 600)
        self.events = []
        self.call("Page.navigate", session=True, url=url)
        self._wait_event("Page.loadEventFired")

    def eval(self, expression):
        r = self.call("Runtime.evaluate", session=True, expression=expression,
                      returnByValue=True)
        if "exceptionDetails" in r:
            raise BrowserError("JS: %s" % r["exceptionDetails"].get("text"))
        return r["result"].get("value")

    def screenshot(self, path):
        """The whole page (cut at SHOT_MAX_HEIGHT) as a PNG."""
        size = self.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"],
                "height": min(size["height"], SHOT_MAX_HEIGHT), "scale": 1}
        r = self.call("Page.captureScreenshot", session=True, format="png", clip=clip,
                      captureBeyondViewport=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(r["data"]))

    def stop(self):
        for fd in (self.w, self.r):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


# What a page check reads: where the element sel ends (document
# coordinates) and its text, the page's width against the viewport's, and
# the elements that stick out on the right.
LAYOUT_JS = """(() => {
  const el = document.querySelector(%s);
  const r = el ? el.getBoundingClientRect() : null;
  const wide = [];
  for (const e of document.body.querySelectorAll('*')) {
    const b = e.getBoundingClientRect();
    if (b.right > innerWidth + 1 && wide.length < 5)
      wide.push(e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(b.right));
  }
  return {found: !!el, bottom: r ? r.bottom + scrollY : null,
          text: el ? el.innerText.slice(0, 300) : '', cls: el ? el.className : '',
          scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth,
          wide: wide};
})()"""


def layout(browser, selector):
    return browser.eval(LAYOUT_JS % json.dumps(selector))
