"""The files readers can download: the edition's source files and the computed results.

CSV files are written as UTF-8 with a byte-order mark so that Excel opens the Chinese text
correctly. Every text cell of every CSV and JSON download that a spreadsheet would read as a
formula (=, +, -, @, tab, carriage return first; OWASP's rule) is written with a leading
apostrophe; numbers are left as they are. The JSON holds the whole edition (sources, facts,
domains, tiers, cities, ranks, scores and results). Output is deterministic. Reads the
edition's own files; writes nothing: the caller writes the bytes. No MkDocs.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd

from .labels import SIMULATED_LONG, UNVERIFIED, t
from .scoring import Results

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """A text cell that a spreadsheet would run as a formula, with a leading apostrophe.
    Numbers (and text that is a number, such as -3.5) are left alone."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    try:
        float(value)
        return value
    except ValueError:
        return "'" + value


def neutralize_all(data):
    """`neutralize` on every string in nested lists and dicts (JSON documents)."""
    if isinstance(data, dict):
        return {k: neutralize_all(v) for k, v in data.items()}
    if isinstance(data, list):
        return [neutralize_all(v) for v in data]
    return neutralize(data)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralize)
    return (BOM + safe.to_csv(index=False, lineterminator="\n", float_format="%.6g")).encode("utf-8")


def safe_csv_copy(raw: bytes, extra: tuple[str, str] | None = None) -> bytes:
    """A data file as readers download it: the same rows, formula cells neutralised, with a BOM;
    `extra` (header, value) adds a column with the same value on every row."""
    rows = [row for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")) if row]
    if extra and rows:
        rows = [rows[0] + [extra[0]]] + [row + [extra[1]] for row in rows[1:]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[neutralize(cell) for cell in row] for row in rows])
    return (BOM + out.getvalue()).encode("utf-8")


SCORE_BASIS = {"illustrative": "simulated", "published": "published"}


def results_frame(results: Results) -> pd.DataFrame:
    """One row per city of the site, each value beside its basis: the published rank (or
    `unverified`), the stage the rank implies (`derived`; `unverified` without a rank) and the
    scores (`simulated` for an edition whose scores were not published). No position among the
    site's cities: a score gives no place. Composite at full precision."""
    edition = results.edition
    t = results.table.copy()
    listed = t["listed"] & t["published_rank"].isna()
    t["rank_basis"] = t["rank_basis"].where(
        t["published_rank"].notna(), listed.map({True: "listed", False: "unverified"})
    )
    t["stage_zh"] = t["stage"].map(lambda x: edition.tier_by_id[x].zh if isinstance(x, str) else UNVERIFIED)
    t["stage_basis"] = t["stage_basis"].where(t["stage"].notna(), "unverified")
    if results.has_scores:
        t["score_basis"] = SCORE_BASIS[edition.meta.basis]
        t["score_note"] = SIMULATED_LONG if edition.illustrative else ""
    scores = [*results.domain_ids, "composite", "score_basis", "score_note"] if results.has_scores else []
    columns = [
        "city",
        "name_zh",
        "province_zh",
        "region",
        "published_rank",
        "rank_basis",
        "rank_rule",
        "rank_source",
        "stage",
        "stage_zh",
        "stage_basis",
        "stage_source",
        *scores,
    ]
    return t[columns]


def domain_stats_frame(results: Results) -> pd.DataFrame:
    """Statistics of each domain over the site's cities (a sample, named in each row)."""
    stats = results.domain_stats.reset_index()
    stats.insert(1, "domain_zh", stats["domain"].map(lambda d: results.edition.domain_by_id[d].zh))
    stats["cities"] = len(results.table)
    stats["sample"] = t("render.sample", n=len(results.table))
    stats["basis"] = SCORE_BASIS[results.edition.meta.basis or "published"]
    stats["note"] = SIMULATED_LONG if results.edition.illustrative else ""
    return stats


def edition_json(results: Results) -> bytes:
    edition = results.edition
    doc = {
        "edition": edition.meta.model_dump(mode="json"),
        "domains": [
            d.model_dump(mode="json") | {"weight": None if d.weight is None else str(d.weight)} for d in edition.domains
        ],
        "tiers": [t.model_dump(mode="json") for t in edition.tiers],
        "regions": [r.model_dump(mode="json") for r in edition.regions],
        "cities": [c.model_dump(mode="json") for c in edition.cities],
        "ranking": [r.model_dump(mode="json") for r in edition.ranking],
        "stages": [r.model_dump(mode="json") for r in edition.stages],
        "results": json.loads(results_frame(results).to_json(orient="records", force_ascii=False)),
    }
    if results.has_scores:
        doc["scores"] = list(edition.scores)
        doc["domain_statistics"] = json.loads(domain_stats_frame(results).to_json(orient="records", force_ascii=False))
    return json.dumps(neutralize_all(doc), ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8")


def build_downloads(results: Results) -> dict[str, tuple[bytes, str, bool]]:
    """file name -> (content, Chinese description, holds illustrative numbers), in page order."""
    edition = results.edition
    eid = edition.id
    scored = edition.illustrative and results.has_scores
    files: dict[str, tuple[bytes, str, bool]] = {
        f"{eid}-results.csv": (
            csv_bytes(results_frame(results)),
            t("download.results.scores") if results.has_scores else t("download.results.no_scores"),
            scored,
        ),
    }
    if results.has_scores:
        files[f"{eid}-domain-statistics.csv"] = (
            csv_bytes(domain_stats_frame(results)),
            t("download.domain_statistics"),
            scored,
        )
    files |= {
        f"{eid}-edition.json": (
            edition_json(results),
            t("download.edition.scores") if results.has_scores else t("download.edition.no_scores"),
            scored,
        ),
    }
    descriptions = {
        "cities.csv": t("download.file.cities"),
        "regions.yaml": t("download.file.regions"),
        "edition.yaml": t("download.file.edition"),
        "domains.yaml": t("download.file.domains"),
        "tiers.yaml": t("download.file.tiers"),
        "ranking.csv": t("download.file.ranking"),
        "stages.csv": t("download.file.stages"),
        "scores.csv": t("download.file.scores"),
    }
    for name, path in edition.files.items():
        if name == "scores.csv" and not results.has_scores:
            continue
        content = path.read_bytes()
        if name.endswith(".csv"):
            simulated = scored and name == "scores.csv"  # every row says what it is
            basis = t("download.basis", basis="simulated", label=SIMULATED_LONG)
            content = safe_csv_copy(content, ("basis", basis) if simulated else None)
        files[f"{eid}-{name}"] = (content, descriptions.get(name, name), scored and name == "scores.csv")
    return files


def csv_columns(content: bytes) -> list[str]:
    """The header of a CSV file as written (byte order mark and all)."""
    return next(csv.reader(io.StringIO(content.decode("utf-8-sig"))), [])


def column_meaning(column: str, edition) -> str:
    """What a column of a downloaded CSV holds, in Chinese (KeyError for one the catalog lacks,
    which a test keeps from happening)."""
    if column in edition.domain_by_id:
        return t("columns.domain_score", domain=edition.domain_by_id[column].zh)
    return t(f"columns.{column}")


def data_dictionary(edition, files: dict[str, tuple[bytes, str, bool]]) -> dict[str, list[tuple[str, str]]]:
    """Every CSV download of an edition (build_downloads) -> (column, meaning) in file order,
    read from the files themselves, so the dictionary cannot drift from what is downloaded."""
    return {
        name: [(column, column_meaning(column, edition)) for column in csv_columns(content)]
        for name, (content, _, _) in files.items()
        if name.endswith(".csv")
    }


def data_package(files: dict[str, bytes], descriptions: dict[str, str]) -> bytes:
    """A Frictionless data package (datapackage.json) describing every CSV download: its path,
    encoding and, per column, a type read from the values (integer, number or string; an empty
    cell is missing, never 0). `files`: path (relative to the package) -> content."""
    resources = []
    for path, content in sorted(files.items()):
        if not path.endswith(".csv"):
            continue
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
        header, body = rows[0], rows[1:]
        fields = []
        for i, name in enumerate(header):
            values = [r[i] for r in body if i < len(r) and r[i] != ""]
            fields.append({"name": name, "type": _column_type(values)})
        slug = re.sub(r"[^a-z0-9._-]+", "-", path.removeprefix("downloads/").lower()).strip("-")
        resource = {
            "name": slug.removesuffix(".csv"),
            "path": path,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "schema": {"fields": fields, "missingValues": [""]},
        }
        if path in descriptions:
            resource["description"] = descriptions[path]
        resources.append(resource)
    package = {
        "name": "digital-city-observatory",
        "title": t("download.package.title"),
        "description": t("download.package.description"),
        "resources": resources,
    }
    return json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8")


def _column_type(values: list[str]) -> str:
    if values and all(re.fullmatch(r"-?[0-9]+", v) for v in values):
        return "integer"
    if values and all(re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", v) for v in values):
        return "number"
    return "string"
