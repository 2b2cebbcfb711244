// Each registered report's link in the Admin menu, shown to the roles its permission allows.
import type { Report } from '../../../reports/report.ts';
import type { NavLink } from '../../render.ts';

export function reportNav(reports: readonly Report[]): NavLink[] {
  return reports.map((r) => ({ href: r.path, labelKey: r.navLabelKey, permission: r.permission }));
}
