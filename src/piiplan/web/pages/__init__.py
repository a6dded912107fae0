"""Read-only pages: the base layout, navigation and the home page."""
