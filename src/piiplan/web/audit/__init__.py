"""Append-only audit log and the soft-delete pattern.

Other apps call :func:`piiplan.web.audit.record` (re-exported here lazily so importing the
package does not need the app registry).
"""


def record(*args, **kwargs):
    from piiplan.web.audit.log import record as _record

    return _record(*args, **kwargs)
