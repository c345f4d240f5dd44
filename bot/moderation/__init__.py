"""Moderation: roles, sanctions, word filters, the review queue, reports and the audit log."""
