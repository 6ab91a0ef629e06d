#!/usr/bin/env python3
"""Live-figure latency as a reader feels it: JupyterLab in headless Chromium.

    .venv/bin/python benchmarks/latency_lab.py                 # every chapter, table written
    .venv/bin/python benchmarks/latency_lab.py star ising      # some chapters, table not written

Starts JupyterLab (``--expose-app-in-browser``) on a copy of ``chapters/`` (so autosave cannot
touch the repository), opens each chapter in headless Chromium with Playwright, runs all
cells, waits until the page has settled (no main-thread task over 50 ms for 3 s: see
``wait_quiet``), then, for every slider of every explorer, presses the arrow key on the slider's
handle and times **key press -> new image in the page** (the widget's ``<img>`` replaced and
decoded). Each slider is stepped at least 5 times (away from the end it stands at, then back,
...); the median and the worst are kept. A step that gets no image within 10 s is reported with
the page's state and a screenshot in the temporary directory.
Budgets (issue 18): a curve <= 0.1 s; a map <= 0.3 s. Results: ``benchmarks/latency_lab.json``
and the table ``benchmarks/latency_lab.md`` (included by the page *How fast, and why*).
"""
from __future__ import annotations

import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
BIN = Path(sys.executable).parent
CHAPTERS = ["ergotropy", "master_equations", "open_systems", "ising", "spin_chain", "coupled_qubits", "star", "dot_negf", "compare"]
STEPS = 10
TRACE = Path(tempfile.gettempdir()) / f"qb-latency-trace-{os.getpid()}.jsonl"  # kernel-side times per redraw
CURVE_BUDGET, MAP_BUDGET = 0.1, 0.3

# In the page: every explorer widget (a VBox whose last child is the caption) with its sliders.
# The code cells whose outputs hold a widget (an explorer), by index in the notebook.
WIDGET_CELLS_JS = r"""() => {
  const nb = window.jupyterapp.shell.currentWidget.content, out = [];
  nb.widgets.forEach((c, i) => {
    const o = c.model.type === 'code' ? c.model.outputs : null;
    if (!o) return;
    for (let k = 0; k < o.length; k++)
      if (o.get(k).data['application/vnd.jupyter.widget-view+json']) { out.push(i); break; }
  });
  return out;
}"""

# Scroll cell i into view (only cells in view are in the page with windowing "full").
SCROLL_JS = r"""async (i) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  await nb.scrollToItem(i, 'auto', 0, 'start');
  nb.widgets[i].node.scrollIntoView({block: 'start'});
}"""

# In cell i: every explorer widget (a VBox whose last child is the caption) with its sliders.
FIND_JS = r"""(cell) => {
  const out = [];
  const nb = window.jupyterapp.shell.currentWidget.content;
  nb.widgets[cell].node.querySelectorAll('.jp-OutputArea-output .widget-vbox').forEach((box, j) => {
    if (box.parentElement.closest('.widget-vbox')) return;             // outer boxes only
    const img = box.querySelector('.widget-html img');
    if (!img) return;
    const i = 1000 * cell + j;
    box.setAttribute('data-qb-bench', String(i));
    const caption = (box.lastElementChild.textContent || '').trim().slice(0, 70);
    const sliders = Array.from(box.querySelectorAll('.widget-slider')).map(s =>
      (s.querySelector('.widget-label') || {}).textContent || '?');
    // the widget says under the figure when its sliders redraw only on release (its own timing)
    const released = (box.lastElementChild.textContent || '').includes('when released');
    out.push({box: i, caption, sliders, kind: img.dataset.kind || 'curve', follows: !released});
  });
  return out;
}"""

# Press an arrow key on slider k of box b and resolve with the time until the new image is shown.
STEP_JS = r"""async ([b, k, key]) => {
  const box = document.querySelector(`[data-qb-bench="${b}"]`);
  const slider = box.querySelectorAll('.widget-slider')[k];
  const handle = slider.querySelector('.noUi-handle');
  const html = box.querySelector('.widget-html img').closest('.widget-html');
  const before = html.querySelector('img') ? html.querySelector('img').src : '';
  return await new Promise(resolve => {
    let t0 = 0;
    let tMut = null;
    const done = async () => {
      const img = html.querySelector('img');
      if (!img || img.src === before) return false;
      tMut = Date.now() / 1000;
      try { await img.decode(); } catch (e) {}
      obs.disconnect(); clearTimeout(timer);
      resolve({seconds: (performance.now() - t0) / 1000, t_key: window.qbKeyEpoch, t_shown: Date.now() / 1000,
               t_msg: window.qbBigMsg || null, t_mut: tMut});
      return true;
    };
    const obs = new MutationObserver(() => { done(); });
    obs.observe(html, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    const timer = setTimeout(() => { obs.disconnect(); resolve({seconds: null}); }, 10000);
    if (document.activeElement !== handle) handle.focus({preventScroll: true});
    t0 = performance.now();
    window.qbKeyEpoch = Date.now() / 1000;
    handle.dispatchEvent(new KeyboardEvent('keydown', {key, code: key, keyCode: key === 'ArrowRight' ? 39 : 37,
                                                       which: key === 'ArrowRight' ? 39 : 37, bubbles: true}));
  });
}"""


# Whether the explorer in box b follows the drag now (the widget revises this from its redraw times and
# says under the figure when its sliders redraw only on release).
FOLLOWS_JS = r"""(b) => !(document.querySelector(`[data-qb-bench="${b}"]`).lastElementChild.textContent || '')
  .includes('when released')"""

# Whether slider k of box b stands at its upper end.
AT_MAX_JS = r"""([b, k]) => {
  const h = document.querySelector(`[data-qb-bench="${b}"]`).querySelectorAll('.widget-slider')[k].querySelector('.noUi-handle');
  return parseFloat(h.getAttribute('aria-valuenow')) >= parseFloat(h.getAttribute('aria-valuemax'));
}"""

# What the page shows when a step got no new image: kernel status, the explorer's message, box present.
STATE_JS = r"""(b) => {
  const w = window.jupyterapp.shell.currentWidget, k = w.sessionContext.session && w.sessionContext.session.kernel;
  const box = document.querySelector(`[data-qb-bench="${b}"]`);
  return {kernel: k ? k.status : null, box: !!box, connected: box ? box.isConnected : false,
          message: box ? (box.querySelector('.widget-html:not(:has(img))') || {}).textContent || '' : '',
          errors: Array.from(document.querySelectorAll('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'))
                  .map(e => e.textContent.slice(0, 200)).slice(0, 3)};
}"""


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_lab(workdir: Path) -> tuple[subprocess.Popen, str]:
    port, token = free_port(), "qbbench"
    settings = workdir / ".settings"
    (settings / "@jupyterlab" / "docmanager-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings").write_text(
        json.dumps({"autosave": False}))
    # JupyterLab's settings are the reader's: binder/overrides.json, which dev.py installs into
    # .venv (the arrow keys stay with a focused slider). WINDOWING=<mode> measures another notebook
    # windowing mode than JupyterLab's default ("contentVisibility").
    if os.environ.get("WINDOWING"):
        (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
        (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
            json.dumps({"windowingMode": os.environ["WINDOWING"]}))
    env = dict(os.environ, QBCORE_VIZ="live", MPLBACKEND="Agg", JUPYTERLAB_SETTINGS_DIR=str(settings),
               QBCORE_LATENCY_TRACE=str(TRACE),
               JUPYTERLAB_WORKSPACES_DIR=str(workdir / ".workspaces"),
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    env.pop("QBCORE_VIZ_CHECK", None)
    proc = subprocess.Popen(
        [BIN / "jupyter", "lab", "--no-browser", f"--port={port}", f"--ServerApp.token={token}",
         "--ServerApp.password=", f"--ServerApp.root_dir={workdir}", "--expose-app-in-browser",
         "--ServerApp.disable_check_xsrf=True", "--allow-root", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"{url}/lab/tree/%s?reset&token={token}"  # reset: no tabs restored
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("JupyterLab did not start")


def wait_quiet(page, quiet_ms: int = 3000, max_ms: int = 90000) -> float:
    """Wait until the page's main thread has had no long task (> 50 ms) for ``quiet_ms``.

    After a chapter is opened and run, JupyterLab keeps rendering for a while: the notebook's
    windowing renders the remaining cells when idle, and jupyterlab-myst re-renders every
    markdown cell of the notebook whenever one more is rendered (tens of seconds for a long
    chapter, every key press waiting behind it). A reader who has read down to a figure meets a
    settled page; so does this benchmark. Returns the seconds waited.
    """
    t0 = time.perf_counter()
    while (time.perf_counter() - t0) * 1000 < max_ms:
        if page.evaluate(f"performance.now() - window.qbLastLong > {quiet_ms}"):
            break
        page.wait_for_timeout(250)
    return time.perf_counter() - t0


def run_chapter(browser, url_tpl: str, name: str) -> list[dict]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    # the arrival time of the last large websocket message (a new image), for the breakdown
    page.add_init_script("""(() => { const WS = window.WebSocket;
      window.WebSocket = function (...a) { const ws = new WS(...a);
        ws.addEventListener('message', e => { const n = e.data.length || e.data.size || e.data.byteLength || 0;
          if (n > 5000) window.qbBigMsg = Date.now() / 1000; });
        return ws; };
      window.WebSocket.prototype = WS.prototype; Object.assign(window.WebSocket, WS); })();""")
    # the end of the last long task (> 50 ms) on the page's main thread: see wait_quiet
    page.add_init_script("""window.qbLastLong = 0; new PerformanceObserver(l => { for (const e of l.getEntries())
      window.qbLastLong = Math.max(window.qbLastLong, e.startTime + e.duration); }).observe({entryTypes: ['longtask']});""")
    page.goto(url_tpl % f"{name}.ipynb", wait_until="load")
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=120000)
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
        const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
        return k && k.status === 'idle'; }""", timeout=120000, polling=500)  # the kernel is ready
    t0 = time.perf_counter()
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(2000)
    try:
        page.wait_for_function("""() => { const p = Array.from(document.querySelectorAll(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputArea-prompt'));
            const code = Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell'));
            const last = code.length ? code[code.length - 1].querySelector('.jp-InputArea-prompt') : null;
            return p.length > 0 && p.every(e => !e.textContent.includes('*'))
                   && last && /\[\d+\]/.test(last.textContent); }""", timeout=240000, polling=1000)
    except Exception:
        shot = Path(tempfile.gettempdir()) / f"latency_lab_{name}_stuck.png"
        page.screenshot(path=str(shot))
        page.close()
        raise RuntimeError(f"{name}: the notebook did not finish running in 240 s (screenshot {shot})")
    run_s = time.perf_counter() - t0
    settle_s = wait_quiet(page)
    rows = []
    found = []
    for cell in page.evaluate(WIDGET_CELLS_JS):
        page.evaluate(SCROLL_JS, cell)
        exs = []
        for _ in range(40):  # the cell's widget views attach (up to 20 s)
            page.wait_for_timeout(500)
            exs = page.evaluate(FIND_JS, cell)
            if exs:
                break
        if not exs:
            print(f"  cell {cell}: no explorer image appeared in 20 s", flush=True)
        found += [(cell, ex) for ex in exs]
    for cell, ex in found:
        page.evaluate(SCROLL_JS, cell)
        page.wait_for_timeout(800)
        wait_quiet(page, quiet_ms=1500)
        if not page.evaluate(f"!!document.querySelector('[data-qb-bench=\"{ex['box']}\"]')"):
            page.evaluate(FIND_JS, cell)  # the views were re-attached: mark them again
        for k, label in enumerate(ex["sliders"]):
            times, parts = [], []
            # the first step moves away from the end the slider stands at (a step beyond it changes nothing)
            at_max = page.evaluate(AT_MAX_JS, [ex["box"], k])
            for step in range(STEPS):
                key = "ArrowRight" if (step % 2 == 0) != at_max else "ArrowLeft"
                TRACE.write_text("")
                r = page.evaluate(STEP_JS, [ex["box"], k, key])
                if r["seconds"] is None:  # no new image within 10 s: say why, keep the evidence
                    state = page.evaluate(STATE_JS, ex["box"])
                    shot = Path(tempfile.gettempdir()) / f"latency_lab_{name}_timeout.png"
                    page.screenshot(path=str(shot))
                    print(f"  timeout on {label.strip()}: {state} (screenshot {shot})", flush=True)
                times.append(r["seconds"])
                page.wait_for_timeout(250)
                lines = [json.loads(l) for l in TRACE.read_text().splitlines() if l.strip()]
                if r["seconds"] is not None and lines:
                    t = lines[0]  # the redraw this key press caused
                    msg = r["t_msg"] if r["t_msg"] and r["t_msg"] > t["t_in"] else float("nan")
                    parts.append((t["t_in"] - r["t_key"], t["t_out"] - t["t_in"], r["t_shown"] - t["t_out"],
                                  t["render_s"], len(lines), msg - t["t_out"], r["t_shown"] - msg,
                                  r["t_shown"] - (r["t_mut"] or float("nan"))))
            got = [t for t in times if t is not None]
            split = {}
            if parts:
                for i, key in enumerate(("to_kernel_s", "in_kernel_s", "to_image_s", "render_s", "redraws",
                                         "out_to_ws_s", "ws_to_shown_s", "decode_s")):
                    split[key] = statistics.median(p[i] for p in parts)
            budget = MAP_BUDGET if ex["kind"] == "map" else CURVE_BUDGET
            rows.append({"chapter": name, "caption": ex["caption"], "slider": label.strip(), "kind": ex["kind"],
                         "budget_s": budget, "follows_drag": page.evaluate(FOLLOWS_JS, ex["box"]),
                         "steps": len(times), "answered": len(got),
                         "median_s": statistics.median(got) if got else None,
                         "worst_s": max(got) if got else None, "run_all_s": run_s, "settle_s": settle_s, **split})
            print(f"{name:15s} {label.strip()[:14]:14s} median {rows[-1]['median_s']} worst {rows[-1]['worst_s']}  "
                  + " ".join(f"{k} {v:.3f}" for k, v in split.items()) + f"  {ex['caption'][:40]}", flush=True)
    page.evaluate("window.jupyterapp.commands.execute('kernelmenu:shutdown')")
    page.wait_for_timeout(1000)
    page.close()
    return rows


def write_tables(rows: list[dict]) -> None:
    meta = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d")}
    (HERE / "latency_lab.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    lines = [f"Measured {meta['date']} in JupyterLab (headless Chromium, Playwright) on {meta['machine']}, "
             f"Python {meta['python']}: key press on a slider -> new image shown, {STEPS} steps per slider.",
             "", "| chapter | explorer | slider | kind | follows the drag | median (ms) | worst (ms) | in kernel (ms) | budget (ms) | median within |",
             "|---|---|---|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        med = "—" if r["median_s"] is None else f"{1000 * r['median_s']:.0f}"
        worst = "—" if r["worst_s"] is None else f"{1000 * r['worst_s']:.0f}"
        ok = "—" if r["median_s"] is None else ("yes" if r["median_s"] <= r["budget_s"] else "**no**")
        cap = re.sub(r"\\[()]|[{}_^$]", "", r["caption"])                    # plain words, no TeX
        cap = re.sub(r"\\([A-Za-z]+)", r"\1", cap)[:48].replace("|", "/")
        kern = f"{1000 * r['in_kernel_s']:.0f}" if r.get("in_kernel_s") is not None else "—"
        slider = r["slider"].replace("|", "\\|")
        follows = {True: "yes", False: "on release", None: "—"}[r.get("follows_drag")]
        lines.append(f"| {r['chapter']} | {cap} | {slider} | {r['kind']} | {follows} | {med} | {worst} | {kern} | "
                     f"{1000 * r['budget_s']:.0f} | {ok} |")
    lines += ["", "*follows the drag*: after the steps, the widget's sliders redraw while dragged rather than "
              "when released (the widget's own choice: a slider step within the budget, timed at start-up and "
              "then over its last five redraws); arrow keys redraw at every press either way. "
              "*in kernel*: median time from the kernel receiving the new value to the new image sent "
              "(recomputation, drawing, encoding); the rest of the median is the way there and back "
              "(JupyterLab's server, the websocket) and the browser decoding and showing the image."]
    table = "\n".join(lines) + "\n"
    (HERE / "latency_lab.md").write_text(table)
    # the same table as a section of benchmarks/results.md (between markers; run_all.py keeps it)
    res = HERE / "results.md"
    text = res.read_text() if res.exists() else ""
    start, end = "<!-- latency_lab: start -->", "<!-- latency_lab: end -->"
    section = f"{start}\n\n**Key press to new image in JupyterLab** (`benchmarks/latency_lab.py`)\n\n{table}\n{end}"
    if start in text and end in text:
        text = text[:text.index(start)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    res.write_text(text)


def main(argv: list[str]) -> int:
    names = argv or CHAPTERS
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="qb-lab-"))
    shutil.copytree(ROOT / "chapters", work / "chapters")
    proc, url_tpl = start_lab(work / "chapters")
    rows: list[dict] = []
    try:
        with sync_playwright() as p:
            chromium = shutil.which("chromium") or shutil.which("chromium-browser")
            browser = p.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            for name in names:
                try:
                    rows += run_chapter(browser, url_tpl, name)
                except Exception as exc:  # a page that hung: say so, and open the chapter once more
                    print(f"{name}: {exc}; trying once more", flush=True)
                    rows += run_chapter(browser, url_tpl, name)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    if not argv:
        write_tables(rows)
    bad = [r for r in rows if r["median_s"] is None]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
