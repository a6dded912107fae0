"""The provincial PII workspace: a Django project over the engine and the analysis.

Nothing below ``piiplan.web`` is imported by ``piiplan.engine`` or ``piiplan.analysis``.
"""
