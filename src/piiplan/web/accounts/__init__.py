"""Users, roles, agencies, login and the single access helper (``access.py``)."""
