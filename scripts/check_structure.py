"""Structure check run by `make lint`: no import circles, small modules, small folders.

Limits: a module ≤ 400 lines (migrations aside), a folder ≤ 15 modules, a script ≤ 600 lines,
no package left empty. Import circles are found on module-level imports (Tarjan's SCCs).
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

MAX_MODULE_LINES = 400
MAX_SCRIPT_LINES = 600
MAX_FOLDER_MODULES = 15


def _modules(root: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {t for t in found if t in known and t != name and not name.startswith(t + ".")}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in graph:
        if v not in index:
            visit(v)
    return found


def problems(root: Path) -> list[str]:
    """Every breach of the limits under the package at `root`."""
    mods = _modules(root)
    graph = {name: _imports(name, path, mods) for name, path in mods.items()}
    out = [f"import circle: {' -> '.join(c)}" for c in _cycles(graph)]
    for name, path in sorted(mods.items()):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            out.append(f"{name} has {lines} lines (> {MAX_MODULE_LINES})")
        if path.name == "__init__.py" and not any(
            p for p in path.parent.iterdir() if p.name != "__init__.py" and p.name != "__pycache__"
        ):
            out.append(f"{name} is an empty package")
    folders = Counter(p.parent for p in mods.values() if p.name != "__init__.py")
    out += [
        f"{folder.relative_to(root.parent)}/ holds {n} modules (> {MAX_FOLDER_MODULES})"
        for folder, n in sorted(folders.items())
        if n > MAX_FOLDER_MODULES
    ]
    for script in sorted(root.rglob("*.js")):
        lines = len(script.read_text(encoding="utf-8").splitlines())
        if lines > MAX_SCRIPT_LINES:
            out.append(
                f"{script.relative_to(root.parent)} has {lines} lines (> {MAX_SCRIPT_LINES})"
            )
    return out


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "src/belowline")
    found = problems(root)
    for line in found:
        print(f"structure: {line}")  # noqa: T201
    print(f"structure: {len(_modules(root))} modules, {len(found)} problems")  # noqa: T201
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
