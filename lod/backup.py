"""``lod backup`` / ``lod restore``: the whole platform in one file, into either kind of store.

A backup is a ``.tar.gz`` with

* ``store.nq``: every named graph of the store as N-Quads (``Store.dump``),
* ``files/``: the published files (``LOD_HOME/files``),
* ``settings.json``: the settings it was taken with (credentials left out), for reference.

``restore`` replaces the store's graphs with the backup's in one atomic ``replace_graphs``
(graphs the backup lacks are dropped in the same step), then puts the files in place. The
IRIs in the store are built from ``LOD_BASE_URL``, so a backup restores only under the same
base URL. The store kinds need not match: a backup of the embedded store restores into
Virtuoso and the reverse.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

import pyoxigraph as ox

from .errors import BadInput
from .formats import BY_NAME
from .settings import SETTINGS
from .store import GraphSource, Store

SECRET = {"store_password", "store_token", "store_user"}


def backup(store: Store, settings, target: Path) -> dict:
    """Write the backup of the store and the published files to `target` (.tar.gz)."""
    target = Path(target)
    files = settings.home_path / "files"
    with tempfile.TemporaryDirectory(dir=target.parent if target.parent.exists() else None) as tmp:
        dump = Path(tmp) / "store.nq"
        with open(dump, "wb") as out:
            store.dump(out, BY_NAME["nq"])
        values = {s.name: settings.values[s.name] for s in SETTINGS if s.name not in SECRET}
        (Path(tmp) / "settings.json").write_text(
            json.dumps(values, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(dump, "store.nq")
            tar.add(Path(tmp) / "settings.json", "settings.json")
            if files.is_dir():
                tar.add(files, "files")
        os.replace(partial, target)
    return {"graphs": len(store.named_graphs()), "file": str(target)}


def restore(store: Store, settings, source: Path) -> dict:
    """Replace the store's graphs and the published files with the backup's."""
    source = Path(source)
    if not source.is_file():
        raise BadInput("backup file not found", where=str(source))
    home = settings.home_path
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=home) as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(source, "r:gz") as tar:
                tar.extractall(work, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BadInput(f"not a lod backup: {exc}", where=str(source)) from None
        if not (work / "store.nq").is_file():
            raise BadInput("not a lod backup: store.nq is missing", where=str(source))
        taken = json.loads((work / "settings.json").read_text(encoding="utf-8"))
        if str(taken.get("base_url", "")).rstrip("/") != settings.base:
            raise BadInput(
                f"the backup was taken under LOD_BASE_URL={taken.get('base_url')!r}, "
                f"this installation is {settings.base!r}",
                where=str(source),
                hint="restore with the backup's LOD_BASE_URL: every IRI in the store is built "
                "from it",
            )
        graphs = _split_by_graph(work / "store.nq", work / "graphs")
        sources: dict[str, GraphSource | None] = {g: None for g in store.named_graphs()}
        sources.update({g: GraphSource(BY_NAME["nt"], path=p) for g, p in graphs.items()})
        store.replace_graphs(sources)
        files = home / "files"
        old = home / "files.old"
        shutil.rmtree(old, ignore_errors=True)
        if files.exists():
            os.rename(files, old)
        if (work / "files").is_dir():
            os.rename(work / "files", files)
        else:
            files.mkdir()
        shutil.rmtree(old, ignore_errors=True)
    return {"graphs": len(graphs)}


def _split_by_graph(nquads: Path, folder: Path) -> dict[str, Path]:
    """One N-Triples file per named graph (the default graph's triples are not kept)."""
    folder.mkdir()
    outputs: dict[str, tuple[Path, object]] = {}
    try:
        with open(nquads, "rb") as data:
            for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
                if not isinstance(quad.graph_name, ox.NamedNode):
                    continue
                name = quad.graph_name.value
                if name not in outputs:
                    path = folder / f"{len(outputs)}.nt"
                    outputs[name] = (path, open(path, "wb"))
                outputs[name][1].write(str(quad.triple).encode("utf-8") + b" .\n")  # type: ignore[attr-defined]
    finally:
        for _, handle in outputs.values():
            handle.close()  # type: ignore[attr-defined]
    return {name: path for name, (path, _) in outputs.items()}
