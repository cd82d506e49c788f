"""Every module of the library imports, and every package the project's code imports is one
that pyproject.toml declares, so a fresh environment made from it can run all of it."""
from __future__ import annotations

import ast
import importlib
import importlib.metadata as md
import importlib.util
import pkgutil
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["extract", "evaluation"]
# code whose imports must be declared: the library, the command line, benchmarks, tests, label tools
CODE = [ROOT / "extract", ROOT / "evaluation", ROOT / "benchmarks", ROOT / "tests",
        ROOT / "corpus", ROOT / "run_extract.py"]


def _modules() -> list[str]:
    names = []
    for pkg in PACKAGES:
        names.append(pkg)
        path = [str(ROOT / pkg)]
        names += [m.name for m in pkgutil.walk_packages(path, prefix=pkg + ".")]
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_every_module_imports(name):
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as e:
        pytest.fail(f"{name} cannot be imported: package {e.name!r} is not installed "
                    "(declare it in pyproject.toml)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    """The distributions pyproject.toml asks for, in the default set and in every extra."""
    requires = md.requires("report-figures") or []
    return {_canonical(re.match(r"[A-Za-z0-9._-]+", r).group()) for r in requires}


def _local_names() -> set[str]:
    """Top-level names that are the project's own (packages, scripts and test modules)."""
    names = set(PACKAGES)
    for base in CODE:
        files = [base] if base.is_file() else base.rglob("*.py")
        names |= {f.stem for f in files}
    return names


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def test_every_imported_package_is_declared():
    """Imports inside functions count too: the module import above does not reach them."""
    providers = md.packages_distributions()
    declared = _declared()
    local = _local_names()
    problems = []
    for base in CODE:
        for path in ([base] if base.is_file() else sorted(base.rglob("*.py"))):
            for top, line in _imports(path):
                if top in sys.stdlib_module_names or top in local or top == "__future__":
                    continue
                where = f"{path.relative_to(ROOT)}:{line}"
                if importlib.util.find_spec(top) is None:
                    problems.append(f"{where}: package {top!r} is not installed")
                    continue
                dists = {_canonical(d) for d in providers.get(top, [])}
                if not dists & declared:
                    problems.append(f"{where}: {top!r} (from {sorted(dists) or '?'}) is not declared "
                                    "in pyproject.toml")
    assert not problems, "\n".join(sorted(set(problems)))
