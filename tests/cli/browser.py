#!/usr/bin/env python3
"""browser.py — opens a page in headless Chromium over the DevTools protocol (--remote-debugging-pipe: no
socket, no websocket) and prints one JSON object of what happened:

  {"errors": [...],    uncaught exceptions, console messages and log entries (CSP violations, failed loads)
   "requests": [...],  the URL of every request the page made, the page itself included
   "dialogs": [...],   alert/confirm/prompt messages (each is dismissed)
   "ready": bool,      the page's script finished (data-ready="yes" on <html>)
   "value": ...}       what the --eval expression returned (JSON-serialisable), else null

Usage: browser.py [--eval EXPRESSION] [--screenshot PNG --width W --height H] CHROMIUM URL
Python 3 standard library only.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 60.0


class Pipe:
    """The DevTools protocol over Chromium's fds 3 (commands in) and 4 (replies and events out), NUL-separated."""

    def __init__(self, chromium, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def child():
            # dup first: a pipe end that is already fd 3 or 4 would keep its close-on-exec flag through dup2.
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--disable-quic", "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=child)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.dialogs = []
        self.session = None

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        return self.next_id

    def receive(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply from chromium")
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if ready:
                chunk = os.read(self.from_chrome, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the pipe")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(message)
        if message.get("method") == "Page.javascriptDialogOpening":
            # A dialog blocks the page until it is answered: dismiss it at once, and remember it.
            self.dialogs.append(message.get("params", {}).get("message"))
            self.send("Page.handleJavaScriptDialog", {"accept": False}, self.session)
        return message

    def call(self, method, params=None, session=None):
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self.receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError("%s: %s" % (method, message["error"]))
                return message.get("result", {})
            self.events.append(message)

    def wait_event(self, method, seconds):
        """Waits up to seconds for an event; returns it or None. Events seen are kept in self.events."""
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + seconds
        while True:
            try:
                message = self.receive(deadline)
            except TimeoutError:
                return None
            self.events.append(message)
            if message.get("method") == method:
                return message

    def close(self):
        try:
            self.send("Browser.close")
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()
        os.close(self.to_chrome)
        os.close(self.from_chrome)


def main(argv):
    expression, screenshot, width, height = None, None, 1280, 1600
    args = argv[1:]
    while args and args[0].startswith("--"):
        option, value, args = args[0], args[1], args[2:]
        if option == "--eval":
            expression = value
        elif option == "--screenshot":
            screenshot = value
        elif option == "--width":
            width = int(value)
        elif option == "--height":
            height = int(value)
        else:
            sys.exit("browser.py: unknown option " + option)
    chromium, url = args
    profile = tempfile.mkdtemp(prefix="heapspurs-chromium-")
    pipe = Pipe(chromium, profile)
    result = {"errors": [], "requests": [], "dialogs": [], "ready": False, "value": None}
    try:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        pipe.session = session
        for domain in ("Page", "Runtime", "Log", "Network"):
            pipe.call(domain + ".enable", session=session)
        pipe.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
        pipe.call("Page.navigate", {"url": url}, session=session)
        if not pipe.wait_event("Page.loadEventFired", TIMEOUT):
            result["errors"].append("the page did not finish loading")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            ready = pipe.call("Runtime.evaluate", {"expression": "document.documentElement.dataset.ready === 'yes'",
                                                   "returnByValue": True}, session=session)
            if ready.get("result", {}).get("value") is True:
                result["ready"] = True
                break
            time.sleep(0.05)
        pipe.wait_event("heapspurs.never", 0.5)  # late errors and requests
        if expression:
            value = pipe.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
            if "exceptionDetails" in value:
                result["errors"].append("--eval threw: " + json.dumps(value["exceptionDetails"])[:500])
            result["value"] = value.get("result", {}).get("value")
        if screenshot:
            shot = pipe.call("Page.captureScreenshot", {"format": "png"}, session=session)
            with open(screenshot, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        for event in pipe.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                result["errors"].append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
            elif method == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                result["errors"].append("console.%s: %s" % (params.get("type"), text))
            elif method == "Log.entryAdded":
                entry = params["entry"]
                result["errors"].append("log %s (%s): %s" % (entry.get("level"), entry.get("source"), entry.get("text")))
            elif method == "Network.requestWillBeSent":
                result["requests"].append(params["request"]["url"])
        result["dialogs"] = pipe.dialogs
    except (TimeoutError, EOFError, RuntimeError, KeyError) as e:
        result["errors"].append("driver: %s: %s" % (type(e).__name__, e))
    finally:
        pipe.close()
        shutil.rmtree(profile, ignore_errors=True)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
