"""The ingest pipeline: export file → read → profile → map → normalise → store (spec §3–4).

One file is one transaction: a file that fails leaves the store exactly as it was. Every input
row is accounted for: rows = accepted + rejected, each rejection with its reason. Values blanked
in kept rows (an email that is not one) are stored too, with file, row, column and reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from eclp.canonical import T_BLANKED, T_ORDER_LINES, T_PERSON_RECORDS, T_REJECTS
from eclp.config import Config, SourceConfig, country_list
from eclp.csvfiles import write_csv
from eclp.errors import EclpError, SourceError
from eclp.normalize.frame import NormalizeOptions, normalize_frame
from eclp.sources.behaviours import FileContext, apply_behaviours
from eclp.sources.detect import detect, detection_error
from eclp.sources.mapping import ROW, field_headers, to_canonical
from eclp.sources.profile import Profile, profile_from_mapping
from eclp.sources.profiles import header_hints, load_builtin_profiles
from eclp.sources.reader import read_inputs, read_table
from eclp.sources.rejects import (
    behaviour_rejects,
    concat_rejects,
    normalize_rejects,
    reader_rejects,
)
from eclp.sources.tables import PRIMARY_TABLE, TABLE_KEYS, Lineage, split_tables
from eclp.store import Store, upsert
from eclp.workspace import Workspace

REPORT_FIELDS = ("file", "source", "profile", "rows", "accepted", "rejected", "blanked", "new",
                 "updated", "skipped", "error")  # fmt: skip
COUNT_FIELDS = ("rows", "accepted", "rejected", "blanked", "new", "updated")


@dataclass(frozen=True)
class PreparedFile:
    """One input (a file, or a member of a zip) read, mapped and normalised, not yet stored."""

    file: str
    content_hash: str
    source: str
    profile: str
    kind: str
    rows: int
    tables: dict[str, pd.DataFrame]
    rejects: pd.DataFrame  # file, row, column, value, reason
    confidence: float = 1.0
    # Values blanked as invalid in rows kept (same columns as rejects): one per value, not row.
    blanked: pd.DataFrame = field(default_factory=lambda: concat_rejects([]))

    @property
    def rejected(self) -> int:
        return int(self.rejects["row"].nunique()) if not self.rejects.empty else 0

    @property
    def accepted(self) -> int:
        return self.rows - self.rejected


@dataclass(frozen=True)
class FileReport:
    """What happened to one input file; `error` set means it was refused and nothing stored."""

    file: str
    source: str | None = None
    profile: str | None = None
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    blanked: int = 0  # values blanked as invalid in rows that were kept
    new: int = 0
    updated: int = 0
    skipped: bool = False
    error: str | None = None
    rejects_file: str | None = None
    batch_id: int | None = None
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The fields `eclp ingest --json` reports, in REPORT_FIELDS order."""
        return {k: getattr(self, k) for k in REPORT_FIELDS}


def file_hash(data: bytes | Path) -> str:
    digest = hashlib.sha256()
    if isinstance(data, bytes):
        digest.update(data)
    else:
        with open(data, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def prepare_file(
    path: Path,
    config: Config | None = None,
    *,
    profile: str | None = None,
    source: str | None = None,
) -> list[PreparedFile]:
    """Read, recognise, map and normalise one file (several for a zip); no store is touched."""
    config = config or Config()
    path = Path(path)
    if not path.is_file():
        raise SourceError("no such file", file=str(path))
    return [
        _prepare_member(name, data, config, profile=profile, source=source)
        for name, data in read_inputs(path)
    ]


def _source_config(name: str, config: Config, source: str | None) -> SourceConfig | None:
    if source is not None:
        return config.source_named(source)
    return config.source_for(name)


def _choose_profile(
    headers: Sequence[str], name: str, src: SourceConfig | None, profile: str | None
) -> tuple[Profile, float]:
    builtins = load_builtin_profiles()
    wanted = profile or (src.profile if src else None)
    if wanted:
        if wanted not in builtins:
            raise SourceError(f"unknown profile {wanted!r} (see `eclp profiles`)", file=name)
        return builtins[wanted], 1.0
    if src is not None and src.columns:
        return profile_from_mapping(src.name, src.kind or "people", src.columns, src.options), 1.0
    detection = detect(headers, file_name=name, profiles=builtins)
    if detection.profile is None:
        raise detection_error(name, detection)
    return detection.profile, detection.confidence


def _options(config: Config, prof: Profile, src: SourceConfig | None) -> NormalizeOptions:
    merged: dict = {
        "country": config.country,
        "phone_countries": config.phone_countries,
        "currency": config.currency,
        "timezone": config.timezone,
    }
    merged.update({k: v for k, v in prof.options.items() if v is not None})
    if src is not None:
        merged.update({k: v for k, v in src.options.items() if v is not None})
    allowed = {"date_format", "dayfirst", "decimal", "country", "currency", "timezone"}
    kwargs = {k: v for k, v in merged.items() if k in allowed}
    keypath = ("sources", src.name, "options") if src else ("shop",)
    keypath = (*keypath, "phone_countries")
    kwargs["phone_countries"] = country_list(merged.get("phone_countries"), keypath)
    return NormalizeOptions(**kwargs, channel_aliases=dict(config.channel_aliases))


def _prepare_member(
    name: str, data: bytes | Path, config: Config, *, profile: str | None, source: str | None
) -> PreparedFile:
    src = _source_config(name, config, source)  # None: --source just names a new source
    raw = read_table(
        data,
        name=name,
        sheet=src.sheet if src else None,
        header_row=src.header_row if src else None,
        delimiter=src.options.get("delimiter") if src else None,
        encoding=src.options.get("encoding") if src else None,
        header_hints=header_hints(),
    )
    prof, confidence = _choose_profile(list(raw.frame.columns), name, src, profile)
    source_name = source or (src.name if src else prof.name)
    colmap = prof.resolve(list(raw.frame.columns))
    constants = {**prof.constants, **colmap.captured}
    headers = field_headers(prof, list(raw.frame.columns), colmap.columns)
    frame = to_canonical(raw.frame, raw.rows, headers, constants, prof.kind)
    rejects = [reader_rejects(name, raw)]
    rows = len(raw.frame) + len(raw.rejects)
    context = FileContext(name, raw.preamble, raw.footer)
    del raw  # the export's unmapped columns are the bulk of its memory: let them go now
    frame, dropped = apply_behaviours(frame, prof, context)
    rejects.append(behaviour_rejects(name, dropped))
    row_of = frame[ROW]
    normalized = normalize_frame(prof.kind, frame, _options(config, prof, src))
    frame = normalized.frame
    rejects.append(normalize_rejects(name, normalized.rejects, row_of))
    blanked = concat_rejects([normalize_rejects(name, normalized.warnings, row_of)])
    content_hash = file_hash(data)
    tables = split_tables(
        prof.kind, frame, Lineage(source_name, name, 0, content_hash), prof.person_key
    )
    return PreparedFile(
        file=name,
        content_hash=content_hash,
        source=source_name,
        profile=prof.name,
        kind=prof.kind,
        rows=rows,
        tables=tables,
        rejects=concat_rejects(rejects),
        confidence=confidence,
        blanked=blanked,
    )


def ingest_files(
    ws: Workspace,
    paths: Sequence[Path],
    *,
    config: Config,
    source: str | None = None,
    profile: str | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[FileReport]:
    """Ingest each file in its own transaction; a refused file is reported, not raised."""
    reports: list[FileReport] = []
    with Store.open(ws.store_path, read_only=dry_run) as store:
        for path in paths:
            if progress:
                progress(str(path))
            reports.extend(_ingest_one(ws, store, Path(path), config, source, profile, dry_run))
    return reports


def _ingest_one(
    ws: Workspace,
    store: Store,
    path: Path,
    config: Config,
    source: str | None,
    profile: str | None,
    dry_run: bool,
) -> list[FileReport]:
    try:
        earlier = _already_ingested(store, file_hash(path)) if path.is_file() else None
        if earlier:
            return [FileReport(file=path.name, source=earlier[0], profile=earlier[1], skipped=True)]
        prepared = prepare_file(path, config, profile=profile, source=source)
    except EclpError as exc:
        return [FileReport(file=path.name, error=str(exc))]
    except (OSError, ValueError, UnicodeError, MemoryError) as exc:
        return [FileReport(file=path.name, error=f"{path.name}: cannot ingest: {exc}")]
    reports = []
    for item in prepared:
        if _already_ingested(store, item.content_hash):
            reports.append(
                FileReport(file=item.file, source=item.source, profile=item.profile, skipped=True)
            )
            continue
        try:
            reports.append(_store_prepared(ws, store, item, path, dry_run))
        except EclpError as exc:
            reports.append(FileReport(file=item.file, source=item.source, error=str(exc)))
    return reports


def _already_ingested(store: Store, content_hash: str) -> tuple[str, str] | None:
    """(source, profile) of the batch that already stored this exact content, if any."""
    rows = store.con.execute(
        "SELECT source, profile FROM batches WHERE content_hash = ? AND status = 'ok' LIMIT 1",
        [content_hash],
    ).fetchall()
    return rows[0] if rows else None


def _suppressed(store: Store, item: PreparedFile) -> PreparedFile:
    """Drop everything about people erased with `eclp forget` (and count their rows rejected)."""
    people = item.tables.get(T_PERSON_RECORDS)
    if people is None or people.empty:
        return item
    from eclp.delivery.privacy import suppression_mask

    mask = suppression_mask(store, people)
    if not bool(mask.any()):
        return item
    gone = set(people.loc[mask.to_numpy(), "source_record_id"])
    tables = dict(item.tables)
    tables[T_PERSON_RECORDS] = people.loc[~mask.to_numpy()].reset_index(drop=True)
    gone_rows: set[int] = set(people.loc[mask.to_numpy(), "row"].astype(int))
    for name, table in item.tables.items():
        if "person_record_id" in table.columns:
            hit = table["person_record_id"].isin(gone)
            gone_rows |= set(table.loc[hit, "row"].astype(int))
            tables[name] = table.loc[~hit].reset_index(drop=True)
            if "order_id" in table.columns and T_ORDER_LINES in tables:
                lines = tables[T_ORDER_LINES]
                dead = set(table.loc[hit, "order_id"])
                gone_rows |= set(lines.loc[lines["order_id"].isin(dead), "row"].astype(int))
                tables[T_ORDER_LINES] = lines.loc[~lines["order_id"].isin(dead)].reset_index(
                    drop=True
                )
    extra = pd.DataFrame(
        {
            "file": item.file,
            "row": sorted(gone_rows),
            "column": None,
            "value": None,
            "reason": "erased on request (eclp forget)",
        }
    )
    blanked = item.blanked[~item.blanked["row"].isin(gone_rows)].reset_index(drop=True)
    return replace(
        item, tables=tables, rejects=concat_rejects([item.rejects, extra]), blanked=blanked
    )


def _store_prepared(
    ws: Workspace, store: Store, item: PreparedFile, path: Path, dry_run: bool
) -> FileReport:
    item = _suppressed(store, item)
    started = datetime.now(UTC).replace(tzinfo=None)
    counts: dict[str, tuple[int, int]] = {}
    if dry_run:
        for table, frame in item.tables.items():
            counts[table] = upsert(store.con, table, frame, TABLE_KEYS[table], dry_run=True)
        batch_id = None
    else:
        with store.transaction() as con:
            batch_id = int(con.execute("SELECT nextval('batch_seq')").fetchall()[0][0])
            for table, frame in item.tables.items():
                frame = frame.assign(batch_id=batch_id)
                if table == T_ORDER_LINES:
                    con.register("incoming_orders", frame[["source", "order_id"]].drop_duplicates())
                    con.execute(
                        "DELETE FROM order_lines t USING incoming_orders i WHERE "
                        "t.source = i.source AND t.order_id = i.order_id"
                    )
                    con.unregister("incoming_orders")
                    _append(con, T_ORDER_LINES, frame)
                    continue
                newer = "updated_at" if table == T_PERSON_RECORDS else None
                counts[table] = upsert(con, table, frame, TABLE_KEYS[table], newer_column=newer)
            _append(con, T_REJECTS, item.rejects.assign(batch_id=batch_id))
            _append(con, T_BLANKED, item.blanked.assign(batch_id=batch_id))
            new, updated = counts.get(PRIMARY_TABLE[item.kind], (0, 0))
            con.execute(
                "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok')",
                [
                    batch_id,
                    str(path),
                    item.file,
                    item.content_hash,
                    item.source,
                    item.profile,
                    item.kind,
                    item.rows,
                    item.accepted,
                    item.rejected,
                    new,
                    updated,
                    started,
                    datetime.now(UTC).replace(tzinfo=None),
                ],
            )
    new, updated = counts.get(PRIMARY_TABLE[item.kind], (0, 0))
    rejects_file = None if dry_run else _write_rejects(ws, item, batch_id)
    return FileReport(
        file=item.file,
        source=item.source,
        profile=item.profile,
        rows=item.rows,
        accepted=item.accepted,
        rejected=item.rejected,
        blanked=len(item.blanked),
        new=new,
        updated=updated,
        rejects_file=rejects_file,
        batch_id=batch_id,
    )


def _append(con, table: str, frame: pd.DataFrame) -> None:
    """Insert a frame's rows into a store table by column name (inside the caller's transaction)."""
    if frame.empty:
        return
    con.register("incoming_rows", frame)
    try:
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming_rows')
    finally:
        con.unregister("incoming_rows")


def _write_rejects(ws: Workspace, item: PreparedFile, batch_id: int | None) -> str | None:
    """Rejected rows go to out/rejects/ with their reason (after the commit: a copy, not state)."""
    if item.rejects.empty:
        return None
    ws.rejects_dir.mkdir(parents=True, exist_ok=True)
    stem = Path(item.file.replace("/", "_")).stem
    target = ws.rejects_dir / f"{stem}-batch{batch_id}.csv"
    tmp = target.with_suffix(".csv.tmp")
    write_csv(item.rejects, tmp)
    tmp.replace(target)
    return str(target)
