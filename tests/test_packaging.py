"""The wheel ships the stylesheets, and the app finds them from a checkout and from a wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import sys, tui, tui.ui.paths as p; "
    "print(tui.__file__); print(p.styles_dir()); print(len(p.stylesheets()))"
)


def build_wheel(dest: Path) -> Path:
    """Build with hatchling directly (fast, no network); pip as a fallback."""
    try:
        import hatchling  # noqa: F401

        cmd = [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(dest)]
    except ImportError:
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dest), "."]  # fmt: skip
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    wheels = list(dest.glob("gateway_doctor-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("dist"))


def test_wheel_contains_styles_demo_and_entry_point(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    checkout_styles = sorted(p.name for p in (ROOT / "styles").glob("*.tcss"))
    assert "app.tcss" in checkout_styles
    assert sorted(n.split("/")[-1] for n in names if n.startswith("tui/styles/")) == checkout_styles
    for module in ("server", "http11", "scenarios", "responses", "streams", "handlers", "cli"):
        assert f"tui/demo/{module}.py" in names
    assert "tui/__main__.py" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "gateway-doctor = tui:entry" in zipfile.ZipFile(wheel).read(entry).decode()
    assert not any("__pycache__" in n or n.startswith("tests/") for n in names)


def test_styles_found_from_the_checkout(tmp_path):
    res = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr
    module, styles, count = res.stdout.splitlines()
    assert Path(styles) == ROOT / "styles"
    assert int(count) >= 1


def test_styles_found_from_the_installed_wheel(wheel, tmp_path):
    target = tmp_path / "site"
    res = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
         "--disable-pip-version-check", "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # -S: no site-packages, so the editable checkout cannot shadow the wheel.
    probe = subprocess.run(
        [sys.executable, "-S", "-c", PROBE],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    module, styles, count = probe.stdout.splitlines()
    assert Path(module).is_relative_to(target)
    assert Path(styles) == target / "tui" / "styles"
    assert int(count) == len(list((ROOT / "styles").glob("*.tcss")))


def test_demo_gateway_runs_from_the_installed_wheel(wheel, tmp_path):
    """The demo gateway needs only the standard library, so it runs from the bare wheel."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
         "--disable-pip-version-check", "--target", str(target), str(wheel)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    code = (
        "from tui.demo.server import DemoGateway; import urllib.request as u; "
        "g = DemoGateway(port=0).start_in_thread(); "
        "r = u.urlopen(u.Request(g.base_url + '/models', headers={'Authorization': 'Bearer k'})); "
        "print(r.status); g.stop()"
    )
    res = subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "200"
