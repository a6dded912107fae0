"""Operations: instance state, backup and restore, orphan upload files (no views, commands only)."""
