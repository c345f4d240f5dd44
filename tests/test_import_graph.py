"""The layers as the imports draw them: no import cycle among the bot's modules, no Telegram below the handlers
(outside the few modules that talk to the Bot API), and the services never import the handlers."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage")
# Below the handlers, only these speak python-telegram-bot: the application and its transport, the inbox and the
# outbox, the rate limiter, the menus, the typed context, the group gateway, the metrics and the command line.
TELEGRAM_ALLOWED = {
    "bot.__main__", "bot.app", "bot.commands", "bot.context", "bot.inbox", "bot.metrics", "bot.outbox",
    "bot.ratelimit", "bot.services", "bot.telegram_gateway", "bot.transport",
}  # fmt: skip


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The modules a module imports, those for type checking only included (a cycle there is one all the same)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {m for m in imports(path, name, known) if m in known and m != name} for name, path in known.items()}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the chain of modules, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_modules_import_each_other_without_a_cycle() -> None:
    edges = graph()
    assert len(edges) > 100  # the walk found the code
    assert cycle(edges) is None, " → ".join(cycle(edges) or [])


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_no_telegram_below_the_handlers_and_no_handlers_below_them() -> None:
    known = modules()
    for name, path in known.items():
        if name.startswith("handlers"):
            continue
        used = imports(path, name, known)
        if name not in TELEGRAM_ALLOWED:
            assert not {m for m in used if m == "telegram" or m.startswith("telegram.")}, name
        assert not {m for m in used if m.startswith("handlers")} or name in ("bot.app",), name
