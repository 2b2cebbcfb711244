// Reads a downloaded workbook back (ExcelJS), so a test compares what a spreadsheet would show.
import ExcelJS from 'exceljs';

type Cell = string | number | null;

/** Every sheet of a workbook, in order: its name and its rows of cell values (text, number or null). */
export async function readXlsxSheets(bytes: Buffer): Promise<{ name: string; rows: Cell[][] }[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book.worksheets.map((sheet) => {
    const rows: Cell[][] = [];
    sheet.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1);
      rows.push(values.map((v) => (v === undefined || v === null ? null : typeof v === 'number' ? v : String(v))));
    });
    return { name: sheet.name, rows };
  });
}

/** The first sheet's rows, each cell's value (text, number or null). */
export async function readXlsx(bytes: Buffer): Promise<Cell[][]> {
  return (await readXlsxSheets(bytes))[0].rows;
}
