// What a report is: a read-only console page at /reports/<id> that one permission opens, whose
// filters come from the query string (checked by a zod schema) and whose data is built from store
// queries. The console mounts every registered report (src/reports/index.ts) the same way.
// A report's folder holds all of it: its code, its page (view.hbs) and its strings in each
// language (strings.<locale>.json, under the keys reports.<id>.*; `title` names its menu link).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { Ctx } from '../actions/context.ts';
import type { Locale } from '../domain/vocabulary.ts';
import type { Permission } from '../domain/permissions.ts';
import type { ChartData } from './kit/chart.ts';
import type { ReportTable } from './kit/table.ts';

/** Who is looking: their language, for money, dates and column names. */
export type ReportViewer = { locale: Locale; t: (key: string) => string };

export type ReportCtx = Ctx & { viewer: ReportViewer };

/** A report on a dashboard: its chart (SVG from the kit, with the numbers it draws) or a short list of names, opening the report. */
export type ReportWidget =
  | { kind: 'chart'; svg: string | null; data: ChartData | null; href: string }
  | { kind: 'names'; names: string[]; href: string; emptyKey: string };

/** A report's one number, in the viewer's words: what it counts, and the tickets behind it (else the report). */
export type ReportHeadline = { value: string; caption: string; href: string };

/** The cell of the report's table (as it opens) that is its one number. */
export type HeadlineCell = {
  /** one of the table's parts (its key), else the table itself */
  part?: string;
  row: 'totals' | 'first' | 'last';
  column: string;
  /** what the number is: the string reports.<id>.<caption>; else the column's header */
  caption?: string;
};

/** The query string as Express parses it: a value, a repeated value (array) or none. */
export type ReportQuery = Record<string, unknown>;

export type ReportDefinition<F = unknown> = {
  /** kebab-case; the page lives at `/reports/<id>` */
  id: string;
  path: `/reports/${string}`;
  permission: Permission;
  /** the folder with its view.hbs (renders `load`'s data) and strings.<locale>.json: `reportFolder(import.meta.url)` */
  folder: string;
  /** reads the filters from the query string; a value it refuses is a validation error (422) */
  filters: z.ZodType<F>;
  /** the view data: a view model, never raw rows */
  load(ctx: ReportCtx, filters: F): Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * when present, the report's data as one table: the same filters give the CSV and XLSX
   * downloads at `<path>.csv` and `<path>.xlsx` and the JSON at `/api/v1/reports/<id>`
   */
  table?(ctx: ReportCtx, filters: F): ReportTable | Promise<ReportTable>;
  /** when present, the report can sit on a dashboard: what it shows there, with its default filters */
  widget?(ctx: ReportCtx): Promise<ReportWidget>;
  /**
   * with a table, the one number the report stands for (a dashboard's figure) as it opens: a cell
   * of its table, or a figure made from the table; without it, the first total of the table
   */
  headline?: HeadlineCell | ((table: ReportTable, viewer: ReportViewer) => ReportHeadline);
};

/** A report of any filter type, as the registry holds it (its schema and `load` still agree). */
export type Report = ReportDefinition<unknown>;

/** Types a report's definition, so `load` and `csv` see the filters its schema gives. */
export function defineReport<F>(definition: ReportDefinition<F>): ReportDefinition<F> {
  return definition;
}

// the code runs from src/ (tsx, vitest) or from the build in dist/, which has no .hbs or .json
// files (tsc copies none): a report's page and strings are read from its folder in src/ either way
const CODE_DIR = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIR = fileURLToPath(new URL('../../src', import.meta.url));

/** The source folder of a report module (pass its `import.meta.url`), also when it runs from dist/. */
export function reportFolder(moduleUrl: string): string {
  return path.join(SOURCE_DIR, path.relative(CODE_DIR, path.dirname(fileURLToPath(moduleUrl))));
}
