/** RFC 5545 §3.1: content lines are at most 75 octets, continued on lines that start with a space. */
const LINE_OCTETS = 75;

/**
 * Re-folds an iCalendar text by octets. The `ics` package folds by characters, so a line of
 * Chinese text (3 octets a character) came out up to 200 octets long. Never splits a character.
 */
export function foldByOctets(calendar: string): string {
  const unfolded = calendar.replace(/\r\n[ \t]/g, '');
  return unfolded.split('\r\n').map(foldLine).join('\r\n');
}

function foldLine(line: string): string {
  const parts: string[] = [];
  let part = '';
  let octets = 0;
  let limit = LINE_OCTETS;
  for (const character of line) {
    const size = Buffer.byteLength(character);
    if (octets + size > limit) {
      parts.push(part);
      part = '';
      octets = 0;
      limit = LINE_OCTETS - 1; // the leading space counts
    }
    part += character;
    octets += size;
  }
  parts.push(part);
  return parts.join('\r\n ');
}
