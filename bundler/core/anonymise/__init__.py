"""Anonymisation: the register's targets, detection, DOCX and PDF redaction, the leak gate."""
