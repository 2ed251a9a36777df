"""OAuth: the Slack install (slack.py) and the Salesforce / Smartsheet connect flows."""
