"""Pure Block Kit builders: typed values in, Slack JSON out (unit-tested against the
sandbox's Block Kit rules)."""
