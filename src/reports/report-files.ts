// What a report's folder brings besides its code: the page that renders its data and its strings
// in each language, which the console mounts under reports.<id> so no report can shadow another's
// keys or the console's. Read when a desk is built (nothing is kept here).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locale } from '../domain/vocabulary.ts';
import type { Tree } from '../i18n/locales.ts';
import type { Report } from './report.ts';

/** The report's page template. */
export const reportView = (report: Report): string => path.join(report.folder, 'view.hbs');

/** The key of the report's link in the Admin menu: its strings' `title`. */
export const reportTitleKey = (report: Report): string => `reports.${report.id}.title`;

/** The strings of the reports in one language, as one tree { reports: { <id>: … } }. */
export function loadReportStrings(reports: readonly Report[], locale: Locale): Tree {
  const byId: Tree = {};
  for (const r of reports) {
    const file = path.join(r.folder, `strings.${locale}.json`);
    byId[r.id] = JSON.parse(readFileSync(file, 'utf8')) as Tree;
  }
  return { reports: byId };
}
