"""MkDocs hook: settings that depend on where the site is built.

- Offline copy (OFFLINE=true): drop instant navigation. It fetches pages with XHR, which
  browsers refuse on file:// URLs; the offline plugin keeps search working there.
- No repository address (REPO_URL unset, as on a contributor's machine): no edit link, rather
  than a link to nowhere.
"""

import os


def on_config(config):
    if os.environ.get("OFFLINE", "").lower() in ("1", "true", "yes"):
        features = config.theme.get("features", [])
        config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
    if not config.repo_url:
        config.edit_uri = None
    return config
