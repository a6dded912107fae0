"""Frameworks, datasets, imports (preview → confirm, atomic), scenarios and the JSON API.

Other apps read the current numbers through :mod:`piiplan.web.indexdata.service`.
"""
