"""Packaging beyond what pyproject.toml can say: the top-level folders travel in the wheel.

The repository keeps the design card's layout (`config.py`, `templates/`, `static/` and
`migrations/` beside `portal/`). An installed portal needs them too, so the wheel carries
`config.py` as a module and the three folders as `portal/templates`, `portal/static` and
`portal/migrations` (`portal.asset_dir` finds either). `setuptools` cannot combine
`packages.find` with extra mapped packages in pyproject.toml alone, hence this file. The
compiled catalogues (`.mo`) are not kept in git, so the build compiles them.
"""

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ASSETS = {"portal.templates": "templates", "portal.static": "static",
          "portal.migrations": "migrations"}


class BuildWithCatalogues(build_py):
    """Copy the package, then compile each translation catalogue into it."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path("portal/translations").glob("*/LC_MESSAGES/messages.po"):
            target = Path(self.build_lib) / po.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source, target.open("wb") as out:
                write_mo(out, read_po(source))


setup(
    cmdclass={"build_py": BuildWithCatalogues},
    py_modules=["config"],
    packages=[*find_packages(include=["portal", "portal.*"]), *ASSETS],
    package_dir={"": ".", **ASSETS},
    package_data={
        "portal": ["demo/*.json", "demo/*.md", "translations/*/LC_MESSAGES/*.po", "auth/data/*"],
        "portal.templates": ["**/*.html"],
        "portal.static": ["**/*"],
        "portal.migrations": ["*.py", "*.ini", "*.mako", "README", "versions/*.py"],
    },
)
