"""How the dashboard's browser tests and the screenshot script start Debian's Chromium: the
flags keep a headless browser from reaching for the network this machine does not have."""

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
