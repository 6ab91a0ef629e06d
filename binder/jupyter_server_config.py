"""Jupyter server configuration of the book's reader environment (Binder, and .venv via dev.py).

Saving a chapter must not rewrite it. JupyterLab, on opening a notebook, starts its kernel and
copies the kernel's full ``language_info`` (with the Python patch version) into the notebook's
metadata; after a live run the saved file would also carry ipywidgets views whose models exist only
in that session (reopened, they show "Error displaying widget: model not found"). This hook, run
on every save, keeps the stored form of the chapters (what ``python3 dev.py store`` writes):

* ``metadata.language_info`` of a Python notebook is ``{"name": "python"}``;
* no widget state in the metadata, no widget views in outputs (qbcore's figures keep their static
  rendering and PNG in the same output, which is shown instead).

tests/test_jupyterlab.py checks it through the server's contents API.
"""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def keep_stored_form(model, **kwargs):
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    nb = model["content"]
    meta = nb.setdefault("metadata", {})
    meta.pop("widgets", None)
    if meta.get("language_info", {}).get("name") == "python":
        meta["language_info"] = {"name": "python"}
    for cell in nb.get("cells", []):
        outputs = []
        for out in cell.get("outputs", []):
            data = out.get("data")
            if isinstance(data, dict) and WIDGET_VIEW in data:
                data.pop(WIDGET_VIEW)
                if not data:
                    continue
            outputs.append(out)
        if "outputs" in cell:
            cell["outputs"] = outputs


c = get_config()  # noqa: F821 (defined by the Jupyter config loader)
c.ContentsManager.pre_save_hook = keep_stored_form
