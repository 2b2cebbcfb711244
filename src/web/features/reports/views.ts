// Each registered report's page and strings, from its folder, for the desk's console: the page is
// named reports/<id>, the strings sit under reports.<id>. Read when the desk is built.
import { LOCALES, type Locale } from '../../../domain/vocabulary.ts';
import type { Tree } from '../../../i18n/locales.ts';
import { loadReportStrings, reportView } from '../../../reports/report-files.ts';
import type { Report } from '../../../reports/report.ts';

export const reportPage = (report: Report): string => `reports/${report.id}`;

export function reportViews(reports: readonly Report[]): { pages: Record<string, string>; strings: Record<Locale, Tree> } {
  return {
    pages: Object.fromEntries(reports.map((r) => [reportPage(r), reportView(r)])),
    strings: Object.fromEntries(LOCALES.map((l) => [l, loadReportStrings(reports, l)])) as Record<Locale, Tree>,
  };
}
