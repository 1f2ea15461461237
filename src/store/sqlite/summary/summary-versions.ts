import type Database from 'better-sqlite3';
import type { VersionSeries, VersionSeriesRequest } from '../../../model/version-series.js';
import { VersionSeriesBuilder } from '../../contract/version-series-builder.js';
import { REPORTED_AHEAD_MAX_US } from '../../../model/record-time.js';
import { RECORD_TIME_SQL as T } from '../../contract/record-time-sql.js';
import { NUMERIC_RECORDS } from './summary-indexes.js';

/** SQL name of the aggregate that builds a version series: (version, bucket start, value, named versions as JSON or NULL, listed). */
const VERSION_SERIES = 'tally_version_series';

// One scan of the group's single values on the summary's covering index (the record time's
// created_at bound narrows it); each row goes to the aggregate, which keeps the values by version
// and bucket and answers the whole series as JSON. No GROUP BY: SQLite would sort every row.
const BUCKET = `${T} - (((${T} - @offset) % @size) + @size) % @size`;
const SERIES_SQL = `SELECT ${VERSION_SERIES}(product_version, ${BUCKET}, numeric_data_single_value, @named, @listed)
  FROM telemetry INDEXED BY ${NUMERIC_RECORDS.index}
  WHERE product_id = @product AND data_group = @group AND created_at >= @createdFrom AND ${T} >= @from AND ${T} <= @to
    AND ${NUMERIC_RECORDS.where}`;

/** The aggregate's state: the builder, and how many versions its answer lists. */
type State = { builder: VersionSeriesBuilder; listed: number } | null;

type SeriesParams = Record<'product' | 'group' | 'createdFrom' | 'from' | 'to' | 'size' | 'offset' | 'named' | 'listed', number | string | null>;

/** `TelemetryStore.versionSeries` for SQLite: one statement, hence one snapshot. */
export class SqliteVersionSeriesQuery {
  readonly #select: Database.Statement<[SeriesParams], string | null>;

  constructor(db: Database.Database) {
    db.aggregate<State>(VERSION_SERIES, {
      start: null,
      varargs: true,
      step: (acc: State, ...row: unknown[]) => {
        const [version, bucket, value, named, listed] = row;
        const state = acc ?? { builder: new VersionSeriesBuilder(typeof named === 'string' ? (JSON.parse(named) as string[]) : null), listed: Number(listed) };
        state.builder.add(typeof version === 'string' ? version : null, Number(bucket), Number(value));
        return state;
      },
      result: (acc: State) => (acc === null ? null : JSON.stringify(acc.builder.result(acc.listed))),
    });
    this.#select = db.prepare<[SeriesParams], string | null>(SERIES_SQL).pluck();
  }

  series(request: VersionSeriesRequest): VersionSeries {
    const { productId, dataGroup, fromUs, toUs, bucket, versions, listed } = request;
    const named = versions === null ? null : JSON.stringify(versions);
    const json = this.#select.get({
      product: productId, group: dataGroup, createdFrom: fromUs - REPORTED_AHEAD_MAX_US, from: fromUs, to: toUs,
      size: bucket.sizeUs, offset: bucket.offsetUs, named, listed,
    });
    return json === null || json === undefined ? new VersionSeriesBuilder(versions).result(listed) : (JSON.parse(json) as VersionSeries);
  }
}
