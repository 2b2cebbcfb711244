// The IANA time zones the runtime knows, for selects (the chosen one first if it is unusual).
const ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Europe/Moscow', 'Europe/London', 'America/New_York'];
  }
})();

export function timeZoneOptions(selected: string | undefined): { id: string; selected: boolean }[] {
  const list = selected && !ZONES.includes(selected) ? [selected, ...ZONES] : ZONES.includes('UTC') ? ZONES : ['UTC', ...ZONES];
  return list.map((id) => ({ id, selected: id === selected }));
}
