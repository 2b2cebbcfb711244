// Every report the console offers: each gets its page, its permission check and its Admin menu
// link from web/features/reports. A new report is a folder here and one line in this list.
import { contractsReport } from './contracts/report.ts';
import { complaintsReport } from './complaints/report.ts';
import { costReport } from './cost/report.ts';
import { createdResolvedReport } from './created-resolved/report.ts';
import { difficultClientsReport } from './difficult-clients/report.ts';
import type { Report } from './report.ts';
import { responseTimesReport } from './response-times/report.ts';
import { slaReport } from './sla/report.ts';
import { statusReport } from './status/report.ts';
import { timeReport } from './time/report.ts';
import { trendsReport } from './trends/report.ts';
import { workloadReport } from './workload/report.ts';

export const REPORTS: readonly Report[] = [contractsReport, createdResolvedReport, costReport, statusReport, timeReport, trendsReport, workloadReport, slaReport, responseTimesReport, complaintsReport, difficultClientsReport];
