// Each registered report's link in the Admin menu, shown to the roles its permission allows.
import { reportTitleKey } from '../../../reports/report-files.ts';
import type { Report } from '../../../reports/report.ts';
import type { NavLink } from '../../render.ts';

export function reportNav(reports: readonly Report[]): NavLink[] {
  return reports.map((r) => ({ href: r.path, labelKey: reportTitleKey(r), permission: r.permission }));
}
