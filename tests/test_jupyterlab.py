"""JupyterLab shows the book as the web page does, and opening and saving a chapter changes nothing.

A Jupyter server of the book's environment (.venv, configured by dev.py from
binder/jupyter_server_config.py, as Binder is by binder/postBuild) serves a copy of the chapters.
Each chapter is fetched through the contents API and saved back (a) unchanged and (b) as JupyterLab
saves it after opening it, when its kernel has filled in the full ``language_info``, with cell
sources as single strings; the file on disk must stay byte-identical. A notebook saved after a
live run loses its widget views and widget state (reopened, they would show "Error displaying
widget: model not found") and keeps the static rendering.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402

JUPYTER = Path(sys.executable).parent / "jupyter"
TOKEN = "qb-contents-test"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    for p in dev.chapter_notebooks():
        shutil.copy2(p, root / p.name)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [str(JUPYTER), "server", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(root / "server.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    base = f"http://127.0.0.1:{port}/api"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("jupyter server did not start: " + (root / "server.log").read_text()[-2000:])
    yield base, root
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def call(base, method, path, body=None):
    req = urllib.request.Request(f"{base}/contents/{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


def as_jupyterlab_saves_it(nb: dict) -> dict:
    """What JupyterLab sends after opening a notebook: its kernel's language_info, joined sources."""
    nb = json.loads(json.dumps(nb))
    nb["metadata"]["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
        "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3", "version": platform.python_version()}
    for c in nb["cells"]:
        c["source"] = "".join(c["source"])
    return nb


def test_server_configuration_is_installed_in_the_environment():
    installed = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.py"
    assert installed.is_file() and installed.read_bytes() == dev.SERVER_CONFIG.read_bytes(), \
        "python3 dev.py installs binder/jupyter_server_config.py into .venv"


def test_jupyterlab_myst_is_installed_and_enabled():
    out = subprocess.run([str(JUPYTER), "labextension", "list"], capture_output=True, text=True)
    text = out.stdout + out.stderr
    line = next((l for l in text.splitlines() if "jupyterlab-myst" in l), "")
    # (it works with JupyterLab 4.6; `labextension list` only warns that its declared @jupyter/ydoc range is older)
    assert "enabled" in line, text[-1500:]


@pytest.mark.parametrize("path", dev.chapter_notebooks(), ids=lambda p: p.name)
def test_open_and_save_changes_nothing(server, path):
    base, root = server
    before = (root / path.name).read_bytes()
    assert before == path.read_bytes()
    model = call(base, "GET", f"{path.name}?content=1&type=notebook")
    call(base, "PUT", path.name, {"type": "notebook", "format": "json", "content": model["content"]})
    assert (root / path.name).read_bytes() == before, f"{path.name}: a plain save rewrote the file"
    call(base, "PUT", path.name, {"type": "notebook", "format": "json",
                                  "content": as_jupyterlab_saves_it(model["content"])})
    assert (root / path.name).read_bytes() == before, f"{path.name}: saving after opening rewrote the file"


def test_saving_after_a_live_run_drops_widget_views_and_state(server):
    base, root = server
    nb = json.loads(dev.chapter_notebooks()[1].read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code" and c["execution_count"] == 1)
    code["outputs"] = [{"output_type": "display_data", "metadata": {}, "data": {
        WIDGET_VIEW: {"model_id": "0123abcd", "version_major": 2, "version_minor": 0},
        "text/html": "<div class=\"qb-explorer\">static</div>", "text/plain": "<interactive figure>"}},
        {"output_type": "display_data", "metadata": {}, "data": {WIDGET_VIEW: {"model_id": "ffff"}}}]
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    call(base, "PUT", "live.ipynb", {"type": "notebook", "format": "json", "content": nb})
    saved = (root / "live.ipynb").read_text(encoding="utf-8")
    assert WIDGET_VIEW not in saved and "widget-state" not in saved
    kept = json.loads(saved)["cells"][nb["cells"].index(code)]["outputs"]
    assert len(kept) == 1 and "".join(kept[0]["data"]["text/html"]).startswith("<div class=\"qb-explorer\">")


@pytest.mark.parametrize("path", dev.chapter_notebooks(), ids=lambda p: p.name)
def test_stored_chapters_carry_no_widget_views_or_state(path):
    text = path.read_text(encoding="utf-8")
    assert "widget-view+json" not in text and "widget-state+json" not in text
    nb = json.loads(text)
    assert "widgets" not in nb["metadata"] and nb["metadata"]["language_info"] == {"name": "python"}
    assert nb["nbformat"] == 4 and nb["nbformat_minor"] == 5 and all(c.get("id") for c in nb["cells"])
    assert text == json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", "nbformat's own layout"


def test_arrow_keys_on_a_slider_stay_with_the_slider():
    """JupyterLab binds ArrowLeft/ArrowRight (command mode) to moving between headings; pressed on an
    explorer's slider that also moved the active cell, at a cost of 80-150 ms per step. The book's
    JupyterLab settings (binder/overrides.json, installed into .venv by dev.py and by Binder's
    postBuild) disable exactly those default bindings and re-bind them away from sliders, buttons
    and text boxes."""
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.is_file() and installed.read_bytes() == dev.LAB_OVERRIDES.read_bytes()
    assert "binder/overrides.json" in (ROOT / "binder" / "postBuild").read_text()
    ours = json.loads(dev.LAB_OVERRIDES.read_text())["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    schema = next(Path(sys.prefix).glob("share/jupyter/lab/schemas/@jupyterlab/notebook-extension/tracker.json"))
    defaults = [s for s in json.loads(schema.read_text())["jupyter.lab.shortcuts"]
                if s["keys"] in (["ArrowLeft"], ["ArrowRight"])]
    assert len(defaults) == 2, defaults
    for d in defaults:
        off = [s for s in ours if s.get("disabled") and s["command"] == d["command"]]
        assert off and off[0]["keys"] == d["keys"] and off[0]["selector"] == d["selector"], \
            f"the default binding of {d['command']} changed: {d}"
        on = [s for s in ours if not s.get("disabled") and s["command"] == d["command"]]
        assert on and on[0]["selector"].startswith(d["selector"]) and ":not(.noUi-handle)" in on[0]["selector"]
