// Renders a time with a Go reference layout ("2006-01-02 15:04:05.000 MST"), because Fabric's log
// formats, and the ones operators already have in their configs, are written that way.

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Part = (d: Date) => string;

// Longest tokens first so that "2006" wins over "2" and ".000000" over ".000".
const TOKEN =
  /January|Monday|2006|Z07:00|-07:00|Z0700|-0700|MST|Jan|Mon|\.0{9}|\.0{6}|\.0{3}|\.9{9}|\.9{6}|\.9{3}|01|02|_2|15|03|04|05|06|PM|pm|1|2|3|4|5/g;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const hour12 = (d: Date): number => d.getHours() % 12 || 12;

function offset(d: Date, colon: boolean, zulu: boolean): string {
  const minutes = -d.getTimezoneOffset();
  if (minutes === 0 && zulu) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
}

const zoneNames = new Map<number, string>();
function zoneName(d: Date): string {
  const key = d.getTimezoneOffset();
  let name = zoneNames.get(key);
  if (name === undefined) {
    // US English knows EST/PST, British English CET/BST; where neither has an abbreviation Intl
    // says "GMT+5:30" and Go prints a numeric offset, so do we.
    name =
      ['en-US', 'en-GB']
        .map((locale) => abbreviation(locale, d))
        .find((value) => value !== '' && !/^GMT[+-]/.test(value)) ?? offset(d, false, false);
    zoneNames.set(key, name);
  }
  return name;
}

function abbreviation(locale: string, d: Date): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZoneName: 'short' }).formatToParts(d);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
}

function fraction(d: Date, digits: number, trim: boolean): string {
  const text = pad(d.getMilliseconds(), 3).padEnd(digits, '0');
  if (!trim) return `.${text}`;
  const trimmed = text.replace(/0+$/, '');
  return trimmed === '' ? '' : `.${trimmed}`;
}

const PARTS: Readonly<Record<string, Part>> = {
  January: (d) => MONTHS[d.getMonth()] ?? '',
  Jan: (d) => (MONTHS[d.getMonth()] ?? '').slice(0, 3),
  Monday: (d) => DAYS[d.getDay()] ?? '',
  Mon: (d) => (DAYS[d.getDay()] ?? '').slice(0, 3),
  '2006': (d) => String(d.getFullYear()),
  '06': (d) => pad(d.getFullYear() % 100),
  '01': (d) => pad(d.getMonth() + 1),
  '1': (d) => String(d.getMonth() + 1),
  '02': (d) => pad(d.getDate()),
  _2: (d) => String(d.getDate()).padStart(2, ' '),
  '2': (d) => String(d.getDate()),
  '15': (d) => pad(d.getHours()),
  '03': (d) => pad(hour12(d)),
  '3': (d) => String(hour12(d)),
  '04': (d) => pad(d.getMinutes()),
  '4': (d) => String(d.getMinutes()),
  '05': (d) => pad(d.getSeconds()),
  '5': (d) => String(d.getSeconds()),
  PM: (d) => (d.getHours() < 12 ? 'AM' : 'PM'),
  pm: (d) => (d.getHours() < 12 ? 'am' : 'pm'),
  MST: zoneName,
  'Z07:00': (d) => offset(d, true, true),
  '-07:00': (d) => offset(d, true, false),
  Z0700: (d) => offset(d, false, true),
  '-0700': (d) => offset(d, false, false),
  '.000': (d) => fraction(d, 3, false),
  '.000000': (d) => fraction(d, 6, false),
  '.000000000': (d) => fraction(d, 9, false),
  '.999': (d) => fraction(d, 3, true),
  '.999999': (d) => fraction(d, 6, true),
  '.999999999': (d) => fraction(d, 9, true),
};

/** Compile a Go layout once into a renderer. */
export function compileTimeLayout(layout: string): (d: Date) => string {
  const parts: Part[] = [];
  let last = 0;
  for (const match of layout.matchAll(TOKEN)) {
    const literal = layout.slice(last, match.index);
    if (literal !== '') parts.push(() => literal);
    const part = PARTS[match[0]];
    if (part !== undefined) parts.push(part);
    last = match.index + match[0].length;
  }
  const tail = layout.slice(last);
  if (tail !== '') parts.push(() => tail);
  return (d) => parts.map((p) => p(d)).join('');
}
