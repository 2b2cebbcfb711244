// Reads a downloaded workbook back (ExcelJS), so a test compares what a spreadsheet would show.
import ExcelJS from 'exceljs';

/** The first sheet's rows, each cell's value (text, number or null). */
export async function readXlsx(bytes: Buffer): Promise<(string | number | null)[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  const rows: (string | number | null)[][] = [];
  sheet.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1);
    rows.push(values.map((v) => (v === undefined || v === null ? null : typeof v === 'number' ? v : String(v))));
  });
  return rows;
}
