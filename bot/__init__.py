"""Goftogu: the bot application, its services and the Persian text engine."""
