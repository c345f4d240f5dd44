"""News in and posts out: feeds, extraction, de-duplication, publishing."""
