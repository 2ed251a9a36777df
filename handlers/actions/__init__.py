"""Buttons and menus: ack at once, do the work lazily, answer where the user clicked."""
