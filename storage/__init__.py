"""SQLite storage: the connection owner, numbered migrations and one repository per aggregate."""
