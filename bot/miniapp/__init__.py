"""The discussion as a Telegram Mini App: a web page Telegram opens over the chat, and its JSON API."""
