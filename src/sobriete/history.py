"""History: yearly assessments kept in a database, for next year's comparison and the roadmap.

SQLAlchemy Core over SQLite by default (a file ``sobriete.sqlite`` in the working directory,
or the path or URL given, or the ``SOBRIETE_DB`` environment variable); any database
SQLAlchemy reaches by URL works the same way. The schema is versioned (table
``schema_version``) and migrated by ordered functions (:data:`MIGRATIONS`). Each save is one
transaction: a failure half-way leaves the previous state intact.

Results are stored in tidy form, one line per domain, group, criterion and phase (the
:meth:`Footprint.to_frame` long frame), with the group's keys as a JSON object; each domain's
items (the top-contributors view) are stored the same way under the domain ``item:<domain>``.
Warnings keep their code and params, so a saved assessment is reported exactly like the fresh
one, in either language.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .assessment import Assessment, InputFile
from .network import DEFAULT_MODEL
from .errors import HistoryError
from .factors import PHASES
from .footprint import DataQuality, Footprint
from .notices import Notice

#: Default database file, in the working directory.
DEFAULT_DB = "sobriete.sqlite"
#: Environment variable naming the database (path or URL).
ENV_DB = "SOBRIETE_DB"
#: Package to install for a database driver of SQLAlchemy (``url.get_driver_name()``); a driver
#: not listed is named by the module Python could not import.
DRIVER_PACKAGES = {"psycopg2": "psycopg2-binary", "psycopg": "psycopg[binary]", "asyncpg": "asyncpg",
                   "pg8000": "pg8000", "mysqldb": "mysqlclient", "pymysql": "PyMySQL", "oracledb": "oracledb",
                   "pyodbc": "pyodbc"}
#: Prefix of the stored "domains" that hold a domain's items (the top-contributors view).
ITEM_PREFIX = "item:"
#: Relative change below which two values are equal (float summation noise, ~1e-16 per term).
CHANGE_NOISE = 1e-9
#: Rejected rows kept with a saved assessment (the counts are always complete).
MAX_REJECTED_SAVED = 1000

metadata = sa.MetaData()
schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))
assessments = sa.Table(
    "assessments", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("scope_key", sa.String(2000), nullable=False),
    sa.Column("by_keys", sa.Text, nullable=False),
    sa.Column("inputs", sa.Text, nullable=False),
    sa.Column("catalog_version", sa.String(200), nullable=False),
    sa.Column("catalog_hash", sa.String(64), nullable=False),
    sa.Column("allocation", sa.String(40), nullable=False),
    sa.Column("rows_read", sa.BigInteger, nullable=False),
    sa.Column("rows_assessed", sa.BigInteger, nullable=False),
    sa.Column("rows_rejected", sa.BigInteger, nullable=False),
    sa.Column("rejected", sa.Text, nullable=False),
    sa.Column("counts", sa.Text, nullable=False),
    sa.Column("warnings", sa.Text, nullable=False),
    sa.Column("unmapped", sa.Text, nullable=False),
    sa.Column("criterion_labels", sa.Text, nullable=False),
    sa.Column("item_labels", sa.Text, nullable=False, server_default="{}"),
    sa.Column("details", sa.Text, nullable=False, server_default="{}"),
    sa.Column("sobriete_version", sa.String(40), nullable=False),
    sa.Column("saved_at", sa.String(40), nullable=False),
    sa.UniqueConstraint("year", "scope_key", name="uq_assessment_year_scope"),
    sqlite_autoincrement=True,  # ids are never reused, even after --replace
)


def _group_columns() -> list[sa.Column]:
    """Columns naming one group of one saved assessment's domain (keys as a JSON object)."""
    return [sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                      nullable=False, index=True),
            sa.Column("domain", sa.String(40), nullable=False),
            sa.Column("group_keys", sa.Text, nullable=False)]


results = sa.Table(
    "results", metadata, *_group_columns(),
    sa.Column("criterion", sa.String(40), nullable=False),
    sa.Column("phase", sa.String(40), nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("unit", sa.String(40), nullable=False),
    sa.Column("uncovered_rows", sa.BigInteger, nullable=False),
)
energy = sa.Table(
    "energy", metadata, *_group_columns(),
    sa.Column("energy_kwh", sa.Float, nullable=False),
)


def _v1_initial(conn: Connection) -> None:
    """Version 1: assessments, tidy results and use-phase energy."""
    metadata.create_all(conn, tables=[assessments, results, energy])


def _v2_item_labels(conn: Connection) -> None:
    """Version 2: what a saved assessment needs to be reported like a fresh one: the labels of
    the items (equipment categories, line technologies...) and the ``details`` (rows per domain,
    profiles, network model, skipped domains); the items' results are stored as domains named
    ``item:<domain>`` (:data:`ITEM_PREFIX`). A database created by version 1 of the code lacks the
    columns; one created since has them from :func:`_v1_initial`."""
    present = {c["name"] for c in sa.inspect(conn).get_columns("assessments")}
    for column in ("item_labels", "details"):
        if column not in present:
            conn.execute(sa.text(f"ALTER TABLE assessments ADD COLUMN {column} TEXT NOT NULL DEFAULT '{{}}'"))


# --------------------------------------------------------------------------- roadmap indicator values (#11)
indicator_values = sa.Table(
    "indicator_values", metadata,
    sa.Column("indicator", sa.String(200), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("unit", sa.String(40), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.PrimaryKeyConstraint("indicator", "year", name="pk_indicator_year"),
)


def _v3_indicator_values(conn: Connection) -> None:
    """Version 3: yearly indicator values of the roadmap (existing tables untouched)."""
    metadata.create_all(conn, tables=[indicator_values])


def save_indicator_values(history: History, frame: pd.DataFrame) -> int:
    """Record indicator values (``indicator, year, value[, unit][, note]``), replacing the
    value of the same indicator and year; one transaction. Returns the number of rows."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [{"indicator": str(r["indicator"]), "year": int(r["year"]), "value": float(r["value"]),
             "unit": str(r.get("unit") or ""), "note": str(r.get("note") or ""), "recorded_at": now}
            for r in frame.to_dict("records")]
    with history.engine.begin() as conn:
        for row in rows:
            conn.execute(indicator_values.delete().where(indicator_values.c.indicator == row["indicator"],
                                                         indicator_values.c.year == row["year"]))
        if rows:
            conn.execute(indicator_values.insert(), rows)
    return len(rows)


def load_indicator_values(history: History) -> pd.DataFrame:
    """Recorded indicator values: ``indicator, year, value, unit, origin`` (origin ``recorded``)."""
    with history.engine.connect() as conn:
        frame = pd.read_sql(sa.select(indicator_values.c.indicator, indicator_values.c.year,
                                      indicator_values.c.value, indicator_values.c.unit)
                            .order_by(indicator_values.c.indicator, indicator_values.c.year), conn)
    return frame.assign(origin="recorded")[["indicator", "year", "value", "unit", "origin"]]
# --------------------------------------------------------------------------- end of roadmap block


#: Ordered migrations; migration ``i`` (from 0) brings the schema to version ``i + 1``.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1_initial, _v2_item_labels, _v3_indicator_values)
#: Schema version this code writes.
SCHEMA_VERSION = len(MIGRATIONS)


def database_url(db: str | Path | None = None) -> str:
    """SQLAlchemy URL of the history database.

    ``db`` (a path or a URL), else ``$SOBRIETE_DB``, else ``sobriete.sqlite`` in the working
    directory. A path becomes an absolute ``sqlite:///`` URL.

    Examples
    --------
    >>> database_url("postgresql://host/sobriete")
    'postgresql://host/sobriete'
    >>> database_url("/tmp/history.sqlite")
    'sqlite:////tmp/history.sqlite'
    """
    db = db or os.environ.get(ENV_DB) or DEFAULT_DB
    if "://" in str(db):
        return str(db)
    return "sqlite:///" + str(Path(db).expanduser().resolve())


def _plain(value: object) -> object:
    """A JSON-ready scalar: numpy to Python, NA to None, a date as ISO text (``2031-09-01``, no
    midnight time: as the reports show it)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _keys_json(keys: pd.DataFrame) -> list[str]:
    """One JSON object per group row (sorted keys, so equal groups give equal text)."""
    records = keys.to_dict("records")
    return [json.dumps({k: _plain(v) for k, v in r.items()}, sort_keys=True, ensure_ascii=False) for r in records]


def scope_key(assessment: Assessment) -> str:
    """Text identifying an assessment's scope (grouping keys and inputs' names) within its year."""
    return json.dumps(assessment.scope, sort_keys=True, ensure_ascii=False)


def create_engine(db: str | Path | None = None) -> Engine:
    """A SQLAlchemy engine for the history database, without connecting to it (a SQLite file
    is not created): a bad URL or a driver that is not installed fails here, in one sentence.

    Raises
    ------
    HistoryError
        ``missing_db_driver`` (naming the package to install) or ``bad_history_url``.
    """
    url_text = database_url(db)
    url = sa.engine.make_url(url_text)
    try:
        return sa.create_engine(url_text)
    except ModuleNotFoundError as exc:  # the database's driver is not installed
        package = DRIVER_PACKAGES.get(url.get_driver_name(), exc.name)
        location = url.render_as_string(hide_password=True)
        raise HistoryError(f"the history database {location} needs the Python package {package!r}, "
                           f"which is not installed: pip install {package}", code="missing_db_driver",
                           db=location, package=package) from None
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise HistoryError(f"cannot use the history database {url_text!r}: {exc}",
                           code="bad_history_url", url=repr(url_text), detail=str(exc)) from None


class Saved(int):
    """The id of a saved assessment (an ``int``) and the id it replaced (``replaced``, None
    when nothing was replaced).

    Examples
    --------
    >>> saved = Saved(2, replaced=1)
    >>> saved == 2, saved.id, saved.replaced
    (True, 2, 1)
    """

    replaced: int | None

    def __new__(cls, value: int, *, replaced: int | None = None) -> Saved:
        saved = super().__new__(cls, value)
        saved.replaced = replaced
        return saved

    @property
    def id(self) -> int:
        return int(self)


class History:
    """The assessment history database.

    Parameters
    ----------
    db : str or path, optional
        Path of a SQLite file or SQLAlchemy URL (see :func:`database_url`).
    create : bool
        Create the SQLite file if it does not exist; otherwise a missing file is an error.

    Examples
    --------
    >>> with History("sqlite://") as history:   # in memory
    ...     len(history.list())
    0
    """

    def __init__(self, db: str | Path | None = None, *, create: bool = True):
        self.url = database_url(db)
        url = sa.engine.make_url(self.url)
        if url.get_backend_name() == "sqlite" and url.database and not create \
                and not Path(url.database).is_file():
            raise HistoryError(f"no history database at {url.database}; save an assessment with --save first "
                               "or name the database with --db", code="no_history", path=url.database)
        self.engine: Engine = create_engine(self.url)
        if url.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_foreign_keys)
        self._migrate()

    @property
    def location(self) -> str:
        url = sa.engine.make_url(self.url)
        return url.database if url.get_backend_name() == "sqlite" and url.database else \
            url.render_as_string(hide_password=True)

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ schema
    def _migrate(self) -> None:
        try:
            with self.engine.begin() as conn:
                schema_version.create(conn, checkfirst=True)
                current = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0
                if current > SCHEMA_VERSION:
                    raise HistoryError(f"the history database {self.location} has schema version {current}, "
                                       f"newer than this sobriete's ({SCHEMA_VERSION}); upgrade sobriete",
                                       code="history_too_new", db=self.location, version=current,
                                       supported=SCHEMA_VERSION)
                for version in range(current, SCHEMA_VERSION):
                    MIGRATIONS[version](conn)
                if current < SCHEMA_VERSION:
                    conn.execute(schema_version.delete())
                    conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))
        except sa.exc.SQLAlchemyError as exc:
            raise HistoryError(f"cannot open the history database {self.location}: {exc.orig or exc}",
                               code="history_unreadable", db=self.location, detail=str(exc.orig or exc)) from None

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0)

    # ------------------------------------------------------------------ writing
    def save(self, assessment: Assessment, *, replace: bool = False) -> Saved:
        """Store ``assessment``; returns its id (a :class:`Saved`, whose ``replaced`` is the id
        of the assessment it replaced, if any).

        Raises
        ------
        HistoryError
            If an assessment of the same year and scope is already saved and ``replace`` is
            False. The whole write is one transaction.
        """
        key = scope_key(assessment)
        with self.engine.begin() as conn:
            existing = conn.execute(sa.select(assessments.c.id).where(
                assessments.c.year == assessment.year, assessments.c.scope_key == key)).scalar()
            if existing is not None:
                if not replace:
                    raise HistoryError(f"an assessment of {assessment.year} with the same scope is already saved "
                                       f"(no. {existing}); use --replace to overwrite it",
                                       code="already_saved", year=assessment.year, id=existing)
                _delete(conn, existing)
            new_id = _insert_assessment(conn, assessment, key)
            _insert_results(conn, new_id, assessment)
        return Saved(new_id, replaced=existing)

    def delete(self, assessment_id: int) -> None:
        with self.engine.begin() as conn:
            _delete(conn, assessment_id)

    # ------------------------------------------------------------------ reading
    def list(self, *, include_caveated: bool = False) -> pd.DataFrame:
        """One line per saved assessment: id, year, by, inputs, allocation, catalog, rows,
        saved_at, and the total of each criterion (``total_<criterion>``, ``unit_<criterion>``).

        The criterion × phase cells their source disowns (the assessment's ``caveat``
        warnings, see :mod:`sobriete.report.caveats`) are left out of the totals unless
        ``include_caveated``; ``caveated_<criterion>`` carries them in every case.
        """
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(
                assessments.c.id, assessments.c.year, assessments.c.by_keys, assessments.c.inputs,
                assessments.c.allocation, assessments.c.catalog_version, assessments.c.rows_read,
                assessments.c.rows_assessed, assessments.c.rows_rejected, assessments.c.saved_at,
                assessments.c.warnings,
            ).order_by(assessments.c.year, assessments.c.id)).mappings().all()
            totals = pd.DataFrame(conn.execute(
                sa.select(results.c.assessment_id, results.c.criterion, results.c.phase, results.c.unit,
                          sa.func.sum(results.c.value).label("total"))
                .where(results.c.domain.not_like(ITEM_PREFIX + "%"))
                .group_by(results.c.assessment_id, results.c.criterion, results.c.phase, results.c.unit)
            ).mappings().all(), columns=["assessment_id", "criterion", "phase", "unit", "total"])
        frame = pd.DataFrame([dict(r) for r in rows], columns=[
            "id", "year", "by_keys", "inputs", "allocation", "catalog_version", "rows_read", "rows_assessed",
            "rows_rejected", "saved_at", "warnings"])
        frame["by"] = [", ".join(json.loads(v)) for v in frame.pop("by_keys")]
        frame["inputs"] = [", ".join(i["name"] for i in json.loads(v)) for v in frame["inputs"]]
        caveated = {(i, c, p) for i, w in zip(frame["id"], frame.pop("warnings")) for c, p in _caveated(w)}
        totals["caveated"] = [(i, c, p) in caveated for i, c, p in
                              zip(totals["assessment_id"], totals["criterion"], totals["phase"])]
        for (i, criterion, unit), part in totals.groupby(["assessment_id", "criterion", "unit"], sort=False):
            apart = part.loc[part["caveated"], "total"].sum()
            counted = part["total"].sum() - (0.0 if include_caveated else apart)
            frame.loc[frame["id"] == i, [f"total_{criterion}", f"unit_{criterion}", f"caveated_{criterion}"]] = \
                [counted, unit, apart]
        return frame

    def _pick(self, conn: Connection, year: int, assessment_id: int | None) -> dict[str, Any]:
        query = sa.select(assessments).where(assessments.c.year == int(year))
        if assessment_id is not None:
            query = query.where(assessments.c.id == int(assessment_id))
        rows = conn.execute(query.order_by(assessments.c.id)).mappings().all()
        if not rows:
            years = sorted(set(conn.execute(sa.select(assessments.c.year)).scalars()))
            what = f"no. {assessment_id} of {year}" if assessment_id is not None else f"of {year}"
            raise HistoryError(f"no assessment {what} in {self.location}; saved years: "
                               f"{', '.join(map(str, years)) or 'none'}",
                               code="no_saved_assessment", year=year, id=assessment_id, db=self.location, years=years)
        if len(rows) > 1:
            scopes = [json.loads(r["scope_key"]) for r in rows]
            choices = "; ".join(f"no. {r['id']}: by {', '.join(sc['by']) or 'nothing'}, inputs "
                                f"{', '.join(sc['inputs']) or 'none'}" for r, sc in zip(rows, scopes))
            raise HistoryError(f"several assessments of {year} are saved ({choices}); choose one with --id",
                               code="several_saved", year=year, ids=[int(r["id"]) for r in rows],
                               by=[sc["by"] for sc in scopes], inputs=[sc["inputs"] for sc in scopes])
        return dict(rows[0])

    def load(self, year: int, *, assessment_id: int | None = None) -> Assessment:
        """The saved assessment of ``year`` (``assessment_id`` when the year has several)."""
        with self.engine.connect() as conn:
            row = self._pick(conn, year, assessment_id)
            tidy = pd.read_sql(sa.select(results).where(results.c.assessment_id == row["id"]), conn)
            kwh = pd.read_sql(sa.select(energy).where(energy.c.assessment_id == row["id"]), conn)
        return _rebuild(row, tidy, kwh)

    def compare(self, year_a: int, year_b: int, *, by: str | None = None, id_a: int | None = None,
                id_b: int | None = None) -> pd.DataFrame:
        """Change from ``year_a`` to ``year_b`` per criterion, phase (and ``total``) and group.

        Returns
        -------
        DataFrame
            ``[by], criterion, phase, unit, value_a, value_b, change, change_pct`` where
            ``change = value_b - value_a`` and ``change_pct = 100 * change / value_a`` (NaN when
            ``value_a`` is 0). A group present in one year only counts 0 in the other.
            ``by="domain"`` compares per domain (equipment, traffic, lines, hosting,
            lighting); a domain assessed in one year only counts 0 in the other.
        """
        a, b = self.load(year_a, assessment_id=id_a), self.load(year_b, assessment_id=id_b)
        return compare_assessments(a, b, by=by)


#: Stands for an empty key cell while the two years are joined (NaN never equals NaN).
_MISSING_KEY = "\x00missing"


def compare_assessments(a: Assessment, b: Assessment, *, by: str | None = None) -> pd.DataFrame:
    """Change from assessment ``a`` to assessment ``b`` (see :meth:`History.compare`).

    Parameters
    ----------
    a, b : Assessment
        The earlier and the later assessment (saved or fresh).
    by : str, optional
        One grouping key both assessments were made with, or ``"domain"``; none: totals.

    Returns
    -------
    DataFrame
        ``[by], criterion, phase, unit, value_a, value_b, change, change_pct``: values in
        criterion units, ``change = value_b - value_a``, ``change_pct`` [%] NaN when
        ``value_a`` is 0; ``phase`` includes ``total`` (sum of the phases); an empty key cell
        is the group ``None``. ``attrs["domains"]``:
        the domains each assessment covers, so that a report warns when they differ.

    Raises
    ------
    HistoryError
        If ``by`` is not a key of one of the assessments.
    """
    keys = [by] if by else []
    for assessment in (a, b):
        if by and by != "domain" and by not in assessment.by:
            raise HistoryError(f"the {assessment.year} assessment is not grouped by '{by}' "
                               f"(its keys: {', '.join(assessment.by) or 'none'}); re-assess it with --by {by}",
                               code="not_grouped_by", year=assessment.year, by=by, keys=list(assessment.by))
    merged = None
    for suffix, assessment in (("a", a), ("b", b)):
        frame = assessment.to_frame()
        for key in keys:  # an empty key cell is a group of its own, joined like the others
            frame[key] = frame[key].astype(object).where(frame[key].notna(), _MISSING_KEY)
        per_phase = frame.groupby(keys + ["criterion", "phase", "unit"], sort=False, dropna=False)["value"].sum()
        total = frame.groupby(keys + ["criterion", "unit"], sort=False, dropna=False)["value"].sum()
        total = total.to_frame().assign(phase="total").set_index("phase", append=True)
        total = total.reorder_levels(keys + ["criterion", "phase", "unit"])["value"]
        part = pd.concat([per_phase, total]).rename(f"value_{suffix}")
        merged = part.to_frame() if merged is None else merged.join(part, how="outer")
    out = merged.fillna({"value_a": 0.0, "value_b": 0.0}).reset_index()
    out["change"] = out["value_b"] - out["value_a"]
    noise = np.abs(out["change"]) <= CHANGE_NOISE * np.maximum(np.abs(out["value_a"]), np.abs(out["value_b"]))
    out.loc[noise, "change"] = 0.0  # the same value summed in another order is no change
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = np.where(out["value_a"] != 0, 100 * out["change"] / out["value_a"].where(
            out["value_a"] != 0, 1.0), np.nan)
    criteria = list(dict.fromkeys(list(a.footprint.criteria) + list(b.footprint.criteria)))
    order = {"criterion": criteria, "phase": [*PHASES, "total"]}
    for column, values in order.items():
        out[column] = pd.Categorical(out[column], categories=values + sorted(set(out[column]) - set(values)))
    out = out.sort_values(keys + ["criterion", "phase"], kind="stable").reset_index(drop=True)
    for column in order:
        out[column] = out[column].astype(str)
    out = out[keys + ["criterion", "phase", "unit", "value_a", "value_b", "change", "change_pct"]]
    for key in keys:
        out[key] = out[key].astype(object).where(out[key] != _MISSING_KEY, None)
    out.attrs["domains"] = (tuple(a.footprints), tuple(b.footprints))  # reports say when the scopes differ
    return out


# --------------------------------------------------------------------------- internals
def _sqlite_foreign_keys(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _delete(conn: Connection, assessment_id: int) -> None:
    conn.execute(results.delete().where(results.c.assessment_id == assessment_id))
    conn.execute(energy.delete().where(energy.c.assessment_id == assessment_id))
    conn.execute(assessments.delete().where(assessments.c.id == assessment_id))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]


def _insert_assessment(conn: Connection, assessment: Assessment, key: str) -> int:
    from . import __version__

    q = assessment.quality
    counts = dict(q.counts)
    if len(q.rejected) and "reason_code" in q.rejected:
        counts.update({f"rejected:{k}": int(v) for k, v in q.rejected["reason_code"].value_counts().items()})
    values = {
        "year": assessment.year, "scope_key": key, "by_keys": json.dumps(list(assessment.by)),
        "inputs": json.dumps([{"name": f.name, "sha256": f.sha256, "size_bytes": f.size_bytes}
                              for f in assessment.inputs]),
        "catalog_version": assessment.catalog_version, "catalog_hash": assessment.catalog_hash,
        "allocation": assessment.allocation, "rows_read": q.rows_read, "rows_assessed": q.rows_assessed,
        "rows_rejected": q.rows_rejected,
        "rejected": json.dumps(_records(q.rejected.head(MAX_REJECTED_SAVED)), ensure_ascii=False),
        "counts": json.dumps({k: int(v) for k, v in counts.items()}),
        "warnings": json.dumps([_notice_record(w) for w in q.warnings], ensure_ascii=False, default=_plain),
        "unmapped": json.dumps(_records(assessment.unmapped), ensure_ascii=False),
        "criterion_labels": json.dumps(assessment.criterion_labels, ensure_ascii=False),
        "item_labels": json.dumps(assessment.item_labels, ensure_ascii=False),
        "details": json.dumps({
            "domain_rows": {d: [q.rows_read, q.rows_assessed, q.rows_rejected]
                            for d, q in assessment.domain_quality.items()},
            "profiles": assessment.profiles, "network_model": assessment.network_model,
            "skipped": assessment.skipped}, ensure_ascii=False, default=_plain),
        "sobriete_version": __version__, "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return int(conn.execute(assessments.insert().values(**values)).inserted_primary_key[0])


def _insert_results(conn: Connection, assessment_id: int, assessment: Assessment) -> None:
    parts = {**assessment.footprints, **{ITEM_PREFIX + d: fp for d, fp in assessment.items.items()}}
    for domain, fp in parts.items():
        groups = np.asarray(_keys_json(fp.keys), dtype=object)
        tidy = fp.to_frame()
        per_line = len(fp.criteria) * len(fp.phases)
        conn.execute(results.insert(), [
            {"assessment_id": assessment_id, "domain": domain, "group_keys": g, "criterion": c, "phase": p,
             "value": float(v), "unit": u, "uncovered_rows": int(n)}
            for g, c, p, v, u, n in zip(np.repeat(groups, per_line), tidy["criterion"], tidy["phase"],
                                        tidy["value"], tidy["unit"], tidy["uncovered_rows"])])
        conn.execute(energy.insert(), [
            {"assessment_id": assessment_id, "domain": domain, "group_keys": g, "energy_kwh": float(e)}
            for g, e in zip(groups, fp.energy_kwh)])


def _caveated(warnings_json: str) -> list[tuple[str, str]]:
    """``(criterion, phase)`` of the ``caveat`` notices among stored warnings."""
    return [(w["params"]["criterion"], w["params"]["phase"]) for w in json.loads(warnings_json)
            if isinstance(w, dict) and w.get("code") == "caveat"]


def _notice_record(warning: str) -> str | dict[str, Any]:
    """A warning as stored: a :class:`Notice` keeps its code and params (so a saved
    assessment's warnings are translated like a fresh one's), a plain sentence stays text."""
    if isinstance(warning, Notice):
        return {"text": str(warning), "code": warning.code, "params": warning.params}
    return str(warning)


def _notice(record: str | dict[str, Any]) -> str:
    if isinstance(record, dict):
        return Notice(record["code"], record["text"], **record.get("params", {}))
    return record


def _rebuild(row: dict[str, Any], tidy: pd.DataFrame, kwh: pd.DataFrame) -> Assessment:
    """An :class:`Assessment` from its stored rows (footprints per domain, stored quality)."""
    by = tuple(json.loads(row["by_keys"]))
    footprints, items = {}, {}
    for domain, part in tidy.groupby("domain", sort=False):
        domain = str(domain)
        is_item = domain.startswith(ITEM_PREFIX)
        groups = pd.Index(pd.unique(part["group_keys"]))
        criteria = tuple(pd.unique(part["criterion"]))
        units = tuple(part.drop_duplicates("criterion").set_index("criterion").loc[list(criteria), "unit"])
        shape = (len(groups), len(criteria), len(PHASES))
        at = (groups.get_indexer(part["group_keys"]), pd.Index(criteria).get_indexer(part["criterion"]),
              pd.Index(PHASES).get_indexer(part["phase"]))
        values, uncovered = np.zeros(shape), np.zeros(shape)
        values[at] = part["value"].to_numpy(float)
        uncovered[at] = part["uncovered_rows"].to_numpy(float)
        keys = pd.DataFrame([json.loads(g) for g in groups], index=range(len(groups)))
        if not is_item:
            keys = keys[[k for k in by if k in keys.columns]] if len(keys.columns) else pd.DataFrame(
                index=range(len(groups)))
        dom_kwh = kwh[kwh["domain"] == domain].set_index("group_keys")["energy_kwh"].reindex(groups).fillna(0.0)
        (items if is_item else footprints)[domain.removeprefix(ITEM_PREFIX)] = Footprint(values, keys, criteria, units, dom_kwh.to_numpy(float), uncovered,
                                            row["catalog_version"], row["catalog_hash"],
                                            {"domain": domain, "year": row["year"], "allocation": row["allocation"],
                                             "by": list(by)})
    counts = json.loads(row["counts"])
    rejected = pd.DataFrame(json.loads(row["rejected"]),
                            columns=["file", "row", "column", "value", "reason_code", "reason"])
    quality = DataQuality(int(row["rows_read"]), int(row["rows_assessed"]), int(row["rows_rejected"]), rejected,
                          {k: v for k, v in counts.items() if not k.startswith("rejected:")},
                          tuple(_notice(w) for w in json.loads(row["warnings"])))
    stored = json.loads(row["unmapped"])
    unmapped = pd.DataFrame(stored, columns=list(dict.fromkeys(
        ["column", "value", "count", "suggestion", *(k for r in stored for k in r)])))
    details = json.loads(row.get("details") or "{}")
    domain_quality = {d: DataQuality(*map(int, rows)) for d, rows in details.get("domain_rows", {}).items()}
    return Assessment(int(row["year"]), row["allocation"], by, footprints, quality,
                      tuple(InputFile(i["name"], i["sha256"], i.get("size_bytes", 0)) for i in json.loads(row["inputs"])),
                      unmapped, json.loads(row["criterion_labels"]), domain_quality=domain_quality,
                      profiles=details.get("profiles", {}), network_model=details.get("network_model", DEFAULT_MODEL),
                      skipped=details.get("skipped", {}), items=items,
                      item_labels=json.loads(row.get("item_labels") or "{}"))


# --------------------------------------------------------------------------- projects (issue #10)
projects = sa.Table(
    "projects", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(400), nullable=False),
    sa.Column("owner", sa.String(400), nullable=False),
    sa.Column("first_year", sa.Integer, nullable=False),
    sa.Column("horizon_years", sa.Integer, nullable=False),
    sa.Column("allocation", sa.String(40), nullable=False),
    sa.Column("catalog_version", sa.String(200), nullable=False),
    sa.Column("catalog_hash", sa.String(64), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("deltas", sa.Text, nullable=False),
    sa.Column("saved_at", sa.String(40), nullable=False),
    # added later (additive migration in ProjectHistory._migrate): for the roadmap's project indicators
    sa.Column("start_date", sa.String(40), nullable=True),
    sa.Column("checklist_score", sa.Float, nullable=True),
    sqlite_autoincrement=True,
)


def _finite_or_none(value) -> float | None:
    """A float, or None for a missing or non-finite value (no checklist, NaN score)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def saved_projects(history: History) -> pd.DataFrame:
    """The projects saved in a history database (any :class:`History`): ``id, name, saved_at,
    start_date, checklist_score``; empty when the database has no projects table yet."""
    columns = ["id", "name", "saved_at", "start_date", "checklist_score"]
    with history.engine.connect() as conn:
        table = sa.inspect(conn)
        if "projects" not in table.get_table_names():
            return pd.DataFrame(columns=columns)
        present = {c["name"] for c in table.get_columns("projects")}
        selected = [projects.c[c] if c in present else sa.null().label(c) for c in columns]
        rows = conn.execute(sa.select(*selected).order_by(projects.c.id)).mappings().all()
    return pd.DataFrame([dict(r) for r in rows], columns=columns)


class ProjectHistory(History):
    """The history database, with the assessed projects (table ``projects``).

    The table is added to an existing database when first opened this way (an additive,
    idempotent migration: ``CREATE TABLE IF NOT EXISTS``), so the numbered schema version of the
    assessments is left alone and older databases stay readable by every version.
    """

    def _migrate(self) -> None:
        super()._migrate()
        try:
            with self.engine.begin() as conn:
                projects.create(conn, checkfirst=True)
                present = {c["name"] for c in sa.inspect(conn).get_columns("projects")}
                for column, kind in (("start_date", "TEXT"), ("checklist_score", "FLOAT")):
                    if column not in present:  # a projects table written before these columns
                        conn.execute(sa.text(f"ALTER TABLE projects ADD COLUMN {column} {kind}"))
        except sa.exc.SQLAlchemyError as exc:
            raise HistoryError(f"cannot open the history database {self.location}: {exc.orig or exc}",
                               code="history_unreadable", db=self.location, detail=str(exc.orig or exc)) from None

    def save_project(self, result) -> int:
        """Store a :class:`sobriete.project.ProjectResult` (one transaction); returns its id."""
        p = result.project
        row = {"name": p.name, "owner": p.owner, "first_year": p.first_year, "horizon_years": p.horizon_years,
               "allocation": result.allocation, "catalog_version": result.catalog.version,
               "catalog_hash": result.catalog.hash, "summary": result.summary().to_json(orient="records"),
               "deltas": result.deltas().to_json(orient="records"),
               "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
               "start_date": f"{p.start}-01-01" if isinstance(p.start, int) else p.start.isoformat(),
               "checklist_score": _finite_or_none(getattr(result.checklist, "score", None))}
        with self.engine.begin() as conn:
            return int(conn.execute(projects.insert().values(**row)).inserted_primary_key[0])

    def list_projects(self) -> pd.DataFrame:
        """One line per saved project: id, name, owner, first year, horizon, saved_at."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(projects.c.id, projects.c.name, projects.c.owner, projects.c.first_year,
                                          projects.c.horizon_years, projects.c.saved_at)
                                .order_by(projects.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows],
                            columns=["id", "name", "owner", "first_year", "horizon_years", "saved_at"])

    def load_project(self, project_id: int) -> dict[str, Any]:
        """A saved project: its fields, ``summary`` and ``deltas`` as frames."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(projects).where(projects.c.id == project_id)).mappings().first()
        if row is None:
            raise HistoryError(f"no project no. {project_id} in the history", code="project_not_saved",
                               id=project_id)
        out = dict(row)
        out["summary"] = pd.DataFrame(json.loads(row["summary"]))
        out["deltas"] = pd.DataFrame(json.loads(row["deltas"]))
        return out

    def show_project(self, project_id: int) -> str:
        """A saved project as JSON text."""
        row = self.load_project(project_id)
        row["summary"] = row["summary"].to_dict("records")
        row["deltas"] = row["deltas"].to_dict("records")
        return json.dumps(row, ensure_ascii=False, indent=2, default=str)
