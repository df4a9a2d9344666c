"""CMS families: functions that return a `Site` for one site on a shared platform, so a site module is a few lines.
Not site modules themselves (the registry only reads `SITE` from modules directly under crawler/sites/)."""
